terraform {
  required_version = ">= 1.10"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "6.25.0"
    }
  }

  # The state of this root is local at first (it creates the state bucket); after the first
  # apply, move it into the bucket: uncomment, then `tofu init -migrate-state
  # -backend-config=../environments/prod/backend.hcl -backend-config=key=wellbase/bootstrap/terraform.tfstate`.
  # backend "s3" {
  #   encrypt      = true
  #   use_lockfile = true
  # }
}

provider "aws" {
  region = var.aws_region

  default_tags {
    tags = {
      Application = "wellbase"
      Environment = "shared"
      ManagedBy   = "terraform"
    }
  }
}
