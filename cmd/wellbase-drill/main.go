// Command wellbase-drill is the failover drill behind `make drill`: three `wellbase serve`
// replicas (no in-process job workers) and two `wellbase worker`s on the MongoDB-protocol server
// (FerretDB), the S3 server (versitygw) and the KMS emulator (local-kms) that
// scripts/testservers starts, behind haproxy with health checks of /readyz. It onboards tenants,
// seeds them, then runs a bounded mixed load (curve reads, log plots, production series, lists,
// wells, LAS uploads of real files, production imports of the Volve CSV and workbook,
// decline-fit and petrophysics jobs) whose writes carry an Idempotency-Key and are retried with
// it. During the load it kills a replica with SIGKILL and starts it again, kills a worker with
// SIGKILL while it holds a job (and measures how long until another worker takes the job
// over), and rolls every replica once with SIGTERM. At the end it checks every acknowledged
// write against the API, the database and the object store, and prints one line of figures.
// It exits 1 if an acknowledged write was lost or duplicated, a job ran to completion twice, a
// request failed after its retries, the takeover took over two lease periods, or a step of the
// drill itself failed.
//
// Usage (make drill does this):
//
//	scripts/testservers run -- bin/wellbase-drill --wellbase bin/wellbase
//
// The servers' addresses come from the environment scripts/testservers sets
// (WELLBASE_TEST_MONGODB_URL, WELLBASE_TEST_S3_ENDPOINT, …); the real files from --data
// (../shared/data). Every process's output goes to a folder named at the end, kept when the
// drill fails (or with --keep).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"golang.org/x/time/rate"
)

// config is the drill's flags.
type config struct {
	wellbase string
	haproxy  string
	data     string
	logs     string
	keep     bool
	duration time.Duration
	tenants  int
	clients  int
	rate     float64
	jobWait  time.Duration
	lease    time.Duration

	mongoURL, s3Endpoint, s3Bucket, kmsEndpoint, kmsAlias, region string
}

func main() {
	o := config{}
	flag.StringVar(&o.wellbase, "wellbase", "bin/wellbase", "the wellbase binary to run")
	flag.StringVar(&o.haproxy, "haproxy", "haproxy", "the haproxy binary")
	flag.StringVar(&o.data, "data", filepath.Join("..", "shared", "data"), "the shared data folder (real LAS and production files)")
	flag.StringVar(&o.logs, "logs", "", "folder for the processes' logs (default: a new temporary folder)")
	flag.BoolVar(&o.keep, "keep", false, "keep the logs folder when the drill passes")
	flag.DurationVar(&o.duration, "duration", 75*time.Second, "how long the mixed load runs (at least 60s; longer if the chaos needs it)")
	flag.IntVar(&o.tenants, "tenants", 3, "tenants onboarded")
	flag.IntVar(&o.clients, "clients", 3, "client goroutines per tenant")
	flag.Float64Var(&o.rate, "rate", 12, "requests per second sent by all clients together, at most")
	flag.DurationVar(&o.jobWait, "job-wait", 4*time.Minute, "how long to wait after the load for the acknowledged jobs to end")
	flag.DurationVar(&o.lease, "lease", 30*time.Second, "the job lease of the product (jobs.DefaultLease; not configurable), for the takeover target of 2 leases")
	flag.Parse()
	o.mongoURL = os.Getenv("WELLBASE_TEST_MONGODB_URL")
	o.s3Endpoint = os.Getenv("WELLBASE_TEST_S3_ENDPOINT")
	o.s3Bucket = os.Getenv("WELLBASE_TEST_S3_BUCKET")
	o.kmsEndpoint = os.Getenv("WELLBASE_TEST_KMS_ENDPOINT")
	o.kmsAlias = os.Getenv("WELLBASE_TEST_KMS_ALIAS")
	o.region = os.Getenv("AWS_REGION")
	if o.mongoURL == "" || o.s3Endpoint == "" || o.s3Bucket == "" || o.kmsEndpoint == "" || o.kmsAlias == "" || o.region == "" {
		fmt.Fprintln(os.Stderr, "drill: the test servers' addresses are not in the environment: run it as `make drill` (scripts/testservers run -- bin/wellbase-drill …)")
		os.Exit(2)
	}
	if o.duration < 60*time.Second {
		fmt.Fprintln(os.Stderr, "drill: --duration must be at least 60s")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, o, os.Stdout))
}

