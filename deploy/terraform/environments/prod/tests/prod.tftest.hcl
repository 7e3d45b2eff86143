# The design rules of the production environment, asserted on what Terraform would create.
# Providers are mocked (no AWS or Atlas account): every computed value is a made-up one, except
# the few defaults below that must look like the real thing for validations to apply.

mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = { account_id = "111122223333", arn = "arn:aws:iam::111122223333:user/ci", user_id = "AIDAEXAMPLE" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws", dns_suffix = "amazonaws.com" }
  }
  mock_data "aws_region" {
    defaults = { region = "eu-north-1", name = "eu-north-1" }
  }
  mock_resource "aws_kms_key" {
    defaults = { arn = "arn:aws:kms:eu-north-1:111122223333:key/0b1d2c3e-4f50-6172-8394-a5b6c7d8e9f0", key_id = "0b1d2c3e-4f50-6172-8394-a5b6c7d8e9f0" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::111122223333:role/mock-workload" }
  }
  mock_resource "aws_vpc_endpoint" {
    defaults = { id = "vpce-0a1b2c3d4e5f60718" }
  }
}

mock_provider "aws" {
  alias = "dr"
}

mock_provider "mongodbatlas" {
  mock_data "mongodbatlas_advanced_cluster" {
    defaults = {
      connection_strings = [{
        private      = ""
        private_srv  = ""
        standard     = "mongodb://wellbase-shard-00-00.ab1cd.mongodb.net:27017"
        standard_srv = "mongodb+srv://wellbase.ab1cd.mongodb.net"
        private_endpoint = [{
          type                                  = "MONGOD"
          connection_string                     = "mongodb://pl-0-eu-north-1.ab1cd.mongodb.net:1024"
          srv_connection_string                 = "mongodb+srv://wellbase-pl-0.ab1cd.mongodb.net"
          srv_shard_optimized_connection_string = ""
          endpoints                             = [{ endpoint_id = "vpce-0a1b2c3d4e5f60718", provider_name = "AWS", region = "EU_NORTH_1" }]
        }]
      }]
    }
  }
}

variables {
  files_bucket_name     = "wellbase-prod-files-111122223333"
  image_repository_url  = "111122223333.dkr.ecr.eu-north-1.amazonaws.com/wellbase"
  image_tag             = "0123abc"
  lambda_package_bucket = "wellbase-artifacts-111122223333-eu-north-1"
  lambda_package_key    = "wellbase-lambda/0123abc.zip"
  certificate_arn       = "arn:aws:acm:eu-north-1:111122223333:certificate/00000000-0000-0000-0000-000000000000"
  alb_tls_server_name   = "api-internal.wellbase.example.com"
  atlas_org_id          = "0123456789abcdef01234567"
}

