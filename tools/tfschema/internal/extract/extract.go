package extract

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/zclconf/go-cty/cty"
)

// Extract builds the provider's schema: the provider configuration, every resource and every
// data source, keyed by Terraform type name ("aws_s3_bucket"). Attributes carry their type and
// required/optional/computed; blocks their nesting mode ("single", "list", "set", "map") and
// min/max items; nested attributes (protocol 6 "nested_type") are told apart from blocks by the
// generator's "<name> block" doc summary, which only blocks have.
//
// What the package cannot tell is left loose, never stricter than the real provider: max_items
// of a list/set block above 1 (0 = unlimited here), min_items above 1, sensitivity, defaults and
// validators. Computed attributes nested in a computed-only object are plain object-typed
// attributes, as the SDKv2 schema has them. The warnings list anything unexpected (an unknown
// type, an attribute found in one source only); an empty list is the normal case.
func (p *Package) Extract() (*tfjson.ProviderSchema, []string, error) {
	if p.asm == nil {
		return nil, nil, fmt.Errorf("extract: no jsii assembly")
	}
	b := &builder{p: p, files: map[string]*tsFile{}}
	ps := &tfjson.ProviderSchema{
		ResourceSchemas:   map[string]*tfjson.Schema{},
		DataSourceSchemas: map[string]*tfjson.Schema{},
	}
	names := make([]string, 0, len(p.asm.Types))
	for n := range p.asm.Types {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		t := p.asm.Types[n]
		if t.Kind != "class" {
			continue
		}
		var into map[string]*tfjson.Schema
		switch t.Base {
		case "cdktf.TerraformResource":
			into = ps.ResourceSchemas
		case "cdktf.TerraformDataSource":
			into = ps.DataSourceSchemas
		case "cdktf.TerraformProvider":
		default:
			continue
		}
		f, err := b.file(t)
		if err != nil {
			return nil, nil, err
		}
		tfName := f.tfType[t.Name]
		if tfName == "" {
			return nil, nil, fmt.Errorf("extract: class %s: no tfResourceType in %s", t.FQN, t.Location.Filename)
		}
		// The constructor's config parameter: <Name>Config, renamed (ConfigA) on a clash.
		var cfg *jsiiType
		if t.Initializer != nil {
			for _, prm := range t.Initializer.Parameters {
				if prm.Name == "config" {
					cfg = p.asm.Types[prm.Type.FQN]
				}
			}
		}
		if cfg == nil {
			return nil, nil, fmt.Errorf("extract: class %s (%s): no config parameter in its constructor", t.FQN, tfName)
		}
		blk, err := b.object(tfName, cfg, t, f.hcl[t.Name], t.Base == "cdktf.TerraformProvider")
		if err != nil {
			return nil, nil, err
		}
		s := &tfjson.Schema{Block: blk}
		if into == nil {
			ps.ConfigSchema = s
		} else {
			into[tfName] = s
		}
	}
	if ps.ConfigSchema == nil {
		return nil, nil, fmt.Errorf("extract: no provider class (base cdktf.TerraformProvider)")
	}
	return ps, b.warnings, nil
}

type builder struct {
	p        *Package
	files    map[string]*tsFile
	warnings []string
}

func (b *builder) warnf(format string, args ...any) {
	b.warnings = append(b.warnings, fmt.Sprintf(format, args...))
}

// file returns the scanned TypeScript source that declares t.
func (b *builder) file(t *jsiiType) (*tsFile, error) {
	name := t.Location.Filename
	if f, ok := b.files[name]; ok {
		return f, nil
	}
	src, ok := b.p.sources[name]
	if !ok {
		return nil, fmt.Errorf("extract: %s: TypeScript source %s not in the package's source maps", t.FQN, name)
	}
	f := scanTS(src)
	b.files[name] = f
	return f, nil
}

func (b *builder) typ(fqn string) *jsiiType { return b.p.asm.Types[fqn] }

// field is one attribute or block of an object, with everything known about it.
type field struct {
	tsField
	settable *jsiiProp // on the Config/struct interface: can be set in configuration
	getter   *jsiiProp // on the class: can be read
	hcl      *hclEntry
}

