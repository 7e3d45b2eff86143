package provider

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/zclconf/go-cty/cty"
)

// A schema document as `tofu providers schema -json` prints it.
const doc = `{
  "format_version": "1.0",
  "provider_schemas": {
    "registry.terraform.io/x/demo": {
      "provider": {"version": 0, "block": {"attributes": {"region": {"type": "string", "optional": true}}}},
      "resource_schemas": {
        "demo_thing": {"version": 0, "block": {
          "attributes": {
            "id": {"type": "string", "optional": true, "computed": true},
            "name": {"type": "string", "required": true},
            "ports": {"type": ["set", "number"], "optional": true},
            "status": {"type": ["list", ["object", {"code": "string"}]], "computed": true},
            "auth": {"nested_type": {"nesting_mode": "single", "attributes": {"user": {"type": "string", "required": true}}}, "optional": true}
          },
          "block_types": {
            "rule": {"nesting_mode": "list", "min_items": 1, "block": {"attributes": {"id": {"type": "string", "required": true}}}},
            "timeouts": {"nesting_mode": "single", "block": {"attributes": {"create": {"type": "string", "optional": true}}}}
          }
        }}
      },
      "data_source_schemas": {
        "demo_info": {"version": 0, "block": {"attributes": {"value": {"type": "string", "computed": true, "sensitive": true}}}}
      }
    }
  }
}`

func load(t *testing.T, document string) (*Server, error) {
	t.Helper()
	f := filepath.Join(t.TempDir(), "schema.json")
	if err := os.WriteFile(f, []byte(document), 0o644); err != nil {
		t.Fatal(err)
	}
	return Load(f)
}

func TestGetProviderSchema(t *testing.T) {
	t.Parallel()
	s, err := load(t, doc)
	if err != nil {
		t.Fatal(err)
	}
	if s.Address != "registry.terraform.io/x/demo" {
		t.Errorf("address = %q", s.Address)
	}
	resp, err := s.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	thing := resp.ResourceSchemas["demo_thing"]
	if thing == nil {
		t.Fatal("no demo_thing")
	}
	want := tftypes.Object{AttributeTypes: map[string]tftypes.Type{
		"id": tftypes.String, "name": tftypes.String, "ports": tftypes.Set{ElementType: tftypes.Number},
		"status":   tftypes.List{ElementType: tftypes.Object{AttributeTypes: map[string]tftypes.Type{"code": tftypes.String}}},
		"auth":     tftypes.Object{AttributeTypes: map[string]tftypes.Type{"user": tftypes.String}},
		"rule":     tftypes.List{ElementType: tftypes.Object{AttributeTypes: map[string]tftypes.Type{"id": tftypes.String}}},
		"timeouts": tftypes.Object{AttributeTypes: map[string]tftypes.Type{"create": tftypes.String}},
	}}
	if got := thing.ValueType(); !got.Equal(want) {
		t.Errorf("demo_thing type =\n%s\nwant\n%s", got, want)
	}
	var rule *tfprotov6.SchemaNestedBlock
	for _, b := range thing.Block.BlockTypes {
		if b.TypeName == "rule" {
			rule = b
		}
	}
	if rule == nil || rule.Nesting != tfprotov6.SchemaNestedBlockNestingModeList || rule.MinItems != 1 {
		t.Errorf("rule = %+v, want a list block with min 1", rule)
	}
	for _, a := range thing.Block.Attributes {
		if a.Name == "auth" && (a.NestedType == nil || a.NestedType.Nesting != tfprotov6.SchemaObjectNestingModeSingle) {
			t.Errorf("auth = %+v, want a single nested attribute", a)
		}
	}
	info := resp.DataSourceSchemas["demo_info"]
	if info == nil || len(info.Block.Attributes) != 1 || !info.Block.Attributes[0].Sensitive {
		t.Errorf("demo_info = %+v, want a sensitive value", info)
	}
	meta, err := s.GetMetadata(context.Background(), &tfprotov6.GetMetadataRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if len(meta.Resources) != 1 || meta.Resources[0].TypeName != "demo_thing" || len(meta.DataSources) != 1 {
		t.Errorf("metadata = %+v", meta)
	}
}

func TestLoadErrInvalidSchema(t *testing.T) {
	t.Parallel()
	for name, c := range map[string]struct{ attr, want string }{
		"ErrRequiredComputed": {`{"type": "string", "required": true, "computed": true}`, "demo_thing.x: required and also optional or computed"},
		"ErrNoFlags":          {`{"type": "string"}`, "demo_thing.x: neither required, optional nor computed"},
		"ErrNoType":           {`{"optional": true}`, "demo_thing.x: no type"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			d := `{"format_version": "1.0", "provider_schemas": {"registry.terraform.io/x/demo": {
				"resource_schemas": {"demo_thing": {"block": {"attributes": {"x": ` + c.attr + `}}}}}}}`
			_, err := load(t, d)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("err = %v, want %q", err, c.want)
			}
		})
	}
}

