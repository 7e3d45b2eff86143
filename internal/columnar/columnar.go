// Package columnar stores the curves of one well log as a Parquet file, so
// that one curve, or a depth range of it, can be read without reading the
// others.
//
// # Data model
//
// A file holds the columns of one log, all of the same length. Column 0 is the
// index (depth or time); the others are curves. A numeric column is a []float64
// in which NaN marks a NULL value (the LAS NULL marker, e.g. -999.25, must be
// turned into NaN before writing); a text column (dates, lithology) is a
// []string with an optional []bool that marks missing entries.
//
// # Physical layout
//
// The file is plain Parquet (format 2, data page v2), readable by any Parquet
// reader (pyarrow, DuckDB, parquet-go):
//
//   - one top-level OPTIONAL field per column, in the original order, with the
//     stable physical names "c000", "c001", … (wider when there are more than
//     1000 columns). Curve mnemonics are free UTF-8 ("GR:1", "DT.1",
//     "NPHI %", "Å") and Parquet readers may reorder group fields by name or
//     reject some characters, so mnemonics never become field names;
//
//   - numeric columns are DOUBLE with BYTE_STREAM_SPLIT encoding; a NULL is a
//     Parquet null and reads back as NaN (any NaN payload becomes math.NaN());
//     every other float64 bit pattern, -0 and ±Inf included, round-trips
//     exactly;
//
//   - text columns are BYTE_ARRAY annotated STRING (UTF-8), dictionary-encoded;
//
//   - the key/value metadata entry "wellbase.columnar" holds JSON with the real
//     mnemonics, units, kinds, physical names and the direction of the index,
//     for example:
//
//     {"version":1,"index":"increasing","columns":[
//     {"field":"c000","name":"DEPT","unit":"M","kind":"number"},
//     {"field":"c001","name":"GR:1","unit":"GAPI","kind":"number"}]}
//
// Pages are zstd-compressed (level "default", ≈ zstd 3), row groups hold
// [RowGroupRows] rows and pages about 64 KiB of values; see the package
// benchmarks for the measurements behind these choices. Every row group
// carries min/max statistics and a page index (column and offset index), which
// [File.Read] and [File.IndexRange] use to skip data.
package columnar

import "errors"

// Kind is the kind of values a column holds.
type Kind string

// Column kinds as stored in the file metadata and reported by [File.Columns].
const (
	KindNumber Kind = "number" // float64, NaN = NULL
	KindText   Kind = "text"   // UTF-8 string, Null marks NULL entries
)

// RowGroupRows is the number of rows per Parquet row group. A range read
// touches only the row groups (and, inside them, the pages) that overlap the
// range; 65 536 rows of one numeric curve is 512 KiB before compression.
const RowGroupRows = 64 * 1024

// ErrUnknownColumn is returned (wrapped, with the name) by [File.Read] when a
// requested column name is not in the file.
var ErrUnknownColumn = errors.New("unknown column")

// Column is one curve of a log: a numeric curve (Float, NaN = NULL) or a text
// curve (Text, with Null marking missing entries). Exactly one of Float and
// Text is non-nil; when both are nil the column is numeric with no rows.
type Column struct {
	// Name is the curve mnemonic as given, any valid UTF-8 ("GR", "GR:1",
	// "DT.1", "NPHI %", "Å"). Names are unique within a file.
	Name string
	// Unit is the curve unit as given ("M", "GAPI", "US/F"), possibly empty.
	Unit string
	// Float holds the values of a numeric curve; NaN is a NULL value.
	Float []float64
	// Text holds the values of a text curve; entries marked in Null are
	// written as NULL whatever their content and read back as "".
	Text []string
	// Null marks the NULL entries of a text curve: nil means none is NULL,
	// otherwise it has the length of Text. [File.Read] returns nil when no
	// entry in the range is NULL. Must be nil for a numeric curve.
	Null []bool
}

// Kind reports whether c is a numeric or a text column.
func (c *Column) Kind() Kind {
	if c.Text != nil {
		return KindText
	}
	return KindNumber
}

// Len returns the number of rows in c.
func (c *Column) Len() int {
	if c.Text != nil {
		return len(c.Text)
	}
	return len(c.Float)
}

// ColumnInfo describes one column of a file, as listed by [File.Columns].
type ColumnInfo struct {
	Name string
	Unit string
	Kind Kind
}
