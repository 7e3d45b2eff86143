package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"gocloud.dev/blob"
	_ "gocloud.dev/blob/s3blob"
)

// What the database holds, read directly (not through Wellbase).
type (
	dbWell struct {
		ID   string `bson:"id"`
		Name string `bson:"name"`
	}
	dbLog struct {
		ID       string `bson:"id"`
		WellID   string `bson:"well_id"`
		FileName string `bson:"file_name"`
		Status   string `bson:"status"`
		Rows     int    `bson:"rows"`
	}
	dbJob struct {
		ID       string  `bson:"id"`
		Type     string  `bson:"type"`
		Status   string  `bson:"status"`
		Attempts int     `bson:"attempts"`
		Params   string  `bson:"params"`
		Result   *string `bson:"result"`
		Error    string  `bson:"error"`
	}
	dbForecast struct {
		ID    string `bson:"id"`
		JobID string `bson:"job_id"`
	}
)

// findTenant decodes the documents of collection coll of tenant into a list.
func findTenant[T any](ctx context.Context, db *mongo.Database, coll, tenant string) ([]T, error) {
	cur, err := db.Collection(coll).Find(ctx, bson.D{{Key: "tenant", Value: tenant}})
	if err != nil {
		return nil, fmt.Errorf("read %s of %s: %w", coll, tenant, err)
	}
	var out []T
	if err := cur.All(ctx, &out); err != nil {
		return nil, fmt.Errorf("read %s of %s: %w", coll, tenant, err)
	}
	return out, nil
}

// verify checks every acknowledged write against the database, the object store and the API,
// and the worker logs for jobs run twice.
func (d *drill) verify(ctx context.Context) (*report, error) {
	r := &report{lease: d.o.lease}
	bucket, err := blob.OpenBucket(ctx, fmt.Sprintf("s3://%s?region=%s&endpoint=%s&use_path_style=true", d.o.s3Bucket, d.o.region, d.o.s3Endpoint))
	if err != nil {
		return nil, fmt.Errorf("open the S3 bucket: %w", err)
	}
	defer bucket.Close()
	ended, recordErrors, err := d.jobEnds()
	if err != nil {
		return nil, err
	}
	for _, t := range d.tenants {
		if err := d.verifyTenant(ctx, r, t, bucket, ended); err != nil {
			return nil, err
		}
	}
	if recordErrors > 0 {
		r.note("%d job outcomes could not be recorded by their worker (their job ran again)", recordErrors)
	}
	return r, nil
}

