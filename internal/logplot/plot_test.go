package logplot

import (
	"bytes"
	"errors"
	"flag"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"gonum.org/v1/plot/vg"

	"github.com/wellbase/wellbase"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func TestLogPlot(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		setup func() (Curve, []Curve, Options)
		texts []string // header texts that must appear
	}{
		{
			name: "IncreasingDepth",
			setup: func() (Curve, []Curve, Options) {
				d, c := synthetic(2000, 1000, 0.5, "G/CC", "V/V")
				return d, c, Options{Title: "Synthetic"}
			},
			texts: []string{"Synthetic", "DEPTH (m)", "GR (gAPI)", "0", "150", "RDEP (ohm·m)",
				"RMED (ohm·m)", "0.2", "2000", "DEN (g/cm3)", "1.95", "2.95", "NEU (v/v)", "0.45",
				"-0.15", "AC (µs/ft)", "140", "40", "CALI (in)", "6", "16"},
		},
		{
			name: "DecreasingDepth",
			setup: func() (Curve, []Curve, Options) {
				d, c := synthetic(2000, 2000, -0.5, "G/CC", "V/V")
				return d, c, Options{}
			},
			texts: []string{"DEPTH (m)", "GR (gAPI)", "DEN (g/cm3)", "NEU (v/v)"},
		},
		{
			name: "DensityKM3NeutronPercent",
			setup: func() (Curve, []Curve, Options) {
				d, c := synthetic(2000, 1000, 0.5, "K/M3", "%")
				return d, c, Options{}
			},
			// converted to g/cm3 and v/v, so the default scales still fit
			texts: []string{"DEN (g/cm3)", "1.95", "2.95", "NEU (v/v)", "0.45", "-0.15"},
		},
		{
			name: "ShalyNeutronKeepsCompatibleScale",
			setup: func() (Curve, []Curve, Options) {
				d, c := synthetic(2000, 1000, 0.5, "G/CC", "V/V")
				for i, cv := range c {
					if cv.Mnemonic == "NEU" || cv.Mnemonic == "NPHI" {
						for j := range cv.Values {
							c[i].Values[j] = 0.3 + 0.5*float64(j%100)/100 // up to 0.8 v/v, as in Volve's shales
						}
					}
				}
				return d, c, Options{}
			},
			// density and neutron keep their compatible scales so the overlay still reads
			texts: []string{"NEU (v/v)", "0.45", "-0.15", "1.95", "2.95"},
		},
		{
			name: "Window",
			setup: func() (Curve, []Curve, Options) {
				d, c := synthetic(2000, 1000, 0.5, "G/CC", "V/V")
				return d, c, Options{Top: 1200, Base: 1400, Width: 8 * vg.Inch, Height: 6 * vg.Inch}
			},
			texts: []string{"DEPTH (m)", "1200", "1300", "1400"},
		},
		{
			name: "UnknownCurveOwnTrack",
			setup: func() (Curve, []Curve, Options) {
				d, c := synthetic(500, 1000, 0.5, "G/CC", "V/V")
				tens := Curve{Mnemonic: "TENS", Unit: "LBF", Values: make([]float64, 500)}
				for i := range tens.Values {
					tens.Values[i] = 3000 + float64(i)
				}
				return d, append(c[:1], tens), Options{}
			},
			texts: []string{"GR (gAPI)", "TENS (lbf)", "3000", "3500"},
		},
		{
			name: "AllNullCurve",
			setup: func() (Curve, []Curve, Options) {
				d, c := synthetic(500, 1000, 0.5, "G/CC", "V/V")
				for i := range c[0].Values {
					c[0].Values[i] = math.NaN()
				}
				return d, c[:1], Options{}
			},
			texts: []string{"GR (gAPI)", "0", "150"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			depth, curves, opt := tt.setup()
			var buf bytes.Buffer
			if err := LogPlot(&buf, depth, curves, opt); err != nil {
				t.Fatal(err)
			}
			doc := checkSVG(t, buf.Bytes())
			for _, want := range tt.texts {
				if !doc.hasText(want) {
					t.Errorf("no text %q in SVG; texts: %q", want, doc.texts)
				}
			}
		})
	}
}

// TestLogPlotGaps checks that NULLs break a line instead of being drawn: a GR with two gaps is
// three paths in its colour, both sample by sample and decimated.
func TestLogPlotGaps(t *testing.T) {
	t.Parallel()
	for _, n := range []int{1000, 300_000} {
		depth, curves := synthetic(n, 1000, 3000/float64(n), "G/CC", "V/V")
		gr := curves[0]
		for _, gap := range [][2]float64{{0.2, 0.3}, {0.6, 0.65}} {
			for i := int(gap[0] * float64(n)); i < int(gap[1]*float64(n)); i++ {
				gr.Values[i] = math.NaN()
			}
		}
		var buf bytes.Buffer
		if err := LogPlot(&buf, depth, []Curve{gr}, Options{}); err != nil {
			t.Fatal(err)
		}
		doc := checkSVG(t, buf.Bytes())
		// the header's line sample is one more green path
		if got := doc.paths["#008000"]; got != 3+1 {
			t.Errorf("%d samples: %d green paths, want 3 lines + 1 header sample", n, got)
		}
	}
}

