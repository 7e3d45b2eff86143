variable "name" {
  description = "Name of the load balancer and its target group (at most 28 characters, it is suffixed)."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9-]{1,28}$", var.name))
    error_message = "name is 1-28 letters, digits and hyphens."
  }
}

variable "vpc_id" {
  description = "VPC of the load balancer and its targets."
  type        = string
}

variable "vpc_cidr_block" {
  description = "CIDR of the VPC: the load balancer forwards only to targets inside it."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets of the load balancer, in at least two availability zones."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 2
    error_message = "An application load balancer needs subnets in at least two availability zones."
  }
}

variable "ingress_security_group_ids" {
  description = "Security groups allowed to reach the HTTPS listener (the API Gateway VPC link), by a name known at plan time (the IDs may not be)."
  type        = map(string)
}

variable "certificate_arn" {
  description = "ACM certificate of the HTTPS listener (the name API Gateway verifies through the VPC link)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:acm:", var.certificate_arn))
    error_message = "certificate_arn must be an ACM certificate ARN."
  }
}

variable "ssl_policy" {
  description = "TLS policy of the listener: TLS 1.3 and 1.2 with forward secrecy only."
  type        = string
  default     = "ELBSecurityPolicy-TLS13-1-2-2021-06"
}

variable "target_port" {
  description = "Port the targets (wellbase serve) listen on."
  type        = number
  default     = 8080
}

variable "health_check_path" {
  description = "Path the load balancer probes. Wellbase's /readyz answers 503 while the database or file store is unreachable and as soon as a task begins to drain, so traffic leaves it before it stops."
  type        = string
  default     = "/readyz"
}

variable "deregistration_delay" {
  description = "Seconds a draining target keeps its in-flight requests (longer than the application's shutdown grace)."
  type        = number
  default     = 15

  validation {
    condition     = var.deregistration_delay >= 0 && var.deregistration_delay <= 3600
    error_message = "deregistration_delay must be from 0 to 3600 seconds."
  }
}

variable "idle_timeout" {
  description = "Seconds a connection may be idle: long enough for large LAS uploads on slow links."
  type        = number
  default     = 120
}

variable "deletion_protection" {
  description = "Refuse to delete the load balancer (turn off only to destroy the environment)."
  type        = bool
  default     = true
}

variable "tags" {
  description = "Tags of every resource."
  type        = map(string)
  default     = {}
}
