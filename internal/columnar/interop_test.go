package columnar

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"io"
	"math"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"
)

// TestInterop opens a file written by Write with parquet-go's own generic
// reader, as any Parquet tool would, and checks what it sees: the schema,
// the row count, the values and the metadata JSON.
func TestInterop(t *testing.T) {
	t.Parallel()
	cols := []Column{
		{Name: "DEPT", Unit: "M", Float: []float64{100, 100.1524, 100.3048}},
		{Name: "NPHI %", Unit: "%", Float: []float64{21.5, math.NaN(), 23}},
		{Name: "LITH", Text: []string{"shale", "", "sand"}, Null: []bool{false, true, false}},
	}
	data := writeBytes(t, cols)
	pf, err := parquet.OpenFile(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("parquet.OpenFile: %v", err)
	}
	if got := pf.NumRows(); got != 3 {
		t.Errorf("NumRows() = %d, want 3", got)
	}
	fields := pf.Schema().Fields()
	var names []string
	for _, fl := range fields {
		names = append(names, fl.Name())
		if !fl.Optional() || !fl.Leaf() {
			t.Errorf("field %s: optional %v leaf %v, want an optional leaf", fl.Name(), fl.Optional(), fl.Leaf())
		}
	}
	if diff := cmp.Diff([]string{"c000", "c001", "c002"}, names); diff != "" {
		t.Errorf("field names (-want +got):\n%s", diff)
	}
	if k := fields[0].Type().Kind(); k != parquet.Double {
		t.Errorf("c000 kind %v, want DOUBLE", k)
	}
	if lt := fields[2].Type().LogicalType(); fields[2].Type().Kind() != parquet.ByteArray || lt == nil || lt.String() != "STRING" {
		t.Errorf("c002 type %v, want BYTE_ARRAY STRING", fields[2].Type())
	}
	for _, rg := range pf.Metadata().RowGroups {
		for _, cc := range rg.Columns {
			if cc.MetaData.Codec != format.Zstd {
				t.Errorf("column %v codec %v, want ZSTD", cc.MetaData.PathInSchema, cc.MetaData.Codec)
			}
		}
	}

	rows := make([]parquet.Row, 3)
	r := parquet.NewReader(pf)
	n, err := r.ReadRows(rows)
	if err != nil && !errors.Is(err, io.EOF) || n != 3 {
		t.Fatalf("ReadRows: %d rows, %v", n, err)
	}
	if v := rows[1][0].Double(); v != 100.1524 {
		t.Errorf("row 1 c000 = %v, want 100.1524", v)
	}
	if !rows[1][1].IsNull() || !rows[1][2].IsNull() {
		t.Errorf("row 1: %v, want NULL c001 and c002", rows[1])
	}
	if s := string(rows[2][2].ByteArray()); s != "sand" {
		t.Errorf("row 2 c002 = %q, want sand", s)
	}

	js, ok := pf.Lookup(metaKey)
	if !ok {
		t.Fatalf("no %s key/value metadata", metaKey)
	}
	var meta fileMeta
	if err := json.Unmarshal([]byte(js), &meta); err != nil {
		t.Fatal(err)
	}
	want := fileMeta{Version: 1, Index: "increasing", Columns: []metaColumn{
		{Field: "c000", Name: "DEPT", Unit: "M", Kind: KindNumber},
		{Field: "c001", Name: "NPHI %", Unit: "%", Kind: KindNumber},
		{Field: "c002", Name: "LITH", Kind: KindText},
	}}
	if diff := cmp.Diff(want, meta); diff != "" {
		t.Errorf("metadata (-want +got):\n%s", diff)
	}
}

// TestOpenForeignParquet checks that a valid Parquet file that Write did not
// produce is refused with a clear error.
func TestOpenForeignParquet(t *testing.T) {
	t.Parallel()
	type row struct {
		Depth float64 `parquet:"depth"`
	}
	var buf bytes.Buffer
	w := parquet.NewGenericWriter[row](&buf)
	if _, err := w.Write([]row{{1}, {2}}); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	_, err := Open(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err == nil {
		t.Fatal("Open of a foreign Parquet file succeeded")
	}
	t.Log(err)
}

// countingReaderAt counts the bytes read through it.
type countingReaderAt struct {
	r io.ReaderAt
	n atomic.Int64
}

func (c *countingReaderAt) ReadAt(p []byte, off int64) (int, error) {
	n, err := c.r.ReadAt(p, off)
	c.n.Add(int64(n))
	return n, err
}

// TestReadsOnlyWhatItNeeds checks, by counting bytes, that Open reads the
// footer only and that Read and IndexRange read a small part of a large file.
func TestReadsOnlyWhatItNeeds(t *testing.T) {
	t.Parallel()
	cols := synthLog(t, 3*RowGroupRows, 5)
	data := writeBytes(t, cols)
	footer := int64(binary.LittleEndian.Uint32(data[len(data)-8:]))
	cr := &countingReaderAt{r: bytes.NewReader(data)}
	f, err := Open(cr, int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	if got := cr.n.Load(); got > footer+20 { // magic, trailer (read twice), footer
		t.Errorf("Open read %d bytes, footer is %d", got, footer)
	}
	tests := []struct {
		name string
		do   func() error
		max  int64 // most bytes it may read
	}{
		{"ReadOneCurve", func() error {
			_, err := f.Read([]string{"GR"}, 0, f.Rows())
			return err
		}, int64(len(data)) / 4}, // one curve of 5
		{"ReadRange", func() error {
			_, err := f.Read([]string{"GR"}, 2*RowGroupRows+500, 2*RowGroupRows+1500)
			return err
		}, 160 << 10},
		{"IndexRange", func() error {
			_, _, err := f.IndexRange(cols[0].Float[100000], cols[0].Float[100999])
			return err
		}, 300 << 10},
	}
	for _, tt := range tests {
		before := cr.n.Load()
		if err := tt.do(); err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		got := cr.n.Load() - before
		t.Logf("%s read %d of %d bytes", tt.name, got, len(data))
		if got > tt.max {
			t.Errorf("%s read %d bytes, want at most %d (file %d)", tt.name, got, tt.max, len(data))
		}
	}
}
