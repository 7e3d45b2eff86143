package storetest

import (
	"bytes"
	"testing"
	"time"

	"github.com/wellbase/wellbase"
)

// storeEveryKind stores, on top of storeTenantData, a log, a job, production and a forecast, and a
// second data key version: one record of every kind Purge deletes.
func storeEveryKind(t *testing.T, s wellbase.Store, tenant string) (*tenantData, *wellbase.Job, *wellbase.Forecast) {
	t.Helper()
	ctx := t.Context()
	d := storeTenantData(t, s, tenant, newIDs("rec", 5), 7)
	at := now()
	job := newJob(wellbase.NewID("job"), tenant, at)
	f := &wellbase.Forecast{ID: wellbase.NewID("fc"), TenantID: tenant, WellID: d.well.ID, JobID: job.ID, Phase: "oil", Unit: "Sm3",
		Model: "exponential", Qi: 100, StartDate: day("2009-01-01"), CreatedAt: at}
	rec := &wellbase.ProductionRecord{WellID: d.well.ID, Date: day("2009-01-01"), Period: "day", Oil: ptr(10.0), ImportID: "imp_1", UpdatedAt: at}
	for _, err := range []error{
		d.ts.CreateLog(ctx, newLog(wellbase.NewID("log"), tenant, d.well.ID, 1000)),
		d.ts.CreateJob(ctx, job),
		d.ts.CreateForecast(ctx, f),
		d.ts.PutDataKey(ctx, &wellbase.WrappedKey{Version: 2, Wrapped: wrapped(), CreatedAt: at}),
	} {
		checkCode(t, "store every kind of record for "+tenant, err, "")
	}
	if _, err := d.ts.UpsertProduction(ctx, []*wellbase.ProductionRecord{rec}); err != nil {
		t.Fatal(err)
	}
	mustClaim(t, s, claim(tenant, "offboarding-key", "own_"+tenant, at, time.Minute), at)
	return d, job, f
}

