package httpapi_test

import (
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
)

const volveWorkbook = "../../../shared/data/production/volve/Volve production data.xlsx"

// volvePages loads the Volve data into a tenant (the 15/9-19 LAS file and the production
// workbook: 7 wells, 15 634 daily and 526 monthly records) and returns a viewer's browser and
// an engineer's, and the IDs of the wells 15/9-19 (its log) and 15/9-F-14 (production).
func volvePages(b *testing.B) (viewer, engineer *browser, logWell, f14 string) {
	las, err := os.ReadFile(volvePath)
	if err != nil {
		b.Skipf("the real-data folder ../shared/data is absent here (%v)", err)
	}
	xlsx, err := os.ReadFile(volveWorkbook)
	if err != nil {
		b.Skipf("the real-data folder ../shared/data is absent here (%v)", err)
	}
	h := newHarness(b)
	owner := h.onboard("acme")
	logWell = h.must(201, "POST", "/api/v1/logs?name=15-9-19_SR_COMP.LAS", owner, las).str("well_id")
	imp := h.must(201, "POST", "/api/v1/production?format=xlsx", owner, xlsx).json()
	for _, w := range imp["wells"].([]any) {
		if m := w.(map[string]any); m["name"] == "15/9-F-14" {
			f14 = m["id"].(string)
		}
	}
	if f14 == "" {
		b.Fatal("the workbook import has no well 15/9-F-14")
	}
	return &browser{h: h, cookie: h.session(owner, "acme", "v@acme.example", "viewer")},
		&browser{h: h, cookie: h.session(owner, "acme", "e@acme.example", "engineer")}, logWell, f14
}

// benchPage measures the server time of one page, one request after the other on loopback.
func benchPage(b *testing.B, br *browser, path, want string) {
	benchPageWith(b, br.h.srv.URL, &http.Cookie{Name: "wellbase_session", Value: br.cookie}, path, want)
}

// benchPageWith is benchPage on the server at base with the session in cookie.
func benchPageWith(b *testing.B, base string, cookie *http.Cookie, path, want string) {
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	req, _ := http.NewRequest("GET", base+path, nil)
	req.Header.Set("Accept", "text/html")
	req.AddCookie(cookie)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		res, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || !strings.Contains(string(body), want) {
			b.Fatalf("GET %s: %d, without %q", path, res.StatusCode, want)
		}
	}
}

// BenchmarkPages measures each page's server time on the Volve data:
//
//	go test -run '^$' -bench Pages -benchtime 50x ./internal/httpapi/
func BenchmarkPages(b *testing.B) {
	br, eng, logWell, f14 := volvePages(b)
	b.Run("SignIn", func(b *testing.B) { benchPage(b, &browser{h: br.h}, "/signin", "password") })
	b.Run("Wells", func(b *testing.B) { benchPage(b, br, "/wells", "15/9-F-14") })
	b.Run("WellsSortedSearch", func(b *testing.B) { benchPage(b, br, "/wells?q=15%2F9&sort=name", "15/9-F-14") })
	b.Run("WellWithLog", func(b *testing.B) { benchPage(b, br, "/wells/"+logWell, "15-9-19") })
	b.Run("WellWithProduction", func(b *testing.B) { benchPage(b, br, "/wells/"+f14, "monthly records") })
	b.Run("EditWell", func(b *testing.B) { benchPage(b, eng, "/wells/"+f14+"/edit", "Save changes") })
}