func (d *drill) verifyTenant(ctx context.Context, r *report, t *tenantState, bucket *blob.Bucket, ended map[string]int) error {
	wells, err := findTenant[dbWell](ctx, d.mdb, "wells", t.id)
	if err != nil {
		return err
	}
	logs, err := findTenant[dbLog](ctx, d.mdb, "logs", t.id)
	if err != nil {
		return err
	}
	jobs, err := findTenant[dbJob](ctx, d.mdb, "jobs", t.id)
	if err != nil {
		return err
	}
	forecasts, err := findTenant[dbForecast](ctx, d.mdb, "forecasts", t.id)
	if err != nil {
		return err
	}
	records, err := d.mdb.Collection("production").CountDocuments(ctx, bson.D{{Key: "tenant", Value: t.id}})
	if err != nil {
		return err
	}
	wellByID := map[string]dbWell{}
	wellsNamed := map[string]int{}
	for _, w := range wells {
		wellByID[w.ID] = w
		wellsNamed[w.Name]++
	}
	logByID := map[string]dbLog{}
	for _, l := range logs {
		logByID[l.ID] = l
	}
	jobByID := map[string]dbJob{}
	for _, j := range jobs {
		jobByID[j.ID] = j
	}
	forecastsOf := map[string][]string{}
	for _, f := range forecasts {
		forecastsOf[f.JobID] = append(forecastsOf[f.JobID], f.ID)
	}

	d.led.mu.Lock()
	defer d.led.mu.Unlock()
	expectWells := map[string]bool{}
	expectLogs := map[string]bool{}
	expectJobs := map[string]bool{}

	// Wells made by POST /wells: there, once (their names are unique), readable.
	for _, w := range d.led.wells {
		if w.tenant != t.id {
			continue
		}
		r.ackWells++
		expectWells[w.id] = true
		if _, ok := wellByID[w.id]; !ok {
			r.lost("well %s (%q) of %s: acknowledged, not in the database", w.id, w.name, t.id)
			continue
		}
		if n := wellsNamed[w.name]; n > 1 {
			r.duplicate("well %q of %s: %d wells of that name, 1 acknowledged", w.name, t.id, n)
		}
		if a := d.c.do(ctx, request{kind: "verify", method: "GET", path: "/api/v1/wells/" + w.id, token: t.token, want: []int{200}}); !a.ok() {
			r.lost("well %s of %s: in the database, but GET answers %s", w.id, t.id, a.err)
		}
	}
	// Imports: their wells there; the tenant holds at least as many records as the largest
	// import stored.
	largest := 0
	for _, imp := range d.led.imports {
		if imp.tenant != t.id {
			continue
		}
		r.ackImports++
		largest = max(largest, imp.rowsStored)
		lost := false
		for _, id := range imp.wells {
			expectWells[id] = true
			if _, ok := wellByID[id]; !ok {
				r.lost("well %s of import %s of %s: acknowledged, not in the database", id, imp.id, t.id)
				lost = true
			}
		}
		if lost {
			r.lostImports++
		}
	}
	if records < int64(largest) {
		r.lost("%s holds %d production records, fewer than the %d one acknowledged import stored", t.id, records, largest)
		r.lostImports++
	}
	// Uploads: recorded, ready, objects in S3, readable through the API with their rows.
	for _, l := range d.led.logs {
		if l.tenant != t.id {
			continue
		}
		r.ackUploads++
		expectLogs[l.id] = true
		expectWells[l.wellID] = true
		if !d.checkLog(ctx, r, t, bucket, logByID, l.id, l.rows, l.curves) {
			r.lostUploads++
		}
	}
	// Jobs: every acknowledged job there and succeeded, its result there once.
	derivedOf := map[string]int{} // source log → succeeded petrophysics jobs
	for _, j := range d.led.jobs {
		if j.tenant != t.id {
			continue
		}
		r.ackJobs++
		expectJobs[j.id] = true
		dj, ok := jobByID[j.id]
		switch {
		case !ok:
			r.lost("job %s (%s) of %s: acknowledged, not in the database", j.id, j.typ, t.id)
			r.lostJobs++
			continue
		case dj.Status != "succeeded":
			r.lost("job %s (%s) of %s: %s after %d attempts: %s", j.id, j.typ, t.id, dj.Status, dj.Attempts, dj.Error)
			r.lostJobs++
			continue
		}
		if dj.Attempts > 1 {
			r.reruns++
		}
		if n := ended[j.id]; n > 1 {
			r.twice("job %s of %s: %d 'job ended' lines with status succeeded in the worker logs", j.id, t.id, n)
		}
		var res struct {
			ForecastID string `json:"forecast_id"`
			LogID      string `json:"log_id"`
		}
		if dj.Result != nil {
			json.Unmarshal([]byte(*dj.Result), &res)
		}
		switch j.typ {
		case "decline-fit":
			fs := forecastsOf[j.id]
			if len(fs) > 1 {
				r.twice("decline-fit job %s of %s: %d forecasts made (%s), 1 recorded (%s)", j.id, t.id, len(fs), strings.Join(fs, ", "), res.ForecastID)
			}
			if !contains(fs, res.ForecastID) {
				r.lost("decline-fit job %s of %s: its forecast %q is not in the database", j.id, t.id, res.ForecastID)
				r.lostJobs++
			}
		case "petrophysics":
			derivedOf[j.source]++
			expectLogs[res.LogID] = true
			if !d.checkLog(ctx, r, t, bucket, logByID, res.LogID, -1, nil) {
				r.lostJobs++
			}
		}
		if a := d.c.do(ctx, request{kind: "verify", method: "GET", path: "/api/v1/jobs/" + j.id, token: t.token, want: []int{200}}); !a.ok() {
			r.lost("job %s of %s: GET answers %s", j.id, t.id, a.err)
		}
	}
	// Forecasts of no acknowledged job.
	for job, fs := range forecastsOf {
		if !expectJobs[job] {
			r.duplicate("%d forecasts of %s belong to job %s, which no client was answered", len(fs), t.id, job)
		}
	}
	// What the database holds that no acknowledged write explains: made by a retry, or a second
	// run of a job.
	for _, w := range wells {
		if !expectWells[w.ID] {
			r.duplicate("well %s (%q) of %s: in the database, acknowledged to no client", w.ID, w.Name, t.id)
		}
	}
	for _, j := range jobs {
		if !expectJobs[j.ID] {
			r.duplicate("job %s (%s) of %s: in the database, acknowledged to no client", j.ID, j.Type, t.id)
		}
	}
	derivedLogs := map[string]int{} // "<well>/<file name>" → derived logs
	for _, l := range logs {
		if !expectLogs[l.ID] {
			if strings.HasSuffix(l.FileName, " petrophysics.las") {
				derivedLogs[l.WellID+"/"+l.FileName]++
				continue
			}
			r.duplicate("log %s (%q) of %s: in the database, acknowledged to no client", l.ID, l.FileName, t.id)
		}
	}
	for k, n := range derivedLogs {
		r.twice("%d more petrophysics logs %q of %s than succeeded jobs recorded", n, k, t.id)
	}
	// Lists show only what is complete: every log listed is one the database holds ready.
	listed, err := d.listAll(ctx, t, "/api/v1/logs")
	if err != nil {
		r.lost("list the logs of %s: %v", t.id, err)
	} else if listed != len(logs) {
		r.lost("the API lists %d logs of %s, the database holds %d", listed, t.id, len(logs))
	}
	// Objects of logs never recorded (a SIGKILL mid-upload), swept by serve after an hour.
	seen := map[string]bool{}
	it := bucket.List(&blob.ListOptions{Prefix: "tenants/" + t.id + "/"})
	for {
		obj, err := it.Next(ctx)
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("list the objects of %s: %w", t.id, err)
		}
		rest := strings.TrimPrefix(obj.Key, "tenants/"+t.id+"/")
		if strings.Contains(rest, ".staging") {
			r.staged++
		}
		if id, ok := strings.CutPrefix(rest, "logs/"); ok {
			id, _, _ = strings.Cut(id, "/")
			if _, ok := logByID[id]; !ok && !seen[id] {
				seen[id] = true
				r.orphans++
			}
		}
	}
	return nil
}

