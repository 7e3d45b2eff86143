package main

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The shared data the drill loads (paths under -data).
const (
	volveLAS     = "las/volve/15-9-19_SR_COMP.LAS"
	kgsLAS2      = "las/kgs/Wellington_KGS-1-32-wDST2_LASv2.las"
	kgsLAS3      = "las/kgs/Wellington_KGS-1-32-wDST2_LASv3.las"
	volveXLSX    = "production/volve/Volve production data.xlsx"
	volveMonthly = "production/volve/volve_monthly_production.csv"
)

// tenantPlan is what the drill loads into a tenant.
type tenantPlan struct {
	id      string
	las     []string
	prod    string // a production file, imported as its extension says
	fitWell string // a well whose name holds this gets a decline fit
}

// tenants are loaded with the real data: the Volve workbook (daily and monthly volumes of
// every well) in one, the monthly CSV in the others. (The daily CSV, another 15 000 records,
// would double the time of every production read on FerretDB, which scans the collection.)
var tenants = []tenantPlan{
	{"acme", []string{volveLAS}, volveXLSX, "F-14"},
	{"globex", []string{volveLAS, kgsLAS2}, volveMonthly, "F-12"},
	{"initech", []string{kgsLAS3}, volveMonthly, "F-11"},
}

// tenantData is what the drill keeps of a loaded tenant: its tokens, by name (the owner's from
// onboarding, another API token, an engineer's session and API token), and the SHA-256 of the
// file each uploaded log came from.
type tenantData struct {
	tokens    map[string]string
	originals map[string]string
}

const password = "correct horse battery staple 42"

// call sends a request to p's API and returns the status and body. 429 answers are retried
// after their Retry-After.
func call(p *platform, method, path, token string, body []byte, ctype string) (int, []byte, error) {
	for attempt := 0; ; attempt++ {
		var rd io.Reader
		if body != nil {
			rd = bytes.NewReader(body)
		}
		req, err := http.NewRequest(method, p.base+path, rd)
		if err != nil {
			return 0, nil, err
		}
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0, nil, fmt.Errorf("%s %s: %w", method, path, err)
		}
		b, err := io.ReadAll(res.Body)
		res.Body.Close()
		if err != nil {
			return 0, nil, fmt.Errorf("%s %s: %w", method, path, err)
		}
		if res.StatusCode == http.StatusTooManyRequests && attempt < 60 {
			wait, _ := strconv.Atoi(res.Header.Get("Retry-After"))
			time.Sleep(time.Duration(max(wait, 1)) * time.Second)
			continue
		}
		return res.StatusCode, b, nil
	}
}

// callJSON sends JSON (or nothing) and decodes the answer, which must have status want.
func callJSON(p *platform, want int, method, path, token string, body any) (map[string]any, error) {
	var b []byte
	if body != nil {
		b, _ = json.Marshal(body)
	}
	st, out, err := call(p, method, path, token, b, "application/json")
	if err != nil {
		return nil, err
	}
	if st != want {
		return nil, fmt.Errorf("%s %s: status %d, want %d: %.300s", method, path, st, want, out)
	}
	var v map[string]any
	if len(out) > 0 {
		if err := json.Unmarshal(out, &v); err != nil {
			return nil, fmt.Errorf("%s %s: %w", method, path, err)
		}
	}
	return v, nil
}

// listAll returns every item of a paged list.
func listAll(p *platform, path, token string) ([]map[string]any, error) {
	var items []map[string]any
	cursor := ""
	for {
		sep := "?"
		if strings.Contains(path, "?") {
			sep = "&"
		}
		q := path + sep + "limit=500"
		if cursor != "" {
			q += "&cursor=" + url.QueryEscape(cursor)
		}
		v, err := callJSON(p, 200, "GET", q, token, nil)
		if err != nil {
			return nil, err
		}
		list, _ := v["items"].([]any)
		for _, it := range list {
			if m, ok := it.(map[string]any); ok {
				items = append(items, m)
			}
		}
		cursor, _ = v["next_cursor"].(string)
		if cursor == "" {
			return items, nil
		}
	}
}

