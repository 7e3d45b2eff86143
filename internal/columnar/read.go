package columnar

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"

	"github.com/parquet-go/parquet-go"
)

// maxGroupRows bounds the rows of one row group that Open accepts: Write
// writes RowGroupRows; the bound keeps a corrupted row count from turning
// into a huge allocation.
const maxGroupRows = 1 << 24

// errCorrupt marks inconsistencies found while decoding a file.
var errCorrupt = errors.New("corrupt file")

// File is an opened columnar file. It reads column data from the io.ReaderAt
// given to Open, which must stay usable while the File is. Its methods are
// safe for concurrent use (io.ReaderAt allows parallel ReadAt calls).
type File struct {
	pf     *parquet.File
	meta   *fileMeta
	infos  []ColumnInfo
	cols   []fileColumn
	byName map[string]int
	starts []int64 // first row of each row group, then the total row count
}

// fileColumn locates one column in the Parquet file.
type fileColumn struct {
	leaf     int  // Parquet leaf column index
	maxDef   byte // definition level of a present value
	isNumber bool
}

// Open reads the footer of the columnar file held in the first size bytes of
// r: magic bytes, Parquet file metadata and the "wellbase.columnar" JSON. No
// column data, page index or bloom filter is read; the page index of a column
// chunk is read when a range read first needs it.
//
// Open returns an error, never panics, when r does not hold a file written by
// [Write] (not Parquet, truncated, corrupted footer, missing or inconsistent
// metadata).
func Open(r io.ReaderAt, size int64) (f *File, err error) {
	defer recoverCorrupt(&err, "open")
	return open(r, size)
}

// readBufferSize is the size of the reads of column chunk data: a few
// compressed pages at a time, few enough requests for remote storage.
const readBufferSize = 64 << 10

func open(r io.ReaderAt, size int64) (*File, error) {
	if err := checkTrailer(r, size); err != nil {
		return nil, fmt.Errorf("columnar: open: %w", err)
	}
	pf, err := parquet.OpenFile(r, size,
		parquet.SkipPageIndex(true),
		parquet.SkipBloomFilters(true),
		parquet.ReadBufferSize(readBufferSize),
	)
	if err != nil {
		return nil, fmt.Errorf("columnar: open: %w", err)
	}
	if err := checkExtents(pf, size); err != nil {
		return nil, fmt.Errorf("columnar: open: %w", err)
	}
	js, ok := pf.Lookup(metaKey)
	if !ok {
		return nil, fmt.Errorf("columnar: open: no %s metadata: not written by this package", metaKey)
	}
	meta, err := parseMeta(js)
	if err != nil {
		return nil, fmt.Errorf("columnar: open: %w", err)
	}
	f := &File{
		pf:     pf,
		meta:   meta,
		infos:  make([]ColumnInfo, len(meta.Columns)),
		cols:   make([]fileColumn, len(meta.Columns)),
		byName: make(map[string]int, len(meta.Columns)),
	}
	schema := pf.Schema()
	if n := len(schema.Columns()); n != len(meta.Columns) {
		return nil, fmt.Errorf("columnar: open: %d Parquet columns, metadata lists %d: %w", n, len(meta.Columns), errCorrupt)
	}
	seen := make(map[int]bool, len(meta.Columns))
	for i, c := range meta.Columns {
		lc, ok := schema.Lookup(c.Field)
		if !ok || seen[lc.ColumnIndex] {
			return nil, fmt.Errorf("columnar: open: column %q: no Parquet field %q, or a second column on it: %w", c.Name, c.Field, errCorrupt)
		}
		seen[lc.ColumnIndex] = true
		want := parquet.Double
		if c.Kind == KindText {
			want = parquet.ByteArray
		}
		if k := lc.Node.Type().Kind(); k != want || lc.MaxRepetitionLevel != 0 || lc.MaxDefinitionLevel > 1 {
			return nil, fmt.Errorf("columnar: open: column %q: Parquet field %q is %v, want optional %v: %w", c.Name, c.Field, lc.Node, want, errCorrupt)
		}
		f.infos[i] = ColumnInfo{Name: c.Name, Unit: c.Unit, Kind: c.Kind}
		f.cols[i] = fileColumn{leaf: lc.ColumnIndex, maxDef: byte(lc.MaxDefinitionLevel), isNumber: c.Kind == KindNumber}
		f.byName[c.Name] = i
	}
	groups := pf.Metadata().RowGroups
	if len(pf.RowGroups()) != len(groups) {
		return nil, fmt.Errorf("columnar: open: %d row groups, footer lists %d: %w", len(pf.RowGroups()), len(groups), errCorrupt)
	}
	f.starts = make([]int64, len(groups)+1)
	for g, rg := range groups {
		n := rg.NumRows
		if n <= 0 || n > maxGroupRows || len(rg.Columns) != len(meta.Columns) {
			return nil, fmt.Errorf("columnar: open: row group %d: %d rows, %d columns: %w", g, n, len(rg.Columns), errCorrupt)
		}
		for c, cc := range rg.Columns {
			// Columns are flat and OPTIONAL: one value (maybe null) per row.
			if cc.MetaData.NumValues != n {
				return nil, fmt.Errorf("columnar: open: row group %d column %d: %d values for %d rows: %w", g, c, cc.MetaData.NumValues, n, errCorrupt)
			}
		}
		f.starts[g+1] = f.starts[g] + n
	}
	if total := f.starts[len(groups)]; total != pf.NumRows() {
		return nil, fmt.Errorf("columnar: open: row groups hold %d rows, footer says %d: %w", total, pf.NumRows(), errCorrupt)
	}
	return f, nil
}

