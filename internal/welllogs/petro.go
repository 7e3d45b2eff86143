package welllogs

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strings"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/las"
	"github.com/wellbase/wellbase/internal/petro"
)

// PetrophysicsJob is the job type that derives shale volume, porosity and water saturation
// from a stored log.
const PetrophysicsJob = "petrophysics"

// PetrophysicsParams are the petrophysics job's parameters: the source log and the
// computation's parameters (see petro.Params; zero values take its defaults).
type PetrophysicsParams struct {
	Log string `json:"log"`
	petro.Params
}

// ParsePetrophysicsParams reads a petrophysics job's params; errors name the field (EInvalid).
func ParsePetrophysicsParams(raw json.RawMessage) (PetrophysicsParams, error) {
	var p PetrophysicsParams
	if err := wellbase.DecodeParams(raw, &p); err != nil {
		return p, err
	}
	if p.Log == "" {
		return p, wellbase.FieldError(wellbase.EInvalid, "params.log", "params.log is required: the log to compute on")
	}
	return p, nil
}

// ValidatePetrophysics checks params and that the log exists and is ready, before queueing.
func ValidatePetrophysics(ctx context.Context, ts wellbase.TenantStore, raw json.RawMessage) error {
	p, err := ParsePetrophysicsParams(raw)
	if err != nil {
		return err
	}
	l, err := ts.GetLog(ctx, p.Log)
	if wellbase.ErrorCode(err) == wellbase.ENotFound {
		return wellbase.FieldError(wellbase.EInvalid, "params.log", "log %q not found", p.Log)
	}
	if err != nil {
		return err
	}
	if l.Status == wellbase.LogFailed {
		return wellbase.FieldError(wellbase.EInvalid, "params.log", "log %s could not be read: %s", l.ID, l.Error)
	}
	// What can be checked before the job runs is checked now, so a typo is a 422, not a failed job.
	switch p.VshMethod {
	case "", petro.Linear, petro.LarionovTertiary, petro.LarionovOlder, petro.Clavier, petro.Steiber:
	default:
		return wellbase.FieldError(wellbase.EInvalid, "params.vsh_method", "params.vsh_method %q is unknown (want %s, %s, %s, %s or %s)",
			p.VshMethod, petro.Linear, petro.LarionovTertiary, petro.LarionovOlder, petro.Clavier, petro.Steiber)
	}
	if l.Status != wellbase.LogReady {
		return nil // curves are known once the log is parsed
	}
	for field, m := range map[string]string{"gr": p.GR, "rhob": p.RHOB, "rt": p.RT, "nphi": p.NPHI} {
		if m != "" && l.Curve(m) == nil && l.Curve(m+":1") == nil {
			return wellbase.FieldError(wellbase.EInvalid, "params."+field, "log %s has no curve %q", l.ID, m)
		}
	}
	return nil
}

// Petrophysics computes VSH, PHID and SW from log p.Log and stores them as a new log of the
// same well (a LAS 2.0 file written by Wellbase, with the parameters used in its ~P section),
// readable through the log API like any upload. It returns the derived log and the computation's
// warnings.
func (s *Service) Petrophysics(ctx context.Context, tenant string, p PetrophysicsParams, actor string) (*wellbase.WellLog, []string, error) {
	ts := s.Store.Tenant(tenant)
	src, err := ts.GetLog(ctx, p.Log)
	if err != nil {
		return nil, nil, err
	}
	// The input's one check, shared with the API's log reads: a log still being parsed is
	// ELogProcessing, which the job queue retries; one that cannot be read fails the job.
	if err := src.Readable(); err != nil {
		if wellbase.ErrorCode(err) == wellbase.ELogProcessing {
			return nil, nil, err
		}
		return nil, nil, wellbase.FieldError(wellbase.EInvalid, "params.log", "%s", wellbase.ErrorMessage(err))
	}
	f, closer, err := s.Curves(ctx, src)
	if err != nil {
		return nil, nil, err
	}
	defer closer.Close()
	var names []string
	for _, c := range f.Columns() {
		if c.Kind == "number" {
			names = append(names, c.Name)
		}
	}
	cols, err := f.Read(names, 0, f.Rows())
	if err != nil {
		return nil, nil, fmt.Errorf("read curves of log %s: %w", src.ID, err)
	}
	if len(cols) == 0 || cols[0].Name != src.Curves[0].Mnemonic {
		return nil, nil, wellbase.Errorf(wellbase.EInvalid, "log %s has no numeric index curve", src.ID)
	}
	depth := petro.Curve{Mnemonic: cols[0].Name, Unit: cols[0].Unit, Values: cols[0].Float}
	curves := make([]petro.Curve, 0, len(cols)-1)
	for _, c := range cols[1:] {
		curves = append(curves, petro.Curve{Mnemonic: c.Name, Unit: c.Unit, Values: c.Float})
	}
	res, err := petro.Compute(depth, curves, p.Params)
	if err != nil {
		return nil, nil, err
	}
	out := derivedLAS(src, depth, res)
	var buf bytes.Buffer
	if err := las.Write(&buf, out); err != nil {
		return nil, nil, fmt.Errorf("write derived log: %w", err)
	}
	name := strings.TrimSuffix(strings.TrimSuffix(src.FileName, ".las"), ".LAS") + " petrophysics.las"
	l, err := s.Ingest(ctx, tenant, Upload{WellID: src.WellID, FileName: name, Body: &buf, Actor: actor})
	if err != nil {
		return nil, nil, err
	}
	return l, res.Warnings, nil
}

// derivedLAS builds the LAS file of a petrophysics result.
func derivedLAS(src *wellbase.WellLog, depth petro.Curve, res *petro.Result) *las.File {
	f := &las.File{Version: "2.0", Null: -999.25}
	for _, m := range []string{"WELL", "UWI", "API", "COMP", "FLD"} {
		if v := src.Well[m]; v != "" {
			f.Well = append(f.Well, las.HeaderItem{Mnemonic: m, Value: v})
		}
	}
	f.Well = append(f.Well, las.HeaderItem{Mnemonic: "SRVC", Value: "Wellbase", Description: "derived from log " + src.ID})
	used, _ := json.Marshal(res.Used)
	var params map[string]any
	json.Unmarshal(used, &params)
	for k, v := range params {
		f.Parameters = append(f.Parameters, las.HeaderItem{Mnemonic: strings.ToUpper(k), Value: fmt.Sprint(v), Description: "petrophysics parameter"})
	}
	f.Curves = append(f.Curves, las.Curve{Mnemonic: depth.Mnemonic, Unit: depth.Unit, Description: "index of log " + src.ID, Values: depth.Values})
	desc := map[string]string{"VSH": "shale volume", "PHID": "density porosity", "SW": "water saturation (Archie)"}
	for _, c := range res.Curves {
		vals := make([]float64, len(c.Values))
		for i, v := range c.Values {
			vals[i] = v
			if math.IsInf(v, 0) {
				vals[i] = math.NaN()
			}
		}
		f.Curves = append(f.Curves, las.Curve{Mnemonic: c.Mnemonic, Unit: c.Unit, Description: desc[c.Mnemonic], Values: vals})
	}
	return f
}
