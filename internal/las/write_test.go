package las

import (
	"bytes"
	"errors"
	"math"
	"path/filepath"
	"strings"
	"testing"
)

// sameCurves compares the curves of two files: rows, mnemonics, units, kinds and samples
// (NaN equals NaN).
func sameCurves(tb testing.TB, want, got *File) {
	tb.Helper()
	if want.Rows() != got.Rows() {
		tb.Fatalf("rows %d, want %d", got.Rows(), want.Rows())
	}
	if len(want.Curves) != len(got.Curves) {
		tb.Fatalf("%d curves, want %d", len(got.Curves), len(want.Curves))
	}
	for j := range want.Curves {
		w, g := &want.Curves[j], &got.Curves[j]
		if w.Mnemonic != g.Mnemonic || w.Unit != g.Unit {
			tb.Fatalf("curve %d is %s.%s, want %s.%s", j, g.Mnemonic, g.Unit, w.Mnemonic, w.Unit)
		}
		if w.Kind != g.Kind {
			// A text curve whose samples are all NULL cannot show that it is text.
			if n, _, _, _ := w.Stats(); n > 0 {
				tb.Fatalf("curve %s is %v, want %v", w.Mnemonic, g.Kind, w.Kind)
			}
			continue
		}
		for i := 0; i < w.Len(); i++ {
			if w.Kind == KindText {
				if w.Text[i] != g.Text[i] {
					tb.Fatalf("%s[%d] = %q, want %q", w.Mnemonic, i, g.Text[i], w.Text[i])
				}
				continue
			}
			a, b := w.Values[i], g.Values[i]
			if !(a == b || (math.IsNaN(a) && math.IsNaN(b))) || math.Signbit(a) != math.Signbit(b) && a != 0 {
				tb.Fatalf("%s[%d] = %v, want %v", w.Mnemonic, i, b, a)
			}
		}
	}
}

// TestWriteRoundTrip writes every readable real file as LAS 2.0 and reads it back: same rows,
// mnemonics, units and samples.
func TestWriteRoundTrip(t *testing.T) {
	t.Parallel()
	for _, set := range []string{"data/las", "cases/las"} {
		root := sharedPath(t, set)
		for _, rel := range lasFiles(t, root) {
			t.Run(filepath.ToSlash(filepath.Join(set, rel)), func(t *testing.T) {
				t.Parallel()
				f, err := readFile(filepath.Join(root, rel))
				if err != nil {
					t.Skipf("not readable: %v", err)
				}
				var buf bytes.Buffer
				if err := Write(&buf, f); err != nil {
					t.Fatal(err)
				}
				back, err := Read(bytes.NewReader(buf.Bytes()))
				if err != nil {
					t.Fatalf("written file does not read back: %v\n%s", err, clip(buf.String(), 2000))
				}
				if back.Version != "2.0" || back.Wrap {
					t.Errorf("written as %s wrap=%v, want 2.0 unwrapped", back.Version, back.Wrap)
				}
				sameCurves(t, f, back)
				for _, w := range back.Warnings {
					if strings.Contains(w.Message, "values") || strings.Contains(w.Message, "not a header line") {
						t.Errorf("written file reads back with warning %v", w)
					}
				}
				// Header items survive.
				for _, m := range []string{"WELL", "COMP", "UWI", "API", "FLD"} {
					if a, b := f.Well.Value(m), back.Well.Value(m); a != b {
						t.Errorf("~W %s = %q, want %q", m, b, a)
					}
				}
				if len(back.Parameters) != len(f.Parameters) {
					t.Errorf("%d parameters, want %d", len(back.Parameters), len(f.Parameters))
				}
			})
		}
	}
}

func TestWriteSpecialValues(t *testing.T) {
	t.Parallel()
	f := &File{
		Version: "3.0", Null: math.NaN(),
		Well: HeaderItems{{Mnemonic: "WELL", Value: "A: B 23:15"}, {Mnemonic: "DATE", Value: "2001-01-23"}},
		Curves: []Curve{
			{Mnemonic: "DEPT", Unit: "M", Kind: KindNumber, Values: []float64{100, 100.5, 101}},
			{Mnemonic: "GR:1", OriginalMnemonic: "GR", Unit: "GAPI", Kind: KindNumber, Values: []float64{-999.25, math.NaN(), 1.45e12}},
			{Mnemonic: "GR:2", OriginalMnemonic: "GR", Unit: "GAPI", Kind: KindNumber, Values: []float64{-0.0001, 1e-7, 3}},
			{Mnemonic: "LITH", Kind: KindText, Text: []string{"SAND STONE", "", `say "hi"`}},
			{Mnemonic: "CODE", Kind: KindText, Text: []string{"1", "2", "3"}},
		},
	}
	var buf bytes.Buffer
	if err := Write(&buf, f); err != nil {
		t.Fatal(err)
	}
	if out := buf.String(); strings.Count(out, "\r\n") != strings.Count(out, "\n") || strings.HasSuffix(out, "\n") {
		t.Errorf("line ends are not CR LF, or the last line has one (LAS 2.0 §3)")
	}
	back, err := Read(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if back.Null != -9999.25 {
		t.Errorf("NULL %v, want -9999.25 (a sample is -999.25)", back.Null)
	}
	f.Curves[3].Text[2] = `say 'hi'`
	sameCurves(t, f, back)
	if got := back.Well.Value("WELL"); got != "A: B 23:15" {
		t.Errorf("WELL %q", got)
	}
}

type failWriter struct{ n int }

func (w *failWriter) Write(p []byte) (int, error) {
	if w.n -= len(p); w.n < 0 {
		return 0, errors.New("disk full")
	}
	return len(p), nil
}

func TestWriteError(t *testing.T) {
	t.Parallel()
	f := &File{Curves: []Curve{{Mnemonic: "DEPT", Values: make([]float64, 100000)}}}
	if err := Write(&failWriter{n: 1000}, f); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("Write to a failing writer: %v", err)
	}
	if err := Write(&bytes.Buffer{}, nil); err == nil {
		t.Error("Write(nil) succeeded")
	}
}
