mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = { account_id = "111122223333" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
}

variables {
  alias       = "wellbase-test-root"
  description = "test key"
  statements = [{
    sid        = "TenantDataKeysOnly"
    actions    = ["kms:Encrypt", "kms:Decrypt"]
    principals = { type = "AWS", identifiers = ["arn:aws:iam::111122223333:role/app"] }
    conditions = [
      { test = "StringEquals", variable = "kms:EncryptionContext:wellbase:use", values = ["data-key"] },
      { test = "StringLike", variable = "kms:EncryptionContext:wellbase:tenant", values = ["?*"] },
    ]
  }]
}

run "rotation_and_separation_of_duties" {
  assert {
    condition     = aws_kms_key.this.enable_key_rotation && aws_kms_key.this.deletion_window_in_days == 30
    error_message = "The key must rotate and have a 30-day deletion window by default."
  }

  assert {
    condition     = aws_kms_alias.this.name == "alias/wellbase-test-root"
    error_message = "The alias must carry the alias/ prefix once."
  }

  assert {
    condition = alltrue([for s in jsondecode(local.policy).Statement :
    !(s.Sid == "KeyAdministration" && (contains(s.Action, "kms:Decrypt") || contains(s.Action, "kms:CreateGrant") || contains(s.Action, "kms:Encrypt")))])
    error_message = "Administrators must not be able to use the key or create grants."
  }

  assert {
    condition     = one([for s in jsondecode(local.policy).Statement : s.Principal.AWS if s.Sid == "KeyAdministration"]) == ["arn:aws:iam::111122223333:root"]
    error_message = "Without administrator_arns, the account administers the key."
  }

  assert {
    condition = one([for s in jsondecode(local.policy).Statement : s if s.Sid == "TenantDataKeysOnly"]).Condition == {
      StringEquals = { "kms:EncryptionContext:wellbase:use" = ["data-key"] }
      StringLike   = { "kms:EncryptionContext:wellbase:tenant" = ["?*"] }
    }
    error_message = "Conditions of a usage statement must be grouped by test."
  }

  assert {
    condition = anytrue([for s in jsondecode(local.policy).Statement :
    s.Effect == "Deny" && contains(s.Action, "kms:ScheduleKeyDeletion") && s.Principal.AWS == "*" && !can(s.Condition)])
    error_message = "Without break-glass principals, scheduling deletion is denied to everyone."
  }
}

run "break_glass_may_delete" {
  variables {
    deletion_allowed_arns = ["arn:aws:iam::111122223333:role/break-glass"]
  }

  assert {
    condition = one([for s in jsondecode(local.policy).Statement : s if s.Sid == "DenyDeletionToOthers"]).Condition == {
      ArnNotEquals = { "aws:PrincipalArn" = ["arn:aws:iam::111122223333:role/break-glass"] }
    }
    error_message = "The deny must spare the break-glass principals only."
  }
}

run "wildcard_actions_are_refused" {
  command = plan

  variables {
    statements = [{ sid = "Everything", actions = ["kms:*"], principals = { type = "AWS", identifiers = ["arn:aws:iam::111122223333:role/app"] } }]
  }

  expect_failures = [var.statements]
}

run "short_rotation_is_refused" {
  command = plan

  variables {
    rotation_period_in_days = 30
  }

  expect_failures = [var.rotation_period_in_days]
}
