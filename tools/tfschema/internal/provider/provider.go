// Package provider is a schema-only Terraform provider (plugin protocol 6): it serves a provider
// schema read from a `tofu providers schema -json` document, so that `tofu init`, `tofu validate`
// and `tofu test` with mock_provider give OpenTofu's own errors for configuration written for the
// real provider, with no network and no cloud account.
//
// It validates nothing beyond the schema (Validate* return no diagnostics: the real provider's
// value validators are not known) and refuses everything that would touch the real service:
// ConfigureProvider, plan, apply, read, import and move return ErrSchemaOnly's message as an
// error diagnostic. UpgradeResourceState works (tofu test calls it on mocked state).
package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// ErrSchemaOnly is the summary of the error diagnostic of every call that needs the real provider.
const ErrSchemaOnly = "schema-only provider: use mock_provider in tofu test; plan against AWS needs the real provider"

// Server serves one provider's schema. Create it with Load.
type Server struct {
	// Address is the provider's source address in the schema document,
	// e.g. "registry.terraform.io/hashicorp/aws".
	Address string

	schema    *tfprotov6.GetProviderSchemaResponse
	resources map[string]tftypes.Type // resource type → its object type, for UpgradeResourceState
}

var _ tfprotov6.ProviderServer = (*Server)(nil)

// Load reads a schema document (the JSON of `tofu providers schema -json`, holding exactly one
// provider) from file and returns a Server for it. It fails on a schema tofu would refuse (an
// attribute both required and computed, or with no type); errors name the file and the attribute.
//
// OpenTofu starts a provider for nearly every command (nine times for one validate and test of
// a module), so loading is the provider's main cost: the document is decoded into the small
// structs of schemaDoc, with types converted once per distinct JSON spelling, not through
// terraform-json and cty (five times slower on the aws schema).
func Load(file string) (*Server, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("load provider schema: %w", err)
	}
	var doc schemaDoc
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("load provider schema %s: %w", file, err)
	}
	if doc.FormatVersion == "" || !strings.HasPrefix(doc.FormatVersion, "1.") {
		return nil, fmt.Errorf("load provider schema %s: format_version %q, want 1.x", file, doc.FormatVersion)
	}
	if len(doc.ProviderSchemas) != 1 {
		return nil, fmt.Errorf("load provider schema %s: %d providers in the document, want 1", file, len(doc.ProviderSchemas))
	}
	for addr, ps := range doc.ProviderSchemas {
		s, err := newServer(addr, ps)
		if err != nil {
			return nil, fmt.Errorf("load provider schema %s: %w", file, err)
		}
		return s, nil
	}
	panic("unreachable")
}

func newServer(addr string, ps *providerDoc) (*Server, error) {
	s := &Server{Address: addr, resources: map[string]tftypes.Type{}}
	c := &converter{types: map[string]tftypes.Type{}}
	resp := &tfprotov6.GetProviderSchemaResponse{
		ResourceSchemas:          map[string]*tfprotov6.Schema{},
		DataSourceSchemas:        map[string]*tfprotov6.Schema{},
		Functions:                map[string]*tfprotov6.Function{},
		EphemeralResourceSchemas: map[string]*tfprotov6.Schema{},
		ListResourceSchemas:      map[string]*tfprotov6.Schema{},
		ActionSchemas:            map[string]*tfprotov6.ActionSchema{},
		ServerCapabilities:       &tfprotov6.ServerCapabilities{PlanDestroy: true},
	}
	var err error
	if ps.Provider != nil {
		if resp.Provider, err = c.schema("provider", ps.Provider); err != nil {
			return nil, err
		}
	} else {
		resp.Provider = &tfprotov6.Schema{Block: &tfprotov6.SchemaBlock{}}
	}
	for name, rs := range ps.Resources {
		if resp.ResourceSchemas[name], err = c.schema(name, rs); err != nil {
			return nil, err
		}
		s.resources[name] = resp.ResourceSchemas[name].ValueType()
	}
	for name, ds := range ps.DataSources {
		if resp.DataSourceSchemas[name], err = c.schema("data."+name, ds); err != nil {
			return nil, err
		}
	}
	s.schema = resp
	return s, nil
}

func refuse() []*tfprotov6.Diagnostic {
	return []*tfprotov6.Diagnostic{{Severity: tfprotov6.DiagnosticSeverityError, Summary: ErrSchemaOnly,
		Detail: "This provider only knows the real provider's schema (for tofu init, validate and test with mock_provider). Configure, plan, apply, refresh and import need the real provider and cloud credentials."}}
}

