# Wellbase in one AWS account and Region: the whole production environment.
#
#   client ─► API Gateway (throttling, access logs) ─► VPC link ─► internal ALB (HTTPS, /readyz)
#          ─► ECS Fargate `serve` ×≥2 over the zones        ECS Fargate `worker` (long jobs)
#   job queue in MongoDB Atlas ─► Lambda `jobs` (short jobs: dispatched on enqueue, drained every minute)
#   S3 tenant files (SSE-KMS) · KMS root key (tenant in the encryption context) · SSM SecureStrings
#   CloudWatch logs, metrics (EMF), alarms, dashboard · Atlas over PrivateLink, IAM authentication
#
# Images and function packages come from deploy/terraform/bootstrap (ECR, artifacts bucket), so
# recreating this environment never needs a rebuild.

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  name      = "wellbase-${var.environment}"
  partition = data.aws_partition.current.partition
  account   = data.aws_caller_identity.current.account_id
  tags = {
    Application = "wellbase"
    Environment = var.environment
    ManagedBy   = "terraform"
  }

  ssm_prefix        = "/wellbase/${var.environment}"
  metrics_namespace = "Wellbase/${var.environment}"
  root_key_alias    = "${local.name}-root"
  jobs_function     = "${local.name}-jobs"
  image             = "${var.image_repository_url}:${var.image_tag}"

  # What every Wellbase process is told: where things are, never a secret. The database URL is
  # the database-url secret in the parameter store (Wellbase reads it there when no --database
  # is given). The tasks get the store locations as flags, the function (which has no command
  # line) as the equivalent WELLBASE_* variables.
  secrets_url    = "awsparamstore://${local.ssm_prefix}?region=${var.aws_region}"
  files_url      = "s3://${module.files.id}?region=${var.aws_region}"
  root_key_url   = "awskms:///alias/${local.root_key_alias}?region=${var.aws_region}"
  location_flags = ["--secrets", local.secrets_url, "--files", local.files_url, "--root-key", local.root_key_url]
  process_env = {
    WELLBASE_METRICS_NAMESPACE = local.metrics_namespace
    WELLBASE_LOG_LEVEL         = "info"
  }

  # The job types that outlive Lambda's 15 minutes or memory; the others go to the function.
  worker_job_types = "log-parse,tenant-export,data-key-reencrypt"

  log_group_arn = "arn:${local.partition}:logs:${var.aws_region}:${local.account}:log-group"
}

# ---------------------------------------------------------------- keys

# The platform key: S3 default encryption, SecureStrings, logs, queues, the alarm topic.
module "platform_key" {
  source = "../../modules/kms-key"

  alias                 = "${local.name}-platform"
  description           = "Wellbase ${var.environment}: S3, SSM SecureStrings, CloudWatch Logs, SQS, SNS"
  administrator_arns    = var.key_administrator_arns
  deletion_allowed_arns = var.key_deletion_allowed_arns
  tags                  = local.tags

  statements = [
    {
      sid        = "CloudWatchLogs"
      actions    = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:DescribeKey"]
      principals = { type = "Service", identifiers = ["logs.${var.aws_region}.amazonaws.com"] }
      conditions = [{ test = "ArnLike", variable = "kms:EncryptionContext:aws:logs:arn", values = ["${local.log_group_arn}:*"] }]
    },
    {
      sid        = "AlarmsToEncryptedTopic"
      actions    = ["kms:Decrypt", "kms:GenerateDataKey"]
      principals = { type = "Service", identifiers = ["cloudwatch.amazonaws.com"] }
      conditions = [{ test = "StringEquals", variable = "aws:SourceAccount", values = [local.account] }]
    },
    {
      sid        = "ScheduleDeadLetters"
      actions    = ["kms:Decrypt", "kms:GenerateDataKey"]
      principals = { type = "Service", identifiers = ["events.amazonaws.com"] }
      conditions = [{ test = "StringEquals", variable = "aws:SourceAccount", values = [local.account] }]
    },
    {
      sid        = "WorkloadsThroughServices"
      actions    = ["kms:Decrypt", "kms:GenerateDataKey"]
      principals = { type = "AWS", identifiers = concat(values(module.iam.workload_role_arns), [module.iam.operator_bootstrap_role_arn]) }
      conditions = [{ test = "StringEquals", variable = "kms:ViaService", values = ["s3.${var.aws_region}.amazonaws.com", "ssm.${var.aws_region}.amazonaws.com", "sqs.${var.aws_region}.amazonaws.com"] }]
    },
    {
      # The one-off operator task writes the new operator's token as a SecureString.
      sid        = "OperatorTokenThroughSSM"
      actions    = ["kms:Encrypt"]
      principals = { type = "AWS", identifiers = [module.iam.operator_bootstrap_role_arn] }
      conditions = [{ test = "StringEquals", variable = "kms:ViaService", values = ["ssm.${var.aws_region}.amazonaws.com"] }]
    },
    {
      # Whoever applies this configuration writes SecureStrings and reads state-like data
      # through these services only (IAM decides who that is).
      sid        = "DeployersThroughServices"
      actions    = ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"]
      principals = { type = "AWS", identifiers = ["arn:${local.partition}:iam::${local.account}:root"] }
      conditions = [{ test = "StringEquals", variable = "kms:ViaService", values = ["s3.${var.aws_region}.amazonaws.com", "ssm.${var.aws_region}.amazonaws.com", "sqs.${var.aws_region}.amazonaws.com", "sns.${var.aws_region}.amazonaws.com"] }]
    },
  ]
}

