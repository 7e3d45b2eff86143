mock_provider "aws" {
  mock_data "aws_region" {
    defaults = { region = "eu-north-1" }
  }
}

variables {
  name               = "wellbase-test-api"
  cluster_arn        = "arn:aws:ecs:eu-north-1:111122223333:cluster/wellbase-test"
  cluster_name       = "wellbase-test"
  image              = "111122223333.dkr.ecr.eu-north-1.amazonaws.com/wellbase:0123abc"
  command            = ["serve", "--workers", "0", "--secrets", "awsparamstore:///wellbase/test?region=eu-north-1"]
  environment        = { WELLBASE_METRICS_NAMESPACE = "Wellbase/test", WELLBASE_JOB_FUNCTION = "awslambda:///wellbase-test-jobs?region=eu-north-1" }
  subnet_ids         = ["subnet-aaaa", "subnet-bbbb"]
  vpc_id             = "vpc-1234"
  vpc_cidr_block     = "10.40.0.0/16"
  s3_prefix_list_id  = "pl-1234"
  task_role_arn      = "arn:aws:iam::111122223333:role/api"
  execution_role_arn = "arn:aws:iam::111122223333:role/execution"
  log_group_name     = "/wellbase/test/api"
  log_kms_key_arn    = "arn:aws:kms:eu-north-1:111122223333:key/0b1d2c3e-4f50-6172-8394-a5b6c7d8e9f0"
  autoscaling        = { min_count = 2, max_count = 6 }
  load_balancer = {
    target_group_arn        = "arn:aws:elasticloadbalancing:eu-north-1:111122223333:targetgroup/api/1"
    target_group_arn_suffix = "targetgroup/api/1"
    lb_arn_suffix           = "app/wellbase/1"
    security_group_id       = "sg-alb"
    container_port          = 8080
  }
}

run "hardened_spread_and_rolled_back" {
  assert {
    condition     = aws_ecs_service.this.desired_count == 2 && one(aws_ecs_service.this.deployment_circuit_breaker).rollback
    error_message = "Two tasks by default, and failed deployments roll back."
  }

  assert {
    condition = (jsondecode(aws_ecs_task_definition.this.container_definitions)[0].readonlyRootFilesystem &&
    jsondecode(aws_ecs_task_definition.this.container_definitions)[0].linuxParameters.capabilities.drop == ["ALL"])
    error_message = "The container must run read-only with every capability dropped."
  }

  assert {
    condition     = contains([for e in jsondecode(aws_ecs_task_definition.this.container_definitions)[0].environment : e.name], "WELLBASE_DATA_DIR")
    error_message = "The data dir must point at the writable volume."
  }

  assert {
    condition     = aws_cloudwatch_log_group.this.kms_key_id == var.log_kms_key_arn && aws_cloudwatch_log_group.this.retention_in_days == 90
    error_message = "Logs must be encrypted and kept 90 days by default."
  }

  assert {
    condition     = length(aws_appautoscaling_policy.requests) == 1 && aws_appautoscaling_target.this[0].min_capacity == 2
    error_message = "A service behind a load balancer scales on CPU and on requests per target."
  }

  assert {
    condition     = !one(aws_ecs_service.this.network_configuration).assign_public_ip
    error_message = "Tasks get no public address."
  }
}

run "secret_in_environment_is_refused" {
  command = plan

  variables {
    environment = { DATABASE_PASSWORD = "hunter2" }
  }

  expect_failures = [var.environment]
}

run "credentials_in_url_are_refused" {
  command = plan

  variables {
    environment = { WELLBASE_DATABASE = "mongodb://wellbase:hunter2@db.example.com/wellbase" }
  }

  expect_failures = [var.environment]
}

run "implicit_latest_is_refused" {
  command = plan

  variables {
    image = "111122223333.dkr.ecr.eu-north-1.amazonaws.com/wellbase"
  }

  expect_failures = [var.image]
}
