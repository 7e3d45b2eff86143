variable "prefix" {
  description = "Path prefix of the parameters, e.g. /wellbase/prod. The application is given only this location (--secrets awsparamstore:///wellbase/prod) and reads <prefix>/<name> with its IAM role."
  type        = string

  validation {
    condition     = can(regex("^(/[a-zA-Z0-9_.-]+)+$", var.prefix)) && !startswith(lower(var.prefix), "/aws") && !startswith(lower(var.prefix), "/ssm")
    error_message = "prefix is a path like /wellbase/prod (letters, digits, _ . -), not under /aws or /ssm."
  }
}

variable "kms_key_arn" {
  description = "Customer managed KMS key ARN that encrypts every SecureString (not the account's default aws/ssm key, so that the key policy decides who can read)."
  type        = string
}

variable "secure_values" {
  description = "SecureString parameters by name (the part after the prefix, e.g. database-url). Values are sensitive: they pass through Terraform state, which is therefore kept encrypted in the state bucket."
  type        = map(string)
  sensitive   = true
  default     = {}

  validation {
    condition     = alltrue([for k in keys(var.secure_values) : can(regex("^[a-z0-9][a-z0-9_.-]{0,127}$", k))])
    error_message = "Parameter names are lowercase letters, digits, _ . - (the names Wellbase's secret store accepts)."
  }
}

variable "placeholder_names" {
  description = "SecureString parameters that Terraform creates with a placeholder and never overwrites: an administrator sets the real value later with `wellbase secret put NAME --secrets awsparamstore:///<prefix>`, so it never passes through Terraform state."
  type        = set(string)
  default     = []

  validation {
    condition     = alltrue([for k in var.placeholder_names : can(regex("^[a-z0-9][a-z0-9_.-]{0,127}$", k))])
    error_message = "Parameter names are lowercase letters, digits, _ . -."
  }
}

variable "tags" {
  description = "Tags of every parameter."
  type        = map(string)
  default     = {}
}
