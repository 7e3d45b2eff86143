package browsertest_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/google/go-cmp/cmp"

	"github.com/wellbase/wellbase/internal/browsertest"
	"github.com/wellbase/wellbase/internal/las"
	"github.com/wellbase/wellbase/internal/logplot"
)

// volveLAS is the Volve composite log of well 15/9-19 SR (Equinor's open Volve data set), read
// at ../shared/data beside the repository.
const volveLAS = "../../../shared/data/las/volve/15-9-19_SR_COMP.LAS"

// testLog is a log as the viewer test server serves it: the file's curves, or a depth window
// and a subset of them.
type testLog struct {
	id     string
	file   *las.File
	name   string
	curves []string // nil: all
	from   float64  // first depth kept
}

// rows returns the first and end row of the log's window.
func (l *testLog) rows() (int, int) {
	depth := l.file.Curves[0].Values
	from := 0
	for from < len(depth) && depth[from] < l.from {
		from++
	}
	return from, len(depth)
}

func (l *testLog) curveList() []*las.Curve {
	var out []*las.Curve
	for i := range l.file.Curves[1:] {
		c := &l.file.Curves[i+1]
		if l.curves == nil || contains(l.curves, c.Mnemonic) {
			out = append(out, c)
		}
	}
	return out
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

func num(v float64) any {
	if math.IsNaN(v) {
		return nil
	}
	return v
}

// meta answers the log as GET /api/v1/logs/{log} does (the fields the viewer reads).
func (l *testLog) meta() map[string]any {
	from, to := l.rows()
	depth := l.file.Curves[0]
	// display adds the fields the API adds from logplot (display_unit, label, draw_unit,
	// draw_factor), the viewer's only source of unit spellings.
	display := func(m map[string]any, position int, c *las.Curve) map[string]any {
		b, _ := json.Marshal(logplot.Display(position, c.Mnemonic, c.Unit, c.Description))
		json.Unmarshal(b, &m)
		return m
	}
	curves := []map[string]any{display(map[string]any{"mnemonic": depth.Mnemonic, "unit": depth.Unit, "kind": "number", "count": to - from}, 0, &depth)}
	for _, c := range l.curveList() {
		n, lo, hi := 0, math.Inf(1), math.Inf(-1)
		for _, v := range c.Values[from:to] {
			if !math.IsNaN(v) {
				n, lo, hi = n+1, math.Min(lo, v), math.Max(hi, v)
			}
		}
		m := map[string]any{"mnemonic": c.Mnemonic, "unit": c.Unit, "description": c.Description, "kind": c.Kind.String(), "count": n}
		if n > 0 {
			m["min"], m["max"] = lo, hi
		}
		pos := 0
		for i := range l.file.Curves {
			if &l.file.Curves[i] == c {
				pos = i
			}
		}
		curves = append(curves, display(m, pos, c))
	}
	well := map[string]string{}
	for _, it := range l.file.Well {
		well[it.Mnemonic] = it.Value
	}
	return map[string]any{
		"id": l.id, "status": "ready", "file_name": l.name, "version": l.file.Version, "well": well, "rows": to - from,
		"index": map[string]any{"mnemonic": depth.Mnemonic, "unit": depth.Unit, "display_unit": logplot.DisplayUnit(depth.Unit), "start": depth.Values[from], "stop": depth.Values[to-1],
			"step": depth.Values[from+1] - depth.Values[from]},
		"curves": curves,
	}
}

// curve answers one curve as GET /api/v1/logs/{log}/curves/{mnemonic} does: CurveData.
func (l *testLog) curve(m string) (map[string]any, bool) {
	from, to := l.rows()
	for _, c := range l.curveList() {
		if !strings.EqualFold(c.Mnemonic, m) {
			continue
		}
		idx, vals := make([]any, 0, to-from), make([]any, 0, to-from)
		for i := from; i < to; i++ {
			idx = append(idx, num(l.file.Curves[0].Values[i]))
			vals = append(vals, num(c.Values[i]))
		}
		return map[string]any{"log": l.id, "mnemonic": c.Mnemonic, "unit": c.Unit, "index_mnemonic": l.file.Curves[0].Mnemonic,
			"index_unit": l.file.Curves[0].Unit, "rows": to - from, "index": idx, "values": vals}, true
	}
	return nil, false
}

// viewerPage is the test page's parameters (testdata/viewer.html).
type viewerPage struct {
	Title, Logs, Curves, Top, Base string
	Height                         int
}

// viewerServer serves the viewer's files from internal/web/static/viewer, the test page, and the
// two API routes the viewer reads, for the given logs, under the app's strict CSP.
func viewerServer(t *testing.T, logs ...*testLog) *httptest.Server {
	t.Helper()
	byID := map[string]*testLog{}
	for _, l := range logs {
		byID[l.id] = l
	}
	tmpl := template.Must(template.ParseFiles("testdata/viewer.html"))
	csp := func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Security-Policy", strictCSP)
			w.Header().Set("X-Content-Type-Options", "nosniff")
			h.ServeHTTP(w, r)
		})
	}
	writeJSON := func(w http.ResponseWriter, v any) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(v)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /static/viewer/", http.StripPrefix("/static/viewer/", http.FileServerFS(os.DirFS("../web/static/viewer"))))
	mux.Handle("GET /testdata/page.css", http.FileServerFS(os.DirFS(".")))
	mux.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	mux.HandleFunc("GET /page", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		h, _ := strconv.Atoi(q.Get("height"))
		if h == 0 {
			h = 640
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if err := tmpl.Execute(w, viewerPage{Title: q.Get("title"), Logs: q.Get("logs"), Curves: q.Get("curves"),
			Top: q.Get("top"), Base: q.Get("base"), Height: h}); err != nil {
			t.Error(err)
		}
	})
	mux.HandleFunc("GET /api/v1/logs/{log}", func(w http.ResponseWriter, r *http.Request) {
		l := byID[r.PathValue("log")]
		if l == nil {
			w.Header().Set("Content-Type", "application/problem+json")
			w.WriteHeader(http.StatusNotFound)
			writeJSON(w, map[string]any{"status": 404, "code": "not_found", "detail": "no log " + r.PathValue("log")})
			return
		}
		writeJSON(w, l.meta())
	})
	mux.HandleFunc("GET /api/v1/logs/{log}/curves/{mnemonic}", func(w http.ResponseWriter, r *http.Request) {
		l := byID[r.PathValue("log")]
		var c map[string]any
		ok := false
		if l != nil {
			c, ok = l.curve(r.PathValue("mnemonic"))
		}
		if !ok {
			w.WriteHeader(http.StatusNotFound)
			writeJSON(w, map[string]any{"status": 404, "code": "not_found", "detail": "no curve " + r.PathValue("mnemonic")})
			return
		}
		writeJSON(w, c)
	})
	srv := httptest.NewServer(csp(mux))
	t.Cleanup(srv.Close)
	return srv
}

