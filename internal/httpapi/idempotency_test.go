package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/httpapi"
	"github.com/wellbase/wellbase/internal/jobs"
	"github.com/wellbase/wellbase/internal/welllogs"
)

// idem returns the header of an idempotent request with key k.
func idem(k string) http.Header { return http.Header{"Idempotency-Key": {k}} }

// notIdempotentPosts are the POST routes that take no Idempotency-Key, each with the reason it
// was reviewed for. A POST route in neither this list nor the route table's idempotent routes
// fails TestIdempotentRoutes.
var notIdempotentPosts = map[string]string{
	"POST /api/v1/login":                    "a retry makes another session, which creates nothing users see; a kept answer would keep a live session token",
	"POST /api/v1/logout":                   "ending a session twice is ending it once",
	"POST /api/v1/tenants/{tenant}/suspend": "setting a state twice is setting it once",
	"POST /api/v1/tenants/{tenant}/resume":  "setting a state twice is setting it once",
	"POST /api/v1/jobs/{job}/cancel":        "cancelling twice is cancelling once",
	"POST /api/v1/las/check":                "stores nothing: a retry reads the file again and gets the same answer",
}

// TestIdempotentRoutes walks the route table: every POST route takes an Idempotency-Key or is a
// reviewed exception, only POST routes take one, and each that does refuses an invalid key with
// 400 before anything runs — which shows the middleware covers it.
func TestIdempotentRoutes(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	acme := h.onboard("acme")
	n := 0
	for _, rt := range h.api.Routes() {
		key := rt.Method + " " + rt.Path
		_, reviewed := notIdempotentPosts[key]
		switch {
		case rt.Idempotent() && rt.Method != "POST":
			t.Errorf("%s takes an Idempotency-Key but is not a POST", key)
		case rt.Idempotent() && reviewed:
			t.Errorf("%s takes an Idempotency-Key and is listed as not taking one", key)
		case rt.Method == "POST" && !rt.Idempotent() && !reviewed:
			t.Errorf("%s is a POST that takes no Idempotency-Key: mark it idempotent in route.go, or review it into notIdempotentPosts", key)
		}
		if !rt.Idempotent() {
			continue
		}
		n++
		tok := acme
		if rt.Access == httpapi.Operator {
			tok = h.op
		}
		path := strings.ReplaceAll(rt.Path, "{tenant}", "acme")
		r := h.doWith(rt.Method, path, tok, sampleBodies[rt.Request], idem(strings.Repeat("k", 256)))
		if r.status != 400 || r.json()["field"] != "Idempotency-Key" {
			t.Errorf("%s with a 256-character Idempotency-Key: %d %s, want 400 on field Idempotency-Key", key, r.status, r.body)
		}
	}
	if n < 9 {
		t.Errorf("only %d routes take an Idempotency-Key; the issue lists tenants, exports, users, tokens, wells, logs, production imports, jobs", n)
	}
	for k := range notIdempotentPosts {
		found := false
		for _, rt := range h.api.Routes() {
			found = found || rt.Method+" "+rt.Path == k
		}
		if !found {
			t.Errorf("notIdempotentPosts lists %s, which is not a route", k)
		}
	}
	// A route that takes none ignores the header, valid or not.
	h.must(401, "POST", "/api/v1/login", "", map[string]any{"tenant": "acme", "email": "nobody@acme.example", "password": "wrong password 123"})
	if r := h.doWith("POST", "/api/v1/login", "", map[string]any{"tenant": "acme", "email": "nobody@acme.example", "password": "wrong password 123"},
		idem(strings.Repeat("k", 300))); r.status != 401 {
		t.Errorf("login with an invalid Idempotency-Key: %d, want 401 as without it: %s", r.status, r.body)
	}
}

// count returns how many items of the list at path have field equal to value.
func (h *harness) count(token, path, field, value string) int {
	h.tb.Helper()
	n := 0
	for _, it := range h.must(200, "GET", path+"?limit=500", token, nil).json()["items"].([]any) {
		if fmt.Sprint(it.(map[string]any)[field]) == value {
			n++
		}
	}
	return n
}