// checkTrailer checks the 8-byte Parquet trailer (footer length, "PAR1")
// before parquet.OpenFile trusts the length and allocates that much.
func checkTrailer(r io.ReaderAt, size int64) error {
	const magic = "PAR1"
	if size < int64(2*len(magic)+4) {
		return fmt.Errorf("%d bytes is too short for a Parquet file: %w", size, errCorrupt)
	}
	var tail [8]byte
	if _, err := r.ReadAt(tail[:], size-8); err != nil {
		return fmt.Errorf("read trailer: %w", err)
	}
	if string(tail[4:]) != magic {
		return fmt.Errorf("no Parquet magic at the end: %w", errCorrupt)
	}
	if n := int64(binary.LittleEndian.Uint32(tail[:4])); n > size-12 {
		return fmt.Errorf("footer length %d exceeds the file (%d bytes): %w", n, size, errCorrupt)
	}
	return nil
}

// checkExtents checks that every column chunk, page index and bloom filter
// the footer points at lies inside the file, so that a corrupted footer
// yields an error rather than a huge allocation in the Parquet reader.
func checkExtents(pf *parquet.File, size int64) error {
	inside := func(off, n int64) bool { return n == 0 || (off >= 4 && n > 0 && off <= size-n) }
	for g, rg := range pf.Metadata().RowGroups {
		for c, cc := range rg.Columns {
			md := &cc.MetaData
			start := md.DataPageOffset
			if md.DictionaryPageOffset > 0 {
				start = md.DictionaryPageOffset
			}
			if !inside(start, md.TotalCompressedSize) || md.TotalCompressedSize <= 0 && md.NumValues > 0 ||
				!inside(cc.ColumnIndexOffset, int64(cc.ColumnIndexLength)) ||
				!inside(cc.OffsetIndexOffset, int64(cc.OffsetIndexLength)) ||
				!inside(md.BloomFilterOffset, int64(md.BloomFilterLength)) {
				return fmt.Errorf("row group %d column %d points outside the file: %w", g, c, errCorrupt)
			}
		}
	}
	return nil
}

// Columns returns the name, unit and kind of each column in the order given
// to [Write]; element 0 is the index.
func (f *File) Columns() []ColumnInfo {
	return append([]ColumnInfo(nil), f.infos...)
}

// Rows returns the number of rows in the file.
func (f *File) Rows() int64 {
	return f.starts[len(f.starts)-1]
}

// Read returns rows [from, to) of the named columns, in the order of names
// (all columns in file order when names is empty). Only the requested
// columns' chunks in the row groups overlapping the range are read, and inside
// a row group reading starts at the page holding row from.
//
// Numeric columns come back with Float set (NaN for NULL), text columns with
// Text set and Null set only when an entry in the range is NULL. Slices are
// non-nil even for an empty range, so Column.Kind is reliable.
//
// An unknown name gives an error wrapping [ErrUnknownColumn] that names it; a
// range outside [0, Rows()] is an error; a decoding failure is reported as
// "columnar: read column "GR": …".
func (f *File) Read(names []string, from, to int64) (cols []Column, err error) {
	defer recoverCorrupt(&err, "read")
	return f.read(names, from, to)
}

func (f *File) read(names []string, from, to int64) ([]Column, error) {
	if from < 0 || to < from || to > f.Rows() {
		return nil, fmt.Errorf("columnar: read rows [%d, %d): out of range [0, %d)", from, to, f.Rows())
	}
	idx := make([]int, 0, len(f.cols))
	if len(names) == 0 {
		for i := range f.cols {
			idx = append(idx, i)
		}
	}
	for _, name := range names {
		i, ok := f.byName[name]
		if !ok {
			return nil, fmt.Errorf("columnar: read column %q: %w", name, ErrUnknownColumn)
		}
		idx = append(idx, i)
	}
	cols := make([]Column, len(idx))
	for k, i := range idx {
		if err := f.readColumn(&cols[k], i, from, to); err != nil {
			return nil, fmt.Errorf("columnar: read column %q: %w", f.infos[i].Name, err)
		}
	}
	return cols, nil
}

