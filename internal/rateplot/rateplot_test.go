package rateplot

import (
	"bytes"
	"encoding/xml"
	"image/color"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wellbase/wellbase"
)

// svgText is a <text> of an SVG that gonum/plot writes: x from the left and y up from the
// bottom of the canvas (for text turned a quarter, x only).
type svgText struct {
	x, y float64
	text string
}

// texts returns the text elements of svg, failing the test if it is not XML.
func texts(t *testing.T, svg []byte) []svgText {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(svg))
	var out []svgText
	var turned []bool // per open <g>: rotate(90)
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not XML: %v", err)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			attr := map[string]string{}
			for _, a := range e.Attr {
				attr[a.Name.Local] = a.Value
			}
			switch e.Name.Local {
			case "g":
				turned = append(turned, attr["transform"] == "rotate(90)")
			case "text":
				var value string
				if err := dec.DecodeElement(&value, &e); err != nil {
					t.Fatal(err)
				}
				x, _ := strconv.ParseFloat(attr["x"], 64)
				y, _ := strconv.ParseFloat(attr["y"], 64)
				st := svgText{x, -y, strings.TrimSpace(value)} // drawn under scale(1, -1)
				if len(turned) > 0 && turned[len(turned)-1] {
					st = svgText{y, math.NaN(), st.text}
				}
				out = append(out, st)
			}
		case xml.EndElement:
			if e.Name.Local == "g" && len(turned) > 0 {
				turned = turned[:len(turned)-1]
			}
		}
	}
	if len(out) == 0 {
		t.Fatal("no text in the SVG")
	}
	return out
}

func find(ts []svgText, s string) (svgText, bool) {
	i := slices.IndexFunc(ts, func(t svgText) bool { return t.text == s })
	if i < 0 {
		return svgText{}, false
	}
	return ts[i], true
}

func decline(name string, t0 time.Time, months int, qi, d float64) Series {
	s := Series{Name: name}
	for i := range months {
		s.Dates = append(s.Dates, t0.AddDate(0, i, 0))
		s.Rates = append(s.Rates, qi*math.Exp(-d*float64(i)))
	}
	return s
}

// TestChartLayout: the legend and the caption sit under the chart (under the date axis, so over
// no data), long caption lines are wrapped, and the time axis is labelled in years.
func TestChartLayout(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2009, 1, 1, 0, 0, 0, 0, time.UTC)
	hist := decline("oil rate (history)", t0, 60, 1000, 0.03)
	hist.Points = true
	hist.Rates[3] = 0 // a shut-in month: a gap, not a crash on the log axis
	fc := decline("forecast", t0.AddDate(5, 0, 0), 36, 165, 0.03)
	fc.Dashed, fc.Color = true, color.Black
	long := "EUR = 4 040 000 Sm3 = 3 940 000 produced to date + 98 000 forecast to the abandonment rate, 20 Sm3/d on 2020-08-31, " +
		"which is a long line that cannot stand on one line under the chart"
	ch := Chart{Title: "15/9-F-14 — oil decline, exponential", LeftUnit: "Sm3/d", Series: []Series{hist, fc},
		Caption: []string{"Model: exponential, b = 0", long}}
	var buf bytes.Buffer
	if err := ch.WriteSVG(&buf); err != nil {
		t.Fatal(err)
	}
	ts := texts(t, buf.Bytes())
	axis, ok := find(ts, "Date")
	if !ok {
		t.Fatal("no Date axis label")
	}
	for _, want := range []string{"oil rate (history)", "forecast", "Model: exponential, b = 0"} {
		e, ok := find(ts, want)
		if !ok {
			t.Errorf("SVG lacks %q", want)
			continue
		}
		if e.y >= axis.y {
			t.Errorf("%q is at y %.0f, not under the date axis (y %.0f): it may cover data", want, e.y, axis.y)
		}
	}
	if _, ok := find(ts, long); ok || !strings.Contains(buf.String(), "cannot stand on one line") {
		t.Errorf("the long caption line is not wrapped (or is lost)")
	}
	for _, want := range []string{"Rate (Sm3/d)", "2010", "2013", "1 000", "100", ch.Title} {
		if _, ok := find(ts, want); !ok {
			t.Errorf("SVG lacks the text %q", want)
		}
	}
}

