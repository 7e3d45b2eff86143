package extract

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/zclconf/go-cty/cty"
)

// The fixture is a miniature cdktf prebuilt provider, written the way the cdktf generator writes
// one (same jsii shapes, same TypeScript lines): provider "demo" with resource demo_thing.
//
//	demo_thing: name (required), size (optional+computed), arn (computed), ports (set of number),
//	rule (list block, min 1) { id (required), filter (max_items 1 block) { prefix } },
//	timeouts (single block) { create }, auth (single nested attribute) { user },
//	status (computed list of objects) { code }, enabled (computed bool, a cdktf.IResolvable getter)
const fixtureTS = `export interface ThingConfig extends cdktf.TerraformMetaArguments {
}
export interface ThingRuleFilter {
}
export function thingRuleFilterToHclTerraform(struct?: ThingRuleFilter): any {
  const attrs = {
    prefix: {
      value: cdktf.stringToHclTerraform(struct!.prefix),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
  };
  return attrs;
}
export class ThingRuleFilterOutputReference extends cdktf.ComplexObject {
  // prefix - computed: false, optional: true, required: false
  private _prefix?: string; 
  public get prefix() {
    return this.getStringAttribute('prefix');
  }
}
export function thingRuleToHclTerraform(struct?: ThingRule): any {
  const attrs = {
    id: {
      value: cdktf.stringToHclTerraform(struct!.id),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    filter: {
      value: thingRuleFilterToHclTerraform(struct!.filter),
      isBlock: true,
      type: "list",
      storageClassType: "ThingRuleFilterList",
    },
  };
  return attrs;
}
export class ThingRuleOutputReference extends cdktf.ComplexObject {
  // id - computed: false, optional: false, required: true
  private _id?: string; 
  public get id() {
    return this.getStringAttribute('id');
  }
  // filter - computed: false, optional: true, required: false
  private _filter = new ThingRuleFilterOutputReference(this, "filter");
  public get filter() {
    return this._filter;
  }
}
export function thingTimeoutsToHclTerraform(struct?: ThingTimeouts): any {
  const attrs = {
    create: {
      value: cdktf.stringToHclTerraform(struct!.create),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
  };
  return attrs;
}
export class ThingTimeoutsOutputReference extends cdktf.ComplexObject {
  // create - computed: false, optional: true, required: false
  private _create?: string; 
  public get create() {
    return this.getStringAttribute('create');
  }
}
export function thingAuthToHclTerraform(struct?: ThingAuth): any {
  const attrs = {
    user: {
      value: cdktf.stringToHclTerraform(struct!.user),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
  };
  return attrs;
}
export class ThingAuthOutputReference extends cdktf.ComplexObject {
  // user - computed: false, optional: false, required: true
  private _user?: string; 
  public get user() {
    return this.getStringAttribute('user');
  }
}
export class ThingStatusOutputReference extends cdktf.ComplexObject {
  // code - computed: true, optional: false, required: false
  public get code() {
    return this.getStringAttribute('code');
  }
}
export class Thing extends cdktf.TerraformResource {
  public static readonly tfResourceType = "demo_thing";
  // arn - computed: true, optional: false, required: false
  public get arn() {
    return this.getStringAttribute('arn');
  }
  // auth - computed: false, optional: true, required: false
  private _auth = new ThingAuthOutputReference(this, "auth");
  public get auth() {
    return this._auth;
  }
  // enabled - computed: true, optional: false, required: false
  public get enabled() {
    return this.getBooleanAttribute('enabled');
  }
  // name - computed: false, optional: false, required: true
  private _name?: string; 
  public get name() {
    return this.getStringAttribute('name');
  }
  // ports - computed: false, optional: true, required: false
  private _ports?: number[]; 
  public get ports() {
    return cdktf.Token.asNumberList(cdktf.Fn.tolist(this.getNumberListAttribute('ports')));
  }
  // size - computed: true, optional: true, required: false
  private _size?: number; 
  public get size() {
    return this.getNumberAttribute('size');
  }
  // status - computed: true, optional: false, required: false
  private _status = new ThingStatusList(this, "status", false);
  public get status() {
    return this._status;
  }
  // rule - computed: false, optional: false, required: true
  private _rule = new ThingRuleList(this, "rule", false);
  public get rule() {
    return this._rule;
  }
  // timeouts - computed: false, optional: true, required: false
  private _timeouts = new ThingTimeoutsOutputReference(this, "timeouts");
  public get timeouts() {
    return this._timeouts;
  }
  protected synthesizeHclAttributes(): { [name: string]: any } {
    const attrs = {
      auth: {
        value: thingAuthToHclTerraform(this._auth.internalValue),
        isBlock: true,
        type: "struct",
        storageClassType: "ThingAuth",
      },
      name: {
        value: cdktf.stringToHclTerraform(this._name),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      ports: {
        value: cdktf.listMapperHcl(cdktf.numberToHclTerraform, false)(this._ports),
        isBlock: false,
        type: "set",
        storageClassType: "numberList",
      },
      size: {
        value: cdktf.numberToHclTerraform(this._size),
        isBlock: false,
        type: "simple",
        storageClassType: "number",
      },
      rule: {
        value: cdktf.listMapperHcl(thingRuleToHclTerraform, true)(this._rule.internalValue),
        isBlock: true,
        type: "list",
        storageClassType: "ThingRuleList",
      },
      timeouts: {
        value: thingTimeoutsToHclTerraform(this._timeouts.internalValue),
        isBlock: true,
        type: "struct",
        storageClassType: "ThingTimeouts",
      },
    };
    return attrs;
  }
}
`