// waitJob waits for job id of the tenant of token to end and returns it; it must succeed.
func waitJob(p *platform, token, id string) (map[string]any, error) {
	deadline := time.Now().Add(5 * time.Minute)
	for time.Now().Before(deadline) {
		j, err := callJSON(p, 200, "GET", "/api/v1/jobs/"+id, token, nil)
		if err != nil {
			return nil, err
		}
		switch j["status"] {
		case "succeeded":
			return j, nil
		case "failed", "cancelled":
			return nil, fmt.Errorf("job %s (%v) %v: %v", id, j["type"], j["status"], j["error"])
		}
		time.Sleep(200 * time.Millisecond)
	}
	return nil, fmt.Errorf("job %s did not end within 5 minutes", id)
}

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// load makes the operator and the tenants of p, with their data (see the package doc).
func (d *drill) load(p *platform) (string, error) {
	out, err := d.wellbase(p, "operator", "create", "--email", "ops@drill.example")
	if err != nil {
		return "", err
	}
	d.op = strings.TrimSpace(out)
	d.loaded = map[string]*tenantData{}
	var logs, jobs int
	for _, plan := range tenants {
		t := &tenantData{tokens: map[string]string{}, originals: map[string]string{}}
		d.loaded[plan.id] = t
		// Premium: the snapshot reads hundreds of curves at once.
		res, err := callJSON(p, 201, "POST", "/api/v1/tenants", d.op, map[string]any{"id": plan.id, "name": strings.ToUpper(plan.id[:1]) + plan.id[1:] + " Oil",
			"tier": "premium", "admin_email": "owner@" + plan.id + ".example"})
		if err != nil {
			return "", err
		}
		owner := res["admin_token"].(string)
		t.tokens["owner"] = owner
		var firstLog string
		for _, rel := range plan.las {
			body, err := os.ReadFile(filepath.Join(d.data, rel))
			if err != nil {
				return "", err
			}
			st, b, err := call(p, "POST", "/api/v1/logs?name="+url.QueryEscape(path.Base(rel)), owner, body, "application/octet-stream")
			if err != nil {
				return "", err
			}
			if st != 201 {
				return "", fmt.Errorf("upload %s to %s: status %d: %.300s", rel, plan.id, st, b)
			}
			var l struct{ ID string }
			json.Unmarshal(b, &l)
			t.originals[l.ID] = sha(body)
			if firstLog == "" && rel == volveLAS {
				firstLog = l.ID
			}
			logs++
		}
		body, err := os.ReadFile(filepath.Join(d.data, plan.prod))
		if err != nil {
			return "", err
		}
		format, ctype := "csv", "text/csv"
		if strings.HasSuffix(plan.prod, ".xlsx") {
			format, ctype = "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
		}
		if st, b, err := call(p, "POST", "/api/v1/production?format="+format, owner, body, ctype); err != nil || st != 201 {
			return "", fmt.Errorf("import %s into %s: %d %v: %.300s", plan.prod, plan.id, st, err, b)
		}
		wells, err := listAll(p, "/api/v1/wells", owner)
		if err != nil {
			return "", err
		}
		var fitWell string
		for _, w := range wells {
			if strings.Contains(fmt.Sprint(w["name"]), plan.fitWell) {
				fitWell = w["id"].(string)
				break
			}
		}
		if fitWell == "" {
			return "", fmt.Errorf("tenant %s has no well named like %s after the import", plan.id, plan.fitWell)
		}
		queued := []map[string]any{{"type": "decline-fit", "params": map[string]any{"well": fitWell, "phase": "oil", "model": "auto", "start": "peak", "abandonment_rate": 10}}}
		if firstLog != "" {
			queued = append(queued, map[string]any{"type": "petrophysics", "params": map[string]any{"log": firstLog}})
		}
		for _, q := range queued {
			j, err := callJSON(p, 202, "POST", "/api/v1/jobs", owner, q)
			if err != nil {
				return "", err
			}
			if _, err := waitJob(p, owner, j["id"].(string)); err != nil {
				return "", fmt.Errorf("tenant %s: %w", plan.id, err)
			}
			jobs++
		}
		// People and credentials: an engineer who signs in with a password, a session, API tokens.
		engineer := "eng@" + plan.id + ".example"
		if _, err := callJSON(p, 201, "POST", "/api/v1/users", owner, map[string]any{"email": engineer, "role": "engineer", "password": password}); err != nil {
			return "", err
		}
		sess, err := callJSON(p, 200, "POST", "/api/v1/login", "", map[string]any{"tenant": plan.id, "email": engineer, "password": password})
		if err != nil {
			return "", err
		}
		t.tokens["engineer session"] = sess["token"].(string)
		tok, err := callJSON(p, 201, "POST", "/api/v1/tokens", t.tokens["engineer session"], map[string]any{"name": "engineer's script"})
		if err != nil {
			return "", err
		}
		t.tokens["engineer api"] = tok["token"].(string)
		tok, err = callJSON(p, 201, "POST", "/api/v1/tokens", owner, map[string]any{"name": "ci"})
		if err != nil {
			return "", err
		}
		t.tokens["owner ci"] = tok["token"].(string)
	}
	return fmt.Sprintf("%d logs, %d jobs, %d production files", logs, jobs, len(tenants)), nil
}