// readColumn reads rows [from, to) of column i into c.
func (f *File) readColumn(c *Column, i int, from, to int64) error {
	info, fc := f.infos[i], f.cols[i]
	*c = Column{Name: info.Name, Unit: info.Unit}
	if fc.isNumber {
		c.Float = make([]float64, 0, to-from)
	} else {
		c.Text = make([]string, 0, to-from)
	}
	groups := f.pf.RowGroups()
	g := sort.Search(len(groups), func(g int) bool { return f.starts[g+1] > from })
	for ; g < len(groups) && f.starts[g] < to; g++ {
		lo := max(from, f.starts[g]) - f.starts[g]
		hi := min(to, f.starts[g+1]) - f.starts[g]
		chunk := groups[g].ColumnChunks()[fc.leaf]
		if err := readChunk(c, chunk, fc.maxDef, lo, hi); err != nil {
			return fmt.Errorf("row group %d: %w", g, err)
		}
	}
	return nil
}

// readChunk appends rows [lo, hi) of a column chunk (row numbers relative to
// its row group) to c.
func readChunk(c *Column, chunk parquet.ColumnChunk, maxDef byte, lo, hi int64) error {
	if fc, ok := chunk.(*parquet.FileColumnChunk); ok && lo > 0 {
		// Loads and caches the chunk's offset index so that SeekToRow jumps
		// to the page holding row lo instead of decoding the pages before it.
		// Without one (not written by Write) seeking still works, slower.
		if _, err := fc.OffsetIndex(); err != nil && !errors.Is(err, parquet.ErrMissingOffsetIndex) {
			return fmt.Errorf("read offset index: %w", err)
		}
	}
	pages := chunk.Pages()
	defer pages.Close()
	if err := pages.SeekToRow(lo); err != nil {
		return fmt.Errorf("seek to row %d: %w", lo, err)
	}
	for need := hi - lo; need > 0; {
		p, err := pages.ReadPage()
		if err == io.EOF {
			return fmt.Errorf("column chunk ends %d rows early: %w", need, errCorrupt)
		}
		if err != nil {
			return err
		}
		n := min(p.NumRows(), need)
		if n <= 0 {
			parquet.Release(p)
			return fmt.Errorf("empty data page: %w", errCorrupt)
		}
		err = appendPage(c, p, maxDef, int(n))
		parquet.Release(p)
		if err != nil {
			return err
		}
		need -= n
	}
	return nil
}

// appendPage appends the first n rows of page p to c.
func appendPage(c *Column, p parquet.Page, maxDef byte, n int) error {
	if c.Float != nil && p.Dictionary() == nil && p.Type().Kind() == parquet.Double {
		data := p.Data()
		vals := data.Double()
		defs := p.DefinitionLevels()
		if len(defs) == 0 || p.NumNulls() == 0 {
			if len(vals) < n {
				return fmt.Errorf("page holds %d values for %d rows: %w", len(vals), n, errCorrupt)
			}
			c.Float = append(c.Float, vals[:n]...)
			return nil
		}
		if len(defs) < n {
			return fmt.Errorf("page holds %d levels for %d rows: %w", len(defs), n, errCorrupt)
		}
		j := 0
		for _, d := range defs[:n] {
			if d != maxDef {
				c.Float = append(c.Float, math.NaN())
				continue
			}
			if j >= len(vals) {
				return fmt.Errorf("page holds %d values, levels say more: %w", len(vals), errCorrupt)
			}
			c.Float = append(c.Float, vals[j])
			j++
		}
		return nil
	}
	return appendGeneric(c, p.Values(), n)
}

// appendGeneric appends n values read from r to c: the general path, used for
// text pages and for pages in an encoding appendPage does not special-case.
func appendGeneric(c *Column, r parquet.ValueReader, n int) error {
	var buf [256]parquet.Value
	for n > 0 {
		k, err := r.ReadValues(buf[:min(n, len(buf))])
		for _, v := range buf[:k] {
			switch {
			case c.Float != nil && v.IsNull():
				c.Float = append(c.Float, math.NaN())
			case c.Float != nil:
				c.Float = append(c.Float, v.Double())
			case v.IsNull():
				if c.Null == nil {
					c.Null = make([]bool, len(c.Text), cap(c.Text))
				}
				c.Null = append(c.Null, true)
				c.Text = append(c.Text, "")
			default:
				if c.Null != nil {
					c.Null = append(c.Null, false)
				}
				c.Text = append(c.Text, string(v.ByteArray()))
			}
		}
		n -= k
		if n > 0 && k == 0 {
			if err == nil || err == io.EOF {
				return fmt.Errorf("page ends %d values early: %w", n, errCorrupt)
			}
			return err
		}
		if err != nil && err != io.EOF {
			return err
		}
	}
	return nil
}

// recoverCorrupt turns a panic raised while decoding a malformed file (the
// Parquet decoder trusts some lengths it reads) into an error for op. The
// exported methods defer it and delegate to an unexported one, so that their
// other results stay zero when it fires.
func recoverCorrupt(err *error, op string) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("columnar: %s: %w: %v", op, errCorrupt, r)
	}
}
