package columnar

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"unsafe"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress"
	"github.com/parquet-go/parquet-go/compress/zstd"
	"github.com/parquet-go/parquet-go/encoding"
)

// writeConfig holds the physical layout choices of Write. Only the tests and
// benchmarks use other values than defaultConfig, to measure alternatives.
type writeConfig struct {
	codec        compress.Codec    // page compression
	float        encoding.Encoding // encoding of numeric columns
	text         encoding.Encoding // encoding of text columns
	pageRows     int               // rows per data page
	rowGroupRows int               // rows per row group
}

// defaultConfig is the layout Write uses; the package doc says why.
var defaultConfig = writeConfig{
	codec:        &zstd.Codec{Level: zstd.SpeedDefault},
	float:        &parquet.Plain,
	text:         &parquet.RLEDictionary,
	pageRows:     PageRows,
	rowGroupRows: RowGroupRows,
}

// maxPageBytes caps the buffered size of a data page (long text values);
// numeric pages of PageRows rows stay well below it.
const maxPageBytes = 1 << 20

// batchRows is the number of values handed to the Parquet column writer at a
// time; it bounds the scratch []parquet.Value buffer of Write.
const batchRows = 1024

// Write writes cols to w as one Parquet file (layout in the package doc).
// Column 0 is the index (depth or time); all columns must have the same
// number of rows, zero included. Names must be unique, valid UTF-8 curve
// mnemonics; units and non-NULL text values must be valid UTF-8. The
// direction of the index (increasing, decreasing or neither) is recorded for
// [File.IndexRange].
//
// Write streams: besides cols it holds the compressed pages of one row group
// (RowGroupRows rows), one page being filled per column and a 1024-value
// scratch buffer, never a second copy of the log. Nothing is written to w
// when cols are invalid; an error from w is returned wrapped and leaves a
// partial file.
//
// Errors name the column at fault, e.g. `columnar: write column "GR": 10 rows,
// index column "DEPT" has 12`.
func Write(w io.Writer, cols []Column) error {
	return writeWith(w, cols, &defaultConfig)
}

func writeWith(w io.Writer, cols []Column, cfg *writeConfig) error {
	meta, err := describe(cols)
	if err != nil {
		return err
	}
	js, err := json.Marshal(meta)
	if err != nil {
		return fmt.Errorf("columnar: write: encode metadata: %w", err)
	}
	group := make(parquet.Group, len(cols))
	for _, c := range meta.Columns {
		node := parquet.Encoded(parquet.Leaf(parquet.DoubleType), cfg.float)
		if c.Kind == KindText {
			node = parquet.Encoded(parquet.String(), cfg.text)
		}
		group[c.Field] = parquet.Optional(node)
	}
	schema := parquet.NewSchema("wellbase_log", group)
	config, err := parquet.NewWriterConfig(
		schema,
		parquet.Compression(cfg.codec),
		parquet.PageBufferSize(maxPageBytes),
		parquet.KeyValueMetadata(metaKey, string(js)),
		parquet.CreatedBy("wellbase columnar", "1", ""),
	)
	if err != nil {
		return fmt.Errorf("columnar: write: configure parquet: %w", err)
	}
	pw := parquet.NewWriter(w, config)
	writers := pw.ColumnWriters()

	leaf := make([]int, len(cols)) // Parquet leaf column index of each column
	for i, c := range meta.Columns {
		lc, ok := schema.Lookup(c.Field)
		if !ok {
			return fmt.Errorf("columnar: write column %q: field %s missing from schema", cols[i].Name, c.Field)
		}
		leaf[i] = lc.ColumnIndex
	}

	rows := cols[0].Len()
	buf := make([]parquet.Value, 0, min(batchRows, rows))
	for start := 0; start < rows; start += cfg.rowGroupRows {
		end := min(start+cfg.rowGroupRows, rows)
		for i := range cols {
			c, cw := &cols[i], writers[leaf[i]]
			for page := start; page < end; page += cfg.pageRows {
				pageEnd := min(page+cfg.pageRows, end)
				for b := page; b < pageEnd; b += batchRows {
					buf = appendValues(buf[:0], c, leaf[i], b, min(b+batchRows, pageEnd))
					if _, err := cw.WriteRowValues(buf); err != nil {
						return fmt.Errorf("columnar: write column %q: %w", c.Name, err)
					}
				}
				// Ends the data page here, so that pages hold cfg.pageRows
				// rows and start at the same rows in every column.
				if err := cw.Flush(); err != nil {
					return fmt.Errorf("columnar: write column %q: %w", c.Name, err)
				}
			}
		}
		if err := pw.Flush(); err != nil {
			return fmt.Errorf("columnar: write rows [%d, %d): %w", start, end, err)
		}
	}
	clear(buf[:cap(buf)]) // drop references to the caller's strings
	if err := pw.Close(); err != nil {
		return fmt.Errorf("columnar: write footer: %w", err)
	}
	return nil
}

// appendValues appends the Parquet values of rows [from, to) of c, as leaf
// column leaf of an OPTIONAL field (definition level 1 = present, 0 = null).
func appendValues(buf []parquet.Value, c *Column, leaf, from, to int) []parquet.Value {
	null := parquet.Value{}.Level(0, 0, leaf)
	if c.Text == nil {
		for _, v := range c.Float[from:to] {
			if math.IsNaN(v) {
				buf = append(buf, null)
				continue
			}
			buf = append(buf, parquet.DoubleValue(v).Level(0, 1, leaf))
		}
		return buf
	}
	for r := from; r < to; r++ {
		if c.Null != nil && c.Null[r] {
			buf = append(buf, null)
			continue
		}
		s := c.Text[r]
		// The column writer copies the bytes into its page buffer and never
		// writes to them, so the string's bytes are passed without a copy.
		buf = append(buf, parquet.ByteArrayValue(unsafe.Slice(unsafe.StringData(s), len(s))).Level(0, 1, leaf))
	}
	return buf
}
