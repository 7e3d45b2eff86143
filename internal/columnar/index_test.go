package columnar

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// plateauDepths returns n increasing depths in steps of 0.1524 with a few
// runs of equal values (repeated depths occur in real files), one of them
// across the first row-group boundary.
func plateauDepths(n int) []float64 {
	d := make([]float64, n)
	v := 102.1568
	for i := range d {
		repeat := (i > 1000 && i < 1005) || (i >= RowGroupRows-2 && i < RowGroupRows+2)
		if i > 0 && !repeat {
			v = round4(v + 0.1524)
		}
		d[i] = v
	}
	return d
}

// bruteRange is IndexRange by counting: the reference the search must match.
func bruteRange(idx []float64, increasing bool, lo, hi float64) (from, to int64) {
	for _, x := range idx {
		if increasing {
			from += b2i(x < lo)
			to += b2i(x <= hi)
		} else {
			from += b2i(x > hi)
			to += b2i(x >= lo)
		}
	}
	return from, to
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

func TestIndexRange(t *testing.T) {
	t.Parallel()
	const n = 2*RowGroupRows + 20000
	inc := plateauDepths(n)
	dec := slices.Clone(inc)
	slices.Reverse(dec)
	gr := make([]float64, n)
	for i := range gr {
		gr[i] = float64(i % 150)
	}
	for _, dir := range []struct {
		name       string
		idx        []float64
		increasing bool
	}{{"Increasing", inc, true}, {"Decreasing", dec, false}} {
		t.Run(dir.name, func(t *testing.T) {
			t.Parallel()
			f := openBytes(t, writeBytes(t, []Column{{Name: "DEPT", Unit: "M", Float: dir.idx}, {Name: "GR", Float: gr}}))
			at := func(i int) float64 { return dir.idx[i] }
			first, last := dir.idx[0], dir.idx[n-1]
			lowest, highest := min(first, last), max(first, last)
			tests := []struct {
				name   string
				lo, hi float64
			}{
				{"Everything", lowest, highest},
				{"WiderThanEverything", lowest - 100, highest + 100},
				{"BelowAll", lowest - 10, lowest - 1},
				{"AboveAll", highest + 1, highest + 10},
				{"JustBelowLowest", lowest - 1, math.Nextafter(lowest, -1)},
				{"LowestOnly", lowest, lowest},
				{"HighestOnly", highest, highest},
				{"ExactRow1", at(1), at(1)},
				{"ExactRowGroupEnd", at(RowGroupRows - 3), at(RowGroupRows - 3)},
				{"ExactRowGroupStart", at(RowGroupRows + 2), at(RowGroupRows + 2)},
				{"Plateau", at(1002), at(1002)},
				{"PlateauAcrossRowGroups", at(RowGroupRows), at(RowGroupRows)},
				{"ExactBounds", min(at(5000), at(9000)), max(at(5000), at(9000))},
				{"ExactBoundsAcrossGroups", min(at(RowGroupRows-10), at(2*RowGroupRows+10)), max(at(RowGroupRows-10), at(2*RowGroupRows+10))},
				{"BetweenSamples", math.Nextafter(at(7000), math.Inf(1)) + 0.01, math.Nextafter(at(7000), math.Inf(1)) + 0.02},
				{"BetweenSamplesWide", min(at(7000), at(8000)) + 0.05, max(at(7000), at(8000)) + 0.05},
				{"NearlyExact", math.Nextafter(min(at(100), at(200)), math.Inf(1)), math.Nextafter(max(at(100), at(200)), math.Inf(-1))},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					t.Parallel()
					checkIndexRange(t, f, dir.idx, dir.increasing, tt.lo, tt.hi)
				})
			}
			t.Run("Random", func(t *testing.T) {
				t.Parallel()
				rng := rand.New(rand.NewPCG(1, 2))
				for range 300 {
					a := lowest - 5 + rng.Float64()*(highest-lowest+10)
					b := a + rng.ExpFloat64()*50
					if rng.IntN(3) == 0 { // exact sample values
						i, j := rng.IntN(n), rng.IntN(n)
						a, b = min(at(i), at(j)), max(at(i), at(j))
					}
					checkIndexRange(t, f, dir.idx, dir.increasing, a, b)
				}
			})
		})
	}
}

