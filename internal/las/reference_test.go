package las

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sharedDir is the shared data folder beside the repository, as the tests see it from the
// package directory.
const sharedDir = "../../../shared"

// sharedPath returns a path under the shared folder, skipping the test when the folder is
// absent (a checkout without the shared data).
func sharedPath(tb testing.TB, rel string) string {
	tb.Helper()
	p := filepath.Join(sharedDir, rel)
	if _, err := os.Stat(p); err != nil {
		tb.Skipf("shared data %s is absent (%v): this test reads the real files kept beside the repository", p, err)
	}
	return p
}

// refRecord is one line of the reference reader's results (lasio-given.jsonl).
type refRecord struct {
	File   string     `json:"file"`
	OK     bool       `json:"ok"`
	Rows   int        `json:"rows"`
	Curves []refCurve `json:"curves"`
	Error  string     `json:"error"`
}

type refCurve struct {
	Mnemonic string   `json:"mnemonic"`
	Kind     string   `json:"kind"`
	NValid   int      `json:"n_valid"`
	Min      *float64 `json:"min"`
	Max      *float64 `json:"max"`
}

// knownDisagreements are the files on which this reader and the reference reader (lasio) part
// ways, each for a reason that follows the standards.
var knownDisagreements = map[string]string{
	"kgs/Wellington_KGS-1-32-wDST2_LASv3.las": "the reference runs all 13 LAS 3.0 data sections " +
		"(brine, tops, tests, geology report, log) into one 38-column array: 354 958 rows with " +
		"DEPT down to -999.25 and every other curve empty. LAS 3.0 (\"Data Section Sets\") keeps " +
		"each set apart: the log (~ASCII) has 9 341 rows, the sets are kept as sections",
	"lasio-examples/null_policy_ind.las": "the reference cuts each line at '#' (an inline " +
		"comment to it), so \"-1.#IND0000\" becomes -1 in CN and nothing in CD. The token is the " +
		"Windows C runtime's rendering of NaN: both curves are NULL throughout",
	"lasio-examples/3.0/Curve-Param Unknown #1(SS).las": "the file has no log data section, " +
		"only the LAS 3.0 set ~Drilling_Definition / ~Drilling_Data. Both readers read the " +
		"drilling data as the log (101 rows, same values), but the reference names its curves " +
		"UNKNOWN:1…16 where the definition section names them ETIM, DEPT, …",
	"lasio-examples/3.0/Curve-Param Unknown #2 (SS).LAS": "as Curve-Param Unknown #1: the " +
		"only data are a drilling set; the reference names the curves UNKNOWN:1…45 instead of " +
		"the names ~Drilling_Definition gives",
}

// agreement compares a summary with a reference record the way the acceptance check does:
// same rows, same curves in order (GR:1 equals GR), for numeric reference curves the same
// non-NULL count and min/max within 1e-6 relative. It returns "" when they agree.
func agreement(s Summary, ref refRecord) string {
	if s.Rows != ref.Rows {
		return fmt.Sprintf("rows %d vs %d", s.Rows, ref.Rows)
	}
	rc := ref.Curves
	if len(s.Curves) != len(rc) {
		return fmt.Sprintf("curves %d vs %d", len(s.Curves), len(rc))
	}
	base := func(m string) string {
		m = strings.ToUpper(m)
		if k := strings.IndexByte(m, ':'); k >= 0 {
			m = m[:k]
		}
		return m
	}
	for i, o := range s.Curves {
		r := rc[i]
		if !strings.EqualFold(o.Mnemonic, r.Mnemonic) && base(o.Mnemonic) != base(r.Mnemonic) {
			return fmt.Sprintf("curve %s where the reference has %s", o.Mnemonic, r.Mnemonic)
		}
		if r.Kind != "" {
			continue
		}
		if o.Count != r.NValid {
			return fmt.Sprintf("%s count %d vs %d", r.Mnemonic, o.Count, r.NValid)
		}
		if r.NValid > 0 && !(closeRel(o.Min, r.Min) && closeRel(o.Max, r.Max)) {
			return fmt.Sprintf("%s min/max %v/%v vs %v/%v", r.Mnemonic, deref(o.Min), deref(o.Max), deref(r.Min), deref(r.Max))
		}
	}
	return ""
}

func closeRel(a, b *float64) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return math.Abs(*a-*b) <= 1e-6*math.Max(1, math.Max(math.Abs(*a), math.Abs(*b)))
}

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

// TestReferenceAgreement runs Summarize on every file the reference reader (lasio) read and
// reports agreement. It fails on a disagreement not listed in knownDisagreements, and when
// fewer than 95 % agree.
func TestReferenceAgreement(t *testing.T) {
	t.Parallel()
	path := sharedPath(t, "acceptance/reference/lasio-given.jsonl")
	sharedPath(t, "data/las")
	fh, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	var total, agree, beyond, beyondRead int
	sc := bufio.NewScanner(fh)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var ref refRecord
		if err := json.Unmarshal(sc.Bytes(), &ref); err != nil {
			t.Fatal(err)
		}
		rel := strings.TrimPrefix(ref.File, "shared/data/las/")
		f, err := readFile(filepath.Join(sharedDir, "data/las", rel))
		if !ref.OK {
			beyond++
			if err == nil && f.Rows() > 0 {
				beyondRead++
				t.Logf("reference fails, read here: %s (%d rows; reference: %s)", rel, f.Rows(), clip(ref.Error, 70))
			} else {
				msg := "no rows"
				if err != nil {
					msg = err.Error()
				}
				t.Logf("reference fails, not read here either: %s: %s (reference: %s)", rel, msg, clip(ref.Error, 70))
			}
			continue
		}
		total++
		why := ""
		if err != nil {
			why = "error: " + err.Error()
		} else {
			why = agreement(Summarize(f), ref)
		}
		if why == "" {
			agree++
			if _, ok := knownDisagreements[rel]; ok {
				t.Errorf("%s now agrees with the reference: drop it from knownDisagreements", rel)
			}
			continue
		}
		if reason, ok := knownDisagreements[rel]; ok {
			t.Logf("disagrees (understood): %s: %s — %s", rel, why, reason)
		} else {
			t.Errorf("disagrees: %s: %s", rel, why)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	t.Logf("agreement with the reference: %d/%d (%.1f %%); files the reference fails on read here: %d/%d",
		agree, total, 100*float64(agree)/float64(total), beyondRead, beyond)
	if float64(agree) < 0.95*float64(total) {
		t.Errorf("agreement %d/%d is below 95 %%", agree, total)
	}
}

func readFile(path string) (*File, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	return Read(fh, WithName(filepath.Base(path)))
}
