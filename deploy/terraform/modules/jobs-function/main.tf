# The Lambda function that runs Wellbase's short jobs (decline fits, petrophysics) with the same
# handlers and leases as the ECS workers. A job reaches it two ways:
#   - the API task that queues a job invokes it asynchronously with {"job": {...}} (seconds);
#   - an EventBridge rule invokes it every minute; it then drains the queue of the jobs whose
#     dispatch was lost and of retries whose backoff has passed, and sweeps offboarded tenants.
# Failed asynchronous invocations (after Lambda's own retries) land in an encrypted SQS queue.

data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

resource "aws_cloudwatch_log_group" "this" {
  name              = "/aws/lambda/${var.name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
  tags              = var.tags
}

resource "aws_sqs_queue" "dead_letters" {
  name                              = "${var.name}-dead-letters"
  message_retention_seconds         = 1209600 # 14 days, the most SQS keeps
  kms_master_key_id                 = var.kms_key_arn
  kms_data_key_reuse_period_seconds = 3600
  tags                              = var.tags
}

resource "aws_sqs_queue_policy" "dead_letters" {
  queue_url = aws_sqs_queue.dead_letters.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "EventBridgeDeadLetters"
        Effect    = "Allow"
        Principal = { Service = "events.amazonaws.com" }
        Action    = ["sqs:SendMessage"]
        Resource  = [aws_sqs_queue.dead_letters.arn]
        Condition = { ArnEquals = { "aws:SourceArn" = aws_cloudwatch_event_rule.drain.arn } }
      },
      {
        Sid       = "DenyInsecureTransport"
        Effect    = "Deny"
        Principal = { AWS = "*" }
        Action    = ["sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage"]
        Resource  = [aws_sqs_queue.dead_letters.arn]
        Condition = { Bool = { "aws:SecureTransport" = "false" } }
      },
    ]
  })
}

module "security_group" {
  source = "../workload-sg"

  name                = var.name
  description         = "Jobs function: out to the VPC endpoints, S3 and the database endpoint only; nothing in"
  vpc_id              = var.vpc_id
  vpc_cidr_block      = var.vpc_cidr_block
  s3_prefix_list_id   = var.s3_prefix_list_id
  database_port_range = var.database_port_range
  tags                = var.tags
}

resource "aws_lambda_function" "this" {
  function_name     = var.name
  description       = "Wellbase short jobs (decline-fit, petrophysics): same handlers and leases as the workers"
  role              = var.role_arn
  runtime           = "provided.al2023"
  handler           = "bootstrap"
  architectures     = [var.architecture]
  s3_bucket         = var.package_s3_bucket
  s3_key            = var.package_s3_key
  s3_object_version = var.package_s3_object_version
  memory_size       = var.memory_mb
  timeout           = var.timeout_seconds
  # Room for a large curve set in /tmp (the data dir of the process).
  ephemeral_storage {
    size = 2048
  }

  reserved_concurrent_executions = var.reserved_concurrency

  environment {
    variables = merge(var.environment, { WELLBASE_DATA_DIR = "/tmp/wellbase" })
  }

  vpc_config {
    subnet_ids         = var.subnet_ids
    security_group_ids = [module.security_group.id]
  }

  tracing_config {
    mode = "Active"
  }

  logging_config {
    log_format = "Text"
    log_group  = aws_cloudwatch_log_group.this.name
  }

  tags = var.tags

  depends_on = [aws_cloudwatch_log_group.this]
}

# Asynchronous invocations (job dispatch, the schedule): Lambda retries a failed one twice; what
# still fails goes to the dead-letter queue with its event, so no job reference is lost silently
# (the job itself stays queued in the database and the next drain picks it up anyway).
resource "aws_lambda_function_event_invoke_config" "this" {
  function_name                = aws_lambda_function.this.function_name
  maximum_retry_attempts       = 2
  maximum_event_age_in_seconds = 3600

  destination_config {
    on_failure {
      destination = aws_sqs_queue.dead_letters.arn
    }
  }
}

resource "aws_cloudwatch_event_rule" "drain" {
  name                = "${var.name}-drain"
  description         = "Every minute: drain queued short jobs and sweep offboarded tenants"
  schedule_expression = var.drain_schedule
  tags                = var.tags
}

resource "aws_cloudwatch_event_target" "drain" {
  rule = aws_cloudwatch_event_rule.drain.name
  arn  = aws_lambda_function.this.arn

  retry_policy {
    maximum_retry_attempts       = 2
    maximum_event_age_in_seconds = 120
  }

  dead_letter_config {
    arn = aws_sqs_queue.dead_letters.arn
  }
}

resource "aws_lambda_permission" "drain" {
  statement_id   = "AllowDrainSchedule"
  action         = "lambda:InvokeFunction"
  function_name  = aws_lambda_function.this.function_name
  principal      = "events.amazonaws.com"
  source_arn     = aws_cloudwatch_event_rule.drain.arn
  source_account = data.aws_caller_identity.current.account_id
}
