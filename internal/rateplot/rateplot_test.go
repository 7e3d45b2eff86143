package rateplot

import (
	"bytes"
	"encoding/xml"
	"image/color"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/wellbase/wellbase"
)

func TestPlot(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2009, 1, 1, 0, 0, 0, 0, time.UTC)
	var hist, fc Series
	hist = Series{Name: "oil history", Points: true}
	fc = Series{Name: "hyperbolic forecast", Dashed: true, Color: color.Black}
	for i := range 60 {
		d := t0.AddDate(0, i, 0)
		hist.Dates, hist.Rates = append(hist.Dates, d), append(hist.Rates, 1000*math.Pow(1+0.8*0.05*float64(i), -1/0.8))
		fc.Dates, fc.Rates = append(fc.Dates, d.AddDate(5, 0, 0)), append(fc.Rates, 100*math.Exp(-0.02*float64(i)))
	}
	hist.Rates[3] = 0 // a shut-in month: a gap, not a crash on the log axis
	var buf bytes.Buffer
	if err := Plot(&buf, "15/9-F-14 oil", "Sm3/d", []Series{hist, fc}); err != nil {
		t.Fatal(err)
	}
	if err := xml.Unmarshal(buf.Bytes(), new(struct{})); err != nil {
		t.Fatalf("not XML: %v", err)
	}
	for _, want := range []string{"<svg", "Rate (Sm3/d)", "hyperbolic forecast", "15/9-F-14 oil"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("SVG lacks %q", want)
		}
	}
	err := Plot(&buf, "x", "Sm3/d", []Series{{Name: "zeros", Dates: []time.Time{t0}, Rates: []float64{0}}})
	if wellbase.ErrorCode(err) != wellbase.EInvalid {
		t.Errorf("all-zero series: %v, want invalid", err)
	}
}