// TestLogPlotLarge checks that 300 000-sample curves give a small SVG with the spike kept.
func TestLogPlotLarge(t *testing.T) {
	t.Parallel()
	const n = 300_000
	depth, curves := synthetic(n, 500, 0.01, "G/CC", "V/V")
	curves[0].Values[n/2] = 149 // a one-sample GR spike
	var buf bytes.Buffer
	if err := LogPlot(&buf, depth, curves, Options{}); err != nil {
		t.Fatal(err)
	}
	checkSVG(t, buf.Bytes())
	if buf.Len() > 1<<20 {
		t.Errorf("SVG is %d bytes for %d samples, want ≤ 1 MiB", buf.Len(), n)
	}
	// The spike must be a vertex of the decimated GR line.
	l, err := newLayout(depth, curves[:1], Options{})
	if err != nil {
		t.Fatal(err)
	}
	tc := l.tracks[0].curves[0]
	lines := decimate(depth.Values, samples{Values: tc.Values, Factor: 1}, l.from, l.to,
		l.top, l.base, int(math.Ceil(l.dataHeight().Points())))
	found := false
	for _, line := range lines {
		for _, p := range line {
			if p.Value == 149 {
				found = true
			}
		}
	}
	if !found {
		t.Error("decimated GR lost its one-sample spike")
	}
}

// TestLogPlotGolden checks that the output is deterministic: the same input gives the same
// bytes twice and, on amd64, matches testdata/synthetic.svg (rewrite it with go test -update
// after a deliberate change of the drawing or a gonum/plot upgrade).
func TestLogPlotGolden(t *testing.T) {
	t.Parallel()
	render := func() []byte {
		depth, curves := synthetic(600, 2500, 0.1524, "K/M3", "%")
		for i := 200; i < 260; i++ {
			curves[1].Values[i] = math.NaN()
		}
		var buf bytes.Buffer
		if err := LogPlot(&buf, depth, curves, Options{Title: "Golden", Width: 8 * vg.Inch, Height: 5 * vg.Inch}); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	a, b := render(), render()
	if !bytes.Equal(a, b) {
		t.Fatal("two renderings of the same log differ")
	}
	if runtime.GOARCH != "amd64" && !*update {
		// Other architectures may fuse multiply-adds (FMA) and use other math routines, which
		// can change the last printed digit of a coordinate: only the repeatability holds there.
		t.Skipf("golden file is recorded on amd64; GOARCH is %s", runtime.GOARCH)
	}
	golden := filepath.Join("testdata", "synthetic.svg")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, a, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(a, want) {
		t.Errorf("output differs from %s (%d vs %d bytes); run go test -update if the change is intended",
			golden, len(a), len(want))
	}
}

func TestLogPlotErrors(t *testing.T) {
	t.Parallel()
	depth, curves := synthetic(100, 1000, 0.5, "G/CC", "V/V")
	short := curves[3]
	short.Values = short.Values[:99]
	zigzag := Curve{Mnemonic: "DEPT", Unit: "M", Values: append([]float64(nil), depth.Values...)}
	zigzag.Values[50], zigzag.Values[51] = zigzag.Values[51], zigzag.Values[50]
	nullDepth := Curve{Mnemonic: "DEPT", Unit: "M", Values: append([]float64(nil), depth.Values...)}
	nullDepth.Values[10] = math.NaN()
	flat := Curve{Mnemonic: "DEPT", Unit: "M", Values: make([]float64, 100)}

	tests := []struct {
		name   string
		depth  Curve
		curves []Curve
		opt    Options
		want   string // in the message
	}{
		{"ErrNoCurves", depth, nil, Options{}, "no curves"},
		{"ErrLengthMismatch", depth, []Curve{curves[0], short}, Options{}, `curve "DEN" (#2) has 99 samples`},
		{"ErrNotMonotonic", zigzag, curves, Options{}, "not monotonic: sample 52"},
		{"ErrNullDepth", nullDepth, curves, Options{}, "NULL at sample 11"},
		{"ErrFlatDepth", flat, curves, Options{}, "does not change"},
		{"ErrEmptyDepth", Curve{Mnemonic: "DEPT"}, []Curve{{Mnemonic: "GR"}}, Options{}, "has 0 samples"},
		{"ErrOneSample", Curve{Mnemonic: "DEPT", Values: []float64{1000}},
			[]Curve{{Mnemonic: "GR", Values: []float64{50}}}, Options{}, "at least 2"},
		{"ErrWindowInverted", depth, curves, Options{Top: 1040, Base: 1010}, "must be above base"},
		{"ErrWindowOutside", depth, curves, Options{Top: 3000, Base: 3100}, "outside the log"},
		{"ErrTooNarrow", depth, curves, Options{Width: 2 * vg.Inch}, "per track"},
		{"ErrTooShort", depth, curves, Options{Height: vg.Inch}, "page height"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			err := LogPlot(&buf, tt.depth, tt.curves, tt.opt)
			if code := wellbase.ErrorCode(err); code != wellbase.EInvalid {
				t.Fatalf("LogPlot error code %q (%v), want %q", code, err, wellbase.EInvalid)
			}
			if msg := wellbase.ErrorMessage(err); !strings.Contains(msg, tt.want) {
				t.Errorf("message %q does not contain %q", msg, tt.want)
			}
			if buf.Len() != 0 {
				t.Errorf("wrote %d bytes on error", buf.Len())
			}
		})
	}
}

// failWriter fails every write.
type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestLogPlotWriteError(t *testing.T) {
	t.Parallel()
	depth, curves := synthetic(100, 1000, 0.5, "G/CC", "V/V")
	err := LogPlot(failWriter{}, depth, curves, Options{})
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("LogPlot to a failing writer: %v, want the write error", err)
	}
	if code := wellbase.ErrorCode(err); code != wellbase.EInternal {
		t.Errorf("code %q, want %q", code, wellbase.EInternal)
	}
}
