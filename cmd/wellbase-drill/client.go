package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"
)

// Retry policy of the drill's clients, as a careful API client would do it: a write carries an
// Idempotency-Key and is sent again with the same key (and the same body) after a connection
// error, a 502/503/504 (the balancer found no replica, or the one it used died), a 409
// idempotency_in_progress (the first attempt still runs, or its replica died less than the
// claim's 30 s lease ago) or a 429, waiting Retry-After when given, else a growing backoff.
const (
	maxAttempts  = 40
	retryBudget  = 150 * time.Second // from the first attempt; over the 30 s claim lease of a dead replica
	attemptLimit = 150 * time.Second // one attempt (an upload under load)
	backoffMin   = 200 * time.Millisecond
	backoffMax   = 5 * time.Second
)

// request is one logical API call.
type request struct {
	kind   string // "read:curve", "write:upload", … (for figures)
	method string
	path   string
	token  string
	ctype  string
	body   []byte
	key    string // Idempotency-Key; "" for reads
	want   []int  // statuses that mean success
}

// answer is how a logical call ended.
type answer struct {
	status   int
	body     []byte
	header   http.Header
	attempts int
	start    time.Time
	elapsed  time.Duration
	// err is why it failed after retries ("" if it succeeded).
	err string
}

func (a *answer) ok() bool { return a.err == "" }

// decode decodes the answer's JSON body into v.
func (a *answer) decode(v any) error { return json.Unmarshal(a.body, v) }

// sample is one logical call, for the figures.
type sample struct {
	kind     string
	start    time.Time
	elapsed  time.Duration
	attempts int
	ok       bool
}

// client sends requests through the balancer, retrying as above, and records every call.
type client struct {
	base string
	http *http.Client

	mu       sync.Mutex
	samples  []sample
	failures []string       // "kind method path: why", of calls failed after retries
	retried  map[string]int // why → count of retries
}

func newClient(base string) *client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 64
	return &client{base: base, http: &http.Client{Transport: tr}, retried: map[string]int{}}
}

// do sends r until it succeeds, fails for good, or the retry budget is spent.
func (c *client) do(ctx context.Context, r request) *answer {
	a := &answer{start: time.Now()}
	backoff := backoffMin
	for {
		a.attempts++
		status, body, header, err := c.once(ctx, r)
		a.status, a.body, a.header = status, body, header
		why := ""
		switch {
		case err != nil:
			why = "connection: " + err.Error()
		case slices.Contains(r.want, status):
			c.record(r, a, "")
			return a
		case status == http.StatusBadGateway || status == http.StatusServiceUnavailable || status == http.StatusGatewayTimeout:
			why = strconv.Itoa(status)
		case status == http.StatusConflict && problemCode(body) == "idempotency_in_progress":
			why = "409 idempotency_in_progress"
		case status == http.StatusTooManyRequests:
			why = "429"
		}
		if why == "" {
			c.record(r, a, fmt.Sprintf("%d %s", status, clip(body, 300)))
			return a
		}
		if ctx.Err() != nil || a.attempts >= maxAttempts || time.Since(a.start) > retryBudget {
			c.record(r, a, fmt.Sprintf("gave up after %d attempts in %s, last: %s %s", a.attempts, time.Since(a.start).Round(time.Millisecond), why, clip(body, 200)))
			return a
		}
		c.mu.Lock()
		c.retried[retryReason(why)]++
		c.mu.Unlock()
		wait := backoff/2 + rand.N(backoff/2+1)
		if s, err := strconv.Atoi(header.Get("Retry-After")); err == nil && s > 0 {
			wait = time.Duration(s) * time.Second
		}
		backoff = min(2*backoff, backoffMax)
		select {
		case <-ctx.Done():
		case <-time.After(wait):
		}
	}
}

// retryReason groups retry causes for the summary.
func retryReason(why string) string {
	if len(why) > 11 && why[:11] == "connection:" {
		return "connection error"
	}
	return why
}

// once sends one attempt of r.
func (c *client) once(ctx context.Context, r request) (int, []byte, http.Header, error) {
	actx, cancel := context.WithTimeout(ctx, attemptLimit)
	defer cancel()
	var body io.Reader
	if r.body != nil {
		body = bytes.NewReader(r.body)
	}
	req, err := http.NewRequestWithContext(actx, r.method, c.base+r.path, body)
	if err != nil {
		return 0, nil, nil, err
	}
	if r.token != "" {
		req.Header.Set("Authorization", "Bearer "+r.token)
	}
	if r.ctype != "" {
		req.Header.Set("Content-Type", r.ctype)
	}
	if r.key != "" {
		req.Header.Set("Idempotency-Key", r.key)
	}
	res, err := c.http.Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return 0, nil, nil, fmt.Errorf("read answer: %w", err)
	}
	return res.StatusCode, b, res.Header, nil
}

func (c *client) record(r request, a *answer, failure string) {
	a.elapsed = time.Since(a.start)
	a.err = failure
	c.mu.Lock()
	defer c.mu.Unlock()
	c.samples = append(c.samples, sample{kind: r.kind, start: a.start, elapsed: a.elapsed, attempts: a.attempts, ok: failure == ""})
	if failure != "" {
		c.failures = append(c.failures, fmt.Sprintf("%s %s %s: %s", r.kind, r.method, r.path, failure))
	}
}

// problemCode returns the code of an application/problem+json body.
func problemCode(body []byte) string {
	var p struct {
		Code string `json:"code"`
	}
	json.Unmarshal(body, &p)
	return p.Code
}

func clip(b []byte, n int) string {
	if len(b) > n {
		return string(b[:n]) + "…"
	}
	return string(b)
}

// p99 returns the 99th percentile of the durations of samples (nearest rank), and how many.
func p99(samples []sample) (time.Duration, int) {
	if len(samples) == 0 {
		return 0, 0
	}
	d := make([]time.Duration, len(samples))
	for i, s := range samples {
		d[i] = s.elapsed
	}
	slices.Sort(d)
	i := (99*len(d)+99)/100 - 1
	return d[min(max(i, 0), len(d)-1)], len(d)
}
