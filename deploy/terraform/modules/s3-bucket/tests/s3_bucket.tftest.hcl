mock_provider "aws" {
  mock_resource "aws_s3_bucket" {
    defaults = { arn = "arn:aws:s3:::wellbase-test-files" }
  }
}

variables {
  name        = "wellbase-test-files"
  kms_key_arn = "arn:aws:kms:eu-north-1:111122223333:key/0b1d2c3e-4f50-6172-8394-a5b6c7d8e9f0"
  access_log  = { bucket = "wellbase-test-access-logs", prefix = "files/" }
}

run "private_encrypted_versioned_tls_only" {
  assert {
    condition = alltrue([
      aws_s3_bucket_public_access_block.this.block_public_acls,
      aws_s3_bucket_public_access_block.this.block_public_policy,
      aws_s3_bucket_public_access_block.this.ignore_public_acls,
      aws_s3_bucket_public_access_block.this.restrict_public_buckets,
    ])
    error_message = "All public access must be blocked."
  }

  assert {
    condition     = output.encryption.sse_algorithm == "aws:kms" && output.encryption.kms_master_key_id == var.kms_key_arn && output.encryption.bucket_key_enabled
    error_message = "Objects must be encrypted with the given KMS key, with bucket keys."
  }

  assert {
    condition     = output.versioning_status == "Enabled"
    error_message = "Versioning must be on."
  }

  assert {
    condition = anytrue([for s in jsondecode(aws_s3_bucket_policy.this.policy).Statement :
      s.Effect == "Deny" && s.Condition == { Bool = { "aws:SecureTransport" = "false" } } &&
    contains(s.Resource, "arn:aws:s3:::wellbase-test-files/*")])
    error_message = "Requests without TLS must be denied on the bucket and its objects."
  }

  assert {
    condition     = aws_s3_bucket_logging.this[0].target_bucket == "wellbase-test-access-logs" && aws_s3_bucket_logging.this[0].target_prefix == "files/"
    error_message = "Access logs must go to the named log bucket and prefix."
  }
}

run "bad_name_is_refused" {
  command = plan

  variables {
    name = "Wellbase_Files"
  }

  expect_failures = [var.name]
}