// mustReplay checks that r is the replay of first: same status and body, Idempotent-Replayed.
func mustReplay(t *testing.T, what string, first, r response) {
	t.Helper()
	if r.status != first.status || !bytes.Equal(r.body, first.body) {
		t.Errorf("%s: retry answered %d %s, want the first answer %d %s", what, r.status, r.body, first.status, first.body)
	}
	if r.header.Get("Idempotent-Replayed") != "true" {
		t.Errorf("%s: the replayed answer lacks Idempotent-Replayed: true (headers %v)", what, r.header)
	}
	if first.header.Get("Idempotent-Replayed") != "" {
		t.Errorf("%s: the first answer says Idempotent-Replayed", what)
	}
	if ct := r.header.Get("Content-Type"); ct != first.header.Get("Content-Type") {
		t.Errorf("%s: replayed Content-Type %q, first %q", what, ct, first.header.Get("Content-Type"))
	}
}

// mustProblem checks that r is the problem status/code naming the Idempotency-Key header.
func mustProblem(t *testing.T, what string, r response, status int, code string) {
	t.Helper()
	p := r.json()
	if r.status != status || p["code"] != code || p["field"] != "Idempotency-Key" {
		t.Errorf("%s: %d %s, want %d %s on field Idempotency-Key", what, r.status, r.body, status, code)
	}
}

