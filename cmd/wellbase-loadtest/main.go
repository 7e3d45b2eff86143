// Command wellbase-loadtest is the load tool behind `make loadtest`: it starts `wellbase serve`
// on the embedded defaults (a temporary data dir, GOMAXPROCS as given), onboards two tenants,
// uploads the Volve log (15-9-19_SR_COMP.LAS, 29 754 rows) and generated logs, then measures
// with vegeta (github.com/tsenart/vegeta/v12, as a library) on 127.0.0.1:
//
//   - GET /api/v1/logs/{log}/curves/GR of the Volve log at each --rates for --duration, in each
//     of the --variants (json: Accept-Encoding identity; gzip: the Go client's default, which
//     asks for gzip and inflates; f64: Accept: application/octet-stream);
//   - the GR curve of a generated 1 000 000-row log at --big-rate;
//   - fairness: tenant B's Volve curve at --fair-rate alone, then while tenant A (default tier,
//     within its request limit) asks for plots of a generated --plot-rows log at 90 % of its
//     requests_per_second; the ratio is B's p99 during / alone;
//   - overload: --overload-rate on B's curve with a 1 s timeout while /healthz is probed every
//     250 ms (what shedding answers: 503/429 counts, healthz max).
//
// Tenant B's request limit is raised to 100 000 req/s so that the rate limiter is not what the
// reads measure; tenant A keeps the standard tier's.
//
// Each --wellbase binary (name=path; a bare path is named after its file) gets its own server and
// data, started one after the other at the beginning; the phases alternate between them
// (rate 100 on each, then rate 300 on each, …) so that before/after figures come from the same
// run and the same machine load. --before REV builds that git revision (git archive + go build)
// as the binary "before", beside --wellbase as "after".
//
// The last output is a Markdown table (p50 / p99 / max in ms, and the share of 2xx answers),
// fit for BENCHMARKS.md, with the machine, GOMAXPROCS and load average.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

type config struct {
	binaries     []binary
	before       string
	gomaxprocs   int
	rates        []int
	duration     time.Duration
	timeout      time.Duration
	variants     []string
	bigRate      int
	bigRows      int
	fairRate     int
	fairDuration time.Duration
	plotRows     int
	overloadRate int
	overloadDur  time.Duration
	volve        string
	out          string
	keep         bool
	serveFlags   string
}

// binary is a server to measure: a name for the table, the wellbase binary, and serve flags of
// its own (given as name=path@flag@flag…).
type binary struct {
	name, path string
	flags      []string
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "wellbase-loadtest:", err)
		os.Exit(1)
	}
}

