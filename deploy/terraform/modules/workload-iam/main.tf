# The IAM roles of Wellbase's workloads, each with exactly what its code calls:
#   api     ECS tasks of `wellbase serve`
#   worker  ECS tasks of `wellbase worker` (long jobs)
#   jobs    the Lambda function of short jobs
#   execution  ECS itself, pulling the image and writing the container logs
# None of them can read another prefix than tenants/ in the files bucket, decrypt a data key
# without naming its tenant, or read another parameter path than the environment's.

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  partition = data.aws_partition.current.partition
  region    = data.aws_region.current.region
  account   = data.aws_caller_identity.current.account_id

  jobs_function_arn = "arn:${local.partition}:lambda:${local.region}:${local.account}:function:${var.jobs_function_name}"

  ecs_trust = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ecs-tasks.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = {
        StringEquals = { "aws:SourceAccount" = local.account }
        ArnLike      = { "aws:SourceArn" = "arn:${local.partition}:ecs:${local.region}:${local.account}:*" }
      }
    }]
  })

  lambda_trust = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = { StringEquals = { "aws:SourceAccount" = local.account } }
    }]
  })

  # Reading the environment's secrets (every process reads the database URL at start-up).
  read_secrets = {
    Sid      = "ReadSecrets"
    Effect   = "Allow"
    Action   = ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath"]
    Resource = [var.parameters_path_arn, "${var.parameters_path_arn}/*"]
  }

  # What every Wellbase process does: tenant files, tenant data keys, configuration secrets.
  app_statements = [
    {
      Sid      = "TenantObjects"
      Effect   = "Allow"
      Action   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"]
      Resource = ["${var.files_bucket_arn}/tenants/*"]
    },
    {
      Sid      = "ListTenantPrefixes"
      Effect   = "Allow"
      Action   = ["s3:ListBucket"]
      Resource = [var.files_bucket_arn]
      # Listing only under tenants/ (the start-up check lists tenants/ too).
      Condition = {
        StringLike = { "s3:prefix" = ["tenants/*"] }
      }
    },
    {
      # The sweep of uploads a killed process left unfinished (files.Store.SweepStaged).
      Sid      = "UnfinishedUploads"
      Effect   = "Allow"
      Action   = ["s3:ListBucketMultipartUploads"]
      Resource = [var.files_bucket_arn]
    },
    {
      # Data keys are wrapped and unwrapped one tenant at a time: the encryption context must
      # name exactly a tenant and the data-key use (internal/keyring).
      Sid      = "TenantDataKeys"
      Effect   = "Allow"
      Action   = ["kms:Encrypt", "kms:Decrypt"]
      Resource = [var.root_key_arn]
      Condition = {
        StringEquals                = { "kms:EncryptionContext:wellbase:use" = "data-key" }
        StringLike                  = { "kms:EncryptionContext:wellbase:tenant" = "?*" }
        "ForAllValues:StringEquals" = { "kms:EncryptionContextKeys" = ["wellbase:tenant", "wellbase:use"] }
      }
    },
    {
      # S3 default encryption (SSE-KMS) of the files bucket, through S3 only.
      Sid      = "FilesBucketEncryption"
      Effect   = "Allow"
      Action   = ["kms:Decrypt", "kms:GenerateDataKey"]
      Resource = [var.platform_key_arn]
      Condition = {
        StringEquals = {
          "kms:ViaService"                   = "s3.${local.region}.amazonaws.com"
          "kms:EncryptionContext:aws:s3:arn" = var.files_bucket_arn
        }
      }
    },
    {
      # SecureStrings of the environment's prefix, decrypted through SSM only.
      Sid      = "SecretDecryption"
      Effect   = "Allow"
      Action   = ["kms:Decrypt"]
      Resource = [var.platform_key_arn]
      Condition = {
        StringEquals = { "kms:ViaService" = "ssm.${local.region}.amazonaws.com" }
        StringLike   = { "kms:EncryptionContext:PARAMETER_ARN" = "${var.parameters_path_arn}/*" }
      }
    },
    local.read_secrets,
  ]
}

# ---------------------------------------------------------------- ECS task execution

resource "aws_iam_role" "execution" {
  name               = "${var.name}-ecs-execution"
  description        = "ECS pulls the Wellbase image and writes container logs"
  assume_role_policy = local.ecs_trust
  tags               = var.tags
}

resource "aws_iam_role_policy" "execution" {
  name = "pull-image-write-logs"
  role = aws_iam_role.execution.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "PullImage"
        Effect   = "Allow"
        Action   = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"]
        Resource = [var.image_repository_arn]
      },
      {
        # ecr:GetAuthorizationToken has no resource-level permissions: AWS requires "*".
        Sid      = "RegistryLogin"
        Effect   = "Allow"
        Action   = ["ecr:GetAuthorizationToken"]
        Resource = ["*"] # tfsec:ignore:aws-iam-no-policy-wildcards GetAuthorizationToken supports no resource-level permission
      },
      {
        Sid      = "ContainerLogs"
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = [for arn in var.service_log_group_arns : "${arn}:log-stream:*"] # tfsec:ignore:aws-iam-no-policy-wildcards one stream per task, named at run time, in these log groups only
      },
    ]
  })
}

