package columnar

import (
	"bufio"
	"bytes"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// volvePath is the Volve 15/9-19 SR composite log (LAS 2.0, 29 754 rows,
// 8 curves) in the shared data folder beside the repository.
var volvePath = filepath.Join("..", "..", "..", "shared", "data", "las", "volve", "15-9-19_SR_COMP.LAS")

// logCurves are the mnemonics and units of the Volve 15/9-19 composite,
// used to shape synthetic logs.
var logCurves = [][2]string{
	{"DEPT", "M"}, {"AC", "US/F"}, {"CALI", "IN"}, {"DEN", "G/CC"},
	{"GR", "GAPI"}, {"NEU", "%"}, {"RDEP", "OHMM"}, {"RMED", "OHMM"},
}

// synthLog returns a deterministic log shaped like a real one: a depth index
// from 102.1568 m in steps of 0.1524 m, then ncurves-1 curves that wander
// around a base value with 4 decimals (as LAS text gives them) and NULL
// (NaN) runs at the top and bottom, as logging runs start and stop.
func synthLog(tb testing.TB, rows, ncurves int) []Column {
	tb.Helper()
	rng := rand.New(rand.NewPCG(19, uint64(rows)))
	cols := make([]Column, ncurves)
	depth := make([]float64, rows)
	for i := range depth {
		depth[i] = round4(102.1568 + float64(i)*0.1524)
	}
	cols[0] = Column{Name: "DEPT", Unit: "M", Float: depth}
	bases := []float64{0, 90, 12, 2.4, 60, 25, 5, 4}
	for c := 1; c < ncurves; c++ {
		name, unit := "C"+strconv.Itoa(c), ""
		if c < len(logCurves) {
			name, unit = logCurves[c][0], logCurves[c][1]
		}
		base := bases[c%len(bases)]
		if base == 0 {
			base = 50
		}
		v, trend := base, 0.0
		vals := make([]float64, rows)
		top, bottom := rows*c/40, rows-rows*c/60
		for i := range vals {
			trend = 0.95*trend + rng.NormFloat64()*base*0.004
			v += trend
			v += (base - v) * 0.001
			if i < top || i >= bottom {
				vals[i] = math.NaN()
				continue
			}
			vals[i] = round4(v)
		}
		cols[c] = Column{Name: name, Unit: unit, Float: vals}
	}
	return cols
}

func round4(x float64) float64 { return math.Round(x*1e4) / 1e4 }

// loadVolve parses the ~A section of the Volve composite log into columns
// (NULL -999.25 → NaN), or skips the test when the shared data is missing.
// It is a minimal reader for this one well-formed file, not a LAS parser.
func loadVolve(tb testing.TB) []Column {
	tb.Helper()
	data, err := os.ReadFile(volvePath)
	if err != nil {
		tb.Skipf("Volve log not available: %v", err)
	}
	var cols []Column
	inCurves, inData := false, false
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || line[0] == '#':
			continue
		case line[0] == '~':
			inCurves = strings.HasPrefix(strings.ToUpper(line), "~C")
			inData = strings.HasPrefix(strings.ToUpper(line), "~A")
			continue
		case inCurves:
			mnem, rest, _ := strings.Cut(line, ".")
			unit, _, _ := strings.Cut(rest, " ")
			cols = append(cols, Column{Name: strings.TrimSpace(mnem), Unit: unit, Float: []float64{}})
		case inData:
			fields := strings.Fields(line)
			if len(fields) != len(cols) {
				tb.Fatalf("Volve log: %d values for %d curves in %q", len(fields), len(cols), line)
			}
			for i, s := range fields {
				v, err := strconv.ParseFloat(s, 64)
				if err != nil {
					tb.Fatal(err)
				}
				if v == -999.25 {
					v = math.NaN()
				}
				cols[i].Float = append(cols[i].Float, v)
			}
		}
	}
	if len(cols) == 0 || len(cols[0].Float) == 0 {
		tb.Fatal("Volve log: no data")
	}
	return cols
}

// writeBytes writes cols with Write and returns the file.
func writeBytes(tb testing.TB, cols []Column) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, cols); err != nil {
		tb.Fatalf("Write: %v", err)
	}
	return buf.Bytes()
}

// openBytes opens a file held in memory.
func openBytes(tb testing.TB, data []byte) *File {
	tb.Helper()
	f, err := Open(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		tb.Fatalf("Open: %v", err)
	}
	return f
}

// rawSize is the size of cols as float64 (8 bytes a value) or, for text,
// the string bytes: the "decoded bytes" of the benchmarks.
func rawSize(cols []Column) int64 {
	var n int64
	for _, c := range cols {
		n += 8 * int64(len(c.Float))
		for _, s := range c.Text {
			n += int64(len(s))
		}
	}
	return n
}

// sameColumn reports whether got equals want: same name, unit and kind,
// numeric values equal bit for bit except that every NaN equals every NaN,
// text equal where not NULL, and the same NULL entries (nil Null = none).
func sameColumn(got, want Column) (string, bool) {
	if got.Name != want.Name || got.Unit != want.Unit {
		return "name/unit " + strconv.Quote(got.Name+"|"+got.Unit) + ", want " + strconv.Quote(want.Name+"|"+want.Unit), false
	}
	if got.Kind() != want.Kind() {
		return "kind " + string(got.Kind()) + ", want " + string(want.Kind()), false
	}
	if got.Len() != want.Len() {
		return "len " + strconv.Itoa(got.Len()) + ", want " + strconv.Itoa(want.Len()), false
	}
	for i, w := range want.Float {
		g := got.Float[i]
		if math.IsNaN(w) && math.IsNaN(g) {
			continue
		}
		if math.Float64bits(g) != math.Float64bits(w) {
			return "row " + strconv.Itoa(i) + ": " + strconv.FormatFloat(g, 'g', -1, 64) + ", want " + strconv.FormatFloat(w, 'g', -1, 64), false
		}
	}
	isNull := func(c Column, i int) bool { return c.Null != nil && c.Null[i] }
	anyNull := false
	for i := range want.Text {
		if isNull(got, i) != isNull(want, i) {
			return "row " + strconv.Itoa(i) + ": null " + strconv.FormatBool(isNull(got, i)), false
		}
		anyNull = anyNull || isNull(want, i)
		if isNull(want, i) {
			if got.Text[i] != "" {
				return "row " + strconv.Itoa(i) + ": NULL entry reads " + strconv.Quote(got.Text[i]), false
			}
			continue
		}
		if got.Text[i] != want.Text[i] {
			return "row " + strconv.Itoa(i) + ": " + strconv.Quote(got.Text[i]) + ", want " + strconv.Quote(want.Text[i]), false
		}
	}
	if !anyNull && got.Null != nil {
		return "Null set with no NULL entry", false
	}
	return "", true
}

// sliceColumns returns rows [from, to) of cols.
func sliceColumns(cols []Column, from, to int) []Column {
	out := make([]Column, len(cols))
	for i, c := range cols {
		out[i] = Column{Name: c.Name, Unit: c.Unit}
		if c.Text != nil {
			out[i].Text = c.Text[from:to]
			if c.Null != nil {
				out[i].Null = c.Null[from:to]
			}
		} else {
			out[i].Float = c.Float[from:to]
		}
	}
	return out
}
