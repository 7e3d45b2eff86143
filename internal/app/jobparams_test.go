package app

import (
	"context"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/wellbase/wellbase/internal/forecasts"
	"github.com/wellbase/wellbase/internal/httpapi"
	"github.com/wellbase/wellbase/internal/welllogs"
)

// jsonFields returns the JSON names of a struct's fields, embedded structs' included.
func jsonFields(t reflect.Type) []string {
	var out []string
	for f := range t.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch {
		case name == "-":
		case f.Anonymous && name == "":
			out = append(out, jsonFields(f.Type)...)
		case name == "":
			out = append(out, f.Name)
		default:
			out = append(out, name)
		}
	}
	return out
}

// TestJobParamsDocumented: the OpenAPI document lists each job type users may enqueue with the
// schema of its params; each schema has exactly the fields its job reads (a field added to the
// params and not to the schema fails here), and params the schema accepts or refuses are
// accepted or refused by the job's own check alike.
func TestJobParamsDocumented(t *testing.T) {
	t.Parallel()
	types, _ := jobTypes(&App{})
	structs := map[string]reflect.Type{
		forecasts.JobType:        reflect.TypeFor[forecasts.Params](),
		welllogs.PetrophysicsJob: reflect.TypeFor[welllogs.PetrophysicsParams](),
	}
	if len(types) != len(structs) {
		t.Fatalf("API job types %d, this test knows %d: add the new one", len(types), len(structs))
	}
	raw, err := json.Marshal(httpapi.Document(nil, types))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := openapi3.NewLoader().LoadFromData(raw)
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("invalid OpenAPI document: %v", err)
	}
	for name, st := range structs {
		jt, ok := types[name]
		if !ok || jt.Params == nil {
			t.Errorf("job type %s has no params schema", name)
			continue
		}
		var props []string
		for p := range jt.Params["properties"].(map[string]any) {
			props = append(props, p)
		}
		fields := jsonFields(st)
		slices.Sort(props)
		slices.Sort(fields)
		if !slices.Equal(props, fields) {
			t.Errorf("%s: the schema documents %v, the job reads %v", name, props, fields)
		}
	}

	create := doc.Components.Schemas["JobCreate"].Value
	tests := []struct {
		name  string
		body  string
		valid bool
	}{
		{"DeclineFit", `{"type":"decline-fit","params":{"well":"wel_1","phase":"gas","model":"auto","abandonment_rate":2.5,"horizon_years":20}}`, true},
		{"DeclineFitModifiedHyperbolic", `{"type":"decline-fit","params":{"well":"wel_1","model":"modified-hyperbolic","terminal_decline_effective_per_year":0.08,"start":"2014-03-01"}}`, true},
		{"Petrophysics", `{"type":"petrophysics","params":{"log":"log_1","gr":"GR","gr_clean":20,"gr_shale":120,"vsh_method":"clavier","matrix_density":2.71,"rw":0.05}}`, true},
		{"DeclineFitWithoutWell", `{"type":"decline-fit","params":{"phase":"oil"}}`, false},
		{"DeclineFitUnknownPhase", `{"type":"decline-fit","params":{"well":"wel_1","phase":"condensate"}}`, false},
		{"DeclineFitUnknownField", `{"type":"decline-fit","params":{"well":"wel_1","qi":100}}`, false},
		{"DeclineFitTerminalDeclineOverOne", `{"type":"decline-fit","params":{"well":"wel_1","terminal_decline_effective_per_year":1.5}}`, false},
		{"PetrophysicsParamsOfDeclineFit", `{"type":"petrophysics","params":{"well":"wel_1"}}`, false},
		// The job checks the method when it is queued, with the log (ValidatePetrophysics).
		{"PetrophysicsUnknownMethod", `{"type":"petrophysics","params":{"log":"log_1","vsh_method":"magic"}}`, false},
		{"UnknownType", `{"type":"history-match","params":{}}`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var v any
			if err := json.Unmarshal([]byte(tt.body), &v); err != nil {
				t.Fatal(err)
			}
			err := create.VisitJSON(v)
			if (err == nil) != tt.valid {
				t.Errorf("the document says %v for %s, want valid=%v", err, tt.body, tt.valid)
			}
			var req struct {
				Type   string          `json:"type"`
				Params json.RawMessage `json:"params"`
			}
			json.Unmarshal([]byte(tt.body), &req)
			var jobErr error
			switch req.Type {
			case forecasts.JobType:
				_, jobErr = forecasts.ParseParams(req.Params)
			case welllogs.PetrophysicsJob:
				if tt.name == "PetrophysicsUnknownMethod" {
					return
				}
				_, jobErr = welllogs.ParsePetrophysicsParams(req.Params)
			default:
				return
			}
			if (jobErr == nil) != tt.valid {
				t.Errorf("the job's check says %v for %s, want valid=%v", jobErr, tt.body, tt.valid)
			}
		})
	}
}
