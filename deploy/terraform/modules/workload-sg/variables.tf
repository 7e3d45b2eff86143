variable "name" {
  description = "Name of the security group (the workload's name)."
  type        = string
}

variable "description" {
  description = "What the group is for, shown in the console."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the group."
  type        = string
}

variable "vpc_cidr_block" {
  description = "CIDR of the VPC: the VPC endpoints and the database's private endpoint are inside it, and nothing outside it is reachable."
  type        = string
}

variable "s3_prefix_list_id" {
  description = "Prefix list of the S3 gateway endpoint."
  type        = string
}

variable "database_port_range" {
  description = "TCP ports of the database's private endpoint (MongoDB Atlas PrivateLink uses 1024-65535)."
  type        = object({ from = number, to = number })
  default     = { from = 1024, to = 65535 }

  validation {
    condition     = var.database_port_range.from >= 1 && var.database_port_range.to <= 65535 && var.database_port_range.from <= var.database_port_range.to
    error_message = "database_port_range must be a TCP port range within 1-65535."
  }
}

variable "tags" {
  description = "Tags of the group."
  type        = map(string)
  default     = {}
}
