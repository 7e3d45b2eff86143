package extract

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/zclconf/go-cty/cty"
)

// The real packages, as scripts/deploytools caches them (npm pack). The test skips when they are
// absent: run `scripts/deploytools install` first.
func realPackage(t *testing.T, file string) *Package {
	t.Helper()
	dir := os.Getenv("WELLBASE_TOOLS_CACHE")
	if dir == "" {
		cache, err := os.UserCacheDir()
		if err != nil {
			t.Skip("no cache folder:", err)
		}
		dir = filepath.Join(cache, "wellbase-tools")
	}
	f, err := os.Open(filepath.Join(dir, "npm", file))
	if err != nil {
		t.Skipf("%s not cached (run scripts/deploytools install): %v", file, err)
	}
	defer f.Close()
	p, err := ReadPackage(f)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// checkSchema: what tofu would refuse in a provider schema, or could not mock.
func checkSchema(t *testing.T, path string, b *tfjson.SchemaBlock) {
	t.Helper()
	for n, a := range b.Attributes {
		if a.Required && a.Computed || a.Required && a.Optional || !a.Required && !a.Optional && !a.Computed {
			t.Errorf("%s.%s: required=%v optional=%v computed=%v", path, n, a.Required, a.Optional, a.Computed)
		}
		if a.AttributeNestedType == nil && (a.AttributeType.Equals(cty0) || a.AttributeType.HasDynamicTypes()) {
			t.Errorf("%s.%s: untyped", path, n)
		}
		if _, clash := b.NestedBlocks[n]; clash {
			t.Errorf("%s.%s: both an attribute and a block", path, n)
		}
	}
	for n, bt := range b.NestedBlocks {
		checkSchema(t, path+"."+n, bt.Block)
	}
}

// Facts checked against the registry docs and the providers' source of these versions.
func TestRealPackages(t *testing.T) {
	t.Parallel()
	t.Run("aws", func(t *testing.T) {
		t.Parallel()
		p := realPackage(t, "cdktf-provider-aws-21.22.1.tgz")
		if p.Name != "registry.terraform.io/hashicorp/aws" || p.Version != "6.25.0" {
			t.Fatalf("provider = %s %s", p.Name, p.Version)
		}
		ps, _, err := p.Extract()
		if err != nil {
			t.Fatal(err)
		}
		if len(ps.ResourceSchemas) < 1500 || len(ps.DataSourceSchemas) < 600 {
			t.Errorf("%d resources, %d data sources: fewer than the provider has", len(ps.ResourceSchemas), len(ps.DataSourceSchemas))
		}
		for n, s := range ps.ResourceSchemas {
			checkSchema(t, n, s.Block)
		}
		for n, s := range ps.DataSourceSchemas {
			checkSchema(t, "data."+n, s.Block)
		}
		blocks(t, ps.ResourceSchemas["aws_ecs_service"].Block, map[string]string{
			"network_configuration":      "list 0 1",
			"deployment_circuit_breaker": "list 0 1",
			"load_balancer":              "set 0 0",
			"capacity_provider_strategy": "set 0 0",
			"timeouts":                   "single 0 0",
		})
		blocks(t, ps.ResourceSchemas["aws_lb_listener"].Block, map[string]string{"default_action": "list 1 0"})
		blocks(t, ps.ResourceSchemas["aws_lb_listener"].Block.NestedBlocks["default_action"].Block, map[string]string{"forward": "list 0 1", "redirect": "list 0 1"})
		blocks(t, ps.ResourceSchemas["aws_s3_bucket_server_side_encryption_configuration"].Block, map[string]string{"rule": "set 1 0"})
		blocks(t, ps.ResourceSchemas["aws_s3_bucket_lifecycle_configuration"].Block, map[string]string{"rule": "list 0 0"})
		blocks(t, ps.ResourceSchemas["aws_s3_bucket_lifecycle_configuration"].Block.NestedBlocks["rule"].Block, map[string]string{
			"filter": "list 0 0", "noncurrent_version_expiration": "list 0 0", "transition": "set 0 0",
		})
		blocks(t, ps.DataSourceSchemas["aws_iam_policy_document"].Block, map[string]string{"statement": "list 0 0"})
		blocks(t, ps.DataSourceSchemas["aws_iam_policy_document"].Block.NestedBlocks["statement"].Block, map[string]string{"condition": "set 0 0", "principals": "set 0 0"})
		blocks(t, ps.ConfigSchema.Block, map[string]string{"assume_role": "list 0 0", "default_tags": "list 0 0", "endpoints": "set 0 0"})
		if a := ps.ResourceSchemas["aws_ecs_service"].Block.Attributes["name"]; a == nil || !a.Required {
			t.Errorf("aws_ecs_service.name: %+v, want required", a)
		}
		if a := ps.ResourceSchemas["aws_kms_key"].Block.Attributes["arn"]; a == nil || !a.Computed || a.Optional {
			t.Errorf("aws_kms_key.arn: %+v, want computed only", a)
		}
		if a := ps.ResourceSchemas["aws_kms_key"].Block.Attributes["policy"]; a == nil || !a.Computed || !a.Optional {
			t.Errorf("aws_kms_key.policy: %+v, want optional and computed", a)
		}
	})
	t.Run("mongodbatlas", func(t *testing.T) {
		t.Parallel()
		p := realPackage(t, "cdktf-provider-mongodbatlas-8.6.2.tgz")
		if p.Name != "registry.terraform.io/mongodb/mongodbatlas" || p.Version != "1.41.1" {
			t.Fatalf("provider = %s %s", p.Name, p.Version)
		}
		ps, warnings, err := p.Extract()
		if err != nil {
			t.Fatal(err)
		}
		if len(warnings) > 0 {
			t.Errorf("warnings: %v", warnings)
		}
		for n, s := range ps.ResourceSchemas {
			checkSchema(t, n, s.Block)
		}
		// 1.41.1 is the SDKv2 advanced_cluster: blocks (2.x made them nested attributes).
		ac := ps.ResourceSchemas["mongodbatlas_advanced_cluster"].Block
		blocks(t, ac, map[string]string{"replication_specs": "list 1 0", "advanced_configuration": "list 0 1", "tags": "set 0 0", "labels": "set 0 0"})
		blocks(t, ac.NestedBlocks["replication_specs"].Block, map[string]string{"region_configs": "list 1 0"})
		blocks(t, ac.NestedBlocks["replication_specs"].Block.NestedBlocks["region_configs"].Block, map[string]string{"electable_specs": "list 0 1", "auto_scaling": "list 0 1"})
		blocks(t, ps.ResourceSchemas["mongodbatlas_database_user"].Block, map[string]string{"roles": "set 0 0", "scopes": "set 0 0"})
		blocks(t, ps.ResourceSchemas["mongodbatlas_cloud_backup_schedule"].Block, map[string]string{"policy_item_daily": "list 0 1", "policy_item_weekly": "list 0 0"})
		// A plugin-framework resource of 1.41.1 with nested attributes.
		if a := ps.ResourceSchemas["mongodbatlas_stream_connection"].Block.Attributes["authentication"]; a == nil || a.AttributeNestedType == nil ||
			a.AttributeNestedType.NestingMode != tfjson.SchemaNestingModeSingle {
			t.Errorf("mongodbatlas_stream_connection.authentication: %+v, want a single nested attribute", a)
		}
	})
}

// blocks checks nesting mode, min_items and max_items ("list 1 0") of named blocks.
func blocks(t *testing.T, b *tfjson.SchemaBlock, want map[string]string) {
	t.Helper()
	for name, w := range want {
		bt := b.NestedBlocks[name]
		if bt == nil {
			t.Errorf("no block %s", name)
			continue
		}
		if got := fmtBlock(bt); got != w {
			t.Errorf("block %s = %s, want %s", name, got, w)
		}
	}
}

var cty0 = cty.NilType

func fmtBlock(bt *tfjson.SchemaBlockType) string {
	return fmt.Sprintf("%s %d %d", bt.NestingMode, bt.MinItems, bt.MaxItems)
}
