output "id" {
  description = "Name of the bucket."
  value       = aws_s3_bucket.this.id
}

output "arn" {
  description = "ARN of the bucket."
  value       = aws_s3_bucket.this.arn
}

output "regional_domain_name" {
  description = "Regional domain name of the bucket."
  value       = aws_s3_bucket.this.bucket_regional_domain_name
}

output "policy" {
  description = "The bucket policy document (JSON), for review and tests."
  value       = local.policy
}

output "encryption" {
  description = "Default encryption of the bucket: algorithm and KMS key."
  value = {
    sse_algorithm      = one(one(aws_s3_bucket_server_side_encryption_configuration.this.rule).apply_server_side_encryption_by_default).sse_algorithm
    kms_master_key_id  = one(one(aws_s3_bucket_server_side_encryption_configuration.this.rule).apply_server_side_encryption_by_default).kms_master_key_id
    bucket_key_enabled = one(aws_s3_bucket_server_side_encryption_configuration.this.rule).bucket_key_enabled
  }
}

output "public_access_block" {
  description = "The four public access block settings of the bucket."
  value = {
    block_public_acls       = aws_s3_bucket_public_access_block.this.block_public_acls
    block_public_policy     = aws_s3_bucket_public_access_block.this.block_public_policy
    ignore_public_acls      = aws_s3_bucket_public_access_block.this.ignore_public_acls
    restrict_public_buckets = aws_s3_bucket_public_access_block.this.restrict_public_buckets
  }
}

output "versioning_status" {
  description = "Versioning status of the bucket."
  value       = one(aws_s3_bucket_versioning.this.versioning_configuration).status
}