// snapshot is what the API shows of a platform: items by name, each the normalized JSON of an
// answer or the SHA-256 of a file's bytes, with its status.
type snapshot struct {
	items map[string]string
}

func (s *snapshot) put(name string, status int, v string) {
	s.items[name] = strconv.Itoa(status) + " " + v
}

// getJSON adds the answer of GET path as item name, normalized, and returns it decoded.
func (s *snapshot) getJSON(p *platform, name, path, token string) (any, error) {
	st, b, err := call(p, "GET", path, token, nil, "")
	if err != nil {
		return nil, err
	}
	var v any
	if st == 200 {
		if err := json.Unmarshal(b, &v); err != nil {
			return nil, fmt.Errorf("GET %s: %w", path, err)
		}
	}
	s.put(name, st, normalize(v))
	return v, nil
}

// getFile adds the SHA-256 of the bytes of GET path as item name.
func (s *snapshot) getFile(p *platform, name, path, token string) error {
	st, b, err := call(p, "GET", path, token, nil, "")
	if err != nil {
		return err
	}
	s.put(name, st, fmt.Sprintf("%d bytes sha256 %s", len(b), sha(b)))
	return nil
}

// listJSON adds every item of a paged list as item name.
func (s *snapshot) listJSON(p *platform, name, path, token string, keep func(map[string]any) bool) ([]map[string]any, error) {
	items, err := listAll(p, path, token)
	if err != nil {
		return nil, err
	}
	if keep != nil {
		items = slices.DeleteFunc(items, func(m map[string]any) bool { return !keep(m) })
	}
	s.put(name, 200, normalize(items))
	return items, nil
}

var phases = []string{"oil", "gas", "water", "water_injected", "gas_injected"}

