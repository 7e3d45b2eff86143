package wellbase

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
)

// DecodeParams decodes a job's JSON params into v, refusing unknown fields. Errors are EInvalid
// and name the field as "params.<name>", in words a user can act on (no Go type names).
func DecodeParams(raw json.RawMessage, v any) error {
	if len(raw) == 0 {
		raw = json.RawMessage("{}")
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		return nil
	}
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &typ) && typ.Field != "":
		// Embedded structs show as Go names in the path ("Params.rw"): keep the JSON names.
		var parts []string
		for _, p := range strings.Split(typ.Field, ".") {
			if p != "" && !(p[0] >= 'A' && p[0] <= 'Z') {
				parts = append(parts, p)
			}
		}
		typ.Field = strings.Join(parts, ".")
		want := "a number"
		switch typ.Type.Kind().String() {
		case "string":
			want = "a string"
		case "bool":
			want = "true or false"
		case "struct", "map":
			want = "an object"
		case "slice":
			want = "an array"
		}
		return FieldError(EInvalid, "params."+typ.Field, "params.%s must be %s, not %s", typ.Field, want, typ.Value)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return FieldError(EInvalid, "params."+name, "params.%s is not a parameter of this job", name)
	}
	return FieldError(EInvalid, "params", "params must be a JSON object")
}
