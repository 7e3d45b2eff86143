package columnar

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// depthText returns an index of n depths and a text column cycling through
// lithology names, with every 7th entry NULL and every 11th an empty string.
func depthText(n int) []Column {
	depth := make([]float64, n)
	lith := make([]string, n)
	null := make([]bool, n)
	names := []string{"sandstone", "shale", "limestone", "Kalkstein (Å)", "泥岩"}
	for i := range n {
		depth[i] = round4(1000 + float64(i)*0.1524)
		lith[i] = names[(i/13)%len(names)]
		if i%11 == 0 {
			lith[i] = ""
		}
		if i%7 == 3 {
			null[i] = true
			lith[i] = "ignored when NULL"
		}
	}
	return []Column{
		{Name: "DEPT", Unit: "M", Float: depth},
		{Name: "LITH", Text: lith, Null: null},
	}
}

// specialFloats holds float64 values whose bits must survive a round trip,
// and NaNs, which read back as NULL (NaN).
var specialFloats = []float64{
	0, math.Copysign(0, -1), 1, -1, math.Inf(1), math.Inf(-1), math.MaxFloat64, -math.MaxFloat64,
	math.SmallestNonzeroFloat64, -math.SmallestNonzeroFloat64, 2.2250738585072009e-308, // subnormal
	math.NaN(), math.Float64frombits(0x7ff8000000000001), math.Float64frombits(0xfff0000000000001),
	-999.25, 0.1524, 1e-300, 123456789.123456789,
}

func TestRoundTrip(t *testing.T) {
	t.Parallel()
	oddNames := []string{"GR:1", "GR:2", "DT.1", "NPHI %", "Å", "", " ", "c000", "c001", "名前", "ŘÍDÍCÍ", "🛢", "a\"b\\c", "x\ny", strings.Repeat("LONG", 100)}
	many := make([]Column, 1001)
	for i := range many {
		many[i] = Column{Name: "C" + strconv.Itoa(i), Unit: "U" + strconv.Itoa(i%7), Float: []float64{float64(i), float64(-i), math.NaN()}}
	}
	tests := []struct {
		name string
		cols []Column
	}{
		{"Numeric", synthLog(t, 5000, 8)},
		{"NumericSpecialValues", []Column{
			{Name: "DEPT", Unit: "M", Float: []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18}},
			{Name: "X", Float: specialFloats},
		}},
		{"AllNull", []Column{
			{Name: "DEPT", Float: []float64{1, 2, 3}},
			{Name: "GR", Float: []float64{math.NaN(), math.NaN(), math.NaN()}},
			{Name: "LITH", Text: []string{"", "", ""}, Null: []bool{true, true, true}},
		}},
		{"Text", depthText(3000)},
		{"Mixed", append(synthLog(t, 3000, 4), depthText(3000)[1], Column{Name: "DATE", Unit: "DD/MM/YYYY", Text: strings.Split(strings.Repeat("23/01/2001,", 2999)+"24/01/2001", ",")})},
		{"Empty", []Column{{Name: "DEPT", Unit: "M", Float: []float64{}}, {Name: "GR", Float: nil}, {Name: "LITH", Text: []string{}}}},
		{"OneRow", []Column{{Name: "DEPT", Unit: "M", Float: []float64{1500}}, {Name: "GR", Float: []float64{math.NaN()}}, {Name: "LITH", Text: []string{"shale"}}}},
		{"OneColumn", []Column{{Name: "DEPT", Unit: "F", Float: []float64{3, 2, 1}}}},
		{"OneColumnEmpty", []Column{{Name: "DEPT"}}},
		{"TextIndex", []Column{{Name: "TIME", Text: []string{"23:15", "23:16", "23:17"}}, {Name: "P", Unit: "psi", Float: []float64{1, 2, 3}}}},
		{"OddNames", func() []Column {
			cols := []Column{{Name: "DEPT", Unit: "M", Float: []float64{1, 2}}}
			for i, n := range oddNames {
				cols = append(cols, Column{Name: n, Unit: oddNames[len(oddNames)-1-i], Float: []float64{float64(i), math.NaN()}})
			}
			return cols
		}()},
		{"1001Columns", many},
		{"RowGroupBoundaries", append(synthLog(t, 2*RowGroupRows+1, 3), func() Column {
			c := depthText(2*RowGroupRows + 1)[1]
			c.Name = "LITH"
			return c
		}())},
		{"ManyRowGroups", synthLog(t, 4*RowGroupRows+7, 4)}, // 1M-row sizes are in the benchmarks; text columns: RowGroupBoundaries
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			data := writeBytes(t, tt.cols)
			f := openBytes(t, data)
			if got, want := f.Rows(), int64(tt.cols[0].Len()); got != want {
				t.Fatalf("Rows() = %d, want %d", got, want)
			}
			var wantInfo []ColumnInfo
			for _, c := range tt.cols {
				wantInfo = append(wantInfo, ColumnInfo{Name: c.Name, Unit: c.Unit, Kind: c.Kind()})
			}
			if diff := cmp.Diff(wantInfo, f.Columns()); diff != "" {
				t.Fatalf("Columns() mismatch (-want +got):\n%s", diff)
			}
			got, err := f.Read(nil, 0, f.Rows())
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			if len(got) != len(tt.cols) {
				t.Fatalf("Read returned %d columns, want %d", len(got), len(tt.cols))
			}
			for i := range got {
				if msg, ok := sameColumn(got[i], tt.cols[i]); !ok {
					t.Fatalf("column %d %q: %s", i, tt.cols[i].Name, msg)
				}
				if got[i].Float == nil && got[i].Text == nil {
					t.Fatalf("column %d %q: neither Float nor Text set", i, tt.cols[i].Name)
				}
			}
		})
	}
}

