package backup_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/backup"
	"github.com/wellbase/wellbase/internal/keyring"
	"github.com/wellbase/wellbase/internal/tenancy"
)

// benchBytes is the size of the tenant's files in the benchmarks: WELLBASE_BENCH_RESTORE_MB
// MiB, 1024 (1 GiB) by default.
func benchBytes(b *testing.B) int64 {
	mb := int64(1024)
	if v := os.Getenv("WELLBASE_BENCH_RESTORE_MB"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 16 {
			b.Fatalf("WELLBASE_BENCH_RESTORE_MB=%q: want a number of MiB, 16 or more", v)
		}
		mb = n
	}
	return mb << 20
}

// benchTenant makes an embedded environment with one tenant whose logs' files take about
// size bytes (16 MiB per log: an original of 12 MiB and curves of 4 MiB, encrypted with its
// data key as uploads are), with 10 000 production records, and returns it with the stored
// bytes of its files.
func benchTenant(b *testing.B, size int64) (*env, int64) {
	b.Helper()
	ctx := context.Background()
	src := embedded(b)
	if _, err := src.Onboarder.Onboard(ctx, tenancy.Request{ID: "acme", Name: "Acme", AdminEmail: "owner@acme.example"}, nil); err != nil {
		b.Fatal(err)
	}
	ts := src.Store.Tenant("acme")
	version, dk, err := src.DataKeys.Current(ctx, "acme")
	if err != nil {
		b.Fatal(err)
	}
	now := time.Now().UTC()
	well := &wellbase.Well{ID: wellbase.NewID("wel"), Name: "15/9-F-14", CreatedAt: now, UpdatedAt: now}
	if err := ts.CreateWell(ctx, well); err != nil {
		b.Fatal(err)
	}
	plain := make([]byte, 12<<20)
	rand.Read(plain)
	var stored int64
	for i := 0; stored < size; i++ {
		id := wellbase.NewID("log")
		var n int64
		for _, o := range []struct {
			key  string
			data []byte
		}{{"logs/" + id + "/original.las", plain}, {"logs/" + id + "/curves.parquet", plain[:4<<20]}} {
			if _, err := src.Files.Put(ctx, "acme", o.key, dk, bytes.NewReader(o.data)); err != nil {
				b.Fatal(err)
			}
			n += keyring.EncryptedSize(int64(len(o.data)))
		}
		l := &wellbase.WellLog{ID: id, WellID: well.ID, FileName: fmt.Sprintf("log%d.las", i), Status: wellbase.LogReady, Version: "2.0",
			Index: wellbase.LogIndex{Mnemonic: "DEPT", Unit: "M", Start: 100, Stop: 4000, Step: 0.1}, Rows: 39001,
			Curves:    []wellbase.CurveSummary{{Mnemonic: "DEPT", Unit: "M", Kind: "number", Count: 39001}, {Mnemonic: "GR", Unit: "GAPI", Kind: "number", Count: 39001}},
			SizeBytes: int64(len(plain)), StoredBytes: n, KeyVersion: version, CreatedAt: now}
		if err := ts.CreateLog(ctx, l); err != nil {
			b.Fatal(err)
		}
		stored += n
	}
	var recs []*wellbase.ProductionRecord
	for d := range 10000 {
		v := float64(d)
		recs = append(recs, &wellbase.ProductionRecord{WellID: well.ID, Date: time.Date(1990, 1, 1+d, 0, 0, 0, 0, time.UTC), Period: wellbase.PeriodDay,
			Oil: &v, Gas: &v, Water: &v, Units: wellbase.ProductionUnits{Oil: "Sm3", Gas: "Sm3", Water: "Sm3"}, ImportID: "imp_1", UpdatedAt: now})
	}
	if _, err := ts.UpsertProduction(ctx, recs); err != nil {
		b.Fatal(err)
	}
	return src, stored
}

// BenchmarkRestore restores a backup (file://) of one tenant whose files take 1 GiB
// (WELLBASE_BENCH_RESTORE_MB) into a new embedded environment with another root key, as
// `wellbase restore --from file://… --from-root-key …` does: every record file checked, every
// object copied and checked, the data key rewrapped. MB/s is of the files' stored bytes.
//
//	go test -run '^$' -bench Restore -benchtime 1x ./internal/backup/
func BenchmarkRestore(b *testing.B) {
	ctx := context.Background()
	src, stored := benchTenant(b, benchBytes(b))
	loc := folder(b)
	if _, err := backup.Backup(ctx, src.from(), loc, backup.Options{}); err != nil {
		b.Fatal(err)
	}
	from := rootKeyOf(b, src)
	b.SetBytes(stored)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		dst := openEnvIn(b, filepath.Join(b.TempDir(), "data"))
		b.StartTimer()
		rep, err := backup.Restore(ctx, dst.into(), loc, backup.RestoreOptions{FromRootKey: from})
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if rep.Tenants[0].Bytes != stored {
			b.Fatalf("restored %d bytes of files, want %d", rep.Tenants[0].Bytes, stored)
		}
		dst.Close()
		os.RemoveAll(dst.cfg.DataDir) // gigabytes: do not wait for the end of the benchmark
		b.StartTimer()
	}
}

// BenchmarkBackup backs up the same tenant to a new folder (file://).
func BenchmarkBackup(b *testing.B) {
	ctx := context.Background()
	src, stored := benchTenant(b, benchBytes(b))
	b.SetBytes(stored)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		dir := filepath.Join(b.TempDir(), "backup")
		if _, err := backup.Backup(ctx, src.from(), (&url.URL{Scheme: "file", Path: filepath.ToSlash(dir)}).String(), backup.Options{}); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		os.RemoveAll(dir)
		b.StartTimer()
	}
}
