package tenancy

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
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
	checkSteps(t, res.Tenant, 0)
	_, err = o.Onboard(ctx, request("acme"), operator)
	if wellbase.ErrorCode(err) != wellbase.EConflict || isInProgress(err) {
		t.Errorf("second onboarding of an active tenant: %v, want conflict (already exists)", err)
	}
}

// TestOnboardResumesAfterCrash interrupts the saga after each step in turn, as a crash would,
// and checks that the tenant is left provisioning, that a retry within StaleAfter is told the
// onboarding is in progress, and that a retry after it finishes the onboarding, with every
// step's effect made exactly once.
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
				_, err = o.Onboard(ctx, Request{ID: "acme", Name: "x", AdminEmail: "other@acme.example"}, operator)
				if wellbase.ErrorCode(err) != wellbase.EConflict || wellbase.ErrorField(err) != "admin_email" {
					t.Errorf("resume with another admin email: %v, want conflict on admin_email", err)
				}
			}
			o.crashAfter = ""
			_, err = o.Onboard(ctx, request("acme"), operator)
			if step == StepActivate {
				// The crash came after the tenant was active: the retry is a duplicate.
				if wellbase.ErrorCode(err) != wellbase.EConflict || isInProgress(err) {
					t.Fatalf("retry after activation: %v, want conflict (already exists)", err)
				}
				return
			}
			if !isInProgress(err) {
				t.Fatalf("retry at once: %v, want conflict (in progress)", err)
			}
			o.Now = func() time.Time { return time.Now().Add(DefaultStaleAfter) } // the crashed call's record is stale
			res, err := o.Onboard(ctx, request("acme"), operator)
			if err != nil {
				t.Fatalf("retry: %v", err)
			}
			if !res.Onboarding.Resumed || res.Tenant.Status != wellbase.TenantActive {
				t.Fatalf("retry result %+v", res.Onboarding)
			}
			checkOnboarded(t, o, fs, "acme", res.AdminToken)
			checkSteps(t, res.Tenant, 1)
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

// checkSteps checks that the onboarding record of tn has each step once, in order, and
// resumes StepResume markers.
func checkSteps(t *testing.T, tn *wellbase.Tenant, resumes int) {
	t.Helper()
	var steps []string
	n := 0
	for _, s := range tn.Onboarding {
		if s.Name == StepResume {
			n++
		} else {
			steps = append(steps, s.Name)
		}
	}
	if strings.Join(steps, ",") != strings.Join(Steps, ",") || n != resumes {
		t.Errorf("onboarding record %v, want each of %v once and %d resume markers", tn.Onboarding, Steps, resumes)
	}
}

// isInProgress reports whether err says that another call is onboarding the tenant right now.
func isInProgress(err error) bool {
	var e *wellbase.Error
	return errors.As(err, &e) && e.Code == wellbase.EConflict && strings.Contains(e.Message, "being onboarded right now") &&
		e.RetryAfterSeconds >= 1 && e.RetryAfterSeconds <= int(DefaultStaleAfter/time.Second)
}

// onboardAtOnce runs n identical onboardings of acme at once and checks that exactly one
// succeeds, with a token that authenticates, and that the others are told it is in progress.
// The activate step waits until the others have answered, so that none comes so late that it
// finds the tenant active.
func onboardAtOnce(t *testing.T, o *Onboarder, fs *files.Store, n int) *Result {
	t.Helper()
	ctx := context.Background()
	answered := make(chan struct{})
	store := o.Store
	o.Store = activateGate{Store: store, wait: answered}
	defer func() { o.Store = store }()
	start := make(chan struct{})
	var wg sync.WaitGroup
	var mu sync.Mutex
	var ok []*Result
	failed := 0
	for range n {
		wg.Go(func() {
			<-start
			res, err := o.Onboard(ctx, request("acme"), operator)
			mu.Lock()
			defer mu.Unlock()
			if err == nil {
				ok = append(ok, res)
				return
			}
			if !isInProgress(err) {
				t.Errorf("concurrent onboarding: %v, want success or conflict (in progress)", err)
			}
			if failed++; failed == n-1 {
				close(answered)
			}
		})
	}
	close(start)
	wg.Wait()
	if len(ok) != 1 {
		t.Fatalf("%d of %d concurrent onboardings succeeded, want 1", len(ok), n)
	}
	tn, err := o.Store.GetTenant(ctx, "acme")
	if err != nil || tn.Status != wellbase.TenantActive {
		t.Fatalf("tenant %v %v", tn, err)
	}
	checkOnboarded(t, o, fs, "acme", ok[0].AdminToken)
	return ok[0]
}

