package extract

import (
	"bufio"
	"regexp"
	"strings"
)

// assembly is the part of a jsii assembly (.jsii) that Extract reads.
// Spec: https://aws.github.io/jsii/specification/2-type-system/
type assembly struct {
	Types map[string]*jsiiType `json:"types"`
}

type jsiiType struct {
	FQN      string `json:"fqn"`
	Kind     string `json:"kind"` // "class", "interface", "enum"
	Name     string `json:"name"`
	Base     string `json:"base"`     // classes: the parent class FQN
	Datatype bool   `json:"datatype"` // interfaces: a struct (plain data)
	Location struct {
		Filename string `json:"filename"` // "src/s3-bucket/index.ts"
	} `json:"locationInModule"`
	Initializer *struct {
		Parameters []struct {
			Name string  `json:"name"`
			Type typeRef `json:"type"`
		} `json:"parameters"`
	} `json:"initializer"`
	Properties []jsiiProp   `json:"properties"`
	Methods    []jsiiMethod `json:"methods"`
}

type jsiiProp struct {
	Name     string   `json:"name"`
	Optional bool     `json:"optional"`
	Static   bool     `json:"static"`
	Type     typeRef  `json:"type"`
	Docs     jsiiDocs `json:"docs"`
}

type jsiiMethod struct {
	Name    string `json:"name"`
	Returns *struct {
		Type typeRef `json:"type"`
	} `json:"returns"`
}

type jsiiDocs struct {
	Summary string `json:"summary"`
	Remarks string `json:"remarks"`
}

type typeRef struct {
	Primitive  string `json:"primitive"` // "string", "number", "boolean", "any", "json", "date"
	FQN        string `json:"fqn"`
	Collection *struct {
		Kind        string  `json:"kind"` // "array", "map"
		ElementType typeRef `json:"elementtype"`
	} `json:"collection"`
	Union *struct {
		Types []typeRef `json:"types"`
	} `json:"union"`
}

func (t *jsiiType) prop(name string) *jsiiProp {
	if t == nil {
		return nil
	}
	for i := range t.Properties {
		if t.Properties[i].Name == name && !t.Properties[i].Static {
			return &t.Properties[i]
		}
	}
	return nil
}

func (t *jsiiType) method(name string) *jsiiMethod {
	if t == nil {
		return nil
	}
	for i := range t.Methods {
		if t.Methods[i].Name == name {
			return &t.Methods[i]
		}
	}
	return nil
}

// tsFile is what Extract needs from one generated TypeScript file.
type tsFile struct {
	classes map[string]*tsClass   // class name → its attribute getters, in order
	hcl     map[string][]hclEntry // struct interface name, or resource class name → settable arguments
	tfType  map[string]string     // resource/data source/provider class name → Terraform type name
}

type tsClass struct {
	fields []tsField
}

// tsField is one attribute (or block) of a resource class or of a nested OutputReference class,
// from its "// <tf> - computed: …, optional: …, required: …" comment and the getter after it.
type tsField struct {
	TF, Camel                    string
	Computed, Optional, Required bool
	Set                          bool   // the getter converts a set (Fn.tolist, or a complex list that wraps a set)
	Accessor                     string // the getter's cdktf accessor, e.g. "getBooleanAttribute"
}

// hclEntry is one argument of a struct or resource in the generated HCL synthesis code:
// "<tf>: { value: …(struct!.<camel>), isBlock: B, type: "<kind>", storageClassType: "…" }".
type hclEntry struct {
	TF, Camel string
	Type      string // "simple", "list", "set", "map", "struct"
}