func readVolve(t *testing.T) *las.File {
	t.Helper()
	f, err := os.Open(volveLAS)
	if errors.Is(err, fs.ErrNotExist) {
		t.Skipf("the real-data folder ../shared/data is absent here (%v); CI has it", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	lf, err := las.Read(f, las.WithName("15-9-19_SR_COMP.LAS"))
	if err != nil {
		t.Fatal(err)
	}
	return lf
}

// view is the depth window the viewer shows (its data-view-top/-base).
type view struct{ Top, Base float64 }

func (v view) span() float64 { return v.Base - v.Top }

func currentView(b *browsertest.Browser) view {
	return browsertest.Eval[view](b, `(() => { const e = document.getElementById("viewer");
		return {Top: +e.dataset.viewTop, Base: +e.dataset.viewBase}; })()`)
}

// wheel sends a mouse-wheel event (deltaY CSS pixels, Ctrl held for zoom) at the middle of the
// first track body.
func wheel(t *testing.T, b *browsertest.Browser, deltaY float64, ctrl bool) {
	t.Helper()
	x, y := bodyCentre(b)
	var mods int64
	if ctrl {
		mods = 2 // Ctrl, in the protocol's bit field
	}
	_, err := chromedp.Call(b.Context(), input.DispatchMouseEvent, input.DispatchMouseEventParams{
		// Chrome requires deltaX on a wheel event and the encoder leaves a zero out: a
		// negligible sideways delta, which the viewer ignores.
		Type: chromedp.MouseWheel, X: x, Y: y, DeltaX: 1e-9, DeltaY: deltaY, Modifiers: mods})
	if err != nil {
		t.Fatal(err)
	}
}

func bodyCentre(b *browsertest.Browser) (float64, float64) {
	p := browsertest.Eval[[]float64](b, `(() => { const r = document.querySelectorAll(".wbv-body")[1].getBoundingClientRect();
		return [r.left + r.width / 2, r.top + r.height / 2]; })()`)
	return p[0], p[1]
}

// drag presses the mouse at the middle of a track, moves it up by dy CSS pixels and releases it.
func drag(t *testing.T, b *browsertest.Browser, dy float64) {
	t.Helper()
	x, y := bodyCentre(b)
	err := chromedp.Do(b.Context(),
		chromedp.MouseEvent(chromedp.MousePressed, x, y, chromedp.ButtonLeft, chromedp.ClickCount(1)),
		chromedp.MouseEvent(chromedp.MouseMoved, x, y-dy/2, chromedp.ButtonLeft),
		chromedp.MouseEvent(chromedp.MouseMoved, x, y-dy, chromedp.ButtonLeft),
		chromedp.MouseEvent(chromedp.MouseReleased, x, y-dy, chromedp.ButtonLeft, chromedp.ClickCount(1)))
	if err != nil {
		t.Fatal(err)
	}
}

// settle waits for the viewer's next frame, so canvases and attributes are up to date.
func settle(b *browsertest.Browser) {
	browsertest.Eval[bool](b, `new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))`)
}

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

// headers returns each shown curve's header: mnemonic -> [left scale, unit, right scale].
func headers(b *browsertest.Browser) map[string][3]string {
	return browsertest.Eval[map[string][3]string](b, `(() => { const out = {};
		for (const c of document.querySelectorAll(".wbv-curve")) {
			out[c.querySelector(".wbv-mnem").textContent] = [".wbv-left", ".wbv-unit", ".wbv-right"].map(s => c.querySelector(s).textContent);
		}
		return out; })()`)
}

// pixels counts the pixels of the track canvas whose aria-label starts with track that are
// close to the colour rgb (the curves' and shadings' colours, see viewer.js), over the whole
// track. The canvas is transparent where nothing is drawn, and its pixels are not
// premultiplied, so a shading drawn at alpha 0.55 keeps its colour and has alpha 140.
func pixels(b *browsertest.Browser, track string, rgb [3]int) int {
	return pixelsBetween(b, track, rgb, math.Inf(-1), math.Inf(1))
}

// pixelsBetween is pixels over the rows from depth top to depth base of the current view.
func pixelsBetween(b *browsertest.Browser, track string, rgb [3]int, top, base float64) int {
	js := func(v float64) string {
		if math.IsInf(v, 0) {
			return fmt.Sprintf("%sInfinity", map[bool]string{true: "-", false: ""}[v < 0])
		}
		return strconv.FormatFloat(v, 'g', -1, 64)
	}
	return browsertest.Eval[int](b, `(() => {
		const c = [...document.querySelectorAll(".wbv-body canvas")].find(c => c.getAttribute("aria-label").startsWith(`+strconv.Quote(track)+`));
		if (!c) return -1;
		const v = document.getElementById("viewer").dataset, t = +v.viewTop, bs = +v.viewBase;
		const row = d => Math.max(0, Math.min(c.height, Math.round((d - t) / (bs - t) * c.height)));
		const r0 = row(`+js(top)+`), r1 = row(`+js(base)+`);
		if (r1 <= r0) return 0;
		const d = c.getContext("2d").getImageData(0, r0, c.width, r1 - r0).data, want = `+fmt.Sprintf("[%d, %d, %d]", rgb[0], rgb[1], rgb[2])+`;
		let n = 0;
		for (let i = 0; i < d.length; i += 4) {
			if (d[i + 3] > 100 && Math.abs(d[i] - want[0]) < 40 && Math.abs(d[i + 1] - want[1]) < 40 && Math.abs(d[i + 2] - want[2]) < 40) n++;
		}
		return n; })()`)
}

var (
	red    = [3]int{204, 0, 0}   // deep resistivity, density
	green  = [3]int{0, 128, 0}   // gamma ray
	yellow = [3]int{255, 196, 0} // the density-neutron crossover shading (drawn at alpha 0.55)
)

func TestLogViewer(t *testing.T) {
	t.Parallel()
	volve := readVolve(t)
	comp := &testLog{id: "volve-comp", file: volve, name: "15-9-19_SR_COMP.LAS"}
	srv := viewerServer(t, comp)
	b := browsertest.New(t, browsertest.WindowSize(1400, 1000))
	b.Navigate(srv.URL + "/page?title=15/9-19+SR+composite&logs=volve-comp")
	b.WaitVisible(`#viewer[data-state=ready]`)
	settle(b)
	b.Screenshot("whole-log")
	depth := volve.Curves[0].Values
	first, last := depth[0], depth[len(depth)-1]

	t.Run("ScalesAndUnits", func(t *testing.T) {
		b := b.WithT(t)
		want := map[string][3]string{
			"GR": {"0", "gAPI", "150"}, "CALI": {"6", "in", "16"},
			"RDEP": {"0.2", "ohm·m (log)", "2000"}, "RMED": {"0.2", "ohm·m (log)", "2000"},
			"DEN": {"1.95", "g/cm3", "2.95"}, "NEU": {"0.45", "v/v", "−0.15"}, // NEU is stored in %
			"AC": {"140", "µs/ft", "40"},
		}
		if diff := cmp.Diff(want, headers(b)); diff != "" {
			t.Errorf("track headers (-want +got):\n%s", diff)
		}
		if got := b.Text(".wbv-head-depth"); !strings.Contains(got, "MD") || !strings.Contains(got, "(m)") {
			t.Errorf("depth track header %q, want MD (m)", got)
		}
		if v := currentView(b); !near(v.Top, first, 0.01) || !near(v.Base, last, 0.01) {
			t.Errorf("first view %+v, want the whole log %g–%g m", v, first, last)
		}
		if got := b.Text(".wbv-log-title"); got != "15/9-19 — 15-9-19_SR_COMP.LAS" {
			t.Errorf("log title %q", got)
		}
		b.Axe()
	})

	t.Run("KeyboardZoomAndScroll", func(t *testing.T) {
		b := b.WithT(t)
		full := currentView(b)
		b.Keys(".wbv-plot", "+")
		v := currentView(b)
		if !near(v.span(), full.span()/1.5, 0.01) || !near((v.Top+v.Base)/2, (full.Top+full.Base)/2, 0.01) {
			t.Errorf("after +: %+v, want a third less around the same middle as %+v", v, full)
		}
		b.Keys(".wbv-plot", "++")
		z := currentView(b)
		if !near(z.span(), full.span()/1.5/1.5/1.5, 0.01) {
			t.Errorf("after +++: span %g, want %g", z.span(), full.span()/3.375)
		}
		b.Keys(".wbv-plot", kb.ArrowDown)
		if v := currentView(b); !near(v.Top, z.Top+z.span()/10, 0.01) || !near(v.span(), z.span(), 0.01) {
			t.Errorf("after ↓: %+v, want %+v moved down a tenth of its span", v, z)
		}
		b.Keys(".wbv-plot", kb.PageUp)
		b.Keys(".wbv-plot", "-")
		if v := currentView(b); !near(v.span(), z.span()*1.5, 0.01) {
			t.Errorf("after -: span %g, want %g", v.span(), z.span()*1.5)
		}
		b.Keys(".wbv-plot", kb.Home)
		if v := currentView(b); v != full {
			t.Errorf("after Home: %+v, want the whole log %+v", v, full)
		}
	})

	t.Run("WheelAndDrag", func(t *testing.T) {
		b := b.WithT(t)
		b.Click(`[data-action=in]`)
		b.Click(`[data-action=in]`)
		z := currentView(b)
		wheel(t, b, 160, false) // a quarter of the 640 px tracks
		settle(b)
		v := currentView(b)
		if !near(v.Top, z.Top+z.span()/4, 0.05) || !near(v.span(), z.span(), 0.01) {
			t.Errorf("after a wheel of 160 px: %+v, want %+v scrolled down a quarter", v, z)
		}
		wheel(t, b, -200, true)
		settle(b)
		w := currentView(b)
		if want := v.span() * math.Pow(1.0015, -200); !near(w.span(), want, 0.05) {
			t.Errorf("after Ctrl+wheel: span %g, want %g", w.span(), want)
		}
		drag(t, b, 160)
		settle(b)
		d := currentView(b)
		if !near(d.Top, w.Top+w.span()/4, 0.05) || !near(d.span(), w.span(), 0.01) {
			t.Errorf("after a drag of 160 px up: %+v, want %+v scrolled down a quarter", d, w)
		}
		b.Screenshot("zoomed-scrolled")
		b.Click(`[data-action=all]`)
	})

	t.Run("Readout", func(t *testing.T) {
		// The pointer over the tracks: the depth and each curve's value there.
		b := b.WithT(t)
		x, y := bodyCentre(b)
		if err := chromedp.Do(b.Context(), chromedp.MouseEvent(chromedp.MouseMoved, x, y)); err != nil {
			t.Fatal(err)
		}
		got := b.Text(".wbv-readout")
		for _, want := range []string{"MD ", " m · ", "GR ", " gAPI", "RDEP ", " ohm·m", "NEU ", " v/v"} {
			if !strings.Contains(got, want) {
				t.Errorf("readout %q lacks %q", got, want)
			}
		}
	})

	t.Run("CurveSelection", func(t *testing.T) {
		b := b.WithT(t)
		tracks := func() int { return browsertest.Eval[int](b, `document.querySelectorAll(".wbv-body").length`) }
		before := tracks()
		b.Click(".wbv-pick summary")
		b.Click(`input[data-mnemonic=AC]`)
		b.Click(`input[data-mnemonic=RMED]`)
		settle(b)
		h := headers(b)
		if _, ok := h["AC"]; ok || tracks() != before-1 {
			t.Errorf("after unticking AC: %d tracks (want %d), headers %v", tracks(), before-1, h)
		}
		if _, ok := h["RMED"]; ok || h["RDEP"][1] == "" {
			t.Errorf("after unticking RMED, headers %v: want RDEP alone in its track", h)
		}
		b.Click(`input[data-mnemonic=AC]`)
		b.WaitVisible(`canvas[aria-label^="Sonic"]`)
		if _, ok := headers(b)["AC"]; !ok || tracks() != before {
			t.Errorf("after ticking AC again: %d tracks, want %d", tracks(), before)
		}
		b.Screenshot("curve-selection")
		b.Axe()
	})

	t.Run("NullsAreGaps", func(t *testing.T) {
		// The gamma ray is NULL from 1263.90 to 1286.91 m (and the density everywhere above
		// 3550 m): no line there, a line above and below.
		b := b.WithT(t)
		b.Navigate(srv.URL + "/page?title=15/9-19+SR+1250-1300+m&logs=volve-comp&top=1250&base=1300")
		b.WaitVisible(`#viewer[data-state=ready]`)
		settle(b)
		if v := currentView(b); !near(v.Top, 1250, 0.01) || !near(v.Base, 1300, 0.01) {
			t.Errorf("data-top/-base 1250/1300 gave %+v", v)
		}
		if n := pixelsBetween(b, "Gamma", green, 1264.2, 1286.6); n != 0 {
			t.Errorf("%d gamma-ray pixels where GR is NULL (1263.90–1286.91 m)", n)
		}
		above, below := pixelsBetween(b, "Gamma", green, 1250, 1263.5), pixelsBetween(b, "Gamma", green, 1287.5, 1300)
		if above < 50 || below < 50 {
			t.Errorf("gamma-ray pixels above the gap %d, below %d: want the curve on both sides", above, below)
		}
		if n := pixels(b, "Density", red); n != 0 {
			t.Errorf("%d red pixels in the density-neutron track where DEN is NULL", n)
		}
		b.Screenshot("null-gap")
	})

	t.Run("Reservoir", func(t *testing.T) {
		// 3600–3800 m: density and neutron present, with crossover (density left of neutron).
		b := b.WithT(t)
		b.Navigate(srv.URL + "/page?title=15/9-19+SR+3600-3800+m&logs=volve-comp&top=3600&base=3800")
		b.WaitVisible(`#viewer[data-state=ready]`)
		settle(b)
		if n := pixels(b, "Density", red); n < 200 {
			t.Errorf("%d red pixels in the density-neutron track, want the DEN curve", n)
		}
		shaded := pixels(b, "Density", yellow)
		if shaded < 200 {
			t.Errorf("%d crossover pixels, want the density-neutron crossover shaded", shaded)
		}
		b.Screenshot("reservoir")
		b.Click(".wbv-shade")
		settle(b)
		if n := pixels(b, "Density", yellow); n > shaded/20 {
			t.Errorf("%d crossover pixels with the shading off (%d with it on)", n, shaded)
		}
	})
}

func TestLogViewerSeveralLogs(t *testing.T) {
	t.Parallel()
	volve := readVolve(t)
	// The same well's composite file served as two logs: the upper hole's gamma ray, caliper
	// and sonic, and from 3500 m the resistivity and porosity run, as two runs of a well come.
	upper := &testLog{id: "gr-run", file: volve, name: "run1_GR_CALI_AC.las", curves: []string{"GR", "CALI", "AC"}}
	lower := &testLog{id: "por-run", file: volve, name: "run2_RES_DEN_NEU.las", curves: []string{"RDEP", "RMED", "DEN", "NEU"}, from: 3500}
	srv := viewerServer(t, upper, lower)
	b := browsertest.New(t, browsertest.WindowSize(1400, 1000))
	b.Navigate(srv.URL + "/page?title=15/9-19+SR+two+runs&logs=gr-run,por-run&top=3550&base=3950")
	b.WaitVisible(`#viewer[data-state=ready]`)
	settle(b)
	titles := browsertest.Eval[[]string](b, `[...document.querySelectorAll(".wbv-log-title")].map(e => e.textContent).filter(Boolean)`)
	if diff := cmp.Diff([]string{"15/9-19 — run1_GR_CALI_AC.las", "15/9-19 — run2_RES_DEN_NEU.las"}, titles); diff != "" {
		t.Errorf("log titles (-want +got):\n%s", diff)
	}
	// One depth axis: every track body starts and ends at the same height.
	rows := browsertest.Eval[[][2]float64](b, `[...document.querySelectorAll(".wbv-body")].map(e => { const r = e.getBoundingClientRect(); return [r.top, r.bottom]; })`)
	if len(rows) != 1+2+2 {
		t.Errorf("%d track bodies, want depth, the first run's gamma-ray and sonic, the second's resistivity and porosity", len(rows))
	}
	for _, r := range rows {
		if r != rows[0] {
			t.Errorf("track bodies at %v and %v: not on one depth axis", rows[0], r)
		}
	}
	if n := pixels(b, "Resistivity", red); n < 100 {
		t.Errorf("%d red pixels in the second run's resistivity track", n)
	}
	b.Keys(".wbv-plot", kb.Home)
	if v := currentView(b); !near(v.Top, volve.Curves[0].Values[0], 0.01) {
		t.Errorf("whole view of both runs starts at %g, want the first run's top", v.Top)
	}
	b.Keys(".wbv-plot", "+")
	b.Screenshot("two-runs")
	b.Axe()
}