// snapshot reads everything of every tenant through p's API, with the tenants' own tokens,
// and the control plane with the operator's. Production series: with all, every phase of both
// periods of every well; else the monthly oil, gas and water and the daily oil of each
// tenant's fitted well: on FerretDB every production read scans the whole collection (seconds
// each with the Volve workbook's 16 000 records), and the legs through it would take half an
// hour. (Every production record is compared across drivers by internal/backup's tests.)
func (d *drill) snapshot(p *platform, all bool) (*snapshot, error) {
	s := &snapshot{items: map[string]string{}}
	if _, err := s.listJSON(p, "tenants", "/api/v1/tenants", d.op, nil); err != nil {
		return nil, err
	}
	// The control-plane audit log, but the restores' own entries (what a restore adds).
	if _, err := s.listJSON(p, "control audit", "/api/v1/control/audit", d.op, func(m map[string]any) bool {
		return m["action"] != "platform.restore"
	}); err != nil {
		return nil, err
	}
	for _, plan := range tenants {
		t := d.loaded[plan.id]
		owner := t.tokens["owner"]
		pre := plan.id + " "
		if _, err := s.getJSON(p, pre+"tenant", "/api/v1/tenants/"+plan.id, d.op); err != nil {
			return nil, err
		}
		for _, name := range slices.Sorted(maps.Keys(t.tokens)) {
			if _, err := s.getJSON(p, pre+"GET /me with the "+name+" token", "/api/v1/me", t.tokens[name]); err != nil {
				return nil, err
			}
		}
		usage, err := callJSON(p, 200, "GET", "/api/v1/usage", owner, nil)
		if err != nil {
			return nil, err
		}
		if u, ok := usage["usage"].(map[string]any); ok {
			delete(u, "requests_today") // counts the drill's own requests
		}
		s.put(pre+"usage", 200, normalize(usage))
		for _, list := range []string{"users", "tokens", "audit"} {
			if _, err := s.listJSON(p, pre+list, "/api/v1/"+list, owner, nil); err != nil {
				return nil, err
			}
		}
		wells, err := s.listJSON(p, pre+"wells", "/api/v1/wells", owner, nil)
		if err != nil {
			return nil, err
		}
		for _, w := range wells {
			id := w["id"].(string)
			if _, err := s.getJSON(p, pre+"well "+id, "/api/v1/wells/"+id, owner); err != nil {
				return nil, err
			}
			series := []string{"period=month&phase=oil", "period=month&phase=gas", "period=month&phase=water", "period=day&phase=oil"}
			switch {
			case all:
				series = series[:0]
				for _, period := range []string{"day", "month"} {
					for _, phase := range phases {
						series = append(series, "period="+period+"&phase="+phase)
					}
				}
			case !strings.Contains(fmt.Sprint(w["name"]), plan.fitWell):
				series = nil
			}
			for _, q := range series {
				q = "/api/v1/wells/" + id + "/production?" + q
				if _, err := s.getJSON(p, pre+"production "+q, q, owner); err != nil {
					return nil, err
				}
			}
		}
		logs, err := s.listJSON(p, pre+"logs", "/api/v1/logs", owner, nil)
		if err != nil {
			return nil, err
		}
		for _, l := range logs {
			id := l["id"].(string)
			if _, err := s.getJSON(p, pre+"log "+id, "/api/v1/logs/"+id, owner); err != nil {
				return nil, err
			}
			curves, _ := l["curves"].([]any)
			for _, c := range curves {
				m := c.(map[string]any)["mnemonic"].(string)
				q := "/api/v1/logs/" + id + "/curves/" + url.PathEscape(m) + "?format=json"
				if err := s.getFile(p, pre+"curve "+q, q, owner); err != nil {
					return nil, err
				}
			}
			for _, q := range []string{"/data?format=las", "/data?format=csv", "/plot.svg"} {
				if err := s.getFile(p, pre+"log file "+id+q, "/api/v1/logs/"+id+q, owner); err != nil {
					return nil, err
				}
			}
		}
		jobs, err := s.listJSON(p, pre+"jobs", "/api/v1/jobs", owner, nil)
		if err != nil {
			return nil, err
		}
		for _, j := range jobs {
			id := j["id"].(string)
			if _, err := s.getJSON(p, pre+"job "+id, "/api/v1/jobs/"+id, owner); err != nil {
				return nil, err
			}
			res, _ := j["result"].(map[string]any)
			switch {
			case j["type"] == "decline-fit" && res["forecast_id"] != nil:
				fc := fmt.Sprint(res["forecast_id"])
				if _, err := s.getJSON(p, pre+"forecast "+fc, "/api/v1/forecasts/"+fc, owner); err != nil {
					return nil, err
				}
				if err := s.getFile(p, pre+"forecast plot "+fc, "/api/v1/forecasts/"+fc+"/plot.svg", owner); err != nil {
					return nil, err
				}
			case j["type"] == "tenant-export" && j["status"] == "succeeded":
				if err := s.getFile(p, pre+"export archive "+id, "/api/v1/tenants/"+plan.id+"/exports/"+id, owner); err != nil {
					return nil, err
				}
			}
		}
	}
	return s, nil
}

