data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  account_root = "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"
  admins       = length(var.administrator_arns) > 0 ? var.administrator_arns : [local.account_root]

  # Administration without use: the actions that manage the key, none that encrypt or decrypt
  # and none that create grants (a grant could hand out decryption without the conditions of
  # the usage statements).
  admin_actions = [
    "kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias",
    "kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListAliases",
    "kms:ListGrants", "kms:ListKeyPolicies", "kms:ListKeyRotations", "kms:ListResourceTags",
    "kms:EnableKey", "kms:EnableKeyRotation", "kms:DisableKeyRotation", "kms:RotateKeyOnDemand",
    "kms:PutKeyPolicy", "kms:UpdateKeyDescription", "kms:RevokeGrant", "kms:RetireGrant",
    "kms:TagResource", "kms:UntagResource", "kms:CancelKeyDeletion",
    "kms:ReplicateKey", "kms:UpdatePrimaryRegion",
  ]

  # Deletion protection: scheduling deletion and disabling are allowed to the break-glass
  # principals only, and explicitly denied to everybody else (an explicit deny wins over any
  # IAM policy of the account).
  protection_statements = [for s in [
    {
      enabled = length(var.deletion_allowed_arns) > 0
      value = {
        Sid       = "BreakGlassDeletion"
        Effect    = "Allow"
        Principal = { AWS = var.deletion_allowed_arns }
        Action    = ["kms:ScheduleKeyDeletion", "kms:DisableKey"]
        Resource  = "*"
        Condition = null
      }
    },
    {
      enabled = true
      value = {
        Sid       = "DenyDeletionToOthers"
        Effect    = "Deny"
        Principal = { AWS = "*" }
        Action    = ["kms:ScheduleKeyDeletion", "kms:DisableKey"]
        Resource  = "*"
        Condition = length(var.deletion_allowed_arns) > 0 ? {
          ArnNotEquals = { "aws:PrincipalArn" = var.deletion_allowed_arns }
        } : null
      }
    },
  ] : { for k, v in s.value : k => v if v != null } if s.enabled]

  usage_statements = [for s in var.statements : { for k, v in {
    Sid       = s.sid
    Effect    = s.effect
    Principal = { (s.principals.type) = s.principals.identifiers }
    Action    = s.actions
    Resource  = "*"
    Condition = length(s.conditions) == 0 ? null : {
      for test in distinct([for c in s.conditions : c.test]) : test => {
        for c in s.conditions : c.variable => c.values if c.test == test
      }
    }
  } : k => v if v != null }]

  # In a key policy, Resource "*" means this key and nothing else.
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat(
      [{
        Sid       = "KeyAdministration"
        Effect    = "Allow"
        Principal = { AWS = local.admins }
        Action    = local.admin_actions
        Resource  = "*"
      }],
      local.protection_statements,
      local.usage_statements,
    )
  })
}

resource "aws_kms_key" "this" {
  description             = var.description
  key_usage               = "ENCRYPT_DECRYPT"
  deletion_window_in_days = var.deletion_window_in_days
  enable_key_rotation     = true
  rotation_period_in_days = var.rotation_period_in_days
  multi_region            = var.multi_region
  policy                  = local.policy
  tags                    = var.tags
}

resource "aws_kms_alias" "this" {
  name          = "alias/${var.alias}"
  target_key_id = aws_kms_key.this.key_id
}
