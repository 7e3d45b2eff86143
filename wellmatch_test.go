package wellbase_test

import (
	"testing"

	"github.com/wellbase/wellbase"
)

func TestWellKey(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"15/9-F-14":       "15/9-F-14",
		"  15/9-f-14 ":    "15/9-F-14",
		"NO 15/9-F-14  H": "NO 15/9-F-14 H",
		"\t":              "",
		"Brage\u00a0A-1":  "BRAGE A-1", // a no-break space from a spreadsheet is white space
		"Åsgard Q-2":      "ÅSGARD Q-2",
		"15/9-F-14 H":     "15/9-F-14 H",
		"":                "",
	} {
		if got := wellbase.WellKey(in); got != want {
			t.Errorf("WellKey(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestWellIndex is the one matching rule of LAS uploads and production imports.
func TestWellIndex(t *testing.T) {
	t.Parallel()
	f14 := &wellbase.Well{ID: "wel_1", Name: "15/9-F-14", UWI: "NO 15/9-F-14 H"}
	f12 := &wellbase.Well{ID: "wel_2", Name: "15/9-F-12", UWI: "NO 15/9-F-12 H"}
	noUWI := &wellbase.Well{ID: "wel_3", Name: "Globex 7"}
	dupName := &wellbase.Well{ID: "wel_4", Name: "globex 7", UWI: "G-7"} // newer, same name as wel_3
	// wel_5 has wel_2's UWI as its name: an identifier never matches a name.
	trap := &wellbase.Well{ID: "wel_5", Name: "NO 15/9-F-12 H"}
	ix := wellbase.NewWellIndex(f14, f12, noUWI, dupName, trap)
	for _, tc := range []struct {
		name string
		ref  wellbase.WellRef
		want *wellbase.Well
	}{
		{"ByUWI", wellbase.WellRef{IDs: []string{"NO 15/9-F-14 H"}}, f14},
		{"ByUWIFolded", wellbase.WellRef{IDs: []string{" no 15/9-f-14  h "}}, f14},
		{"ByCodeAfterEmptyUWI", wellbase.WellRef{IDs: []string{"", "NO 15/9-F-12 H"}}, f12},
		{"UWIOutranksName", wellbase.WellRef{IDs: []string{"NO 15/9-F-12 H"}, Names: []string{"15/9-F-14"}}, f12},
		{"ByNameWhenUWIUnknown", wellbase.WellRef{IDs: []string{"NO 99/9-9"}, Names: []string{"15/9-F-14"}}, f14},
		{"ByLaterName", wellbase.WellRef{Names: []string{"", "nope", "15/9-f-14"}}, f14},
		{"OldestOfSameName", wellbase.WellRef{Names: []string{"GLOBEX 7"}}, noUWI},
		{"UWIOfNewerDuplicate", wellbase.WellRef{IDs: []string{"g-7"}, Names: []string{"GLOBEX 7"}}, dupName},
		{"NameNeverMatchesUWI", wellbase.WellRef{Names: []string{"NO 15/9-F-14 H"}}, nil},
		{"IDNeverMatchesName", wellbase.WellRef{IDs: []string{"Globex 7"}}, nil},
		{"BlankMatchesNothing", wellbase.WellRef{IDs: []string{" "}, Names: []string{""}}, nil},
		{"NotFound", wellbase.WellRef{IDs: []string{"X"}, Names: []string{"Y"}}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := ix.Find(tc.ref); got != tc.want {
				t.Errorf("Find(%+v) = %v, want %v", tc.ref, got, tc.want)
			}
		})
	}
	// A well added later is found, and does not displace the first of its key.
	f15 := &wellbase.Well{ID: "wel_6", Name: "15/9-F-15", UWI: "NO 15/9-F-14 H"}
	ix.Add(f15)
	if got := ix.Find(wellbase.WellRef{Names: []string{"15/9-F-15"}}); got != f15 {
		t.Errorf("added well not found by name: %v", got)
	}
	if got := ix.Find(wellbase.WellRef{IDs: []string{"NO 15/9-F-14 H"}}); got != f14 {
		t.Errorf("added well with a known UWI displaced the first: %v", got)
	}
}