// checkLog checks log id of tenant t: in the database and ready, its original and its curves in
// the object store, and through the API its rows (rows ≥ 0: as acknowledged) and a whole curve.
func (d *drill) checkLog(ctx context.Context, r *report, t *tenantState, bucket *blob.Bucket, inDB map[string]dbLog, id string, rows int, curves []string) bool {
	l, ok := inDB[id]
	if !ok {
		r.lost("log %s of %s: acknowledged, not in the database", id, t.id)
		return false
	}
	if l.Status != "ready" || rows >= 0 && l.Rows != rows {
		r.lost("log %s of %s: %s with %d rows in the database, acknowledged with %d", id, t.id, l.Status, l.Rows, rows)
		return false
	}
	for _, name := range []string{"original.las", "curves.parquet"} {
		key := "tenants/" + t.id + "/logs/" + id + "/" + name
		if a, err := bucket.Attributes(ctx, key); err != nil || a.Size == 0 {
			r.lost("log %s of %s: object %s missing or empty (%v)", id, t.id, key, err)
			return false
		}
	}
	a := d.c.do(ctx, request{kind: "verify", method: "GET", path: "/api/v1/logs/" + id, token: t.token, want: []int{200}})
	var got logAnswer
	if !a.ok() || a.decode(&got) != nil {
		r.lost("log %s of %s: GET answers %s", id, t.id, a.err)
		return false
	}
	if len(curves) == 0 {
		for _, c := range got.Curves {
			curves = append(curves, c.Mnemonic)
		}
	}
	if len(curves) < 2 {
		return true
	}
	a = d.c.do(ctx, request{kind: "verify", method: "GET", path: "/api/v1/logs/" + id + "/curves/" + url.PathEscape(curves[1]) + "?format=json",
		token: t.token, want: []int{200}})
	var curve struct {
		Values []*float64 `json:"values"`
	}
	if !a.ok() || a.decode(&curve) != nil || len(curve.Values) != got.Rows {
		r.lost("log %s of %s: curve %s reads back %d values of %d rows (%s)", id, t.id, curves[1], len(curve.Values), got.Rows, a.err)
		return false
	}
	return true
}

