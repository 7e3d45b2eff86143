variable "name" {
  description = "Repository name, e.g. wellbase."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$", var.name)) && length(var.name) <= 256
    error_message = "An ECR repository name is lowercase letters, digits and . _ - / separators, at most 256 characters."
  }
}

variable "kms_key_arn" {
  description = "KMS key ARN that encrypts the images at rest."
  type        = string
}

variable "keep_tagged_images" {
  description = "Number of tagged images kept; older ones are expired. Keep enough to roll back (each deployment is one tag)."
  type        = number
  default     = 100

  validation {
    condition     = var.keep_tagged_images >= 10
    error_message = "Keep at least 10 tagged images, so that a rollback has something to roll back to."
  }
}

variable "untagged_expiry_days" {
  description = "Days after which untagged images (intermediate pushes) are expired."
  type        = number
  default     = 7
}

variable "pull_principal_arns" {
  description = "Extra principals (other accounts' roles) allowed to pull images; the owning account's roles pull through IAM."
  type        = list(string)
  default     = []
}

variable "tags" {
  description = "Tags of the repository."
  type        = map(string)
  default     = {}
}
