package httpapi_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/binary"
	"encoding/json"
	"io"
	"math"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/wellbase/wellbase/internal/columnar"
)

// curveJSON is the JSON answer of a curve read.
type curveJSON struct {
	Rows       int        `json:"rows"`
	SourceRows int        `json:"source_rows"`
	MaxPoints  int        `json:"max_points"`
	Index      []float64  `json:"index"`
	Values     []*float64 `json:"values"`
}

func decodeCurve(t testing.TB, r response) curveJSON {
	t.Helper()
	var c curveJSON
	if err := json.Unmarshal(r.body, &c); err != nil {
		t.Fatalf("curve answer: %v: %.200s", err, r.body)
	}
	if len(c.Index) != c.Rows || len(c.Values) != c.Rows {
		t.Fatalf("rows %d, %d index values, %d values", c.Rows, len(c.Index), len(c.Values))
	}
	return c
}

// metric returns the value of the Prometheus series whose line starts with prefix (name and
// labels), 0 if absent.
func (h *harness) metric(prefix string) float64 {
	h.tb.Helper()
	for _, line := range strings.Split(string(h.must(200, "GET", "/metrics", "", nil).body), "\n") {
		if strings.HasPrefix(line, prefix+" ") {
			v, _ := strconv.ParseFloat(strings.TrimSpace(line[len(prefix):]), 64)
			return v
		}
	}
	return 0
}

// volveGR uploads the Volve log for tenant acme on a harness made with opt and returns the
// harness, acme's token and the path of the log's GR curve; it skips without ../shared/data.
func volveGR(t *testing.T, opt harnessOptions) (*harness, string, string) {
	t.Helper()
	raw, err := os.ReadFile(volvePath)
	if err != nil {
		t.Skipf("the real-data folder ../shared/data is absent here (%v)", err)
	}
	h := newHarnessWith(t, opt)
	acme := h.onboard("acme")
	id := h.must(201, "POST", "/api/v1/logs", acme, raw).str("id")
	return h, acme, "/api/v1/logs/" + id + "/curves/GR"
}

func uploadSmall(h *harness, token, name string) string {
	h.tb.Helper()
	return h.must(201, "POST", "/api/v1/logs?name="+name+".las", token, []byte(smallLAS(name, name))).str("id")
}

func TestCurveETagAnd304(t *testing.T) {
	h := newHarness(t)
	acme := h.onboard("acme")
	id := uploadSmall(h, acme, "ETAG-1")
	path := "/api/v1/logs/" + id + "/curves/GR"
	first := h.must(200, "GET", path, acme, nil)
	tag := first.header.Get("ETag")
	if !regexp.MustCompile(`^"[A-Za-z0-9_-]{10,}"$`).MatchString(tag) {
		t.Fatalf("ETag %q is not a strong entity tag", tag)
	}
	if cc := first.header.Get("Cache-Control"); !strings.Contains(cc, "private") {
		t.Errorf("Cache-Control %q is not private", cc)
	}
	again := h.must(200, "GET", path, acme, nil)
	if again.header.Get("ETag") != tag || !bytes.Equal(again.body, first.body) {
		t.Error("a second read (from the cache) differs from the first")
	}
	nm := h.mustWith(304, "GET", path, acme, nil, http.Header{"If-None-Match": {`"other", ` + tag}})
	if len(nm.body) != 0 || nm.header.Get("ETag") != tag {
		t.Errorf("304: body %q, ETag %q", nm.body, nm.header.Get("ETag"))
	}
	h.mustWith(200, "GET", path, acme, nil, http.Header{"If-None-Match": {`"other"`}})
	// Another variant of the same curve is another representation: another tag.
	csv := h.must(200, "GET", path+"?format=csv", acme, nil)
	if csv.header.Get("ETag") == tag || csv.header.Get("ETag") == "" {
		t.Errorf("the CSV answer has ETag %q (JSON's is %q)", csv.header.Get("ETag"), tag)
	}
	h.mustWith(200, "GET", path+"?format=csv", acme, nil, http.Header{"If-None-Match": {tag}})
	if got := h.metric(`wellbase_curve_reads_total{outcome="not_modified"}`); got != 1 {
		t.Errorf("not_modified reads counted %v, want 1", got)
	}
	if got := h.metric(`wellbase_curve_reads_total{outcome="hit"}`); got < 1 {
		t.Errorf("cache hits counted %v, want at least 1", got)
	}
}