// listAll counts the items of a paged list of the API.
func (d *drill) listAll(ctx context.Context, t *tenantState, path string) (int, error) {
	n, cursor := 0, ""
	for range 100 {
		p := path + "?limit=500"
		if cursor != "" {
			p += "&cursor=" + url.QueryEscape(cursor)
		}
		a := d.c.do(ctx, request{kind: "verify", method: "GET", path: p, token: t.token, want: []int{200}})
		if !a.ok() {
			return 0, fmt.Errorf("%s", a.err)
		}
		var page struct {
			Items      []json.RawMessage `json:"items"`
			NextCursor string            `json:"next_cursor"`
		}
		if err := a.decode(&page); err != nil {
			return 0, err
		}
		n += len(page.Items)
		if cursor = page.NextCursor; cursor == "" {
			return n, nil
		}
	}
	return n, fmt.Errorf("more than 100 pages")
}

// jobEnds reads the workers' logs: how many times each job ended succeeded ("job ended",
// status succeeded), and how many outcomes could not be recorded.
func (d *drill) jobEnds() (map[string]int, int, error) {
	ended := map[string]int{}
	recordErrors := 0
	for _, w := range d.workers {
		f, err := os.Open(w.logPath)
		if err != nil {
			return nil, 0, err
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			var line struct {
				Msg    string `json:"msg"`
				Job    string `json:"job"`
				Status string `json:"status"`
			}
			if json.Unmarshal(sc.Bytes(), &line) != nil {
				continue
			}
			switch {
			case line.Msg == "job ended" && line.Status == "succeeded":
				ended[line.Job]++
			case line.Msg == "record job outcome":
				recordErrors++
			}
		}
		f.Close()
	}
	return ended, recordErrors, nil
}

// report is the drill's outcome.
type report struct {
	lease time.Duration

	requests, attempts, failed int
	failures                   []string
	retries                    map[string]int

	ackWells, ackUploads, ackImports, ackJobs   int
	lostAll, lostUploads, lostImports, lostJobs int
	duplicates, runsTwice, reruns               int
	orphans, staged                             int
	details                                     []string

	takeover      time.Duration
	takeoverJob   string
	p99Kill       time.Duration
	nKill         int
	p99All        time.Duration
	kills, rolls  int
	problems      int
	elapsed       time.Duration
	loadFor       time.Duration
	writesByKind  map[string]int
	p99ByKind     map[string]time.Duration
	maxRetryWrite time.Duration
}

func (r *report) note(format string, args ...any) {
	r.details = append(r.details, fmt.Sprintf(format, args...))
}

func (r *report) lost(format string, args ...any) {
	r.lostAll++
	r.note("LOST: "+format, args...)
}

func (r *report) duplicate(format string, args ...any) {
	r.duplicates++
	r.note("DUPLICATE: "+format, args...)
}

func (r *report) twice(format string, args ...any) {
	r.runsTwice++
	r.note("RUN TWICE: "+format, args...)
}

