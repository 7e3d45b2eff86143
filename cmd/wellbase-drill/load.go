package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"golang.org/x/time/rate"
)

// The real files the load sends, under the shared data folder.
var (
	lasFiles = []string{
		"las/volve/15-9-19_SR_COMP.LAS",
		"las/kgs/Wellington_KGS-1-32-wDST2_LASv2.las",
		"las/kgs/Wellington_KGS-1-32-wDST2_LASv3.las",
		"las/nlog/L0507_comp.las",
		"las/lasio-examples/6038187_v1.2.las",
	}
	// petroFile is the LAS file petrophysics jobs run on (it has GR and a bulk density).
	petroFile     = "las/volve/15-9-19_SR_COMP.LAS"
	monthlyCSV    = "production/volve/volve_monthly_production.csv"
	volveWorkbook = "production/volve/Volve production data.xlsx"
	xlsxType      = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	declineWells  = []string{"15/9-F-14", "15/9-F-12", "15/9-F-11", "15/9-F-1 C", "15/9-F-15 D"}
	curveWindows  = [][2]float64{{1000, 1100}, {2000, 2200}, {3000, 3050}}
)

// files holds the bytes of the real files, read once.
type files map[string][]byte

func readFiles(dataDir string) (files, error) {
	f := files{}
	for _, rel := range append(append([]string{}, lasFiles...), monthlyCSV, volveWorkbook) {
		b, err := os.ReadFile(filepath.Join(dataDir, rel))
		if err != nil {
			return nil, err
		}
		f[rel] = b
	}
	return f, nil
}

// Acknowledged writes: what the API answered 201 or 202 to, which must all be there at the end.
type (
	ackWell struct {
		tenant, id, name string
	}
	ackLog struct {
		tenant, id, name, wellID, file string
		rows                           int
		curves                         []string
	}
	ackImport struct {
		tenant, id, format string
		rowsStored         int
		wells              []string // IDs
		created            []string // IDs of the wells it created
	}
	ackJob struct {
		tenant, id, typ string
		// source is the log of a petrophysics job, the well of a decline-fit.
		source string
	}
)

// ledger records the acknowledged writes of every client.
type ledger struct {
	mu      sync.Mutex
	wells   []ackWell
	logs    []ackLog
	imports []ackImport
	jobs    []ackJob
}

func (l *ledger) addWell(w ackWell)     { l.mu.Lock(); l.wells = append(l.wells, w); l.mu.Unlock() }
func (l *ledger) addLog(g ackLog)       { l.mu.Lock(); l.logs = append(l.logs, g); l.mu.Unlock() }
func (l *ledger) addImport(i ackImport) { l.mu.Lock(); l.imports = append(l.imports, i); l.mu.Unlock() }
func (l *ledger) addJob(j ackJob)       { l.mu.Lock(); l.jobs = append(l.jobs, j); l.mu.Unlock() }

// tenantState is what the load of one tenant works on: its token and the things it may read or
// run jobs on (filled by the seed and by acknowledged uploads).
type tenantState struct {
	id, token string

	mu        sync.Mutex
	logs      []ackLog // readable logs (uploads acknowledged)
	petroLogs []string // IDs of uploads of petroFile
	fitWells  []string // IDs of wells with production to fit
	wells     []string // IDs of wells to read
	jobs      []string
}

// pickOne returns a random element of *list, one of t's lists, read under t's lock; false if
// the list is empty.
func pickOne[T any](t *tenantState, list *[]T) (T, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	var zero T
	if len(*list) == 0 {
		return zero, false
	}
	return (*list)[rand.N(len(*list))], true
}

// loadClient is one client goroutine of the load, of one tenant.
type loadClient struct {
	c     *client
	led   *ledger
	files files
	t     *tenantState
	name  string // "<tenant>-<n>"
	seq   int
	lim   *rate.Limiter
}

// keyFor returns a fresh Idempotency-Key for one logical write of this client.
func (w *loadClient) keyFor(what string) string {
	w.seq++
	return fmt.Sprintf("drill-%s-%s-%d-%d", w.name, what, w.seq, rand.Uint32())
}

// op is one kind of request of the mix, with its weight.
type op struct {
	weight int
	run    func(w *loadClient, ctx context.Context)
}

// mix is the load: mostly reads (curves as JSON, log plots as SVG, production series, lists and
// job status), and writes of every kind, each with an Idempotency-Key.
var mix = []op{
	{26, (*loadClient).readCurve},
	{12, (*loadClient).readPlot},
	{3, (*loadClient).readProduction},
	{8, (*loadClient).readLists},
	{6, (*loadClient).readJob},
	{10, (*loadClient).createWell},
	{7, (*loadClient).uploadLog},
	{2, (*loadClient).importProduction},
	{3, (*loadClient).declineFit},
	{4, (*loadClient).petrophysics},
}

