package storetest

import (
	"context"
	"errors"
	"testing"

	"github.com/wellbase/wellbase"
)

// newLog returns a log of well wellID with a full summary, so that every field round-trips.
func newLog(id, tenant, wellID string, stored int64) *wellbase.WellLog {
	return &wellbase.WellLog{
		ID: id, TenantID: tenant, WellID: wellID, FileName: "15-9-19_SR_COMP.LAS", Status: wellbase.LogReady,
		Version: "2.0", Encoding: "Windows-1251", Null: ptr(-999.25), Well: map[string]string{"WELL": "15/9-19 SR", "UWI": ""},
		Index: wellbase.LogIndex{Mnemonic: "DEPTH", Unit: "M", Start: 102.1568, Stop: 4636.2208, Step: 0.1524},
		Rows:  29754,
		Curves: []wellbase.CurveSummary{
			{Mnemonic: "DEPTH", Unit: "M", Kind: "number", Count: 29754, Min: ptr(102.1568), Max: ptr(4636.2208), Mean: ptr(2369.1888)},
			{Mnemonic: "GR", Unit: "GAPI", Description: "Gamma ray", Kind: "number", Count: 29000, Min: ptr(0.0), Max: ptr(150.5), Mean: ptr(60.1)},
			{Mnemonic: "LITH", Kind: "text", Count: 10},
		},
		Warnings:  []wellbase.LogWarning{{Line: 3, Message: "STEP 0 on regular data"}},
		SizeBytes: 2_000_000, StoredBytes: stored, KeyVersion: 1, CreatedAt: now(),
	}
}

func testWellLog(t *testing.T, s wellbase.Store) {
	ctx := t.Context()
	createTenant(t, s, "acme")
	createTenant(t, s, "globex")
	ts, other := s.Tenant("acme"), s.Tenant("globex")
	ids := newIDs("log", 4)
	logs := []*wellbase.WellLog{newLog(ids[0], "acme", "wel_a", 100), newLog(ids[1], "acme", "wel_b", 200),
		newLog(ids[2], "acme", "wel_a", 300), newLog(ids[3], "globex", "wel_a", 5000)}
	for _, l := range logs[:3] {
		checkCode(t, "CreateLog", ts.CreateLog(ctx, l), "")
	}
	// A log created through globex's store is globex's, whatever its TenantID said.
	logs[3].TenantID = "acme"
	checkCode(t, "CreateLog globex", other.CreateLog(ctx, logs[3]), "")
	logs[3].TenantID = "globex"

	t.Run("OK", func(t *testing.T) {
		got, err := ts.GetLog(ctx, ids[0])
		checkCode(t, "GetLog", err, "")
		checkEqual(t, "log", got, logs[0])
	})
	t.Run("ErrConflict", func(t *testing.T) {
		checkCode(t, "CreateLog duplicate", ts.CreateLog(ctx, newLog(ids[0], "acme", "wel_a", 1)), wellbase.EConflict)
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		_, err := ts.GetLog(ctx, "log_missing")
		checkCode(t, "GetLog missing", err, wellbase.ENotFound)
		checkCode(t, "UpdateLog missing", ts.UpdateLog(ctx, newLog("log_missing", "acme", "wel_a", 1)), wellbase.ENotFound)
		checkCode(t, "DeleteLog missing", ts.DeleteLog(ctx, "log_missing"), wellbase.ENotFound)
	})
	t.Run("ListByWell", func(t *testing.T) {
		got, next, err := ts.ListLogs(ctx, "wel_a", wellbase.Page{})
		checkCode(t, "ListLogs", err, "")
		checkEqual(t, "logs of wel_a", got, []*wellbase.WellLog{logs[0], logs[2]})
		if next != "" {
			t.Errorf("next cursor %q on the last page", next)
		}
		all, _, err := ts.ListLogs(ctx, "", wellbase.Page{Limit: 2})
		checkCode(t, "ListLogs all", err, "")
		checkEqual(t, "first page of all logs", all, logs[:2])
	})
	t.Run("Isolation", func(t *testing.T) {
		_, err := other.GetLog(ctx, ids[0])
		checkCode(t, "GetLog of another tenant", err, wellbase.ENotFound)
		checkCode(t, "UpdateLog of another tenant", other.UpdateLog(ctx, newLog(ids[0], "globex", "wel_x", 1)), wellbase.ENotFound)
		checkCode(t, "DeleteLog of another tenant", other.DeleteLog(ctx, ids[0]), wellbase.ENotFound)
		got, _, err := other.ListLogs(ctx, "wel_a", wellbase.Page{})
		checkCode(t, "ListLogs globex", err, "")
		checkEqual(t, "globex's logs", got, logs[3:])
		if n, err := other.StoredBytes(ctx); n != 5000 || err != nil {
			t.Errorf("globex StoredBytes = %d, %v; want 5000", n, err)
		}
		still, err := ts.GetLog(ctx, ids[0])
		checkCode(t, "GetLog after", err, "")
		checkEqual(t, "acme's log after globex's attempts", still, logs[0])
	})
	t.Run("UpdateAndStoredBytes", func(t *testing.T) {
		if n, err := ts.StoredBytes(ctx); n != 600 || err != nil {
			t.Fatalf("StoredBytes = %d, %v; want 600", n, err)
		}
		l := *logs[1]
		l.Status, l.Error, l.StoredBytes, l.Rows = wellbase.LogFailed, "line 17: expected 5 values", 50, 0
		checkCode(t, "UpdateLog", ts.UpdateLog(ctx, &l), "")
		got, err := ts.GetLog(ctx, l.ID)
		checkCode(t, "GetLog", err, "")
		checkEqual(t, "updated log", got, &l)
		checkCode(t, "DeleteLog", ts.DeleteLog(ctx, ids[2]), "")
		if n, err := ts.StoredBytes(ctx); n != 150 || err != nil {
			t.Errorf("StoredBytes after update and delete = %d, %v; want 150", n, err)
		}
	})
	t.Run("CanceledContext", func(t *testing.T) {
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		_, err := ts.GetLog(cctx, ids[0])
		if !errors.Is(err, context.Canceled) {
			t.Errorf("GetLog with a cancelled context: %v", err)
		}
		if err := ts.CreateLog(cctx, newLog(wellbase.NewID("log"), "acme", "wel_a", 1)); !errors.Is(err, context.Canceled) {
			t.Errorf("CreateLog with a cancelled context: %v", err)
		}
	})
}