// normalize returns v as JSON with its times at millisecond precision: the precision every
// store keeps (MongoDB keeps milliseconds, SQLite nanoseconds), so that a platform moved from
// one to the other compares equal where nothing was lost.
func normalize(v any) string {
	var walk func(any) any
	walk = func(v any) any {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				x[k] = walk(e)
			}
		case []any:
			for i, e := range x {
				x[i] = walk(e)
			}
		case []map[string]any:
			for _, e := range x {
				walk(e)
			}
		case string:
			if t, err := time.Parse(time.RFC3339Nano, x); err == nil && strings.Contains(x, "T") {
				return t.UTC().Truncate(time.Millisecond).Format("2006-01-02T15:04:05.000Z07:00")
			}
		}
		return v
	}
	b, _ := json.Marshal(walk(v))
	return string(b)
}

// compare returns the items of before that differ in after, and those after lacks.
func compare(before, after *snapshot) (differ, missing []string) {
	for _, k := range slices.Sorted(maps.Keys(before.items)) {
		v, ok := after.items[k]
		switch {
		case !ok:
			missing = append(missing, k)
		case v != before.items[k]:
			differ = append(differ, k)
		}
	}
	return differ, missing
}

// originalsMatch exports each tenant of p (a tenant-export job) and compares the original LAS
// files in the archive with the files they were uploaded from; it returns how many matched.
func (d *drill) originalsMatch(p *platform) (int, error) {
	n := 0
	for _, plan := range tenants {
		t := d.loaded[plan.id]
		owner := t.tokens["owner"]
		j, err := callJSON(p, 202, "POST", "/api/v1/tenants/"+plan.id+"/export", owner, nil)
		if err != nil {
			return n, err
		}
		if _, err := waitJob(p, owner, j["id"].(string)); err != nil {
			return n, err
		}
		st, b, err := call(p, "GET", "/api/v1/tenants/"+plan.id+"/exports/"+j["id"].(string), owner, nil, "")
		if err != nil || st != 200 {
			return n, fmt.Errorf("download the export of %s: %d %v", plan.id, st, err)
		}
		z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			return n, fmt.Errorf("export of %s: %w", plan.id, err)
		}
		found := map[string]string{}
		for _, f := range z.File {
			rest, ok := strings.CutPrefix(f.Name, "files/logs/")
			if !ok || !strings.HasSuffix(rest, "/original.las") {
				continue
			}
			rc, err := f.Open()
			if err != nil {
				return n, err
			}
			body, err := io.ReadAll(rc)
			rc.Close()
			if err != nil {
				return n, fmt.Errorf("export of %s: %s: %w", plan.id, f.Name, err)
			}
			found[strings.TrimSuffix(rest, "/original.las")] = sha(body)
		}
		for id, want := range t.originals {
			if found[id] != want {
				return n, fmt.Errorf("tenant %s: the original of log %s in the export is not the file uploaded (SHA-256 %s, want %s)", plan.id, id, found[id], want)
			}
			n++
		}
	}
	return n, nil
}

// backupNote summarizes the JSON that wellbase backup printed.
func backupNote(out string) string {
	var v struct {
		Files   int     `json:"files"`
		Bytes   int64   `json:"bytes"`
		Seconds float64 `json:"seconds"`
	}
	json.Unmarshal([]byte(out), &v)
	return fmt.Sprintf("%d files, %.1f MB", v.Files, float64(v.Bytes)/1e6)
}

// restoreNote summarizes the JSON that wellbase restore printed.
func restoreNote(out string) string {
	var v struct {
		Tenants []struct {
			Objects int   `json:"objects"`
			Bytes   int64 `json:"bytes"`
		} `json:"tenants"`
		Rewrapped int `json:"rewrapped_data_keys"`
	}
	json.Unmarshal([]byte(out), &v)
	objects, bytes := 0, int64(0)
	for _, t := range v.Tenants {
		objects += t.Objects
		bytes += t.Bytes
	}
	return fmt.Sprintf("%d tenants, %d objects, %.1f MB, %d data keys rewrapped", len(v.Tenants), objects, float64(bytes)/1e6, v.Rewrapped)
}
