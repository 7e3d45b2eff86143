package columnar

import (
	"strconv"
	"sync"
	"testing"
)

// countWriter discards what it is given and counts the bytes.
type countWriter struct{ n int64 }

func (w *countWriter) Write(p []byte) (int, error) {
	w.n += int64(len(p))
	return len(p), nil
}

// benchLogs caches the synthetic logs of the benchmarks, built once.
var benchLogs = struct {
	sync.Mutex
	m map[int][]Column
}{m: map[int][]Column{}}

// benchLog returns a synthetic 8-curve log of the given number of rows.
func benchLog(b *testing.B, rows int) []Column {
	b.Helper()
	benchLogs.Lock()
	defer benchLogs.Unlock()
	cols, ok := benchLogs.m[rows]
	if !ok {
		cols = synthLog(b, rows, 8)
		benchLogs.m[rows] = cols
	}
	return cols
}

// reportSize reports the file size and its share of the raw float64 size.
func reportSize(b *testing.B, cols []Column, size int64) {
	b.ReportMetric(float64(size), "file-B")
	b.ReportMetric(100*float64(size)/float64(rawSize(cols)), "%raw")
}

// BenchmarkWrite writes 8-curve logs: the real Volve 15/9-19 composite when
// the shared data is present (29 754 rows), and synthetic logs of 30 000 and
// 3 000 000 rows. Bytes/s count the raw float64 input.
func BenchmarkWrite(b *testing.B) {
	cases := []struct {
		name string
		cols func(b *testing.B) []Column
	}{
		{"Volve8x29754", func(b *testing.B) []Column { return loadVolve(b) }},
		{"8x30000", func(b *testing.B) []Column { return benchLog(b, 30_000) }},
		{"8x3000000", func(b *testing.B) []Column { return benchLog(b, 3_000_000) }},
	}
	for _, bc := range cases {
		b.Run(bc.name, func(b *testing.B) {
			cols := bc.cols(b)
			b.SetBytes(rawSize(cols))
			b.ReportAllocs()
			var w countWriter
			for b.Loop() {
				w = countWriter{}
				if err := Write(&w, cols); err != nil {
					b.Fatal(err)
				}
			}
			reportSize(b, cols, w.n)
		})
	}
}

// BenchmarkReadColumn reads one curve (GR) out of 8: all of it from the
// Volve log and a 30 000-row log, a 1000-row range and all of it from a
// 3 000 000-row log. Bytes/s count the decoded float64 values.
func BenchmarkReadColumn(b *testing.B) {
	cases := []struct {
		name     string
		cols     func(b *testing.B) []Column
		from, to int64 // -1: all rows
	}{
		{"Volve8x29754/OneCurve", func(b *testing.B) []Column { return loadVolve(b) }, 0, -1},
		{"8x30000/OneCurve", func(b *testing.B) []Column { return benchLog(b, 30_000) }, 0, -1},
		{"8x3000000/Range1000", func(b *testing.B) []Column { return benchLog(b, 3_000_000) }, 1_500_123, 1_501_123},
		{"8x3000000/OneCurve", func(b *testing.B) []Column { return benchLog(b, 3_000_000) }, 0, -1},
	}
	for _, bc := range cases {
		b.Run(bc.name, func(b *testing.B) {
			cols := bc.cols(b)
			data := writeBytes(b, cols)
			f := openBytes(b, data)
			to := bc.to
			if to < 0 {
				to = f.Rows()
			}
			b.SetBytes(8 * (to - bc.from))
			b.ReportAllocs()
			for b.Loop() {
				got, err := f.Read([]string{"GR"}, bc.from, to)
				if err != nil {
					b.Fatal(err)
				}
				if int64(len(got[0].Float)) != to-bc.from {
					b.Fatalf("read %d rows, want %d", len(got[0].Float), to-bc.from)
				}
			}
			reportSize(b, cols, int64(len(data)))
		})
	}
}

// BenchmarkIndexRange finds a 150 m depth interval in a 3 000 000-row log.
func BenchmarkIndexRange(b *testing.B) {
	cols := benchLog(b, 3_000_000)
	f := openBytes(b, writeBytes(b, cols))
	depth := cols[0].Float
	lo, hi := depth[2_000_000], depth[2_000_000]+150
	b.ReportAllocs()
	for b.Loop() {
		from, to, err := f.IndexRange(lo, hi)
		if err != nil || from != 2_000_000 {
			b.Fatalf("IndexRange = %d, %d, %v", from, to, err)
		}
	}
}

// BenchmarkOpen opens (reads the footer of) 8-curve logs.
func BenchmarkOpen(b *testing.B) {
	for _, rows := range []int{30_000, 3_000_000} {
		b.Run("8x"+strconv.Itoa(rows), func(b *testing.B) {
			data := writeBytes(b, benchLog(b, rows))
			b.ReportAllocs()
			for b.Loop() {
				openBytes(b, data)
			}
		})
	}
}
