package tenancy

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/files"
	"github.com/wellbase/wellbase/internal/identity"
	"github.com/wellbase/wellbase/internal/keyring"
	"github.com/wellbase/wellbase/internal/sqlite/sqlitetest"
)

var operator = &wellbase.Principal{Operator: true, UserID: "opr_test"}

// newOnboarder returns an Onboarder on real components in a temp dir.
func newOnboarder(tb testing.TB) (*Onboarder, *files.Store) {
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
	return &Onboarder{
		Store: db,
		NewWrappedDataKey: func(ctx context.Context, tenant string) ([]byte, error) {
			_, w, err := kr.NewDataKey(ctx, tenant)
			return w, err
		},
		CreateFilePrefix: fs.CreateTenantPrefix,
	}, fs
}

func request(id string) Request {
	return Request{ID: id, Name: "Acme Oil", Tier: wellbase.TierStandard, AdminEmail: "admin@" + id + ".example"}
}

func TestOnboard(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	o, fs := newOnboarder(t)
	res, err := o.Onboard(ctx, request("acme"), operator)
	if err != nil {
		t.Fatal(err)
	}
	if res.Tenant.Status != wellbase.TenantActive || res.AdminToken == "" || res.Onboarding.Resumed {
		t.Fatalf("result %+v", res)
	}
	if len(res.Onboarding.Steps) != len(Steps) {
		t.Fatalf("steps %+v, want %v", res.Onboarding.Steps, Steps)
	}
	for i, s := range res.Onboarding.Steps {
		if s.Name != Steps[i] || s.Status != "done" || !res.Tenant.StepDone(s.Name) {
			t.Errorf("step %d: %+v", i, s)
		}
	}
	checkOnboarded(t, o, fs, "acme", res.AdminToken)
	_, err = o.Onboard(ctx, request("acme"), operator)
	if wellbase.ErrorCode(err) != wellbase.EConflict {
		t.Errorf("second onboarding of an active tenant: %v, want conflict", err)
	}
}