// TestIdempotentWrites: for each kind of creating request, a retry with the same key and the same
// request replays the first answer and creates nothing; the same key with another request is
// 409 idempotency_key_reused; keys are per tenant; without the header nothing changes.
func TestIdempotentWrites(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	acme, globex := h.onboard("acme"), h.onboard("globex")

	t.Run("Well", func(t *testing.T) {
		body := map[string]any{"name": "IDEM-W-1", "uwi": "IDEM-UWI-1"}
		first := h.doWith("POST", "/api/v1/wells", acme, body, idem("k-well"))
		if first.status != 201 {
			t.Fatalf("create well: %d %s", first.status, first.body)
		}
		mustReplay(t, "well", first, h.doWith("POST", "/api/v1/wells", acme, body, idem("k-well")))
		if n := h.count(acme, "/api/v1/wells", "name", "IDEM-W-1"); n != 1 {
			t.Errorf("%d wells after a retry, want 1", n)
		}
		mustProblem(t, "same key, other body", h.doWith("POST", "/api/v1/wells", acme, map[string]any{"name": "IDEM-W-2"}, idem("k-well")), 409, "idempotency_key_reused")
		mustProblem(t, "same key and body, other query", h.doWith("POST", "/api/v1/wells?x=1", acme, body, idem("k-well")), 409, "idempotency_key_reused")
		mustProblem(t, "same key and body, other route", h.doWith("POST", "/api/v1/jobs", acme, body, idem("k-well")), 409, "idempotency_key_reused")
		if n := h.count(acme, "/api/v1/wells", "name", "IDEM-W-2"); n != 0 {
			t.Errorf("the reused key created %d wells", n)
		}
		// Keys are per tenant: globex's k-well is its own.
		other := h.doWith("POST", "/api/v1/wells", globex, body, idem("k-well"))
		if other.status != 201 || other.header.Get("Idempotent-Replayed") != "" || other.str("id") == first.str("id") {
			t.Errorf("globex with acme's key: %d %s (replayed %q), want its own new well", other.status, other.body, other.header.Get("Idempotent-Replayed"))
		}
		// Without the header, each request creates.
		h.must(201, "POST", "/api/v1/wells", acme, map[string]any{"name": "IDEM-W-3"})
		h.must(201, "POST", "/api/v1/wells", acme, map[string]any{"name": "IDEM-W-3"})
		if n := h.count(acme, "/api/v1/wells", "name", "IDEM-W-3"); n != 2 {
			t.Errorf("%d wells after two requests without a key, want 2", n)
		}
	})
	t.Run("Tenant", func(t *testing.T) {
		body := map[string]any{"id": "initech", "name": "Initech", "tier": "basic", "admin_email": "admin@initech.example"}
		first := h.doWith("POST", "/api/v1/tenants", h.op, body, idem("k-tenant"))
		if first.status != 201 || first.str("admin_token") == "" {
			t.Fatalf("onboard: %d %s", first.status, first.body)
		}
		mustReplay(t, "onboarding", first, h.doWith("POST", "/api/v1/tenants", h.op, body, idem("k-tenant")))
		// The operator's keys are not a tenant's: acme's k-well is not the operator's.
		if r := h.doWith("POST", "/api/v1/tenants", h.op, map[string]any{"id": "hooli", "name": "Hooli", "admin_email": "a@hooli.example"}, idem("k-well")); r.status != 201 {
			t.Errorf("operator with a key a tenant used: %d %s", r.status, r.body)
		}
	})
	t.Run("TokenAnswerSealed", func(t *testing.T) {
		first := h.doWith("POST", "/api/v1/tokens", acme, map[string]any{"name": "ci"}, idem("k-token"))
		secret := first.str("token")
		if first.status != 201 || secret == "" {
			t.Fatalf("create token: %d %s", first.status, first.body)
		}
		mustReplay(t, "token", first, h.doWith("POST", "/api/v1/tokens", acme, map[string]any{"name": "ci"}, idem("k-token")))
		if n := h.count(acme, "/api/v1/tokens", "name", "ci"); n != 1 {
			t.Errorf("%d tokens named ci after a retry, want 1", n)
		}
		// The kept answer is sealed: the database holds neither the token nor the answer's text.
		at := time.Now()
		held, err := h.store.ClaimIdempotencyKey(t.Context(), &wellbase.IdempotencyRecord{Scope: "acme", Key: "k-token", Owner: "probe",
			CreatedAt: at, LeaseUntil: at.Add(time.Minute), ExpiresAt: at.Add(time.Hour)}, at)
		if err != nil || held == nil || held.State != wellbase.IdempotencyDone || held.Status != 201 {
			t.Fatalf("record of k-token: %+v, %v", held, err)
		}
		if bytes.Contains(held.Body, []byte(secret)) || bytes.Contains(held.Body, []byte(`"name"`)) || len(held.Body) < len(first.body) {
			t.Errorf("the kept answer is not sealed: %q", held.Body)
		}
		if strings.Contains(held.Fingerprint, "ci") || len(held.Fingerprint) != 64 {
			t.Errorf("fingerprint %q is not a keyed hash", held.Fingerprint)
		}
		// Another credential of the tenant with the same key and body is another request: it
		// may not read the first's answer (here: a token shown once).
		mustProblem(t, "another credential, same key", h.doWith("POST", "/api/v1/tokens", secret, map[string]any{"name": "ci"}, idem("k-token")), 409, "idempotency_key_reused")
	})
	t.Run("User", func(t *testing.T) {
		body := map[string]any{"email": "eng@acme.example", "role": "engineer", "password": "idempotent password 1"}
		first := h.doWith("POST", "/api/v1/users", acme, body, idem("k-user"))
		if first.status != 201 {
			t.Fatalf("create user: %d %s", first.status, first.body)
		}
		mustReplay(t, "user", first, h.doWith("POST", "/api/v1/users", acme, body, idem("k-user")))
	})
	t.Run("Job", func(t *testing.T) {
		body := map[string]any{"type": "noop", "params": map[string]any{"n": 1}}
		first := h.doWith("POST", "/api/v1/jobs", acme, body, idem("k-job"))
		if first.status != 202 {
			t.Fatalf("queue job: %d %s", first.status, first.body)
		}
		mustReplay(t, "job", first, h.doWith("POST", "/api/v1/jobs", acme, body, idem("k-job")))
		mustProblem(t, "job, other params", h.doWith("POST", "/api/v1/jobs", acme, map[string]any{"type": "noop", "params": map[string]any{"n": 2}}, idem("k-job")), 409, "idempotency_key_reused")
		if n := h.count(acme, "/api/v1/jobs", "type", "noop"); n != 1 {
			t.Errorf("%d jobs, want 1", n)
		}
	})
	t.Run("Production", func(t *testing.T) {
		csv := []byte("date,well,oil[Sm3],gas[Sm3],water[Sm3]\n2020-01-01,IDEM-P-1,10,1000,1\n")
		first := h.doWith("POST", "/api/v1/production?format=csv", acme, csv, idem("k-prod"))
		if first.status != 201 {
			t.Fatalf("import: %d %s", first.status, first.body)
		}
		mustReplay(t, "production", first, h.doWith("POST", "/api/v1/production?format=csv", acme, csv, idem("k-prod")))
	})
	t.Run("ExportAndRotateKey", func(t *testing.T) {
		first := h.doWith("POST", "/api/v1/tenants/acme/export", acme, nil, idem("k-export"))
		if first.status != 202 {
			t.Fatalf("export: %d %s", first.status, first.body)
		}
		mustReplay(t, "export", first, h.doWith("POST", "/api/v1/tenants/acme/export", acme, nil, idem("k-export")))
		rot := h.doWith("POST", "/api/v1/tenants/globex/rotate-key", h.op, nil, idem("k-rotate"))
		if rot.status != 202 {
			t.Fatalf("rotate: %d %s", rot.status, rot.body)
		}
		mustReplay(t, "rotate-key", rot, h.doWith("POST", "/api/v1/tenants/globex/rotate-key", h.op, nil, idem("k-rotate")))
		if keys, err := h.store.Tenant("globex").DataKeys(t.Context()); err != nil || len(keys) != 2 {
			t.Errorf("globex has %d data key versions after a rotation and its retry (%v), want 2", len(keys), err)
		}
	})
	t.Run("ValidationErrorKept", func(t *testing.T) {
		// A 422 is the answer a retry gets again: kept and replayed.
		first := h.doWith("POST", "/api/v1/wells", acme, map[string]any{"name": ""}, idem("k-invalid"))
		if first.status != 422 {
			t.Fatalf("invalid well: %d %s", first.status, first.body)
		}
		mustReplay(t, "422", first, h.doWith("POST", "/api/v1/wells", acme, map[string]any{"name": ""}, idem("k-invalid")))
	})
}

