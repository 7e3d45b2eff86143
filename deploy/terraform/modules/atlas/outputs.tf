output "project_id" {
  description = "ID of the Atlas project."
  value       = mongodbatlas_project.this.id
}

output "cluster_name" {
  description = "Name of the cluster."
  value       = mongodbatlas_advanced_cluster.this.name
}

output "database_url" {
  description = "The URL Wellbase connects with: the private-endpoint SRV string, the database, MONGODB-AWS authentication. It holds no password; it is still kept in SSM Parameter Store (database-url), where Wellbase looks for it. Null until the private endpoint is available."
  value       = local.database_url
}

output "endpoint_security_group_id" {
  description = "Security group of the private endpoint."
  value       = aws_security_group.endpoint.id
}

output "database_users" {
  description = "The IAM role ARNs that are database users."
  value       = { for k, u in mongodbatlas_database_user.iam : k => u.username }
}

output "backup" {
  description = "Backup settings of the cluster: continuous backup (point in time) and the restore window."
  value = {
    backup_enabled      = mongodbatlas_advanced_cluster.this.backup_enabled
    pit_enabled         = mongodbatlas_advanced_cluster.this.pit_enabled
    restore_window_days = mongodbatlas_cloud_backup_schedule.this.restore_window_days
  }
}

output "electable_nodes" {
  description = "Electable nodes of the cluster (three: one per availability zone)."
  value       = sum([for rc in mongodbatlas_advanced_cluster.this.replication_specs[0].region_configs : one(rc.electable_specs).node_count])
}