func checkIndexRange(t *testing.T, f *File, idx []float64, increasing bool, lo, hi float64) {
	t.Helper()
	from, to, err := f.IndexRange(lo, hi)
	if err != nil {
		t.Fatalf("IndexRange(%v, %v): %v", lo, hi, err)
	}
	wantFrom, wantTo := bruteRange(idx, increasing, lo, hi)
	if from != wantFrom || to != wantTo {
		t.Fatalf("IndexRange(%v, %v) = [%d, %d), want [%d, %d)", lo, hi, from, to, wantFrom, wantTo)
	}
	for i := from; i < to; i++ {
		if x := idx[i]; x < lo || x > hi {
			t.Fatalf("IndexRange(%v, %v): row %d = %v is outside", lo, hi, i, x)
		}
	}
}

func TestIndexRangeSmall(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		idx      []float64
		lo, hi   float64
		from, to int64
	}{
		{"Empty", []float64{}, 0, 1, 0, 0},
		{"OneRowInside", []float64{5}, 5, 5, 0, 1},
		{"OneRowBelow", []float64{5}, 6, 7, 1, 1},
		{"OneRowAbove", []float64{5}, 1, 2, 0, 0},
		{"ConstantIndex", []float64{5, 5, 5}, 5, 5, 0, 3},
		{"Decreasing", []float64{30, 20, 10}, 15, 25, 1, 2},
		{"DecreasingExact", []float64{30, 20, 10}, 10, 20, 1, 3},
		{"NegativeZero", []float64{math.Copysign(0, -1), 0, 1}, 0, 0, 0, 2},
		{"Infinities", []float64{math.Inf(-1), 0, math.Inf(1)}, math.Inf(-1), 0, 0, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := openBytes(t, writeBytes(t, []Column{{Name: "DEPT", Float: tt.idx}}))
			from, to, err := f.IndexRange(tt.lo, tt.hi)
			if err != nil {
				t.Fatalf("IndexRange: %v", err)
			}
			if from != tt.from || to != tt.to {
				t.Errorf("IndexRange(%v, %v) = [%d, %d), want [%d, %d)", tt.lo, tt.hi, from, to, tt.from, tt.to)
			}
		})
	}
}

func TestIndexRangeErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		cols   []Column
		lo, hi float64
		want   string
	}{
		{"ErrNaNBound", []Column{{Name: "DEPT", Float: []float64{1, 2}}}, math.NaN(), 2, "invalid bounds"},
		{"ErrReversedBounds", []Column{{Name: "DEPT", Float: []float64{1, 2}}}, 2, 1, "invalid bounds"},
		{"ErrNotMonotonic", []Column{{Name: "DEPT", Float: []float64{1, 3, 2}}}, 1, 2, `columnar: index range: index column "DEPT": index is not monotonic`},
		{"ErrNullInIndex", []Column{{Name: "DEPT", Float: []float64{1, math.NaN(), 3}}}, 1, 2, "not monotonic"},
		{"ErrTextIndex", []Column{{Name: "TIME", Text: []string{"a", "b"}}}, 1, 2, `index column "TIME"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := openBytes(t, writeBytes(t, tt.cols))
			_, _, err := f.IndexRange(tt.lo, tt.hi)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("IndexRange(%v, %v) error %v, want one containing %q", tt.lo, tt.hi, err, tt.want)
			}
			if byData := !strings.Contains(tt.want, "bounds"); errors.Is(err, ErrIndexNotMonotonic) != byData {
				t.Errorf("errors.Is(%q, ErrIndexNotMonotonic) = %v, want %v", err, !byData, byData)
			}
		})
	}
}