func TestCurveF64(t *testing.T) {
	h, acme, path := volveGR(t, harnessOptions{})
	want := decodeCurve(t, h.must(200, "GET", path, acme, nil))
	for name, r := range map[string]response{
		"Accept":  h.mustWith(200, "GET", path, acme, nil, http.Header{"Accept": {"application/octet-stream"}}),
		"?format": h.must(200, "GET", path+"?format=f64", acme, nil),
	} {
		if ct := r.header.Get("Content-Type"); ct != "application/octet-stream" {
			t.Errorf("%s: Content-Type %q", name, ct)
		}
		rows, _ := strconv.Atoi(r.header.Get("Wellbase-Rows"))
		if rows != 29754 || len(r.body) != 16*rows || r.header.Get("Wellbase-Columns") != "DEPT,GR" {
			t.Fatalf("%s: %d bytes, Wellbase-Rows %q, Wellbase-Columns %q", name, len(r.body), r.header.Get("Wellbase-Rows"), r.header.Get("Wellbase-Columns"))
		}
		nulls := 0
		for i := range rows {
			x := math.Float64frombits(binary.LittleEndian.Uint64(r.body[8*i:]))
			y := math.Float64frombits(binary.LittleEndian.Uint64(r.body[8*(rows+i):]))
			if x != want.Index[i] {
				t.Fatalf("%s: index[%d] = %v, JSON has %v", name, i, x, want.Index[i])
			}
			switch {
			case want.Values[i] == nil && !math.IsNaN(y):
				t.Fatalf("%s: value %d = %v, JSON has null", name, i, y)
			case want.Values[i] == nil:
				nulls++
			case *want.Values[i] != y:
				t.Fatalf("%s: value %d = %v, JSON has %v", name, i, y, *want.Values[i])
			}
		}
		if nulls == 0 {
			t.Errorf("%s: no NULL sample checked (the Volve GR has some)", name)
		}
	}
}

func TestCurveMaxPointsAndWindow(t *testing.T) {
	h, acme, path := volveGR(t, harnessOptions{})
	full := decodeCurve(t, h.must(200, "GET", path, acme, nil))
	thin := decodeCurve(t, h.must(200, "GET", path+"?max_points=800", acme, nil))
	if thin.Rows > 800 || thin.Rows < 700 || thin.SourceRows != 29754 || thin.MaxPoints != 800 {
		t.Errorf("max_points=800: rows %d, source_rows %d, max_points %d", thin.Rows, thin.SourceRows, thin.MaxPoints)
	}
	if thin.Index[0] != full.Index[0] || thin.Index[thin.Rows-1] != full.Index[full.Rows-1] {
		t.Error("the thinned curve does not span the whole log")
	}
	maxOf := func(vs []*float64) float64 {
		m := math.Inf(-1)
		for _, v := range vs {
			if v != nil {
				m = math.Max(m, *v)
			}
		}
		return m
	}
	if maxOf(thin.Values) != maxOf(full.Values) {
		t.Errorf("the thinned curve's maximum %v is not the curve's %v", maxOf(thin.Values), maxOf(full.Values))
	}
	for _, bad := range []string{"2", "x", "-5", "0"} {
		h.must(400, "GET", path+"?max_points="+bad, acme, nil)
	}
	// A window cut from the cached curve is the one the file's own index search gives (the CSV
	// export reads the file).
	win := decodeCurve(t, h.must(200, "GET", path+"?top=2000&base=2100.5", acme, nil))
	csv := h.must(200, "GET", strings.TrimSuffix(path, "/curves/GR")+"/data?top=2000&base=2100.5", acme, nil)
	if lines := strings.Count(string(csv.body), "\n") - 1; lines != win.Rows || win.Rows == 0 {
		t.Errorf("window: %d rows, the export has %d", win.Rows, lines)
	}
	if win.Index[0] < 2000 || win.Index[win.Rows-1] > 2100.5 {
		t.Errorf("window [%v, %v] outside [2000, 2100.5]", win.Index[0], win.Index[win.Rows-1])
	}
	both := decodeCurve(t, h.must(200, "GET", path+"?top=2000&base=2100.5&max_points=50", acme, nil))
	if both.Rows > 50 || both.SourceRows != win.Rows || both.Index[0] != win.Index[0] {
		t.Errorf("window and max_points: rows %d, source_rows %d (window %d)", both.Rows, both.SourceRows, win.Rows)
	}
	h.must(422, "GET", path+"?top=3000&base=2000", acme, nil)
}

