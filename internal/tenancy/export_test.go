package tenancy

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/files"
	"github.com/wellbase/wellbase/internal/keyring"
	"github.com/wellbase/wellbase/internal/sqlite/sqlitetest"
)

// newExporter onboards tenant acme on real components in a temp dir and returns an Exporter
// of them.
func newExporter(tb testing.TB) *Exporter {
	tb.Helper()
	ctx := context.Background()
	dir := tb.TempDir()
	db := sqlitetest.OpenIn(tb, dir)
	kr, err := keyring.Open(ctx, "base64key://", dir)
	if err != nil {
		tb.Fatal(err)
	}
	fs, err := files.Open(ctx, "file://"+filepath.ToSlash(filepath.Join(dir, "files")))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { fs.Close(); kr.Close() })
	ob := &Onboarder{Store: db, CreateFilePrefix: fs.CreateTenantPrefix,
		NewWrappedDataKey: func(ctx context.Context, tenant string) ([]byte, error) {
			_, w, err := kr.NewDataKey(ctx, tenant)
			return w, err
		}}
	if _, err := ob.Onboard(ctx, request("acme"), operator); err != nil {
		tb.Fatal(err)
	}
	return &Exporter{Store: db, Files: fs, Keys: &DataKeys{Store: db, Unwrap: kr.UnwrapDataKey}}
}

// An export that runs while logs are written and deleted sees only finished objects of the
// logs it lists: it neither fails on an object being written or deleted meanwhile nor holds a
// partial one.
func TestExport_WhileLogsAreWrittenAndDeleted(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newExporter(t)
	ts := e.Store.Tenant("acme")
	version, dk, err := e.Keys.Current(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	body := bytes.Repeat([]byte("~A 1000.0 42.0\n"), 20000) // 300 kB: writes take a while

	// A writer stores 40 logs as an upload does (objects, then the record) and deletes every
	// other one (record, then objects), while exports run one after the other.
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range 40 {
			id := wellbase.NewID("log")
			for _, k := range []string{"original.las", "curves.parquet"} {
				if _, err := e.Files.Put(ctx, "acme", "logs/"+id+"/"+k, dk, bytes.NewReader(body)); err != nil {
					t.Error(err)
					return
				}
			}
			l := &wellbase.WellLog{ID: id, WellID: "wel_1", Status: wellbase.LogReady, KeyVersion: version, CreatedAt: time.Now()}
			if err := ts.CreateLog(ctx, l); err != nil {
				t.Error(err)
				return
			}
			if i%2 == 1 {
				if err := ts.DeleteLog(ctx, id); err != nil {
					t.Error(err)
					return
				}
				if err := e.Files.DeleteAll(ctx, "acme", "logs/"+id+"/"); err != nil {
					t.Error(err)
					return
				}
			}
		}
	}()

	runs := 0
	for writing := true; writing; runs++ {
		select {
		case <-done:
			writing = false
		default:
		}
		jobID := wellbase.NewID("job")
		res, err := e.Export(ctx, "acme", jobID, nil)
		if err != nil {
			<-done
			t.Fatalf("export %d while writing: %v", runs, err)
		}
		checkArchive(t, e, jobID, res)
	}
	t.Logf("%d exports overlapped the writes", runs)
	if runs < 3 {
		t.Errorf("%d exports ran while the logs were written: the test did not overlap them", runs)
	}
}

// checkArchive reads the archive of job back and checks that its files are whole objects of the
// logs it lists, and nothing else.
func checkArchive(t *testing.T, e *Exporter, jobID string, res *ExportResult) {
	t.Helper()
	ctx := context.Background()
	_, dk, _ := e.Keys.Current(ctx, "acme")
	r, err := e.Files.Open(ctx, "acme", ExportKey(jobID), dk)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := io.ReadAll(r)
	r.Close()
	if err != nil {
		t.Fatal(err)
	}
	z, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	files := 0
	for _, f := range z.File {
		if f.Name == "logs.json" {
			rc, _ := f.Open()
			var logs []wellbase.WellLog
			if err := json.NewDecoder(rc).Decode(&logs); err != nil {
				t.Fatal(err)
			}
			rc.Close()
			for _, l := range logs {
				listed[l.ID] = true
			}
		}
	}
	for _, f := range z.File {
		key, ok := strings.CutPrefix(f.Name, "files/")
		if !ok {
			continue
		}
		files++
		if strings.Contains(key, ".staging") || strings.HasSuffix(key, ".tmp") {
			t.Errorf("archive holds a staged object %s", key)
		}
		id, _, _ := strings.Cut(strings.TrimPrefix(key, "logs/"), "/")
		if !listed[id] {
			t.Errorf("archive holds %s of a log not in logs.json", key)
		}
		if f.UncompressedSize64 != 300000 {
			t.Errorf("archive's %s holds %d bytes, want the whole 300000", key, f.UncompressedSize64)
		}
	}
	if files != res.Files {
		t.Errorf("archive holds %d files, result says %d", files, res.Files)
	}
}

// Every entry of an export archive carries a real modification time: the time of the export
// for the records, the object's own time for a file (zip.Writer.Create would date them
// 1980-01-01, the MS-DOS epoch, which is what issue 13 found).
func TestExport_EntryTimes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newExporter(t)
	exportedAt := time.Date(2031, 5, 6, 7, 8, 9, 0, time.UTC)
	e.Now = func() time.Time { return exportedAt }
	version, dk, err := e.Keys.Current(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	id := wellbase.NewID("log")
	if _, err := e.Files.Put(ctx, "acme", "logs/"+id+"/original.las", dk, strings.NewReader("~A 1000.0 42.0\n")); err != nil {
		t.Fatal(err)
	}
	if err := e.Store.Tenant("acme").CreateLog(ctx, &wellbase.WellLog{ID: id, WellID: "wel_1", Status: wellbase.LogReady, KeyVersion: version, CreatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	objs, err := e.Files.List(ctx, "acme", "logs/")
	if err != nil || len(objs) != 1 {
		t.Fatalf("list: %v %v", objs, err)
	}
	fileTime := objs[0].ModTime

	jobID := wellbase.NewID("job")
	if _, err := e.Export(ctx, "acme", jobID, nil); err != nil {
		t.Fatal(err)
	}
	r, err := e.Files.Open(ctx, "acme", ExportKey(jobID), dk)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := io.ReadAll(r)
	r.Close()
	if err != nil {
		t.Fatal(err)
	}
	z, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, f := range z.File {
		want := exportedAt
		if strings.HasPrefix(f.Name, "files/") {
			want = fileTime
		}
		// The extended timestamp field holds whole seconds.
		if got := f.Modified.UTC(); !got.Equal(want.UTC().Truncate(time.Second)) {
			t.Errorf("%s is dated %s, want %s", f.Name, got, want.UTC().Truncate(time.Second))
		}
		seen++
	}
	if seen < 8 {
		t.Errorf("archive has %d entries, want the records and the file", seen)
	}
}