// object builds the schema block of a resource (cfg = its Config interface, cls = its class) or
// of a nested block or nested attribute (cfg = the struct interface, cls = its OutputReference
// class, or nil for provider configuration structs, which have none). path names it in errors.
func (b *builder) object(path string, cfg, cls *jsiiType, hcl []hclEntry, provider bool) (*tfjson.SchemaBlock, error) {
	fields, err := b.fields(path, cfg, cls, hcl, provider)
	if err != nil {
		return nil, err
	}
	blk := &tfjson.SchemaBlock{Attributes: map[string]*tfjson.SchemaAttribute{}, NestedBlocks: map[string]*tfjson.SchemaBlockType{}}
	for _, fd := range fields {
		p := path + "." + fd.TF
		t := fd.getterType()
		if fd.settable != nil {
			t = fd.settable.Type
		}
		k, err := b.kind(p, t, fd.Accessor)
		var ue *untypedError
		if errors.As(err, &ue) {
			// cdktf types a block too deep or too large to generate (e.g. aws_quicksight_*
			// definition) as `any`: its structure is not in the package.
			b.warnf("%s: left out: %v", p, err)
			continue
		}
		if err != nil {
			return nil, err
		}
		if fd.hcl != nil && fd.hcl.Type == "set" || fd.Set {
			k.set = true
		}
		required := fd.Required
		optional := fd.Optional && !required
		computed := fd.Computed && !required // nested in a computed parent, cdktf marks both
		if !required && !optional && !computed {
			optional = true
		}
		if k.obj == nil {
			blk.Attributes[fd.TF] = &tfjson.SchemaAttribute{AttributeType: k.cty(), Required: required, Optional: optional, Computed: computed}
			continue
		}
		if fd.settable == nil { // a computed-only object: an object-typed attribute
			ot, err := b.objectType(p, k.obj)
			if err != nil {
				return nil, err
			}
			blk.Attributes[fd.TF] = &tfjson.SchemaAttribute{AttributeType: k.wrap(ot), Computed: true}
			continue
		}
		nestedCls := b.typ(k.obj.FQN + "OutputReference")
		nf, err := b.file(k.obj)
		if err != nil {
			return nil, err
		}
		nested, err := b.object(p, k.obj, nestedCls, nf.hcl[k.obj.Name], provider)
		if err != nil {
			return nil, err
		}
		mode := k.nesting(fd.hcl)
		if isBlockDoc(fd.TF, fd.settable.Docs) {
			bt := &tfjson.SchemaBlockType{NestingMode: mode, Block: nested}
			switch {
			case mode == tfjson.SchemaNestingModeSingle:
				// tofu: min and max items of a single block are both 0 or both 1
			case k.single: // a list/set block with max_items = 1
				bt.MaxItems = 1
				if required {
					bt.MinItems = 1
				}
			case required:
				bt.MinItems = 1
			}
			blk.NestedBlocks[fd.TF] = bt
			continue
		}
		if len(nested.NestedBlocks) > 0 {
			return nil, fmt.Errorf("extract: %s: a nested attribute with blocks inside", p)
		}
		blk.Attributes[fd.TF] = &tfjson.SchemaAttribute{
			AttributeNestedType: &tfjson.SchemaNestedAttributeType{Attributes: nested.Attributes, NestingMode: mode},
			Required:            required, Optional: optional, Computed: computed,
		}
	}
	return blk, nil
}

func (fd *field) getterType() typeRef {
	if fd.getter == nil {
		return typeRef{}
	}
	return fd.getter.Type
}

// fields lists an object's attributes and blocks: from the class's flagged getters when it has
// a class; otherwise (provider configuration) from the HCL synthesis entries and the interface.
func (b *builder) fields(path string, cfg, cls *jsiiType, hcl []hclEntry, provider bool) ([]field, error) {
	hclByTF := map[string]*hclEntry{}
	for i := range hcl {
		hclByTF[hcl[i].TF] = &hcl[i]
	}
	var flagged []tsField
	if cls != nil {
		f, err := b.file(cls)
		if err != nil {
			return nil, err
		}
		if c := f.classes[cls.Name]; c != nil {
			flagged = c.fields
		}
	}
	var out []field
	if len(flagged) > 0 {
		seen := map[string]bool{}
		for _, tf := range flagged {
			fd := field{tsField: tf, getter: cls.prop(tf.Camel), settable: cfg.prop(tf.Camel), hcl: hclByTF[tf.TF]}
			if fd.settable == nil && fd.hcl != nil {
				fd.settable = cfg.prop(fd.hcl.Camel)
			}
			if fd.settable != nil && fd.hcl == nil && !provider {
				b.warnf("%s.%s: settable but no HCL synthesis entry (list/set/single unknown)", path, tf.TF)
			}
			if provider && tf.TF == "alias" { // a meta-argument, not part of the schema
				continue
			}
			if fd.getter == nil && fd.settable == nil {
				return nil, fmt.Errorf("extract: %s.%s: getter %s not in the jsii class %s", path, tf.TF, tf.Camel, cls.FQN)
			}
			seen[tf.TF] = true
			out = append(out, fd)
		}
		for _, h := range hcl {
			if !seen[h.TF] && !(provider && h.TF == "alias") {
				b.warnf("%s.%s: settable (HCL synthesis) but no flagged getter; left out", path, h.TF)
			}
		}
		return out, nil
	}
	for i := range hcl {
		h := &hcl[i]
		if provider && h.TF == "alias" {
			continue
		}
		sp := cfg.prop(h.Camel)
		if sp == nil {
			return nil, fmt.Errorf("extract: %s.%s: property %s not in the jsii interface %s", path, h.TF, h.Camel, cfg.FQN)
		}
		out = append(out, field{
			tsField:  tsField{TF: h.TF, Camel: h.Camel, Optional: sp.Optional, Required: !sp.Optional},
			settable: sp, hcl: h,
		})
	}
	if len(out) == 0 && cfg != nil && len(cfg.Properties) > 0 {
		return nil, fmt.Errorf("extract: %s: %s has properties but no flagged getters or HCL entries were found", path, cfg.FQN)
	}
	return out, nil
}

