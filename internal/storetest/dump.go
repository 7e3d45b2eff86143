package storetest

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wellbase/wellbase"
)

// dump is what a Dump yielded: the records of each kind in order, and the order of the kinds.
type dump struct {
	records map[wellbase.RecordKind][]any
	kinds   []wellbase.RecordKind
}

// dumpOf runs a Dump (s.Dump or a TenantStore's) and returns what it yielded. It fails t if the
// records of one kind do not come together, or if a record is not of its kind's type.
func dumpOf(t testing.TB, what string, run func(context.Context, wellbase.DumpFunc) error) dump {
	t.Helper()
	d := dump{records: map[wellbase.RecordKind][]any{}}
	err := run(t.Context(), func(kind wellbase.RecordKind, rec any) error {
		if n := len(d.kinds); n == 0 || d.kinds[n-1] != kind {
			if slices.Contains(d.kinds, kind) {
				return fmt.Errorf("%s: records of kind %s do not come together", what, kind)
			}
			d.kinds = append(d.kinds, kind)
		}
		want, err := wellbase.NewRecord(kind)
		if err != nil {
			return err
		}
		if fmt.Sprintf("%T", rec) != fmt.Sprintf("%T", want) {
			return fmt.Errorf("%s: a record of kind %s is a %T, want %T", what, kind, rec, want)
		}
		d.records[kind] = append(d.records[kind], rec)
		return nil
	})
	checkCode(t, what, err, "")
	return d
}

// load loads every record of d into the store through load, kind by kind in the order of
// kinds, all records of a kind in one call.
func (d dump) load(t testing.TB, what string, kinds []wellbase.RecordKind, load func(context.Context, wellbase.RecordKind, ...any) error) {
	t.Helper()
	for _, k := range kinds {
		checkCode(t, what+" "+string(k), load(t.Context(), k, d.records[k]...), "")
	}
}

// storeForDump stores, in tenant of s, one or more records of every kind with every field set
// (revoked credentials, finished jobs, production with gaps, …), beyond storeEveryKind's.
func storeForDump(t *testing.T, s wellbase.Store, tenant string) *tenantData {
	t.Helper()
	ctx := t.Context()
	d, _, _ := storeEveryKind(t, s, tenant)
	at := now()
	revoked := newCredential(wellbase.NewID("crd"), tenant, d.user.ID, wellbase.CredentialAPIToken, at.Add(time.Hour))
	createCredentials(t, d.ts, revoked)
	checkCode(t, "RevokeCredential", d.ts.RevokeCredential(ctx, revoked.ID, at), "")
	done := newJob(wellbase.NewID("job"), tenant, at)
	done.Status, done.Attempts, done.Progress, done.Result = wellbase.JobSucceeded, 1, 1, json.RawMessage(`{"forecast_id":"fc_1"}`)
	done.LeaseOwner, done.LeaseUntil, done.FinishedAt = "host/1", ptr(at.Add(time.Minute)), ptr(at)
	checkCode(t, "CreateJob", d.ts.CreateJob(ctx, done), "")
	month := &wellbase.ProductionRecord{WellID: d.well.ID, Date: day("2009-02-01"), Period: "month", Gas: ptr(2500.5),
		OnStreamHours: ptr(600.0), Units: wellbase.ProductionUnits{Gas: "Sm3"}, ImportID: "imp_2", UpdatedAt: at}
	if _, err := d.ts.UpsertProduction(ctx, []*wellbase.ProductionRecord{month}); err != nil {
		t.Fatal(err)
	}
	checkCode(t, "AddRequests", d.ts.AddRequests(ctx, "2026-03-15", 3), "")
	signsIn := &wellbase.User{ID: wellbase.NewID("usr"), Email: "john@example.com", Role: wellbase.RoleViewer,
		PasswordHash: "$argon2id$v=19$m=65536,t=1,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo", CreatedAt: at}
	createUsers(t, d.ts, signsIn)
	return d
}

// notDumped lists the kinds Purge deletes that a dump need not hold, by prefix of their name:
// idempotency records of retried requests expire within a day.
var notDumped = []string{"idempotency"}