var (
	reClass      = regexp.MustCompile(`^export class (\w+) extends `)
	reFlags      = regexp.MustCompile(`^\s*// (\S+) - computed: (true|false), optional: (true|false), required: (true|false)\s*$`)
	reNewComplex = regexp.MustCompile(`^\s*private _\w+ = new [\w.]+\(this, "[^"]*"(?:, (true|false))?\);`)
	reGetter     = regexp.MustCompile(`^\s*public get (\w+)\(\) \{`)
	reAccessor   = regexp.MustCompile(`this\.(get\w+Attribute)\(`)
	reTFType     = regexp.MustCompile(`^\s*public static readonly tfResourceType = "([^"]+)";`)
	reHCLFunc    = regexp.MustCompile(`^export function (\w+)ToHclTerraform\(`)
	reHCLSynth   = regexp.MustCompile(`^\s*protected synthesizeHclAttributes\(\)`)
	reHCLKey     = regexp.MustCompile(`^\s*"?([A-Za-z0-9_]+)"?: \{\s*$`)
	reHCLValue   = regexp.MustCompile(`(?:struct!?\.|this\._)(\w+)`)
	reHCLType    = regexp.MustCompile(`^\s*type: "(\w+)",`)
)

// scanTS reads the parts of one generated TypeScript file that Extract uses. The generated code
// is regular (one statement per line), which the line patterns above rely on; a change of
// generator shows up as missing fields, which Extract reports.
func scanTS(src string) *tsFile {
	f := &tsFile{classes: map[string]*tsClass{}, hcl: map[string][]hclEntry{}, tfType: map[string]string{}}
	var (
		class   string   // current class
		pending *tsField // flags comment seen, getter not yet
		hclKey  string   // current HCL synthesis function's struct (or class) name
		entry   *hclEntry
	)
	sc := bufio.NewScanner(strings.NewReader(src))
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	getterBody := false
	for sc.Scan() {
		line := sc.Text()
		if getterBody { // the line after "public get x() {" of a flagged field
			if strings.Contains(line, "Fn.tolist(") {
				pending.Set = true
			}
			if m := reAccessor.FindStringSubmatch(line); m != nil {
				pending.Accessor = m[1]
			}
			f.classes[class].fields = append(f.classes[class].fields, *pending)
			pending, getterBody = nil, false
			continue
		}
		if line == "}" { // end of a top-level class or function
			class, hclKey, pending, entry = "", "", nil, nil
			continue
		}
		if m := reClass.FindStringSubmatch(line); m != nil {
			class = m[1]
			f.classes[class] = &tsClass{}
			continue
		}
		if m := reHCLFunc.FindStringSubmatch(line); m != nil {
			hclKey = strings.ToUpper(m[1][:1]) + m[1][1:]
			continue
		}
		if class != "" {
			if m := reTFType.FindStringSubmatch(line); m != nil {
				f.tfType[class] = m[1]
				continue
			}
			if reHCLSynth.MatchString(line) {
				hclKey = class
				continue
			}
			if hclKey == "" {
				if m := reFlags.FindStringSubmatch(line); m != nil {
					pending = &tsField{TF: m[1], Computed: m[2] == "true", Optional: m[3] == "true", Required: m[4] == "true"}
					continue
				}
				if pending != nil {
					if m := reNewComplex.FindStringSubmatch(line); m != nil && m[1] == "true" {
						pending.Set = true
					}
					if m := reGetter.FindStringSubmatch(line); m != nil {
						pending.Camel = m[1]
						getterBody = true
					}
				}
				continue
			}
		}
		if hclKey != "" {
			if m := reHCLKey.FindStringSubmatch(line); m != nil {
				entry = &hclEntry{TF: m[1]}
				continue
			}
			if entry == nil {
				continue
			}
			if strings.HasPrefix(strings.TrimSpace(line), "value:") {
				if ms := reHCLValue.FindAllStringSubmatch(line, -1); ms != nil {
					entry.Camel = ms[len(ms)-1][1]
				}
				continue
			}
			if m := reHCLType.FindStringSubmatch(line); m != nil {
				entry.Type = m[1]
				f.hcl[hclKey] = append(f.hcl[hclKey], *entry)
				entry = nil
			}
			if strings.TrimSpace(line) == "};" && class != "" { // end of synthesizeHclAttributes' attrs
				hclKey = ""
			}
		}
	}
	return f
}