var reBlockDoc = regexp.MustCompile(`^(\S+) block\.?$`)

// isBlockDoc reports whether the generator documented the argument as a block ("<tf> block").
func isBlockDoc(tf string, d jsiiDocs) bool {
	m := reBlockDoc.FindStringSubmatch(strings.TrimSpace(d.Summary))
	return m != nil && m[1] == tf
}

// kindOf is a resolved jsii type: a primitive (elem), a collection of one, or (obj) a
// struct interface / OutputReference class, possibly in a collection.
type kindOf struct {
	elem   cty.Type  // a primitive or a nested collection type, when obj is nil
	obj    *jsiiType // struct interface or OutputReference class
	coll   string    // "", "list", "map"
	set    bool      // the list is a set
	single bool      // an object not in a collection (a max_items = 1 block or single nesting)
}

func (k kindOf) cty() cty.Type { return k.wrap(k.elem) }

func (k kindOf) wrap(t cty.Type) cty.Type {
	switch {
	case k.coll == "map":
		return cty.Map(t)
	case k.coll == "list" && k.set:
		return cty.Set(t)
	case k.coll == "list":
		return cty.List(t)
	}
	return t
}

// nesting is the nesting mode of a struct argument: the HCL synthesis kind tells "struct"
// (single nesting) from a list or set that allows one item.
func (k kindOf) nesting(h *hclEntry) tfjson.SchemaNestingMode {
	switch {
	case k.coll == "map":
		return tfjson.SchemaNestingModeMap
	case k.set:
		return tfjson.SchemaNestingModeSet
	case k.single && (h == nil || h.Type == "struct"):
		return tfjson.SchemaNestingModeSingle
	}
	return tfjson.SchemaNestingModeList
}

// untypedError: the package gives no Terraform type (jsii "any", cdktf.IResolvable, AnyMap).
type untypedError struct{ path, jsii string }

func (e *untypedError) Error() string {
	return fmt.Sprintf("untyped in the package (%s): tofu test could not mock it", e.jsii)
}

var cdktfMaps = map[string]cty.Type{
	"cdktf.StringMap":      cty.Map(cty.String),
	"cdktf.NumberMap":      cty.Map(cty.Number),
	"cdktf.BooleanMap":     cty.Map(cty.Bool),
	"cdktf.StringMapList":  cty.List(cty.Map(cty.String)),
	"cdktf.NumberMapList":  cty.List(cty.Map(cty.Number)),
	"cdktf.BooleanMapList": cty.List(cty.Map(cty.Bool)),
	"cdktf.StringListMap":  cty.Map(cty.List(cty.String)),
	"cdktf.NumberListMap":  cty.Map(cty.List(cty.Number)),
	"cdktf.StringListList": cty.List(cty.List(cty.String)),
	"cdktf.NumberListList": cty.List(cty.List(cty.Number)),
}