// drill is one run.
type drill struct {
	o        config
	out      io.Writer
	logDir   string
	dbURL    string
	common   []string // driver flags of every wellbase process
	replicas []*proc
	workers  []*proc
	lb       *haproxy
	mdb      *mongo.Database // the drill's database, read directly
	c        *client
	led      *ledger
	tenants  []*tenantState
	files    files

	// problems are failures of the drill's own steps (a replica that did not come back, a
	// SIGTERM that did not exit 0); any makes the drill fail.
	mu       sync.Mutex
	problems []string
	kills    int
	rolls    int
	// killWindow is when the replica kill's effect lasted: from the SIGKILL until the replica
	// was back in the balancer.
	killFrom, killTo time.Time
	takeover         *takeover
}

func (d *drill) problem(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	d.mu.Lock()
	d.problems = append(d.problems, msg)
	d.mu.Unlock()
	d.say("PROBLEM: %s", msg)
}

func (d *drill) say(format string, args ...any) {
	fmt.Fprintf(d.out, "drill: %s %s\n", time.Now().UTC().Format("15:04:05.000"), fmt.Sprintf(format, args...))
}

func run(ctx context.Context, o config, out io.Writer) int {
	t0 := time.Now()
	d := &drill{o: o, out: out, led: &ledger{}}
	var err error
	d.logDir = o.logs
	if d.logDir == "" {
		d.logDir, err = os.MkdirTemp("", "wellbase-drill-")
	} else {
		err = os.MkdirAll(d.logDir, 0o700)
	}
	if err != nil {
		fmt.Fprintln(out, "drill: logs folder:", err)
		return 1
	}
	// The drill's own lines go to drill.log too, kept with the processes' logs when it fails:
	// a caller that keeps only the last line (the acceptance check) leaves the reason there.
	if f, err := os.Create(filepath.Join(d.logDir, "drill.log")); err == nil {
		defer f.Close()
		out = io.MultiWriter(out, f)
		d.out = out
	}
	rep, err := d.run(ctx)
	for _, p := range append(append([]*proc{}, d.replicas...), d.workers...) {
		p.stop(30 * time.Second)
	}
	if d.lb != nil {
		d.lb.stop(5 * time.Second)
	}
	if err != nil {
		d.problem("%v", err)
	}
	failed := len(d.problems) > 0 || rep == nil || !rep.passed()
	if failed || o.keep {
		fmt.Fprintf(out, "drill: logs of every process are in %s\n", d.logDir)
	} else {
		os.RemoveAll(d.logDir)
		fmt.Fprintf(out, "drill: passed; logs removed (%s; --keep keeps them)\n", d.logDir)
	}
	for _, p := range d.problems {
		fmt.Fprintf(out, "drill: PROBLEM: %s\n", p)
	}
	if rep == nil {
		fmt.Fprintf(out, "drill: did not finish: %d problem(s), first: %s\n", len(d.problems), firstOr(d.problems, "?"))
		return 1
	}
	rep.problems = len(d.problems)
	rep.elapsed = time.Since(t0)
	rep.print(out)
	if failed {
		return 1
	}
	return 0
}

func firstOr(list []string, def string) string {
	if len(list) == 0 {
		return def
	}
	return list[0]
}

