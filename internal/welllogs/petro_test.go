package welllogs

import (
	"context"
	"encoding/json"
	"strings"
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

// A petrophysics job run again after its worker died (the lease ran out after the derived log
// was stored, before the job's end was recorded) finds the log the first run made instead of
// making a second one: the job's handler runs under the job ID as ID seed.
func TestPetrophysicsRunAgain(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newService(t)
	const src = "~V\nVERS. 2.0:\nWRAP. NO:\n~W\nSTRT.M 1000:\nSTOP.M 1002:\nSTEP.M 0.5:\nNULL. -999.25:\nWELL. Rerun-1:\n" +
		"~C\nDEPT.M :\nGR.GAPI :\nRHOB.G/CC :\n~A\n1000 40 2.45\n1000.5 80 2.50\n1001 120 2.55\n1001.5 60 2.40\n1002 30 2.35\n"
	l, err := s.Ingest(ctx, "acme", Upload{FileName: "rerun.las", Body: strings.NewReader(src), Actor: "user:test"})
	if err != nil {
		t.Fatal(err)
	}
	job := wellbase.NewID("job")
	first, _, err := s.Petrophysics(wellbase.WithIDSeed(ctx, job), "acme", PetrophysicsParams{Log: l.ID}, "user:test")
	if err != nil {
		t.Fatal(err)
	}
	// The rerun gets a fresh context with the same seed, as the worker gives each attempt.
	again, _, err := s.Petrophysics(wellbase.WithIDSeed(ctx, job), "acme", PetrophysicsParams{Log: l.ID}, "user:test")
	if err != nil {
		t.Fatal(err)
	}
	if again.ID != first.ID {
		t.Errorf("the rerun made log %s, the first run %s", again.ID, first.ID)
	}
	logs, _, err := s.Store.Tenant("acme").ListLogs(ctx, l.WellID, wellbase.Page{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(logs) != 2 {
		t.Errorf("the well has %d logs after a rerun, want 2 (the upload and one derived log)", len(logs))
	}
}
