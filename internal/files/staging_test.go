package files

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/testservers"
)

// Environment of the crash helper: the bucket URL, tenant and key it writes.
const (
	envCrashURL    = "WELLBASE_FILES_CRASH_URL"
	envCrashTenant = "WELLBASE_FILES_CRASH_TENANT"
	envCrashKey    = "WELLBASE_FILES_CRASH_KEY"
)

// TestCrashHelper is not a test: run by TestPut_KilledMidWrite in a child process, it starts a
// Put whose source sends 24 MiB (over the S3 uploader's 16 MiB threshold of
// multipart uploads) and then stalls, says so on stdout, and waits to be killed.
func TestCrashHelper(t *testing.T) {
	url := os.Getenv(envCrashURL)
	if url == "" {
		t.Skip("helper process of TestPut_KilledMidWrite")
	}
	s, err := Open(context.Background(), url)
	if err != nil {
		fmt.Println("ERROR", err)
		os.Exit(1)
	}
	dk := newTestKeys(t, os.Getenv(envCrashTenant))[os.Getenv(envCrashTenant)]
	r := io.MultiReader(io.LimitReader(rand.Reader, 24<<20), stallReader{sent: func() { fmt.Println("SENT") }})
	_, err = s.Put(context.Background(), os.Getenv(envCrashTenant), os.Getenv(envCrashKey), dk, r)
	fmt.Println("ERROR put returned", err)
	os.Exit(1)
}

// stallReader calls sent, then blocks forever: a client that stopped sending.
type stallReader struct{ sent func() }

func (r stallReader) Read([]byte) (int, error) {
	r.sent()
	select {}
}

// A process killed (SIGKILL) in the middle of a Put leaves no object that List, Open or Size
// see; what it staged is listed by Staged, kept by a sweep while young (it could be a write
// under way on another replica) and removed by one past the age.
func TestPut_KilledMidWrite(t *testing.T) {
	t.Run("file", func(t *testing.T) {
		s, dir := newTestStore(t)
		killedMidWrite(t, s, "file://"+filepath.ToSlash(dir), "acme")
		// Nothing of the dead write remains on disk, folder or file, and no folder it made.
		var left []string
		filepath.WalkDir(filepath.Join(dir, "tenants", "acme"), func(path string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				left = append(left, path)
			}
			return nil
		})
		if len(left) != 1 || !strings.HasSuffix(left[0], "logs/done.las") {
			t.Errorf("files after the sweep: %q, want only logs/done.las", left)
		}
		if _, err := os.Stat(filepath.Join(dir, "tenants", "acme", "logs", "crash")); err == nil {
			t.Error("the dead write made its object's folder")
		}
	})
	t.Run("s3", func(t *testing.T) {
		url := testservers.S3URL(t)
		s, err := Open(context.Background(), url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		id := wellbase.NewID("x")
		killedMidWrite(t, s, url, "crash-"+strings.ToLower(id[len(id)-10:]))
	})
}

func killedMidWrite(t *testing.T, s *Store, url, tenant string) {
	ctx := context.Background()
	dk := newTestKeys(t, tenant)[tenant]
	put(t, s, tenant, "logs/done.las", dk, []byte("a finished object"))
	t.Cleanup(func() { s.DeleteAll(context.WithoutCancel(ctx), tenant, "") })

	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashHelper$", "-test.count=1")
	cmd.Env = append(os.Environ(), envCrashURL+"="+url, envCrashTenant+"="+tenant, envCrashKey+"=logs/crash/original.las")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	killed := false
	t.Cleanup(func() {
		if !killed {
			cmd.Process.Kill()
			cmd.Wait()
		}
	})
	lines := bufio.NewScanner(out)
	if !lines.Scan() || lines.Text() != "SENT" {
		t.Fatalf("helper said %q, want SENT", lines.Text())
	}
	// Wait until the write has stored bytes (S3: uploaded parts), then kill the writer.
	var staged []ObjectInfo
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		if staged, err = s.Staged(ctx, tenant); err != nil {
			t.Fatal(err)
		}
		if len(staged) > 0 && staged[0].Size >= 5<<20 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the write stored no 5 MiB in 60 s: staged %+v", staged)
		}
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	killed = true

	objs, err := s.List(ctx, tenant, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(objs) != 1 || objs[0].Key != "logs/done.las" {
		t.Errorf("List after the kill = %+v, want only logs/done.las", objs)
	}
	if _, err := s.Size(ctx, tenant, "logs/crash/original.las"); wellbase.ErrorCode(err) != wellbase.ENotFound {
		t.Errorf("Size of the killed write's object = %v, want not found", err)
	}
	if staged, err = s.Staged(ctx, tenant); err != nil || len(staged) != 1 {
		t.Fatalf("Staged after the kill = %+v, %v; want the dead write", staged, err)
	}
	if n, err := s.StagedBytes(ctx, tenant); err != nil || n < 5<<20 {
		t.Errorf("StagedBytes = %d, %v; want the 5 MiB or more it stored", n, err)
	}

	// Young: kept (it could be a slow upload on another replica).
	if sw, err := s.SweepStaged(ctx, time.Hour); err != nil || sw.Objects != 0 {
		t.Errorf("SweepStaged(1h) = %+v, %v; want nothing removed", sw, err)
	}
	if staged, _ := s.Staged(ctx, tenant); len(staged) != 1 {
		t.Errorf("Staged after a sweep of older writes = %+v, want the dead write kept", staged)
	}
	// Old enough: removed.
	time.Sleep(10 * time.Millisecond)
	sw, err := s.SweepStaged(ctx, time.Millisecond)
	if err != nil || sw.Objects < 1 {
		t.Errorf("SweepStaged = %+v, %v; want the dead write removed", sw, err)
	}
	if staged, err := s.Staged(ctx, tenant); err != nil || len(staged) != 0 {
		t.Errorf("Staged after the sweep = %+v, %v; want none", staged, err)
	}
	if got, err := readAll(s, tenant, "logs/done.las", dk); err != nil || string(got) != "a finished object" {
		t.Errorf("the finished object after the sweep = %q, %v", got, err)
	}
	if c := s.s3Client(); c != nil {
		res, err := c.ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: aws.String(s.s3bucket), Prefix: aws.String("tenants/" + tenant + "/")})
		if err != nil || len(res.Uploads) != 0 {
			t.Errorf("multipart uploads after the sweep: %d, %v; want none", len(res.Uploads), err)
		}
	}
}

