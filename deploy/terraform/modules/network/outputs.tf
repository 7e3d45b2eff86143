output "vpc_id" {
  description = "ID of the VPC."
  value       = aws_vpc.this.id
}

output "vpc_cidr_block" {
  description = "IPv4 CIDR of the VPC."
  value       = aws_vpc.this.cidr_block
}

output "private_subnet_ids" {
  description = "IDs of the private subnets, one per availability zone, in the order of var.availability_zones."
  value       = aws_subnet.private[*].id
}

output "private_subnet_azs" {
  description = "Availability zone of each private subnet."
  value       = aws_subnet.private[*].availability_zone
}

output "private_route_table_ids" {
  description = "IDs of the private route tables."
  value       = aws_route_table.private[*].id
}

output "s3_prefix_list_id" {
  description = "Prefix list of the S3 gateway endpoint, for security group egress rules to S3."
  value       = aws_vpc_endpoint.s3.prefix_list_id
}

output "endpoint_security_group_id" {
  description = "Security group of the interface endpoints."
  value       = aws_security_group.endpoints.id
}

output "interface_endpoints" {
  description = "Interface endpoint ID by service name."
  value       = { for k, v in aws_vpc_endpoint.interface : k => v.id }
}

output "flow_log_group" {
  description = "The flow log group's retention (days) and KMS key."
  value = {
    retention_in_days = aws_cloudwatch_log_group.flow.retention_in_days
    kms_key_id        = aws_cloudwatch_log_group.flow.kms_key_id
  }
}
