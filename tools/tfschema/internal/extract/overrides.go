package extract

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"
)

// Overrides are corrections to an extracted schema, for what the package cannot tell (see
// Extract). Each names its source, a registry docs page or the provider's own code, so it can
// be checked again when the provider version changes: an override for another version than
// the package's is an error, not silently applied.
type Overrides struct {
	Overrides []Override `json:"overrides"`
}

// Override sets properties of one block or attribute.
type Override struct {
	Provider string `json:"provider"` // "registry.terraform.io/hashicorp/aws"
	Version  string `json:"version"`  // "6.25.0": the provider version it was checked against
	// Schema is "provider", "resource:<type>" or "data:<type>".
	Schema string `json:"schema"`
	// Path is the dotted path of a block or attribute in it: "default_tags", "rule.filter".
	Path   string `json:"path"`
	Set    Set    `json:"set"`
	Source string `json:"source"` // where the fact comes from (URL)
	Why    string `json:"why"`
}

// Set holds the properties an override can set; nil leaves one as it is.
type Set struct {
	NestingMode *string `json:"nesting_mode,omitempty"` // blocks: "single", "list", "set"
	MinItems    *uint64 `json:"min_items,omitempty"`    // blocks
	MaxItems    *uint64 `json:"max_items,omitempty"`    // blocks
	Sensitive   *bool   `json:"sensitive,omitempty"`    // attributes
}

// ReadOverrides reads an overrides file; every override must name its source.
func ReadOverrides(file string) (*Overrides, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("read overrides: %w", err)
	}
	o := &Overrides{}
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(o); err != nil {
		return nil, fmt.Errorf("read overrides %s: %w", file, err)
	}
	for i, ov := range o.Overrides {
		if ov.Provider == "" || ov.Version == "" || ov.Schema == "" || ov.Path == "" || ov.Source == "" {
			return nil, fmt.Errorf("read overrides %s: override %d: provider, version, schema, path and source are required", file, i+1)
		}
	}
	return o, nil
}

// Apply applies the overrides of provider addr to its schema ps at version.
func (o *Overrides) Apply(addr, version string, ps *tfjson.ProviderSchema) error {
	for i, ov := range o.Overrides {
		if ov.Provider != addr {
			continue
		}
		where := fmt.Sprintf("override %d (%s %s %s)", i+1, ov.Schema, ov.Path, ov.Source)
		if ov.Version != version {
			return fmt.Errorf("%s: checked against %s %s, but the package is %s: check the source again and update the version", where, addr, ov.Version, version)
		}
		var s *tfjson.Schema
		switch kind, name, _ := strings.Cut(ov.Schema, ":"); kind {
		case "provider":
			s = ps.ConfigSchema
		case "resource":
			s = ps.ResourceSchemas[name]
		case "data":
			s = ps.DataSourceSchemas[name]
		}
		if s == nil || s.Block == nil {
			return fmt.Errorf("%s: no such schema", where)
		}
		if err := apply(s.Block, strings.Split(ov.Path, "."), ov.Set); err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
	}
	return nil
}

func apply(b *tfjson.SchemaBlock, path []string, set Set) error {
	name := path[0]
	if len(path) > 1 {
		if bt := b.NestedBlocks[name]; bt != nil {
			return apply(bt.Block, path[1:], set)
		}
		return fmt.Errorf("no block %q", name)
	}
	if bt := b.NestedBlocks[name]; bt != nil {
		if set.Sensitive != nil {
			return fmt.Errorf("%q is a block: sensitive applies to attributes", name)
		}
		if set.NestingMode != nil {
			bt.NestingMode = tfjson.SchemaNestingMode(*set.NestingMode)
		}
		if set.MinItems != nil {
			bt.MinItems = *set.MinItems
		}
		if set.MaxItems != nil {
			bt.MaxItems = *set.MaxItems
		}
		return nil
	}
	if a := b.Attributes[name]; a != nil {
		if set.NestingMode != nil || set.MinItems != nil || set.MaxItems != nil {
			return fmt.Errorf("%q is an attribute: nesting_mode, min_items and max_items apply to blocks", name)
		}
		if set.Sensitive != nil {
			a.Sensitive = *set.Sensitive
		}
		return nil
	}
	return fmt.Errorf("no block or attribute %q", name)
}
