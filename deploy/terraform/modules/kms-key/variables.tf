variable "alias" {
  description = "Alias of the key without the alias/ prefix, e.g. wellbase-prod-root. Applications name the key by alias (awskms:///alias/<alias>), so a rotated or replaced key keeps working for them."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9/_-]{1,250}$", var.alias)) && !startswith(var.alias, "aws/") && !startswith(var.alias, "alias/")
    error_message = "The alias is 1-250 characters of letters, digits, /, _ and -, without the alias/ prefix and not under aws/ (reserved for AWS managed keys)."
  }
}

variable "description" {
  description = "What the key protects, shown in the KMS console and CloudTrail."
  type        = string
}

variable "deletion_window_in_days" {
  description = "Days between a scheduled deletion and the destruction of the key material (7-30). Use 30 for keys whose loss is unrecoverable, such as the root key that wraps the tenants' data keys."
  type        = number
  default     = 30

  validation {
    condition     = var.deletion_window_in_days >= 7 && var.deletion_window_in_days <= 30
    error_message = "deletion_window_in_days must be from 7 to 30."
  }
}

variable "rotation_period_in_days" {
  description = "Days between automatic rotations of the backing key material (90-2560). Rotation is always on: old material stays available for decryption, so nothing needs re-encrypting."
  type        = number
  default     = 365

  validation {
    condition     = var.rotation_period_in_days >= 90 && var.rotation_period_in_days <= 2560
    error_message = "rotation_period_in_days must be from 90 to 2560 (the range AWS KMS allows)."
  }
}

variable "multi_region" {
  description = "Make a multi-Region primary key, so that a replica in another Region (aws_kms_replica_key) can decrypt what this key encrypted after a Regional disaster."
  type        = bool
  default     = false
}

variable "administrator_arns" {
  description = "IAM principals that administer the key (describe, enable/disable, policy, tags, aliases); none of them may encrypt or decrypt through this statement. Empty means the account itself, i.e. IAM policies of the account decide who administers the key."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for a in var.administrator_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:", a))])
    error_message = "administrator_arns must be IAM ARNs (arn:aws:iam::<account>:role/... or :root)."
  }
}

variable "deletion_allowed_arns" {
  description = "The only principals that may schedule the deletion of the key or disable it (break-glass roles). Everyone else is denied by the key policy, administrators included; an empty list means nobody can until the key policy is changed (which CloudTrail records). This is the key's deletion protection."
  type        = list(string)
  default     = []
}

variable "statements" {
  description = "Usage statements added to the key policy after the administration statements: who may use the key for what, under which conditions. Resource is always this key."
  type = list(object({
    sid        = string
    effect     = optional(string, "Allow")
    actions    = list(string)
    principals = object({ type = string, identifiers = list(string) })
    conditions = optional(list(object({ test = string, variable = string, values = list(string) })), [])
  }))
  default = []

  validation {
    condition     = alltrue([for s in var.statements : !contains(s.actions, "*") && !contains(s.actions, "kms:*")])
    error_message = "A usage statement names its actions: \"*\" and \"kms:*\" are not allowed."
  }

  validation {
    condition     = alltrue([for s in var.statements : contains(["Allow", "Deny"], s.effect)])
    error_message = "A statement's effect is Allow or Deny."
  }
}

variable "tags" {
  description = "Tags of the key."
  type        = map(string)
  default     = {}
}
