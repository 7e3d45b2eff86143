package las

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// golden is what a golden file holds for one LAS file: its summary and how every header line
// was split, or the error that rejected it.
type golden struct {
	Error   string   `json:"error,omitempty"`
	Summary *Summary `json:"summary,omitempty"`
	// Header lists every header item as "line ~section MNEM .UNIT | VALUE | DESCRIPTION
	// {FORMAT} |> ASSOCIATION", so that a change in header-line splitting shows in review.
	Header []string `json:"header,omitempty"`
}

func goldenOf(f *File, err error) golden {
	if err != nil {
		return golden{Error: err.Error()}
	}
	s := Summarize(f)
	g := golden{Summary: &s}
	add := func(sec string, it HeaderItem) {
		line := fmt.Sprintf("%d ~%s %s .%s | %s | %s", it.Line, sec, it.Mnemonic, it.Unit, it.Value, it.Description)
		if it.Format != "" {
			line += " {" + it.Format + "}"
		}
		if it.Association != "" {
			line += " |> " + it.Association
		}
		g.Header = append(g.Header, line)
	}
	for _, it := range f.VersionItems {
		add("V", it)
	}
	for _, it := range f.Well {
		add("W", it)
	}
	for _, c := range f.Curves {
		add("C", HeaderItem{Mnemonic: c.Mnemonic, Unit: c.Unit, Value: c.Value, Description: c.Description,
			Format: c.Format, Association: c.Association, Line: c.Line})
	}
	for _, it := range f.Parameters {
		add("P", it)
	}
	for _, sec := range f.Sections {
		for _, it := range sec.Items {
			add(sec.Name, it)
		}
	}
	return g
}

// lasFiles returns the LAS files under root (by extension, any case), relative to root.
func lasFiles(tb testing.TB, root string) []string {
	tb.Helper()
	var out []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.EqualFold(filepath.Ext(p), ".las") {
			rel, _ := filepath.Rel(root, p)
			out = append(out, rel)
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

// TestGolden reads every LAS file under shared/data/las and shared/cases/las and compares its
// summary (or its error) and header split with testdata/golden/<relative path>.json. Run
// `go test ./internal/las -update` to rewrite them after a deliberate change, and review the
// diff.
func TestGolden(t *testing.T) {
	t.Parallel()
	for _, set := range []struct{ dir, prefix string }{
		{"data/las", ""},
		{"cases/las", "cases"},
	} {
		root := sharedPath(t, set.dir)
		for _, rel := range lasFiles(t, root) {
			t.Run(filepath.ToSlash(filepath.Join(set.prefix, rel)), func(t *testing.T) {
				t.Parallel()
				f, err := readFile(filepath.Join(root, rel))
				got, jerr := json.MarshalIndent(goldenOf(f, err), "", "  ")
				if jerr != nil {
					t.Fatal(jerr)
				}
				got = append(got, '\n')
				path := filepath.Join("testdata", "golden", set.prefix, rel+".json")
				if *update {
					if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(path, got, 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("no golden file (run go test ./internal/las -update): %v", err)
				}
				if !bytes.Equal(got, want) {
					t.Errorf("summary differs from %s (run with -update and review the diff):\n%s", path, firstDiff(string(want), string(got)))
				}
			})
		}
	}
}

// firstDiff shows the first differing line of two texts.
func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) || i < len(bl); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			return fmt.Sprintf("line %d:\n- %s\n+ %s", i+1, x, y)
		}
	}
	return "(no difference)"
}
