# Credentials never appear here: the AWS provider takes them from the environment of whoever
# runs tofu (SSO profile, CI role), the Atlas provider from MONGODB_ATLAS_CLIENT_ID and
# MONGODB_ATLAS_CLIENT_SECRET (a service account of the Atlas organisation).

provider "aws" {
  region = var.aws_region

  default_tags {
    tags = local.tags
  }
}

# The disaster-recovery Region: the replica of the root key lives there.
provider "aws" {
  alias  = "dr"
  region = var.dr_region

  default_tags {
    tags = local.tags
  }
}

provider "mongodbatlas" {}