// TestChartRightAxis: series on the right axis are read against a second rate axis in their
// unit, which spans as many decades as the left one.
func TestChartRightAxis(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC)
	oil := decline("oil (left axis)", t0, 48, 1000, 0.04) // 1000 → 152: one decade, 100-1000
	// 1200 → 469: two decades, 100-10 000
	gas := decline("gas (right axis)", t0, 48, 1200, 0.02)
	gas.Axis = Right
	ch := Chart{Title: "TX-7", LeftUnit: "bbl/d", RightUnit: "Mcf/d", Series: []Series{oil, gas}}
	var buf bytes.Buffer
	if err := ch.WriteSVG(&buf); err != nil {
		t.Fatal(err)
	}
	ts := texts(t, buf.Bytes())
	l, okl := find(ts, "Rate (bbl/d)")
	r, okr := find(ts, "Rate (Mcf/d)")
	if !okl || !okr || r.x <= l.x+400 {
		t.Fatalf("rate axes: left %v %v, right %v %v; want the Mcf/d axis at the right", okl, l, okr, r)
	}
	// Left 100-1000 (one decade), right 100-10 000 (two): the left grows to two decades.
	if _, ok := find(ts, "10"); !ok {
		t.Errorf("the left axis does not span two decades like the right one")
	}
	ch.RightUnit = ""
	if err := ch.WriteSVG(&buf); wellbase.ErrorCode(err) != wellbase.EInvalid {
		t.Errorf("a right-axis series without a right unit: %v, want invalid", err)
	}
}

func TestChartNothingToPlot(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2009, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, ch := range []Chart{
		{LeftUnit: "Sm3/d", Series: []Series{{Name: "zeros", Dates: []time.Time{t0}, Rates: []float64{0}}}},
		{LeftUnit: "Sm3/d", Series: []Series{{Name: "outside", Dates: []time.Time{t0}, Rates: []float64{5}}}, From: t0.AddDate(1, 0, 0), To: t0.AddDate(2, 0, 0)},
		{LeftUnit: "Sm3/d", Series: []Series{{Name: "ragged", Dates: []time.Time{t0}, Rates: []float64{5, 6}}}},
	} {
		if err := ch.WriteSVG(&bytes.Buffer{}); wellbase.ErrorCode(err) != wellbase.EInvalid {
			t.Errorf("%s: %v, want invalid", ch.Series[0].Name, err)
		}
	}
}

func TestLogTicks(t *testing.T) {
	t.Parallel()
	labels := func(min, max float64) []string {
		var out []string
		for _, tk := range (logTicks{}).Ticks(min, max) {
			if !tk.IsMinor() {
				out = append(out, tk.Label)
			}
		}
		return out
	}
	if got := labels(10, 1e6); !slices.Equal(got, []string{"10", "100", "1 000", "10 000", "100 000", "1 000 000"}) {
		t.Errorf("10-1e6: %v", got)
	}
	if got := labels(0.01, 1); !slices.Equal(got, []string{"0.01", "0.02", "0.05", "0.1", "0.2", "0.5", "1"}) {
		t.Errorf("0.01-1: %v", got)
	}
}

