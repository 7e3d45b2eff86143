package storetest

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/wellbase/wellbase"
)

// newTenant returns an active standard tenant id created at created.
func newTenant(id string, created time.Time) *wellbase.Tenant {
	return &wellbase.Tenant{
		ID:         id,
		Name:       "Tenant " + id,
		Tier:       wellbase.TierStandard,
		Status:     wellbase.TenantActive,
		AdminEmail: "admin@" + id + ".example.com",
		Settings:   wellbase.DefaultTenantSettings(),
		CreatedAt:  created,
		UpdatedAt:  created,
	}
}

// createTenant creates a tenant id and returns it.
func createTenant(t testing.TB, s wellbase.Store, id string) *wellbase.Tenant {
	t.Helper()
	tn := newTenant(id, now())
	if err := s.CreateTenant(t.Context(), tn); err != nil {
		t.Fatalf("CreateTenant %s: %v", id, err)
	}
	return tn
}

func testTenant(t *testing.T, s wellbase.Store) {
	created := now().Add(-time.Hour)
	acme := newTenant("acme", created)
	acme.Tier = wellbase.TierPremium
	acme.Status = wellbase.TenantProvisioning
	acme.Limits = wellbase.LimitOverrides{MaxUsers: ptr(3), ConcurrentJobs: ptr(0), RequestsPerSecond: ptr(12.5)}
	acme.Settings = wellbase.TenantSettings{DepthUnit: "ft", VolumeUnit: "bbl", TimeZone: "America/Chicago"}
	acme.Onboarding = []wellbase.OnboardingStep{{Name: "tenant", DurationMS: 1.25, DoneAt: created}}
	acme.UpdatedAt = created.Add(time.Second)
	if err := s.CreateTenant(t.Context(), acme); err != nil {
		t.Fatalf("CreateTenant: %v", err)
	}

	t.Run("Create", func(t *testing.T) {
		other := newTenant("acme", now())
		other.Name = "Another Acme"
		tests := []struct {
			name   string
			tenant *wellbase.Tenant
			code   string
			want   *wellbase.Tenant // GetTenant of tenant.ID afterwards
		}{
			{"OK", newTenant("initech", created), "", newTenant("initech", created)},
			{"ErrConflict", other, wellbase.EConflict, acme},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				err := s.CreateTenant(t.Context(), tt.tenant)
				checkCode(t, "CreateTenant", err, tt.code)
				got, err := s.GetTenant(t.Context(), tt.tenant.ID)
				checkCode(t, "GetTenant", err, "")
				checkEqual(t, "tenant", got, tt.want)
			})
		}
	})

	t.Run("Get", func(t *testing.T) {
		tests := []struct {
			name string
			id   string
			want *wellbase.Tenant
			code string
		}{
			{"OK", "acme", acme, ""},
			{"ErrNotFound", "nobody", nil, wellbase.ENotFound},
			{"ErrNotFoundEmpty", "", nil, wellbase.ENotFound},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, err := s.GetTenant(t.Context(), tt.id)
				checkCode(t, "GetTenant", err, tt.code)
				if tt.code == "" {
					checkEqual(t, "tenant", got, tt.want)
				}
			})
		}
	})
}

func testListTenants(t *testing.T, s wellbase.Store) {
	var want []*wellbase.Tenant
	for _, id := range []string{"delta", "alpha", "echo", "charlie", "bravo"} {
		want = append(want, createTenant(t, s, id))
	}
	ids := []string{"alpha", "bravo", "charlie", "delta", "echo"}
	testPaging(t, s.ListTenants, func(tn *wellbase.Tenant) string { return tn.ID }, ids)

	t.Run("Records", func(t *testing.T) {
		got, _, err := s.ListTenants(t.Context(), wellbase.Page{})
		checkCode(t, "ListTenants", err, "")
		checkEqual(t, "tenants", got, want, cmpopts.SortSlices(func(a, b *wellbase.Tenant) bool { return a.ID < b.ID }))
	})
}

