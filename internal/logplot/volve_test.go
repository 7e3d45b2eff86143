package logplot

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestLogPlotVolve plots the real Volve 15/9-19 SR composite log (29 754 samples at 0.1524 m)
// and writes it as SVG and PNG to the temporary directory (/tmp/wellbase-logplot.svg and .png)
// for a person to look at.
func TestLogPlotVolve(t *testing.T) {
	t.Parallel()
	depth, all := readVolve(t)
	curves := pick(t, all, "GR", "RDEP", "RMED", "DEN", "NEU", "AC", "CALI")
	opt := Options{Title: "15/9-19 SR — Volve, composite log"}

	var buf bytes.Buffer
	if err := LogPlot(&buf, depth, curves, opt); err != nil {
		t.Fatal(err)
	}
	doc := checkSVG(t, buf.Bytes())
	for _, want := range []string{"DEPTH (m)", "GR (gAPI)", "RDEP (ohm·m)", "RMED (ohm·m)",
		"DEN (g/cm3)", "NEU (v/v)", "AC (µs/ft)", "CALI (in)", "0.2", "2000"} {
		if !doc.hasText(want) {
			t.Errorf("SVG has no text %q; texts: %q", want, doc.texts)
		}
	}
	if n := buf.Len(); n > 2<<20 {
		t.Errorf("SVG is %d bytes, want ≤ 2 MiB", n)
	}

	svgPath := filepath.Join(os.TempDir(), "wellbase-logplot.svg")
	if err := os.WriteFile(svgPath, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	pngPath := filepath.Join(os.TempDir(), "wellbase-logplot.png")
	writePNG(t, pngPath, depth, curves, opt)
	t.Logf("wrote %s (%d bytes) and %s", svgPath, buf.Len(), pngPath)

}
