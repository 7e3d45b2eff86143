output "prefix" {
  description = "The path prefix, as given."
  value       = var.prefix
}

output "path_arn" {
  description = "ARN of the prefix itself (for ssm:GetParametersByPath)."
  value       = local.path_arn
}

output "parameters_arn" {
  description = "ARN pattern of every parameter under the prefix (for ssm:GetParameter)."
  value       = "${local.path_arn}/*"
}

output "names" {
  description = "Full names of the parameters this module manages."
  value       = concat([for p in aws_ssm_parameter.secure : p.name], [for p in aws_ssm_parameter.placeholder : p.name])
}

output "types" {
  description = "Type of each parameter by full name (all SecureString)."
  value = merge(
    { for p in aws_ssm_parameter.secure : p.name => p.type },
    { for p in aws_ssm_parameter.placeholder : p.name => p.type },
  )
}
