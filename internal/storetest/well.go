package storetest

import (
	"testing"
	"time"

	"github.com/wellbase/wellbase"
)

func wellID(w *wellbase.Well) string { return w.ID }

// newWells returns n wells of tenant in creation order (ascending IDs), without location.
func newWells(tenant string, n int) []*wellbase.Well {
	created := now().Add(-time.Hour)
	wells := make([]*wellbase.Well, n)
	for i, id := range newIDs("wel", n) {
		at := created.Add(time.Duration(i) * time.Second)
		wells[i] = &wellbase.Well{
			ID: id, TenantID: tenant, Name: "15/9-F-" + string(rune('1'+i)), CreatedAt: at, UpdatedAt: at,
		}
	}
	return wells
}

// createWells stores wells through ts.
func createWells(t testing.TB, ts wellbase.TenantStore, wells ...*wellbase.Well) {
	t.Helper()
	for _, w := range wells {
		if err := ts.CreateWell(t.Context(), w); err != nil {
			t.Fatalf("CreateWell %s: %v", w.Name, err)
		}
	}
}

func testWell(t *testing.T, s wellbase.Store) {
	for _, id := range []string{"acme", "globex", "initech"} {
		createTenant(t, s, id)
	}
	acme, globex := s.Tenant("acme"), s.Tenant("globex")
	wells := newWells("acme", 4)
	full, zero, bare := wells[0], wells[1], wells[2]
	full.UWI, full.Field, full.Operator = "NO 15/9-F-1 C", "VOLVE", "Equinor Energy AS"
	full.Latitude, full.Longitude = ptr(58.441), ptr(1.887)
	full.UpdatedAt = full.CreatedAt.Add(time.Minute)
	zero.Latitude, zero.Longitude = ptr(0.0), ptr(0.0) // on the equator and meridian, not unknown
	zero.UWI = "0"
	createWells(t, acme, wells...)

	t.Run("Create", func(t *testing.T) {
		ok := newWells("globex", 1)[0]
		ok.Latitude, ok.Longitude = ptr(-33.9), ptr(-70.5)
		sameID := newWells("acme", 1)[0]
		sameID.ID, sameID.Name = full.ID, "Duplicate"
		tests := []struct {
			name string
			well *wellbase.Well
			code string
			want *wellbase.Well // GetWell of well.ID afterwards
		}{
			{"OK", ok, "", ok},
			{"ErrConflict", sameID, wellbase.EConflict, full},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				ts := s.Tenant(tt.well.TenantID)
				checkCode(t, "CreateWell", ts.CreateWell(t.Context(), tt.well), tt.code)
				got, err := ts.GetWell(t.Context(), tt.well.ID)
				checkCode(t, "GetWell", err, "")
				checkEqual(t, "well", got, tt.want)
			})
		}
	})

	t.Run("Get", func(t *testing.T) {
		tests := []struct {
			name string
			id   string
			want *wellbase.Well
			code string
		}{
			{"OK", full.ID, full, ""},
			{"OKZeroLocation", zero.ID, zero, ""},
			{"OKNoLocation", bare.ID, bare, ""},
			{"ErrNotFound", "wel_nobody", nil, wellbase.ENotFound},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, err := acme.GetWell(t.Context(), tt.id)
				checkCode(t, "GetWell", err, tt.code)
				if tt.code == "" {
					checkEqual(t, "well", got, tt.want)
				}
			})
		}
	})

	t.Run("List", func(t *testing.T) {
		testPaging(t, acme.ListWells, wellID, ids(wells, wellID))
		t.Run("Records", func(t *testing.T) {
			got, _, err := acme.ListWells(t.Context(), wellbase.Page{})
			checkCode(t, "ListWells", err, "")
			checkEqual(t, "wells", got, wells)
		})
	})

	t.Run("Update", func(t *testing.T) {
		initech := s.Tenant("initech")
		tests := []struct {
			name   string
			change func(w *wellbase.Well) // applied to a new well with a location
			exists bool
			code   string
		}{
			{
				name: "OK",
				change: func(w *wellbase.Well) {
					w.Name, w.UWI, w.Field, w.Operator = "Johan Sverdrup 16/2-D-1", "NO 16/2-D-1", "JOHAN SVERDRUP", "Aker BP ASA"
					w.Latitude, w.Longitude = ptr(58.8), ptr(2.6)
					w.UpdatedAt = w.UpdatedAt.Add(time.Hour)
				},
				exists: true,
			},
			{
				name: "ClearFields",
				change: func(w *wellbase.Well) {
					w.UWI, w.Field, w.Operator, w.Latitude, w.Longitude = "", "", "", nil, nil
					w.UpdatedAt = w.UpdatedAt.Add(time.Hour)
				},
				exists: true,
			},
			{
				name:   "ZeroLocation",
				change: func(w *wellbase.Well) { w.Latitude, w.Longitude = ptr(0.0), ptr(0.0) },
				exists: true,
			},
			{
				name:   "ErrNotFound",
				change: func(w *wellbase.Well) { w.Name = "Ghost" },
				code:   wellbase.ENotFound,
			},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				w := newWells("initech", 1)[0]
				w.UWI, w.Field, w.Operator = "NO 15/9-19 A", "VOLVE", "Statoil"
				w.Latitude, w.Longitude = ptr(58.44), ptr(1.88)
				if tt.exists {
					createWells(t, initech, w)
				}
				want := *w
				tt.change(&want)
				update := want
				checkCode(t, "UpdateWell", initech.UpdateWell(t.Context(), &update), tt.code)
				got, err := initech.GetWell(t.Context(), w.ID)
				if tt.code != "" {
					checkCode(t, "GetWell after UpdateWell", err, wellbase.ENotFound)
					return
				}
				checkCode(t, "GetWell", err, "")
				checkEqual(t, "well", got, &want)
			})
		}
	})

	t.Run("Delete", func(t *testing.T) {
		tests := []struct {
			name   string
			exists bool
			code   string
		}{
			{"OK", true, ""},
			{"ErrNotFound", false, wellbase.ENotFound},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				w := newWells("globex", 1)[0]
				if tt.exists {
					createWells(t, globex, w)
				}
				checkCode(t, "DeleteWell", globex.DeleteWell(t.Context(), w.ID), tt.code)
				_, err := globex.GetWell(t.Context(), w.ID)
				checkCode(t, "GetWell after DeleteWell", err, wellbase.ENotFound)
				checkCode(t, "DeleteWell again", globex.DeleteWell(t.Context(), w.ID), wellbase.ENotFound)
			})
		}
	})

	t.Run("Count", func(t *testing.T) {
		tests := []struct {
			name string
			ts   wellbase.TenantStore
			want int
		}{
			{"OK", acme, len(wells)},
			{"NoWells", s.Tenant("umbrella"), 0},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, err := tt.ts.CountWells(t.Context())
				checkCode(t, "CountWells", err, "")
				if got != tt.want {
					t.Errorf("CountWells = %d, want %d", got, tt.want)
				}
			})
		}
	})
}