func run() error {
	var c config
	var bins, rates, variants string
	flag.StringVar(&bins, "wellbase", "bin/wellbase", "the wellbase binaries to compare, comma-separated name=path[@serve-flag…] (a bare path is named after its file)")
	flag.StringVar(&c.before, "before", "", "a git revision to build as the binary \"before\" (git archive + go build), compared with --wellbase")
	flag.IntVar(&c.gomaxprocs, "gomaxprocs", 2, "GOMAXPROCS of each server")
	flag.StringVar(&rates, "rates", "100,300,500", "request rates (req/s) of the Volve curve reads, comma-separated")
	flag.DurationVar(&c.duration, "duration", 30*time.Second, "how long each rate runs")
	flag.DurationVar(&c.timeout, "timeout", 5*time.Second, "request timeout of the rate, big-log and fairness phases")
	flag.StringVar(&variants, "variants", "json", "answers asked for at each rate, comma-separated: json (identity), gzip (Accept-Encoding: gzip), f64 (binary)")
	flag.IntVar(&c.bigRate, "big-rate", 50, "rate of the 1M-row curve reads (0: skip)")
	flag.IntVar(&c.bigRows, "big-rows", 1_000_000, "rows of the generated big log")
	flag.IntVar(&c.fairRate, "fair-rate", 40, "rate of tenant B's curve reads in the fairness phase (0: skip)")
	flag.DurationVar(&c.fairDuration, "fair-duration", 20*time.Second, "length of each half of the fairness phase")
	flag.IntVar(&c.plotRows, "plot-rows", 303030, "rows of tenant A's generated log whose plots are the costly route")
	flag.IntVar(&c.overloadRate, "overload-rate", 1500, "rate of the overload phase (0: skip)")
	flag.DurationVar(&c.overloadDur, "overload-duration", 10*time.Second, "length of the overload phase")
	flag.StringVar(&c.volve, "volve", filepath.Join("..", "shared", "data", "las", "volve", "15-9-19_SR_COMP.LAS"), "the Volve LAS file")
	flag.StringVar(&c.out, "out", "", "also write the Markdown table to this file")
	flag.BoolVar(&c.keep, "keep", false, "keep the temporary folder (data dirs, server logs)")
	flag.StringVar(&c.serveFlags, "serve-flags", "", "extra flags for wellbase serve (space-separated, same for every binary)")
	flag.Parse()
	var err error
	if c.rates, err = intList(rates); err != nil {
		return fmt.Errorf("--rates: %w", err)
	}
	for _, v := range strings.Split(variants, ",") {
		if v = strings.TrimSpace(v); v != "json" && v != "gzip" && v != "f64" {
			return fmt.Errorf("--variants: unknown variant %q (json, gzip, f64)", v)
		}
		c.variants = append(c.variants, strings.TrimSpace(v))
	}
	if _, err := os.Stat(c.volve); err != nil {
		return fmt.Errorf("--volve: %w", err)
	}
	tmp, err := os.MkdirTemp("", "wellbase-loadtest-")
	if err != nil {
		return err
	}
	if c.keep {
		fmt.Fprintln(os.Stderr, "keeping", tmp)
	} else {
		defer os.RemoveAll(tmp)
	}
	if c.before != "" {
		p, err := buildRevision(tmp, c.before)
		if err != nil {
			return err
		}
		c.binaries = append(c.binaries, binary{name: "before " + c.before, path: p})
	}
	for _, b := range strings.Split(bins, ",") {
		if b = strings.TrimSpace(b); b == "" {
			continue
		}
		name, path, ok := strings.Cut(b, "=")
		if !ok {
			path, name = name, filepath.Base(name)
			if c.before != "" {
				name = "after"
			}
		}
		parts := strings.Split(path, "@")
		c.binaries = append(c.binaries, binary{name, parts[0], parts[1:]})
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return measure(ctx, c, tmp)
}

func intList(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		n, err := strconv.Atoi(f)
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("%q is not a positive number", f)
		}
		out = append(out, n)
	}
	if len(out) == 0 {
		return nil, errors.New("empty")
	}
	return out, nil
}

// buildRevision builds cmd/wellbase of git revision rev into tmp.
func buildRevision(tmp, rev string) (string, error) {
	src := filepath.Join(tmp, "src-before")
	if err := os.MkdirAll(src, 0o755); err != nil {
		return "", err
	}
	arch := exec.Command("sh", "-c", "git archive --format=tar \"$1\" | tar -x -C \"$2\"", "sh", rev, src)
	arch.Stderr = os.Stderr
	if err := arch.Run(); err != nil {
		return "", fmt.Errorf("--before %s: git archive: %w", rev, err)
	}
	out := filepath.Join(tmp, "wellbase-before")
	b := exec.Command("go", "build", "-o", out, "./cmd/wellbase")
	b.Dir, b.Stdout, b.Stderr = src, os.Stderr, os.Stderr
	b.Env = append(os.Environ(), "GOFLAGS=-buildvcs=false")
	fmt.Fprintf(os.Stderr, "building %s …\n", rev)
	if err := b.Run(); err != nil {
		return "", fmt.Errorf("--before %s: go build: %w", rev, err)
	}
	return out, nil
}

// server is one running wellbase serve with its tenants and logs.
type server struct {
	bin            binary
	dir, base      string
	cmd            *exec.Cmd
	tokA, tokB     string
	volveA, volveB string
	bigB, plotA    string
	limitA         float64
}

