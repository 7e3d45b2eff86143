variable "name" {
  description = "Name of the HTTP API, e.g. wellbase-prod."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the VPC link."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets of the VPC link, in at least two availability zones."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 2
    error_message = "The VPC link needs subnets in at least two availability zones."
  }
}

variable "alb_listener_arn" {
  description = "ARN of the internal load balancer's HTTPS listener that the API forwards to."
  type        = string
}

variable "alb_security_group_id" {
  description = "Security group of the internal load balancer (the VPC link's only destination)."
  type        = string
}

variable "tls_server_name" {
  description = "Host name API Gateway verifies on the load balancer's certificate (the certificate's name)."
  type        = string
}

variable "throttling_rate_limit" {
  description = "Steady-state requests per second the whole API accepts before answering 429 (per-tenant limits are enforced by Wellbase itself)."
  type        = number
  default     = 1000

  validation {
    condition     = var.throttling_rate_limit > 0
    error_message = "throttling_rate_limit must be positive."
  }
}

variable "throttling_burst_limit" {
  description = "Burst of requests the API accepts above the rate."
  type        = number
  default     = 2000

  validation {
    condition     = var.throttling_burst_limit > 0
    error_message = "throttling_burst_limit must be positive."
  }
}

variable "log_retention_days" {
  description = "Days the access logs are kept."
  type        = number
  default     = 90

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a retention CloudWatch Logs supports."
  }
}

variable "log_kms_key_arn" {
  description = "KMS key ARN that encrypts the access log group."
  type        = string
}

variable "custom_domain" {
  description = "Optional custom domain: its name and an ACM certificate in the same Region (the DNS record is yours to create, pointing at the output target_domain_name)."
  type = object({
    domain_name     = string
    certificate_arn = string
  })
  default = null
}

variable "tags" {
  description = "Tags of every resource."
  type        = map(string)
  default     = {}
}
