package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/wellbase/wellbase"
)

// tenantData is what the isolation tests store for one tenant.
type tenantData struct {
	ts      wellbase.TenantStore
	user    *wellbase.User
	api     *wellbase.Credential
	session *wellbase.Credential
	well    *wellbase.Well
	event   *wellbase.AuditEvent
	key     *wellbase.WrappedKey
}

// isolationDay is the day the isolation tests count requests on.
const isolationDay = "2026-03-14"

// storeTenantData stores one record of every kind for tenant, with the user's email, the well's
// name and the data key's version the same in every tenant. ids[i] is the ID of the i-th record.
func storeTenantData(t testing.TB, s wellbase.Store, tenant string, ids []string, requests int64) *tenantData {
	t.Helper()
	ctx := t.Context()
	createTenant(t, s, tenant)
	d := &tenantData{ts: s.Tenant(tenant)}
	at := now()
	d.user = &wellbase.User{ID: ids[0], TenantID: tenant, Email: "jane@example.com", Role: wellbase.RoleOwner, CreatedAt: at}
	d.api = newCredential(ids[1], tenant, d.user.ID, wellbase.CredentialAPIToken, at.Add(time.Hour))
	d.session = newCredential(ids[2], tenant, d.user.ID, wellbase.CredentialSession, at.Add(time.Hour))
	d.well = &wellbase.Well{ID: ids[3], TenantID: tenant, Name: "15/9-F-11", Latitude: ptr(58.4), Longitude: ptr(1.9), CreatedAt: at, UpdatedAt: at}
	d.event = &wellbase.AuditEvent{ID: ids[4], TenantID: tenant, Time: at, Actor: "user:" + d.user.ID, Action: "well.create", Target: d.well.ID, Details: map[string]any{"name": d.well.Name}}
	d.key = &wellbase.WrappedKey{TenantID: tenant, Version: 1, Wrapped: wrapped(), CreatedAt: at}
	createUsers(t, d.ts, d.user)
	createCredentials(t, d.ts, d.api, d.session)
	createWells(t, d.ts, d.well)
	for _, err := range []error{
		d.ts.AppendAudit(ctx, d.event),
		d.ts.PutDataKey(ctx, d.key),
		d.ts.AddRequests(ctx, isolationDay, requests),
	} {
		if err != nil {
			t.Fatalf("store data of tenant %s: %v", tenant, err)
		}
	}
	return d
}

