package storetest

import (
	"testing"
	"time"

	"github.com/wellbase/wellbase"
)

// newUsers returns n users of tenant in creation order (ascending IDs), user i with email
// "user<i>@<tenant>.example.com".
func newUsers(tenant string, n int) []*wellbase.User {
	created := now().Add(-time.Hour)
	users := make([]*wellbase.User, n)
	for i, id := range newIDs("usr", n) {
		users[i] = &wellbase.User{
			ID: id, TenantID: tenant, Email: "user" + string(rune('0'+i)) + "@" + tenant + ".example.com",
			Role: wellbase.RoleEngineer, CreatedAt: created.Add(time.Duration(i) * time.Second),
		}
	}
	return users
}

// createUsers stores users through ts.
func createUsers(t testing.TB, ts wellbase.TenantStore, users ...*wellbase.User) {
	t.Helper()
	for _, u := range users {
		if err := ts.CreateUser(t.Context(), u); err != nil {
			t.Fatalf("CreateUser %s: %v", u.Email, err)
		}
	}
}

func testUser(t *testing.T, s wellbase.Store) {
	createTenant(t, s, "acme")
	createTenant(t, s, "globex")
	createTenant(t, s, "initech")
	acme, globex := s.Tenant("acme"), s.Tenant("globex")
	users := newUsers("acme", 4)
	users[0].Role = wellbase.RoleOwner
	users[0].PasswordHash = "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"
	users[1].Role = wellbase.RoleViewer
	createUsers(t, acme, users...)
	globexUser := newUsers("globex", 1)[0]
	createUsers(t, globex, globexUser)

	t.Run("Create", func(t *testing.T) {
		sameEmail := &wellbase.User{ID: wellbase.NewID("usr"), TenantID: "acme", Email: users[1].Email, Role: wellbase.RoleAdmin, CreatedAt: now()}
		sameID := &wellbase.User{ID: users[2].ID, TenantID: "acme", Email: "new@acme.example.com", Role: wellbase.RoleAdmin, CreatedAt: now()}
		ok := newUsers("initech", 1)[0]
		tests := []struct {
			name string
			user *wellbase.User
			code string
			want *wellbase.User // GetUser of user.ID afterwards
		}{
			{"OK", ok, "", ok},
			{"ErrConflictEmail", sameEmail, wellbase.EConflict, nil},
			{"ErrConflictID", sameID, wellbase.EConflict, users[2]},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				ts := s.Tenant(tt.user.TenantID)
				checkCode(t, "CreateUser", ts.CreateUser(t.Context(), tt.user), tt.code)
				got, err := ts.GetUser(t.Context(), tt.user.ID)
				if tt.want == nil {
					checkCode(t, "GetUser", err, wellbase.ENotFound)
					return
				}
				checkCode(t, "GetUser", err, "")
				checkEqual(t, "user", got, tt.want)
			})
		}
		t.Run("ErrConflictKeepsUser", func(t *testing.T) {
			got, err := acme.UserByEmail(t.Context(), users[1].Email)
			checkCode(t, "UserByEmail", err, "")
			checkEqual(t, "user", got, users[1])
		})
	})

	t.Run("Get", func(t *testing.T) {
		tests := []struct {
			name string
			id   string
			want *wellbase.User
			code string
		}{
			{"OK", users[0].ID, users[0], ""},
			{"OKNoPassword", users[3].ID, users[3], ""},
			{"ErrNotFound", "usr_nobody", nil, wellbase.ENotFound},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, err := acme.GetUser(t.Context(), tt.id)
				checkCode(t, "GetUser", err, tt.code)
				if tt.code == "" {
					checkEqual(t, "user", got, tt.want)
				}
			})
		}
	})

	t.Run("ByEmail", func(t *testing.T) {
		tests := []struct {
			name  string
			email string
			want  *wellbase.User
			code  string
		}{
			{"OK", users[1].Email, users[1], ""},
			{"ErrNotFound", "nobody@acme.example.com", nil, wellbase.ENotFound},
			{"ErrNotFoundOtherTenant", globexUser.Email, nil, wellbase.ENotFound},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, err := acme.UserByEmail(t.Context(), tt.email)
				checkCode(t, "UserByEmail", err, tt.code)
				if tt.code == "" {
					checkEqual(t, "user", got, tt.want)
				}
			})
		}
	})

	t.Run("List", func(t *testing.T) {
		testPaging(t, acme.ListUsers, userID, ids(users, userID))
		t.Run("Records", func(t *testing.T) {
			got, _, err := acme.ListUsers(t.Context(), wellbase.Page{})
			checkCode(t, "ListUsers", err, "")
			checkEqual(t, "users", got, users)
		})
	})

	t.Run("Count", func(t *testing.T) {
		tests := []struct {
			name string
			ts   wellbase.TenantStore
			want int
		}{
			{"OK", acme, len(users)},
			{"OtherTenant", globex, 1},
			{"NoUsers", s.Tenant("umbrella"), 0},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, err := tt.ts.CountUsers(t.Context())
				checkCode(t, "CountUsers", err, "")
				if got != tt.want {
					t.Errorf("CountUsers = %d, want %d", got, tt.want)
				}
			})
		}
	})

	t.Run("Update", func(t *testing.T) {
		u := newUsers("acme", 1)[0]
		u.ID, u.Email = wellbase.NewID("usr"), "update@acme.example.com"
		createUsers(t, acme, u)
		admin, yes, no := wellbase.RoleAdmin, true, false
		at := now().Truncate(time.Second)
		got, err := acme.UpdateUser(t.Context(), u.ID, wellbase.UserUpdate{Role: &admin})
		checkCode(t, "UpdateUser role", err, "")
		want := *u
		want.Role = admin
		checkEqual(t, "user after role change", got, &want)
		got, err = acme.UpdateUser(t.Context(), u.ID, wellbase.UserUpdate{Disabled: &yes, At: at})
		checkCode(t, "UpdateUser disable", err, "")
		want.DisabledAt = &at
		checkEqual(t, "user after disable", got, &want)
		// Disabling again keeps the first time.
		got, err = acme.UpdateUser(t.Context(), u.ID, wellbase.UserUpdate{Disabled: &yes, At: at.Add(time.Hour)})
		checkCode(t, "UpdateUser disable again", err, "")
		checkEqual(t, "user after second disable", got, &want)
		stored, err := acme.GetUser(t.Context(), u.ID)
		checkCode(t, "GetUser", err, "")
		checkEqual(t, "stored user", stored, &want)
		got, err = acme.UpdateUser(t.Context(), u.ID, wellbase.UserUpdate{Disabled: &no})
		checkCode(t, "UpdateUser enable", err, "")
		want.DisabledAt = nil
		checkEqual(t, "user after enable", got, &want)
		_, err = acme.UpdateUser(t.Context(), "usr_nobody", wellbase.UserUpdate{Role: &admin})
		checkCode(t, "UpdateUser missing", err, wellbase.ENotFound)
		// Another tenant's user is not found, and stays as it was.
		_, err = globex.UpdateUser(t.Context(), u.ID, wellbase.UserUpdate{Role: &admin, Disabled: &yes, At: at})
		checkCode(t, "UpdateUser other tenant", err, wellbase.ENotFound)
		_, err = acme.UpdateUser(t.Context(), globexUser.ID, wellbase.UserUpdate{Disabled: &yes, At: at})
		checkCode(t, "UpdateUser of globex's user through acme", err, wellbase.ENotFound)
		stored, err = globex.GetUser(t.Context(), globexUser.ID)
		checkCode(t, "GetUser globex", err, "")
		checkEqual(t, "globex's user", stored, globexUser)
	})
}

// ids returns the IDs of records, read by id.
func ids[T any](records []T, id func(T) string) []string {
	out := make([]string, len(records))
	for i, r := range records {
		out[i] = id(r)
	}
	return out
}

func userID(u *wellbase.User) string { return u.ID }