// TestOnboardConcurrentDuplicates sends the same request for a new tenant at once, as a client
// retrying on a timeout does: the call that creates the record runs the saga, and the others
// must not resume it under its feet (each would revoke the admin token of the one before).
func TestOnboardConcurrentDuplicates(t *testing.T) {
	t.Parallel()
	o, fs := newOnboarder(t)
	res := onboardAtOnce(t, o, fs, 8)
	if res.Onboarding.Resumed {
		t.Errorf("the winner resumed: %+v", res.Onboarding)
	}
	checkSteps(t, res.Tenant, 0)
}

// activateGate holds the activate step's tenant update until wait is closed (at most 10 s).
type activateGate struct {
	wellbase.Store
	wait <-chan struct{}
}

func (s activateGate) UpdateTenant(ctx context.Context, id string, u wellbase.TenantUpdate) (*wellbase.Tenant, error) {
	if u.Step != nil && u.Step.Name == StepActivate {
		select {
		case <-s.wait:
		case <-time.After(10 * time.Second):
		}
	}
	return s.Store.UpdateTenant(ctx, id, u)
}

// agedStore shows every tenant update made up to cutoff an hour older, as if the onboarding call
// that made it had crashed long ago; later updates show their real time. The first readers
// calls of GetTenant return only when all of them have read (at most 10 s), so that they all
// find the tenant stale and race to claim it.
type agedStore struct {
	wellbase.Store
	cutoff  time.Time
	readers int

	mu   sync.Mutex
	read int
	all  chan struct{} // closed when readers calls have read
}

func (s *agedStore) GetTenant(ctx context.Context, id string) (*wellbase.Tenant, error) {
	t, err := s.Store.GetTenant(ctx, id)
	if err == nil && !t.UpdatedAt.After(s.cutoff) {
		t.UpdatedAt = t.UpdatedAt.Add(-time.Hour)
	}
	s.mu.Lock()
	s.read++
	n := s.read
	if n == s.readers {
		close(s.all)
	}
	s.mu.Unlock()
	if n <= s.readers {
		select {
		case <-s.all:
		case <-time.After(10 * time.Second):
		}
	}
	return t, err
}

// TestOnboardConcurrentResumes retries a crashed onboarding with the same request at once, all
// calls finding it stale: one claims it and resumes, the others see its claim before theirs and
// are told it is in progress, and the crashed call's admin token is revoked.
func TestOnboardConcurrentResumes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	o, fs := newOnboarder(t)
	o.crashAfter = StepAdmin
	if _, err := o.Onboard(ctx, request("acme"), operator); !errors.Is(err, errCrash) {
		t.Fatalf("crash after %s: %v", StepAdmin, err)
	}
	o.crashAfter = ""
	tn, err := o.Store.GetTenant(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	const n = 8
	o.Store = &agedStore{Store: o.Store, cutoff: tn.UpdatedAt, readers: n, all: make(chan struct{})}
	time.Sleep(2 * time.Millisecond) // later updates are after the cutoff, even at millisecond precision
	res := onboardAtOnce(t, o, fs, n)
	if !res.Onboarding.Resumed {
		t.Errorf("the winner did not resume: %+v", res.Onboarding)
	}
	tn, err = o.Store.GetTenant(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	checkSteps(t, tn, n) // each step once, and every call's claim
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
