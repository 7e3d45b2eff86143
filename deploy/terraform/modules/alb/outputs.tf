output "arn" {
  description = "ARN of the load balancer."
  value       = aws_lb.this.arn
}

output "arn_suffix" {
  description = "ARN suffix of the load balancer (the LoadBalancer dimension of its CloudWatch metrics)."
  value       = aws_lb.this.arn_suffix
}

output "dns_name" {
  description = "Internal DNS name of the load balancer."
  value       = aws_lb.this.dns_name
}

output "listener_arn" {
  description = "ARN of the HTTPS listener (the API Gateway integration's target)."
  value       = aws_lb_listener.https.arn
}

output "target_group_arn" {
  description = "ARN of the API target group."
  value       = aws_lb_target_group.api.arn
}

output "target_group_arn_suffix" {
  description = "ARN suffix of the target group (the TargetGroup dimension of its CloudWatch metrics)."
  value       = aws_lb_target_group.api.arn_suffix
}

output "security_group_id" {
  description = "Security group of the load balancer (the API tasks accept traffic from it only)."
  value       = aws_security_group.this.id
}
