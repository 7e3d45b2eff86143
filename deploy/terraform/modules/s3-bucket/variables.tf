variable "name" {
  description = "Globally unique bucket name (3-63 lowercase letters, digits, dots and hyphens)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.name)) && !can(regex("\\.\\.", var.name))
    error_message = "A bucket name is 3-63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit."
  }
}

variable "kms_key_arn" {
  description = "ARN of the customer managed KMS key for SSE-KMS default encryption. Every object is encrypted with it at rest; readers need kms:Decrypt on it."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)."
  }
}

variable "noncurrent_version_expiration_days" {
  description = "Days after which an overwritten or deleted object version is removed for good (1-3650). Versions are what lets an accidental overwrite or delete be undone within that time."
  type        = number
  default     = 30

  validation {
    condition     = var.noncurrent_version_expiration_days >= 1 && var.noncurrent_version_expiration_days <= 3650
    error_message = "noncurrent_version_expiration_days must be from 1 to 3650."
  }
}

variable "abort_incomplete_multipart_upload_days" {
  description = "Days after which the parts of an unfinished multipart upload (an upload cut off by a crash) are deleted."
  type        = number
  default     = 2

  validation {
    condition     = var.abort_incomplete_multipart_upload_days >= 1
    error_message = "abort_incomplete_multipart_upload_days must be at least 1."
  }
}

variable "access_log" {
  description = "Where S3 writes this bucket's server access logs: a bucket made by the log-bucket module and a key prefix. Every data bucket names one; null only where no log bucket can exist yet."
  type = object({
    bucket = string
    prefix = string
  })
}

variable "force_destroy" {
  description = "Let Terraform delete the bucket with objects in it. Keep false for anything holding tenant data or state."
  type        = bool
  default     = false
}

variable "policy_statements" {
  description = "Extra bucket policy statements (IAM JSON objects), added to the TLS-only statement this module always writes."
  type        = list(any)
  default     = []
}

variable "tags" {
  description = "Tags of the bucket."
  type        = map(string)
  default     = {}
}