// TestIdempotencyKeyInvalid: a key must be 1-255 printable ASCII characters, sent once.
func TestIdempotencyKeyInvalid(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	acme := h.onboard("acme")
	body := map[string]any{"name": "KEYS-1"}
	for name, hdr := range map[string]http.Header{
		"Empty":     {"Idempotency-Key": {""}},
		"TooLong":   idem(strings.Repeat("a", 256)),
		"NotASCII":  idem("clé-1"),
		"TwoValues": {"Idempotency-Key": {"a", "b"}},
	} {
		mustProblem(t, name, h.doWith("POST", "/api/v1/wells", acme, body, hdr), 400, "bad_request")
	}
	if n := h.count(acme, "/api/v1/wells", "name", "KEYS-1"); n != 0 {
		t.Errorf("refused keys created %d wells", n)
	}
	long := strings.Repeat("~", 255)
	first := h.doWith("POST", "/api/v1/wells", acme, body, idem(long))
	if first.status != 201 {
		t.Fatalf("255-character key: %d %s", first.status, first.body)
	}
	mustReplay(t, "255-character key", first, h.doWith("POST", "/api/v1/wells", acme, body, idem(long)))
}

// TestIdempotentUpload: a log upload retried with its key — raw, or multipart with a new
// boundary as a browser's FormData picks — replays the first answer; another file with that key
// is 409 and stores nothing.
func TestIdempotentUpload(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	acme := h.onboard("acme")
	las := []byte(smallLAS("IDEM-LOG-WELL", "IDEM-LOG-UWI"))
	first := h.doWith("POST", "/api/v1/logs?name=a.las", acme, las, idem("k-log"))
	if first.status != 201 {
		t.Fatalf("upload: %d %s", first.status, first.body)
	}
	mustReplay(t, "raw upload", first, h.doWith("POST", "/api/v1/logs?name=a.las", acme, las, idem("k-log")))
	mustProblem(t, "another file", h.doWith("POST", "/api/v1/logs?name=a.las", acme, []byte(smallLAS("OTHER", "OTHER-UWI")), idem("k-log")), 409, "idempotency_key_reused")

	multi := func(boundary string) response {
		var b bytes.Buffer
		mw := multipart.NewWriter(&b)
		if err := mw.SetBoundary(boundary); err != nil {
			t.Fatal(err)
		}
		fw, _ := mw.CreateFormFile("file", "form.las")
		fw.Write(las)
		mw.Close()
		return h.doWith("POST", "/api/v1/logs", acme, b.Bytes(), http.Header{"Idempotency-Key": {"k-form"}, "Content-Type": {mw.FormDataContentType()}})
	}
	form := multi("----boundary-of-the-first-attempt-1234")
	if form.status != 201 {
		t.Fatalf("multipart upload: %d %s", form.status, form.body)
	}
	mustReplay(t, "multipart upload with a new boundary", form, multi("----another-boundary-of-a-retry-98765"))
	if n := len(h.must(200, "GET", "/api/v1/logs", acme, nil).json()["items"].([]any)); n != 2 {
		t.Errorf("%d logs after two uploads and their retries, want 2", n)
	}
}

