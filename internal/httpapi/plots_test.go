package httpapi_test

import (
	"context"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wellbase/wellbase"
)

var svgText = regexp.MustCompile(`>([^<>]+)</text>`)

// svgTexts returns the texts of an SVG answer.
func svgTexts(t *testing.T, r response) []string {
	t.Helper()
	if ct := r.header.Get("Content-Type"); ct != "image/svg+xml" || !strings.Contains(string(r.body[:min(len(r.body), 300)]), "<svg") {
		t.Fatalf("not an SVG: %s %.200s", ct, r.body)
	}
	var out []string
	for _, m := range svgText.FindAllStringSubmatch(string(r.body), -1) {
		out = append(out, strings.TrimSpace(m[1]))
	}
	return out
}

func hasText(texts []string, sub string) bool {
	return slices.ContainsFunc(texts, func(s string) bool { return strings.Contains(s, sub) })
}

// monthlyCSV is a year of monthly volumes of well in the columns' units.
func monthlyCSV(well, oilUnit, gasUnit, waterUnit string) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "date,well,period,oil[%s],gas[%s],water[%s]\n", oilUnit, gasUnit, waterUnit)
	for m := range 12 {
		oil := 30000 * math.Exp(-0.05*float64(m))
		fmt.Fprintf(&b, "2020-%02d-01,%s,month,%.0f,%.0f,%.0f\n", m+1, well, oil, 150*oil, 2000+300*float64(m))
	}
	return []byte(b.String())
}

// TestProductionPlotPhases: ?phase=oil,gas,water draws the phases on one chart (issue 13 item 16:
// it was refused): one log rate axis when they share a unit, the gas phases on a second axis when
// its unit differs; what cannot be drawn is refused naming the phases.
func TestProductionPlotPhases(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	acme := h.onboard("acme")
	wells := map[string]string{}
	for well, units := range map[string][3]string{"P-1": {"Sm3", "Sm3", "Sm3"}, "T-1": {"bbl", "Mcf", "bbl"}, "U-1": {"bbl", "Mcf", "Sm3"}} {
		imp := h.must(201, "POST", "/api/v1/production?format=csv", acme, monthlyCSV(well, units[0], units[1], units[2])).json()
		wells[well] = imp["wells"].([]any)[0].(map[string]any)["id"].(string)
	}
	plot := func(well, query string) string {
		return "/api/v1/wells/" + wells[well] + "/production/plot.svg?" + query
	}

	// One unit: one rate axis; the legend names each phase.
	texts := svgTexts(t, h.must(200, "GET", plot("P-1", "period=month&phase=oil,gas,water"), acme, nil))
	for _, want := range []string{"P-1 — oil, gas and water rates (monthly)", "Rate (Sm3/d)", "oil", "gas", "water", "Cumulative over the period"} {
		if !hasText(texts, want) {
			t.Errorf("one-unit chart lacks %q: %q", want, texts)
		}
	}
	if hasText(texts, "right axis") || slices.ContainsFunc(texts, func(s string) bool { return strings.HasPrefix(s, "Rate (") && s != "Rate (Sm3/d)" }) {
		t.Errorf("one-unit chart has a second rate axis: %q", texts)
	}
	// Oil in bbl, gas in Mcf: gas on its own axis at the right.
	texts = svgTexts(t, h.must(200, "GET", plot("T-1", "period=month&phase=oil,gas,water"), acme, nil))
	for _, want := range []string{"Rate (bbl/d)", "Rate (Mcf/d)", "gas (right axis)", "oil (left axis)", "water (left axis)"} {
		if !hasText(texts, want) {
			t.Errorf("two-unit chart lacks %q: %q", want, texts)
		}
	}
	// A linear rate axis from 0, on request.
	texts = svgTexts(t, h.must(200, "GET", plot("P-1", "period=month&phase=oil&scale=linear"), acme, nil))
	if !hasText(texts, "0") || hasText(texts, "100 000") {
		t.Errorf("linear chart: want a 0 label and no decade labels: %q", texts)
	}
	if r := h.do("GET", plot("P-1", "period=month&phase=oil&scale=semilog"), acme, nil); r.status != 400 || r.json()["field"] != "scale" {
		t.Errorf("scale=semilog: %d %s, want 400 on field scale", r.status, r.body)
	}
	// One phase, as before.
	h.must(200, "GET", plot("T-1", "period=month&phase=gas"), acme, nil)
	h.must(200, "GET", plot("T-1", "period=month"), acme, nil)

	for _, tt := range []struct {
		name, path string
		status     int
	}{
		{"LiquidsInTwoUnits", plot("U-1", "period=month&phase=oil,gas,water"), 422},
		{"UnknownPhase", plot("P-1", "phase=oil,condensate"), 400},
		{"NoVolumes", plot("P-1", "period=month&phase=gas_injected"), 422},
		{"SeveralPhasesAsASeries", "/api/v1/wells/" + wells["P-1"] + "/production?phase=oil,gas", 400},
	} {
		r := h.do("GET", tt.path, acme, nil)
		if r.status != tt.status || r.json()["field"] != "phase" {
			t.Errorf("%s: %d %s, want %d on field phase", tt.name, r.status, r.body, tt.status)
		}
	}
}

