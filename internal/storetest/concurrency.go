package storetest

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/wellbase/wellbase"
)

// workers is the number of goroutines the concurrency tests run at once.
const workers = 20

// runWorkers runs work(i) for i in [0, workers) at once and fails t for every error.
func runWorkers(t *testing.T, work func(ctx context.Context, i int) error) {
	t.Helper()
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for i := range workers {
		wg.Go(func() { errs[i] = work(t.Context(), i) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("worker %d: %v", i, err)
		}
	}
}

func testConcurrency(t *testing.T, s wellbase.Store) {
	tenants := []string{"acme", "globex"}
	for _, id := range tenants {
		createTenant(t, s, id)
	}

	t.Run("WellsAndAudit", func(t *testing.T) {
		runWorkers(t, func(ctx context.Context, i int) error {
			ts := s.Tenant(tenants[i%2])
			w := newWells(ts.TenantID(), 1)[0]
			if err := ts.CreateWell(ctx, w); err != nil {
				return err
			}
			e := &wellbase.AuditEvent{ID: wellbase.NewID("aud"), Time: now(), Actor: "system", Action: "well.create", Target: w.ID, Details: map[string]any{"worker": float64(i)}}
			if err := ts.AppendAudit(ctx, e); err != nil {
				return err
			}
			if _, err := ts.GetWell(ctx, w.ID); err != nil {
				return err
			}
			_, err := s.GetTenant(ctx, ts.TenantID())
			return err
		})
		for _, id := range tenants {
			ts := s.Tenant(id)
			n, err := ts.CountWells(t.Context())
			checkCode(t, "CountWells", err, "")
			events, _, err := ts.ListAudit(t.Context(), wellbase.Page{Limit: workers})
			checkCode(t, "ListAudit", err, "")
			if n != workers/2 || len(events) != workers/2 {
				t.Errorf("tenant %s has %d wells and %d audit events, want %d of each", id, n, len(events), workers/2)
			}
		}
	})

	t.Run("OnboardingSteps", func(t *testing.T) {
		runWorkers(t, func(ctx context.Context, i int) error {
			step := &wellbase.OnboardingStep{Name: fmt.Sprintf("step-%02d", i), DurationMS: float64(i), DoneAt: now()}
			_, err := s.UpdateTenant(ctx, "acme", wellbase.TenantUpdate{Step: step})
			return err
		})
		tn, err := s.GetTenant(t.Context(), "acme")
		checkCode(t, "GetTenant", err, "")
		var names []string
		for _, st := range tn.Onboarding {
			names = append(names, st.Name)
		}
		slices.Sort(names)
		var want []string
		for i := range workers {
			want = append(want, fmt.Sprintf("step-%02d", i))
		}
		checkEqual(t, "onboarding steps (sorted)", names, want)
	})

	t.Run("Requests", func(t *testing.T) {
		day := time.Now().UTC().Format(time.DateOnly)
		runWorkers(t, func(ctx context.Context, i int) error {
			return s.Tenant("globex").AddRequests(ctx, day, int64(i+1))
		})
		n, err := s.Tenant("globex").Requests(t.Context(), day)
		checkCode(t, "Requests", err, "")
		if want := int64(workers * (workers + 1) / 2); n != want {
			t.Errorf("Requests = %d, want %d", n, want)
		}
	})
}

func testCanceledContext(t *testing.T, s wellbase.Store) {
	acme := createTenant(t, s, "acme")
	ts := s.Tenant("acme")
	at := now()
	user := newUsers("acme", 1)[0]
	cred := newCredential(wellbase.NewID("crd"), "acme", user.ID, wellbase.CredentialAPIToken, at.Add(time.Hour))
	well := newWells("acme", 1)[0]
	createUsers(t, ts, user)
	createCredentials(t, ts, cred)
	createWells(t, ts, well)

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	ghost := newTenant("ghost", at)
	newUser := newUsers("acme", 1)[0]
	newCred := newCredential(wellbase.NewID("crd"), "acme", user.ID, wellbase.CredentialAPIToken, at.Add(time.Hour))
	newWell := newWells("acme", 1)[0]
	changed := *well
	changed.Name = "Changed"
	event := &wellbase.AuditEvent{ID: wellbase.NewID("aud"), Time: at, Actor: "system", Action: "well.create", Target: well.ID}
	op := &wellbase.Operator{ID: wellbase.NewID("opr"), Email: "ada@wellbase.example", CreatedAt: at}
	opCred := &wellbase.Credential{ID: wellbase.NewID("crd"), Kind: wellbase.CredentialOperator, UserID: op.ID, Hash: hash("canceled-operator"), CreatedAt: at, ExpiresAt: at.Add(time.Hour)}
	page := wellbase.Page{}
	api := wellbase.CredentialAPIToken
	day := "2026-03-01"
	tests := []struct {
		name string
		call func() error
	}{
		{"Ping", func() error { return s.Ping(ctx) }},
		{"RunnableJobs", func() error { _, _, err := s.RunnableJobs(ctx, at, nil); return err }},
		{"QueueStats", func() error { _, err := s.QueueStats(ctx, at, []string{"decline-fit"}); return err }},
		{"CreateTenant", func() error { return s.CreateTenant(ctx, ghost) }},
		{"GetTenant", func() error { _, err := s.GetTenant(ctx, "acme"); return err }},
		{"ListTenants", func() error { _, _, err := s.ListTenants(ctx, page); return err }},
		{"UpdateTenant", func() error {
			_, err := s.UpdateTenant(ctx, "acme", wellbase.TenantUpdate{Name: ptr("Changed")})
			return err
		}},
		{"CreateOperator", func() error { return s.CreateOperator(ctx, op) }},
		{"GetOperator", func() error { _, err := s.GetOperator(ctx, op.ID); return err }},
		{"CreateOperatorCredential", func() error { return s.CreateOperatorCredential(ctx, opCred) }},
		{"CredentialByHash", func() error { _, err := s.CredentialByHash(ctx, cred.Hash); return err }},
		{"PutDataKey", func() error {
			return ts.PutDataKey(ctx, &wellbase.WrappedKey{Version: 1, Wrapped: wrapped(), CreatedAt: at})
		}},
		{"DataKeys", func() error { _, err := ts.DataKeys(ctx); return err }},
		{"CreateUser", func() error { return ts.CreateUser(ctx, newUser) }},
		{"GetUser", func() error { _, err := ts.GetUser(ctx, user.ID); return err }},
		{"UserByEmail", func() error { _, err := ts.UserByEmail(ctx, user.Email); return err }},
		{"ListUsers", func() error { _, _, err := ts.ListUsers(ctx, page); return err }},
		{"CountUsers", func() error { _, err := ts.CountUsers(ctx); return err }},
		{"CreateCredential", func() error { return ts.CreateCredential(ctx, newCred) }},
		{"ListCredentials", func() error { _, _, err := ts.ListCredentials(ctx, api, page); return err }},
		{"GetCredential", func() error { _, err := ts.GetCredential(ctx, cred.ID); return err }},
		{"RevokeCredential", func() error { return ts.RevokeCredential(ctx, cred.ID, at) }},
		{"CountCredentials", func() error { _, err := ts.CountCredentials(ctx, api, at); return err }},
		{"CreateWell", func() error { return ts.CreateWell(ctx, newWell) }},
		{"GetWell", func() error { _, err := ts.GetWell(ctx, well.ID); return err }},
		{"ListWells", func() error { _, _, err := ts.ListWells(ctx, page); return err }},
		{"UpdateWell", func() error { w := changed; return ts.UpdateWell(ctx, &w) }},
		{"DeleteWell", func() error { return ts.DeleteWell(ctx, well.ID) }},
		{"CountWells", func() error { _, err := ts.CountWells(ctx); return err }},
		{"AppendAudit", func() error { return ts.AppendAudit(ctx, event) }},
		{"ListAudit", func() error { _, _, err := ts.ListAudit(ctx, page); return err }},
		{"AddRequests", func() error { return ts.AddRequests(ctx, day, 1) }},
		{"Requests", func() error { _, err := ts.Requests(ctx, day); return err }},
		{"ClaimIdempotencyKey", func() error {
			_, err := s.ClaimIdempotencyKey(ctx, claim("acme", "k", "own", at, time.Minute), at)
			return err
		}},
		{"RenewIdempotencyKey", func() error { return s.RenewIdempotencyKey(ctx, "acme", "k", "own", at) }},
		{"CompleteIdempotencyKey", func() error {
			return s.CompleteIdempotencyKey(ctx, &wellbase.IdempotencyRecord{Scope: "acme", Key: "k", Owner: "own", Status: 201})
		}},
		{"ReleaseIdempotencyKey", func() error { return s.ReleaseIdempotencyKey(ctx, "acme", "k", "own") }},
		{"DeleteExpiredIdempotencyKeys", func() error { _, err := s.DeleteExpiredIdempotencyKeys(ctx, at); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkCanceled(t, tt.name, tt.call())
		})
	}

	// Nothing was written.
	t.Run("NothingWritten", func(t *testing.T) {
		ctx := t.Context()
		got, err := s.GetTenant(ctx, "acme")
		checkCode(t, "GetTenant", err, "")
		checkEqual(t, "tenant", got, acme)
		_, err = s.GetTenant(ctx, ghost.ID)
		checkCode(t, "GetTenant of a tenant created with a cancelled context", err, wellbase.ENotFound)
		_, err = s.GetOperator(ctx, op.ID)
		checkCode(t, "GetOperator", err, wellbase.ENotFound)
		_, err = s.CredentialByHash(ctx, opCred.Hash)
		checkCode(t, "CredentialByHash", err, wellbase.ENotFound)
		_, err = ts.GetUser(ctx, newUser.ID)
		checkCode(t, "GetUser", err, wellbase.ENotFound)
		_, err = ts.GetCredential(ctx, newCred.ID)
		checkCode(t, "GetCredential", err, wellbase.ENotFound)
		c, err := ts.GetCredential(ctx, cred.ID)
		checkCode(t, "GetCredential", err, "")
		checkEqual(t, "credential", c, cred)
		_, err = ts.GetWell(ctx, newWell.ID)
		checkCode(t, "GetWell", err, wellbase.ENotFound)
		w, err := ts.GetWell(ctx, well.ID)
		checkCode(t, "GetWell", err, "")
		checkEqual(t, "well", w, well)
		keys, err := ts.DataKeys(ctx)
		checkCode(t, "DataKeys", err, "")
		events, _, err := ts.ListAudit(ctx, page)
		checkCode(t, "ListAudit", err, "")
		n, err := ts.Requests(ctx, day)
		checkCode(t, "Requests", err, "")
		if len(keys) != 0 || len(events) != 0 || n != 0 {
			t.Errorf("after calls with a cancelled context: %d data keys, %d audit events, %d requests; want none", len(keys), len(events), n)
		}
		mustClaim(t, s, claim("acme", "k", "own_after", at, time.Minute), at) // no claim was stored
	})
}