// kind resolves a jsii type reference of an attribute or block.
//
// A getter's type can be plain cdktf.IResolvable (computed booleans are read as tokens);
// accessor, the cdktf method the getter calls, tells the Terraform type then.
func (b *builder) kind(path string, t typeRef, accessor string) (kindOf, error) {
	if t.Union != nil { // X | cdktf.IResolvable: X
		var rest []typeRef
		for _, u := range t.Union.Types {
			if u.FQN != "cdktf.IResolvable" {
				rest = append(rest, u)
			}
		}
		if len(rest) != 1 {
			return kindOf{}, fmt.Errorf("extract: %s: union type without a single concrete member", path)
		}
		t = rest[0]
	}
	switch {
	case t.Primitive != "":
		switch t.Primitive {
		case "string":
			return kindOf{elem: cty.String}, nil
		case "number":
			return kindOf{elem: cty.Number}, nil
		case "boolean":
			return kindOf{elem: cty.Bool}, nil
		}
		return kindOf{}, &untypedError{path, t.Primitive}
	case t.Collection != nil:
		e, err := b.kind(path, t.Collection.ElementType, "")
		if err != nil {
			return kindOf{}, err
		}
		coll := "list"
		if t.Collection.Kind == "map" {
			coll = "map"
		}
		if e.obj != nil {
			if e.coll != "" {
				return kindOf{}, fmt.Errorf("extract: %s: collection of collections of objects", path)
			}
			return kindOf{obj: e.obj, coll: coll}, nil
		}
		return kindOf{elem: e.cty(), coll: coll}, nil
	case t.FQN != "":
		if m, ok := cdktfMaps[t.FQN]; ok {
			return kindOf{elem: m}, nil
		}
		if t.FQN == "cdktf.IResolvable" && accessor == "getBooleanAttribute" {
			return kindOf{elem: cty.Bool}, nil
		}
		if strings.HasPrefix(t.FQN, "cdktf.") {
			return kindOf{}, &untypedError{path, t.FQN}
		}
		jt := b.typ(t.FQN)
		if jt == nil {
			return kindOf{}, fmt.Errorf("extract: %s: type %s not in the assembly", path, t.FQN)
		}
		switch {
		case jt.Kind == "interface" && jt.Datatype:
			return kindOf{obj: jt, single: true}, nil
		case jt.Base == "cdktf.ComplexObject":
			return kindOf{obj: jt, single: true}, nil
		case jt.Base == "cdktf.ComplexList", jt.Base == "cdktf.ComplexMap":
			get := jt.method("get")
			if get == nil || get.Returns == nil || get.Returns.Type.FQN == "" {
				return kindOf{}, fmt.Errorf("extract: %s: %s has no get() returning its element class", path, t.FQN)
			}
			el := b.typ(get.Returns.Type.FQN)
			if el == nil {
				return kindOf{}, fmt.Errorf("extract: %s: element class %s not in the assembly", path, get.Returns.Type.FQN)
			}
			coll := "list"
			if jt.Base == "cdktf.ComplexMap" {
				coll = "map"
			}
			return kindOf{obj: el, coll: coll}, nil
		}
		return kindOf{}, fmt.Errorf("extract: %s: unexpected type %s (kind %s, base %s)", path, t.FQN, jt.Kind, jt.Base)
	}
	return kindOf{}, fmt.Errorf("extract: %s: empty type", path)
}

// objectType is the cty object type of a computed-only nested object, read from its
// OutputReference class (or, given the struct interface, the class of that name).
func (b *builder) objectType(path string, obj *jsiiType) (cty.Type, error) {
	cls := obj
	if obj.Kind == "interface" {
		if c := b.typ(obj.FQN + "OutputReference"); c != nil {
			cls = c
		}
	}
	f, err := b.file(cls)
	if err != nil {
		return cty.NilType, err
	}
	c := f.classes[cls.Name]
	if c == nil {
		return cty.NilType, fmt.Errorf("extract: %s: no TypeScript class %s", path, cls.Name)
	}
	attrs := map[string]cty.Type{}
	for _, tf := range c.fields {
		p := path + "." + tf.TF
		g := cls.prop(tf.Camel)
		if g == nil {
			return cty.NilType, fmt.Errorf("extract: %s: getter %s not in the jsii class %s", p, tf.Camel, cls.FQN)
		}
		k, err := b.kind(p, g.Type, tf.Accessor)
		var ue *untypedError
		if errors.As(err, &ue) {
			b.warnf("%s: left out: %v", p, err)
			continue
		}
		if err != nil {
			return cty.NilType, err
		}
		if tf.Set {
			k.set = true
		}
		if k.obj == nil {
			attrs[tf.TF] = k.cty()
			continue
		}
		ot, err := b.objectType(p, k.obj)
		if err != nil {
			return cty.NilType, err
		}
		attrs[tf.TF] = k.wrap(ot)
	}
	return cty.Object(attrs), nil
}
