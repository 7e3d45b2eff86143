variable "name" {
  description = "Name prefix of the roles, e.g. wellbase-prod."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.name))
    error_message = "name is 2-31 lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "files_bucket_arn" {
  description = "ARN of the tenant files bucket. Wellbase keeps every tenant's objects under tenants/<id>/ in it."
  type        = string
}

variable "root_key_arn" {
  description = "ARN of the root KMS key that wraps the tenants' data keys. The roles may use it only with an encryption context naming a tenant."
  type        = string
}

variable "platform_key_arn" {
  description = "ARN of the platform KMS key (S3 default encryption, SSM SecureStrings, logs, queues)."
  type        = string
}

variable "parameters_path_arn" {
  description = "ARN of the SSM parameter prefix (arn:aws:ssm:<region>:<account>:parameter/wellbase/prod)."
  type        = string
}

variable "image_repository_arn" {
  description = "ARN of the ECR repository the tasks pull their image from."
  type        = string
}

variable "service_log_group_arns" {
  description = "ARNs of the CloudWatch log groups the ECS tasks write to (through the awslogs driver of the execution role)."
  type        = list(string)
}

variable "jobs_function_name" {
  description = "Name of the Lambda function that runs short jobs: the API tasks invoke it asynchronously when they enqueue such a job."
  type        = string
}

variable "jobs_log_group_arn" {
  description = "ARN of the jobs function's log group."
  type        = string
}

variable "jobs_dead_letter_queue_arn" {
  description = "ARN of the SQS queue that receives the jobs function's failed asynchronous invocations."
  type        = string
}

variable "jobs_subnet_arns" {
  description = "ARNs of the subnets the jobs function runs in (it creates its network interfaces there)."
  type        = list(string)
}

variable "jobs_security_group_arns" {
  description = "ARNs of the security groups of the jobs function's network interfaces."
  type        = list(string)
}

variable "tags" {
  description = "Tags of every role."
  type        = map(string)
  default     = {}
}