func testUpdateTenant(t *testing.T, s wellbase.Store) {
	step := func(name string) *wellbase.OnboardingStep {
		return &wellbase.OnboardingStep{Name: name, DurationMS: 0.75, DoneAt: now()}
	}
	tests := []struct {
		name    string
		updates []wellbase.TenantUpdate
		want    func(tn *wellbase.Tenant) // changes the created tenant to the one expected
		code    string
	}{
		{
			name:    "Name",
			updates: []wellbase.TenantUpdate{{Name: ptr("Acme Oil & Gas")}},
			want:    func(tn *wellbase.Tenant) { tn.Name = "Acme Oil & Gas" },
		},
		{
			name:    "Tier",
			updates: []wellbase.TenantUpdate{{Tier: ptr(wellbase.TierPremium)}},
			want:    func(tn *wellbase.Tenant) { tn.Tier = wellbase.TierPremium },
		},
		{
			name:    "Status",
			updates: []wellbase.TenantUpdate{{Status: ptr(wellbase.TenantSuspended)}},
			want:    func(tn *wellbase.Tenant) { tn.Status = wellbase.TenantSuspended },
		},
		{
			name: "Limits",
			updates: []wellbase.TenantUpdate{{Limits: &wellbase.LimitOverrides{
				RequestsPerSecond: ptr(12.5), Burst: ptr(30), StorageBytes: ptr(int64(5) << 40),
				MaxUsers: ptr(7), ConcurrentJobs: ptr(0), UploadBytes: ptr(int64(1) << 33),
			}}},
			want: func(tn *wellbase.Tenant) {
				tn.Limits = wellbase.LimitOverrides{
					RequestsPerSecond: ptr(12.5), Burst: ptr(30), StorageBytes: ptr(int64(5) << 40),
					MaxUsers: ptr(7), ConcurrentJobs: ptr(0), UploadBytes: ptr(int64(1) << 33),
				}
			},
		},
		{
			// A nil override in the update keeps the tenant's override.
			name: "LimitsNilUnchanged",
			updates: []wellbase.TenantUpdate{
				{Limits: &wellbase.LimitOverrides{Burst: ptr(5), ConcurrentJobs: ptr(2)}},
				{Limits: &wellbase.LimitOverrides{MaxUsers: ptr(7), ConcurrentJobs: ptr(0)}},
				{Name: ptr("Renamed")},
			},
			want: func(tn *wellbase.Tenant) {
				tn.Name = "Renamed"
				tn.Limits = wellbase.LimitOverrides{Burst: ptr(5), MaxUsers: ptr(7), ConcurrentJobs: ptr(0)}
			},
		},
		{
			name:    "Settings",
			updates: []wellbase.TenantUpdate{{Settings: &wellbase.TenantSettings{DepthUnit: "ft", VolumeUnit: "bbl", TimeZone: "America/Chicago"}}},
			want: func(tn *wellbase.Tenant) {
				tn.Settings = wellbase.TenantSettings{DepthUnit: "ft", VolumeUnit: "bbl", TimeZone: "America/Chicago"}
			},
		},
		{
			name:    "Step",
			updates: []wellbase.TenantUpdate{{Step: step("tenant")}},
		},
		{
			name:    "StepsInOrder",
			updates: []wellbase.TenantUpdate{{Step: step("tenant")}, {Step: step("data-key")}, {Step: step("owner")}, {Step: step("tenant")}},
		},
		{
			name: "Several",
			updates: []wellbase.TenantUpdate{{
				Name: ptr("Initech"), Status: ptr(wellbase.TenantActive), Step: step("activate"),
				Limits: &wellbase.LimitOverrides{UploadBytes: ptr(int64(1024))},
			}},
			want: func(tn *wellbase.Tenant) {
				tn.Name = "Initech"
				tn.Status = wellbase.TenantActive
				tn.Limits.UploadBytes = ptr(int64(1024))
			},
		},
		{
			name:    "Nothing",
			updates: []wellbase.TenantUpdate{{}},
		},
		{
			name:    "ErrNotFound",
			updates: []wellbase.TenantUpdate{{Name: ptr("Ghost")}},
			code:    wellbase.ENotFound,
		},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id := "tenant-" + string(rune('a'+i))
			want := newTenant(id, now().Add(-time.Hour))
			want.Status = wellbase.TenantProvisioning
			if tt.code == "" {
				if err := s.CreateTenant(t.Context(), want); err != nil {
					t.Fatalf("CreateTenant: %v", err)
				}
			}
			before := time.Now().Truncate(time.Millisecond)
			var got *wellbase.Tenant
			for _, u := range tt.updates {
				var err error
				got, err = s.UpdateTenant(t.Context(), id, u)
				checkCode(t, "UpdateTenant", err, tt.code)
				if u.Step != nil {
					want.Onboarding = append(want.Onboarding, *u.Step)
				}
			}
			if tt.code != "" {
				_, err := s.GetTenant(t.Context(), id)
				checkCode(t, "GetTenant after UpdateTenant", err, wellbase.ENotFound)
				return
			}
			if tt.want != nil {
				tt.want(want)
			}
			ignoreUpdated := cmpopts.IgnoreFields(wellbase.Tenant{}, "UpdatedAt")
			checkEqual(t, "UpdateTenant result", got, want, ignoreUpdated)
			if got.UpdatedAt.Before(before) || got.UpdatedAt.After(time.Now().Add(time.Second)) {
				t.Errorf("UpdatedAt = %v, want the time of the update (after %v)", got.UpdatedAt, before)
			}
			stored, err := s.GetTenant(t.Context(), id)
			checkCode(t, "GetTenant", err, "")
			checkEqual(t, "stored tenant", stored, got)
		})
	}
}

