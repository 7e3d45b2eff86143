package welllogs

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/sqlite/sqlitetest"
)

func TestValidatePetrophysics(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := sqlitetest.Open(t)
	ts := db.Tenant("acme")
	l := &wellbase.WellLog{ID: wellbase.NewID("log"), WellID: "wel_1", Status: wellbase.LogReady, Version: "2.0",
		Curves:    []wellbase.CurveSummary{{Mnemonic: "DEPT", Kind: "number"}, {Mnemonic: "GR", Kind: "number"}, {Mnemonic: "DEN", Kind: "number"}},
		CreatedAt: time.Now()}
	if err := ts.CreateLog(ctx, l); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, params, field string
	}{
		{"OK", `{"log":"` + l.ID + `"}`, ""},
		{"OKNamedCurves", `{"log":"` + l.ID + `","gr":"GR","rhob":"DEN","vsh_method":"clavier","rw":0.05}`, ""},
		{"ErrNoLog", `{}`, "params.log"},
		{"ErrUnknownLog", `{"log":"log_nope"}`, "params.log"},
		{"ErrVshMethod", `{"log":"` + l.ID + `","vsh_method":"foo"}`, "params.vsh_method"},
		{"ErrCurve", `{"log":"` + l.ID + `","gr":"NOPE"}`, "params.gr"},
		{"ErrType", `{"log":"` + l.ID + `","matrix_density":"abc"}`, "params.matrix_density"},
		{"ErrUnknownParam", `{"log":"` + l.ID + `","bogus":1}`, "params.bogus"},
	}
	for _, tt := range tests {
		err := ValidatePetrophysics(ctx, ts, json.RawMessage(tt.params))
		if wellbase.ErrorField(err) != tt.field || (tt.field == "") != (err == nil) {
			t.Errorf("%s: %v, want field %q", tt.name, err, tt.field)
		}
	}
}