func measure(ctx context.Context, c config, tmp string) error {
	bigFile := filepath.Join(tmp, "big.las")
	plotFile := filepath.Join(tmp, "plot.las")
	fmt.Fprintf(os.Stderr, "generating a %d-row and a %d-row LAS file …\n", c.bigRows, c.plotRows)
	if err := writeLAS(bigFile, c.bigRows, 4, 1); err != nil {
		return err
	}
	if err := writeLAS(plotFile, c.plotRows, 8, 2); err != nil {
		return err
	}
	var srvs []*server
	defer func() {
		for _, s := range srvs {
			s.stop()
		}
	}()
	for i, b := range c.binaries {
		s := &server{bin: b, dir: filepath.Join(tmp, fmt.Sprintf("srv%d", i))}
		srvs = append(srvs, s)
		if err := s.start(ctx, c); err != nil {
			return fmt.Errorf("%s: %w", b.name, err)
		}
		if err := s.setup(ctx, c.volve, bigFile, plotFile); err != nil {
			return fmt.Errorf("%s: %w", b.name, err)
		}
	}
	res := &results{cols: c.binaries, cells: map[string]map[string]string{}}
	load := loadAvg()
	started := time.Now()
	// Fairness first, on servers that have seen no load yet.
	if c.fairRate > 0 {
		for _, s := range srvs {
			s.settle(ctx)
			alone := attack(ctx, s.target(s.volveB, s.tokB, "json"), c.fairRate, c.fairDuration, c.timeout)
			for _, uncached := range []bool{false, true} {
				s.settle(ctx)
				plot := vegeta.Target{Method: "GET", URL: s.base + "/api/v1/logs/" + s.plotA + "/plot.svg", Header: http.Header{"Authorization": {"Bearer " + s.tokA}}}
				plots, what := vegeta.NewStaticTargeter(plot), "the same plot"
				if uncached {
					plots, what = windowTargeter(plot), "plots of a new depth window each (never cached)"
				}
				noisyRate := max(1, int(s.limitA*0.9))
				var noisy *vegeta.Metrics
				var wg sync.WaitGroup
				wg.Go(func() { noisy = attackWith(ctx, plots, noisyRate, c.fairDuration+3*time.Second, c.timeout) })
				sleep(ctx, 2*time.Second)
				during := attack(ctx, s.target(s.volveB, s.tokB, "json"), c.fairRate, c.fairDuration, c.timeout)
				wg.Wait()
				key := fmt.Sprintf("fairness: B's GR at %d req/s, p99 alone → while A asks %s of a %d-row log at %d req/s", c.fairRate, what, c.plotRows, noisyRate)
				res.set(key, s.bin, fmt.Sprintf("%s → %s ms = ×%.2f; A: %s", ms(alone.Latencies.P99), ms(during.Latencies.P99),
					float64(during.Latencies.P99)/float64(max(alone.Latencies.P99, time.Microsecond)), codes(noisy)))
				fmt.Fprintf(os.Stderr, "%s: %s: %s\n", s.bin.name, key, res.cells[key][s.bin.name])
			}
		}
	}
	for _, v := range c.variants {
		for _, rate := range c.rates {
			for _, s := range srvs {
				s.settle(ctx)
				m := attack(ctx, s.target(s.volveB, s.tokB, v), rate, c.duration, c.timeout)
				key := fmt.Sprintf("Volve GR (29 754 rows, %s) at %d req/s", v, rate)
				res.set(key, s.bin, cell(m))
				fmt.Fprintf(os.Stderr, "%s: %s: %s\n", s.bin.name, key, cell(m))
			}
		}
	}
	if c.bigRate > 0 {
		for _, s := range srvs {
			s.settle(ctx)
			// The first read decodes and encodes the curve (a cache miss); it is reported on
			// its own, so that the rate's percentiles are those of the steady state.
			first := attack(ctx, s.target(s.bigB, s.tokB, "json"), 1, time.Second, c.timeout)
			fkey := fmt.Sprintf("first read of the GR of the %d-row log (json, not yet in memory)", c.bigRows)
			res.set(fkey, s.bin, cell(first))
			fmt.Fprintf(os.Stderr, "%s: %s: %s\n", s.bin.name, fkey, cell(first))
			s.settle(ctx)
			m := attack(ctx, s.target(s.bigB, s.tokB, "json"), c.bigRate, c.duration, c.timeout)
			key := fmt.Sprintf("GR of a %d-row log (json) at %d req/s", c.bigRows, c.bigRate)
			res.set(key, s.bin, cell(m))
			fmt.Fprintf(os.Stderr, "%s: %s: %s\n", s.bin.name, key, cell(m))
		}
	}
	if c.overloadRate > 0 {
		for _, s := range srvs {
			s.settle(ctx)
			stopProbe := make(chan struct{})
			var probes []time.Duration
			var bad int
			var wg sync.WaitGroup
			wg.Go(func() { probes, bad = probe(s.base+"/healthz", stopProbe) })
			m := attack(ctx, s.target(s.volveB, s.tokB, "json"), c.overloadRate, c.overloadDur, time.Second)
			close(stopProbe)
			wg.Wait()
			sort.Slice(probes, func(i, j int) bool { return probes[i] < probes[j] })
			hz := time.Duration(0)
			if len(probes) > 0 {
				hz = probes[len(probes)-1]
			}
			answered := 0
			for code, n := range m.StatusCodes {
				if code != "0" {
					answered += n
				}
			}
			key := fmt.Sprintf("overload: Volve GR at %d req/s, 1 s timeout (answered; codes; /healthz max)", c.overloadRate)
			res.set(key, s.bin, fmt.Sprintf("%.1f %%; %s; healthz %s ms (%d of %d probes not 200)", 100*float64(answered)/float64(max(m.Requests, 1)),
				codes(m), ms(hz), bad, len(probes)))
			fmt.Fprintf(os.Stderr, "%s: %s: %s\n", s.bin.name, key, res.cells[key][s.bin.name])
		}
	}
	host, _ := os.Hostname()
	cpu := cpuModel()
	var b strings.Builder
	fmt.Fprintf(&b, "Measured %s on %s (%s, %d CPUs), servers at GOMAXPROCS=%d, load generator in the same machine; load average before: %s, after: %s; %s.\n\n",
		started.UTC().Format("2006-01-02 15:04 UTC"), host, cpu, runtime.NumCPU(), c.gomaxprocs, load, loadAvg(), time.Since(started).Round(time.Second))
	fmt.Fprintf(&b, "Cells: p50 / p99 / max latency in ms, share of 2xx answers (other codes counted).\n\n")
	b.WriteString(res.markdown())
	fmt.Print(b.String())
	if c.out != "" {
		return os.WriteFile(c.out, []byte(b.String()), 0o644)
	}
	return nil
}

