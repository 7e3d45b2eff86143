package storetest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"testing"
	"time"

	"github.com/wellbase/wellbase"
)

// hash returns the hex SHA-256 of token, the form a credential's hash is stored in.
func hash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

func credentialID(c *wellbase.Credential) string { return c.ID }

// newCredential returns a credential of tenant and user, made of its ID, created an hour before
// expires.
func newCredential(id, tenant, user string, kind wellbase.CredentialKind, expires time.Time) *wellbase.Credential {
	return &wellbase.Credential{
		ID: id, Kind: kind, TenantID: tenant, UserID: user, Name: string(kind) + " " + id,
		Hash: hash(tenant + "/" + id), Prefix: "wb_" + id[len(id)-5:],
		CreatedAt: expires.Add(-time.Hour).In(zone), ExpiresAt: expires.In(zone),
	}
}

// createCredentials stores creds through ts.
func createCredentials(t testing.TB, ts wellbase.TenantStore, creds ...*wellbase.Credential) {
	t.Helper()
	for _, c := range creds {
		if err := ts.CreateCredential(t.Context(), c); err != nil {
			t.Fatalf("CreateCredential %s: %v", c.ID, err)
		}
	}
}

// listCredentials binds ListCredentials of ts to kind.
func listCredentials(ts wellbase.TenantStore, kind wellbase.CredentialKind) listFunc[*wellbase.Credential] {
	return func(ctx context.Context, page wellbase.Page) ([]*wellbase.Credential, string, error) {
		return ts.ListCredentials(ctx, kind, page)
	}
}