# The root key: wraps every tenant's data key. Usable only by the workloads and only with an
# encryption context that names a tenant (internal/keyring sends
# {"wellbase:tenant": <id>, "wellbase:use": "data-key"}), so CloudTrail shows which tenant each
# use served and no principal can unwrap one tenant's key as another's. Losing it loses every
# tenant's files: it is multi-Region with a replica in the DR Region, and deletion is denied to
# all but the break-glass principals.
module "root_key" {
  source = "../../modules/kms-key"

  alias                   = local.root_key_alias
  description             = "Wellbase ${var.environment}: root key wrapping the tenants' data keys"
  multi_region            = true
  deletion_window_in_days = 30
  administrator_arns      = var.key_administrator_arns
  deletion_allowed_arns   = var.key_deletion_allowed_arns
  tags                    = local.tags

  statements = [
    {
      sid        = "TenantDataKeysOnly"
      actions    = ["kms:Encrypt", "kms:Decrypt"]
      principals = { type = "AWS", identifiers = values(module.iam.workload_role_arns) }
      conditions = [
        { test = "StringEquals", variable = "kms:EncryptionContext:wellbase:use", values = ["data-key"] },
        { test = "StringLike", variable = "kms:EncryptionContext:wellbase:tenant", values = ["?*"] },
        { test = "ForAllValues:StringEquals", variable = "kms:EncryptionContextKeys", values = ["wellbase:tenant", "wellbase:use"] },
        { test = "Null", variable = "kms:EncryptionContext:wellbase:tenant", values = ["false"] },
      ]
    },
  ]
}

resource "aws_kms_replica_key" "root_dr" {
  provider = aws.dr

  description             = "Wellbase ${var.environment}: DR replica of the root key"
  primary_key_arn         = module.root_key.arn
  deletion_window_in_days = 30
  policy                  = module.root_key.policy
}

resource "aws_kms_alias" "root_dr" {
  provider = aws.dr

  name          = "alias/${local.root_key_alias}"
  target_key_id = aws_kms_replica_key.root_dr.key_id
}

# ---------------------------------------------------------------- network, files, secrets

module "network" {
  source = "../../modules/network"

  name                 = local.name
  cidr_block           = var.vpc_cidr_block
  availability_zones   = var.availability_zones
  nat_gateways         = var.nat_gateways
  flow_log_kms_key_arn = module.platform_key.arn
  tags                 = local.tags
}

module "files" {
  source = "../../modules/s3-bucket"

  name                               = var.files_bucket_name
  kms_key_arn                        = module.platform_key.arn
  noncurrent_version_expiration_days = 30
  access_log                         = { bucket = module.access_logs.id, prefix = "files/" }
  tags                               = local.tags
}

# Server access logs of the files bucket: every request, with the caller, for investigations.
module "access_logs" {
  source = "../../modules/log-bucket"

  name               = "${var.files_bucket_name}-access-logs"
  source_bucket_arns = ["arn:${local.partition}:s3:::${var.files_bucket_name}"]
  tags               = local.tags
}

