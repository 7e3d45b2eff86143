output "state_bucket" {
  description = "Bucket of the environments' Terraform state (backend.hcl: bucket)."
  value       = module.state.id
}

output "key_alias" {
  description = "Alias of the bootstrap key (backend.hcl: kms_key_id)."
  value       = module.key.alias_name
}

output "artifacts_bucket" {
  description = "Bucket of the jobs function's packages (the environment's lambda_package_bucket)."
  value       = module.artifacts.id
}

output "image_repository_url" {
  description = "ECR repository of the Wellbase image (the environment's image_repository_url)."
  value       = module.images.repository_url
}
