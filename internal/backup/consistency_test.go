package backup_test

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/backup"
	"github.com/wellbase/wellbase/internal/tenancy"
	"github.com/wellbase/wellbase/internal/welllogs"
)

// racingStore runs meanwhile right after each tenant's records are dumped: what the serve
// process writes while a backup copies the objects.
type racingStore struct {
	wellbase.Store
	meanwhile func(tenant string)
}

func (s racingStore) Tenant(id string) wellbase.TenantStore {
	return racingTenant{s.Store.Tenant(id), func() { s.meanwhile(id) }}
}

type racingTenant struct {
	wellbase.TenantStore
	after func()
}

func (t racingTenant) Dump(ctx context.Context, fn wellbase.DumpFunc) error {
	err := t.TenantStore.Dump(ctx, fn)
	t.after()
	return err
}

// TestBackupWhileServing: between the snapshot of a tenant's records and the copy of its
// objects, a log is deleted, another uploaded and the data key rotated with the files
// re-encrypted. The backup holds the snapshot's logs whose files it could copy, not the new
// log's files, and every data key version its files need: all of it restores and reads.
func TestBackupWhileServing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	src := embedded(t)
	s := seed(t, src, "acme", 3)
	deleted, kept := s.logs[0], s.logs[1:]
	var added *wellbase.WellLog
	racing := racingStore{Store: src.Store, meanwhile: func(tenant string) {
		if err := src.Logs.Delete(ctx, deleted); err != nil {
			t.Error(err)
		}
		body := lasFile("late", 300)
		l, err := src.Logs.Ingest(ctx, tenant, welllogs.Upload{FileName: "late.las", Body: bytes.NewReader(body), Actor: "user:test"})
		if err != nil {
			t.Error(err)
		}
		added = l
		if _, err := tenancy.RotateTenantKey(ctx, src.Store, src.Keys, tenant, "system", src.Queue.Enqueue); err != nil {
			t.Error(err)
		}
		if rep, err := src.Logs.Reencrypt(ctx, tenant, nil); err != nil || rep.Logs == 0 {
			t.Errorf("re-encryption: %+v, %v", rep, err)
		}
	}}
	from := src.from()
	from.Store = racing
	loc := folder(t)
	m, err := backup.Backup(ctx, from, loc, backup.Options{Concurrency: 1})
	if err != nil {
		t.Fatal(err)
	}
	e := m.Tenants[0]
	if !slices.Equal(e.DroppedLogs, []string{deleted.ID}) || e.Records[wellbase.KindLog] != 2 {
		t.Errorf("dropped logs %v, logs %d; want %s dropped and 2 kept", e.DroppedLogs, e.Records[wellbase.KindLog], deleted.ID)
	}
	for _, name := range objectNames(m, "acme") {
		if strings.Contains(name, added.ID) || strings.Contains(name, deleted.ID) {
			t.Errorf("the backup holds %s, a file of a log not in its snapshot", name)
		}
	}
	if !slices.Equal(e.DataKeyVersions, []int{1, 2}) {
		t.Errorf("data key versions %v, want 1 and 2 (2 made while the backup ran)", e.DataKeyVersions)
	}
	var logs []*wellbase.WellLog
	if err := src.Store.Tenant("acme").Dump(ctx, func(k wellbase.RecordKind, rec any) error {
		if l, ok := rec.(*wellbase.WellLog); ok {
			logs = append(logs, l)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}

	dst := embedded(t)
	if _, err := backup.Restore(ctx, dst.into(), loc, backup.RestoreOptions{FromRootKey: rootKeyOf(t, src)}); err != nil {
		t.Fatal(err)
	}
	restored, err := wellbase.All(ctx, func(ctx context.Context, p wellbase.Page) ([]*wellbase.WellLog, string, error) {
		return dst.Store.Tenant("acme").ListLogs(ctx, "", p)
	})
	if err != nil || len(restored) != 2 {
		t.Fatalf("restored logs: %d, %v; want the 2 of the snapshot still there", len(restored), err)
	}
	for _, l := range restored {
		if l.KeyVersion != 1 {
			t.Errorf("log %s restored with key version %d: the snapshot's record says 1", l.ID, l.KeyVersion)
		}
	}
	// The files were re-encrypted with version 2 after the snapshot: they read all the same.
	sameFiles(t, dst, &seeded{tenant: "acme", logs: kept, las: s.las})
	b, _ := json.Marshal(m)
	if bytes.Contains(b, []byte(added.ID)) {
		t.Errorf("the manifest names the log uploaded after the snapshot")
	}
}