const fixtureProviderTS = `export class DemoProvider extends cdktf.TerraformProvider {
  public static readonly tfResourceType = "demo";
  // alias - computed: false, optional: true, required: false
  private _alias?: string; 
  public get alias() {
    return this._alias;
  }
  // region - computed: false, optional: true, required: false
  private _region?: string; 
  public get region() {
    return this._region;
  }
  // default_tags - computed: false, optional: true, required: false
  private _defaultTags?: DemoProviderDefaultTags[] | cdktf.IResolvable; 
  public get defaultTags() {
    return this._defaultTags;
  }
  protected synthesizeHclAttributes(): { [name: string]: any } {
    const attrs = {
      region: {
        value: cdktf.stringToHclTerraform(this._region),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      alias: {
        value: cdktf.stringToHclTerraform(this._alias),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      default_tags: {
        value: cdktf.listMapperHcl(demoProviderDefaultTagsToHclTerraform, true)(this._defaultTags),
        isBlock: true,
        type: "list",
        storageClassType: "DemoProviderDefaultTagsList",
      },
    };
    return attrs;
  }
}
export function demoProviderDefaultTagsToHclTerraform(struct?: DemoProviderDefaultTags): any {
  const attrs = {
    tags: {
      value: cdktf.hashMapperHcl(cdktf.stringToHclTerraform)(struct!.tags),
      isBlock: false,
      type: "map",
      storageClassType: "stringMap",
    },
  };
  return attrs;
}
`