func (s *server) target(log, tok, variant string) vegeta.Target {
	h := http.Header{"Authorization": {"Bearer " + tok}}
	switch variant {
	case "json":
		h.Set("Accept-Encoding", "identity")
	case "gzip":
		// the Go client's default: it asks for gzip and inflates the answer
	case "f64":
		h.Set("Accept", "application/octet-stream")
		h.Set("Accept-Encoding", "identity")
	}
	return vegeta.Target{Method: "GET", URL: s.base + "/api/v1/logs/" + log + "/curves/GR", Header: h}
}

// attack sends target at rate for d and returns the metrics.
func attack(ctx context.Context, t vegeta.Target, rate int, d, timeout time.Duration) *vegeta.Metrics {
	return attackWith(ctx, vegeta.NewStaticTargeter(t), rate, d, timeout)
}

// attackWith is attack with targets from tr.
func attackWith(ctx context.Context, tr vegeta.Targeter, rate int, d, timeout time.Duration) *vegeta.Metrics {
	a := vegeta.NewAttacker(vegeta.Timeout(timeout), vegeta.MaxBody(0), vegeta.KeepAlive(true))
	stop := context.AfterFunc(ctx, func() { a.Stop() })
	defer stop()
	var m vegeta.Metrics
	for r := range a.Attack(tr, vegeta.Rate{Freq: rate, Per: time.Second}, d, "load") {
		m.Add(r)
	}
	m.Close()
	return &m
}