func (d *drill) run(ctx context.Context) (*report, error) {
	o := d.o
	var err error
	if d.files, err = readFiles(o.data); err != nil {
		return nil, fmt.Errorf("the drill sends real files from %s (../shared/data): %w", o.data, err)
	}
	if _, err := exec.LookPath(o.haproxy); err != nil {
		return nil, fmt.Errorf("haproxy not found (make drill installs it with apt-get as root): %w", err)
	}
	dbName := fmt.Sprintf("wbdrill_%08x", rand.Uint32())
	d.dbURL = strings.TrimSuffix(o.mongoURL, "/") + "/" + dbName
	mc, err := mongo.Connect(options.Client().ApplyURI(d.dbURL))
	if err != nil {
		return nil, err
	}
	defer mc.Disconnect(context.WithoutCancel(ctx))
	d.mdb = mc.Database(dbName)
	d.common = []string{
		"--database", d.dbURL,
		"--files", fmt.Sprintf("s3://%s?region=%s&endpoint=%s&use_path_style=true", o.s3Bucket, o.region, o.s3Endpoint),
		"--root-key", fmt.Sprintf("awskms:///%s?region=%s&endpoint=%s", o.kmsAlias, o.region, o.kmsEndpoint),
	}
	d.say("logs in %s; database %s", d.logDir, d.dbURL)

	// The platform operator, made on the shared stores as an administrator would.
	opDir := filepath.Join(d.logDir, "data-operator")
	cmd := exec.CommandContext(ctx, o.wellbase, append([]string{"operator", "create", "--data-dir", opDir, "--email", "ops@drill.example"}, d.common...)...)
	cmd.Stderr = io.Discard
	tok, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("wellbase operator create: %w", err)
	}
	operator := strings.TrimSpace(string(tok))

	// Three replicas without in-process workers, two workers: the jobs run only in the workers,
	// so that killing a worker is what kills a running job.
	for i := 1; i <= 3; i++ {
		addr, err := freeAddr()
		if err != nil {
			return nil, err
		}
		name := fmt.Sprintf("serve-%d", i)
		p := newProc(d.logDir, name, o.wellbase, append([]string{"serve", "--addr", addr, "--workers", "0", "--log-level", "info",
			"--data-dir", filepath.Join(d.logDir, "data-"+name)}, d.common...)...)
		p.addr = addr
		d.replicas = append(d.replicas, p)
	}
	for i := 1; i <= 2; i++ {
		name := fmt.Sprintf("worker-%d", i)
		d.workers = append(d.workers, newProc(d.logDir, name, o.wellbase, append([]string{"worker", "--concurrency", "2", "--log-level", "info",
			"--data-dir", filepath.Join(d.logDir, "data-"+name)}, d.common...)...))
	}
	for _, p := range append(append([]*proc{}, d.replicas...), d.workers...) {
		if err := p.start(); err != nil {
			return nil, err
		}
	}
	for _, r := range d.replicas {
		if err := waitReady(ctx, r.addr, 60*time.Second); err != nil {
			return nil, fmt.Errorf("%s: %w", r.name, err)
		}
	}
	lbAddr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	cfg := filepath.Join(d.logDir, "haproxy.cfg")
	socket := filepath.Join(d.logDir, "haproxy.sock")
	if err := os.WriteFile(cfg, []byte(haproxyConfig(lbAddr, socket, d.replicas)), 0o600); err != nil {
		return nil, err
	}
	d.lb = &haproxy{proc: newProc(d.logDir, "haproxy", o.haproxy, "-f", cfg, "-db"), addr: lbAddr, socket: socket}
	if err := d.lb.start(); err != nil {
		return nil, err
	}
	for _, r := range d.replicas {
		if err := d.lb.waitStatus(ctx, r.name, "UP", 30*time.Second); err != nil {
			return nil, err
		}
	}
	d.say("3 replicas (serve --workers 0) and 2 workers (worker --concurrency 2) up behind haproxy on %s", lbAddr)
	d.c = newClient("http://" + lbAddr)

	if err := d.onboard(ctx, operator); err != nil {
		return nil, err
	}
	if err := d.seed(ctx); err != nil {
		return nil, err
	}
	seedSamples := len(d.c.samples)

	// The load, and the chaos at fixed points of it.
	d.say("load: %d tenants × %d clients, at most %.0f requests/s, for %s at least", o.tenants, o.clients, o.rate, o.duration)
	loadStart := time.Now()
	lctx, stopLoad := context.WithCancel(ctx)
	lim := rate.NewLimiter(rate.Limit(o.rate), 1)
	var wg sync.WaitGroup
	for _, t := range d.tenants {
		for i := 1; i <= o.clients; i++ {
			w := &loadClient{c: d.c, led: d.led, files: d.files, t: t, name: fmt.Sprintf("%s-%d", t.id, i), lim: lim}
			wg.Go(func() { w.run(lctx) })
		}
	}
	chaosDone := make(chan struct{})
	go func() {
		defer close(chaosDone)
		d.chaos(lctx, loadStart)
	}()
	select {
	case <-ctx.Done():
	case <-time.After(o.duration):
	}
	select {
	case <-ctx.Done():
	case <-chaosDone:
	}
	stopLoad()
	d.say("load stopping after %s; waiting for the calls under way", time.Since(loadStart).Round(time.Second))
	wg.Wait()
	<-chaosDone
	loadEnd := time.Now()
	if ctx.Err() != nil {
		return nil, errors.New("interrupted")
	}
	if err := d.waitJobs(ctx); err != nil {
		d.problem("%v", err)
	}
	rep, err := d.verify(ctx)
	if err != nil {
		return nil, err
	}
	d.c.mu.Lock()
	samples := append([]sample(nil), d.c.samples[seedSamples:]...)
	d.c.mu.Unlock()
	rep.fill(d, samples, loadStart, loadEnd)
	return rep, nil
}

