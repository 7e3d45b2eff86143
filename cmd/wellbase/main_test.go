package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wellbase/wellbase/internal/testlog"
)

// TestEndToEnd starts the real server on :0 with a temp data dir and walks the flow a new
// customer goes through: operator → onboarding → admin → user → login → token → well → audit,
// then suspension and a graceful shutdown.
func TestEndToEnd(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	var logs testlog.Buffer
	m := &Main{Config: Config{DataDir: dir, Addr: "127.0.0.1:0", LogLevel: "info"},
		Logger: slog.New(slog.NewJSONHandler(&logs, nil))}
	if err := m.Open(ctx); err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- m.Serve() }()
	base := "http://" + m.Addr()

	fi, err := os.Stat(filepath.Join(dir, "root.key"))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("root key: %v %v, want mode 0600", fi, err)
	}

	// operator create works while serve runs on the same data dir, and prints only the token.
	var stdout, stderr bytes.Buffer
	if err := run(ctx, []string{"operator", "create", "--data-dir", dir, "--email", "ops@example.com"}, &stdout, &stderr); err != nil {
		t.Fatalf("operator create: %v: %s", err, stderr.String())
	}
	op := strings.TrimSpace(stdout.String())
	if strings.Count(op, "\n") != 0 || !strings.HasPrefix(op, "wbo_") {
		t.Fatalf("operator create printed %q", stdout.String())
	}

	call := func(want int, method, path, token string, body any) map[string]any {
		t.Helper()
		var rd io.Reader
		if body != nil {
			b, _ := json.Marshal(body)
			rd = bytes.NewReader(b)
		}
		req, _ := http.NewRequest(method, base+path, rd)
		req.Header.Set("Content-Type", "application/json")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		if res.StatusCode != want {
			t.Fatalf("%s %s: status %d, want %d: %s", method, path, res.StatusCode, want, b)
		}
		var v map[string]any
		json.Unmarshal(b, &v)
		return v
	}

	onboarded := call(201, "POST", "/api/v1/tenants", op, map[string]any{"id": "acme", "name": "Acme Oil", "tier": "standard", "admin_email": "a@acme.example"})
	if onboarded["tenant"].(map[string]any)["status"] != "active" {
		t.Fatalf("onboarded %v", onboarded)
	}
	steps := onboarded["onboarding"].(map[string]any)["steps"].([]any)
	if len(steps) != 6 {
		t.Fatalf("onboarding steps %v", steps)
	}
	admin := onboarded["admin_token"].(string)
	call(201, "POST", "/api/v1/users", admin, map[string]any{"email": "eng@acme.example", "role": "engineer", "password": "correct horse battery staple"})
	session := call(200, "POST", "/api/v1/login", "", map[string]any{"tenant": "acme", "email": "eng@acme.example", "password": "correct horse battery staple"})["token"].(string)
	token := call(201, "POST", "/api/v1/tokens", session, map[string]any{"name": "scripts"})["token"].(string)
	well := call(201, "POST", "/api/v1/wells", token, map[string]any{"name": "15/9-F-14", "uwi": "NO 15/9-F-14", "field": "VOLVE", "latitude": 58.44, "longitude": 1.89})
	got := call(200, "GET", "/api/v1/wells/"+well["id"].(string), session, nil)
	if got["name"] != "15/9-F-14" || got["latitude"] != 58.44 {
		t.Errorf("well read back %v", got)
	}
	if me := call(200, "GET", "/api/v1/me", token, nil); me["role"] != "engineer" {
		t.Errorf("me %v", me)
	}
	audit := call(200, "GET", "/api/v1/audit", admin, nil)["items"].([]any)
	if a := audit[0].(map[string]any); a["action"] != "well.create" || a["target"] != well["id"] {
		t.Errorf("newest audit event %v", a)
	}
	call(200, "POST", "/api/v1/tenants/acme/suspend", op, nil)
	call(403, "GET", "/api/v1/wells", token, nil)

	// Shutdown: in-flight requests finish, then Serve returns.
	sctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := m.Close(sctx); err != nil {
		t.Fatalf("close: %v", err)
	}
	if err := <-served; err != nil {
		t.Fatalf("serve: %v", err)
	}
	// Logs are JSON with the request fields and never carry a token.
	out := logs.String()
	for _, secret := range []string{op, admin, session, token, "correct horse battery staple"} {
		if strings.Contains(out, secret) {
			t.Fatalf("a secret appears in the logs")
		}
	}
	var line map[string]any
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, `"route":"/api/v1/wells"`) && strings.Contains(l, `"tenant":"acme"`) {
			json.Unmarshal([]byte(l), &line)
			break
		}
	}
	for _, k := range []string{"request_id", "tenant", "route", "status", "duration_ms"} {
		if _, ok := line[k]; !ok {
			t.Errorf("request log line lacks %q: %v", k, line)
		}
	}
}

func TestConfigRefusesSecrets(t *testing.T) {
	t.Parallel()
	for _, c := range []Config{
		{DataDir: t.TempDir(), Database: "mongodb://user:hunter2@db.example/wellbase"},
		{DataDir: t.TempDir(), Files: "s3://bucket?secret_key=abc"},
		{DataDir: t.TempDir(), Secrets: "awsparamstore:///wellbase/qa?region=us-east-1&endpoint=http://u:hunter2@127.0.0.1:1"},
		{DataDir: t.TempDir(), Database: "mongodb://db.example/wellbase?authMechanism=MONGODB-AWS&authMechanismProperties=AWS_SESSION_TOKEN:hunter2"},
		{DataDir: t.TempDir(), Files: "s3://bucket?region=x&aws_session_token=hunter2"},
	} {
		err := c.Resolve()
		if err == nil || strings.Contains(err.Error(), "hunter2") || !strings.Contains(err.Error(), "WELLBASE_") {
			t.Errorf("resolve(%+v) = %v, want a refusal that does not repeat the secret", c, err)
		}
	}
	c := Config{DataDir: "rel/dir"}
	if err := c.Resolve(); err != nil || !strings.HasPrefix(c.Database, "sqlite:///") || !strings.HasPrefix(c.Files, "file:///") || c.RootKey != "base64key://" {
		t.Errorf("defaults: %+v %v", c, err)
	}
}

func TestCommandErrors(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, args := range [][]string{{}, {"nope"}, {"operator"}, {"operator", "create", "--data-dir", t.TempDir()},
		{"operator", "create", "--data-dir", t.TempDir(), "--email", "not-an-email"}} {
		var out, errOut bytes.Buffer
		if err := run(ctx, args, &out, &errOut); err == nil {
			t.Errorf("wellbase %v: no error", args)
		}
		if out.Len() != 0 {
			t.Errorf("wellbase %v printed %q on stdout", args, out.String())
		}
	}
}