// windowTargeter asks for t with ?top= a little deeper each time (and no base): every request
// is another plot, which no cache holds, covering nearly the whole log.
func windowTargeter(t vegeta.Target) vegeta.Targeter {
	var n atomic.Int64
	return func(out *vegeta.Target) error {
		*out = t
		out.URL = fmt.Sprintf("%s?top=%g", t.URL, float64(n.Add(1))*1e-4)
		return nil
	}
}

// probe GETs url every 250 ms until stop is closed: the latencies, and how many were not 200.
func probe(url string, stop chan struct{}) ([]time.Duration, int) {
	cl := &http.Client{Timeout: 2 * time.Second}
	var out []time.Duration
	bad := 0
	t := time.NewTicker(250 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return out, bad
		case <-t.C:
		}
		start := time.Now()
		resp, err := cl.Get(url)
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
		out = append(out, time.Since(start))
		if err != nil || resp.StatusCode != 200 {
			bad++
		}
	}
}

func cell(m *vegeta.Metrics) string {
	s := fmt.Sprintf("%s / %s / %s, %.1f %% ok", ms(m.Latencies.P50), ms(m.Latencies.P99), ms(m.Latencies.Max), 100*m.Success)
	if m.Success < 1 {
		s += " (" + codes(m) + ")"
	}
	return s
}

func ms(d time.Duration) string {
	v := float64(d) / 1e6
	if v < 10 {
		return strconv.FormatFloat(v, 'f', 1, 64)
	}
	return strconv.FormatFloat(v, 'f', 0, 64)
}

func codes(m *vegeta.Metrics) string {
	keys := make([]string, 0, len(m.StatusCodes))
	for k := range m.StatusCodes {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		name := k
		if k == "0" {
			name = "no answer"
		}
		parts = append(parts, fmt.Sprintf("%s: %d", name, m.StatusCodes[k]))
	}
	return strings.Join(parts, ", ")
}

// settle waits, between phases, until the server uses under 5 % of a CPU over half a second (at
// most 30 s), so that one phase's backlog does not land in the next.
func (s *server) settle(ctx context.Context) {
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) && ctx.Err() == nil {
		c0, err := cpuSeconds(s.cmd.Process.Pid)
		if err != nil {
			sleep(ctx, 2*time.Second)
			return
		}
		sleep(ctx, 500*time.Millisecond)
		if c1, err := cpuSeconds(s.cmd.Process.Pid); err != nil || c1-c0 < 0.025 {
			return
		}
	}
	fmt.Fprintf(os.Stderr, "%s: still busy after 30 s; going on\n", s.bin.name)
}

// cpuSeconds returns the user and system CPU time of process pid (Linux /proc).
func cpuSeconds(pid int) (float64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	_, rest, ok := strings.Cut(string(b), ") ")
	f := strings.Fields(rest)
	if !ok || len(f) < 13 {
		return 0, errors.New("unreadable /proc stat")
	}
	u, _ := strconv.ParseFloat(f[11], 64)
	sy, _ := strconv.ParseFloat(f[12], 64)
	return (u + sy) / 100, nil // USER_HZ is 100 on Linux
}

func sleep(ctx context.Context, d time.Duration) {
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
}

type results struct {
	cols  []binary
	rows  []string
	cells map[string]map[string]string
}

func (r *results) set(row string, b binary, v string) {
	if r.cells[row] == nil {
		r.cells[row] = map[string]string{}
		r.rows = append(r.rows, row)
	}
	r.cells[row][b.name] = v
}

func (r *results) markdown() string {
	var b strings.Builder
	b.WriteString("| phase |")
	for _, c := range r.cols {
		b.WriteString(" " + c.name + " |")
	}
	b.WriteString("\n|---|")
	for range r.cols {
		b.WriteString("---|")
	}
	b.WriteString("\n")
	for _, row := range r.rows {
		b.WriteString("| " + row + " |")
		for _, c := range r.cols {
			b.WriteString(" " + r.cells[row][c.name] + " |")
		}
		b.WriteString("\n")
	}
	return b.String()
}