// GetMetadata lists the resource and data source types.
func (s *Server) GetMetadata(context.Context, *tfprotov6.GetMetadataRequest) (*tfprotov6.GetMetadataResponse, error) {
	resp := &tfprotov6.GetMetadataResponse{ServerCapabilities: s.schema.ServerCapabilities}
	for _, n := range sortedKeys(s.schema.ResourceSchemas) {
		resp.Resources = append(resp.Resources, tfprotov6.ResourceMetadata{TypeName: n})
	}
	for _, n := range sortedKeys(s.schema.DataSourceSchemas) {
		resp.DataSources = append(resp.DataSources, tfprotov6.DataSourceMetadata{TypeName: n})
	}
	return resp, nil
}

// GetProviderSchema returns the whole schema.
func (s *Server) GetProviderSchema(context.Context, *tfprotov6.GetProviderSchemaRequest) (*tfprotov6.GetProviderSchemaResponse, error) {
	return s.schema, nil
}

// GetResourceIdentitySchemas returns none: resource identities are not part of the schema served.
func (s *Server) GetResourceIdentitySchemas(context.Context, *tfprotov6.GetResourceIdentitySchemasRequest) (*tfprotov6.GetResourceIdentitySchemasResponse, error) {
	return &tfprotov6.GetResourceIdentitySchemasResponse{IdentitySchemas: map[string]*tfprotov6.ResourceIdentitySchema{}}, nil
}

// ValidateProviderConfig accepts any configuration that fits the schema (tofu checks that).
func (s *Server) ValidateProviderConfig(context.Context, *tfprotov6.ValidateProviderConfigRequest) (*tfprotov6.ValidateProviderConfigResponse, error) {
	return &tfprotov6.ValidateProviderConfigResponse{}, nil
}

// ConfigureProvider refuses: a configured provider would talk to the real service.
func (s *Server) ConfigureProvider(context.Context, *tfprotov6.ConfigureProviderRequest) (*tfprotov6.ConfigureProviderResponse, error) {
	return &tfprotov6.ConfigureProviderResponse{Diagnostics: refuse()}, nil
}

// StopProvider has nothing to stop.
func (s *Server) StopProvider(context.Context, *tfprotov6.StopProviderRequest) (*tfprotov6.StopProviderResponse, error) {
	return &tfprotov6.StopProviderResponse{}, nil
}

// ValidateResourceConfig accepts any configuration that fits the schema.
func (s *Server) ValidateResourceConfig(context.Context, *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	return &tfprotov6.ValidateResourceConfigResponse{}, nil
}

// UpgradeResourceState decodes stored state with the current schema (state version 0, no
// upgrades): tofu test calls it on the mocked state it destroys at the end of a run.
func (s *Server) UpgradeResourceState(_ context.Context, req *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	typ, ok := s.resources[req.TypeName]
	if !ok {
		return &tfprotov6.UpgradeResourceStateResponse{Diagnostics: errorDiag("unknown resource type %q", req.TypeName)}, nil
	}
	if req.RawState == nil {
		v, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, nil))
		if err != nil {
			return nil, err
		}
		return &tfprotov6.UpgradeResourceStateResponse{UpgradedState: &v}, nil
	}
	val, err := req.RawState.UnmarshalWithOpts(typ, tfprotov6.UnmarshalOpts{ValueFromJSONOpts: tftypes.ValueFromJSONOpts{IgnoreUndefinedAttributes: true}})
	if err != nil {
		return &tfprotov6.UpgradeResourceStateResponse{Diagnostics: errorDiag("decode %s state: %v", req.TypeName, err)}, nil
	}
	dv, err := tfprotov6.NewDynamicValue(typ, val)
	if err != nil {
		return nil, err
	}
	return &tfprotov6.UpgradeResourceStateResponse{UpgradedState: &dv}, nil
}

// ReadResource refuses (a refresh reads the real service).
func (s *Server) ReadResource(context.Context, *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	return &tfprotov6.ReadResourceResponse{Diagnostics: refuse()}, nil
}

// PlanResourceChange refuses.
func (s *Server) PlanResourceChange(context.Context, *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	return &tfprotov6.PlanResourceChangeResponse{Diagnostics: refuse()}, nil
}

