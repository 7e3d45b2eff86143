variable "name" {
  description = "Globally unique name of the access-log bucket."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.name))
    error_message = "A bucket name is 3-63 lowercase letters, digits, dots and hyphens."
  }
}

variable "source_bucket_arns" {
  description = "Buckets whose server access logs this bucket receives (the logging service may write for these only)."
  type        = list(string)
}

variable "retention_days" {
  description = "Days the access logs are kept."
  type        = number
  default     = 365

  validation {
    condition     = var.retention_days >= 30
    error_message = "Keep access logs at least 30 days."
  }
}

variable "tags" {
  description = "Tags of the bucket."
  type        = map(string)
  default     = {}
}
