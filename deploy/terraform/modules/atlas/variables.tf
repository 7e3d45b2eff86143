variable "org_id" {
  description = "Atlas organisation ID (24 hexadecimal characters) that owns the project."
  type        = string

  validation {
    condition     = can(regex("^[0-9a-f]{24}$", var.org_id))
    error_message = "org_id is an Atlas organisation ID: 24 hexadecimal characters."
  }
}

variable "project_name" {
  description = "Name of the Atlas project, e.g. wellbase-prod."
  type        = string
}

variable "cluster_name" {
  description = "Name of the cluster."
  type        = string
  default     = "wellbase"

  validation {
    condition     = can(regex("^[a-zA-Z0-9][a-zA-Z0-9-]{0,63}$", var.cluster_name))
    error_message = "A cluster name is 1-64 letters, digits and hyphens."
  }
}

variable "region" {
  description = "Atlas name of the AWS Region of the cluster, the same Region as the VPC (e.g. EU_NORTH_1 for eu-north-1). Its three electable nodes go to three availability zones of the Region."
  type        = string

  validation {
    condition     = can(regex("^[A-Z]{2}_[A-Z]+_[0-9]$", var.region))
    error_message = "region is an Atlas region name such as EU_NORTH_1 or EU_WEST_1."
  }
}

variable "instance_size" {
  description = "Dedicated cluster tier (M10 and up; M30+ for production: dedicated CPUs, no throttling). Shared and Flex tiers cannot use private endpoints or continuous backup."
  type        = string
  default     = "M30"

  validation {
    condition     = can(regex("^M([1-9][0-9]+)$", var.instance_size)) && tonumber(trimprefix(var.instance_size, "M")) >= 10
    error_message = "instance_size must be a dedicated tier, M10 or larger."
  }
}

variable "auto_scaling_max_instance_size" {
  description = "Largest tier compute autoscaling may move the cluster to (null: no compute autoscaling)."
  type        = string
  default     = "M60"
}

variable "mongodb_major_version" {
  description = "MongoDB major version."
  type        = string
  default     = "8.0"
}

variable "database_name" {
  description = "Database Wellbase uses (collections are shared by all tenants: pooled tenancy)."
  type        = string
  default     = "wellbase"
}

variable "pitr_window_days" {
  description = "Days of continuous backup (point-in-time restore to any second within them)."
  type        = number
  default     = 7

  validation {
    condition     = var.pitr_window_days >= 1 && var.pitr_window_days <= 35
    error_message = "pitr_window_days must be from 1 to 35."
  }
}

variable "snapshot_retention" {
  description = "How long snapshots are kept: daily (days), weekly (weeks), monthly (months)."
  type = object({
    daily_days     = optional(number, 14)
    weekly_weeks   = optional(number, 8)
    monthly_months = optional(number, 12)
  })
  default = {}
}

variable "backup_copy_region" {
  description = "Atlas region that receives copies of the snapshots and the oplog, so that the database can be restored after the loss of the whole primary Region (null: no copy)."
  type        = string
  default     = null
}

variable "vpc_id" {
  description = "VPC of the private endpoint."
  type        = string
}

variable "aws_region" {
  description = "AWS Region of the VPC (e.g. eu-north-1)."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets of the interface endpoint (one per availability zone)."
  type        = list(string)
}

variable "client_security_group_ids" {
  description = "Security groups of the clients (API and worker tasks, jobs function) by workload name: the only sources the endpoint admits."
  type        = map(string)
}

variable "iam_role_arns" {
  description = "IAM roles that connect with MONGODB-AWS authentication (the tasks' and the function's roles) by workload name: one database user each, no password anywhere."
  type        = map(string)

  validation {
    condition     = length(var.iam_role_arns) > 0 && alltrue([for a in values(var.iam_role_arns) : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/", a))])
    error_message = "iam_role_arns must be IAM role ARNs."
  }
}

variable "termination_protection" {
  description = "Refuse to delete the cluster (turn off only to destroy the environment)."
  type        = bool
  default     = true
}

variable "tags" {
  description = "Tags (Atlas cluster tags and AWS resource tags)."
  type        = map(string)
  default     = {}
}
