variable "name" {
  description = "Cluster name, e.g. wellbase-prod."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9_-]{1,255}$", var.name))
    error_message = "A cluster name is 1-255 letters, digits, hyphens and underscores."
  }
}

variable "container_insights" {
  description = "CloudWatch Container Insights: enhanced (per-task and per-container metrics), enabled or disabled."
  type        = string
  default     = "enhanced"

  validation {
    condition     = contains(["enhanced", "enabled", "disabled"], var.container_insights)
    error_message = "container_insights must be enhanced, enabled or disabled."
  }
}

variable "tags" {
  description = "Tags of the cluster."
  type        = map(string)
  default     = {}
}