// TestCurveCacheInvalidation: what a curve read caches never outlives what it was read from,
// and never reaches another tenant.
func TestCurveCacheInvalidation(t *testing.T) {
	h := newHarnessWith(t, harnessOptions{worker: true})
	ctx := context.Background()
	acme, globex := h.onboard("acme"), h.onboard("globex")
	entries := func() float64 { return h.metric("wellbase_curve_cache_entries") }

	t.Run("OtherTenant", func(t *testing.T) {
		id := uploadSmall(h, acme, "ISO-1")
		h.must(200, "GET", "/api/v1/logs/"+id+"/curves/GR", acme, nil)
		h.must(404, "GET", "/api/v1/logs/"+id+"/curves/GR", globex, nil)
		h.must(404, "GET", "/api/v1/logs/"+id+"/curves/GR?format=f64", globex, nil)
	})

	t.Run("Delete", func(t *testing.T) {
		id := uploadSmall(h, acme, "DEL-1")
		before := entries()
		h.must(200, "GET", "/api/v1/logs/"+id+"/curves/GR", acme, nil)
		if entries() <= before {
			t.Fatal("the read cached nothing")
		}
		h.must(204, "DELETE", "/api/v1/logs/"+id, acme, nil)
		if got := entries(); got != before {
			t.Errorf("%v cache entries after the delete, want %v", got, before)
		}
		h.must(404, "GET", "/api/v1/logs/"+id+"/curves/GR", acme, nil)
	})

	t.Run("Reimport", func(t *testing.T) {
		// The log's curves are written again under the same ID (a re-parse): the record
		// changes, and the answer with it.
		id := uploadSmall(h, acme, "RE-1")
		path := "/api/v1/logs/" + id + "/curves/GR"
		old := h.must(200, "GET", path, acme, nil)
		ts := h.store.Tenant("acme")
		l, err := ts.GetLog(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		cols := []columnar.Column{{Name: "DEPT", Unit: "M", Float: []float64{1500, 1500.5, 1501}}, {Name: "GR", Unit: "GAPI", Float: []float64{11, 22, 33}},
			{Name: "RDEP", Unit: "OHMM", Float: []float64{1, 2, 3}}}
		if err := columnar.Write(&buf, cols); err != nil {
			t.Fatal(err)
		}
		_, dk, err := h.keys.Current(ctx, "acme")
		if err != nil {
			t.Fatal(err)
		}
		n, err := h.files.Put(ctx, "acme", "logs/"+id+"/curves.parquet", dk, &buf)
		if err != nil {
			t.Fatal(err)
		}
		l.StoredBytes = n + 1
		if err := ts.UpdateLog(ctx, l); err != nil {
			t.Fatal(err)
		}
		got := decodeCurve(t, h.must(200, "GET", path, acme, nil))
		if got.Values[1] == nil || *got.Values[1] != 22 {
			t.Errorf("after the re-import GR is %s", h.must(200, "GET", path, acme, nil).body)
		}
		h.mustWith(200, "GET", path, acme, nil, http.Header{"If-None-Match": {old.header.Get("ETag")}})
	})

	t.Run("RotateAndReencrypt", func(t *testing.T) {
		id := uploadSmall(h, acme, "ROT-1")
		path := "/api/v1/logs/" + id + "/curves/GR"
		old := h.must(200, "GET", path, acme, nil)
		rot := h.must(202, "POST", "/api/v1/tenants/acme/rotate-key", h.op, nil).json()
		if job := h.waitJob(acme, rot["job"].(map[string]any)["id"].(string)); job["status"] != "succeeded" {
			t.Fatalf("re-encryption: %v", job)
		}
		now := h.must(200, "GET", path, acme, nil)
		if !bytes.Equal(now.body, old.body) {
			t.Error("the curve changed with the key")
		}
		if now.header.Get("ETag") == old.header.Get("ETag") {
			t.Error("the ETag did not change with the key version")
		}
		h.mustWith(200, "GET", path, acme, nil, http.Header{"If-None-Match": {old.header.Get("ETag")}})
	})

	t.Run("ShreddedKeys", func(t *testing.T) {
		// The keys destroyed by another process (the tenant still active here): nothing is
		// served from memory, though the curve is cached.
		tok := h.onboard("initech")
		id := uploadSmall(h, tok, "SHRED-1")
		path := "/api/v1/logs/" + id + "/curves/GR"
		h.must(200, "GET", path, tok, nil)
		h.must(200, "GET", path+"?format=f64", tok, nil)
		if _, err := h.store.Tenant("initech").DeleteDataKeys(ctx); err != nil {
			t.Fatal(err)
		}
		h.keys.Forget("initech")
		for _, p := range []string{path, path + "?format=f64", path + "?max_points=3"} {
			if r := h.do("GET", p, tok, nil); r.status == 200 || bytes.Contains(r.body, []byte("45.1")) {
				t.Errorf("GET %s after the keys were destroyed: %d %.100s", p, r.status, r.body)
			}
		}
	})

	t.Run("Offboard", func(t *testing.T) {
		tok := h.onboard("umbrella")
		id := uploadSmall(h, tok, "OFF-1")
		mine := uploadSmall(h, globex, "KEEP-1")
		h.must(200, "GET", "/api/v1/logs/"+id+"/curves/GR", tok, nil)
		before := entries()
		h.must(200, "GET", "/api/v1/logs/"+mine+"/curves/GR", globex, nil)
		withGlobex := entries()
		h.must(200, "DELETE", "/api/v1/tenants/umbrella", h.op, nil)
		if got := entries(); got >= withGlobex || got < withGlobex-before {
			t.Errorf("cache entries %v after offboarding (%v before, globex's read added %v)", got, withGlobex, withGlobex-before)
		}
		if r := h.do("GET", "/api/v1/logs/"+id+"/curves/GR", tok, nil); r.status != 401 && r.status != 403 {
			t.Errorf("the offboarded tenant's read answered %d", r.status)
		}
		h.must(200, "GET", "/api/v1/logs/"+mine+"/curves/GR", globex, nil)
	})
}

// TestClientGoneIs499: a request whose client went away is counted (and logged) as 499, not
// as a server error.
func TestClientGoneIs499(t *testing.T) {
	h := newHarness(t)
	acme := h.onboard("acme")
	id := uploadSmall(h, acme, "GONE-1")
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // the client is gone before the handler reads anything
	req, _ := http.NewRequestWithContext(ctx, "GET", "/api/v1/logs/"+id+"/curves/GR", nil)
	req.Header.Set("Authorization", "Bearer "+acme)
	rec := &recorder{header: http.Header{}}
	h.api.ServeHTTP(rec, req)
	if rec.status == 500 {
		t.Errorf("answered 500 to a request whose client went away")
	}
	route := `wellbase_http_requests_total{method="GET",route="/api/v1/logs/{log}/curves/{mnemonic}",status=`
	if got := h.metric(route + `"499"}`); got != 1 {
		t.Errorf("499 counted %v times, want 1", got)
	}
	if h.metric(route+`"500"}`) != 0 || h.metric(route+`"503"}`) != 0 {
		t.Error("the cancelled request was counted as 500 or 503")
	}
}

// recorder is a ResponseWriter that keeps the status and counts the status lines written.
type recorder struct {
	header  http.Header
	status  int
	headers int
	body    bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }
func (r *recorder) WriteHeader(code int) {
	r.headers++
	if r.status == 0 {
		r.status = code
	}
}
func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.WriteHeader(200)
	}
	return r.body.Write(b)
}