// run sends the mix until ctx ends, each request after a token of the shared limiter.
func (w *loadClient) run(ctx context.Context) {
	total := 0
	for _, o := range mix {
		total += o.weight
	}
	for ctx.Err() == nil {
		if err := w.lim.Wait(ctx); err != nil {
			return
		}
		n := rand.N(total)
		for _, o := range mix {
			if n < o.weight {
				// A call runs to its end (retries included) even when the load stops.
				o.run(w, context.WithoutCancel(ctx))
				break
			}
			n -= o.weight
		}
	}
}

func (w *loadClient) get(ctx context.Context, kind, path string) *answer {
	return w.c.do(ctx, request{kind: kind, method: "GET", path: path, token: w.t.token, want: []int{200}})
}

func (w *loadClient) readCurve(ctx context.Context) {
	l, ok := pickOne(w.t, &w.t.logs)
	if !ok {
		return
	}
	if len(l.curves) < 2 {
		return
	}
	m := l.curves[1+rand.N(len(l.curves)-1)]
	win := curveWindows[rand.N(len(curveWindows))]
	w.get(ctx, "read:curve", fmt.Sprintf("/api/v1/logs/%s/curves/%s?format=json&top=%g&base=%g", l.id, url.PathEscape(m), win[0], win[1]))
}

func (w *loadClient) readPlot(ctx context.Context) {
	l, ok := pickOne(w.t, &w.t.logs)
	if !ok {
		return
	}
	if len(l.curves) < 2 {
		return
	}
	// One to three of the log's curves (the first is the index).
	var curves []string
	for _, i := range rand.Perm(len(l.curves) - 1)[:min(1+rand.N(3), len(l.curves)-1)] {
		curves = append(curves, url.QueryEscape(l.curves[1+i]))
	}
	w.get(ctx, "read:plot", fmt.Sprintf("/api/v1/logs/%s/plot.svg?curves=%s", l.id, strings.Join(curves, ",")))
}

func (w *loadClient) readProduction(ctx context.Context) {
	well, ok := pickOne(w.t, &w.t.fitWells)
	if !ok {
		return
	}
	if rand.N(3) == 0 {
		w.get(ctx, "read:production-plot", "/api/v1/wells/"+well+"/production/plot.svg?period=month&phase=oil")
		return
	}
	w.get(ctx, "read:production", "/api/v1/wells/"+well+"/production?period=month&phase=oil")
}

func (w *loadClient) readLists(ctx context.Context) {
	switch rand.N(3) {
	case 0:
		w.get(ctx, "read:list", "/api/v1/wells?limit=50")
	case 1:
		w.get(ctx, "read:list", "/api/v1/logs?limit=50")
	default:
		w.get(ctx, "read:list", "/api/v1/jobs?limit=50")
	}
}

func (w *loadClient) readJob(ctx context.Context) {
	id, ok := pickOne(w.t, &w.t.jobs)
	if !ok {
		return
	}
	w.get(ctx, "read:job", "/api/v1/jobs/"+id)
}

// write sends a write with a new Idempotency-Key and decodes its acknowledged answer into v.
func (w *loadClient) write(ctx context.Context, kind, method, path, ctype string, body []byte, v any, want ...int) bool {
	r := request{kind: kind, method: method, path: path, token: w.t.token, ctype: ctype, body: body,
		key: w.keyFor(strings.TrimPrefix(kind, "write:")), want: want}
	a := w.c.do(ctx, r)
	if !a.ok() {
		return false
	}
	if err := a.decode(v); err != nil {
		w.c.mu.Lock()
		w.c.failures = append(w.c.failures, fmt.Sprintf("%s %s: acknowledged with an unreadable body: %v", kind, path, err))
		w.c.mu.Unlock()
		return false
	}
	return true
}

func (w *loadClient) createWell(ctx context.Context) {
	name := fmt.Sprintf("drill %s #%d-%d", w.name, w.seq+1, rand.Uint32()%100000)
	body, _ := json.Marshal(map[string]string{"name": name, "field": "DRILL"})
	var res struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	}
	if w.write(ctx, "write:well", "POST", "/api/v1/wells", "application/json", body, &res, 201) {
		w.led.addWell(ackWell{tenant: w.t.id, id: res.ID, name: res.Name})
		w.t.mu.Lock()
		w.t.wells = append(w.t.wells, res.ID)
		w.t.mu.Unlock()
	}
}

