# Alarms on what users and tenants feel (errors, latency, jobs not running or failing, tasks not
# healthy), an encrypted SNS topic for them, and one dashboard.

data "aws_region" "current" {}

resource "aws_sns_topic" "alarms" {
  name              = "${var.name}-alarms"
  kms_master_key_id = var.kms_key_arn
  tags              = var.tags
}

resource "aws_sns_topic_subscription" "email" {
  for_each = toset(var.alarm_emails)

  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = each.value
}

locals {
  actions = [aws_sns_topic.alarms.arn]
  alb_dimensions = {
    LoadBalancer = var.alb_arn_suffix
    TargetGroup  = var.target_group_arn_suffix
  }
}

# Share of requests answered 5xx by the tasks or the load balancer, over 5 minutes.
resource "aws_cloudwatch_metric_alarm" "error_rate" {
  alarm_name          = "${var.name}-api-5xx-rate"
  alarm_description   = "More than ${var.thresholds.error_rate_percent}% of API requests answered 5xx over 5 minutes (tasks and load balancer)."
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.thresholds.error_rate_percent
  evaluation_periods  = 1
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.actions
  ok_actions          = local.actions

  metric_query {
    id          = "rate"
    expression  = "100 * (FILL(target5xx, 0) + FILL(elb5xx, 0)) / IF(requests > 0, requests, 1)"
    label       = "5xx %"
    return_data = true
  }

  metric_query {
    id = "target5xx"
    metric {
      namespace   = "AWS/ApplicationELB"
      metric_name = "HTTPCode_Target_5XX_Count"
      dimensions  = { LoadBalancer = var.alb_arn_suffix }
      period      = 300
      stat        = "Sum"
    }
  }

  metric_query {
    id = "elb5xx"
    metric {
      namespace   = "AWS/ApplicationELB"
      metric_name = "HTTPCode_ELB_5XX_Count"
      dimensions  = { LoadBalancer = var.alb_arn_suffix }
      period      = 300
      stat        = "Sum"
    }
  }

  metric_query {
    id = "requests"
    metric {
      namespace   = "AWS/ApplicationELB"
      metric_name = "RequestCount"
      dimensions  = { LoadBalancer = var.alb_arn_suffix }
      period      = 300
      stat        = "Sum"
    }
  }

  tags = var.tags
}