func fixtureAssembly() map[string]any {
	str := map[string]any{"primitive": "string"}
	num := map[string]any{"primitive": "number"}
	ref := func(n string) map[string]any { return map[string]any{"fqn": "demo." + n} }
	arrayOf := func(t any) map[string]any {
		return map[string]any{"union": map[string]any{"types": []any{map[string]any{"fqn": "cdktf.IResolvable"},
			map[string]any{"collection": map[string]any{"kind": "array", "elementtype": t}}}}}
	}
	doc := func(tf string, block bool) map[string]any {
		if block {
			return map[string]any{"summary": tf + " block."}
		}
		return map[string]any{"summary": "Docs at Terraform Registry: {@link https://registry.terraform.io/providers/x/demo/1.2.3/docs/resources/thing#" + tf + " Thing#" + tf + "}."}
	}
	prop := func(name string, t any, optional bool, d map[string]any) map[string]any {
		return map[string]any{"name": name, "type": t, "optional": optional, "docs": d}
	}
	loc := map[string]any{"filename": "src/thing/index.ts"}
	iface := func(name string, props ...any) map[string]any {
		return map[string]any{"fqn": "demo." + name, "kind": "interface", "name": name, "datatype": true, "locationInModule": loc, "properties": props}
	}
	class := func(name, base string, props ...any) map[string]any {
		return map[string]any{"fqn": "demo." + name, "kind": "class", "name": name, "base": base, "locationInModule": loc, "properties": props}
	}
	list := func(name, elem string) map[string]any {
		c := class(name, "cdktf.ComplexList")
		c["methods"] = []any{map[string]any{"name": "get", "returns": map[string]any{"type": ref(elem)}}}
		return c
	}
	thing := class("Thing", "cdktf.TerraformResource",
		prop("arn", str, false, nil), prop("auth", ref("ThingAuthOutputReference"), false, nil),
		prop("enabled", map[string]any{"fqn": "cdktf.IResolvable"}, false, nil),
		prop("name", str, false, nil), prop("ports", map[string]any{"collection": map[string]any{"kind": "array", "elementtype": num}}, false, nil),
		prop("size", num, false, nil), prop("status", ref("ThingStatusList"), false, nil),
		prop("rule", ref("ThingRuleList"), false, nil), prop("timeouts", ref("ThingTimeoutsOutputReference"), false, nil))
	thing["initializer"] = map[string]any{"parameters": []any{map[string]any{"name": "scope"}, map[string]any{"name": "id"}, map[string]any{"name": "config", "type": ref("ThingConfig")}}}
	provLoc := map[string]any{"filename": "src/provider/index.ts"}
	prov := map[string]any{"fqn": "demo.DemoProvider", "kind": "class", "name": "DemoProvider", "base": "cdktf.TerraformProvider", "locationInModule": provLoc,
		"properties":  []any{prop("alias", str, false, nil), prop("region", str, false, nil), prop("defaultTags", arrayOf(ref("DemoProviderDefaultTags")), false, nil)},
		"initializer": map[string]any{"parameters": []any{map[string]any{"name": "config", "type": ref("DemoProviderConfig")}}}}
	provCfg := map[string]any{"fqn": "demo.DemoProviderConfig", "kind": "interface", "name": "DemoProviderConfig", "datatype": true, "locationInModule": provLoc,
		"properties": []any{prop("alias", str, true, doc("alias", false)), prop("region", str, true, doc("region", false)),
			prop("defaultTags", arrayOf(ref("DemoProviderDefaultTags")), true, doc("default_tags", true))}}
	provTags := map[string]any{"fqn": "demo.DemoProviderDefaultTags", "kind": "interface", "name": "DemoProviderDefaultTags", "datatype": true, "locationInModule": provLoc,
		"properties": []any{prop("tags", map[string]any{"collection": map[string]any{"kind": "map", "elementtype": str}}, true, doc("tags", false))}}
	types := map[string]any{}
	for _, t := range []map[string]any{
		thing,
		iface("ThingConfig", prop("name", str, false, doc("name", false)), prop("size", num, true, doc("size", false)),
			prop("ports", map[string]any{"collection": map[string]any{"kind": "array", "elementtype": num}}, true, doc("ports", false)),
			prop("auth", ref("ThingAuth"), true, doc("auth", false)),
			prop("rule", arrayOf(ref("ThingRule")), false, doc("rule", true)),
			prop("timeouts", ref("ThingTimeouts"), true, doc("timeouts", true))),
		iface("ThingRule", prop("id", str, false, doc("id", false)), prop("filter", ref("ThingRuleFilter"), true, doc("filter", true))),
		iface("ThingRuleFilter", prop("prefix", str, true, doc("prefix", false))),
		iface("ThingTimeouts", prop("create", str, true, doc("create", false))),
		iface("ThingAuth", prop("user", str, false, doc("user", false))),
		iface("ThingStatus"),
		class("ThingRuleOutputReference", "cdktf.ComplexObject", prop("id", str, false, nil), prop("filter", ref("ThingRuleFilterOutputReference"), false, nil)),
		class("ThingRuleFilterOutputReference", "cdktf.ComplexObject", prop("prefix", str, false, nil)),
		class("ThingTimeoutsOutputReference", "cdktf.ComplexObject", prop("create", str, false, nil)),
		class("ThingAuthOutputReference", "cdktf.ComplexObject", prop("user", str, false, nil)),
		class("ThingStatusOutputReference", "cdktf.ComplexObject", prop("code", str, false, nil)),
		list("ThingRuleList", "ThingRuleOutputReference"),
		list("ThingStatusList", "ThingStatusOutputReference"),
		prov, provCfg, provTags,
	} {
		types[t["fqn"].(string)] = t
	}
	return map[string]any{"types": types}
}

// jsWithSourceMap is a compiled file as tsc writes it: code, then the inline source map whose
// sourcesContent holds the TypeScript.
func jsWithSourceMap(tsRel, ts string) []byte {
	m, _ := json.Marshal(map[string]any{"version": 3, "sources": []string{tsRel}, "sourcesContent": []string{ts}})
	return []byte("\"use strict\";\n//# sourceMappingURL=data:application/json;base64," + base64.StdEncoding.EncodeToString(m))
}