module "secrets" {
  source = "../../modules/ssm-parameters"

  prefix      = local.ssm_prefix
  kms_key_arn = module.platform_key.arn
  # The Atlas URL carries no password (IAM authentication): Terraform may write it.
  secure_values = {
    database-url = coalesce(module.atlas.database_url, "unset: apply again once the Atlas private endpoint is available")
  }
  tags = local.tags
}

# ---------------------------------------------------------------- roles

module "iam" {
  source = "../../modules/workload-iam"

  name                       = local.name
  files_bucket_arn           = module.files.arn
  root_key_arn               = module.root_key.arn
  platform_key_arn           = module.platform_key.arn
  parameters_path_arn        = module.secrets.path_arn
  image_repository_arn       = "arn:${local.partition}:ecr:${var.aws_region}:${local.account}:repository/${element(split("/", var.image_repository_url), 1)}"
  service_log_group_arns     = [module.api.log_group_arn, module.worker.log_group_arn]
  jobs_function_name         = local.jobs_function
  jobs_log_group_arn         = module.jobs.log_group_arn
  jobs_dead_letter_queue_arn = module.jobs.dead_letter_queue_arn
  jobs_subnet_arns           = [for id in module.network.private_subnet_ids : "arn:${local.partition}:ec2:${var.aws_region}:${local.account}:subnet/${id}"]
  jobs_security_group_arns   = [module.jobs.security_group_arn]
  tags                       = local.tags
}

# ---------------------------------------------------------------- compute

module "cluster" {
  source = "../../modules/ecs-cluster"

  name = local.name
  tags = local.tags
}

module "alb" {
  source = "../../modules/alb"

  name                       = local.name
  vpc_id                     = module.network.vpc_id
  vpc_cidr_block             = module.network.vpc_cidr_block
  subnet_ids                 = module.network.private_subnet_ids
  ingress_security_group_ids = { vpc-link = module.api_gateway.vpc_link_security_group_id }
  certificate_arn            = var.certificate_arn
  deletion_protection        = var.deletion_protection
  tags                       = local.tags
}

module "api" {
  source = "../../modules/ecs-service"

  name         = "${local.name}-api"
  cluster_arn  = module.cluster.arn
  cluster_name = module.cluster.name
  image        = local.image
  # SIGTERM: /readyz turns 503 at once, requests are served 5 s more (--drain-delay), then in-flight
  # ones get 20 s (--shutdown-grace): 25 s, within the 30 s stop timeout.
  command              = concat(["serve", "--addr", ":8080", "--workers", "0", "--drain-delay", "5s", "--shutdown-grace", "20s"], local.location_flags)
  environment          = merge(local.process_env, { WELLBASE_JOB_FUNCTION = "awslambda:///${local.jobs_function}?region=${var.aws_region}" })
  cpu                  = 1024
  memory               = 2048
  cpu_architecture     = var.cpu_architecture
  desired_count        = var.api_desired_count
  autoscaling          = { min_count = var.api_desired_count, max_count = var.api_max_count }
  vpc_id               = module.network.vpc_id
  vpc_cidr_block       = module.network.vpc_cidr_block
  subnet_ids           = module.network.private_subnet_ids
  s3_prefix_list_id    = module.network.s3_prefix_list_id
  task_role_arn        = module.iam.api_role_arn
  execution_role_arn   = module.iam.execution_role_arn
  log_group_name       = "/wellbase/${var.environment}/api"
  log_retention_days   = var.log_retention_days
  log_kms_key_arn      = module.platform_key.arn
  health_check_command = ["CMD", "/usr/local/bin/wellbase", "healthcheck"]
  load_balancer = {
    target_group_arn        = module.alb.target_group_arn
    target_group_arn_suffix = module.alb.target_group_arn_suffix
    lb_arn_suffix           = module.alb.arn_suffix
    security_group_id       = module.alb.security_group_id
    container_port          = 8080
  }
  tags = local.tags
}

module "worker" {
  source = "../../modules/ecs-service"