func testOffboarding(t *testing.T, s wellbase.Store) {
	ctx := t.Context()
	acme, acmeJob, acmeForecast := storeEveryKind(t, s, "acme")
	globex, globexJob, _ := storeEveryKind(t, s, "globex")

	t.Run("RewrapDataKey", func(t *testing.T) {
		// Runs before the purge below: subtests of a group run in order.
		w := wrapped()
		checkCode(t, "RewrapDataKey", acme.ts.RewrapDataKey(ctx, &wellbase.WrappedKey{Version: 1, Wrapped: w}), "")
		keys, err := acme.ts.DataKeys(ctx)
		checkCode(t, "DataKeys", err, "")
		if len(keys) != 2 || !bytes.Equal(keys[0].Wrapped, w) || bytes.Equal(keys[1].Wrapped, w) || !keys[0].CreatedAt.Equal(acme.key.CreatedAt) {
			t.Fatalf("after rewrapping version 1: %+v", keys)
		}
		gk, _ := globex.ts.DataKeys(ctx)
		if bytes.Equal(gk[0].Wrapped, w) {
			t.Fatal("rewrapping acme's version 1 changed globex's")
		}
		checkCode(t, "RewrapDataKey of a missing version", acme.ts.RewrapDataKey(ctx, &wellbase.WrappedKey{Version: 9, Wrapped: w}), wellbase.ENotFound)
		checkCode(t, "RewrapDataKey with no key", acme.ts.RewrapDataKey(ctx, &wellbase.WrappedKey{Version: 1}), wellbase.EInvalid)
	})
	t.Run("DeleteDataKey", func(t *testing.T) {
		checkCode(t, "PutDataKey v3", acme.ts.PutDataKey(ctx, &wellbase.WrappedKey{Version: 3, Wrapped: wrapped(), CreatedAt: now()}), "")
		checkCode(t, "DeleteDataKey of globex's v3", globex.ts.DeleteDataKey(ctx, 3), wellbase.ENotFound)
		checkCode(t, "DeleteDataKey v3", acme.ts.DeleteDataKey(ctx, 3), "")
		checkCode(t, "DeleteDataKey v3 again", acme.ts.DeleteDataKey(ctx, 3), wellbase.ENotFound)
		if keys, _ := acme.ts.DataKeys(ctx); len(keys) != 2 || keys[1].Version != 2 {
			t.Fatalf("acme's keys after deleting v3: %+v", keys)
		}
		if keys, _ := globex.ts.DataKeys(ctx); len(keys) != 2 {
			t.Fatalf("globex's keys: %d", len(keys))
		}
	})
	t.Run("DeleteDataKeys", func(t *testing.T) {
		deleted, err := acme.ts.DeleteDataKeys(ctx)
		checkCode(t, "DeleteDataKeys", err, "")
		if len(deleted) != 2 || deleted[0].Version != 1 || deleted[1].Version != 2 {
			t.Fatalf("deleted %+v, want versions 1 and 2", deleted)
		}
		if keys, _ := acme.ts.DataKeys(ctx); len(keys) != 0 {
			t.Fatalf("acme still has %d data keys", len(keys))
		}
		if again, err := acme.ts.DeleteDataKeys(ctx); err != nil || len(again) != 0 {
			t.Fatalf("second DeleteDataKeys = %d keys, %v", len(again), err)
		}
		if keys, _ := globex.ts.DataKeys(ctx); len(keys) != 2 {
			t.Fatalf("globex has %d data keys after acme's were deleted", len(keys))
		}
	})
	t.Run("Purge", func(t *testing.T) {
		counts, err := acme.ts.Purge(ctx)
		checkCode(t, "Purge", err, "")
		want := map[string]int64{"users": 1, "credentials": 2, "wells": 1, "logs": 1, "jobs": 1, "production": 1,
			"forecasts": 1, "audit_events": 1, "request_counts": 1, "data_keys": 0, "idempotency_keys": 1}
		for kind, n := range want {
			if counts[kind] != n {
				t.Errorf("Purge deleted %d %s, want %d (all counts: %v)", counts[kind], kind, n, counts)
			}
		}
		_, err = acme.ts.GetUser(ctx, acme.user.ID)
		checkCode(t, "GetUser after purge", err, wellbase.ENotFound)
		_, err = s.CredentialByHash(ctx, acme.api.Hash)
		checkCode(t, "CredentialByHash after purge", err, wellbase.ENotFound)
		_, err = acme.ts.GetWell(ctx, acme.well.ID)
		checkCode(t, "GetWell after purge", err, wellbase.ENotFound)
		_, err = acme.ts.GetJob(ctx, acmeJob.ID)
		checkCode(t, "GetJob after purge", err, wellbase.ENotFound)
		_, err = acme.ts.GetForecast(ctx, acmeForecast.ID)
		checkCode(t, "GetForecast after purge", err, wellbase.ENotFound)
		if logs, _, err := acme.ts.ListLogs(ctx, "", wellbase.Page{}); err != nil || len(logs) != 0 {
			t.Errorf("ListLogs after purge = %d, %v", len(logs), err)
		}
		if recs, err := acme.ts.Production(ctx, wellbase.ProductionQuery{WellID: acme.well.ID, Period: "day"}); err != nil || len(recs) != 0 {
			t.Errorf("Production after purge = %d, %v", len(recs), err)
		}
		if ev, _, err := acme.ts.ListAudit(ctx, wellbase.Page{}); err != nil || len(ev) != 0 {
			t.Errorf("ListAudit after purge = %d, %v", len(ev), err)
		}
		if n, err := acme.ts.Requests(ctx, isolationDay); err != nil || n != 0 {
			t.Errorf("Requests after purge = %d, %v", n, err)
		}
		if n, err := acme.ts.StoredBytes(ctx); err != nil || n != 0 {
			t.Errorf("StoredBytes after purge = %d, %v", n, err)
		}
		refs, _, err := s.RunnableJobs(ctx, now(), nil)
		checkCode(t, "RunnableJobs", err, "")
		for _, r := range refs {
			if r.TenantID == "acme" {
				t.Errorf("RunnableJobs lists purged job %s", r.ID)
			}
		}
		if _, err := s.GetTenant(ctx, "acme"); err != nil {
			t.Errorf("the tenant record must survive Purge: %v", err)
		}
		again, err := acme.ts.Purge(ctx)
		checkCode(t, "second Purge", err, "")
		for kind, n := range again {
			if n != 0 {
				t.Errorf("second Purge deleted %d %s", n, kind)
			}
		}
	})
	t.Run("OtherTenantUntouched", func(t *testing.T) {
		_, err := globex.ts.GetUser(ctx, globex.user.ID)
		checkCode(t, "globex GetUser", err, "")
		_, err = s.CredentialByHash(ctx, globex.api.Hash)
		checkCode(t, "globex CredentialByHash", err, "")
		_, err = globex.ts.GetJob(ctx, globexJob.ID)
		checkCode(t, "globex GetJob", err, "")
		if recs, _ := globex.ts.Production(ctx, wellbase.ProductionQuery{WellID: globex.well.ID, Period: "day"}); len(recs) != 1 {
			t.Errorf("globex has %d production records", len(recs))
		}
		if n, _ := globex.ts.Requests(ctx, isolationDay); n != 7 {
			t.Errorf("globex requests = %d", n)
		}
		if n, _ := globex.ts.StoredBytes(ctx); n != 1000 {
			t.Errorf("globex stored bytes = %d", n)
		}
		at := now()
		held, err := s.ClaimIdempotencyKey(ctx, claim("globex", "offboarding-key", "own_other", at, time.Minute), at)
		if err != nil || held == nil || held.Owner != "own_globex" {
			t.Errorf("globex's idempotency record after acme's purge: %+v, %v; want it held by own_globex", held, err)
		}
	})
	t.Run("Empty tenant ID", func(t *testing.T) {
		_, err := s.Tenant("").Purge(ctx)
		checkCode(t, "Purge of no tenant", err, wellbase.EInvalid)
		_, err = s.Tenant("").DeleteDataKeys(ctx)
		checkCode(t, "DeleteDataKeys of no tenant", err, wellbase.EInvalid)
	})
}

