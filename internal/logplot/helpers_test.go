package logplot

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// volvePath is the Volve 15/9-19 SR composite log in the shared data folder (never copied into
// the repository).
var volvePath = filepath.Join("..", "..", "..", "shared", "data", "las", "volve", "15-9-19_SR_COMP.LAS")

// readVolve reads the simple LAS 2.0 Volve file with a minimal reader good for that file only
// (one ~C block, unwrapped space-delimited ~A, NULL from ~W), and skips the test when the shared
// data folder is absent. NULL samples become NaN.
func readVolve(tb testing.TB) (depth Curve, curves []Curve) {
	tb.Helper()
	f, err := os.Open(volvePath)
	if errors.Is(err, os.ErrNotExist) {
		tb.Skipf("Volve log not present at %s: shared data folder absent", volvePath)
	}
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var (
		section byte
		null    = -999.25
		defs    []Curve
	)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		if line[0] == '~' {
			section = line[1]
			continue
		}
		switch section {
		case 'W':
			if strings.HasPrefix(line, "NULL") {
				v := strings.TrimSpace(line[strings.IndexByte(line, '.')+1 : strings.LastIndexByte(line, ':')])
				if null, err = strconv.ParseFloat(v, 64); err != nil {
					tb.Fatalf("NULL line %q: %v", line, err)
				}
			}
		case 'C':
			dot := strings.IndexByte(line, '.')
			rest := line[dot+1:]
			unit, _, _ := strings.Cut(rest, " ")
			desc := strings.TrimSpace(rest[strings.LastIndexByte(rest, ':')+1:])
			defs = append(defs, Curve{Mnemonic: strings.TrimSpace(line[:dot]), Unit: unit, Description: desc})
		case 'A':
			fields := strings.Fields(line)
			if len(fields) != len(defs) {
				tb.Fatalf("data line %q has %d values, want %d", line, len(fields), len(defs))
			}
			for i, s := range fields {
				v, err := strconv.ParseFloat(s, 64)
				if err != nil {
					tb.Fatalf("data line %q: %v", line, err)
				}
				if i > 0 && v == null {
					v = math.NaN()
				}
				defs[i].Values = append(defs[i].Values, v)
			}
		}
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return defs[0], defs[1:]
}

// pick returns the curves named by mnemonics, in that order.
func pick(tb testing.TB, curves []Curve, mnemonics ...string) []Curve {
	tb.Helper()
	var out []Curve
	for _, m := range mnemonics {
		found := false
		for _, c := range curves {
			if c.Mnemonic == m {
				out = append(out, c)
				found = true
			}
		}
		if !found {
			tb.Fatalf("curve %s not in log", m)
		}
	}
	return out
}

// synthetic returns a depth curve of n samples from start by step (negative: decreasing) and
// curves shaped like a sand–shale sequence: GR (GAPI), RDEP and RMED (OHMM), DEN in unit
// densUnit, NEU in unit neuUnit, AC (US/F), CALI (IN).
func synthetic(n int, start, step float64, densUnit, neuUnit string) (Curve, []Curve) {
	depth := Curve{Mnemonic: "DEPT", Unit: "M", Values: make([]float64, n)}
	mk := func(m, u string) Curve { return Curve{Mnemonic: m, Unit: u, Values: make([]float64, n)} }
	gr, rd, rm, den, neu, ac, cal := mk("GR", "GAPI"), mk("RDEP", "OHMM"), mk("RMED", "OHMM"),
		mk("DEN", densUnit), mk("NEU", neuUnit), mk("AC", "US/F"), mk("CALI", "IN")
	densF, neuF := 1.0, 1.0
	if densUnit == "K/M3" {
		densF = 1000
	}
	if neuUnit == "%" {
		neuF = 100
	}
	for i := range n {
		d := start + float64(i)*step
		depth.Values[i] = d
		// shale fraction: a smooth sand–shale alternation with a little deterministic noise
		sh := 0.5 + 0.45*math.Sin(float64(i)/float64(max(n/12, 1))*math.Pi) + 0.04*math.Sin(float64(i)*1.7)
		sh = min(1, max(0, sh))
		gr.Values[i] = 20 + 100*sh
		rd.Values[i] = math.Pow(10, 1.8-1.6*sh)
		rm.Values[i] = math.Pow(10, 1.3-1.2*sh)
		den.Values[i] = (2.25 + 0.3*sh) * densF
		neu.Values[i] = (0.12 + 0.25*sh) * neuF
		ac.Values[i] = 80 + 40*sh
		cal.Values[i] = 8.5 + 1.5*sh
	}
	return depth, []Curve{gr, rd, rm, den, neu, ac, cal}
}

// svgDoc is what checkSVG found in an SVG document.
type svgDoc struct {
	texts []string       // character data of every <text> element, in order
	paths map[string]int // number of <path> elements per stroke colour (#RRGGBB)
}

// checkSVG checks that b is an XML declaration followed directly by an <svg> element, parses
// it with encoding/xml to the end, and returns its texts and stroked paths.
func checkSVG(tb testing.TB, b []byte) svgDoc {
	tb.Helper()
	decl, rest, ok := bytes.Cut(b, []byte("?>"))
	if !ok || !bytes.HasPrefix(decl, []byte("<?xml ")) || !bytes.HasPrefix(bytes.TrimSpace(rest), []byte("<svg ")) {
		tb.Fatalf("SVG does not start with an XML declaration and <svg: %.120q", b)
	}
	doc := svgDoc{paths: map[string]int{}}
	dec := xml.NewDecoder(bytes.NewReader(b))
	first, inText := true, false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			tb.Fatalf("SVG is not well-formed XML: %v", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if first && t.Name.Local != "svg" {
				tb.Fatalf("first element is <%s>, want <svg>", t.Name.Local)
			}
			first = false
			inText = t.Name.Local == "text"
			if t.Name.Local == "path" {
				for _, a := range t.Attr {
					if a.Name.Local != "style" {
						continue
					}
					if _, after, ok := strings.Cut(a.Value, "stroke:"); ok {
						doc.paths[after[:7]]++
					}
				}
			}
		case xml.EndElement:
			inText = false
		case xml.CharData:
			if inText {
				doc.texts = append(doc.texts, strings.TrimSpace(string(t)))
			}
		}
	}
	if first {
		tb.Fatal("SVG has no elements")
	}
	return doc
}

// hasText reports whether the document has a <text> element with exactly s.
func (d svgDoc) hasText(s string) bool {
	for _, t := range d.texts {
		if t == s {
			return true
		}
	}
	return false
}

// writePNG draws the plot of depth and curves to a PNG file at path at 100 dpi, for a person to
// look at; it is not part of the package API.
func writePNG(tb testing.TB, path string, depth Curve, curves []Curve, opt Options) {
	tb.Helper()
	l, err := newLayout(depth, curves, opt)
	if err != nil {
		tb.Fatal(err)
	}
	c := vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(l.width, l.height), vgimg.UseDPI(100))}
	l.draw(draw.New(c))
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		tb.Fatal(err)
	}
}
