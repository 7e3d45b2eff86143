variable "name" {
  description = "Name prefix of the network's resources, e.g. wellbase-prod."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.name))
    error_message = "name is 2-31 lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "cidr_block" {
  description = "IPv4 CIDR of the VPC. Private subnets get the first /20s, public ones the /24s at the top."
  type        = string
  default     = "10.40.0.0/16"

  validation {
    condition     = can(cidrhost(var.cidr_block, 0)) && tonumber(split("/", var.cidr_block)[1]) <= 18
    error_message = "cidr_block must be an IPv4 CIDR of /18 or larger."
  }
}

variable "availability_zones" {
  description = "Availability zones to spread the subnets over (at least two, so that losing one zone leaves the service up)."
  type        = list(string)

  validation {
    condition     = length(var.availability_zones) >= 2 && length(distinct(var.availability_zones)) == length(var.availability_zones)
    error_message = "At least two distinct availability zones are required: one zone must never be a single point of failure."
  }
}

variable "nat_gateways" {
  description = "Outbound internet for the private subnets: none (the default: every AWS service the tasks use is reached through VPC endpoints, and MongoDB Atlas through PrivateLink), single (one NAT gateway) or per_az (one per zone, no shared point of failure)."
  type        = string
  default     = "none"

  validation {
    condition     = contains(["none", "single", "per_az"], var.nat_gateways)
    error_message = "nat_gateways must be none, single or per_az."
  }
}

variable "interface_endpoints" {
  description = "AWS services reached through interface VPC endpoints (private DNS on), instead of NAT: ECR (image pulls), CloudWatch Logs, KMS, SSM, Lambda (job dispatch), STS, X-Ray. S3 always has a gateway endpoint."
  type        = list(string)
  default     = ["ecr.api", "ecr.dkr", "logs", "kms", "ssm", "lambda", "sts", "xray"]
}

variable "flow_log_kms_key_arn" {
  description = "KMS key ARN that encrypts the VPC flow log group."
  type        = string
}

variable "flow_log_retention_days" {
  description = "Days the VPC flow logs are kept."
  type        = number
  default     = 90

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.flow_log_retention_days)
    error_message = "flow_log_retention_days must be a retention CloudWatch Logs supports (1, 3, 5, 7, 14, 30, 60, 90, ... 3653)."
  }
}

variable "tags" {
  description = "Tags of every resource."
  type        = map(string)
  default     = {}
}