var _ io.Writer = (*recorder)(nil)

func TestCurveGzip(t *testing.T) {
	h, acme, path := volveGR(t, harnessOptions{curveGzip: true})
	plain := h.mustWith(200, "GET", path, acme, nil, http.Header{"Accept-Encoding": {"identity"}})
	zipped := h.mustWith(200, "GET", path, acme, nil, http.Header{"Accept-Encoding": {"br;q=1, gzip;q=0.5"}})
	if zipped.header.Get("Content-Encoding") != "gzip" || len(zipped.body) >= len(plain.body) {
		t.Fatalf("Content-Encoding %q, %d bytes (identity %d)", zipped.header.Get("Content-Encoding"), len(zipped.body), len(plain.body))
	}
	zr, err := gzip.NewReader(bytes.NewReader(zipped.body))
	if err != nil {
		t.Fatal(err)
	}
	inflated, err := io.ReadAll(zr)
	if err != nil || !bytes.Equal(inflated, plain.body) {
		t.Fatalf("the gzip answer inflates to something else (%v)", err)
	}
	ptag, ztag := plain.header.Get("ETag"), zipped.header.Get("ETag")
	if ptag == ztag || ptag == "" || ztag == "" {
		t.Errorf("ETags %q (identity) and %q (gzip) must differ", ptag, ztag)
	}
	if !strings.Contains(plain.header.Get("Vary"), "Accept-Encoding") {
		t.Errorf("Vary %q", plain.header.Get("Vary"))
	}
	h.mustWith(304, "GET", path, acme, nil, http.Header{"Accept-Encoding": {"gzip"}, "If-None-Match": {ztag}})
	if r := h.mustWith(200, "GET", path, acme, nil, http.Header{"Accept-Encoding": {"gzip;q=0"}}); r.header.Get("Content-Encoding") != "" {
		t.Error("gzip;q=0 was answered gzip-coded")
	}
	if r := h.mustWith(200, "GET", path+"?format=f64", acme, nil, http.Header{"Accept-Encoding": {"gzip"}}); r.header.Get("Content-Encoding") != "" {
		t.Error("the binary answer was gzip-coded")
	}
}