func testOperator(t *testing.T, s wellbase.Store) {
	created := now()
	ada := &wellbase.Operator{ID: wellbase.NewID("opr"), Email: "ada@wellbase.example", CreatedAt: created}
	if err := s.CreateOperator(t.Context(), ada); err != nil {
		t.Fatalf("CreateOperator: %v", err)
	}
	adaToken := &wellbase.Credential{
		ID: wellbase.NewID("crd"), Kind: wellbase.CredentialOperator, UserID: ada.ID, Name: "cli",
		Hash: hash("operator-ada"), Prefix: "wbo_ada", CreatedAt: created, ExpiresAt: created.Add(90 * 24 * time.Hour),
	}
	if err := s.CreateOperatorCredential(t.Context(), adaToken); err != nil {
		t.Fatalf("CreateOperatorCredential: %v", err)
	}

	t.Run("Create", func(t *testing.T) {
		tests := []struct {
			name string
			op   *wellbase.Operator
			code string
			want *wellbase.Operator
		}{
			{"OK", &wellbase.Operator{ID: "opr_grace", Email: "grace@wellbase.example", CreatedAt: created}, "", &wellbase.Operator{ID: "opr_grace", Email: "grace@wellbase.example", CreatedAt: created}},
			{"ErrConflict", &wellbase.Operator{ID: ada.ID, Email: "other@wellbase.example", CreatedAt: now()}, wellbase.EConflict, ada},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				checkCode(t, "CreateOperator", s.CreateOperator(t.Context(), tt.op), tt.code)
				got, err := s.GetOperator(t.Context(), tt.op.ID)
				checkCode(t, "GetOperator", err, "")
				checkEqual(t, "operator", got, tt.want)
			})
		}
	})

	t.Run("Get", func(t *testing.T) {
		tests := []struct {
			name string
			id   string
			want *wellbase.Operator
			code string
		}{
			{"OK", ada.ID, ada, ""},
			{"ErrNotFound", "opr_nobody", nil, wellbase.ENotFound},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, err := s.GetOperator(t.Context(), tt.id)
				checkCode(t, "GetOperator", err, tt.code)
				if tt.code == "" {
					checkEqual(t, "operator", got, tt.want)
				}
			})
		}
	})

	t.Run("CreateCredential", func(t *testing.T) {
		// The driver stores every credential of CreateOperatorCredential as an operator
		// credential without a tenant, whatever the struct said.
		forced := &wellbase.Credential{
			ID: wellbase.NewID("crd"), Kind: wellbase.CredentialAPIToken, TenantID: "acme", UserID: ada.ID,
			Name: "forced", Hash: hash("operator-forced"), Prefix: "wbo_for", CreatedAt: created, ExpiresAt: created.Add(time.Hour),
		}
		wantForced := *forced
		wantForced.Kind, wantForced.TenantID = wellbase.CredentialOperator, ""
		dup := *adaToken
		dup.ID = wellbase.NewID("crd")
		grace := &wellbase.Credential{
			ID: wellbase.NewID("crd"), Kind: wellbase.CredentialOperator, UserID: "opr_grace", Name: "laptop",
			Hash: hash("operator-grace"), Prefix: "wbo_gra", CreatedAt: created, ExpiresAt: created.Add(time.Hour),
		}
		tests := []struct {
			name string
			cred *wellbase.Credential
			code string
			want *wellbase.Credential // CredentialByHash afterwards
		}{
			{"OK", grace, "", grace},
			{"OperatorWithoutTenant", forced, "", &wantForced},
			{"ErrConflict", &dup, wellbase.EConflict, adaToken},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				checkCode(t, "CreateOperatorCredential", s.CreateOperatorCredential(t.Context(), tt.cred), tt.code)
				got, err := s.CredentialByHash(t.Context(), tt.cred.Hash)
				checkCode(t, "CredentialByHash", err, "")
				checkEqual(t, "credential", got, tt.want)
			})
		}
	})
}
