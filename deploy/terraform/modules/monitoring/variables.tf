variable "name" {
  description = "Name prefix of the alarms, topic and dashboard, e.g. wellbase-prod."
  type        = string
}

variable "metrics_namespace" {
  description = "CloudWatch namespace of Wellbase's own metrics (Embedded Metric Format in its JSON logs; the processes get it as WELLBASE_METRICS_NAMESPACE)."
  type        = string
}

variable "kms_key_arn" {
  description = "KMS key ARN that encrypts the alarm topic (CloudWatch must be allowed to use it in the key policy)."
  type        = string
}

variable "alarm_emails" {
  description = "E-mail addresses subscribed to the alarm topic (each must confirm the subscription)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for e in var.alarm_emails : can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", e))])
    error_message = "alarm_emails must be e-mail addresses."
  }
}

variable "alb_arn_suffix" {
  description = "ARN suffix of the internal load balancer (metrics dimension LoadBalancer)."
  type        = string
}

variable "target_group_arn_suffix" {
  description = "ARN suffix of the API target group (metrics dimension TargetGroup)."
  type        = string
}

variable "api_gateway_id" {
  description = "ID of the HTTP API (metrics dimension ApiId)."
  type        = string
}

variable "cluster_name" {
  description = "ECS cluster name (Container Insights dimension ClusterName)."
  type        = string
}

variable "api_service_name" {
  description = "ECS service name of the API."
  type        = string
}

variable "worker_service_name" {
  description = "ECS service name of the workers."
  type        = string
}

variable "api_min_tasks" {
  description = "Fewest healthy API tasks before an alarm (the service's minimum)."
  type        = number
  default     = 2
}

variable "jobs_function_name" {
  description = "Name of the jobs function."
  type        = string
}

variable "dead_letter_queue_name" {
  description = "Name of the jobs function's dead-letter queue."
  type        = string
}

variable "thresholds" {
  description = "Alarm thresholds: share of 5xx answers (percent), p99 latency (seconds), final job failures per 5 minutes, and the age of the oldest runnable queued job (seconds)."
  type = object({
    error_rate_percent   = optional(number, 1)
    p99_latency_seconds  = optional(number, 1)
    job_failures         = optional(number, 0)
    oldest_queued_job_ss = optional(number, 300)
  })
  default = {}

  validation {
    condition     = var.thresholds.error_rate_percent > 0 && var.thresholds.p99_latency_seconds > 0 && var.thresholds.oldest_queued_job_ss >= 60
    error_message = "Thresholds must be positive, and the oldest queued job at least 60 s (the drain schedule's period)."
  }
}

variable "tags" {
  description = "Tags of every resource."
  type        = map(string)
  default     = {}
}
