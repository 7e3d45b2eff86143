package httpapi_test

import (
	"context"
	"io"
	"net/http"
	"os"
	"testing"
)

// BenchmarkCurveReads reads the Volve GR curve (29 754 samples) through the API, one client, in
// the variants of the curve read path: cold (the cache emptied before each read: decrypt,
// decompress, encode), warm JSON, gzip (cached compressed; the client inflates), 304
// (If-None-Match), f64 binary, and max_points=1000 (LTTB, cached). bytes/op is the size of the
// answer on the wire.
//
//	go test -run '^$' -bench CurveReads -benchmem ./internal/httpapi/
func BenchmarkCurveReads(b *testing.B) {
	raw, err := os.ReadFile(volvePath)
	if err != nil {
		b.Skipf("the real-data folder ../shared/data is absent here (%v)", err)
	}
	h := newHarnessWith(b, harnessOptions{curveGzip: true})
	acme := h.onboard("acme")
	id := h.must(201, "POST", "/api/v1/logs", acme, raw).str("id")
	base := h.srv.URL + "/api/v1/logs/" + id + "/curves/GR"
	tag := h.must(200, "GET", "/api/v1/logs/"+id+"/curves/GR", acme, nil).header.Get("ETag")
	cases := []struct {
		name, query string
		header      http.Header
		cold        bool
		want        int
	}{
		{"Cold", "", http.Header{"Accept-Encoding": {"identity"}}, true, 200},
		{"WarmJSON", "", http.Header{"Accept-Encoding": {"identity"}}, false, 200},
		{"Gzip", "", http.Header{"Accept-Encoding": {"gzip"}}, false, 200},
		{"NotModified", "", http.Header{"If-None-Match": {tag}}, false, 304},
		{"F64", "?format=f64", nil, false, 200},
		{"MaxPoints1000", "?max_points=1000", http.Header{"Accept-Encoding": {"identity"}}, false, 200},
	}
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			var n int64
			for b.Loop() {
				if c.cold {
					b.StopTimer()
					// A key rotation drops the tenant's cached curves (and a new key version
					// would change the keys too; here the log keeps its version).
					h.api.DropCurveCache("acme")
					b.StartTimer()
				}
				req, _ := http.NewRequestWithContext(context.Background(), "GET", base+c.query, nil)
				req.Header.Set("Authorization", "Bearer "+acme)
				for k, v := range c.header {
					req.Header[k] = v
				}
				res, err := client.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				m, _ := io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode != c.want {
					b.Fatalf("status %d, want %d", res.StatusCode, c.want)
				}
				n = m
			}
			b.ReportMetric(float64(n), "bytes/answer")
		})
	}
}
