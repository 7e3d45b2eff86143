output "api_id" {
  description = "ID of the HTTP API (the ApiId dimension of its CloudWatch metrics)."
  value       = aws_apigatewayv2_api.this.id
}

output "api_endpoint" {
  description = "Default endpoint of the API (https://<id>.execute-api.<region>.amazonaws.com), unless disabled by a custom domain."
  value       = aws_apigatewayv2_api.this.api_endpoint
}

output "stage_name" {
  description = "Name of the stage ($default)."
  value       = aws_apigatewayv2_stage.default.name
}

output "vpc_link_security_group_id" {
  description = "Security group of the VPC link (the load balancer admits it)."
  value       = aws_security_group.vpc_link.id
}

output "access_log_group_name" {
  description = "Log group of the access logs."
  value       = aws_cloudwatch_log_group.access.name
}

output "target_domain_name" {
  description = "Where the custom domain's DNS record must point (null without a custom domain)."
  value       = try(aws_apigatewayv2_domain_name.this[0].domain_name_configuration[0].target_domain_name, null)
}

output "stage_settings" {
  description = "Throttling and access-log destination of the stage."
  value = {
    throttling_rate_limit  = one(aws_apigatewayv2_stage.default.default_route_settings).throttling_rate_limit
    throttling_burst_limit = one(aws_apigatewayv2_stage.default.default_route_settings).throttling_burst_limit
    access_log_destination = one(aws_apigatewayv2_stage.default.access_log_settings).destination_arn
    log_retention_days     = aws_cloudwatch_log_group.access.retention_in_days
    log_kms_key_id         = aws_cloudwatch_log_group.access.kms_key_id
  }
}