// logAnswer is the part of an upload's answer the drill keeps.
type logAnswer struct {
	ID     string `json:"id"`
	WellID string `json:"well_id"`
	Rows   int    `json:"rows"`
	Curves []struct {
		Mnemonic string `json:"mnemonic"`
	} `json:"curves"`
}

func (w *loadClient) uploadLog(ctx context.Context) {
	file := lasFiles[rand.N(len(lasFiles))]
	if rand.N(3) == 0 {
		file = petroFile // the petrophysics jobs need more of these
	}
	w.upload(ctx, file)
}

// upload uploads file under a name of its own and records it.
func (w *loadClient) upload(ctx context.Context, file string) bool {
	name := fmt.Sprintf("drill-%s-%d-%d-%s", w.name, w.seq+1, rand.Uint32()%100000, filepath.Base(file))
	var res logAnswer
	if !w.write(ctx, "write:upload", "POST", "/api/v1/logs?name="+url.QueryEscape(name), "application/octet-stream", w.files[file], &res, 201) {
		return false
	}
	l := ackLog{tenant: w.t.id, id: res.ID, name: name, wellID: res.WellID, file: file, rows: res.Rows}
	for _, c := range res.Curves {
		l.curves = append(l.curves, c.Mnemonic)
	}
	w.led.addLog(l)
	w.t.mu.Lock()
	w.t.logs = append(w.t.logs, l)
	if file == petroFile {
		w.t.petroLogs = append(w.t.petroLogs, l.id)
	}
	w.t.mu.Unlock()
	return true
}

// importAnswer is the part of a production import's answer the drill keeps.
type importAnswer struct {
	ImportID   string `json:"import_id"`
	Format     string `json:"format"`
	RowsStored int    `json:"rows_stored"`
	Wells      []struct {
		ID      string `json:"id"`
		Name    string `json:"name"`
		Created bool   `json:"created"`
	} `json:"wells"`
}

// importProduction imports the Volve monthly CSV again (an import merges: it changes nothing).
// The Volve workbook is imported once, by drill.chaos.
func (w *loadClient) importProduction(ctx context.Context) {
	w.importFile(ctx, monthlyCSV, "csv", "text/csv")
}

// importFile imports a production file and records it; it adds the wells to fit.
func (w *loadClient) importFile(ctx context.Context, file, format, ctype string) bool {
	var res importAnswer
	if !w.write(ctx, "write:import-"+format, "POST", "/api/v1/production?format="+format, ctype, w.files[file], &res, 201) {
		return false
	}
	imp := ackImport{tenant: w.t.id, id: res.ImportID, format: res.Format, rowsStored: res.RowsStored}
	w.t.mu.Lock()
	defer w.t.mu.Unlock()
	for _, wl := range res.Wells {
		imp.wells = append(imp.wells, wl.ID)
		if wl.Created {
			imp.created = append(imp.created, wl.ID)
		}
		for _, name := range declineWells {
			if wl.Name == name && !contains(w.t.fitWells, wl.ID) {
				w.t.fitWells = append(w.t.fitWells, wl.ID)
			}
		}
	}
	w.led.addImport(imp)
	return true
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// jobAnswer is the part of a job's answer the drill keeps.
type jobAnswer struct {
	ID     string          `json:"id"`
	Type   string          `json:"type"`
	Status string          `json:"status"`
	Result json.RawMessage `json:"result"`
	Error  string          `json:"error"`
}

func (w *loadClient) declineFit(ctx context.Context) {
	well, ok := pickOne(w.t, &w.t.fitWells)
	if !ok {
		return
	}
	w.queueJob(ctx, "decline-fit", well, map[string]any{"well": well, "phase": "oil", "model": "auto", "start": "peak",
		"abandonment_rate": 5 + rand.N(20)})
}

func (w *loadClient) petrophysics(ctx context.Context) {
	log, ok := pickOne(w.t, &w.t.petroLogs)
	if !ok {
		return
	}
	methods := []string{"linear", "larionov-tertiary", "clavier"}
	w.queueJob(ctx, "petrophysics", log, map[string]any{"log": log, "vsh_method": methods[rand.N(len(methods))]})
}

// queueJob queues a job and records it.
func (w *loadClient) queueJob(ctx context.Context, typ, source string, params map[string]any) bool {
	body, _ := json.Marshal(map[string]any{"type": typ, "params": params})
	var res jobAnswer
	if !w.write(ctx, "write:job", "POST", "/api/v1/jobs", "application/json", body, &res, 202) {
		return false
	}
	w.led.addJob(ackJob{tenant: w.t.id, id: res.ID, typ: typ, source: source})
	w.t.mu.Lock()
	w.t.jobs = append(w.t.jobs, res.ID)
	w.t.mu.Unlock()
	return true
}