func TestRefusesRealWork(t *testing.T) {
	t.Parallel()
	s, err := load(t, doc)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	check := func(name string, diags []*tfprotov6.Diagnostic, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(diags) != 1 || diags[0].Severity != tfprotov6.DiagnosticSeverityError || diags[0].Summary != ErrSchemaOnly {
			t.Errorf("%s: diagnostics %+v, want the schema-only error", name, diags)
		}
	}
	c, err := s.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{})
	check("ConfigureProvider", c.Diagnostics, err)
	p, err := s.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{TypeName: "demo_thing"})
	check("PlanResourceChange", p.Diagnostics, err)
	a, err := s.ApplyResourceChange(ctx, &tfprotov6.ApplyResourceChangeRequest{TypeName: "demo_thing"})
	check("ApplyResourceChange", a.Diagnostics, err)
	r, err := s.ReadResource(ctx, &tfprotov6.ReadResourceRequest{TypeName: "demo_thing"})
	check("ReadResource", r.Diagnostics, err)
	d, err := s.ReadDataSource(ctx, &tfprotov6.ReadDataSourceRequest{TypeName: "demo_info"})
	check("ReadDataSource", d.Diagnostics, err)
	i, err := s.ImportResourceState(ctx, &tfprotov6.ImportResourceStateRequest{TypeName: "demo_thing"})
	check("ImportResourceState", i.Diagnostics, err)

	v, err := s.ValidateResourceConfig(ctx, &tfprotov6.ValidateResourceConfigRequest{TypeName: "demo_thing"})
	if err != nil || len(v.Diagnostics) != 0 {
		t.Errorf("ValidateResourceConfig: %v %+v, want no diagnostics", err, v.Diagnostics)
	}
}

// tofu test upgrades the state of mocked resources before destroying them.
func TestUpgradeResourceState(t *testing.T) {
	t.Parallel()
	s, err := load(t, doc)
	if err != nil {
		t.Fatal(err)
	}
	raw := &tfprotov6.RawState{JSON: []byte(`{"id": "t-1", "name": "n", "ports": [80, 443], "status": [{"code": "ok"}],
		"auth": {"user": "u"}, "rule": [{"id": "r"}], "timeouts": null, "left_over_from_an_old_version": 1}`)}
	resp, err := s.UpgradeResourceState(context.Background(), &tfprotov6.UpgradeResourceStateRequest{TypeName: "demo_thing", RawState: raw})
	if err != nil || len(resp.Diagnostics) > 0 {
		t.Fatalf("UpgradeResourceState: %v %+v", err, resp.Diagnostics)
	}
	typ := s.resources["demo_thing"]
	v, err := resp.UpgradedState.Unmarshal(typ)
	if err != nil {
		t.Fatal(err)
	}
	var attrs map[string]tftypes.Value
	if err := v.As(&attrs); err != nil {
		t.Fatal(err)
	}
	var name string
	if err := attrs["name"].As(&name); err != nil || name != "n" {
		t.Errorf("name = %q (%v), want n", name, err)
	}
	var ports []tftypes.Value
	if err := attrs["ports"].As(&ports); err != nil || len(ports) != 2 {
		t.Errorf("ports = %v (%v), want two", ports, err)
	}

	bad, err := s.UpgradeResourceState(context.Background(), &tfprotov6.UpgradeResourceStateRequest{TypeName: "demo_nope", RawState: raw})
	if err != nil || len(bad.Diagnostics) != 1 || !strings.Contains(bad.Diagnostics[0].Summary, `unknown resource type "demo_nope"`) {
		t.Errorf("unknown type: %v %+v", err, bad.Diagnostics)
	}
}

