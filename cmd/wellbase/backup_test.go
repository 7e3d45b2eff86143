package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// serveDataDir runs serve on dir (embedded defaults) on a free port until the test ends.
func serveDataDir(t *testing.T, dir string) (*Main, client) {
	t.Helper()
	m := &Main{Config: Config{DataDir: dir, Addr: "127.0.0.1:0"}, Logger: slog.New(slog.DiscardHandler)}
	if err := m.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- m.Serve() }()
	stopped := false
	stop := func() {
		if !stopped {
			stopped = true
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			m.Close(ctx)
			<-served
		}
	}
	t.Cleanup(stop)
	return m, client{t: t, base: "http://" + m.Addr()}
}

// TestBackupRestoreCommands: `wellbase backup` while serve runs, then `wellbase restore` into a
// new data dir with the old root key given by --from-root-key; the server on the restored data
// dir answers the old token with the same wells, curves and LAS export.
func TestBackupRestoreCommands(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	base := t.TempDir()
	old := filepath.Join(base, "old")
	m, c := serveDataDir(t, old)
	var stdout, stderr bytes.Buffer
	if err := run(ctx, []string{"operator", "create", "--data-dir", old, "--email", "ops@example.com"}, &stdout, &stderr); err != nil {
		t.Fatalf("operator create: %v: %s", err, stderr.String())
	}
	op := strings.TrimSpace(stdout.String())
	tok := c.json(201, "POST", "/api/v1/tenants", op, map[string]any{"id": "acme", "name": "Acme", "admin_email": "a@acme.example"})["admin_token"].(string)
	las := []byte("~Version\n VERS. 2.0 :\n WRAP. NO :\n~Well\n STRT.M 100 :\n STOP.M 101 :\n STEP.M 0.5 :\n NULL. -999.25 :\n WELL. B-1 :\n" +
		"~Curve\n DEPT.M : depth\n GR.GAPI : gamma\n~A\n100 50.5\n100.5 -999.25\n101 61\n")
	logID := c.json(201, "POST", "/api/v1/logs?name=b1.las", tok, las)["id"].(string)
	wells := c.call(200, "GET", "/api/v1/wells", tok, nil)
	gr := c.call(200, "GET", "/api/v1/logs/"+logID+"/curves/GR", tok, nil)
	export := c.call(200, "GET", "/api/v1/logs/"+logID+"/data?format=las", tok, nil) // rewritten from the stored original

	bk := "file://" + filepath.ToSlash(filepath.Join(base, "bk"))
	stdout.Reset()
	stderr.Reset()
	if err := run(ctx, []string{"backup", "--to", bk, "--data-dir", old}, &stdout, &stderr); err != nil {
		t.Fatalf("backup while serve runs: %v: %s", err, stderr.String())
	}
	var sum struct {
		Backup  string `json:"backup"`
		Tenants []struct {
			ID string `json:"id"`
		} `json:"tenants"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &sum); err != nil || !strings.HasPrefix(sum.Backup, "bkp_") || len(sum.Tenants) != 1 {
		t.Fatalf("backup printed %q (%v)", stdout.String(), err)
	}
	if !strings.Contains(stderr.String(), "keep the root key") {
		t.Errorf("backup does not say the root key must be kept: %s", stderr.String())
	}
	if err := run(ctx, []string{"backup", "--to", bk, "--data-dir", old}, &stdout, &stderr); err == nil || !strings.Contains(err.Error(), "never overwritten") {
		t.Errorf("a second backup to the same folder: %v", err)
	}
	keep := filepath.Join(base, "kept-root.key")
	key, _ := os.ReadFile(filepath.Join(old, "root.key"))
	os.WriteFile(keep, key, 0o600)
	sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	m.Close(sctx)
	cancel()
	os.RemoveAll(old)

	stdout.Reset()
	err := run(ctx, []string{"restore", "-h"}, &stdout, &stderr)
	if exitCode(err) != 0 || !strings.Contains(stdout.String(), "-from-root-key") {
		t.Errorf("restore -h: %v, %q", err, stdout.String())
	}
	fresh := filepath.Join(base, "new")
	stdout.Reset()
	stderr.Reset()
	err = run(ctx, []string{"restore", "--from", bk, "--data-dir", fresh}, &stdout, &stderr)
	if err == nil || !strings.Contains(err.Error(), "--from-root-key") || !strings.Contains(err.Error(), "nothing was restored") {
		t.Fatalf("restore under a new root key without the old one: %v", err)
	}
	if err := run(ctx, []string{"restore", "--from", "file:///nonexistent/backup", "--data-dir", filepath.Join(base, "never")}, &stdout, &stderr); err == nil {
		t.Error("restore of a missing backup succeeded")
	}
	if _, err := os.Stat(filepath.Join(base, "never")); !os.IsNotExist(err) {
		t.Errorf("a restore of a missing backup made the data dir: %v", err)
	}
	stdout.Reset()
	if err := run(ctx, []string{"restore", "--from", bk, "--data-dir", fresh, "--from-root-key", "file://" + filepath.ToSlash(keep)}, &stdout, &stderr); err != nil {
		t.Fatalf("restore: %v: %s", err, stderr.String())
	}
	var rep struct {
		Rewrapped int `json:"rewrapped_data_keys"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil || rep.Rewrapped != 1 {
		t.Errorf("restore report %s (%v)", stdout.String(), err)
	}

	_, c2 := serveDataDir(t, fresh)
	c2.call(200, "GET", "/api/v1/me", tok, nil)
	if got := c2.call(200, "GET", "/api/v1/wells", tok, nil); !bytes.Equal(got, wells) {
		t.Errorf("wells after the restore:\n%s\nwant\n%s", got, wells)
	}
	if got := c2.call(200, "GET", "/api/v1/logs/"+logID+"/curves/GR", tok, nil); !bytes.Equal(got, gr) {
		t.Errorf("GR after the restore differs")
	}
	if got := c2.call(200, "GET", "/api/v1/logs/"+logID+"/data?format=las", tok, nil); !bytes.Equal(got, export) {
		t.Errorf("the LAS export after the restore: %d bytes, want the %d before", len(got), len(export))
	}
	audit := c2.json(200, "GET", "/api/v1/control/audit", op, nil)
	if items, _ := audit["items"].([]any); len(items) == 0 || fmt.Sprint(items[0].(map[string]any)["action"]) != "platform.restore" {
		t.Errorf("the control-plane audit log does not start with the restore: %v", audit["items"])
	}
}