func testIsolation(t *testing.T, s wellbase.Store) {
	// The IDs of the two tenants interleave, so that a list or a cursor that ignores the tenant
	// shows it.
	all := newIDs("rec", 12)
	var idsA, idsB []string
	for i, id := range all {
		if i%2 == 0 {
			idsA = append(idsA, id)
		} else {
			idsB = append(idsB, id)
		}
	}
	a := storeTenantData(t, s, "acme", idsA, 5)
	b := storeTenantData(t, s, "globex", idsB, 2)
	at := now()
	onlyA := &wellbase.User{ID: wellbase.NewID("usr"), TenantID: "acme", Email: "only-a@example.com", Role: wellbase.RoleViewer, CreatedAt: at}
	createUsers(t, a.ts, onlyA)

	// Tenant B asks for tenant A's records by ID or key, to read and to change them.
	t.Run("ErrNotFound", func(t *testing.T) {
		renamed := *a.well
		renamed.Name = "Stolen"
		tests := []struct {
			name string
			call func(ctx context.Context, ts wellbase.TenantStore) error
		}{
			{"GetUser", func(ctx context.Context, ts wellbase.TenantStore) error {
				_, err := ts.GetUser(ctx, a.user.ID)
				return err
			}},
			{"UserByEmail", func(ctx context.Context, ts wellbase.TenantStore) error {
				_, err := ts.UserByEmail(ctx, onlyA.Email)
				return err
			}},
			{"GetCredential", func(ctx context.Context, ts wellbase.TenantStore) error {
				_, err := ts.GetCredential(ctx, a.api.ID)
				return err
			}},
			{"GetCredentialSession", func(ctx context.Context, ts wellbase.TenantStore) error {
				_, err := ts.GetCredential(ctx, a.session.ID)
				return err
			}},
			{"RevokeCredential", func(ctx context.Context, ts wellbase.TenantStore) error {
				return ts.RevokeCredential(ctx, a.api.ID, at)
			}},
			{"UpdateUser", func(ctx context.Context, ts wellbase.TenantStore) error {
				yes := true
				_, err := ts.UpdateUser(ctx, a.user.ID, wellbase.UserUpdate{Disabled: &yes, At: at})
				return err
			}},
			{"GetWell", func(ctx context.Context, ts wellbase.TenantStore) error {
				_, err := ts.GetWell(ctx, a.well.ID)
				return err
			}},
			{"UpdateWell", func(ctx context.Context, ts wellbase.TenantStore) error {
				w := renamed
				return ts.UpdateWell(ctx, &w)
			}},
			{"DeleteWell", func(ctx context.Context, ts wellbase.TenantStore) error {
				return ts.DeleteWell(ctx, a.well.ID)
			}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				checkCode(t, tt.name, tt.call(t.Context(), b.ts), wellbase.ENotFound)
			})
		}
	})

	// Tenant B's lists and counts hold its own records only, even with tenant A's IDs as cursors.
	t.Run("OwnRecordsOnly", func(t *testing.T) {
		tests := []struct {
			name string
			call func(ctx context.Context, ts wellbase.TenantStore, after string) (any, error)
			want any
		}{
			{"ListUsers", func(ctx context.Context, ts wellbase.TenantStore, after string) (any, error) {
				l, _, err := ts.ListUsers(ctx, wellbase.Page{After: after})
				return l, err
			}, []*wellbase.User{b.user}},
			{"ListCredentials", func(ctx context.Context, ts wellbase.TenantStore, after string) (any, error) {
				l, _, err := ts.ListCredentials(ctx, wellbase.CredentialAPIToken, wellbase.Page{After: after})
				return l, err
			}, []*wellbase.Credential{b.api}},
			{"ListCredentialsSession", func(ctx context.Context, ts wellbase.TenantStore, after string) (any, error) {
				l, _, err := ts.ListCredentials(ctx, wellbase.CredentialSession, wellbase.Page{After: after})
				return l, err
			}, []*wellbase.Credential{b.session}},
			{"ListWells", func(ctx context.Context, ts wellbase.TenantStore, after string) (any, error) {
				l, _, err := ts.ListWells(ctx, wellbase.Page{After: after})
				return l, err
			}, []*wellbase.Well{b.well}},
			{"ListAudit", func(ctx context.Context, ts wellbase.TenantStore, after string) (any, error) {
				l, _, err := ts.ListAudit(ctx, wellbase.Page{After: after})
				return l, err
			}, []*wellbase.AuditEvent{b.event}},
			{"DataKeys", func(ctx context.Context, ts wellbase.TenantStore, _ string) (any, error) {
				return ts.DataKeys(ctx)
			}, []*wellbase.WrappedKey{b.key}},
			{"CountUsers", func(ctx context.Context, ts wellbase.TenantStore, _ string) (any, error) {
				return ts.CountUsers(ctx)
			}, 1},
			{"CountCredentials", func(ctx context.Context, ts wellbase.TenantStore, _ string) (any, error) {
				return ts.CountCredentials(ctx, wellbase.CredentialAPIToken, at)
			}, 1},
			{"CountWells", func(ctx context.Context, ts wellbase.TenantStore, _ string) (any, error) {
				return ts.CountWells(ctx)
			}, 1},
			{"Requests", func(ctx context.Context, ts wellbase.TenantStore, _ string) (any, error) {
				return ts.Requests(ctx, isolationDay)
			}, int64(2)},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, err := tt.call(t.Context(), b.ts, "")
				checkCode(t, tt.name, err, "")
				checkEqual(t, tt.name, got, tt.want)
			})
		}
		// The cursor is the ID of one of tenant A's records: in the ascending lists the one
		// before tenant B's record, in the descending lists the one after it.
		cursors := map[string]string{
			"ListUsers": all[0], "ListCredentials": all[4], "ListCredentialsSession": all[6],
			"ListWells": all[6], "ListAudit": all[10],
		}
		for _, tt := range tests {
			after, ok := cursors[tt.name]
			if !ok {
				continue
			}
			t.Run(tt.name+"AfterCursor", func(t *testing.T) {
				got, err := tt.call(t.Context(), b.ts, after)
				checkCode(t, tt.name, err, "")
				checkEqual(t, tt.name, got, tt.want)
			})
		}
	})

	// Records created through tenant B's store belong to tenant B, whatever their TenantID said.
	t.Run("ForcedTenant", func(t *testing.T) {
		ctx := t.Context()
		id := newIDs("rec", 4)
		user := &wellbase.User{ID: id[0], TenantID: "acme", Email: "mallory@example.com", Role: wellbase.RoleViewer, CreatedAt: at}
		cred := newCredential(id[1], "acme", user.ID, wellbase.CredentialAPIToken, at.Add(time.Hour))
		well := &wellbase.Well{ID: id[2], TenantID: "acme", Name: "Planted", CreatedAt: at, UpdatedAt: at}
		event := &wellbase.AuditEvent{ID: id[3], TenantID: "acme", Time: at, Actor: "system", Action: "well.create", Target: well.ID}
		key := &wellbase.WrappedKey{TenantID: "acme", Version: 9, Wrapped: wrapped(), CreatedAt: at}
		tests := []struct {
			name   string
			create func() error
			// tenantOf returns the tenant of the record as ts reads it, or ENotFound.
			tenantOf func(ts wellbase.TenantStore) (string, error)
		}{
			{"User", func() error { return b.ts.CreateUser(ctx, user) }, func(ts wellbase.TenantStore) (string, error) {
				u, err := ts.GetUser(ctx, user.ID)
				if err != nil {
					return "", err
				}
				return u.TenantID, nil
			}},
			{"Credential", func() error { return b.ts.CreateCredential(ctx, cred) }, func(ts wellbase.TenantStore) (string, error) {
				c, err := ts.GetCredential(ctx, cred.ID)
				if err != nil {
					return "", err
				}
				byHash, err := s.CredentialByHash(ctx, cred.Hash)
				if err != nil {
					return "", err
				}
				if byHash.TenantID != c.TenantID {
					t.Errorf("CredentialByHash: tenant %q, GetCredential: %q", byHash.TenantID, c.TenantID)
				}
				return c.TenantID, nil
			}},
			{"Well", func() error { return b.ts.CreateWell(ctx, well) }, func(ts wellbase.TenantStore) (string, error) {
				w, err := ts.GetWell(ctx, well.ID)
				if err != nil {
					return "", err
				}
				return w.TenantID, nil
			}},
			{"UpdateWell", func() error {
				w := *b.well
				w.TenantID, w.UWI = "acme", "NO 15/9-F-11 T2"
				return b.ts.UpdateWell(ctx, &w)
			}, func(ts wellbase.TenantStore) (string, error) {
				w, err := ts.GetWell(ctx, b.well.ID)
				if err != nil {
					return "", err
				}
				return w.TenantID, nil
			}},
			{"Audit", func() error { return b.ts.AppendAudit(ctx, event) }, func(ts wellbase.TenantStore) (string, error) {
				events, _, err := ts.ListAudit(ctx, wellbase.Page{})
				if err != nil {
					return "", err
				}
				for _, e := range events {
					if e.ID == event.ID {
						return e.TenantID, nil
					}
				}
				return "", wellbase.Errorf(wellbase.ENotFound, "audit event %s not listed", event.ID)
			}},
			{"DataKey", func() error { return b.ts.PutDataKey(ctx, key) }, func(ts wellbase.TenantStore) (string, error) {
				keys, err := ts.DataKeys(ctx)
				if err != nil {
					return "", err
				}
				for _, k := range keys {
					if k.Version == key.Version {
						return k.TenantID, nil
					}
				}
				return "", wellbase.Errorf(wellbase.ENotFound, "data key version %d not listed", key.Version)
			}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				checkCode(t, "create", tt.create(), "")
				got, err := tt.tenantOf(b.ts)
				checkCode(t, "read through tenant B", err, "")
				if got != "globex" {
					t.Errorf("record created through tenant globex has tenant %q", got)
				}
				_, err = tt.tenantOf(a.ts)
				checkCode(t, "read through tenant A", err, wellbase.ENotFound)
			})
		}
	})

	// The same email, well name and data key version may exist in two tenants (the fixtures).
	t.Run("SameKeysInTwoTenants", func(t *testing.T) {
		for _, d := range []*tenantData{a, b} {
			u, err := d.ts.UserByEmail(t.Context(), "jane@example.com")
			checkCode(t, "UserByEmail", err, "")
			checkEqual(t, "user", u, d.user)
			w, err := d.ts.GetWell(t.Context(), d.well.ID)
			checkCode(t, "GetWell", err, "")
			if w.Name != a.well.Name {
				t.Errorf("well name = %q, want %q", w.Name, a.well.Name)
			}
			keys, err := d.ts.DataKeys(t.Context())
			checkCode(t, "DataKeys", err, "")
			if len(keys) == 0 || keys[0].Version != 1 {
				t.Errorf("tenant %s has no data key version 1", d.ts.TenantID())
			}
		}
	})

	// A store without a tenant sees no tenant's credentials, nor the operators'.
	t.Run("NoTenant", func(t *testing.T) {
		op := &wellbase.Credential{ID: wellbase.NewID("crd"), Kind: wellbase.CredentialOperator, UserID: "opr_1", Name: "cli", Hash: hash("isolation-operator"), Prefix: "wbo_iso", CreatedAt: at, ExpiresAt: at.Add(time.Hour)}
		if err := s.CreateOperatorCredential(t.Context(), op); err != nil {
			t.Fatalf("CreateOperatorCredential: %v", err)
		}
		none := s.Tenant("")
		for _, id := range []string{op.ID, a.api.ID} {
			_, err := none.GetCredential(t.Context(), id)
			if code := wellbase.ErrorCode(err); code != wellbase.ENotFound && code != wellbase.EInvalid {
				t.Errorf("Tenant(\"\").GetCredential(%s): error code %q (%v), want not_found or invalid", id, code, err)
			}
		}
		for _, kind := range []wellbase.CredentialKind{wellbase.CredentialOperator, wellbase.CredentialAPIToken} {
			l, _, err := none.ListCredentials(t.Context(), kind, wellbase.Page{})
			if err == nil && len(l) > 0 {
				t.Errorf("Tenant(\"\").ListCredentials(%s) = %d credentials, want none", kind, len(l))
			}
		}
		if n, err := none.CountWells(t.Context()); err == nil && n > 0 {
			t.Errorf("Tenant(\"\").CountWells() = %d, want 0", n)
		}
	})

	// After all of the above, tenant A's data is as it was stored.
	t.Run("Unchanged", func(t *testing.T) {
		ctx := t.Context()
		if err := b.ts.AddRequests(ctx, isolationDay, 100); err != nil {
			t.Fatalf("AddRequests: %v", err)
		}
		user, err := a.ts.GetUser(ctx, a.user.ID)
		checkCode(t, "GetUser", err, "")
		checkEqual(t, "user", user, a.user)
		for _, c := range []*wellbase.Credential{a.api, a.session} {
			got, err := a.ts.GetCredential(ctx, c.ID)
			checkCode(t, "GetCredential", err, "")
			checkEqual(t, "credential", got, c)
		}
		well, err := a.ts.GetWell(ctx, a.well.ID)
		checkCode(t, "GetWell", err, "")
		checkEqual(t, "well", well, a.well)
		events, _, err := a.ts.ListAudit(ctx, wellbase.Page{})
		checkCode(t, "ListAudit", err, "")
		checkEqual(t, "audit events", events, []*wellbase.AuditEvent{a.event})
		keys, err := a.ts.DataKeys(ctx)
		checkCode(t, "DataKeys", err, "")
		checkEqual(t, "data keys", keys, []*wellbase.WrappedKey{a.key})
		n, err := a.ts.Requests(ctx, isolationDay)
		checkCode(t, "Requests", err, "")
		if n != 5 {
			t.Errorf("Requests = %d, want 5", n)
		}
		users, err := a.ts.CountUsers(ctx)
		checkCode(t, "CountUsers", err, "")
		wells, err := a.ts.CountWells(ctx)
		checkCode(t, "CountWells", err, "")
		creds, err := a.ts.CountCredentials(ctx, wellbase.CredentialAPIToken, at)
		checkCode(t, "CountCredentials", err, "")
		if users != 2 || wells != 1 || creds != 1 {
			t.Errorf("tenant A counts users %d, wells %d, api tokens %d; want 2, 1, 1", users, wells, creds)
		}
	})
}