// TestIdempotencyInProgress: while a request runs (an upload whose body arrives slowly), a
// retry with its key is 409 idempotency_in_progress with Retry-After; once it is done, the retry
// gets its answer.
func TestIdempotencyInProgress(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	acme := h.onboard("acme")
	las := []byte(smallLAS("SLOW-WELL", "SLOW-UWI"))
	// slow starts an upload with key whose body stops after 40 bytes until the returned write
	// function sends the rest; its answer comes on the channel.
	slow := func(key string) (func(), <-chan response) {
		pr, pw := io.Pipe()
		req, _ := http.NewRequest("POST", h.srv.URL+"/api/v1/logs?name=slow.las", pr)
		req.Header.Set("Authorization", "Bearer "+acme)
		req.Header.Set("Idempotency-Key", key)
		req.ContentLength = int64(len(las))
		answered := make(chan response, 1)
		go func() {
			defer close(answered)
			res, err := h.srv.Client().Do(req)
			if err != nil {
				t.Errorf("slow upload: %v", err)
				return
			}
			defer res.Body.Close()
			b, _ := io.ReadAll(res.Body)
			answered <- response{res.StatusCode, res.Header, b}
		}()
		pw.Write(las[:40])
		return func() { pw.Write(las[40:]); pw.Close() }, answered
	}
	// The retry may reach the server before the slow upload's claim (both are in flight): it
	// then runs first, and the test starts over with another key.
	for attempt := 1; ; attempt++ {
		key := fmt.Sprintf("k-slow-%d", attempt)
		finish, answered := slow(key)
		var busy response
		for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
			busy = h.doWith("POST", "/api/v1/logs?name=slow.las", acme, las, idem(key))
			if busy.status == 409 || busy.status == 201 || time.Now().After(deadline) {
				break
			}
		}
		if busy.status == 201 && attempt < 5 {
			finish()
			<-answered
			continue
		}
		mustProblem(t, "retry while the first runs", busy, 409, "idempotency_in_progress")
		if ra, err := strconv.Atoi(busy.header.Get("Retry-After")); err != nil || ra < 1 || ra > 5 {
			t.Errorf("Retry-After %q, want 1 to 5 seconds", busy.header.Get("Retry-After"))
		}
		finish()
		first, ok := <-answered
		if !ok || first.status != 201 {
			t.Fatalf("the slow upload answered %d %s", first.status, first.body)
		}
		mustReplay(t, "retry after the first finished", first, h.doWith("POST", "/api/v1/logs?name=slow.las", acme, las, idem(key)))
		return
	}
}