func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return runtime.GOARCH
	}
	for _, l := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return runtime.GOARCH
}

// start runs wellbase serve on a free loopback port and waits for /healthz.
func (s *server) start(ctx context.Context, c config) error {
	if err := os.MkdirAll(s.dir, 0o755); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	addr := ln.Addr().String()
	ln.Close()
	s.base = "http://" + addr
	data := filepath.Join(s.dir, "data")
	tok, err := exec.CommandContext(ctx, s.bin.path, "operator", "create", "--data-dir", data, "--email", "ops@example.com").Output()
	if err != nil {
		return fmt.Errorf("operator create: %w", err)
	}
	op := strings.TrimSpace(string(tok))
	logf, err := os.Create(filepath.Join(s.dir, "serve.log"))
	if err != nil {
		return err
	}
	args := []string{"serve", "--data-dir", data, "--addr", addr}
	args = append(args, strings.Fields(c.serveFlags)...)
	args = append(args, s.bin.flags...)
	s.cmd = exec.Command(s.bin.path, args...)
	s.cmd.Stdout, s.cmd.Stderr = logf, logf
	s.cmd.Env = append(os.Environ(), "GOMAXPROCS="+strconv.Itoa(c.gomaxprocs))
	if err := s.cmd.Start(); err != nil {
		return err
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		if resp, err := http.Get(s.base + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				break
			}
		}
		if time.Now().After(deadline) {
			return errors.New("serve did not answer /healthz within 30 s")
		}
		time.Sleep(200 * time.Millisecond)
	}
	// Two tenants: A on the standard tier's limits, B with its request limit raised so that the
	// tenant limiter is not what the reads measure.
	if s.tokA, err = onboard(s.base, op, "alpha"); err != nil {
		return err
	}
	if s.tokB, err = onboard(s.base, op, "bravo"); err != nil {
		return err
	}
	raised := map[string]any{"limits": map[string]any{"requests_per_second": 100000, "burst": 100000}}
	if _, err := call("PATCH", s.base+"/api/v1/tenants/bravo", op, raised, nil); err != nil {
		return fmt.Errorf("raise bravo's limits: %w", err)
	}
	var use map[string]any
	if _, err := call("GET", s.base+"/api/v1/usage", s.tokA, nil, &use); err != nil {
		return err
	}
	lim, ok := findNumber(use, "requests_per_second")
	if !ok {
		return errors.New("no requests_per_second in /api/v1/usage")
	}
	s.limitA = lim
	return nil
}

func (s *server) setup(ctx context.Context, volve, big, plot string) error {
	var err error
	if s.volveA, err = upload(ctx, s.base, s.tokA, volve); err != nil {
		return err
	}
	if s.volveB, err = upload(ctx, s.base, s.tokB, volve); err != nil {
		return err
	}
	if s.bigB, err = upload(ctx, s.base, s.tokB, big); err != nil {
		return err
	}
	s.plotA, err = upload(ctx, s.base, s.tokA, plot)
	return err
}

func (s *server) stop() {
	if s.cmd == nil || s.cmd.Process == nil {
		return
	}
	s.cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		s.cmd.Process.Kill()
		<-done
	}
}

func onboard(base, op, id string) (string, error) {
	var out struct {
		AdminToken string `json:"admin_token"`
	}
	req := map[string]any{"id": id, "name": id + " Oil", "tier": "standard", "admin_email": "admin@" + id + ".example"}
	if _, err := call("POST", base+"/api/v1/tenants", op, req, &out); err != nil {
		return "", fmt.Errorf("onboard %s: %w", id, err)
	}
	return out.AdminToken, nil
}

