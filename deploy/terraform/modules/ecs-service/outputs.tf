output "service_name" {
  description = "Name of the ECS service."
  value       = aws_ecs_service.this.name
}

output "task_definition_arn" {
  description = "ARN of the task definition revision this apply registered."
  value       = aws_ecs_task_definition.this.arn
}

output "container_definitions" {
  description = "The task's container definitions (JSON), for review and tests."
  value       = aws_ecs_task_definition.this.container_definitions
}

output "log_group_name" {
  description = "Name of the service's log group."
  value       = aws_cloudwatch_log_group.this.name
}

output "log_group_arn" {
  description = "ARN of the service's log group."
  value       = aws_cloudwatch_log_group.this.arn
}

output "security_group_id" {
  description = "Security group of the tasks."
  value       = module.security_group.id
}

output "desired_count" {
  description = "Tasks the service runs at creation (autoscaling moves it between its bounds afterwards)."
  value       = aws_ecs_service.this.desired_count
}

output "subnet_ids" {
  description = "Subnets the tasks run in."
  value       = one(aws_ecs_service.this.network_configuration).subnets
}

output "circuit_breaker" {
  description = "The deployment circuit breaker: enabled and rolling back."
  value       = one(aws_ecs_service.this.deployment_circuit_breaker)
}

output "log_group" {
  description = "The log group's retention (days) and KMS key."
  value = {
    retention_in_days = aws_cloudwatch_log_group.this.retention_in_days
    kms_key_id        = aws_cloudwatch_log_group.this.kms_key_id
  }
}