resource "aws_cloudwatch_metric_alarm" "gateway_5xx" {
  alarm_name          = "${var.name}-gateway-5xx"
  alarm_description   = "API Gateway answered 5xx (integration failures: VPC link, load balancer unreachable) in 3 of 5 minutes."
  namespace           = "AWS/ApiGateway"
  metric_name         = "5xx"
  dimensions          = { ApiId = var.api_gateway_id, Stage = "$default" }
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 5
  datapoints_to_alarm = 3
  threshold           = 5
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.actions
  ok_actions          = local.actions
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "p99_latency" {
  alarm_name          = "${var.name}-api-p99-latency"
  alarm_description   = "p99 of the API tasks' response time above ${var.thresholds.p99_latency_seconds} s for 5 minutes."
  namespace           = "AWS/ApplicationELB"
  metric_name         = "TargetResponseTime"
  dimensions          = local.alb_dimensions
  extended_statistic  = "p99"
  period              = 60
  evaluation_periods  = 5
  datapoints_to_alarm = 5
  threshold           = var.thresholds.p99_latency_seconds
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.actions
  ok_actions          = local.actions
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "unhealthy_tasks" {
  alarm_name          = "${var.name}-api-unhealthy-tasks"
  alarm_description   = "An API task failed its /readyz health check for 3 minutes."
  namespace           = "AWS/ApplicationELB"
  metric_name         = "UnHealthyHostCount"
  dimensions          = local.alb_dimensions
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 3
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.actions
  ok_actions          = local.actions
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "healthy_tasks" {
  alarm_name          = "${var.name}-api-healthy-tasks-low"
  alarm_description   = "Fewer than ${var.api_min_tasks} healthy API tasks for 3 minutes: one more failure is an outage."
  namespace           = "AWS/ApplicationELB"
  metric_name         = "HealthyHostCount"
  dimensions          = local.alb_dimensions
  statistic           = "Minimum"
  period              = 60
  evaluation_periods  = 3
  threshold           = var.api_min_tasks
  comparison_operator = "LessThanThreshold"
  treat_missing_data  = "breaching"
  alarm_actions       = local.actions
  ok_actions          = local.actions
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "worker_tasks" {
  alarm_name          = "${var.name}-worker-tasks-low"
  alarm_description   = "No worker task running for 3 minutes: long jobs (large log parses, exports, re-encryption) wait."
  namespace           = "ECS/ContainerInsights"
  metric_name         = "RunningTaskCount"
  dimensions          = { ClusterName = var.cluster_name, ServiceName = var.worker_service_name }
  statistic           = "Minimum"
  period              = 60
  evaluation_periods  = 3
  threshold           = 1
  comparison_operator = "LessThanThreshold"
  treat_missing_data  = "breaching"
  alarm_actions       = local.actions
  ok_actions          = local.actions
  tags                = var.tags
}

# Jobs that failed for good (after their retries), by the workers and the jobs function.
resource "aws_cloudwatch_metric_alarm" "job_failures" {
  alarm_name          = "${var.name}-job-failures"
  alarm_description   = "More than ${var.thresholds.job_failures} jobs failed for good (retries used up) in 5 minutes."
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.thresholds.job_failures
  evaluation_periods  = 1
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.actions
  ok_actions          = local.actions

  metric_query {
    id          = "failed"
    expression  = "FILL(worker, 0) + FILL(lambda, 0) + FILL(api, 0)"
    label       = "jobs failed"
    return_data = true
  }

  dynamic "metric_query" {
    for_each = { worker = "worker", lambda = "jobs-lambda", api = "api" }
    content {
      id = metric_query.key
      metric {
        namespace   = var.metrics_namespace
        metric_name = "JobsFailed"
        dimensions  = { Service = metric_query.value }
        period      = 300
        stat        = "Sum"
      }
    }
  }

  tags = var.tags
}

# A job waiting long means no worker or function is taking jobs (or a tenant's limit holds it).
resource "aws_cloudwatch_metric_alarm" "oldest_queued_job" {
  alarm_name          = "${var.name}-oldest-queued-job"
  alarm_description   = "The oldest runnable queued job has waited more than ${var.thresholds.oldest_queued_job_ss} s (or no API task reports the queue)."
  namespace           = var.metrics_namespace
  metric_name         = "QueueOldestAge"
  dimensions          = { Service = "api" }
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 3
  datapoints_to_alarm = 3
  threshold           = var.thresholds.oldest_queued_job_ss
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "breaching"
  alarm_actions       = local.actions
  ok_actions          = local.actions
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "jobs_function_errors" {
  alarm_name          = "${var.name}-jobs-function-errors"
  alarm_description   = "The jobs function failed invocations (not job failures: the function itself) or was throttled, in 3 of 5 minutes."
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  evaluation_periods  = 5
  datapoints_to_alarm = 3
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.actions
  ok_actions          = local.actions

  metric_query {
    id          = "bad"
    expression  = "FILL(errors, 0) + FILL(throttles, 0)"
    label       = "errors + throttles"
    return_data = true
  }

  dynamic "metric_query" {
    for_each = { errors = "Errors", throttles = "Throttles" }
    content {
      id = metric_query.key
      metric {
        namespace   = "AWS/Lambda"
        metric_name = metric_query.value
        dimensions  = { FunctionName = var.jobs_function_name }
        period      = 60
        stat        = "Sum"
      }
    }
  }

  tags = var.tags
}

resource "aws_cloudwatch_metric_alarm" "dead_letters" {
  alarm_name          = "${var.name}-jobs-dead-letters"
  alarm_description   = "Invocations of the jobs function failed after Lambda's retries and wait in the dead-letter queue."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = var.dead_letter_queue_name }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.actions
  ok_actions          = local.actions
  tags                = var.tags
}

resource "aws_cloudwatch_dashboard" "this" {
  dashboard_name = var.name
  dashboard_body = jsonencode({
    widgets = [
      {
        type = "metric", x = 0, y = 0, width = 12, height = 6
        properties = {
          title  = "API requests and 5xx"
          region = data.aws_region.current.region
          stat   = "Sum"
          period = 60
          metrics = [
            ["AWS/ApplicationELB", "RequestCount", "LoadBalancer", var.alb_arn_suffix],
            [".", "HTTPCode_Target_5XX_Count", ".", "."],
            [".", "HTTPCode_ELB_5XX_Count", ".", "."],
            ["AWS/ApiGateway", "4xx", "ApiId", var.api_gateway_id, "Stage", "$default"],
          ]
        }
      },
      {
        type = "metric", x = 12, y = 0, width = 12, height = 6
        properties = {
          title  = "API latency (s)"
          region = data.aws_region.current.region
          period = 60
          metrics = [
            ["AWS/ApplicationELB", "TargetResponseTime", "LoadBalancer", var.alb_arn_suffix, "TargetGroup", var.target_group_arn_suffix, { stat = "p50" }],
            ["...", { stat = "p99" }],
          ]
          annotations = { horizontal = [{ label = "p99 alarm", value = var.thresholds.p99_latency_seconds }] }
        }
      },
      {
        type = "metric", x = 0, y = 6, width = 12, height = 6
        properties = {
          title  = "Tasks"
          region = data.aws_region.current.region
          period = 60
          metrics = [
            ["AWS/ApplicationELB", "HealthyHostCount", "LoadBalancer", var.alb_arn_suffix, "TargetGroup", var.target_group_arn_suffix, { stat = "Minimum" }],
            [".", "UnHealthyHostCount", ".", ".", ".", ".", { stat = "Maximum" }],
            ["ECS/ContainerInsights", "RunningTaskCount", "ClusterName", var.cluster_name, "ServiceName", var.api_service_name, { stat = "Minimum" }],
            ["...", var.worker_service_name, { stat = "Minimum" }],
          ]
        }
      },
      {
        type = "metric", x = 12, y = 6, width = 12, height = 6
        properties = {
          title  = "Jobs"
          region = data.aws_region.current.region
          period = 300
          stat   = "Sum"
          metrics = [
            [var.metrics_namespace, "JobsSucceeded", "Service", "jobs-lambda"],
            ["...", "worker"],
            [".", "JobsFailed", ".", "jobs-lambda"],
            ["...", "worker"],
            [".", "JobsRetried", ".", "jobs-lambda"],
            ["...", "worker"],
          ]
        }
      },
      {
        type = "metric", x = 0, y = 12, width = 12, height = 6
        properties = {
          title  = "Queue"
          region = data.aws_region.current.region
          period = 60
          metrics = [
            [var.metrics_namespace, "QueueDepth", "Service", "api", { stat = "Maximum" }],
            [".", "QueueOldestAge", ".", ".", { stat = "Maximum", yAxis = "right" }],
          ]
          annotations = { horizontal = [{ label = "oldest job alarm", value = var.thresholds.oldest_queued_job_ss, yAxis = "right" }] }
        }
      },
      {
        type = "metric", x = 12, y = 12, width = 12, height = 6
        properties = {
          title  = "Jobs function"
          region = data.aws_region.current.region
          period = 60
          stat   = "Sum"
          metrics = [
            ["AWS/Lambda", "Invocations", "FunctionName", var.jobs_function_name],
            [".", "Errors", ".", "."],
            [".", "Throttles", ".", "."],
            [".", "Duration", ".", ".", { stat = "p99", yAxis = "right" }],
            ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", var.dead_letter_queue_name, { stat = "Maximum" }],
          ]
        }
      },
    ]
  })
}