// TestIdempotencyDeadReplica: a replica killed mid-request leaves its claim in the database; a
// retry is 409 idempotency_in_progress until the claim's lease lapses, then runs the request
// (nothing was acknowledged) — once.
func TestIdempotencyDeadReplica(t *testing.T) {
	t.Parallel()
	var skew atomic.Int64
	h := newHarnessClock(t, func() time.Time { return time.Now().Add(time.Duration(skew.Load())) })
	acme := h.onboard("acme")
	now := time.Now()
	// What the killed replica left: its claim, never renewed again.
	if held, err := h.store.ClaimIdempotencyKey(t.Context(), &wellbase.IdempotencyRecord{Scope: "acme", Key: "k-dead", Owner: "idm_killed",
		CreatedAt: now, LeaseUntil: now.Add(httpapi.DefaultIdempotencyLease), ExpiresAt: now.Add(wellbase.IdempotencyTTL)}, now); err != nil || held != nil {
		t.Fatalf("claim: %v %v", held, err)
	}
	body := map[string]any{"name": "AFTER-DEATH"}
	r := h.doWith("POST", "/api/v1/wells", acme, body, idem("k-dead"))
	mustProblem(t, "retry under the dead claim", r, 409, "idempotency_in_progress")
	if r.header.Get("Retry-After") != "5" {
		t.Errorf("Retry-After %q under a claim with 30 s left, want 5", r.header.Get("Retry-After"))
	}
	skew.Store(int64(httpapi.DefaultIdempotencyLease + time.Second))
	first := h.doWith("POST", "/api/v1/wells", acme, body, idem("k-dead"))
	if first.status != 201 || first.header.Get("Idempotent-Replayed") != "" {
		t.Fatalf("retry after the lease lapsed: %d %s, want the request run", first.status, first.body)
	}
	mustReplay(t, "retry after the run", first, h.doWith("POST", "/api/v1/wells", acme, body, idem("k-dead")))
	if n := h.count(acme, "/api/v1/wells", "name", "AFTER-DEATH"); n != 1 {
		t.Errorf("%d wells, want 1", n)
	}
}