// upload sends a LAS file and waits until the log is ready; it returns the log's ID.
func upload(ctx context.Context, base, tok, path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	st, _ := f.Stat()
	req, _ := http.NewRequestWithContext(ctx, "POST", base+"/api/v1/logs?name="+filepath.Base(path), f)
	req.ContentLength = st.Size()
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var l struct {
		ID     string `json:"id"`
		Status string `json:"status"`
	}
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode/100 != 2 || json.Unmarshal(body, &l) != nil || l.ID == "" {
		return "", fmt.Errorf("upload %s: %d %s", filepath.Base(path), resp.StatusCode, clip(body))
	}
	for i := 0; l.Status != "ready"; i++ {
		if i > 600 || l.Status == "failed" {
			return "", fmt.Errorf("upload %s: log %s is %s", filepath.Base(path), l.ID, l.Status)
		}
		sleep(ctx, 500*time.Millisecond)
		if _, err := call("GET", base+"/api/v1/logs/"+l.ID, tok, nil, &l); err != nil {
			return "", err
		}
	}
	return l.ID, nil
}

func call(method, url, tok string, in, out any) (int, error) {
	var body io.Reader
	if in != nil {
		b, _ := json.Marshal(in)
		body = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, url, body)
	req.Header.Set("Authorization", "Bearer "+tok)
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode/100 != 2 {
		return resp.StatusCode, fmt.Errorf("%s %s: %d %s", method, url, resp.StatusCode, clip(b))
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			return resp.StatusCode, fmt.Errorf("%s %s: %w", method, url, err)
		}
	}
	return resp.StatusCode, nil
}

func clip(b []byte) string {
	if len(b) > 200 {
		b = b[:200]
	}
	return strings.TrimSpace(string(b))
}

func findNumber(v any, key string) (float64, bool) {
	switch x := v.(type) {
	case map[string]any:
		if n, ok := x[key].(float64); ok {
			return n, true
		}
		for _, e := range x {
			if n, ok := findNumber(e, key); ok {
				return n, true
			}
		}
	case []any:
		for _, e := range x {
			if n, ok := findNumber(e, key); ok {
				return n, true
			}
		}
	}
	return 0, false
}

// writeLAS writes a LAS 2.0 file of rows depth steps (0.1 m from 1000 m) and curves curves
// (DEPT, GR, then plausible others), about 1 % of AC NULL; seed fixes the values.
func writeLAS(path string, rows, curves int, seed uint64) error {
	names := []string{"DEPT.M", "GR.GAPI", "RDEP.OHMM", "RMED.OHMM", "DEN.G/CC", "NEU.%", "AC.US/F", "CALI.IN"}
	if curves > len(names) {
		curves = len(names)
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	w := bufio.NewWriterSize(f, 1<<20)
	const step, top = 0.1, 1000.0
	fmt.Fprintf(w, "~Version\n VERS. 2.0 : CWLS LOG ASCII STANDARD - VERSION 2.0\n WRAP. NO : one line per step\n~Well\n")
	fmt.Fprintf(w, " STRT.M %.4f : START DEPTH\n STOP.M %.4f : STOP DEPTH\n STEP.M %.4f : STEP\n NULL. -999.25 : NULL VALUE\n", top, top+float64(rows-1)*step, step)
	fmt.Fprintf(w, " WELL. LOADTEST-%d : WELL\n UWI. LT-%d : UNIQUE WELL ID\n~Curve\n", seed, seed)
	for _, n := range names[:curves] {
		fmt.Fprintf(w, " %s : %s\n", n, n)
	}
	w.WriteString("~A\n")
	rnd := rand.New(rand.NewPCG(seed, 7))
	buf := make([]byte, 0, 128)
	for i := range rows {
		buf = strconv.AppendFloat(buf[:0], top+float64(i)*step, 'f', 4, 64)
		for c := 1; c < curves; c++ {
			buf = append(buf, ' ')
			v := 10 + 140*rnd.Float64()
			if c == 6 && rnd.IntN(100) == 0 {
				v = -999.25
			}
			buf = strconv.AppendFloat(buf, v, 'f', 4, 64)
		}
		buf = append(buf, '\n')
		w.Write(buf)
	}
	return w.Flush()
}
