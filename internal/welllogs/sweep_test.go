package welllogs

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/files"
	"github.com/wellbase/wellbase/internal/keyring"
	"github.com/wellbase/wellbase/internal/sqlite/sqlitetest"
	"github.com/wellbase/wellbase/internal/tenancy"
)

// newService returns a Service on real components in a temp dir, with tenant acme onboarded.
func newService(tb testing.TB) *Service {
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
	ob := &tenancy.Onboarder{Store: db, CreateFilePrefix: fs.CreateTenantPrefix,
		NewWrappedDataKey: func(ctx context.Context, tenant string) ([]byte, error) {
			_, w, err := kr.NewDataKey(ctx, tenant)
			return w, err
		}}
	if _, err := ob.Onboard(ctx, tenancy.Request{ID: "acme", Name: "Acme", Tier: wellbase.TierStandard, AdminEmail: "a@acme.example"},
		&wellbase.Principal{Operator: true, UserID: "opr_test"}); err != nil {
		tb.Fatal(err)
	}
	return &Service{Store: db, Files: fs, Keys: &tenancy.DataKeys{Store: db, Unwrap: kr.UnwrapDataKey}}
}

// The objects of a log that was never recorded (a process killed between storing them and
// recording the log) are deleted once old enough; recorded logs and young folders stay.
func TestSweepOrphans(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newService(t)
	_, dk, err := s.Keys.Current(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	put := func(id string) {
		if _, err := s.Files.Put(ctx, "acme", originalKey(id), dk, bytes.NewReader([]byte("~V"))); err != nil {
			t.Fatal(err)
		}
	}
	recorded, orphan := wellbase.NewID("log"), wellbase.NewID("log")
	put(recorded)
	put(orphan)
	if err := s.Store.Tenant("acme").CreateLog(ctx, &wellbase.WellLog{ID: recorded, WellID: "wel_1", Status: wellbase.LogReady, CreatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	if n, err := s.SweepOrphans(ctx, "acme", time.Hour); err != nil || n != 0 {
		t.Errorf("SweepOrphans(1h) = %d, %v; want nothing: the orphan is young", n, err)
	}
	s.Now = func() time.Time { return time.Now().Add(2 * time.Hour) }
	if n, err := s.SweepOrphans(ctx, "acme", time.Hour); err != nil || n != 1 {
		t.Errorf("SweepOrphans = %d, %v; want the orphan deleted", n, err)
	}
	objs, err := s.Files.List(ctx, "acme", "logs/")
	if err != nil || len(objs) != 1 || objs[0].Key != originalKey(recorded) {
		t.Errorf("objects after the sweep = %+v, %v; want only the recorded log's", objs, err)
	}
}