// TestOnboardResumesAfterCrash interrupts the saga after each step in turn, as a crash would,
// and checks that the tenant is left provisioning and a retry of the same request finishes it,
// with every step's effect made exactly once.
func TestOnboardResumesAfterCrash(t *testing.T) {
	t.Parallel()
	for _, step := range Steps {
		t.Run(step, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			o, fs := newOnboarder(t)
			o.crashAfter = step
			_, err := o.Onboard(ctx, request("acme"), operator)
			if !errors.Is(err, errCrash) {
				t.Fatalf("crash after %s: %v", step, err)
			}
			if step != StepActivate {
				tn, err := o.Store.GetTenant(ctx, "acme")
				if err != nil || tn.Status != wellbase.TenantProvisioning {
					t.Fatalf("after a crash at %s: %v %v, want provisioning", step, tn, err)
				}
				if _, err := o.Onboard(ctx, Request{ID: "acme", Name: "x", AdminEmail: "other@acme.example"}, operator); wellbase.ErrorCode(err) != wellbase.EConflict {
					t.Errorf("resume with another admin email: %v, want conflict", err)
				}
			}
			o.crashAfter = ""
			res, err := o.Onboard(ctx, request("acme"), operator)
			if step == StepActivate {
				// The crash came after the tenant was active: the retry is a duplicate.
				if wellbase.ErrorCode(err) != wellbase.EConflict {
					t.Fatalf("retry after activation: %v, want conflict", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("retry: %v", err)
			}
			if !res.Onboarding.Resumed || res.Tenant.Status != wellbase.TenantActive {
				t.Fatalf("retry result %+v", res.Onboarding)
			}
			checkOnboarded(t, o, fs, "acme", res.AdminToken)
		})
	}
}

// checkOnboarded checks every effect of a finished onboarding, each exactly once.
func checkOnboarded(t *testing.T, o *Onboarder, fs *files.Store, id, token string) {
	t.Helper()
	ctx := context.Background()
	ts := o.Store.Tenant(id)
	keys, err := ts.DataKeys(ctx)
	if err != nil || len(keys) != 1 || keys[0].Version != 1 || len(keys[0].Wrapped) < 32 {
		t.Errorf("data keys %v %v, want one wrapped version 1", keys, err)
	}
	if ok, err := fs.TenantPrefixExists(ctx, id); !ok || err != nil {
		t.Errorf("file prefix: %v %v", ok, err)
	}
	users, _, err := ts.ListUsers(ctx, wellbase.Page{})
	if err != nil || len(users) != 1 || users[0].Role != wellbase.RoleOwner || users[0].Email != "admin@"+id+".example" {
		t.Errorf("users %v %v, want one owner", users, err)
	}
	p, tn, err := identity.Authenticate(ctx, o.Store, token, time.Now())
	if err != nil || p.TenantID != id || p.Role != wellbase.RoleOwner || tn.Settings != wellbase.DefaultTenantSettings() {
		t.Errorf("admin token: %v %+v %+v", err, p, tn)
	}
	if n, _ := ts.CountCredentials(ctx, wellbase.CredentialAPIToken, time.Now()); n != 1 {
		t.Errorf("%d usable API tokens, want 1 (an interrupted call's token is revoked)", n)
	}
	events, _, _ := ts.ListAudit(ctx, wellbase.Page{})
	if len(events) != 1 || events[0].Action != "tenant.onboard" || events[0].Actor != "operator:opr_test" {
		t.Errorf("audit %v, want one tenant.onboard event", events)
	}
}

func TestOnboardConcurrentRetries(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	o, fs := newOnboarder(t)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var ok []*Result
	for range 4 {
		wg.Go(func() {
			if res, err := o.Onboard(ctx, request("acme"), operator); err == nil {
				mu.Lock()
				ok = append(ok, res)
				mu.Unlock()
			} else if c := wellbase.ErrorCode(err); c != wellbase.EConflict {
				t.Errorf("concurrent onboarding: %v", err)
			}
		})
	}
	wg.Wait()
	if len(ok) == 0 {
		t.Fatal("no concurrent onboarding succeeded")
	}
	tn, err := o.Store.GetTenant(ctx, "acme")
	if err != nil || tn.Status != wellbase.TenantActive {
		t.Fatalf("tenant %v %v", tn, err)
	}
	keys, _ := o.Store.Tenant("acme").DataKeys(ctx)
	if len(keys) != 1 {
		t.Errorf("%d data keys after concurrent onboarding, want 1", len(keys))
	}
	_ = fs
}

func TestRequestValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		req   Request
		field string
	}{
		{"OK", Request{ID: "acme", Name: "Acme", AdminEmail: "a@acme.example"}, ""},
		{"ErrTenantID", Request{ID: "Acme", Name: "Acme", AdminEmail: "a@acme.example"}, "id"},
		{"ErrName", Request{ID: "acme", Name: " ", AdminEmail: "a@acme.example"}, "name"},
		{"ErrTier", Request{ID: "acme", Name: "Acme", Tier: "gold", AdminEmail: "a@acme.example"}, "tier"},
		{"ErrEmail", Request{ID: "acme", Name: "Acme", AdminEmail: "Acme <a@acme.example>"}, "admin_email"},
	}
	for _, tt := range tests {
		err := tt.req.Validate()
		if wellbase.ErrorField(err) != tt.field || (tt.field == "") != (err == nil) {
			t.Errorf("%s: %v, want field %q", tt.name, err, tt.field)
		}
	}
}

// BenchmarkOnboardTenant measures one whole onboarding on the embedded defaults (SQLite in
// WAL mode, local root key, local files).
func BenchmarkOnboardTenant(b *testing.B) {
	ctx := context.Background()
	o, _ := newOnboarder(b)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		if _, err := o.Onboard(ctx, request(fmt.Sprintf("tenant-%06d", i)), operator); err != nil {
			b.Fatal(err)
		}
	}
}
