variable "environment" {
  description = "Environment name: part of every resource name (wellbase-<environment>-...) and of the SSM prefix /wellbase/<environment>."
  type        = string
  default     = "prod"

  validation {
    condition     = can(regex("^[a-z][a-z0-9]{1,11}$", var.environment))
    error_message = "environment is 2-12 lowercase letters and digits, starting with a letter."
  }
}

variable "aws_region" {
  description = "AWS Region of the environment."
  type        = string
  default     = "eu-north-1"
}

variable "dr_region" {
  description = "AWS Region of the disaster-recovery copy of the root key (a multi-Region replica), different from aws_region."
  type        = string
  default     = "eu-central-1"
}

variable "availability_zones" {
  description = "Availability zones of the environment (two or more; three matches Atlas's three nodes)."
  type        = list(string)
  default     = ["eu-north-1a", "eu-north-1b", "eu-north-1c"]

  validation {
    condition     = length(var.availability_zones) >= 2
    error_message = "At least two availability zones: no zone may be a single point of failure."
  }
}

variable "vpc_cidr_block" {
  description = "IPv4 CIDR of the VPC."
  type        = string
  default     = "10.40.0.0/16"
}

variable "nat_gateways" {
  description = "Outbound internet from the private subnets: none (default; AWS services through VPC endpoints, Atlas through PrivateLink), single or per_az."
  type        = string
  default     = "none"
}

variable "files_bucket_name" {
  description = "Globally unique name of the tenant files bucket, e.g. wellbase-prod-files-<account-id>."
  type        = string
}

variable "image_repository_url" {
  description = "ECR repository of the Wellbase image (output image_repository_url of deploy/terraform/bootstrap)."
  type        = string
}

variable "image_tag" {
  description = "Tag of the image to run: the git commit it was built from (tags are immutable). A new tag rolls the services; the previous tag rolls them back."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]{1,128}$", var.image_tag)) && var.image_tag != "latest"
    error_message = "image_tag must be a real tag (the commit), never latest."
  }
}

variable "lambda_package_bucket" {
  description = "Bucket of the jobs function's packages (output artifacts_bucket of deploy/terraform/bootstrap)."
  type        = string
}

variable "lambda_package_key" {
  description = "Key of the jobs function's package, e.g. wellbase-lambda/<commit>.zip (uploaded from bin/wellbase-lambda.zip)."
  type        = string
}

variable "lambda_package_version" {
  description = "S3 object version of the package (optional: pins the exact bytes)."
  type        = string
  default     = null
}

variable "certificate_arn" {
  description = "ACM certificate of the internal load balancer's HTTPS listener (any name in a zone you control; API Gateway verifies it)."
  type        = string
}

variable "alb_tls_server_name" {
  description = "The name on that certificate, which API Gateway checks when it connects through the VPC link."
  type        = string
}

variable "custom_domain" {
  description = "Optional public domain of the API with its ACM certificate."
  type = object({
    domain_name     = string
    certificate_arn = string
  })
  default = null
}

variable "api_desired_count" {
  description = "API tasks (wellbase serve) to run: at least two, in different zones."
  type        = number
  default     = 2

  validation {
    condition     = var.api_desired_count >= 2
    error_message = "api_desired_count must be at least 2: one task must never be a single point of failure."
  }
}

variable "api_max_count" {
  description = "Most API tasks autoscaling may run."
  type        = number
  default     = 10
}

variable "worker_desired_count" {
  description = "Worker tasks (long jobs) to run."
  type        = number
  default     = 2

  validation {
    condition     = var.worker_desired_count >= 1
    error_message = "worker_desired_count must be at least 1, or large uploads, exports and re-encryptions never run."
  }
}

variable "worker_max_count" {
  description = "Most worker tasks autoscaling may run."
  type        = number
  default     = 6
}

variable "cpu_architecture" {
  description = "ARM64 (Graviton) or X86_64 for the ECS tasks; the image is built for it."
  type        = string
  default     = "ARM64"
}

variable "jobs_reserved_concurrency" {
  description = "Invocations of the jobs function that may run at once."
  type        = number
  default     = 20
}

variable "atlas_org_id" {
  description = "MongoDB Atlas organisation ID."
  type        = string
}

variable "atlas_region" {
  description = "Atlas name of aws_region (EU_NORTH_1 for eu-north-1)."
  type        = string
  default     = "EU_NORTH_1"
}

variable "atlas_instance_size" {
  description = "Atlas cluster tier (M30 or larger for production)."
  type        = string
  default     = "M30"
}

variable "atlas_backup_copy_region" {
  description = "Atlas region that receives snapshot and oplog copies for a Regional disaster (null: none)."
  type        = string
  default     = "EU_CENTRAL_1"
}

variable "key_administrator_arns" {
  description = "IAM principals that administer the KMS keys (none of them can decrypt through that role). Empty: the account's IAM policies decide."
  type        = list(string)
  default     = []
}

variable "key_deletion_allowed_arns" {
  description = "Break-glass principals that alone may schedule deletion of, or disable, the KMS keys."
  type        = list(string)
  default     = []
}

variable "log_retention_days" {
  description = "Days every log group keeps its logs."
  type        = number
  default     = 365
}

variable "alarm_emails" {
  description = "E-mail addresses that receive the alarms."
  type        = list(string)
  default     = []
}

variable "api_throttling" {
  description = "API Gateway's steady rate (requests/s) and burst for the whole API. Per-tenant limits are Wellbase's own."
  type        = object({ rate = number, burst = number })
  default     = { rate = 1000, burst = 2000 }
}

variable "deletion_protection" {
  description = "Deletion protection of the load balancer and the Atlas cluster. Turn off only to destroy the environment on purpose."
  type        = bool
  default     = true
}
