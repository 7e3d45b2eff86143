# State in the versioned, KMS-encrypted bucket that deploy/terraform/bootstrap creates, locked
# with a lock file next to it (S3 conditional writes: no DynamoDB table). The bucket, Region and
# key are given at init (backend.hcl, see backend.hcl.example), so this file names no account:
#
#   tofu init -backend-config=backend.hcl
terraform {
  backend "s3" {
    key          = "wellbase/prod/terraform.tfstate"
    encrypt      = true
    use_lockfile = true
  }
}