func testControlAudit(t *testing.T, s wellbase.Store) {
	ctx := t.Context()
	createTenant(t, s, "acme")
	ids := newIDs("cae", 3)
	at := now()
	events := []*wellbase.AuditEvent{
		{ID: ids[0], TenantID: "acme", Time: at, Actor: "operator:op_1", Action: "tenant.onboard", Target: "acme"},
		{ID: ids[1], TenantID: "", Time: at, Actor: "system", Action: "keys.rotate_root", Target: "root", Details: map[string]any{"rewrapped": 3.0}},
		{ID: ids[2], TenantID: "acme", Time: at, Actor: "operator:op_1", Action: "tenant.delete", Target: "acme",
			RequestID: "req_1", RemoteAddr: "10.0.0.1", Details: map[string]any{"data_keys": []any{"acme/v1"}}},
	}
	for _, e := range events {
		checkCode(t, "AppendControlAudit", s.AppendControlAudit(ctx, e), "")
	}
	checkCode(t, "AppendControlAudit of a duplicate ID", s.AppendControlAudit(ctx, events[0]), wellbase.EConflict)
	first, next, err := s.ListControlAudit(ctx, wellbase.Page{Limit: 2})
	checkCode(t, "ListControlAudit", err, "")
	checkEqual(t, "first page newest first", first, []*wellbase.AuditEvent{events[2], events[1]})
	checkUTC(t, "control audit events", first)
	rest, next2, err := s.ListControlAudit(ctx, wellbase.Page{Limit: 2, After: next})
	checkCode(t, "ListControlAudit page 2", err, "")
	checkEqual(t, "second page", rest, []*wellbase.AuditEvent{events[0]})
	if next == "" || next2 != "" {
		t.Errorf("cursors %q, %q", next, next2)
	}
	if _, err := s.Tenant("acme").Purge(ctx); err != nil {
		t.Fatal(err)
	}
	after, _, _ := s.ListControlAudit(ctx, wellbase.Page{})
	if len(after) != 3 {
		t.Errorf("the control-plane audit log lost events to a tenant purge: %d left", len(after))
	}
	if tenantLog, _, _ := s.Tenant("acme").ListAudit(ctx, wellbase.Page{}); len(tenantLog) != 0 {
		t.Errorf("control-plane events show in the tenant's log: %d", len(tenantLog))
	}
}