// onboard makes the tenants (premium: the load stays under their request rate) through the
// balancer, with an Idempotency-Key, as an operator's tooling would.
func (d *drill) onboard(ctx context.Context, operator string) error {
	names := []string{"acme", "globex", "initech", "umbrella", "hooli", "stark"}
	for i := range d.o.tenants {
		id := fmt.Sprintf("drill-%s-%04d", names[i%len(names)], rand.N(10000))
		body := fmt.Sprintf(`{"id":%q,"name":"Drill %s","tier":"premium","admin_email":"owner@%s.example"}`, id, id, id)
		a := d.c.do(ctx, request{kind: "write:tenant", method: "POST", path: "/api/v1/tenants", token: operator, ctype: "application/json",
			body: []byte(body), key: "drill-onboard-" + id, want: []int{201}})
		if !a.ok() {
			return fmt.Errorf("onboard %s: %s", id, a.err)
		}
		var res struct {
			Token string `json:"admin_token"`
		}
		if err := a.decode(&res); err != nil || res.Token == "" {
			return fmt.Errorf("onboard %s: no admin_token in the answer", id)
		}
		d.tenants = append(d.tenants, &tenantState{id: id, token: res.Token})
	}
	d.say("onboarded %d tenants", len(d.tenants))
	return nil
}

// seed gives each tenant what the load reads and runs jobs on: the wells and production of the
// Volve monthly CSV, and one upload of each LAS file (which makes its well). Sequential, so that
// no two requests make the same well at once.
func (d *drill) seed(ctx context.Context) error {
	for _, t := range d.tenants {
		w := &loadClient{c: d.c, led: d.led, files: d.files, t: t, name: t.id + "-seed"}
		if !w.importFile(ctx, monthlyCSV, "csv", "text/csv") {
			return fmt.Errorf("seed %s: import of %s failed: %s", t.id, monthlyCSV, lastFailure(d.c))
		}
		for _, f := range lasFiles {
			if !w.upload(ctx, f) {
				return fmt.Errorf("seed %s: upload of %s failed: %s", t.id, f, lastFailure(d.c))
			}
		}
		if len(t.fitWells) == 0 {
			return fmt.Errorf("seed %s: the import made none of the wells %v", t.id, declineWells)
		}
	}
	d.say("seeded %d tenants: the Volve monthly production and %d LAS files each", len(d.tenants), len(lasFiles))
	return nil
}

func lastFailure(c *client) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return firstOr(c.failures[max(len(c.failures)-1, 0):], "?")
}

// sortedKeys returns m's keys, sorted.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