  name                  = "${local.name}-worker"
  cluster_arn           = module.cluster.arn
  cluster_name          = module.cluster.name
  image                 = local.image
  command               = concat(["worker", "--job-types", local.worker_job_types, "--concurrency", "2", "--shutdown-grace", "110s"], local.location_flags)
  environment           = local.process_env
  cpu                   = 2048
  memory                = 8192
  ephemeral_storage_gib = 100
  cpu_architecture      = var.cpu_architecture
  desired_count         = var.worker_desired_count
  autoscaling           = { min_count = var.worker_desired_count, max_count = var.worker_max_count, cpu_target_percent = 70 }
  # Long jobs get 110 s after SIGTERM to finish (--shutdown-grace) before they are handed back.
  stop_timeout       = 120
  vpc_id             = module.network.vpc_id
  vpc_cidr_block     = module.network.vpc_cidr_block
  subnet_ids         = module.network.private_subnet_ids
  s3_prefix_list_id  = module.network.s3_prefix_list_id
  task_role_arn      = module.iam.worker_role_arn
  execution_role_arn = module.iam.execution_role_arn
  log_group_name     = "/wellbase/${var.environment}/worker"
  log_retention_days = var.log_retention_days
  log_kms_key_arn    = module.platform_key.arn
  tags               = local.tags
}

module "jobs" {
  source = "../../modules/jobs-function"

  name                      = local.jobs_function
  role_arn                  = module.iam.jobs_role_arn
  package_s3_bucket         = var.lambda_package_bucket
  package_s3_key            = var.lambda_package_key
  package_s3_object_version = var.lambda_package_version
  environment = merge(local.process_env, {
    WELLBASE_SECRETS  = local.secrets_url
    WELLBASE_FILES    = local.files_url
    WELLBASE_ROOT_KEY = local.root_key_url
  })
  reserved_concurrency = var.jobs_reserved_concurrency
  vpc_id               = module.network.vpc_id
  vpc_cidr_block       = module.network.vpc_cidr_block
  subnet_ids           = module.network.private_subnet_ids
  s3_prefix_list_id    = module.network.s3_prefix_list_id
  kms_key_arn          = module.platform_key.arn
  log_retention_days   = var.log_retention_days
  tags                 = local.tags
}

module "api_gateway" {
  source = "../../modules/api-gateway"

  name                   = local.name
  vpc_id                 = module.network.vpc_id
  subnet_ids             = module.network.private_subnet_ids
  alb_listener_arn       = module.alb.listener_arn
  alb_security_group_id  = module.alb.security_group_id
  tls_server_name        = var.alb_tls_server_name
  throttling_rate_limit  = var.api_throttling.rate
  throttling_burst_limit = var.api_throttling.burst
  log_kms_key_arn        = module.platform_key.arn
  log_retention_days     = var.log_retention_days
  custom_domain          = var.custom_domain
  tags                   = local.tags
}

# ---------------------------------------------------------------- database

module "atlas" {
  source = "../../modules/atlas"

  org_id                    = var.atlas_org_id
  project_name              = local.name
  region                    = var.atlas_region
  instance_size             = var.atlas_instance_size
  backup_copy_region        = var.atlas_backup_copy_region
  vpc_id                    = module.network.vpc_id
  aws_region                = var.aws_region
  subnet_ids                = module.network.private_subnet_ids
  client_security_group_ids = { api = module.api.security_group_id, worker = module.worker.security_group_id, jobs = module.jobs.security_group_id }
  iam_role_arns             = merge(module.iam.workload_role_arns, { operator-bootstrap = module.iam.operator_bootstrap_role_arn })
  termination_protection    = var.deletion_protection
  tags                      = local.tags
}

# ---------------------------------------------------------------- monitoring

module "monitoring" {
  source = "../../modules/monitoring"

  name                    = local.name
  metrics_namespace       = local.metrics_namespace
  kms_key_arn             = module.platform_key.arn
  alarm_emails            = var.alarm_emails
  alb_arn_suffix          = module.alb.arn_suffix
  target_group_arn_suffix = module.alb.target_group_arn_suffix
  api_gateway_id          = module.api_gateway.api_id
  cluster_name            = module.cluster.name
  api_service_name        = module.api.service_name
  worker_service_name     = module.worker.service_name
  api_min_tasks           = var.api_desired_count
  jobs_function_name      = module.jobs.function_name
  dead_letter_queue_name  = module.jobs.dead_letter_queue_name
  tags                    = local.tags
}
