package las

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestCases turns every reported fault in shared/cases/las/expected.json into a check.
func TestCases(t *testing.T) {
	t.Parallel()
	dir := sharedPath(t, "cases/las")
	raw, err := os.ReadFile(filepath.Join(dir, "expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	var expected map[string]json.RawMessage
	if err := json.Unmarshal(raw, &expected); err != nil {
		t.Fatal(err)
	}
	checks := map[string]func(*testing.T, *File, error){
		"header-colons.las":    checkHeaderColons,
		"ctrl-z-end.las":       checkCtrlZ,
		"short-row.las":        checkShortRow,
		"text-date-column.las": checkTextDate,
	}
	for name := range expected {
		if checks[name] == nil {
			t.Errorf("expected.json has a case %s with no check", name)
		}
	}
	for name, check := range checks {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if _, ok := expected[name]; !ok {
				t.Skipf("%s is no longer in expected.json", name)
			}
			f, err := readFile(filepath.Join(dir, name))
			check(t, f, err)
		})
	}
}

func mustRead(t *testing.T, f *File, err error, rows int) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	if f.Rows() != rows {
		t.Fatalf("rows %d, want %d", f.Rows(), rows)
	}
}

func checkCurve(t *testing.T, f *File, mnem string, count int, min, max float64) {
	t.Helper()
	c := f.Curve(mnem)
	if c == nil {
		t.Fatalf("no curve %s", mnem)
	}
	n, lo, hi, _ := c.Stats()
	if n != count || lo != min || hi != max {
		t.Errorf("%s: count/min/max %d/%v/%v, want %d/%v/%v", mnem, n, lo, hi, count, min, max)
	}
}

// header-colons.las: values with times, descriptions with colons.
func checkHeaderColons(t *testing.T, f *File, err error) {
	mustRead(t, f, err, 3)
	for _, c := range []struct{ mnem, unit, value, desc string }{
		{"TIML", "hh:mm", "23:15 23-JAN-2001", "Time logger at bottom"},
		{"QI", "", "", "Survey quality: GOOD"},
		{"DATE", "", "2001-01-23", "Log date"},
	} {
		it, ok := f.Well.Get(c.mnem)
		if !ok {
			t.Fatalf("no ~W %s", c.mnem)
		}
		if it.Unit != c.unit || it.Value != c.value || it.Description != c.desc {
			t.Errorf("%s: unit %q value %q description %q, want %q %q %q", c.mnem, it.Unit, it.Value, it.Description, c.unit, c.value, c.desc)
		}
	}
	checkCurve(t, f, "GR", 2, 45.1, 47.9)
}

// ctrl-z-end.las: a DOS end-of-file byte after the last row.
func checkCtrlZ(t *testing.T, f *File, err error) {
	mustRead(t, f, err, 3)
	checkCurve(t, f, "RHOB", 3, 2549, 2561)
	if u := f.Curve("RHOB").Unit; u != "K/M3" {
		t.Errorf("RHOB unit %q, want K/M3 as stated", u)
	}
}

// short-row.las: a row with a missing value must not shift the others.
func checkShortRow(t *testing.T, f *File, err error) {
	if err != nil {
		if pe, ok := err.(*ParseError); !ok || pe.Line != 17 {
			t.Fatalf("rejected without naming line 17: %v", err)
		}
		return
	}
	named := false
	for _, w := range f.Warnings {
		named = named || w.Line == 17
	}
	if !named {
		t.Errorf("no warning names line 17: %v", f.Warnings)
	}
	want := map[string]float64{"100.0": 0.25, "100.5": 0.26, "101.5": 0.28, "102.0": 0.29}
	dept, nphi := f.Index(), f.Curve("NPHI")
	for i, d := range dept.Values {
		key := strconv.FormatFloat(d, 'f', 1, 64)
		if w, ok := want[key]; ok && nphi.Values[i] != w {
			t.Errorf("NPHI at %s = %v, want %v", key, nphi.Values[i], w)
		}
		if key == "101.0" && !nphi.IsNull(i) {
			t.Errorf("NPHI at 101.0 = %v, want NULL", nphi.Values[i])
		}
	}
}

// text-date-column.las: a date column stays text; CRLF line ends.
func checkTextDate(t *testing.T, f *File, err error) {
	mustRead(t, f, err, 3)
	c := f.Curve("SMPDT")
	if c == nil || c.Kind != KindText {
		t.Fatalf("SMPDT is not a text curve: %+v", c)
	}
	if got := strings.Join(c.Text, ","); got != "2018-05-22,2018-05-23,2018-05-24" {
		t.Errorf("SMPDT = %s", got)
	}
	if n, _, _, _ := f.Curve("GR").Stats(); n != 2 {
		t.Errorf("GR count %d, want 2", n)
	}
}
