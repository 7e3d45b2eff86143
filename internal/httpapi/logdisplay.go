package httpapi

import (
	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/las"
	"github.com/wellbase/wellbase/internal/logplot"
)

// The log and LAS check answers carry, beside each unit and description as the file writes
// them, their display spelling from logplot (the one table the pages, the SVG plots and the
// browser's log viewer share): display_unit (OHMM → ohm·m), label (the description without the
// LAS ordinal, "1  DEPTH" → DEPTH) and, for a curve the log plot converts, draw_unit and
// draw_factor (K/M3 density: g/cm3, 0.001).

// curveDisplay is the display spelling of one curve.
type curveDisplay struct {
	DisplayUnit string  `json:"display_unit"`
	Label       string  `json:"label"`
	DrawUnit    string  `json:"draw_unit,omitempty"`
	DrawFactor  float64 `json:"draw_factor,omitempty"`
}

// displayOf spells the curve at 0-based position of a ~C section.
func displayOf(position int, mnemonic, unit, description string) curveDisplay {
	d := curveDisplay{DisplayUnit: logplot.DisplayUnit(unit), Label: logplot.CurveLabel(description, position)}
	if f, u, ok := logplot.DrawUnit(mnemonic, unit); ok {
		d.DrawUnit, d.DrawFactor = u, f
	}
	return d
}

// logJSON is a wellbase.WellLog as the API answers it: its index and curves with their display
// spelling (the outer fields replace the embedded ones in the JSON).
type logJSON struct {
	*wellbase.WellLog
	Index  logIndexJSON   `json:"index"`
	Curves []logCurveJSON `json:"curves"`
}

type logIndexJSON struct {
	wellbase.LogIndex
	DisplayUnit string `json:"display_unit"`
}

type logCurveJSON struct {
	wellbase.CurveSummary
	curveDisplay
}

func newLogJSON(l *wellbase.WellLog) logJSON {
	out := logJSON{WellLog: l, Index: logIndexJSON{l.Index, logplot.DisplayUnit(l.Index.Unit)},
		Curves: make([]logCurveJSON, len(l.Curves))}
	for i, c := range l.Curves {
		out.Curves[i] = logCurveJSON{c, displayOf(i, c.Mnemonic, c.Unit, c.Description)}
	}
	return out
}

func newLogsJSON(ls []*wellbase.WellLog) []logJSON {
	out := make([]logJSON, len(ls))
	for i, l := range ls {
		out[i] = newLogJSON(l)
	}
	return out
}

// checkJSON is a las.Summary as POST /api/v1/las/check answers it, with the display spelling.
type checkJSON struct {
	File string `json:"file"`
	las.Summary
	Index  *checkIndexJSON  `json:"index"`
	Curves []checkCurveJSON `json:"curves"`
}

type checkIndexJSON struct {
	las.IndexSummary
	DisplayUnit string `json:"display_unit"`
}

type checkCurveJSON struct {
	las.CurveSummary
	curveDisplay
}

func newCheckJSON(name string, s las.Summary) checkJSON {
	out := checkJSON{File: name, Summary: s, Curves: make([]checkCurveJSON, len(s.Curves))}
	if s.Index != nil {
		out.Index = &checkIndexJSON{*s.Index, logplot.DisplayUnit(s.Index.Unit)}
	}
	for i, c := range s.Curves {
		out.Curves[i] = checkCurveJSON{c, displayOf(i, c.Mnemonic, c.Unit, c.Description)}
	}
	return out
}