// Objects that fileblob's temporary file names (from a write without the staging folder, by an
// earlier version) are neither listed nor readable, and are swept.
func TestList_HidesTemporaryFiles(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, dir := newTestStore(t)
	dk := newTestKeys(t, "acme")["acme"]
	put(t, s, "acme", "logs/a/original.las", dk, []byte("finished"))
	tmp := filepath.Join(dir, "tenants", "acme", "logs", "a", "curves.parquet.18eec6c397fd40a7.tmp")
	if err := os.WriteFile(tmp, []byte("half an object"), 0o600); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-2 * time.Hour)
	os.Chtimes(tmp, old, old)
	objs, err := s.List(ctx, "acme", "")
	if err != nil || len(objs) != 1 || objs[0].Key != "logs/a/original.las" {
		t.Errorf("List = %+v, %v; want only the finished object", objs, err)
	}
	if _, err := s.Size(ctx, "acme", "logs/a/curves.parquet.18eec6c397fd40a7.tmp"); wellbase.ErrorCode(err) != wellbase.EInvalid {
		t.Errorf("Size of a temporary file = %v, want invalid (reserved name)", err)
	}
	if sw, err := s.SweepStaged(ctx, time.Hour); err != nil || sw.Objects != 1 || sw.Bytes != 14 {
		t.Errorf("SweepStaged = %+v, %v; want the temporary file removed", sw, err)
	}
	if _, err := os.Stat(tmp); err == nil {
		t.Error("the temporary file is still there")
	}
}

// On file://, deletes leave no empty folder behind (a log's folder after its deletion).
func TestDelete_RemovesEmptyFolders(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, dir := newTestStore(t)
	dk := newTestKeys(t, "acme")["acme"]
	if err := s.CreateTenantPrefix(ctx, "acme"); err != nil {
		t.Fatal(err)
	}
	put(t, s, "acme", "logs/a/original.las", dk, []byte("a"))
	put(t, s, "acme", "logs/a/curves.parquet", dk, []byte("a"))
	put(t, s, "acme", "logs/b/original.las", dk, []byte("b"))
	put(t, s, "acme", "exports/x/y.zip", dk, []byte("b"))
	if err := s.DeleteAll(ctx, "acme", "logs/a/"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "tenants", "acme", "logs", "a")); err == nil {
		t.Error("DeleteAll left the emptied folder logs/a")
	}
	if err := s.Delete(ctx, "acme", "exports/x/y.zip"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "tenants", "acme", "exports")); err == nil {
		t.Error("Delete left the emptied folders exports/x")
	}
	if got, err := readAll(s, "acme", "logs/b/original.las", dk); err != nil || string(got) != "b" {
		t.Errorf("the other log = %q, %v", got, err)
	}
	// A Put into a folder that a delete just removed still lands.
	put(t, s, "acme", "logs/a/original.las", dk, []byte("again"))
	if err := s.DeleteAll(ctx, "acme", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "tenants", "acme")); err == nil {
		t.Error(`DeleteAll("") left the tenant's folder`)
	}
}

// On file://, a listing walks the folder tree; writes that rename their staged file into place
// and deletes that remove files and folders during the walk must not fail it (an export or the
// usage count lists while uploads and deletions go on).
func TestList_WhileWritingAndDeleting(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := newTestStore(t)
	dk := newTestKeys(t, "acme")["acme"]
	body := bytes.Repeat([]byte("x"), 64<<10)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range 300 {
			key := fmt.Sprintf("logs/l%d/", i)
			put(t, s, "acme", key+"original.las", dk, body)
			put(t, s, "acme", key+"curves.parquet", dk, body)
			if i%2 == 1 {
				if err := s.DeleteAll(ctx, "acme", key); err != nil {
					t.Error(err)
					return
				}
			}
		}
	}()
	lists := 0
	for running := true; running; lists++ {
		select {
		case <-done:
			running = false
		default:
		}
		if _, err := s.List(ctx, "acme", ""); err != nil {
			<-done // the writer's files must outlive it
			t.Fatalf("list %d during writes: %v", lists, err)
		}
		if _, err := s.Staged(ctx, "acme"); err != nil {
			<-done
			t.Fatalf("staged %d during writes: %v", lists, err)
		}
	}
	if lists < 10 {
		t.Errorf("only %d listings overlapped the writes", lists)
	}
}
