package httpapi_test

import (
	"io"
	"net/http"
	"os"
	"slices"
	"sync"
	"testing"
	"time"
)

// BenchmarkCurveRead reads the Volve GR curve (29 754 samples, JSON) through the API from
// parallel clients, on the embedded defaults, and reports latency percentiles under that load.
func BenchmarkCurveRead(b *testing.B) {
	raw, err := os.ReadFile(volvePath)
	if err != nil {
		b.Skipf("the real-data folder ../shared/data is absent here (%v)", err)
	}
	h := newHarness(b)
	acme := h.onboard("acme")
	id := h.must(201, "POST", "/api/v1/logs", acme, raw).str("id")
	url := h.srv.URL + "/api/v1/logs/" + id + "/curves/GR"
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	var mu sync.Mutex
	var lat []time.Duration
	b.SetParallelism(4) // 4 × GOMAXPROCS clients
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		var mine []time.Duration
		for pb.Next() {
			req, _ := http.NewRequest("GET", url, nil)
			req.Header.Set("Authorization", "Bearer "+acme)
			t0 := time.Now()
			res, err := client.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			n, _ := io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode != 200 || n < 29754 {
				b.Errorf("status %d, %d bytes", res.StatusCode, n)
				return
			}
			mine = append(mine, time.Since(t0))
		}
		mu.Lock()
		lat = append(lat, mine...)
		mu.Unlock()
	})
	b.StopTimer()
	slices.Sort(lat)
	if len(lat) > 0 {
		b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	}
}