// fill adds the figures of the load: calls sent from loadStart to loadEnd (samples), the kill
// window, the takeover, the chaos counts.
func (r *report) fill(d *drill, samples []sample, loadStart, loadEnd time.Time) {
	d.c.mu.Lock()
	r.failures = append(r.failures, d.c.failures...)
	r.retries = map[string]int{}
	for k, v := range d.c.retried {
		r.retries[k] = v
	}
	d.c.mu.Unlock()
	r.failed = len(r.failures)
	r.loadFor = loadEnd.Sub(loadStart)
	var load, kill []sample
	r.writesByKind = map[string]int{}
	byKind := map[string][]sample{}
	for _, s := range samples {
		if s.kind == "verify" || s.start.After(loadEnd) {
			continue
		}
		load = append(load, s)
		r.attempts += s.attempts
		byKind[s.kind] = append(byKind[s.kind], s)
		if strings.HasPrefix(s.kind, "write:") {
			r.writesByKind[s.kind]++
			if s.attempts > 1 {
				r.maxRetryWrite = max(r.maxRetryWrite, s.elapsed)
			}
		}
		if !d.killFrom.IsZero() && !s.start.Before(d.killFrom) && (d.killTo.IsZero() || s.start.Before(d.killTo)) {
			kill = append(kill, s)
		}
	}
	r.requests = len(load)
	r.p99All, _ = p99(load)
	r.p99Kill, r.nKill = p99(kill)
	r.p99ByKind = map[string]time.Duration{}
	for k, ss := range byKind {
		r.p99ByKind[k], _ = p99(ss)
	}
	r.kills, r.rolls = d.kills, d.rolls
	if t := d.takeover; t != nil {
		r.takeover, r.takeoverJob = t.after, t.job
	}
}

// passed reports whether the figures reach the targets.
func (r *report) passed() bool {
	return r.lostAll == 0 && r.duplicates == 0 && r.runsTwice == 0 && r.failed == 0 && r.problems == 0 &&
		r.takeover > 0 && r.takeover <= 2*r.lease
}

// print writes the details, then the figures as the last line.
func (r *report) print(out io.Writer) {
	for _, f := range r.failures[:min(len(r.failures), 20)] {
		fmt.Fprintf(out, "drill: FAILED AFTER RETRIES: %s\n", f)
	}
	for _, s := range r.details[:min(len(r.details), 40)] {
		fmt.Fprintf(out, "drill: %s\n", s)
	}
	if len(r.details) > 40 {
		fmt.Fprintf(out, "drill: … and %d more\n", len(r.details)-40)
	}
	fmt.Fprintf(out, "drill: writes acknowledged: %d wells, %d uploads, %d imports, %d jobs (%d of them run more than once: a dead worker's or a failed attempt)\n",
		r.ackWells, r.ackUploads, r.ackImports, r.ackJobs, r.reruns)
	var kinds []string
	for _, k := range sortedKeys(r.p99ByKind) {
		kinds = append(kinds, fmt.Sprintf("%s %d ms", k, r.p99ByKind[k].Milliseconds()))
	}
	fmt.Fprintf(out, "drill: p99 by kind: %s\n", strings.Join(kinds, ", "))
	var retries []string
	for _, k := range sortedKeys(r.retries) {
		retries = append(retries, fmt.Sprintf("%d after %s", r.retries[k], k))
	}
	fmt.Fprintf(out, "drill: %d attempts for %d requests; retries: %s; slowest retried write %.1f s; %d objects of logs never recorded (swept after 1 h), %d staged objects visible\n",
		r.attempts, r.requests, orDash(strings.Join(retries, ", ")), r.maxRetryWrite.Seconds(), r.orphans, r.staged)
	take := "takeover not measured"
	if r.takeover > 0 {
		take = fmt.Sprintf("takeover %.1f s", r.takeover.Seconds())
	}
	acked := r.ackWells + r.ackUploads + r.ackImports + r.ackJobs
	fmt.Fprintf(out, "drill: %d requests, %d failed after retries, %d lost of %d acknowledged writes, %d/%d uploads lost, %d/%d jobs lost, %d duplicates, %d jobs run twice, %s (lease %s), p99 %d ms during the kill, p99 %d ms overall, %d kills, %d rolls, %d s\n",
		r.requests, r.failed, r.lostAll, acked, r.lostUploads, r.ackUploads, r.lostJobs, r.ackJobs, r.duplicates, r.runsTwice, take,
		r.lease, r.p99Kill.Milliseconds(), r.p99All.Milliseconds(), r.kills, r.rolls, int(r.elapsed.Seconds()))
}
