output "arn" {
  description = "ARN of the key."
  value       = aws_kms_key.this.arn
}

output "key_id" {
  description = "ID of the key."
  value       = aws_kms_key.this.key_id
}

output "alias_name" {
  description = "The alias with its alias/ prefix, as applications and aws_kms_* resources name the key."
  value       = aws_kms_alias.this.name
}

output "alias_arn" {
  description = "ARN of the alias."
  value       = aws_kms_alias.this.arn
}

output "policy" {
  description = "The key policy document (JSON), for review and tests."
  value       = local.policy
}

output "rotation_enabled" {
  description = "Whether automatic rotation of the key material is on (always true)."
  value       = aws_kms_key.this.enable_key_rotation
}

output "deletion_window_in_days" {
  description = "Days between a scheduled deletion and the destruction of the key."
  value       = aws_kms_key.this.deletion_window_in_days
}