func TestRoundTripBits(t *testing.T) {
	t.Parallel()
	cols := []Column{{Name: "DEPT", Float: make([]float64, len(specialFloats))}, {Name: "X", Float: specialFloats}}
	got, err := openBytes(t, writeBytes(t, cols)).Read([]string{"X"}, 0, int64(len(specialFloats)))
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range specialFloats {
		g := got[0].Float[i]
		switch {
		case math.IsNaN(want):
			if math.Float64bits(g) != math.Float64bits(math.NaN()) {
				t.Errorf("row %d: NaN %#x read back as %#x, want math.NaN()", i, math.Float64bits(want), math.Float64bits(g))
			}
		case math.Float64bits(g) != math.Float64bits(want):
			t.Errorf("row %d: %#x read back as %#x", i, math.Float64bits(want), math.Float64bits(g))
		}
	}
}

func TestRead(t *testing.T) {
	t.Parallel()
	const n = 2*RowGroupRows + 5000
	cols := append(synthLog(t, n, 4), depthText(n)[1])
	f := openBytes(t, writeBytes(t, cols))
	all := []string{"DEPT", "AC", "CALI", "DEN", "LITH"}
	const rg = RowGroupRows
	tests := []struct {
		name     string
		names    []string
		from, to int64
	}{
		{"Empty", all, 0, 0},
		{"EmptyAtEnd", all, n, n},
		{"EmptyInside", all, rg, rg},
		{"FirstRow", all, 0, 1},
		{"LastRow", all, n - 1, n},
		{"LastRowOfGroup", all, rg - 1, rg},
		{"FirstRowOfGroup", all, rg, rg + 1},
		{"AcrossOneBoundary", all, rg - 1000, rg + 1000},
		{"AcrossTwoBoundaries", all, 100, 2*rg + 100},
		{"WholeGroup", all, rg, 2 * rg},
		{"PageBoundaries", all, 8191, 8193},
		{"MidGroup", all, rg + 12345, rg + 13345},
		{"Tail", all, 2*rg + 1, n},
		{"All", all, 0, n},
		{"OneColumn", []string{"DEN"}, 5000, 70000},
		{"ReorderedAndRepeated", []string{"LITH", "DEPT", "LITH"}, rg - 3, rg + 3},
		{"AllColumnsByEmptyNames", nil, rg - 3, rg + 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := f.Read(tt.names, tt.from, tt.to)
			if err != nil {
				t.Fatalf("Read(%q, %d, %d): %v", tt.names, tt.from, tt.to, err)
			}
			names := tt.names
			if len(names) == 0 {
				names = all
			}
			if len(got) != len(names) {
				t.Fatalf("got %d columns, want %d", len(got), len(names))
			}
			byName := map[string]Column{}
			for _, c := range sliceColumns(cols, int(tt.from), int(tt.to)) {
				byName[c.Name] = c
			}
			for i, name := range names {
				if msg, ok := sameColumn(got[i], byName[name]); !ok {
					t.Errorf("column %q: %s", name, msg)
				}
			}
		})
	}
}

func TestReadErrors(t *testing.T) {
	t.Parallel()
	f := openBytes(t, writeBytes(t, synthLog(t, 100, 3)))
	tests := []struct {
		name     string
		names    []string
		from, to int64
		want     string
		is       error
	}{
		{"ErrUnknownColumn", []string{"AC", "GR:9"}, 0, 10, `columnar: read column "GR:9": unknown column`, ErrUnknownColumn},
		{"ErrUnknownColumnCase", []string{"dept"}, 0, 10, `"dept"`, ErrUnknownColumn},
		{"ErrNegativeFrom", nil, -1, 10, "out of range", nil},
		{"ErrToPastEnd", nil, 0, 101, "out of range", nil},
		{"ErrReversed", nil, 10, 9, "out of range", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := f.Read(tt.names, tt.from, tt.to)
			if err == nil {
				t.Fatal("Read succeeded, want error")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("error %q is not %v", err, tt.is)
			}
		})
	}
}

func TestWriteErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		cols []Column
		want string
	}{
		{"ErrNoColumns", nil, "no columns"},
		{"ErrTooManyColumns", make([]Column, MaxColumns+1), "32769 columns, at most 32768"},
		{"ErrUnequalLength", []Column{{Name: "DEPT", Float: []float64{1, 2, 3}}, {Name: "GR", Float: []float64{1, 2}}}, `columnar: write column "GR": 2 rows, index column "DEPT" has 3`},
		{"ErrUnequalLengthText", []Column{{Name: "DEPT", Float: []float64{1, 2, 3}}, {Name: "GR", Float: []float64{1, 2, 3}}, {Name: "LITH", Text: []string{"a"}}}, `columnar: write column "LITH": 1 rows`},
		{"ErrUnequalLengthNilColumn", []Column{{Name: "DEPT", Float: []float64{1}}, {Name: "GR"}}, `column "GR": 0 rows`},
		{"ErrBothKinds", []Column{{Name: "DEPT", Float: []float64{1}, Text: []string{"1"}}}, `column "DEPT": both Float and Text`},
		{"ErrNullOnNumeric", []Column{{Name: "DEPT", Float: []float64{1}, Null: []bool{true}}}, `column "DEPT": Null is set on a numeric column`},
		{"ErrNullLength", []Column{{Name: "DEPT", Float: []float64{1, 2}}, {Name: "L", Text: []string{"a", "b"}, Null: []bool{true}}}, `column "L": 1 Null flags for 2 values`},
		{"ErrDuplicateName", []Column{{Name: "GR", Float: []float64{1}}, {Name: "GR", Float: []float64{1}}}, `column "GR": duplicate name`},
		{"ErrNameNotUTF8", []Column{{Name: "G\xffR", Float: []float64{1}}}, "name is not valid UTF-8"},
		{"ErrUnitNotUTF8", []Column{{Name: "GR", Unit: "\xfe", Float: []float64{1}}}, "unit"},
		{"ErrTextNotUTF8", []Column{{Name: "DEPT", Float: []float64{1, 2}}, {Name: "L", Text: []string{"ok", "b\xffad"}}}, `column "L": row 1 is not valid UTF-8`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			err := Write(&buf, tt.cols)
			if err == nil {
				t.Fatal("Write succeeded, want error")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
			if buf.Len() != 0 {
				t.Errorf("Write wrote %d bytes before failing validation", buf.Len())
			}
		})
	}
}

func TestWriteNullTextNotUTF8(t *testing.T) {
	t.Parallel()
	// A NULL entry's content is ignored, so it need not be valid UTF-8.
	cols := []Column{{Name: "DEPT", Float: []float64{1, 2}}, {Name: "L", Text: []string{"\xff", "x"}, Null: []bool{true, false}}}
	got, err := openBytes(t, writeBytes(t, cols)).Read([]string{"L"}, 0, 2)
	if err != nil {
		t.Fatal(err)
	}
	if msg, ok := sameColumn(got[0], cols[1]); !ok {
		t.Fatal(msg)
	}
}

// errWriter fails every write.
type errWriter struct{}

func (errWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteWriterError(t *testing.T) {
	t.Parallel()
	err := Write(errWriter{}, synthLog(t, 2*RowGroupRows, 2))
	if err == nil || !strings.Contains(err.Error(), "disk full") || !strings.HasPrefix(err.Error(), "columnar: write") {
		t.Fatalf("Write to a failing writer: %v, want a wrapped \"disk full\"", err)
	}
}

// TestConcurrentReads reads one File from several goroutines at once (run
// with -race): Read and IndexRange share the lazily loaded page index.
func TestConcurrentReads(t *testing.T) {
	t.Parallel()
	const n = 3*RowGroupRows + 77
	cols := append(synthLog(t, n, 3), depthText(n)[1])
	f := openBytes(t, writeBytes(t, cols))
	errc := make(chan error, 8)
	for g := range 8 {
		go func() {
			for k := range 20 {
				from := int64((g*7919 + k*104729) % n)
				to := min(from+int64(k*500), n)
				got, err := f.Read([]string{"LITH", "AC"}, from, to)
				if err != nil {
					errc <- err
					return
				}
				want := sliceColumns(cols, int(from), int(to))
				if msg, ok := sameColumn(got[0], want[3]); !ok {
					errc <- errors.New("LITH: " + msg)
					return
				}
				if msg, ok := sameColumn(got[1], want[1]); !ok {
					errc <- errors.New("AC: " + msg)
					return
				}
				if to == from {
					continue
				}
				gotFrom, gotTo, err := f.IndexRange(cols[0].Float[from], cols[0].Float[to-1])
				if err != nil || gotFrom != from || gotTo != to {
					errc <- fmt.Errorf("IndexRange of rows [%d, %d) = [%d, %d), %v", from, to, gotFrom, gotTo, err)
					return
				}
			}
			errc <- nil
		}()
	}
	for range 8 {
		if err := <-errc; err != nil {
			t.Error(err)
		}
	}
}