// TestIdempotencyDeadReplicaCommitted: a replica killed after it stored what a request made but
// before it answered (or kept the answer) leaves that record and its claim; the retry after the
// claim lapses runs the request again under the dead claim's ID seed, finds the record by its
// ID and answers with it: one well, one log, one job, not two.
func TestIdempotencyDeadReplicaCommitted(t *testing.T) {
	t.Parallel()
	var skew atomic.Int64
	h := newHarnessClock(t, func() time.Time { return time.Now().Add(time.Duration(skew.Load())) })
	acme := h.onboard("acme")
	ts := h.store.Tenant("acme")
	las := []byte(smallLAS("DEAD-LOG-WELL", "DEAD-LOG-UWI"))
	type request struct {
		key, path string
		body      any
		make      func(ctx context.Context) (string, error) // what the killed replica stored
		want      int
	}
	reqs := []request{
		{"k-well", "/api/v1/wells", map[string]any{"name": "MADE-BEFORE-DEATH"}, func(ctx context.Context) (string, error) {
			at := time.Now()
			w := &wellbase.Well{ID: wellbase.NewIDContext(ctx, "wel"), Name: "MADE-BEFORE-DEATH", CreatedAt: at, UpdatedAt: at}
			return w.ID, ts.CreateWell(ctx, w)
		}, 201},
		{"k-log", "/api/v1/logs?name=dead.las", las, func(ctx context.Context) (string, error) {
			l, err := h.logs.Ingest(ctx, "acme", welllogs.Upload{FileName: "dead.las", Body: bytes.NewReader(las)})
			if err != nil {
				return "", err
			}
			return l.ID, nil
		}, 201},
		{"k-job", "/api/v1/jobs", map[string]any{"type": "noop", "params": map[string]any{"n": 1}}, func(ctx context.Context) (string, error) {
			j, err := (&jobs.Queue{Store: h.store}).Enqueue(ctx, "acme", "noop", json.RawMessage(`{"n":1}`), "user:x")
			if err != nil {
				return "", err
			}
			return j.ID, nil
		}, 202},
	}
	now := time.Now()
	made := map[string]string{}
	for _, rq := range reqs {
		dead := &wellbase.IdempotencyRecord{Scope: "acme", Key: rq.key, Owner: "idm_killed", CreatedAt: now,
			LeaseUntil: now.Add(httpapi.DefaultIdempotencyLease), ExpiresAt: now.Add(wellbase.IdempotencyTTL), Seed: wellbase.NewID("ids")}
		if held, err := h.store.ClaimIdempotencyKey(t.Context(), dead, now); err != nil || held != nil {
			t.Fatalf("claim: %v %v", held, err)
		}
		id, err := rq.make(wellbase.WithIDSeed(t.Context(), dead.Seed))
		if err != nil {
			t.Fatalf("%s: what the killed replica stored: %v", rq.key, err)
		}
		made[rq.key] = id
	}
	skew.Store(int64(httpapi.DefaultIdempotencyLease + time.Second))
	for _, rq := range reqs {
		r := h.doWith("POST", rq.path, acme, rq.body, idem(rq.key))
		if r.status != rq.want || r.str("id") != made[rq.key] {
			t.Errorf("%s: retry after the dead claim lapsed answered %d %s, want %d with what the dead run made, %s", rq.key, r.status, r.body, rq.want, made[rq.key])
		}
		mustReplay(t, rq.key+": retry after the run", r, h.doWith("POST", rq.path, acme, rq.body, idem(rq.key)))
	}
	for _, c := range []struct{ path, field, value string }{{"/api/v1/wells", "name", "MADE-BEFORE-DEATH"}, {"/api/v1/logs", "file_name", "dead.las"},
		{"/api/v1/jobs", "type", "noop"}} {
		if n := h.count(acme, c.path, c.field, c.value); n != 1 {
			t.Errorf("%d records with %s %s, want 1", n, c.field, c.value)
		}
	}
	// The same key for another request after the death is refused, not answered with the record.
	now = time.Now().Add(time.Duration(skew.Load()))
	dead := &wellbase.IdempotencyRecord{Scope: "acme", Key: "k-other", Owner: "idm_killed", CreatedAt: now,
		LeaseUntil: now.Add(httpapi.DefaultIdempotencyLease), ExpiresAt: now.Add(wellbase.IdempotencyTTL), Seed: wellbase.NewID("ids")}
	if held, err := h.store.ClaimIdempotencyKey(t.Context(), dead, now); err != nil || held != nil {
		t.Fatalf("claim: %v %v", held, err)
	}
	at := time.Now()
	if err := ts.CreateWell(t.Context(), &wellbase.Well{ID: wellbase.NewIDContext(wellbase.WithIDSeed(t.Context(), dead.Seed), "wel"),
		Name: "FIRST", CreatedAt: at, UpdatedAt: at}); err != nil {
		t.Fatal(err)
	}
	skew.Store(2 * int64(httpapi.DefaultIdempotencyLease+time.Second))
	mustProblem(t, "another well under a dead claim's key", h.doWith("POST", "/api/v1/wells", acme, map[string]any{"name": "SECOND"}, idem("k-other")),
		409, "idempotency_key_reused")
}