// TestForecastPlot: the plot of an exponential forecast without an abandonment rate shows the
// history and the forecast until the rate is 1 % of qi (not 30 years down to 1e-4), with the
// model, qi, Di, b and EUR in its caption (issue 13 item 16).
func TestForecastPlot(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	acme := h.onboard("acme")
	well := h.must(201, "POST", "/api/v1/wells", acme, map[string]any{"name": "15/9-F-14"}).str("id")
	start := time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC)
	const qi, di = 1000.0, 0.5 / 365.25 // per day; 0.5 /yr nominal
	f := &wellbase.Forecast{ID: wellbase.NewID("fc"), TenantID: "acme", WellID: well, JobID: "job_1", Phase: "oil", Unit: "Sm3",
		Model: "exponential", Qi: qi, DiNominalPerDay: di, DiEffectivePerYear: 1 - math.Exp(-0.5), DiConvention: "tangent",
		StartDate: start, HorizonYears: 30, CumulativeToDate: 1.2e6, EUR: 1.3e6, Remaining: 1e5, CreatedAt: time.Now(),
		Fit: wellbase.FitQuality{R2: 0.97, RMSELog: 0.05, PointsUsed: 60}}
	rate := func(d time.Time) float64 { return qi * math.Exp(-di*d.Sub(start).Hours()/24) }
	for m := range 60 {
		d := start.AddDate(0, m, 0)
		f.History = append(f.History, wellbase.RatePoint{Date: d.Format(time.DateOnly), Rate: rate(d)})
	}
	for m := 60; m <= 60+360; m++ { // 30 years on: down to 3e-5 of qi
		d := start.AddDate(0, m, 0)
		f.Series = append(f.Series, wellbase.RatePoint{Date: d.Format(time.DateOnly), Rate: rate(d)})
	}
	if err := h.store.Tenant("acme").CreateForecast(context.Background(), f); err != nil {
		t.Fatal(err)
	}
	h.must(200, "GET", "/api/v1/forecasts/"+f.ID, acme, nil)
	texts := svgTexts(t, h.must(200, "GET", "/api/v1/forecasts/"+f.ID+"/plot.svg", acme, nil))
	for _, want := range []string{"15/9-F-14 — oil decline, exponential", "Model: exponential, b = 0", "qi = 1 000 Sm3/d on 2010-01-01",
		"Di = 0.500 /yr nominal (39.3 %/yr tangent effective)", "EUR = 1 300 000 Sm3", "30-year horizon",
		"Forecast shown to 2019-", "1 % of qi", "Rate (Sm3/d)", "oil rate (history)", "forecast"} {
		if !hasText(texts, want) {
			t.Errorf("forecast plot lacks %q: %q", want, texts)
		}
	}
	csv := string(h.must(200, "GET", "/api/v1/forecasts/"+f.ID+"/data.csv", acme, nil).body)
	for _, want := range []string{"date,kind,rate_Sm3_per_d,model,qi_Sm3_per_d,di_nominal_per_year,b,eur_Sm3\n", "\n2010-01-01,history,1000,exponential,1000,0.5,0,1.3e+06\n", ",forecast,"} {
		if !strings.Contains(csv, want) {
			t.Errorf("forecast CSV lacks %q:\n%.600s", want, csv)
		}
	}
	if n := strings.Count(csv, ",history,") + strings.Count(csv, ",forecast,"); n != len(f.History)+len(f.Series) {
		t.Errorf("forecast CSV has %d rows, want %d", n, len(f.History)+len(f.Series))
	}
	// The time axis ends near the cut (the rate reaches 10 Sm3/d after 9.2 years, in 2019), the
	// rate axis at 1 (a decade under the cut), not 30 years and eight decades down.
	for _, label := range []string{"2025", "2030", "2040", "0.1", "0.01", "0.001"} {
		if slices.Contains(texts, label) {
			t.Errorf("forecast plot has the axis label %q: the view runs past the cut", label)
		}
	}
	for _, label := range []string{"2010", "2018", "1", "1 000"} {
		if !slices.Contains(texts, label) {
			t.Errorf("forecast plot lacks the axis label %q: %q", label, texts)
		}
	}
}