// ApplyResourceChange refuses.
func (s *Server) ApplyResourceChange(context.Context, *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	return &tfprotov6.ApplyResourceChangeResponse{Diagnostics: refuse()}, nil
}

// ImportResourceState refuses.
func (s *Server) ImportResourceState(context.Context, *tfprotov6.ImportResourceStateRequest) (*tfprotov6.ImportResourceStateResponse, error) {
	return &tfprotov6.ImportResourceStateResponse{Diagnostics: refuse()}, nil
}

// MoveResourceState refuses.
func (s *Server) MoveResourceState(context.Context, *tfprotov6.MoveResourceStateRequest) (*tfprotov6.MoveResourceStateResponse, error) {
	return &tfprotov6.MoveResourceStateResponse{Diagnostics: refuse()}, nil
}

// UpgradeResourceIdentity refuses: no identity schemas are served.
func (s *Server) UpgradeResourceIdentity(context.Context, *tfprotov6.UpgradeResourceIdentityRequest) (*tfprotov6.UpgradeResourceIdentityResponse, error) {
	return &tfprotov6.UpgradeResourceIdentityResponse{Diagnostics: refuse()}, nil
}

// GenerateResourceConfig refuses.
func (s *Server) GenerateResourceConfig(context.Context, *tfprotov6.GenerateResourceConfigRequest) (*tfprotov6.GenerateResourceConfigResponse, error) {
	return &tfprotov6.GenerateResourceConfigResponse{Diagnostics: refuse()}, nil
}

// ValidateDataResourceConfig accepts any configuration that fits the schema.
func (s *Server) ValidateDataResourceConfig(context.Context, *tfprotov6.ValidateDataResourceConfigRequest) (*tfprotov6.ValidateDataResourceConfigResponse, error) {
	return &tfprotov6.ValidateDataResourceConfigResponse{}, nil
}

// ReadDataSource refuses (a data source reads the real service).
func (s *Server) ReadDataSource(context.Context, *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	return &tfprotov6.ReadDataSourceResponse{Diagnostics: refuse()}, nil
}

// GetFunctions returns none: provider functions are not part of the schema served.
func (s *Server) GetFunctions(context.Context, *tfprotov6.GetFunctionsRequest) (*tfprotov6.GetFunctionsResponse, error) {
	return &tfprotov6.GetFunctionsResponse{Functions: map[string]*tfprotov6.Function{}}, nil
}

// CallFunction refuses: there are no functions.
func (s *Server) CallFunction(_ context.Context, req *tfprotov6.CallFunctionRequest) (*tfprotov6.CallFunctionResponse, error) {
	return &tfprotov6.CallFunctionResponse{Error: &tfprotov6.FunctionError{Text: fmt.Sprintf("%s: function %q is not served", ErrSchemaOnly, req.Name)}}, nil
}

// ValidateEphemeralResourceConfig accepts anything (no ephemeral resources are served).
func (s *Server) ValidateEphemeralResourceConfig(context.Context, *tfprotov6.ValidateEphemeralResourceConfigRequest) (*tfprotov6.ValidateEphemeralResourceConfigResponse, error) {
	return &tfprotov6.ValidateEphemeralResourceConfigResponse{}, nil
}

// OpenEphemeralResource refuses.
func (s *Server) OpenEphemeralResource(context.Context, *tfprotov6.OpenEphemeralResourceRequest) (*tfprotov6.OpenEphemeralResourceResponse, error) {
	return &tfprotov6.OpenEphemeralResourceResponse{Diagnostics: refuse()}, nil
}

// RenewEphemeralResource refuses.
func (s *Server) RenewEphemeralResource(context.Context, *tfprotov6.RenewEphemeralResourceRequest) (*tfprotov6.RenewEphemeralResourceResponse, error) {
	return &tfprotov6.RenewEphemeralResourceResponse{Diagnostics: refuse()}, nil
}

// CloseEphemeralResource has nothing to close.
func (s *Server) CloseEphemeralResource(context.Context, *tfprotov6.CloseEphemeralResourceRequest) (*tfprotov6.CloseEphemeralResourceResponse, error) {
	return &tfprotov6.CloseEphemeralResourceResponse{}, nil
}

