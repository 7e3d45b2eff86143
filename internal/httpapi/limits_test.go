package httpapi_test

import (
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// wideLAS is a LAS file of n curves after the depth, of rows rows, each curve's description
// desc bytes long and its mnemonic prefixed by prefix.
func wideLAS(n, rows, desc int, prefix string) []byte {
	var b strings.Builder
	b.WriteString("~VERSION INFORMATION\n VERS.   2.0 : CWLS\n WRAP.   NO  : one line\n~WELL INFORMATION\n")
	b.WriteString(" STRT.M 100.0 :\n STOP.M 101.0 :\n STEP.M 0.5 :\n NULL. -999.25 :\n WELL. WIDE-1 :\n~CURVE INFORMATION\n DEPT.M : depth\n")
	d := strings.Repeat("d", desc)
	for i := range n {
		fmt.Fprintf(&b, " %sC%d.API : %s%d\n", prefix, i, d, i)
	}
	b.WriteString("~A\n")
	row := strings.Repeat(" 1.0", n)
	for r := range rows {
		fmt.Fprintf(&b, "%.1f%s\n", 100+0.5*float64(r), row)
	}
	return []byte(b.String())
}

// tenantFiles lists the files and folders under a tenant's prefix on disk, but its marker.
func tenantFiles(t *testing.T, h *harness, tenant string) []string {
	t.Helper()
	var out []string
	root := filepath.Join(h.dir, "files", "tenants", tenant)
	filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || path == root || d.Name() == ".tenant.json" || d.Name() == ".staging" {
			return nil
		}
		out = append(out, strings.TrimPrefix(path, root))
		return nil
	})
	return out
}

// A file over a limit of a log is refused before anything is stored — 422 for a limit of the
// format, 413 for a size, naming the limit and its value — and leaves no log, well, object or
// folder behind, whether it is parsed in the request or by a job.
func TestLogLimits(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		file   []byte
		status int
		want   string
	}{
		{"TooManyCurves", wideLAS(100000, 3, 0, ""), 422, "100001 curves; a log holds at most 32768"},
		{"MnemonicTooLong", wideLAS(2, 3, 0, strings.Repeat("M", 300)), 422, "at most 256"},
		{"HeaderTooLarge", wideLAS(4000, 2, 2500, ""), 413, "at most 8388608"},
	}
	for _, async := range []bool{false, true} {
		for _, tt := range tests {
			t.Run(fmt.Sprintf("%s/async=%v", tt.name, async), func(t *testing.T) {
				t.Parallel()
				opt := harnessOptions{}
				if async {
					opt.asyncParseBytes = 100
				}
				h := newHarnessWith(t, opt)
				acme := h.onboard("acme")
				if !async {
					r := h.do("POST", "/api/v1/logs?name=wide.las", acme, tt.file)
					if p := r.json(); r.status != tt.status || !strings.Contains(p["detail"].(string), tt.want) || p["field"] != "file" {
						t.Errorf("upload: %d %.300s; want %d naming %q", r.status, r.body, tt.status, tt.want)
					}
					if logs := h.must(200, "GET", "/api/v1/logs", acme, nil).json()["items"].([]any); len(logs) != 0 {
						t.Errorf("a refused upload left %d logs", len(logs))
					}
					if left := tenantFiles(t, h, "acme"); len(left) != 0 {
						t.Errorf("a refused upload left in the file store: %q", left)
					}
				} else {
					up := h.must(202, "POST", "/api/v1/logs?name=wide.las", acme, tt.file)
					l := waitLog(t, h, acme, up.str("id"))
					if l["status"] != "failed" || !strings.Contains(l["error"].(string), tt.want) {
						t.Errorf("staged log: %s %.300v; want failed naming %q", l["status"], l["error"], tt.want)
					}
					// The log is marked failed by the job's handler, before the worker records the
					// job's own end.
					job := waitJobDone(t, h, acme, up.str("job_id"))
					if job["status"] != "failed" || job["attempts"] != 1.0 {
						t.Errorf("parse job %v after %v attempts; want failed at once", job["status"], job["attempts"])
					}
					if left := tenantFiles(t, h, "acme"); len(left) != 3 || !strings.HasSuffix(left[2], up.str("id")+"/original.las") {
						t.Errorf("a refused parse left %q; want only the failed log's original", left)
					}
				}
				if wells := h.must(200, "GET", "/api/v1/wells", acme, nil).json()["items"].([]any); len(wells) != 0 {
					t.Errorf("a refused file made %d wells", len(wells))
				}
			})
		}
	}
}
