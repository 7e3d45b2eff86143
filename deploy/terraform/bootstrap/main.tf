# What must exist before any environment and outlive its destruction: the Terraform state
# bucket, the image repository and the bucket of function packages, with their key. Recreating
# an environment after a disaster starts from these: no rebuild, no lost state.

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  account = data.aws_caller_identity.current.account_id
  root    = "arn:${data.aws_partition.current.partition}:iam::${local.account}:root"
  via_services = [
    "s3.${var.aws_region}.amazonaws.com",
    "ecr.${var.aws_region}.amazonaws.com",
  ]
}

module "key" {
  source = "../modules/kms-key"

  alias                 = "${var.name}-bootstrap"
  description           = "Wellbase shared: Terraform state, images, function packages"
  administrator_arns    = var.key_administrator_arns
  deletion_allowed_arns = var.key_deletion_allowed_arns

  statements = [
    {
      # tofu reads and writes state, CI pushes images and packages: through S3 and ECR only.
      sid        = "UseThroughS3AndECR"
      actions    = ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"]
      principals = { type = "AWS", identifiers = [local.root] }
      conditions = [{ test = "StringEquals", variable = "kms:ViaService", values = local.via_services }]
    },
    {
      # ECR encrypts a repository's layers under a grant it creates for itself.
      sid        = "ECRGrants"
      actions    = ["kms:CreateGrant"]
      principals = { type = "AWS", identifiers = [local.root] }
      conditions = [
        { test = "StringEquals", variable = "kms:ViaService", values = ["ecr.${var.aws_region}.amazonaws.com"] },
        { test = "Bool", variable = "kms:GrantIsForAWSResource", values = ["true"] },
      ]
    },
  ]
}

module "access_logs" {
  source = "../modules/log-bucket"

  name = "${var.name}-access-logs-${var.bucket_suffix}"
  source_bucket_arns = [
    "arn:${data.aws_partition.current.partition}:s3:::${var.name}-tfstate-${var.bucket_suffix}",
    "arn:${data.aws_partition.current.partition}:s3:::${var.name}-artifacts-${var.bucket_suffix}",
  ]
}

module "state" {
  source = "../modules/s3-bucket"

  name        = "${var.name}-tfstate-${var.bucket_suffix}"
  kms_key_arn = module.key.arn
  access_log  = { bucket = module.access_logs.id, prefix = "tfstate/" }
  # State history is what lets a broken apply be undone: keep old versions a year.
  noncurrent_version_expiration_days = 365
}

module "artifacts" {
  source = "../modules/s3-bucket"

  name                               = "${var.name}-artifacts-${var.bucket_suffix}"
  kms_key_arn                        = module.key.arn
  access_log                         = { bucket = module.access_logs.id, prefix = "artifacts/" }
  noncurrent_version_expiration_days = 90
}

module "images" {
  source = "../modules/ecr-repository"

  name        = var.name
  kms_key_arn = module.key.arn
}
