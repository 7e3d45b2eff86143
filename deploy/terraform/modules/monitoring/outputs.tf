output "alarm_topic_arn" {
  description = "ARN of the SNS topic the alarms notify."
  value       = aws_sns_topic.alarms.arn
}

output "alarm_names" {
  description = "Names of the alarms."
  value = [
    aws_cloudwatch_metric_alarm.error_rate.alarm_name,
    aws_cloudwatch_metric_alarm.gateway_5xx.alarm_name,
    aws_cloudwatch_metric_alarm.p99_latency.alarm_name,
    aws_cloudwatch_metric_alarm.unhealthy_tasks.alarm_name,
    aws_cloudwatch_metric_alarm.healthy_tasks.alarm_name,
    aws_cloudwatch_metric_alarm.worker_tasks.alarm_name,
    aws_cloudwatch_metric_alarm.job_failures.alarm_name,
    aws_cloudwatch_metric_alarm.oldest_queued_job.alarm_name,
    aws_cloudwatch_metric_alarm.jobs_function_errors.alarm_name,
    aws_cloudwatch_metric_alarm.dead_letters.alarm_name,
  ]
}

output "dashboard_name" {
  description = "Name of the CloudWatch dashboard."
  value       = aws_cloudwatch_dashboard.this.dashboard_name
}
