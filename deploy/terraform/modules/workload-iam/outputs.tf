output "execution_role_arn" {
  description = "ARN of the ECS task execution role."
  value       = aws_iam_role.execution.arn
}

output "api_role_arn" {
  description = "ARN of the API tasks' role."
  value       = aws_iam_role.api.arn
}

output "worker_role_arn" {
  description = "ARN of the worker tasks' role."
  value       = aws_iam_role.worker.arn
}

output "jobs_role_arn" {
  description = "ARN of the jobs function's role, once its policy is attached (Lambda checks at creation that the role may create network interfaces)."
  value       = aws_iam_role.jobs.arn

  depends_on = [aws_iam_role_policy.jobs]
}

output "operator_bootstrap_role_arn" {
  description = "ARN of the role of the one-off task that creates a platform operator (its token goes to <prefix>/bootstrap/ in SSM)."
  value       = aws_iam_role.operator_bootstrap.arn
}

output "workload_role_arns" {
  description = "ARNs of the three roles that run Wellbase code by workload (api, worker, jobs): the principals of the root key's usage statement and the Atlas database users."
  value       = { api = aws_iam_role.api.arn, worker = aws_iam_role.worker.arn, jobs = aws_iam_role.jobs.arn }
}

output "policies" {
  description = "The inline policy documents (JSON) by role, for review and tests."
  value = {
    execution = aws_iam_role_policy.execution.policy
    api       = aws_iam_role_policy.api.policy
    worker    = aws_iam_role_policy.worker.policy
    jobs      = aws_iam_role_policy.jobs.policy
    operator  = aws_iam_role_policy.operator_bootstrap.policy
  }
}