// TestIdempotencyNotKept: answers a retry would not get again are not kept — a 500, a 429 —
// and neither is a request whose body was cut off: the key is released and a retry runs.
func TestIdempotencyNotKept(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	h := newHarnessWith(t, harnessOptions{jobTypes: map[string]httpapi.JobType{"flaky": {
		Validate: func(ctx context.Context, ts wellbase.TenantStore, params json.RawMessage) error {
			if calls.Add(1) == 1 {
				return errors.New("the database hiccuped")
			}
			return nil
		}}}})
	acme := h.onboard("acme")

	t.Run("500", func(t *testing.T) {
		body := map[string]any{"type": "flaky"}
		if r := h.doWith("POST", "/api/v1/jobs", acme, body, idem("k-500")); r.status != 500 {
			t.Fatalf("first attempt: %d %s, want 500", r.status, r.body)
		}
		r := h.doWith("POST", "/api/v1/jobs", acme, body, idem("k-500"))
		if r.status != 202 || r.header.Get("Idempotent-Replayed") != "" {
			t.Errorf("retry after a 500: %d %s (replayed %q), want the request run again", r.status, r.body, r.header.Get("Idempotent-Replayed"))
		}
	})
	t.Run("429", func(t *testing.T) {
		las := []byte(smallLAS("LIMITED", "LIMITED-UWI"))
		h.must(200, "PATCH", "/api/v1/tenants/acme", h.op, map[string]any{"limits": map[string]any{"storage_bytes": 10}})
		if r := h.doWith("POST", "/api/v1/logs", acme, las, idem("k-429")); r.status != 429 {
			t.Fatalf("upload over the storage limit: %d %s, want 429", r.status, r.body)
		}
		h.must(200, "PATCH", "/api/v1/tenants/acme", h.op, map[string]any{"limits": map[string]any{"storage_bytes": 1 << 30}})
		if r := h.doWith("POST", "/api/v1/logs", acme, las, idem("k-429")); r.status != 201 {
			t.Errorf("retry once the limit was raised: %d %s, want 201", r.status, r.body)
		}
	})
	t.Run("BodyCutOff", func(t *testing.T) {
		c, err := net.Dial("tcp", strings.TrimPrefix(h.srv.URL, "http://"))
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(c, "POST /api/v1/wells HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nIdempotency-Key: k-cut\r\nContent-Length: 100\r\n\r\n{\"name\":", acme)
		time.Sleep(100 * time.Millisecond)
		c.Close()
		body := map[string]any{"name": "CUT-OFF"}
		var r response
		for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
			if r = h.doWith("POST", "/api/v1/wells", acme, body, idem("k-cut")); r.status != 409 || time.Now().After(deadline) {
				break
			}
		}
		if r.status != 201 || r.header.Get("Idempotent-Replayed") != "" {
			t.Errorf("retry of a request whose body was cut off: %d %s, want it run", r.status, r.body)
		}
	})
}

// BenchmarkIdempotency measures what an Idempotency-Key costs: a well created without a key,
// with a new key (claim, then the kept answer), and a retry answered from the record; and the
// Volve LAS upload (real data) without and with a key (the body hashed as it streams).
func BenchmarkIdempotency(b *testing.B) {
	h := newHarness(b)
	acme := h.onboard("acme")
	body := map[string]any{"name": "BENCH-WELL", "uwi": "BENCH-UWI"}
	b.Run("Well/NoKey", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			h.must(201, "POST", "/api/v1/wells", acme, body)
		}
	})
	b.Run("Well/NewKey", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			i++
			h.mustWith(201, "POST", "/api/v1/wells", acme, body, idem(fmt.Sprintf("bench-%d", i)))
		}
	})
	b.Run("Well/Replay", func(b *testing.B) {
		h.mustWith(201, "POST", "/api/v1/wells", acme, body, idem("bench-replay"))
		b.ReportAllocs()
		for b.Loop() {
			h.mustWith(201, "POST", "/api/v1/wells", acme, body, idem("bench-replay"))
		}
	})
	raw, err := os.ReadFile(volvePath)
	if err != nil {
		b.Logf("the real-data folder ../shared/data is absent here (%v): no upload figures", err)
		return
	}
	h.must(200, "PATCH", "/api/v1/tenants/acme", h.op, map[string]any{"limits": map[string]any{"storage_bytes": 1 << 40}})
	b.Run("VolveUpload/NoKey", func(b *testing.B) {
		b.SetBytes(int64(len(raw)))
		b.ReportAllocs()
		for b.Loop() {
			h.must(201, "POST", "/api/v1/logs", acme, raw)
		}
	})
	b.Run("VolveUpload/NewKey", func(b *testing.B) {
		b.SetBytes(int64(len(raw)))
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			i++
			h.mustWith(201, "POST", "/api/v1/logs", acme, raw, idem(fmt.Sprintf("bench-up-%d", i)))
		}
	})
	b.Run("VolveUpload/Replay", func(b *testing.B) {
		h.mustWith(201, "POST", "/api/v1/logs", acme, raw, idem("bench-up-replay"))
		b.SetBytes(int64(len(raw)))
		b.ReportAllocs()
		for b.Loop() {
			h.mustWith(201, "POST", "/api/v1/logs", acme, raw, idem("bench-up-replay"))
		}
	})
}
