package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wellbase/wellbase/internal/files"
)

// envServeArgs makes TestServeHelper run serve with these arguments (tab-separated).
const envServeArgs = "WELLBASE_TEST_SERVE_ARGS"

// TestServeHelper is not a test: TestKilledDuringUpload and the SIGTERM tests run it in a child
// process, as the wellbase binary would run `serve`, to send it signals.
func TestServeHelper(t *testing.T) {
	args := os.Getenv(envServeArgs)
	if args == "" {
		t.Skip("helper process of TestKilledDuringUpload")
	}
	ctx, stop := signalContext() // as main: SIGTERM drains
	defer stop()
	if err := serve(ctx, strings.Split(args, "\t"), os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Exit(0)
}

// TestKilledDuringUpload kills serve (SIGKILL) while a large upload streams in, starts it again
// on the same data dir, and checks what issue 13 found broken: no partial object is visible,
// the tenant's usage is what its files take on disk, its export succeeds and holds no partial
// object, and a sweep past the safe age removes what the killed upload staged.
func TestKilledDuringUpload(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	addr := freeAddr(t)
	base := "http://" + addr
	child := exec.Command(os.Args[0], "-test.run=^TestServeHelper$", "-test.count=1")
	child.Env = append(os.Environ(), envServeArgs+"="+strings.Join([]string{"--data-dir", dir, "--addr", addr, "--log-level", "error"}, "\t"))
	child.Stderr = os.Stderr
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	killed := false
	t.Cleanup(func() {
		if !killed {
			child.Process.Kill()
			child.Wait()
		}
	})
	waitHealthy(t, base)
	var out bytes.Buffer
	if err := run(ctx, []string{"operator", "create", "--data-dir", dir, "--email", "ops@example.com"}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	op := strings.TrimSpace(out.String())
	call := func(want int, method, path, token string, body []byte) []byte {
		t.Helper()
		req, _ := http.NewRequest(method, base+path, bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		if res.StatusCode != want {
			t.Fatalf("%s %s: %d, want %d: %s", method, path, res.StatusCode, want, b)
		}
		return b
	}
	var onboarded struct {
		Token string `json:"admin_token"`
	}
	json.Unmarshal(call(201, "POST", "/api/v1/tenants", op, []byte(`{"id":"crash","name":"Crash Oil","admin_email":"a@crash.example"}`)), &onboarded)
	tok := onboarded.Token
	las := "~VERSION INFORMATION\n VERS. 2.0 :\n WRAP. NO :\n~WELL INFORMATION\n STRT.M 1.0 :\n STOP.M 2.0 :\n STEP.M 1.0 :\n NULL. -999.25 :\n WELL. C-1 :\n" +
		"~CURVE INFORMATION\n DEPT.M :\n GR.GAPI :\n~A\n1.0 10\n2.0 20\n"
	call(201, "POST", "/api/v1/logs?name=before.las", tok, []byte(las))

	// A 100 MiB upload (parsed by a job, over 64 MiB) that stops after 20 MiB; serve is killed
	// once the file store holds part of it.
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	fmt.Fprintf(c, "POST /api/v1/logs?name=crash.las HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Type: application/octet-stream\r\nIdempotency-Key: k-crash\r\nContent-Length: %d\r\n\r\n", tok, 100<<20)
	c.Write([]byte(las[:strings.Index(las, "~A")+3]))
	row := bytes.Repeat([]byte("1.5 42.0\n"), 1<<16)
	for sent := 0; sent < 20<<20; sent += len(row) {
		if _, err := c.Write(row); err != nil {
			t.Fatal(err)
		}
	}
	tenantDir := filepath.Join(dir, "files", "tenants", "crash")
	for deadline := time.Now().Add(time.Minute); diskBytes(filepath.Join(tenantDir, ".staging")) < 10<<20; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the upload stored nothing in a minute")
		}
	}
	child.Process.Kill()
	child.Wait()
	killed = true

	// serve again, on the same data dir.
	m := &Main{Config: Config{DataDir: dir, Addr: addr, LogLevel: "error"}}
	if err := m.Open(ctx); err != nil {
		t.Fatal(err)
	}
	go m.Serve()
	t.Cleanup(func() { m.Close(context.Background()) })
	waitHealthy(t, base)

	var logs struct{ Items []map[string]any }
	json.Unmarshal(call(200, "GET", "/api/v1/logs", tok, nil), &logs)
	if len(logs.Items) != 1 {
		t.Errorf("%d logs after the crash, want only the one uploaded before", len(logs.Items))
	}
	checkUsage := func(when string) {
		t.Helper()
		var u struct {
			Usage struct {
				StorageBytes int64 `json:"storage_bytes"`
			}
		}
		json.Unmarshal(call(200, "GET", "/api/v1/usage", tok, nil), &u)
		onDisk := diskBytes(tenantDir) - fileSize(filepath.Join(tenantDir, ".tenant.json")) - diskBytes(filepath.Join(tenantDir, "exports"))
		if u.Usage.StorageBytes != onDisk {
			t.Errorf("%s: usage storage_bytes %d, on disk %d", when, u.Usage.StorageBytes, onDisk)
		}
	}
	checkUsage("after the crash")

	// The killed upload's Idempotency-Key claim outlived it: a retry is told to wait (its lease
	// lapses within httpapi.DefaultIdempotencyLease; then a retry runs the upload again, as
	// TestIdempotencyDeadReplica in internal/httpapi shows), not answered as if it had succeeded.
	req, _ := http.NewRequest("POST", base+"/api/v1/logs?name=crash.las", strings.NewReader(las))
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Idempotency-Key", "k-crash")
	if res, err := http.DefaultClient.Do(req); err != nil {
		t.Fatal(err)
	} else {
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 409 || !strings.Contains(string(b), "idempotency_in_progress") || res.Header.Get("Retry-After") == "" {
			t.Errorf("retry of the killed upload: %d %s, want 409 idempotency_in_progress with Retry-After", res.StatusCode, b)
		}
	}

	var job struct {
		ID     string `json:"id"`
		Status string `json:"status"`
		Error  string `json:"error"`
	}
	json.Unmarshal(call(202, "POST", "/api/v1/tenants/crash/export", tok, nil), &job)
	for deadline := time.Now().Add(time.Minute); job.Status != "succeeded"; time.Sleep(50 * time.Millisecond) {
		json.Unmarshal(call(200, "GET", "/api/v1/jobs/"+job.ID, tok, nil), &job)
		if job.Status == "failed" || time.Now().After(deadline) {
			t.Fatalf("export after the crash: %s %s", job.Status, job.Error)
		}
	}
	zipped := call(200, "GET", "/api/v1/tenants/crash/exports/"+job.ID, tok, nil)
	z, err := zip.NewReader(bytes.NewReader(zipped), int64(len(zipped)))
	if err != nil {
		t.Fatal(err)
	}
	var stored []string
	for _, f := range z.File {
		if strings.HasPrefix(f.Name, "files/") {
			stored = append(stored, f.Name)
		}
	}
	if len(stored) != 2 {
		t.Errorf("export holds files %q, want the first log's original and curves", stored)
	}

	// Past the safe age, a sweep removes what the killed upload staged (serve's own sweep uses
	// an hour).
	fsys, err := files.Open(ctx, "file://"+filepath.ToSlash(filepath.Join(dir, "files")))
	if err != nil {
		t.Fatal(err)
	}
	defer fsys.Close()
	if sw, err := fsys.SweepStaged(ctx, 0); err != nil || sw.Objects != 1 {
		t.Errorf("sweep: %+v, %v; want the killed upload's staged file", sw, err)
	}
	if n := diskBytes(filepath.Join(tenantDir, ".staging")); n != 0 {
		t.Errorf("%d bytes staged after the sweep", n)
	}
	checkUsage("after the sweep")
}

// diskBytes sums the sizes of the files under root (0 if it does not exist).
func diskBytes(root string) int64 {
	var n int64
	filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n += fileSize(path)
		}
		return nil
	})
	return n
}

func fileSize(path string) int64 {
	fi, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return fi.Size()
}