// TestLogPlotCache: a log plot is answered from the curve cache with a strong ETag and 304, per
// tenant, and dropped with the log; another variant (curves, window) is another answer.
func TestLogPlotCache(t *testing.T) {
	h := newHarness(t)
	acme, globex := h.onboard("acme"), h.onboard("globex")
	entries := func() float64 { return h.metric("wellbase_curve_cache_entries") }
	id := uploadSmall(h, acme, "PLOT-1")
	path := "/api/v1/logs/" + id + "/plot.svg"
	before := entries()
	first := h.must(200, "GET", path, acme, nil)
	tag := first.header.Get("ETag")
	if !regexp.MustCompile(`^"[A-Za-z0-9_-]{10,}"$`).MatchString(tag) || !bytes.Contains(first.body, []byte("<svg")) {
		t.Fatalf("plot: ETag %q, body %.100s", tag, first.body)
	}
	cached := entries()
	if cached <= before {
		t.Fatal("the plot was not cached")
	}
	again := h.must(200, "GET", path, acme, nil)
	if again.header.Get("ETag") != tag || !bytes.Equal(again.body, first.body) || entries() != cached {
		t.Error("a second plot (from the cache) differs from the first or cached again")
	}
	if nm := h.mustWith(304, "GET", path, acme, nil, http.Header{"If-None-Match": {tag}}); len(nm.body) != 0 {
		t.Errorf("304 with a body: %.100s", nm.body)
	}
	one := h.must(200, "GET", path+"?curves=GR", acme, nil)
	win := h.must(200, "GET", path+"?top=1500&base=1500.5", acme, nil)
	if one.header.Get("ETag") == tag || win.header.Get("ETag") == tag || bytes.Equal(one.body, first.body) {
		t.Error("another variant of the plot has the same ETag or body")
	}
	h.must(404, "GET", path, globex, nil)
	h.mustWith(404, "GET", path, globex, nil, http.Header{"If-None-Match": {tag}})
	h.must(204, "DELETE", "/api/v1/logs/"+id, acme, nil)
	if got := entries(); got != before {
		t.Errorf("%v cache entries after the delete, want %v", got, before)
	}
	h.must(404, "GET", path, acme, nil)
	h.mustWith(404, "GET", path, acme, nil, http.Header{"If-None-Match": {tag}})
}
