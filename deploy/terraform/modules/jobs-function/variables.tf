variable "name" {
  description = "Function name, e.g. wellbase-prod-jobs. The API tasks dispatch short jobs to it by this name."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9_-]{1,64}$", var.name))
    error_message = "A function name is 1-64 letters, digits, hyphens and underscores."
  }
}

variable "role_arn" {
  description = "IAM role of the function (workload-iam's jobs role)."
  type        = string
}

variable "package_s3_bucket" {
  description = "Bucket holding the function's deployment package (make lambda writes bin/wellbase-lambda.zip: the bootstrap for provided.al2023 on arm64)."
  type        = string
}

variable "package_s3_key" {
  description = "Key of the deployment package, one per build, e.g. wellbase-lambda/<git-sha>.zip. Rolling back is applying the previous key."
  type        = string

  validation {
    condition     = endswith(var.package_s3_key, ".zip")
    error_message = "package_s3_key must name a .zip deployment package."
  }
}

variable "package_s3_object_version" {
  description = "Object version of the package (the artifacts bucket is versioned), so that an overwritten key cannot change what runs."
  type        = string
  default     = null
}

variable "architecture" {
  description = "arm64 (Graviton: cheaper per GB-second) or x86_64; the package must be built for it (make lambda LAMBDA_ARCH=...)."
  type        = string
  default     = "arm64"

  validation {
    condition     = contains(["arm64", "x86_64"], var.architecture)
    error_message = "architecture must be arm64 or x86_64."
  }
}

variable "memory_mb" {
  description = "Memory of the function in MB (CPU scales with it: 1769 MB is one vCPU)."
  type        = number
  default     = 2048

  validation {
    condition     = var.memory_mb >= 512 && var.memory_mb <= 10240
    error_message = "memory_mb must be from 512 to 10240."
  }
}

variable "timeout_seconds" {
  description = "Longest an invocation may run (at most 900). A drain invocation stops leasing jobs early enough to finish the one in hand; a job still running near the end is handed back to the queue."
  type        = number
  default     = 900

  validation {
    condition     = var.timeout_seconds >= 60 && var.timeout_seconds <= 900
    error_message = "timeout_seconds must be from 60 to 900 (Lambda's limit)."
  }
}

variable "reserved_concurrency" {
  description = "Invocations that may run at once: caps the load on the database (each execution environment holds a connection pool) and reserves capacity so that other functions of the account cannot starve the jobs."
  type        = number
  default     = 20

  validation {
    condition     = var.reserved_concurrency >= 1
    error_message = "reserved_concurrency must be at least 1: 0 would stop every invocation."
  }
}

variable "drain_schedule" {
  description = "EventBridge schedule of the drain invocation: it runs jobs whose dispatch was lost and retries whose backoff has passed, and sweeps leftovers of offboarded tenants."
  type        = string
  default     = "rate(1 minute)"
}

variable "environment" {
  description = "Environment variables of the function: LOCATIONS only (secret store, file store, root key URLs, metrics namespace), never secret values."
  type        = map(string)

  validation {
    condition = alltrue([for k in keys(var.environment) :
    !can(regex("(?i)(PASSWORD|PASSWD|SECRET_?VALUE|TOKEN|CREDENTIAL|PRIVATE|APIKEY|API_KEY|ACCESS_KEY)", k))])
    error_message = "An environment variable name looks like a secret: secrets belong in SSM Parameter Store, read with the function's role."
  }

  validation {
    condition     = alltrue([for v in values(var.environment) : !can(regex("://[^/@\\s]+:[^/@\\s]+@", v))])
    error_message = "An environment variable value carries credentials in a URL (user:password@)."
  }
}

variable "subnet_ids" {
  description = "Private subnets of the function (it reaches the database's private endpoint and the VPC endpoints from there)."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 2
    error_message = "The function needs subnets in at least two availability zones."
  }
}

variable "vpc_id" {
  description = "VPC of the function."
  type        = string
}

variable "vpc_cidr_block" {
  description = "CIDR of the VPC (egress to the VPC endpoints and the database endpoint)."
  type        = string
}

variable "s3_prefix_list_id" {
  description = "Prefix list of the S3 gateway endpoint."
  type        = string
}

variable "database_port_range" {
  description = "TCP ports of the database's private endpoint."
  type        = object({ from = number, to = number })
  default     = { from = 1024, to = 65535 }
}

variable "kms_key_arn" {
  description = "KMS key ARN that encrypts the log group and the dead-letter queue."
  type        = string
}

variable "log_retention_days" {
  description = "Days the function's logs are kept."
  type        = number
  default     = 90

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a retention CloudWatch Logs supports."
  }
}

variable "tags" {
  description = "Tags of every resource."
  type        = map(string)
  default     = {}
}
