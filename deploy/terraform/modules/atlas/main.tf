# MongoDB Atlas for Wellbase: a dedicated replica set of three electable nodes in one Region
# (Atlas puts them in three availability zones), continuous backup with point-in-time restore,
# reachable only through an AWS PrivateLink endpoint in the VPC, and database users that
# authenticate with the workloads' IAM roles (MONGODB-AWS): the database URL holds no password.

resource "mongodbatlas_project" "this" {
  name   = var.project_name
  org_id = var.org_id
}

resource "mongodbatlas_advanced_cluster" "this" {
  project_id                     = mongodbatlas_project.this.id
  name                           = var.cluster_name
  cluster_type                   = "REPLICASET"
  mongo_db_major_version         = var.mongodb_major_version
  backup_enabled                 = true
  pit_enabled                    = true
  termination_protection_enabled = var.termination_protection

  replication_specs {
    region_configs {
      provider_name = "AWS"
      region_name   = var.region
      priority      = 7

      electable_specs {
        instance_size = var.instance_size
        node_count    = 3
      }

      auto_scaling {
        disk_gb_enabled            = true
        compute_enabled            = var.auto_scaling_max_instance_size != null
        compute_scale_down_enabled = var.auto_scaling_max_instance_size != null
        compute_max_instance_size  = var.auto_scaling_max_instance_size
        compute_min_instance_size  = var.auto_scaling_max_instance_size == null ? null : var.instance_size
      }
    }
  }

  advanced_configuration {
    minimum_enabled_tls_protocol = "TLS1_2"
    javascript_enabled           = false
  }

  dynamic "tags" {
    for_each = var.tags
    content {
      key   = tags.key
      value = tags.value
    }
  }
}

resource "mongodbatlas_cloud_backup_schedule" "this" {
  project_id            = mongodbatlas_project.this.id
  cluster_name          = mongodbatlas_advanced_cluster.this.name
  reference_hour_of_day = 2
  restore_window_days   = var.pitr_window_days

  policy_item_daily {
    frequency_interval = 1
    retention_unit     = "days"
    retention_value    = var.snapshot_retention.daily_days
  }

  policy_item_weekly {
    frequency_interval = 7
    retention_unit     = "weeks"
    retention_value    = var.snapshot_retention.weekly_weeks
  }

  policy_item_monthly {
    frequency_interval = 1
    retention_unit     = "months"
    retention_value    = var.snapshot_retention.monthly_months
  }

  dynamic "copy_settings" {
    for_each = var.backup_copy_region == null ? [] : [var.backup_copy_region]
    content {
      cloud_provider     = "AWS"
      region_name        = copy_settings.value
      zone_id            = mongodbatlas_advanced_cluster.this.replication_specs[0].zone_id
      frequencies        = ["DAILY", "WEEKLY", "MONTHLY"]
      should_copy_oplogs = true
    }
  }
}

# ---------------------------------------------------------------- private networking

resource "mongodbatlas_privatelink_endpoint" "this" {
  project_id    = mongodbatlas_project.this.id
  provider_name = "AWS"
  region        = var.aws_region
}

resource "aws_security_group" "endpoint" {
  name        = "${var.project_name}-atlas-endpoint"
  description = "MongoDB Atlas private endpoint: the Wellbase workloads only"
  vpc_id      = var.vpc_id
  tags        = merge(var.tags, { Name = "${var.project_name}-atlas-endpoint" })
}

resource "aws_vpc_security_group_ingress_rule" "clients" {
  for_each = var.client_security_group_ids

  security_group_id            = aws_security_group.endpoint.id
  description                  = "MongoDB from the ${each.key} workload (Atlas PrivateLink ports)"
  ip_protocol                  = "tcp"
  from_port                    = 1024
  to_port                      = 65535
  referenced_security_group_id = each.value
}

resource "aws_vpc_endpoint" "atlas" {
  vpc_id              = var.vpc_id
  service_name        = mongodbatlas_privatelink_endpoint.this.endpoint_service_name
  vpc_endpoint_type   = "Interface"
  subnet_ids          = var.subnet_ids
  security_group_ids  = [aws_security_group.endpoint.id]
  private_dns_enabled = false
  tags                = merge(var.tags, { Name = "${var.project_name}-atlas" })
}

resource "mongodbatlas_privatelink_endpoint_service" "this" {
  project_id          = mongodbatlas_privatelink_endpoint.this.project_id
  private_link_id     = mongodbatlas_privatelink_endpoint.this.private_link_id
  endpoint_service_id = aws_vpc_endpoint.atlas.id
  provider_name       = "AWS"
}

# ---------------------------------------------------------------- database users (IAM)

resource "mongodbatlas_database_user" "iam" {
  for_each = var.iam_role_arns

  project_id         = mongodbatlas_project.this.id
  username           = each.value
  auth_database_name = "$external"
  aws_iam_type       = "ROLE"

  roles {
    role_name     = "readWrite"
    database_name = var.database_name
  }

  scopes {
    name = mongodbatlas_advanced_cluster.this.name
    type = "CLUSTER"
  }
}

# The cluster read again once the endpoint service is up: only then do its connection strings
# include the private endpoint's.
data "mongodbatlas_advanced_cluster" "this" {
  project_id = mongodbatlas_project.this.id
  name       = mongodbatlas_advanced_cluster.this.name

  depends_on = [mongodbatlas_privatelink_endpoint_service.this]
}

locals {
  # The private-endpoint SRV connection string of this endpoint (mongodb+srv://<host>).
  private_srv = try([
    for pe in data.mongodbatlas_advanced_cluster.this.connection_strings[0].private_endpoint : pe.srv_connection_string
    if anytrue([for e in pe.endpoints : e.endpoint_id == aws_vpc_endpoint.atlas.id])
  ][0], null)

  # MONGODB-AWS: the driver signs a request with the task's role credentials; no password.
  database_url = local.private_srv == null ? null : "${local.private_srv}/${var.database_name}?authSource=%24external&authMechanism=MONGODB-AWS&retryWrites=true&w=majority"
}