func fixturePackage(t testing.TB) []byte {
	t.Helper()
	asm, err := json.Marshal(fixtureAssembly())
	if err != nil {
		t.Fatal(err)
	}
	files := []struct {
		name string
		data []byte
	}{
		{"package/package.json", []byte(`{"name":"@cdktf/provider-demo","version":"9.9.9","cdktf":{"provider":{"name":"registry.terraform.io/x/demo","version":"1.2.3"}}}`)},
		{"package/.jsii", asm},
		{"package/lib/thing/index.js", jsWithSourceMap("../../src/thing/index.ts", fixtureTS)},
		{"package/lib/provider/index.js", jsWithSourceMap("../../src/provider/index.ts", fixtureProviderTS)},
	}
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for _, f := range files {
		if err := tw.WriteHeader(&tar.Header{Name: f.name, Mode: 0o644, Size: int64(len(f.data))}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write(f.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := gz.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestExtract(t *testing.T) {
	t.Parallel()
	p, err := ReadPackage(bytes.NewReader(fixturePackage(t)))
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "registry.terraform.io/x/demo" || p.Version != "1.2.3" {
		t.Errorf("provider = %s %s, want registry.terraform.io/x/demo 1.2.3", p.Name, p.Version)
	}
	ps, warnings, err := p.Extract()
	if err != nil {
		t.Fatal(err)
	}
	if len(warnings) > 0 {
		t.Errorf("warnings: %v", warnings)
	}
	thing := ps.ResourceSchemas["demo_thing"]
	if thing == nil {
		t.Fatalf("no demo_thing; resources: %v", ps.ResourceSchemas)
	}
	attr := func(name string) *tfjson.SchemaAttribute {
		t.Helper()
		a := thing.Block.Attributes[name]
		if a == nil {
			t.Fatalf("no attribute %s", name)
		}
		return a
	}
	for _, c := range []struct {
		name                         string
		typ                          cty.Type
		required, optional, computed bool
	}{
		{"name", cty.String, true, false, false},
		{"size", cty.Number, false, true, true},
		{"arn", cty.String, false, false, true},
		{"enabled", cty.Bool, false, false, true},
		{"ports", cty.Set(cty.Number), false, true, false},
		{"status", cty.List(cty.Object(map[string]cty.Type{"code": cty.String})), false, false, true},
	} {
		a := attr(c.name)
		if !a.AttributeType.Equals(c.typ) || a.Required != c.required || a.Optional != c.optional || a.Computed != c.computed {
			t.Errorf("%s = %s required=%v optional=%v computed=%v, want %s %v %v %v", c.name, a.AttributeType.FriendlyName(),
				a.Required, a.Optional, a.Computed, c.typ.FriendlyName(), c.required, c.optional, c.computed)
		}
	}
	auth := attr("auth")
	if auth.AttributeNestedType == nil || auth.AttributeNestedType.NestingMode != tfjson.SchemaNestingModeSingle ||
		!auth.Optional || auth.AttributeNestedType.Attributes["user"] == nil || !auth.AttributeNestedType.Attributes["user"].Required {
		t.Errorf("auth: want an optional single nested attribute with a required user, got %+v", auth)
	}
	rule := thing.Block.NestedBlocks["rule"]
	if rule == nil || rule.NestingMode != tfjson.SchemaNestingModeList || rule.MinItems != 1 || rule.MaxItems != 0 {
		t.Fatalf("rule: want a list block with min_items 1, got %+v", rule)
	}
	filter := rule.Block.NestedBlocks["filter"]
	if filter == nil || filter.NestingMode != tfjson.SchemaNestingModeList || filter.MaxItems != 1 || filter.MinItems != 0 {
		t.Errorf("rule.filter: want a list block with max_items 1, got %+v", filter)
	}
	if timeouts := thing.Block.NestedBlocks["timeouts"]; timeouts == nil || timeouts.NestingMode != tfjson.SchemaNestingModeSingle {
		t.Errorf("timeouts: want a single block, got %+v", timeouts)
	}
	if _, ok := ps.ConfigSchema.Block.Attributes["alias"]; ok {
		t.Error("provider schema has the alias meta-argument")
	}
	if r := ps.ConfigSchema.Block.Attributes["region"]; r == nil || !r.Optional {
		t.Errorf("provider region: %+v", r)
	}
	if dt := ps.ConfigSchema.Block.NestedBlocks["default_tags"]; dt == nil || !dt.Block.Attributes["tags"].AttributeType.Equals(cty.Map(cty.String)) {
		t.Errorf("provider default_tags: %+v", dt)
	}
}

func TestReadPackageErrNotCDKTF(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	data := []byte(`{"name":"left-pad","version":"1.0.0"}`)
	_ = tw.WriteHeader(&tar.Header{Name: "package/package.json", Mode: 0o644, Size: int64(len(data))})
	_, _ = tw.Write(data)
	_ = tw.Close()
	_ = gz.Close()
	_, err := ReadPackage(&buf)
	if err == nil || !strings.Contains(err.Error(), "not a cdktf prebuilt provider") {
		t.Errorf("err = %v, want one saying it is not a cdktf prebuilt provider", err)
	}
}

func TestOverrides(t *testing.T) {
	t.Parallel()
	p, err := ReadPackage(bytes.NewReader(fixturePackage(t)))
	if err != nil {
		t.Fatal(err)
	}
	write := func(t *testing.T, o string) string {
		f := filepath.Join(t.TempDir(), "overrides.json")
		if err := os.WriteFile(f, []byte(o), 0o644); err != nil {
			t.Fatal(err)
		}
		return f
	}
	t.Run("OK", func(t *testing.T) {
		ps, _, err := p.Extract()
		if err != nil {
			t.Fatal(err)
		}
		o, err := ReadOverrides(write(t, `{"overrides": [
			{"provider": "registry.terraform.io/x/demo", "version": "1.2.3", "schema": "provider", "path": "default_tags",
			 "set": {"max_items": 1}, "source": "https://example.com/a"},
			{"provider": "registry.terraform.io/x/demo", "version": "1.2.3", "schema": "resource:demo_thing", "path": "name",
			 "set": {"sensitive": true}, "source": "https://example.com/b"},
			{"provider": "registry.terraform.io/other/p", "version": "0.1.0", "schema": "resource:nope", "path": "x",
			 "set": {"sensitive": true}, "source": "https://example.com/c"}]}`))
		if err != nil {
			t.Fatal(err)
		}
		if err := o.Apply(p.Name, p.Version, ps); err != nil {
			t.Fatal(err)
		}
		if got := ps.ConfigSchema.Block.NestedBlocks["default_tags"].MaxItems; got != 1 {
			t.Errorf("default_tags max_items = %d, want 1", got)
		}
		if !ps.ResourceSchemas["demo_thing"].Block.Attributes["name"].Sensitive {
			t.Error("name is not sensitive")
		}
	})
	for name, c := range map[string]struct{ overrides, want string }{
		"ErrVersion": {`{"overrides": [{"provider": "registry.terraform.io/x/demo", "version": "1.0.0", "schema": "provider",
			"path": "region", "set": {"sensitive": true}, "source": "s"}]}`, "checked against registry.terraform.io/x/demo 1.0.0, but the package is 1.2.3"},
		"ErrPath": {`{"overrides": [{"provider": "registry.terraform.io/x/demo", "version": "1.2.3", "schema": "resource:demo_thing",
			"path": "rule.nope", "set": {"sensitive": true}, "source": "s"}]}`, `no block or attribute "nope"`},
		"ErrBlockSensitive": {`{"overrides": [{"provider": "registry.terraform.io/x/demo", "version": "1.2.3", "schema": "resource:demo_thing",
			"path": "rule", "set": {"sensitive": true}, "source": "s"}]}`, "sensitive applies to attributes"},
	} {
		t.Run(name, func(t *testing.T) {
			ps, _, err := p.Extract()
			if err != nil {
				t.Fatal(err)
			}
			o, err := ReadOverrides(write(t, c.overrides))
			if err != nil {
				t.Fatal(err)
			}
			if err := o.Apply(p.Name, p.Version, ps); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("err = %v, want %q", err, c.want)
			}
		})
	}
	t.Run("ErrNoSource", func(t *testing.T) {
		_, err := ReadOverrides(write(t, `{"overrides": [{"provider": "p", "version": "1", "schema": "provider", "path": "x", "set": {}}]}`))
		if err == nil || !strings.Contains(err.Error(), "source are required") {
			t.Errorf("err = %v, want source required", err)
		}
	})
}