func errorDiag(format string, args ...any) []*tfprotov6.Diagnostic {
	return []*tfprotov6.Diagnostic{{Severity: tfprotov6.DiagnosticSeverityError, Summary: fmt.Sprintf(format, args...)}}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// schemaDoc is the part of a `tofu providers schema -json` document that the provider serves.
// Format: https://developer.hashicorp.com/terraform/cli/commands/providers/schema
type schemaDoc struct {
	FormatVersion   string                  `json:"format_version"`
	ProviderSchemas map[string]*providerDoc `json:"provider_schemas"`
}

type providerDoc struct {
	Provider    *schemaJSON            `json:"provider"`
	Resources   map[string]*schemaJSON `json:"resource_schemas"`
	DataSources map[string]*schemaJSON `json:"data_source_schemas"`
}

type schemaJSON struct {
	Version int64      `json:"version"`
	Block   *blockJSON `json:"block"`
}

type blockJSON struct {
	Attributes map[string]*attributeJSON `json:"attributes"`
	BlockTypes map[string]*blockTypeJSON `json:"block_types"`
	Deprecated bool                      `json:"deprecated"`
}

type attributeJSON struct {
	Type       json.RawMessage `json:"type"`
	NestedType *struct {
		Attributes  map[string]*attributeJSON `json:"attributes"`
		NestingMode string                    `json:"nesting_mode"`
	} `json:"nested_type"`
	Required   bool `json:"required"`
	Optional   bool `json:"optional"`
	Computed   bool `json:"computed"`
	Sensitive  bool `json:"sensitive"`
	Deprecated bool `json:"deprecated"`
	WriteOnly  bool `json:"write_only"`
}

type blockTypeJSON struct {
	NestingMode string     `json:"nesting_mode"`
	Block       *blockJSON `json:"block"`
	MinItems    int64      `json:"min_items"`
	MaxItems    int64      `json:"max_items"`
}

// converter turns the document's schemas into their protocol 6 form; types caches each
// distinct type spelling (most attributes are "string", ["map","string"], …).
type converter struct {
	types map[string]tftypes.Type
}

func (c *converter) schema(path string, s *schemaJSON) (*tfprotov6.Schema, error) {
	if s == nil || s.Block == nil {
		return nil, fmt.Errorf("%s: no schema block", path)
	}
	b, err := c.block(path, s.Block)
	if err != nil {
		return nil, err
	}
	return &tfprotov6.Schema{Version: s.Version, Block: b}, nil
}

var blockModes = map[string]tfprotov6.SchemaNestedBlockNestingMode{
	"single": tfprotov6.SchemaNestedBlockNestingModeSingle,
	"group":  tfprotov6.SchemaNestedBlockNestingModeGroup,
	"list":   tfprotov6.SchemaNestedBlockNestingModeList,
	"set":    tfprotov6.SchemaNestedBlockNestingModeSet,
	"map":    tfprotov6.SchemaNestedBlockNestingModeMap,
}

var objectModes = map[string]tfprotov6.SchemaObjectNestingMode{
	"single": tfprotov6.SchemaObjectNestingModeSingle,
	"list":   tfprotov6.SchemaObjectNestingModeList,
	"set":    tfprotov6.SchemaObjectNestingModeSet,
	"map":    tfprotov6.SchemaObjectNestingModeMap,
}

func (c *converter) block(path string, b *blockJSON) (*tfprotov6.SchemaBlock, error) {
	out := &tfprotov6.SchemaBlock{Deprecated: b.Deprecated}
	for _, name := range sortedKeys(b.Attributes) {
		a, err := c.attribute(path+"."+name, name, b.Attributes[name])
		if err != nil {
			return nil, err
		}
		out.Attributes = append(out.Attributes, a)
	}
	for _, name := range sortedKeys(b.BlockTypes) {
		bt := b.BlockTypes[name]
		if _, clash := b.Attributes[name]; clash {
			return nil, fmt.Errorf("%s.%s: both an attribute and a block", path, name)
		}
		mode, ok := blockModes[bt.NestingMode]
		if !ok {
			return nil, fmt.Errorf("%s.%s: unknown block nesting mode %q", path, name, bt.NestingMode)
		}
		if bt.Block == nil {
			return nil, fmt.Errorf("%s.%s: block type without a block", path, name)
		}
		inner, err := c.block(path+"."+name, bt.Block)
		if err != nil {
			return nil, err
		}
		out.BlockTypes = append(out.BlockTypes, &tfprotov6.SchemaNestedBlock{
			TypeName: name, Block: inner, Nesting: mode, MinItems: bt.MinItems, MaxItems: bt.MaxItems,
		})
	}
	return out, nil
}

func (c *converter) attribute(path, name string, a *attributeJSON) (*tfprotov6.SchemaAttribute, error) {
	if a.Required && (a.Optional || a.Computed) {
		return nil, fmt.Errorf("%s: required and also optional or computed", path)
	}
	if !a.Required && !a.Optional && !a.Computed {
		return nil, fmt.Errorf("%s: neither required, optional nor computed", path)
	}
	out := &tfprotov6.SchemaAttribute{
		Name: name, Required: a.Required, Optional: a.Optional, Computed: a.Computed,
		Sensitive: a.Sensitive, Deprecated: a.Deprecated, WriteOnly: a.WriteOnly,
	}
	if a.NestedType != nil {
		mode, ok := objectModes[a.NestedType.NestingMode]
		if !ok {
			return nil, fmt.Errorf("%s: unknown nested attribute nesting mode %q", path, a.NestedType.NestingMode)
		}
		obj := &tfprotov6.SchemaObject{Nesting: mode}
		for _, n := range sortedKeys(a.NestedType.Attributes) {
			na, err := c.attribute(path+"."+n, n, a.NestedType.Attributes[n])
			if err != nil {
				return nil, err
			}
			obj.Attributes = append(obj.Attributes, na)
		}
		out.NestedType = obj
		return out, nil
	}
	if len(a.Type) == 0 {
		return nil, fmt.Errorf("%s: no type", path)
	}
	t, ok := c.types[string(a.Type)]
	if !ok {
		var spec any
		if err := json.Unmarshal(a.Type, &spec); err != nil {
			return nil, fmt.Errorf("%s: type: %w", path, err)
		}
		var err error
		if t, err = tfType(spec); err != nil {
			return nil, fmt.Errorf("%s: type %s: %w", path, a.Type, err)
		}
		c.types[string(a.Type)] = t
	}
	out.Type = t
	return out, nil
}

// tfType converts a type in the document's JSON form (cty's: "string", ["list", T],
// ["object", {"name": T}, ["optional_name"]], ["tuple", [T…]]) into its tftypes form.
func tfType(spec any) (tftypes.Type, error) {
	switch v := spec.(type) {
	case string:
		switch v {
		case "string":
			return tftypes.String, nil
		case "number":
			return tftypes.Number, nil
		case "bool":
			return tftypes.Bool, nil
		case "dynamic":
			return tftypes.DynamicPseudoType, nil
		}
		return nil, fmt.Errorf("unknown primitive type %q", v)
	case []any:
		if len(v) < 2 {
			return nil, fmt.Errorf("malformed type %v", v)
		}
		kind, _ := v[0].(string)
		switch kind {
		case "list", "set", "map":
			e, err := tfType(v[1])
			if err != nil {
				return nil, err
			}
			switch kind {
			case "list":
				return tftypes.List{ElementType: e}, nil
			case "set":
				return tftypes.Set{ElementType: e}, nil
			}
			return tftypes.Map{ElementType: e}, nil
		case "object":
			fields, ok := v[1].(map[string]any)
			if !ok {
				return nil, fmt.Errorf("malformed object type %v", v)
			}
			attrs := make(map[string]tftypes.Type, len(fields))
			for n, f := range fields {
				t, err := tfType(f)
				if err != nil {
					return nil, err
				}
				attrs[n] = t
			}
			obj := tftypes.Object{AttributeTypes: attrs}
			if len(v) > 2 {
				names, _ := v[2].([]any)
				for _, n := range names {
					if s, ok := n.(string); ok {
						if obj.OptionalAttributes == nil {
							obj.OptionalAttributes = map[string]struct{}{}
						}
						obj.OptionalAttributes[s] = struct{}{}
					}
				}
			}
			return obj, nil
		case "tuple":
			elems, ok := v[1].([]any)
			if !ok {
				return nil, fmt.Errorf("malformed tuple type %v", v)
			}
			var out []tftypes.Type
			for _, e := range elems {
				t, err := tfType(e)
				if err != nil {
					return nil, err
				}
				out = append(out, t)
			}
			return tftypes.Tuple{ElementTypes: out}, nil
		}
		return nil, fmt.Errorf("unknown type kind %q", kind)
	}
	return nil, fmt.Errorf("malformed type %v", spec)
}
