variable "name" {
  description = "Service name, e.g. wellbase-prod-api. Also the task family and the log group's last part."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9_-]{1,255}$", var.name))
    error_message = "A service name is 1-255 letters, digits, hyphens and underscores."
  }
}

variable "cluster_arn" {
  description = "ARN of the ECS cluster."
  type        = string
}

variable "cluster_name" {
  description = "Name of the ECS cluster (for the autoscaling resource ID)."
  type        = string
}

variable "image" {
  description = "Container image, by tag or digest: <account>.dkr.ecr.<region>.amazonaws.com/wellbase:<git-sha>. Tags are immutable in the repository, so a tag names exactly one build."
  type        = string

  validation {
    condition     = can(regex("^[^:@ ]+(:[A-Za-z0-9_.-]{1,128}|@sha256:[0-9a-f]{64})$", var.image))
    error_message = "image must name a tag or a digest (repository:tag or repository@sha256:...); never an implicit latest."
  }
}

variable "command" {
  description = "Arguments to the image's entrypoint (/usr/local/bin/wellbase), e.g. [\"serve\", \"--workers\", \"0\"]."
  type        = list(string)
}

variable "environment" {
  description = "Environment variables of the container: LOCATIONS only (URLs of the secret store, file store, root key ...). Secret values are never passed here: Wellbase reads them from SSM Parameter Store with its task role."
  type        = map(string)
  default     = {}

  validation {
    condition = alltrue([for k in keys(var.environment) :
    !can(regex("(?i)(PASSWORD|PASSWD|SECRET_?VALUE|TOKEN|CREDENTIAL|PRIVATE|APIKEY|API_KEY|ACCESS_KEY)", k))])
    error_message = "An environment variable name looks like a secret (password, token, credential, private or access key): secrets belong in SSM Parameter Store, read by the task role, never in a task definition."
  }

  validation {
    condition     = alltrue([for v in values(var.environment) : !can(regex("://[^/@\\s]+:[^/@\\s]+@", v))])
    error_message = "An environment variable value carries credentials in a URL (user:password@): keep the URL in SSM Parameter Store."
  }
}

variable "cpu" {
  description = "Task CPU units (1024 = 1 vCPU)."
  type        = number
  default     = 1024

  validation {
    condition     = contains([256, 512, 1024, 2048, 4096, 8192, 16384], var.cpu)
    error_message = "cpu must be a Fargate size: 256, 512, 1024, 2048, 4096, 8192 or 16384."
  }
}

variable "memory" {
  description = "Task memory in MiB (must fit the CPU size's Fargate range)."
  type        = number
  default     = 2048
}

variable "cpu_architecture" {
  description = "ARM64 (Graviton, cheaper per vCPU) or X86_64; the image must be built for it (make image IMAGE_ARCH=arm64)."
  type        = string
  default     = "ARM64"

  validation {
    condition     = contains(["ARM64", "X86_64"], var.cpu_architecture)
    error_message = "cpu_architecture must be ARM64 or X86_64."
  }
}

variable "ephemeral_storage_gib" {
  description = "Task ephemeral storage in GiB (21-200): the scratch space of large uploads and exports."
  type        = number
  default     = 21

  validation {
    condition     = var.ephemeral_storage_gib >= 21 && var.ephemeral_storage_gib <= 200
    error_message = "ephemeral_storage_gib must be from 21 to 200."
  }
}

variable "desired_count" {
  description = "Tasks to run. Fargate spreads them over the subnets' availability zones; two or more means one task, or one zone, can fail without an outage."
  type        = number
  default     = 2

  validation {
    condition     = var.desired_count >= 1
    error_message = "desired_count must be at least 1."
  }
}

variable "autoscaling" {
  description = "Target-tracking autoscaling between min and max tasks on average CPU, and on requests per target when the service is behind a load balancer."
  type = object({
    min_count               = number
    max_count               = number
    cpu_target_percent      = optional(number, 60)
    requests_per_target     = optional(number, 500)
    scale_in_cooldown_secs  = optional(number, 300)
    scale_out_cooldown_secs = optional(number, 60)
  })
  default = null

  validation {
    condition     = var.autoscaling == null || try(var.autoscaling.min_count >= 1 && var.autoscaling.max_count >= var.autoscaling.min_count, false)
    error_message = "autoscaling needs 1 <= min_count <= max_count."
  }
}

variable "subnet_ids" {
  description = "Private subnets of the tasks, in at least two availability zones."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 2
    error_message = "Tasks need subnets in at least two availability zones (no single point of failure)."
  }
}

variable "vpc_id" {
  description = "VPC of the tasks."
  type        = string
}

variable "vpc_cidr_block" {
  description = "CIDR of the VPC: tasks reach the VPC endpoints and the database's private endpoint inside it, nothing outside."
  type        = string
}

variable "s3_prefix_list_id" {
  description = "Prefix list of the S3 gateway endpoint (egress to S3)."
  type        = string
}

variable "database_port_range" {
  description = "TCP ports of the database's private endpoint in the VPC (MongoDB Atlas PrivateLink uses 1024-65535)."
  type        = object({ from = number, to = number })
  default     = { from = 1024, to = 65535 }
}

variable "load_balancer" {
  description = "Target group to register the tasks in, the port they serve on, and the load balancer's security group (the only source allowed in)."
  type = object({
    target_group_arn        = string
    target_group_arn_suffix = string
    lb_arn_suffix           = string
    security_group_id       = string
    container_port          = number
  })
  default = null
}

variable "health_check_command" {
  description = "Container health check (exec form, no shell in the image), e.g. [\"CMD\", \"/usr/local/bin/wellbase\", \"healthcheck\"]. Null: none."
  type        = list(string)
  default     = null
}

variable "stop_timeout" {
  description = "Seconds between SIGTERM and SIGKILL. Wellbase drains in-flight requests and hands running jobs back within this time."
  type        = number
  default     = 30

  validation {
    condition     = var.stop_timeout >= 2 && var.stop_timeout <= 120
    error_message = "stop_timeout must be from 2 to 120 seconds (the Fargate range)."
  }
}

variable "task_role_arn" {
  description = "IAM role of the application in the task."
  type        = string
}

variable "execution_role_arn" {
  description = "IAM role ECS uses to pull the image and write logs."
  type        = string
}

variable "log_group_name" {
  description = "CloudWatch log group of the containers' JSON logs (the module creates it)."
  type        = string
}

variable "log_retention_days" {
  description = "Days the logs are kept."
  type        = number
  default     = 90

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a retention CloudWatch Logs supports (1, 3, 5, 7, 14, 30, 60, 90, ... 3653)."
  }
}

variable "log_kms_key_arn" {
  description = "KMS key ARN that encrypts the log group."
  type        = string
}

variable "spot_weight" {
  description = "Weight of FARGATE_SPOT beside FARGATE (0: on-demand only). The first two tasks always run on FARGATE."
  type        = number
  default     = 0
}

variable "tags" {
  description = "Tags of every resource."
  type        = map(string)
  default     = {}
}