// testDumpLoad checks the bulk export and import on src and dst, two empty stores: what src
// dumps, loaded into dst, dumps the same; loading again changes nothing; every kind is there.
func testDumpLoad(t *testing.T, src, dst wellbase.Store) {
	ctx := t.Context()
	acme := storeForDump(t, src, "acme")
	storeForDump(t, src, "globex")
	at := now()
	op := &wellbase.Operator{ID: wellbase.NewID("opr"), Email: "ada@wellbase.example", CreatedAt: at}
	opCred := &wellbase.Credential{ID: wellbase.NewID("crd"), Kind: wellbase.CredentialOperator, UserID: op.ID, Name: "cli",
		Hash: hash("dump-operator"), Prefix: "wbo_dump", CreatedAt: at, ExpiresAt: at.Add(time.Hour)}
	checkCode(t, "CreateOperator", src.CreateOperator(ctx, op), "")
	checkCode(t, "CreateOperatorCredential", src.CreateOperatorCredential(ctx, opCred), "")
	checkCode(t, "AppendControlAudit", src.AppendControlAudit(ctx, &wellbase.AuditEvent{ID: wellbase.NewID("cae"), TenantID: "acme",
		Time: at, Actor: "operator:" + op.ID, Action: "tenant.onboard", Target: "acme", Details: map[string]any{"tier": "standard"}}), "")
	if _, err := src.UpdateTenant(ctx, "acme", wellbase.TenantUpdate{Limits: &wellbase.LimitOverrides{Burst: ptr(7)},
		Step: &wellbase.OnboardingStep{Name: "data-key", DurationMS: 1.5, DoneAt: at}}); err != nil {
		t.Fatal(err)
	}

	control := dumpOf(t, "Dump", src.Dump)
	tenant := dumpOf(t, "Dump of acme", acme.ts.Dump)

	t.Run("EveryKind", func(t *testing.T) {
		for _, k := range wellbase.ControlKinds {
			if len(control.records[k]) == 0 {
				t.Errorf("Dump yielded no record of control-plane kind %s", k)
			}
		}
		for _, k := range wellbase.TenantKinds {
			if len(tenant.records[k]) == 0 {
				t.Errorf("Dump of acme yielded no record of kind %s", k)
			}
		}
		for _, k := range control.kinds {
			if wellbase.CheckControlKind(k) != nil {
				t.Errorf("Dump yielded kind %s, which is not a control-plane kind", k)
			}
		}
		for _, k := range tenant.kinds {
			if wellbase.CheckTenantKind(k) != nil {
				t.Errorf("Dump of acme yielded kind %s, which is not a tenant kind", k)
			}
		}
		if n := len(control.records[wellbase.KindTenant]); n != 2 {
			t.Errorf("Dump yielded %d tenants, want 2", n)
		}
		if n := len(tenant.records[wellbase.KindCredential]); n != 3 {
			t.Errorf("Dump of acme yielded %d credentials, want 3 (not the operator's)", n)
		}
		checkUTC(t, "dumped records", tenant.records)
		checkUTC(t, "dumped control-plane records", control.records)
	})
	t.Run("OnlyTheTenant", func(t *testing.T) {
		for k, recs := range tenant.records {
			for _, rec := range recs {
				b, _ := json.Marshal(rec)
				var v struct {
					Tenant string `json:"tenant"`
				}
				json.Unmarshal(b, &v)
				if v.Tenant != "acme" {
					t.Errorf("Dump of acme yielded a %s record of tenant %q: %s", k, v.Tenant, b)
				}
			}
		}
	})
	t.Run("SecretsAsStored", func(t *testing.T) {
		var hashes int
		for _, rec := range tenant.records[wellbase.KindUser] {
			if strings.HasPrefix(rec.(*wellbase.User).PasswordHash, "$argon2id$") {
				hashes++
			}
		}
		if hashes != 1 {
			t.Errorf("%d dumped users have their password hash, want 1", hashes)
		}
		for _, rec := range tenant.records[wellbase.KindCredential] {
			if c := rec.(*wellbase.Credential); c.Hash == "" {
				t.Errorf("dumped credential %s has no token hash", c.ID)
			}
		}
		keys := tenant.records[wellbase.KindDataKey]
		if len(keys) != 2 || string(keys[0].(*wellbase.WrappedKey).Wrapped) != string(acme.key.Wrapped) {
			t.Errorf("dumped data keys %d, want versions 1 and 2 with their wrapped bytes", len(keys))
		}
	})

	// Load into dst twice: the second load must leave one copy of each.
	for range 2 {
		control.load(t, "Load", wellbase.ControlKinds, dst.Load)
		tenant.load(t, "Load into acme", wellbase.TenantKinds, dst.Tenant("acme").Load)
	}
	t.Run("RoundTrip", func(t *testing.T) {
		checkEqual(t, "control-plane records loaded and dumped again", dumpOf(t, "Dump of the copy", dst.Dump).records, control.records)
		checkEqual(t, "acme's records loaded and dumped again", dumpOf(t, "Dump of acme's copy", dst.Tenant("acme").Dump).records, tenant.records)
	})
	t.Run("ReadBack", func(t *testing.T) {
		ts := dst.Tenant("acme")
		c, err := dst.CredentialByHash(ctx, acme.api.Hash)
		checkCode(t, "CredentialByHash of a loaded token", err, "")
		checkEqual(t, "credential", c, acme.api)
		o, err := dst.CredentialByHash(ctx, opCred.Hash)
		checkCode(t, "CredentialByHash of a loaded operator token", err, "")
		if o.Kind != wellbase.CredentialOperator || o.TenantID != "" {
			t.Errorf("loaded operator credential %+v", o)
		}
		if _, err := dst.GetOperator(ctx, op.ID); err != nil {
			t.Errorf("GetOperator: %v", err)
		}
		tn, err := dst.GetTenant(ctx, "acme")
		checkCode(t, "GetTenant", err, "")
		want, _ := src.GetTenant(ctx, "acme")
		checkEqual(t, "tenant (UpdatedAt as stored, not the time of the load)", tn, want)
		u, err := ts.UserByEmail(ctx, acme.user.Email)
		checkCode(t, "UserByEmail", err, "")
		checkEqual(t, "user", u, acme.user)
		if n, err := ts.Requests(ctx, isolationDay); n != 7 || err != nil {
			t.Errorf("Requests = %d, %v; want 7", n, err)
		}
		if n, err := ts.StoredBytes(ctx); n != 1000 || err != nil {
			t.Errorf("StoredBytes = %d, %v; want 1000", n, err)
		}
		recs, err := ts.Production(ctx, wellbase.ProductionQuery{WellID: acme.well.ID, Period: "month"})
		if err != nil || len(recs) != 1 || recs[0].Gas == nil || *recs[0].Gas != 2500.5 || recs[0].Oil != nil {
			t.Errorf("Production = %v, %v", recs, err)
		}
		if _, err := dst.GetTenant(ctx, "globex"); err != nil {
			t.Errorf("GetTenant globex (its record is control-plane): %v", err)
		}
		if wells, _, _ := dst.Tenant("globex").ListWells(ctx, wellbase.Page{}); len(wells) != 0 {
			t.Errorf("globex has %d wells in the copy: only acme's records were loaded", len(wells))
		}
	})
	t.Run("LoadReplaces", func(t *testing.T) {
		ts := dst.Tenant("acme")
		w := *acme.well
		w.Name, w.Latitude, w.Longitude = "renamed", nil, nil
		checkCode(t, "Load a changed well", ts.Load(ctx, wellbase.KindWell, &w), "")
		got, _ := ts.GetWell(ctx, w.ID)
		checkEqual(t, "well after Load", got, &w)
		// A production record loaded replaces the stored one whole (UpsertProduction would merge).
		r := &wellbase.ProductionRecord{WellID: acme.well.ID, Date: day("2009-02-01"), Period: "month", Oil: ptr(1.0),
			ImportID: "imp_3", UpdatedAt: at}
		checkCode(t, "Load production", ts.Load(ctx, wellbase.KindProduction, r), "")
		recs, _ := ts.Production(ctx, wellbase.ProductionQuery{WellID: acme.well.ID, Period: "month"})
		if len(recs) != 1 || recs[0].Gas != nil || recs[0].Oil == nil || recs[0].Units.Gas != "" {
			t.Errorf("production after Load = %+v, want the loaded record only", recs)
		}
		// A log without curves or warnings (still processing) has empty lists, never nil: the
		// API shows "curves": [] and "warnings": [] whatever the driver, before and after a move.
		staged := &wellbase.WellLog{ID: wellbase.NewID("log"), WellID: acme.well.ID, Status: wellbase.LogProcessing,
			Curves: []wellbase.CurveSummary{}, Warnings: []wellbase.LogWarning{}, CreatedAt: at}
		checkCode(t, "Load a log being processed", ts.Load(ctx, wellbase.KindLog, staged), "")
		if got, err := ts.GetLog(ctx, staged.ID); err != nil || got.Curves == nil || got.Warnings == nil {
			t.Errorf("a log with no curves or warnings reads back with curves %#v and warnings %#v (%v), want empty lists", got.Curves, got.Warnings, err)
		}
	})
	t.Run("Errors", func(t *testing.T) {
		ts := dst.Tenant("acme")
		other := *acme.user
		other.ID = wellbase.NewID("usr")
		checkCode(t, "Load a user with another user's email", ts.Load(ctx, wellbase.KindUser, &other), wellbase.EConflict)
		if _, err := ts.GetUser(ctx, other.ID); wellbase.ErrorCode(err) != wellbase.ENotFound {
			t.Errorf("the conflicting user was stored: %v", err)
		}
		if u, err := ts.GetUser(ctx, acme.user.ID); err != nil || u.Email != acme.user.Email {
			t.Errorf("the user holding the email was changed: %v, %v", u, err)
		}
		twin := *acme.api
		twin.ID = wellbase.NewID("crd")
		checkCode(t, "Load a credential with another's token hash", ts.Load(ctx, wellbase.KindCredential, &twin), wellbase.EConflict)
		checkCode(t, "Load a record of the wrong type", ts.Load(ctx, wellbase.KindWell, acme.user), wellbase.EInvalid)
		checkCode(t, "Load an unknown kind", ts.Load(ctx, "widgets", acme.user), wellbase.EInvalid)
		checkCode(t, "Load a tenant kind into the control plane", dst.Load(ctx, wellbase.KindWell, acme.well), wellbase.EInvalid)
		checkCode(t, "Load a control-plane kind into a tenant", ts.Load(ctx, wellbase.KindOperator, op), wellbase.EInvalid)
		opc := *opCred
		checkCode(t, "Load an operator credential into a tenant", ts.Load(ctx, wellbase.KindCredential, &opc), wellbase.EInvalid)
		checkCode(t, "Load into no tenant", dst.Tenant("").Load(ctx, wellbase.KindWell, acme.well), wellbase.EInvalid)
		checkCode(t, "Dump of no tenant", dst.Tenant("").Dump(ctx, func(wellbase.RecordKind, any) error { return nil }), wellbase.EInvalid)
	})
	t.Run("FnErrorStops", func(t *testing.T) {
		stop := fmt.Errorf("stop here")
		n := 0
		err := acme.ts.Dump(ctx, func(wellbase.RecordKind, any) error { n++; return stop })
		if err != stop || n != 1 {
			t.Errorf("Dump with fn failing at once: %v after %d records; want fn's error after 1", err, n)
		}
	})
	t.Run("CanceledContext", func(t *testing.T) {
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		w := newWells("acme", 1)[0]
		checkCanceled(t, "Dump", src.Dump(cctx, func(wellbase.RecordKind, any) error { return nil }))
		checkCanceled(t, "tenant Dump", acme.ts.Dump(cctx, func(wellbase.RecordKind, any) error { return nil }))
		checkCanceled(t, "Load", dst.Load(cctx, wellbase.KindOperator, &wellbase.Operator{ID: "opr_ghost", CreatedAt: at}))
		checkCanceled(t, "tenant Load", dst.Tenant("acme").Load(cctx, wellbase.KindWell, w))
		if _, err := dst.Tenant("acme").GetWell(ctx, w.ID); wellbase.ErrorCode(err) != wellbase.ENotFound {
			t.Errorf("a well loaded with a cancelled context was stored: %v", err)
		}
		if _, err := dst.GetOperator(ctx, "opr_ghost"); wellbase.ErrorCode(err) != wellbase.ENotFound {
			t.Errorf("an operator loaded with a cancelled context was stored: %v", err)
		}
	})
	// A kind of record the driver stores (and offboarding purges) but does not dump would be
	// lost by a backup: every kind Purge counts must be one Dump yields.
	t.Run("PurgedKindsAreDumped", func(t *testing.T) {
		counts, err := acme.ts.Purge(ctx)
		checkCode(t, "Purge", err, "")
		for kind, n := range counts {
			if n == 0 || slices.ContainsFunc(notDumped, func(p string) bool { return strings.HasPrefix(kind, p) }) {
				continue
			}
			if len(tenant.records[wellbase.RecordKind(kind)]) == 0 {
				t.Errorf("Purge deleted %d records of kind %q, which Dump does not yield: a backup would lose them", n, kind)
			}
		}
	})
}