run "design_rules" {
  assert {
    condition     = length(distinct(module.network.private_subnet_azs)) >= 2
    error_message = "The private subnets must span at least two availability zones."
  }

  assert {
    condition     = module.api.desired_count >= 2 && module.api.subnet_ids == toset(module.network.private_subnet_ids)
    error_message = "The API service must run at least two tasks over at least two zones' subnets."
  }

  assert {
    condition     = module.api.circuit_breaker.enable && module.api.circuit_breaker.rollback && module.worker.circuit_breaker.rollback
    error_message = "Deployments must stop and roll back by themselves when new tasks fail."
  }

  assert {
    condition = alltrue(flatten([for defs in [module.api.container_definitions, module.worker.container_definitions] : [
      for e in jsondecode(defs)[0].environment : !can(regex("(?i)(PASSWORD|PASSWD|PWD|SECRET|TOKEN|CREDENTIAL|PRIVATE|APIKEY|API_KEY|ACCESS_KEY)", e.name)) && !can(regex("://[^/@]+:[^/@]+@", e.value))
    ]]))
    error_message = "A container environment carries a secret-looking name or a URL with credentials."
  }

  assert {
    condition = alltrue([for defs in [module.api.container_definitions, module.worker.container_definitions] :
    jsondecode(defs)[0].readonlyRootFilesystem && contains(jsondecode(defs)[0].command, "--secrets")])
    error_message = "Containers must have a read-only root file system and get the secret store as a location."
  }

  assert {
    condition     = alltrue([for k, v in module.jobs.settings.environment : !can(regex("(?i)(PASSWORD|TOKEN|CREDENTIAL|PRIVATE|APIKEY|ACCESS_KEY)", k)) && !can(regex("://[^/@]+:[^/@]+@", v))])
    error_message = "The function's environment carries a secret-looking name or a URL with credentials."
  }

  assert {
    condition     = module.root_key.rotation_enabled && module.platform_key.rotation_enabled && module.root_key.deletion_window_in_days == 30
    error_message = "KMS keys must rotate, and the root key must have the longest deletion window."
  }

  assert {
    condition = anytrue([for s in jsondecode(module.root_key.policy).Statement :
      s.Effect == "Allow" && contains(s.Action, "kms:Decrypt") &&
      try(s.Condition.StringEquals["kms:EncryptionContext:wellbase:use"], null) == ["data-key"] &&
    try(s.Condition.StringLike["kms:EncryptionContext:wellbase:tenant"], null) == ["?*"]])
    error_message = "The root key may be used only with an encryption context naming a tenant."
  }

  assert {
    condition = alltrue([for s in jsondecode(module.root_key.policy).Statement :
    s.Effect == "Deny" || !contains(flatten([s.Action]), "kms:ScheduleKeyDeletion")])
    error_message = "Nobody but break-glass principals may schedule the root key's deletion."
  }

  assert {
    condition     = module.files.encryption.sse_algorithm == "aws:kms" && module.files.encryption.kms_master_key_id == module.platform_key.arn
    error_message = "The tenant files bucket must be encrypted with the platform KMS key."
  }

  assert {
    condition     = alltrue(values(module.files.public_access_block)) && module.files.versioning_status == "Enabled"
    error_message = "The tenant files bucket must block all public access and keep versions."
  }

  assert {
    condition = anytrue([for s in jsondecode(module.files.policy).Statement :
    s.Effect == "Deny" && try(s.Condition.Bool["aws:SecureTransport"], "") == "false"])
    error_message = "The tenant files bucket must refuse requests without TLS."
  }

  assert {
    condition = alltrue([for lg in [module.api.log_group, module.worker.log_group, module.network.flow_log_group] :
    lg.kms_key_id == module.platform_key.arn && lg.retention_in_days > 0])
    error_message = "Every log group must be KMS-encrypted and have a retention."
  }

  assert {
    condition = (module.jobs.settings.log_kms_key_id == module.platform_key.arn && module.jobs.settings.log_retention_days > 0 &&
    module.api_gateway.stage_settings.log_kms_key_id == module.platform_key.arn && module.api_gateway.stage_settings.log_retention_days > 0)
    error_message = "The function's and the API Gateway's log groups must be KMS-encrypted with a retention."
  }

  assert {
    condition     = module.atlas.backup.backup_enabled && module.atlas.backup.pit_enabled && module.atlas.backup.restore_window_days >= 1
    error_message = "Atlas must have continuous backup with point-in-time restore."
  }

  assert {
    condition     = module.atlas.electable_nodes == 3
    error_message = "Atlas must run three electable nodes (three availability zones)."
  }

  assert {
    condition = alltrue(flatten([for name, doc in module.iam.policies : [
      for s in jsondecode(doc).Statement : [for a in flatten([s.Action]) : a != "*" && !endswith(a, ":*")]
    ]]))
    error_message = "An IAM statement allows every action (\"*\" or \"service:*\")."
  }

  assert {
    condition = alltrue([for name, doc in module.iam.policies : alltrue([
      for s in jsondecode(doc).Statement : !contains(flatten([s.Resource]), "*") || s.Sid == "RegistryLogin" || s.Sid == "DescribeAndTrace"
    ])])
    error_message = "Only the actions AWS offers no resource-level permission for may name Resource \"*\"."
  }

  assert {
    condition     = length([for s in jsondecode(module.iam.policies.api).Statement : s if contains(flatten([s.Action]), "lambda:InvokeFunction")]) == 1 && length([for s in jsondecode(module.iam.policies.worker).Statement : s if contains(flatten([s.Action]), "lambda:InvokeFunction")]) == 0
    error_message = "Only the API tasks may invoke the jobs function."
  }

  assert {
    condition     = module.jobs.settings.runtime == "provided.al2023" && module.jobs.settings.architectures == tolist(["arm64"]) && module.jobs.settings.tracing_mode == "Active"
    error_message = "The jobs function must run the provided.al2023 runtime on arm64 with active tracing."
  }

  assert {
    condition     = module.jobs.settings.reserved_concurrency >= 1 && module.jobs.settings.on_failure == module.jobs.dead_letter_queue_arn && module.jobs.settings.dlq_kms_key_id == module.platform_key.arn
    error_message = "The jobs function needs reserved concurrency and an encrypted on-failure destination."
  }

  assert {
    condition     = module.api_gateway.stage_settings.throttling_rate_limit > 0 && module.api_gateway.stage_settings.access_log_destination != null
    error_message = "The API Gateway stage must throttle and write access logs."
  }

  assert {
    condition     = length(module.monitoring.alarm_names) >= 8
    error_message = "The alarms (5xx rate, p99 latency, job failures, oldest queued job, unhealthy tasks ...) must exist."
  }

  assert {
    condition     = alltrue([for name, type in module.secrets.types : startswith(name, "/wellbase/prod/") && type == "SecureString"])
    error_message = "Secrets must be SecureStrings under the environment's SSM prefix."
  }

  assert {
    condition     = strcontains(module.atlas.database_url, "authMechanism=MONGODB-AWS") && !strcontains(module.atlas.database_url, "@")
    error_message = "The database URL must authenticate with the workloads' IAM roles and carry no password."
  }
}

run "one_api_task_is_refused" {
  command = plan

  variables {
    api_desired_count = 1
  }

  expect_failures = [var.api_desired_count]
}

run "one_zone_is_refused" {
  command = plan

  variables {
    availability_zones = ["eu-north-1a"]
  }

  expect_failures = [var.availability_zones]
}

run "latest_tag_is_refused" {
  command = plan

  variables {
    image_tag = "latest"
  }

  expect_failures = [var.image_tag]
}
