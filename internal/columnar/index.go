package columnar

import (
	"errors"
	"fmt"
	"math"
	"sort"

	"github.com/parquet-go/parquet-go"
)

// IndexRange returns the rows [from, to) whose index value (column 0, e.g.
// depth in the log's depth unit) lies within [lo, hi], bounds included, for an
// increasing or a decreasing index (equal consecutive values allowed). When no
// row lies within [lo, hi], from == to (the position where such rows would
// be). The result is ready for [File.Read].
//
// IndexRange binary-searches the row-group min/max statistics of the index,
// then the page index of the one or two row groups where the boundaries fall,
// and decodes at most one page of the index per boundary.
//
// It returns an error when lo or hi is NaN or lo > hi, and one wrapping
// [ErrIndexNotMonotonic] when the index is text, holds NULL values or is not
// monotonic (the direction is recorded by [Write]).
func (f *File) IndexRange(lo, hi float64) (from, to int64, err error) {
	defer recoverCorrupt(&err, "index range")
	return f.indexRange(lo, hi)
}

func (f *File) indexRange(lo, hi float64) (from, to int64, err error) {
	if math.IsNaN(lo) || math.IsNaN(hi) || lo > hi {
		return 0, 0, fmt.Errorf("columnar: index range [%v, %v]: invalid bounds", lo, hi)
	}
	name := f.infos[0].Name
	// reached: the row is at or past the first row in range;
	// passed: the row is past the last row in range. Both turn from false to
	// true once along a monotonic index.
	var reached, passed func(float64) bool
	switch f.meta.Index {
	case orderIncreasing:
		reached = func(x float64) bool { return x >= lo }
		passed = func(x float64) bool { return x > hi }
	case orderDecreasing:
		reached = func(x float64) bool { return x <= hi }
		passed = func(x float64) bool { return x < lo }
	default:
		return 0, 0, fmt.Errorf("columnar: index range: index column %q: %w", name, ErrIndexNotMonotonic)
	}
	s := indexSearch{f: f, increasing: f.meta.Index == orderIncreasing}
	if from, err = s.first(reached); err != nil {
		return 0, 0, fmt.Errorf("columnar: index range: read column %q: %w", name, err)
	}
	if to, err = s.first(passed); err != nil {
		return 0, 0, fmt.Errorf("columnar: index range: read column %q: %w", name, err)
	}
	return from, max(from, to), nil
}

// indexSearch finds rows in the monotonic index column of f.
type indexSearch struct {
	f          *File
	increasing bool
}

// ends returns the first and last value of a span of the index whose
// minimum and maximum are lo and hi.
func (s indexSearch) ends(lo, hi float64) (first, last float64) {
	if s.increasing {
		return lo, hi
	}
	return hi, lo
}

// first returns the first row whose index value satisfies pred, or Rows() if
// none does. pred must be false then true along the index (monotonic).
func (s indexSearch) first(pred func(float64) bool) (int64, error) {
	f := s.f
	groups := f.pf.RowGroups()
	var err error
	// Groups whose last value satisfies pred come after those whose does not.
	g := sort.Search(len(groups), func(g int) bool {
		if err != nil {
			return true
		}
		var last float64
		_, last, err = s.groupEnds(g)
		return err == nil && pred(last)
	})
	if err != nil {
		return 0, err
	}
	if g == len(groups) {
		return f.Rows(), nil
	}
	first, _, err := s.groupEnds(g)
	if err != nil {
		return 0, err
	}
	if pred(first) {
		return f.starts[g], nil
	}
	lo, hi, err := s.pageSpan(g, pred)
	if err != nil {
		return 0, err
	}
	vals, err := s.read(g, lo, hi)
	if err != nil {
		return 0, err
	}
	k := sort.Search(len(vals), func(k int) bool { return pred(vals[k]) })
	if k == len(vals) {
		return 0, fmt.Errorf("row group %d rows [%d, %d): statistics and values disagree: %w", g, lo, hi, errCorrupt)
	}
	return f.starts[g] + lo + int64(k), nil
}

// groupEnds returns the first and last index value of row group g, from its
// min/max statistics or, lacking them, from its data.
func (s indexSearch) groupEnds(g int) (first, last float64, err error) {
	chunk := s.f.pf.RowGroups()[g].ColumnChunks()[s.f.cols[0].leaf]
	if fc, ok := chunk.(*parquet.FileColumnChunk); ok {
		if lo, hi, ok := fc.Bounds(); ok && !lo.IsNull() && !hi.IsNull() {
			first, last = s.ends(lo.Double(), hi.Double())
			return first, last, nil
		}
	}
	vals, err := s.read(g, 0, s.f.starts[g+1]-s.f.starts[g])
	if err != nil {
		return 0, 0, err
	}
	if len(vals) == 0 {
		return 0, 0, fmt.Errorf("row group %d is empty: %w", g, errCorrupt)
	}
	return vals[0], vals[len(vals)-1], nil
}

// pageSpan returns the rows [lo, hi) of row group g (relative to the group)
// of the first page whose last value satisfies pred, using the page index; the
// whole group when the page index is missing.
func (s indexSearch) pageSpan(g int, pred func(float64) bool) (lo, hi int64, err error) {
	rows := s.f.starts[g+1] - s.f.starts[g]
	chunk, ok := s.f.pf.RowGroups()[g].ColumnChunks()[s.f.cols[0].leaf].(*parquet.FileColumnChunk)
	if !ok {
		return 0, rows, nil
	}
	ci, err := chunk.ColumnIndex()
	if errors.Is(err, parquet.ErrMissingColumnIndex) {
		return 0, rows, nil
	} else if err != nil {
		return 0, 0, fmt.Errorf("read column index: %w", err)
	}
	oi, err := chunk.OffsetIndex()
	if errors.Is(err, parquet.ErrMissingOffsetIndex) {
		return 0, rows, nil
	} else if err != nil {
		return 0, 0, fmt.Errorf("read offset index: %w", err)
	}
	n := ci.NumPages()
	if n == 0 || oi.NumPages() != n {
		return 0, rows, nil
	}
	p := sort.Search(n, func(p int) bool {
		if ci.NullPage(p) {
			return false
		}
		_, last := s.ends(ci.MinValue(p).Double(), ci.MaxValue(p).Double())
		return pred(last)
	})
	if p == n {
		return 0, rows, nil // statistics disagree; fall back to the whole group
	}
	lo, hi = oi.FirstRowIndex(p), rows
	if p+1 < n {
		hi = oi.FirstRowIndex(p + 1)
	}
	if lo < 0 || hi > rows || lo >= hi {
		return 0, 0, fmt.Errorf("row group %d: page %d spans rows [%d, %d) of %d: %w", g, p, lo, hi, rows, errCorrupt)
	}
	return lo, hi, nil
}

// read returns rows [lo, hi) of row group g of the index column.
func (s indexSearch) read(g int, lo, hi int64) ([]float64, error) {
	fc := s.f.cols[0]
	c := Column{Float: make([]float64, 0, hi-lo)}
	chunk := s.f.pf.RowGroups()[g].ColumnChunks()[fc.leaf]
	if err := readChunk(&c, chunk, fc.maxDef, lo, hi); err != nil {
		return nil, fmt.Errorf("row group %d: %w", g, err)
	}
	return c.Float, nil
}
