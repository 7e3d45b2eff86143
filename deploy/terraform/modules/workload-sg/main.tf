# The security group of a Wellbase workload (API tasks, worker tasks, the jobs function): out to
# the VPC endpoints, S3 and the database's private endpoint only, nothing to the internet. What may
# come in is the caller's to add (the API tasks admit the load balancer).

resource "aws_security_group" "this" {
  name        = var.name
  description = var.description
  vpc_id      = var.vpc_id
  tags        = merge(var.tags, { Name = var.name })
}

resource "aws_vpc_security_group_egress_rule" "endpoints" {
  security_group_id = aws_security_group.this.id
  description       = "HTTPS to the interface VPC endpoints (ECR, KMS, SSM, Logs, Lambda, STS, X-Ray)"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = var.vpc_cidr_block
}

resource "aws_vpc_security_group_egress_rule" "s3" {
  security_group_id = aws_security_group.this.id
  description       = "HTTPS to S3 through the gateway endpoint"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  prefix_list_id    = var.s3_prefix_list_id
}

resource "aws_vpc_security_group_egress_rule" "database" {
  security_group_id = aws_security_group.this.id
  description       = "MongoDB Atlas through its private endpoint in the VPC"
  ip_protocol       = "tcp"
  from_port         = var.database_port_range.from
  to_port           = var.database_port_range.to
  cidr_ipv4         = var.vpc_cidr_block
}