// What tfschema-extract writes (terraform-json's encoding of a provider schema) is what Load reads.
func TestLoadTerraformJSON(t *testing.T) {
	t.Parallel()
	ps := &tfjson.ProviderSchemas{FormatVersion: "1.0", Schemas: map[string]*tfjson.ProviderSchema{
		"registry.terraform.io/x/demo": {
			ConfigSchema: &tfjson.Schema{Block: &tfjson.SchemaBlock{Attributes: map[string]*tfjson.SchemaAttribute{
				"region": {AttributeType: cty.String, Optional: true}}}},
			ResourceSchemas: map[string]*tfjson.Schema{"demo_thing": {Block: &tfjson.SchemaBlock{
				Attributes: map[string]*tfjson.SchemaAttribute{
					"tags":   {AttributeType: cty.Map(cty.String), Optional: true},
					"status": {AttributeType: cty.List(cty.Object(map[string]cty.Type{"code": cty.Number})), Computed: true},
					"auth": {AttributeNestedType: &tfjson.SchemaNestedAttributeType{NestingMode: tfjson.SchemaNestingModeList,
						Attributes: map[string]*tfjson.SchemaAttribute{"user": {AttributeType: cty.String, Required: true}}}, Optional: true},
				},
				NestedBlocks: map[string]*tfjson.SchemaBlockType{"rule": {NestingMode: tfjson.SchemaNestingModeSet, MaxItems: 3,
					Block: &tfjson.SchemaBlock{Attributes: map[string]*tfjson.SchemaAttribute{"id": {AttributeType: cty.String, Required: true}}}}},
			}}},
		},
	}}
	data, err := json.Marshal(ps)
	if err != nil {
		t.Fatal(err)
	}
	s, err := load(t, string(data))
	if err != nil {
		t.Fatal(err)
	}
	want := tftypes.Object{AttributeTypes: map[string]tftypes.Type{
		"tags":   tftypes.Map{ElementType: tftypes.String},
		"status": tftypes.List{ElementType: tftypes.Object{AttributeTypes: map[string]tftypes.Type{"code": tftypes.Number}}},
		"auth":   tftypes.List{ElementType: tftypes.Object{AttributeTypes: map[string]tftypes.Type{"user": tftypes.String}}},
		"rule":   tftypes.Set{ElementType: tftypes.Object{AttributeTypes: map[string]tftypes.Type{"id": tftypes.String}}},
	}}
	if got := s.resources["demo_thing"]; !got.Equal(want) {
		t.Errorf("demo_thing type =\n%s\nwant\n%s", got, want)
	}
	if rule := s.schema.ResourceSchemas["demo_thing"].Block.BlockTypes[0]; rule.MaxItems != 3 || rule.Nesting != tfprotov6.SchemaNestedBlockNestingModeSet {
		t.Errorf("rule = %+v, want a set block with max 3", rule)
	}
}

func BenchmarkLoad(b *testing.B) {
	file := os.Getenv("WELLBASE_TFSCHEMA_BENCH_SCHEMA") // e.g. the aws schema.json in the mirror
	if file == "" {
		b.Skip("set WELLBASE_TFSCHEMA_BENCH_SCHEMA to a schema.json")
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Load(file); err != nil {
			b.Fatal(err)
		}
	}
}
