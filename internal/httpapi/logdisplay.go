package httpapi

import (
	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/las"
	"github.com/wellbase/wellbase/internal/logplot"
)

// The log and LAS check answers carry, beside each unit and description as the file writes
// them, their display spelling from logplot (the one table the pages, the SVG plots and the
// browser's log viewer share; logplot.CurveDisplay): display_unit (OHMM → ohm·m), label (the
// description without the LAS ordinal, "1  DEPTH" → DEPTH) and, for a curve the log plot
// converts, draw_unit and draw_factor (K/M3 density: g/cm3, 0.001).

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
	logplot.CurveDisplay
}

func newLogJSON(l *wellbase.WellLog) logJSON {
	out := logJSON{WellLog: l, Index: logIndexJSON{l.Index, logplot.DisplayUnit(l.Index.Unit)},
		Curves: make([]logCurveJSON, len(l.Curves))}
	for i, c := range l.Curves {
		out.Curves[i] = logCurveJSON{c, logplot.Display(i, c.Mnemonic, c.Unit, c.Description)}
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
	logplot.CurveDisplay
}

func newCheckJSON(name string, s las.Summary) checkJSON {
	out := checkJSON{File: name, Summary: s, Curves: make([]checkCurveJSON, len(s.Curves))}
	if s.Index != nil {
		out.Index = &checkIndexJSON{*s.Index, logplot.DisplayUnit(s.Index.Unit)}
	}
	for i, c := range s.Curves {
		out.Curves[i] = checkCurveJSON{c, logplot.Display(i, c.Mnemonic, c.Unit, c.Description)}
	}
	return out
}