func testCredential(t *testing.T, s wellbase.Store) {
	createTenant(t, s, "acme")
	createTenant(t, s, "globex")
	acme, globex := s.Tenant("acme"), s.Tenant("globex")
	user := newUsers("acme", 1)[0]
	createUsers(t, acme, user)
	op := &wellbase.Credential{
		ID: wellbase.NewID("crd"), Kind: wellbase.CredentialOperator, UserID: "opr_ada", Name: "cli",
		Hash: hash("operator"), Prefix: "wbo_ope", CreatedAt: now(), ExpiresAt: now().Add(time.Hour),
	}
	if err := s.CreateOperatorCredential(t.Context(), op); err != nil {
		t.Fatalf("CreateOperatorCredential: %v", err)
	}

	// at is the time usable credentials are counted at. In creation order: api1, api2 and api3
	// are usable until revoked, api4 expired an hour before at, api5 expires exactly at at
	// (so is no longer usable then); session1 and session3 are usable, session2 expired.
	at := now()
	id := newIDs("crd", 8)
	api := wellbase.CredentialAPIToken
	session := wellbase.CredentialSession
	api1 := newCredential(id[0], "acme", user.ID, api, at.Add(24*time.Hour))
	session1 := newCredential(id[1], "acme", user.ID, session, at.Add(12*time.Hour))
	api2 := newCredential(id[2], "acme", user.ID, api, at.Add(24*time.Hour))
	api3 := newCredential(id[3], "acme", user.ID, api, at.Add(24*time.Hour))
	session2 := newCredential(id[4], "acme", user.ID, session, at.Add(-time.Minute))
	api4 := newCredential(id[5], "acme", user.ID, api, at.Add(-time.Hour))
	api5 := newCredential(id[6], "acme", user.ID, api, at)
	session3 := newCredential(id[7], "acme", user.ID, session, at.Add(12*time.Hour))
	createCredentials(t, acme, api1, session1, api2, api3, session2, api4, api5, session3)
	revokedAt := at.Add(-30 * time.Minute)
	if err := acme.RevokeCredential(t.Context(), api3.ID, revokedAt); err != nil {
		t.Fatalf("RevokeCredential: %v", err)
	}
	api3.RevokedAt = &revokedAt

	t.Run("Create", func(t *testing.T) {
		sameHash := newCredential(wellbase.NewID("crd"), "acme", user.ID, api, at.Add(time.Hour))
		sameHash.Hash = api1.Hash
		sameHashGlobex := newCredential(wellbase.NewID("crd"), "globex", "usr_g", api, at.Add(time.Hour))
		sameHashGlobex.Hash = api1.Hash
		operatorHash := newCredential(wellbase.NewID("crd"), "acme", user.ID, session, at.Add(time.Hour))
		operatorHash.Hash = op.Hash
		sameID := newCredential(api2.ID, "acme", user.ID, api, at.Add(time.Hour))
		sameID.Hash = hash("another token")
		tests := []struct {
			name string
			cred *wellbase.Credential
			code string
		}{
			{"OK", newCredential(wellbase.NewID("crd"), "globex", "usr_g", api, at.Add(time.Hour)), ""},
			{"OKSession", newCredential(wellbase.NewID("crd"), "globex", "usr_g", session, at.Add(time.Hour)), ""},
			{"ErrConflictHash", sameHash, wellbase.EConflict},
			{"ErrConflictHashOtherTenant", sameHashGlobex, wellbase.EConflict},
			{"ErrConflictOperatorHash", operatorHash, wellbase.EConflict},
			{"ErrConflictID", sameID, wellbase.EConflict},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				ts := s.Tenant(tt.cred.TenantID)
				want := *tt.cred
				checkCode(t, "CreateCredential", ts.CreateCredential(t.Context(), tt.cred), tt.code)
				if tt.code == "" {
					got, err := ts.GetCredential(t.Context(), want.ID)
					checkCode(t, "GetCredential", err, "")
					checkEqual(t, "credential", got, &want)
					got, err = s.CredentialByHash(t.Context(), want.Hash)
					checkCode(t, "CredentialByHash", err, "")
					checkEqual(t, "credential by hash", got, &want)
					return
				}
				// The credentials of the conflicting hash and ID are unchanged.
				for _, old := range []*wellbase.Credential{api1, api2, op} {
					got, err := s.CredentialByHash(t.Context(), old.Hash)
					checkCode(t, "CredentialByHash", err, "")
					checkEqual(t, "credential by hash", got, old)
				}
			})
		}
	})

	t.Run("Get", func(t *testing.T) {
		tests := []struct {
			name string
			id   string
			want *wellbase.Credential
			code string
		}{
			{"OK", api1.ID, api1, ""},
			{"OKSession", session2.ID, session2, ""},
			{"OKRevoked", api3.ID, api3, ""},
			{"ErrNotFound", "crd_nobody", nil, wellbase.ENotFound},
			{"ErrNotFoundOperator", op.ID, nil, wellbase.ENotFound},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, err := acme.GetCredential(t.Context(), tt.id)
				checkCode(t, "GetCredential", err, tt.code)
				if tt.code == "" {
					checkEqual(t, "credential", got, tt.want)
				}
			})
		}
	})

	t.Run("ByHash", func(t *testing.T) {
		tests := []struct {
			name string
			hash string
			want *wellbase.Credential
			code string
		}{
			{"OK", api1.Hash, api1, ""},
			{"OKSession", session1.Hash, session1, ""},
			{"OKOperator", op.Hash, op, ""},
			{"OKRevoked", api3.Hash, api3, ""},
			{"OKExpired", api4.Hash, api4, ""},
			{"ErrNotFound", hash("unknown"), nil, wellbase.ENotFound},
			{"ErrNotFoundEmpty", "", nil, wellbase.ENotFound},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, err := s.CredentialByHash(t.Context(), tt.hash)
				checkCode(t, "CredentialByHash", err, tt.code)
				if tt.code == "" {
					checkEqual(t, "credential", got, tt.want)
				}
			})
		}
	})

	t.Run("List", func(t *testing.T) {
		apis := []*wellbase.Credential{api5, api4, api3, api2, api1}
		sessions := []*wellbase.Credential{session3, session2, session1}
		t.Run("API", func(t *testing.T) {
			testPaging(t, listCredentials(acme, api), credentialID, ids(apis, credentialID))
		})
		t.Run("Session", func(t *testing.T) {
			testPaging(t, listCredentials(acme, session), credentialID, ids(sessions, credentialID))
		})
		tests := []struct {
			name string
			kind wellbase.CredentialKind
			want []*wellbase.Credential
		}{
			{"APIRecords", api, apis},
			{"SessionRecords", session, sessions},
			{"NoOperator", wellbase.CredentialOperator, nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, next, err := acme.ListCredentials(t.Context(), tt.kind, wellbase.Page{})
				checkCode(t, "ListCredentials", err, "")
				checkEqual(t, "credentials", got, tt.want)
				if next != "" {
					t.Errorf("next cursor = %q, want \"\"", next)
				}
			})
		}
	})

	t.Run("Revoke", func(t *testing.T) {
		first, second := at.Add(-time.Minute), at
		tests := []struct {
			name  string
			times []time.Time // revoke at each of them in turn
			id    string      // "" for a new credential of globex
			code  string
			want  *time.Time
		}{
			{"OK", []time.Time{first}, "", "", &first},
			{"TwiceKeepsFirst", []time.Time{first, second}, "", "", &first},
			{"ErrNotFound", []time.Time{first}, "crd_nobody", wellbase.ENotFound, nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				id := tt.id
				if id == "" {
					c := newCredential(wellbase.NewID("crd"), "globex", "usr_g", api, at.Add(time.Hour))
					createCredentials(t, globex, c)
					id = c.ID
				}
				for _, when := range tt.times {
					checkCode(t, "RevokeCredential", globex.RevokeCredential(t.Context(), id, when), tt.code)
				}
				got, err := globex.GetCredential(t.Context(), id)
				if tt.code != "" {
					checkCode(t, "GetCredential", err, wellbase.ENotFound)
					return
				}
				checkCode(t, "GetCredential", err, "")
				checkEqual(t, "RevokedAt", got.RevokedAt, tt.want)
				if got.Usable(at.Add(-time.Hour)) {
					t.Errorf("revoked credential is usable")
				}
			})
		}
	})

	t.Run("Count", func(t *testing.T) {
		tests := []struct {
			name string
			kind wellbase.CredentialKind
			at   time.Time
			want int
		}{
			{"API", api, at, 2},                                              // api1, api2
			{"APIEarlier", api, at.Add(-2 * time.Hour), 4},                   // api1, api2, api4, api5
			{"APILater", api, at.Add(48 * time.Hour), 0},                     // all expired
			{"Session", session, at, 2},                                      // session1, session3
			{"Operator", wellbase.CredentialOperator, at.Add(-time.Hour), 0}, // never a tenant's
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, err := acme.CountCredentials(t.Context(), tt.kind, tt.at)
				checkCode(t, "CountCredentials", err, "")
				if got != tt.want {
					t.Errorf("CountCredentials(%s, %v) = %d, want %d", tt.kind, tt.at, got, tt.want)
				}
				// The count agrees with Usable.
				all, _, err := acme.ListCredentials(t.Context(), tt.kind, wellbase.Page{})
				checkCode(t, "ListCredentials", err, "")
				if n := len(slices.DeleteFunc(all, func(c *wellbase.Credential) bool { return !c.Usable(tt.at) })); n != got {
					t.Errorf("CountCredentials = %d, but %d listed credentials are Usable", got, n)
				}
			})
		}
	})

	t.Run("RevokeOperator", func(t *testing.T) {
		first := at.Add(-time.Minute)
		checkCode(t, "RevokeOperatorCredential", s.RevokeOperatorCredential(t.Context(), op.ID, first), "")
		checkCode(t, "RevokeOperatorCredential again", s.RevokeOperatorCredential(t.Context(), op.ID, at), "")
		got, err := s.CredentialByHash(t.Context(), op.Hash)
		checkCode(t, "CredentialByHash", err, "")
		checkEqual(t, "RevokedAt", got.RevokedAt, &first)
		checkCode(t, "RevokeOperatorCredential missing", s.RevokeOperatorCredential(t.Context(), "crd_nobody", at), wellbase.ENotFound)
		// A tenant's credential is no operator credential.
		c := newCredential(wellbase.NewID("crd"), "acme", user.ID, api, at.Add(time.Hour))
		createCredentials(t, acme, c)
		checkCode(t, "RevokeOperatorCredential of a tenant credential", s.RevokeOperatorCredential(t.Context(), c.ID, at), wellbase.ENotFound)
		tc, err := acme.GetCredential(t.Context(), c.ID)
		checkCode(t, "GetCredential", err, "")
		if tc.RevokedAt != nil {
			t.Errorf("a tenant credential was revoked as an operator credential")
		}
	})
}
