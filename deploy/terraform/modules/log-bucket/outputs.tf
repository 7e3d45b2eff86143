output "id" {
  description = "Name of the bucket (the target_bucket of the source buckets' logging)."
  value       = aws_s3_bucket.this.id
}

output "arn" {
  description = "ARN of the bucket."
  value       = aws_s3_bucket.this.arn
}
