variable "aws_region" {
  description = "AWS Region of the state bucket, the image repository and the artifacts bucket (the environments' Region)."
  type        = string
  default     = "eu-north-1"
}

variable "name" {
  description = "Name prefix, e.g. wellbase."
  type        = string
  default     = "wellbase"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,20}$", var.name))
    error_message = "name is 2-21 lowercase letters, digits and hyphens."
  }
}

variable "bucket_suffix" {
  description = "Suffix that makes the bucket names globally unique, e.g. <account-id>-<region>."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{2,30}$", var.bucket_suffix))
    error_message = "bucket_suffix is 3-31 lowercase letters, digits and hyphens."
  }
}

variable "key_administrator_arns" {
  description = "IAM principals that administer the bootstrap KMS key. Empty: the account's IAM policies decide."
  type        = list(string)
  default     = []
}

variable "key_deletion_allowed_arns" {
  description = "Break-glass principals that alone may schedule the key's deletion."
  type        = list(string)
  default     = []
}
