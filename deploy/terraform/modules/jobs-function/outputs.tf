output "function_name" {
  description = "Name of the function."
  value       = aws_lambda_function.this.function_name
}

output "function_arn" {
  description = "ARN of the function."
  value       = aws_lambda_function.this.arn
}

output "log_group_name" {
  description = "Log group of the function."
  value       = aws_cloudwatch_log_group.this.name
}

output "log_group_arn" {
  description = "ARN of the function's log group."
  value       = aws_cloudwatch_log_group.this.arn
}

output "dead_letter_queue_arn" {
  description = "ARN of the dead-letter queue."
  value       = aws_sqs_queue.dead_letters.arn
}

output "dead_letter_queue_name" {
  description = "Name of the dead-letter queue (the QueueName dimension of its metrics)."
  value       = aws_sqs_queue.dead_letters.name
}

output "security_group_id" {
  description = "Security group of the function's network interfaces."
  value       = module.security_group.id
}

output "security_group_arn" {
  description = "ARN of that security group (for the role's network-interface permission)."
  value       = module.security_group.arn
}

output "settings" {
  description = "The function's runtime, architecture, tracing, reserved concurrency, failure destination and log group settings."
  value = {
    runtime              = aws_lambda_function.this.runtime
    architectures        = aws_lambda_function.this.architectures
    tracing_mode         = one(aws_lambda_function.this.tracing_config).mode
    reserved_concurrency = aws_lambda_function.this.reserved_concurrent_executions
    on_failure           = one(one(aws_lambda_function_event_invoke_config.this.destination_config).on_failure).destination
    schedule             = aws_cloudwatch_event_rule.drain.schedule_expression
    environment          = one(aws_lambda_function.this.environment).variables
    log_retention_days   = aws_cloudwatch_log_group.this.retention_in_days
    log_kms_key_id       = aws_cloudwatch_log_group.this.kms_key_id
    dlq_kms_key_id       = aws_sqs_queue.dead_letters.kms_master_key_id
  }
}
