output "api_endpoint" {
  description = "Where clients reach Wellbase (the API Gateway endpoint; or the custom domain, pointed at custom_domain_target)."
  value       = module.api_gateway.api_endpoint
}

output "custom_domain_target" {
  description = "DNS target of the custom domain (null without one)."
  value       = module.api_gateway.target_domain_name
}

output "cluster_name" {
  description = "ECS cluster."
  value       = module.cluster.name
}

output "api_service" {
  description = "ECS service of the API."
  value       = module.api.service_name
}

output "worker_service" {
  description = "ECS service of the workers."
  value       = module.worker.service_name
}

output "jobs_function" {
  description = "Lambda function of the short jobs."
  value       = module.jobs.function_name
}

output "files_bucket" {
  description = "Tenant files bucket."
  value       = module.files.id
}

output "root_key_alias" {
  description = "Alias of the root key (WELLBASE_ROOT_KEY=awskms:///<alias>)."
  value       = module.root_key.alias_name
}

output "root_key_arn" {
  description = "ARN of the root key (multi-Region primary)."
  value       = module.root_key.arn
}

output "root_key_replica_arn" {
  description = "ARN of the root key's replica in the DR Region."
  value       = aws_kms_replica_key.root_dr.arn
}

output "secrets_prefix" {
  description = "SSM prefix of the secrets (WELLBASE_SECRETS=awsparamstore://<prefix>)."
  value       = module.secrets.prefix
}

output "location_flags" {
  description = "The store locations every Wellbase process gets, as flags (for running wellbase commands by hand with an administrator's credentials, e.g. operator create)."
  value       = local.location_flags
}

output "atlas_project_id" {
  description = "Atlas project."
  value       = module.atlas.project_id
}

output "alarm_topic_arn" {
  description = "SNS topic of the alarms."
  value       = module.monitoring.alarm_topic_arn
}

output "dashboard" {
  description = "CloudWatch dashboard."
  value       = module.monitoring.dashboard_name
}

output "operator_bootstrap_role_arn" {
  description = "Task role of the one-off task that creates the first platform operator (deploy/README.md, step 4)."
  value       = module.iam.operator_bootstrap_role_arn
}

output "api_task_network" {
  description = "Subnets and security group of the API tasks, for one-off tasks (aws ecs run-task)."
  value       = { subnets = module.network.private_subnet_ids, security_group = module.api.security_group_id }
}