func TestTimeTicks(t *testing.T) {
	t.Parallel()
	labels := func(from, to string) []string {
		a, _ := time.Parse(time.DateOnly, from)
		b, _ := time.Parse(time.DateOnly, to)
		var out []string
		for _, tk := range (timeTicks{}).Ticks(float64(a.Unix()), float64(b.Unix())) {
			if !tk.IsMinor() {
				out = append(out, tk.Label)
			}
		}
		return out
	}
	tests := []struct {
		from, to string
		want     []string
	}{
		{"2008-02-15", "2012-06-01", []string{"2009", "2010", "2011", "2012"}},
		{"2008-02-15", "2024-06-01", []string{"2010", "2012", "2014", "2016", "2018", "2020", "2022", "2024"}},
		{"2008-02-15", "2046-09-16", []string{"2010", "2015", "2020", "2025", "2030", "2035", "2040", "2045"}},
		{"2015-02-10", "2016-05-01", []string{"2015-04", "2015-07", "2015-10", "2016-01", "2016-04"}},
		{"2015-02-10", "2015-05-20", []string{"2015-03", "2015-04", "2015-05"}},
	}
	for _, tt := range tests {
		if got := labels(tt.from, tt.to); !slices.Equal(got, tt.want) {
			t.Errorf("%s to %s: %v, want %v", tt.from, tt.to, got, tt.want)
		}
	}
}

func TestFormat(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		got, want string
	}{
		{FormatNumber(12500), "12 500"},
		{FormatNumber(1e6), "1 000 000"},
		{FormatNumber(-4200), "-4 200"},
		{FormatNumber(20), "20"},
		{FormatNumber(0.05), "0.05"},
		{FormatSig(4040231.43, 3), "4 040 000"},
		{FormatSig(4695.0384, 4), "4 695"},
		{FormatSig(0.45971, 3), "0.460"},
		{FormatSig(36.9, 3), "36.9"},
		{FormatSig(1.8715e-13, 3), "1.87e-13"},
	} {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}

// BenchmarkChartDaily draws nine years of daily oil, gas and water (3 × 3 287 points), the
// largest chart the production plot makes of the Volve wells.
func BenchmarkChartDaily(b *testing.B) {
	t0 := time.Date(2008, 1, 1, 0, 0, 0, 0, time.UTC)
	var series []Series
	for i, name := range []string{"oil", "gas", "water"} {
		s := Series{Name: name}
		for d := range 3287 {
			s.Dates = append(s.Dates, t0.AddDate(0, 0, d))
			s.Rates = append(s.Rates, math.Pow(100, float64(i))*1000*math.Exp(-0.0005*float64(d))*(1+0.3*math.Sin(float64(d))))
		}
		series = append(series, s)
	}
	ch := Chart{Title: "15/9-F-12 — oil, gas and water rates (daily)", LeftUnit: "Sm3/d", Series: series,
		Caption: []string{"Rates from daily volumes. Cumulative over the period shown: oil 4 580 000 Sm3, gas 668 000 000 Sm3, water 6 830 000 Sm3."}}
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := ch.WriteSVG(&buf); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(buf.Len()))
}

// TestChartLinear: a linear rate axis starts at 0 and ends at a round number over the highest
// rate, with linear tick labels (no decades), and a zero rate is drawn rather than a gap.
func TestChartLinear(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2009, 1, 1, 0, 0, 0, 0, time.UTC)
	s := decline("oil", t0, 24, 1400, 0.05)
	s.Rates[5] = 0
	for _, linear := range []bool{false, true} {
		ch := Chart{Title: "linear", LeftUnit: "Sm3/d", Series: []Series{s}, Linear: linear}
		var buf bytes.Buffer
		if err := ch.WriteSVG(&buf); err != nil {
			t.Fatal(err)
		}
		ts := texts(t, buf.Bytes())
		_, has0 := find(ts, "0")
		_, has2000 := find(ts, "2000")
		_, has10000 := find(ts, "10 000")
		if linear && (!has0 || !has2000 || has10000) {
			t.Errorf("linear axis: labels 0 %v, 2000 %v, 10 000 %v; want 0 and 2000 (the round top over 1400), no decade", has0, has2000, has10000)
		}
		if !linear && (!has10000 || has0) {
			t.Errorf("log axis: labels 10 000 %v, 0 %v; want decades to 10 000 and no 0", has10000, has0)
		}
	}
}
