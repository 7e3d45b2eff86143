# One Wellbase process kind (serve or worker) as a Fargate service: a read-only container
# running as the image's non-root user, JSON logs to an encrypted log group, tasks spread over
# the availability zones, rolling deployments that roll back by themselves when new tasks do
# not become healthy, and optional autoscaling.

data "aws_region" "current" {}

locals {
  container = "wellbase"
  data_dir  = "/var/lib/wellbase"

  container_definition = {
    name      = local.container
    image     = var.image
    essential = true
    command   = var.command
    # Locations only (see var.environment); WELLBASE_DATA_DIR is the writable scratch volume.
    environment = [for k, v in merge(var.environment, { WELLBASE_DATA_DIR = local.data_dir }) : { name = k, value = v }]
    portMappings = var.load_balancer == null ? [] : [{
      containerPort = var.load_balancer.container_port
      protocol      = "tcp"
    }]
    readonlyRootFilesystem = true
    linuxParameters = {
      initProcessEnabled = true
      capabilities       = { drop = ["ALL"] }
    }
    mountPoints = [
      { sourceVolume = "tmp", containerPath = "/tmp", readOnly = false },
      { sourceVolume = "data", containerPath = local.data_dir, readOnly = false },
    ]
    stopTimeout = var.stop_timeout
    healthCheck = var.health_check_command == null ? null : {
      command     = var.health_check_command
      interval    = 15
      timeout     = 5
      retries     = 3
      startPeriod = 30
    }
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.this.name
        awslogs-region        = data.aws_region.current.region
        awslogs-stream-prefix = "wellbase"
        # A slow log service never blocks the application; the buffer absorbs bursts.
        mode            = "non-blocking"
        max-buffer-size = "25m"
      }
    }
  }
}

resource "aws_cloudwatch_log_group" "this" {
  name              = var.log_group_name
  retention_in_days = var.log_retention_days
  kms_key_id        = var.log_kms_key_arn
  tags              = var.tags
}

module "security_group" {
  source = "../workload-sg"

  name                = var.name
  description         = "Tasks of ${var.name}: in from the load balancer only, out to the VPC endpoints, S3 and the database endpoint only"
  vpc_id              = var.vpc_id
  vpc_cidr_block      = var.vpc_cidr_block
  s3_prefix_list_id   = var.s3_prefix_list_id
  database_port_range = var.database_port_range
  tags                = var.tags
}

resource "aws_vpc_security_group_ingress_rule" "from_lb" {
  count = var.load_balancer == null ? 0 : 1

  security_group_id            = module.security_group.id
  description                  = "Requests and health checks from the load balancer"
  ip_protocol                  = "tcp"
  from_port                    = var.load_balancer.container_port
  to_port                      = var.load_balancer.container_port
  referenced_security_group_id = var.load_balancer.security_group_id
}

resource "aws_ecs_task_definition" "this" {
  family                   = var.name
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.cpu
  memory                   = var.memory
  task_role_arn            = var.task_role_arn
  execution_role_arn       = var.execution_role_arn
  container_definitions    = jsonencode([{ for k, v in local.container_definition : k => v if v != null }])

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = var.cpu_architecture
  }

  ephemeral_storage {
    size_in_gib = var.ephemeral_storage_gib
  }

  volume {
    name = "tmp"
  }

  volume {
    name = "data"
  }

  tags = var.tags
}

resource "aws_ecs_service" "this" {
  name                               = var.name
  cluster                            = var.cluster_arn
  task_definition                    = aws_ecs_task_definition.this.arn
  desired_count                      = var.desired_count
  platform_version                   = "LATEST"
  deployment_minimum_healthy_percent = 100
  deployment_maximum_percent         = 200
  enable_execute_command             = false
  enable_ecs_managed_tags            = true
  propagate_tags                     = "SERVICE"
  health_check_grace_period_seconds  = var.load_balancer == null ? null : 30
  # Tasks are moved back into a zone that was lost and has recovered.
  availability_zone_rebalancing = "ENABLED"

  capacity_provider_strategy {
    capacity_provider = "FARGATE"
    base              = min(var.desired_count, 2)
    weight            = 1
  }

  dynamic "capacity_provider_strategy" {
    for_each = var.spot_weight > 0 ? [var.spot_weight] : []
    content {
      capacity_provider = "FARGATE_SPOT"
      weight            = capacity_provider_strategy.value
    }
  }

  network_configuration {
    subnets          = var.subnet_ids
    security_groups  = [module.security_group.id]
    assign_public_ip = false
  }

  # A deployment whose new tasks do not become healthy stops and rolls back to the last
  # working task definition, by itself.
  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  dynamic "load_balancer" {
    for_each = var.load_balancer == null ? [] : [var.load_balancer]
    content {
      target_group_arn = load_balancer.value.target_group_arn
      container_name   = local.container
      container_port   = load_balancer.value.container_port
    }
  }

  tags = var.tags

  lifecycle {
    # Autoscaling owns the running count once the service exists.
    ignore_changes = [desired_count]
  }
}

resource "aws_appautoscaling_target" "this" {
  count = var.autoscaling == null ? 0 : 1

  service_namespace  = "ecs"
  resource_id        = "service/${var.cluster_name}/${aws_ecs_service.this.name}"
  scalable_dimension = "ecs:service:DesiredCount"
  min_capacity       = var.autoscaling.min_count
  max_capacity       = var.autoscaling.max_count
}

resource "aws_appautoscaling_policy" "cpu" {
  count = var.autoscaling == null ? 0 : 1

  name               = "${var.name}-cpu"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.this[0].service_namespace
  resource_id        = aws_appautoscaling_target.this[0].resource_id
  scalable_dimension = aws_appautoscaling_target.this[0].scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value       = var.autoscaling.cpu_target_percent
    scale_in_cooldown  = var.autoscaling.scale_in_cooldown_secs
    scale_out_cooldown = var.autoscaling.scale_out_cooldown_secs

    predefined_metric_specification {
      predefined_metric_type = "ECSServiceAverageCPUUtilization"
    }
  }
}

resource "aws_appautoscaling_policy" "requests" {
  count = var.autoscaling != null && var.load_balancer != null ? 1 : 0

  name               = "${var.name}-requests"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.this[0].service_namespace
  resource_id        = aws_appautoscaling_target.this[0].resource_id
  scalable_dimension = aws_appautoscaling_target.this[0].scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value       = var.autoscaling.requests_per_target
    scale_in_cooldown  = var.autoscaling.scale_in_cooldown_secs
    scale_out_cooldown = var.autoscaling.scale_out_cooldown_secs

    predefined_metric_specification {
      predefined_metric_type = "ALBRequestCountPerTarget"
      resource_label         = "${var.load_balancer.lb_arn_suffix}/${var.load_balancer.target_group_arn_suffix}"
    }
  }
}
