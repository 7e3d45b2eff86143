# Secrets as SSM Parameter Store SecureStrings under one prefix, encrypted by a customer managed
# KMS key. Task definitions and functions get the prefix, never a value.

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

resource "aws_ssm_parameter" "secure" {
  for_each = nonsensitive(toset(keys(var.secure_values)))

  name        = "${var.prefix}/${each.key}"
  description = "Wellbase secret ${each.key} (SecureString, read by the application's IAM role)"
  type        = "SecureString"
  tier        = "Standard"
  key_id      = var.kms_key_arn
  value       = var.secure_values[each.key]
  tags        = var.tags
}

resource "aws_ssm_parameter" "placeholder" {
  for_each = var.placeholder_names

  name        = "${var.prefix}/${each.key}"
  description = "Wellbase secret ${each.key} (SecureString; set with wellbase secret put)"
  type        = "SecureString"
  tier        = "Standard"
  key_id      = var.kms_key_arn
  value       = "unset"
  tags        = var.tags

  lifecycle {
    ignore_changes = [value]
  }
}

locals {
  # IAM resource of the parameters under the prefix (the path ARN without the leading slash).
  path_arn = "arn:${data.aws_partition.current.partition}:ssm:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:parameter${var.prefix}"
}