# ---------------------------------------------------------------- API (wellbase serve)

resource "aws_iam_role" "api" {
  name               = "${var.name}-api"
  description        = "Wellbase API tasks (wellbase serve)"
  assume_role_policy = local.ecs_trust
  tags               = var.tags
}

resource "aws_iam_role_policy" "api" {
  name = "wellbase-api"
  role = aws_iam_role.api.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat(local.app_statements, [{
      # Short jobs are handed to the jobs function as they are queued.
      Sid      = "DispatchJobs"
      Effect   = "Allow"
      Action   = ["lambda:InvokeFunction"]
      Resource = [local.jobs_function_arn]
    }])
  })
}

# ---------------------------------------------------------------- worker (wellbase worker)

resource "aws_iam_role" "worker" {
  name               = "${var.name}-worker"
  description        = "Wellbase worker tasks (long jobs: large log parses, exports, re-encryption)"
  assume_role_policy = local.ecs_trust
  tags               = var.tags
}

resource "aws_iam_role_policy" "worker" {
  name = "wellbase-worker"
  role = aws_iam_role.worker.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = local.app_statements
  })
}

# ---------------------------------------------------------------- jobs function (Lambda)

resource "aws_iam_role" "jobs" {
  name               = "${var.name}-jobs"
  description        = "Wellbase jobs function (short jobs: decline fits, petrophysics)"
  assume_role_policy = local.lambda_trust
  tags               = var.tags
}

resource "aws_iam_role_policy" "jobs" {
  name = "wellbase-jobs"
  role = aws_iam_role.jobs.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat(local.app_statements, [
      {
        Sid      = "FunctionLogs"
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = ["${var.jobs_log_group_arn}:log-stream:*"] # tfsec:ignore:aws-iam-no-policy-wildcards streams of this one log group, named by Lambda at run time
      },
      {
        Sid      = "DeadLetters"
        Effect   = "Allow"
        Action   = ["sqs:SendMessage"]
        Resource = [var.jobs_dead_letter_queue_arn]
      },
      {
        Sid      = "DeadLetterEncryption"
        Effect   = "Allow"
        Action   = ["kms:GenerateDataKey", "kms:Decrypt"]
        Resource = [var.platform_key_arn]
        Condition = {
          StringEquals = { "kms:ViaService" = "sqs.${local.region}.amazonaws.com" }
        }
      },
      {
        # The function's network interfaces, in its own subnets and security groups only.
        Sid    = "NetworkInterfaces"
        Effect = "Allow"
        Action = ["ec2:CreateNetworkInterface"]
        Resource = concat(
          ["arn:${local.partition}:ec2:${local.region}:${local.account}:network-interface/*"], # tfsec:ignore:aws-iam-no-policy-wildcards interface IDs are chosen by EC2 at creation
          var.jobs_subnet_arns,
          var.jobs_security_group_arns,
        )
      },
      {
        Sid      = "NetworkInterfaceCleanup"
        Effect   = "Allow"
        Action   = ["ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"]
        Resource = ["arn:${local.partition}:ec2:${local.region}:${local.account}:network-interface/*"] # tfsec:ignore:aws-iam-no-policy-wildcards interface IDs are chosen by EC2 at creation
      },
      {
        # Describe calls and X-Ray segments support no resource-level permissions.
        Sid      = "DescribeAndTrace"
        Effect   = "Allow"
        Action   = ["ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups", "xray:PutTraceSegments", "xray:PutTelemetryRecords"]
        Resource = ["*"] # tfsec:ignore:aws-iam-no-policy-wildcards these actions support no resource-level permission
      },
    ])
  })
}

# ---------------------------------------------------------------- operator bootstrap (one-off tasks)

# The role of a one-off task that creates a platform operator (`wellbase operator create
# --token-secret bootstrap/...`): it reads the database URL like the API does and writes the new
# token as a SecureString under <prefix>/bootstrap/, where an administrator reads and deletes it.
# The token never reaches the task's logs.
resource "aws_iam_role" "operator_bootstrap" {
  name               = "${var.name}-operator-bootstrap"
  description        = "One-off ECS task that creates a platform operator and stores its token in SSM"
  assume_role_policy = local.ecs_trust
  tags               = var.tags
}

resource "aws_iam_role_policy" "operator_bootstrap" {
  name = "wellbase-operator-bootstrap"
  role = aws_iam_role.operator_bootstrap.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      local.read_secrets,
      {
        Sid      = "WriteBootstrapTokens"
        Effect   = "Allow"
        Action   = ["ssm:PutParameter"]
        Resource = ["${var.parameters_path_arn}/bootstrap/*"]
      },
      {
        Sid      = "SecretEncryption"
        Effect   = "Allow"
        Action   = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"]
        Resource = [var.platform_key_arn]
        Condition = {
          StringEquals = { "kms:ViaService" = "ssm.${local.region}.amazonaws.com" }
          StringLike   = { "kms:EncryptionContext:PARAMETER_ARN" = "${var.parameters_path_arn}/*" }
        }
      },
    ]
  })
}
