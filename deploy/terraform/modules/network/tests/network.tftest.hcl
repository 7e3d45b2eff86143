mock_provider "aws" {
  mock_data "aws_region" {
    defaults = { region = "eu-north-1" }
  }
}

variables {
  name                 = "wellbase-test"
  availability_zones   = ["eu-north-1a", "eu-north-1b", "eu-north-1c"]
  flow_log_kms_key_arn = "arn:aws:kms:eu-north-1:111122223333:key/0b1d2c3e-4f50-6172-8394-a5b6c7d8e9f0"
}

run "private_subnets_over_three_zones_and_no_internet" {
  assert {
    condition     = length(aws_subnet.private) == 3 && length(distinct(aws_subnet.private[*].availability_zone)) == 3
    error_message = "One private subnet per zone."
  }

  assert {
    condition     = alltrue([for s in aws_subnet.private : !s.map_public_ip_on_launch])
    error_message = "No subnet may give public addresses."
  }

  assert {
    condition     = length(aws_nat_gateway.this) == 0 && length(aws_internet_gateway.this) == 0 && length(aws_subnet.public) == 0
    error_message = "Without nat_gateways, nothing leads to the internet."
  }

  assert {
    condition     = aws_vpc_endpoint.s3.vpc_endpoint_type == "Gateway" && contains(keys(aws_vpc_endpoint.interface), "kms") && contains(keys(aws_vpc_endpoint.interface), "ssm") && contains(keys(aws_vpc_endpoint.interface), "ecr.dkr") && contains(keys(aws_vpc_endpoint.interface), "logs")
    error_message = "S3, KMS, SSM, ECR and CloudWatch Logs must be reached through VPC endpoints."
  }

  assert {
    condition     = aws_flow_log.this.traffic_type == "ALL" && aws_cloudwatch_log_group.flow.kms_key_id == var.flow_log_kms_key_arn
    error_message = "Flow logs of all traffic must go to an encrypted log group."
  }
}

run "nat_per_zone" {
  variables {
    nat_gateways = "per_az"
  }

  assert {
    condition     = length(aws_nat_gateway.this) == 3 && length(aws_route.private_nat) == 3
    error_message = "per_az gives every zone its own NAT gateway and route."
  }
}

run "one_zone_is_refused" {
  command = plan

  variables {
    availability_zones = ["eu-north-1a"]
  }

  expect_failures = [var.availability_zones]
}
