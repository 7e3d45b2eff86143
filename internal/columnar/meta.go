package columnar

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"unicode/utf8"
)

// metaKey is the Parquet key/value metadata key holding the JSON fileMeta.
const metaKey = "wellbase.columnar"

// MaxColumns is the most columns a file may hold (Parquet column indexes in
// parquet-go are 16-bit); LAS files hold at most a few hundred curves, array
// curves a few thousand. Callers check it before writing (welllogs' limits).
const MaxColumns = 1 << 15

// metaVersion is the version of the fileMeta layout written by this package.
const metaVersion = 1

// Index directions recorded in fileMeta.Index. An index is increasing when
// every value is >= the one before (equal steps allowed), decreasing when
// every value is <=; a NaN anywhere, a text index or a change of direction
// makes it unordered. A constant index counts as increasing.
const (
	orderIncreasing = "increasing"
	orderDecreasing = "decreasing"
	orderNone       = "none"
)

// fileMeta is the JSON document stored under metaKey.
type fileMeta struct {
	Version int          `json:"version"`
	Index   string       `json:"index"`
	Columns []metaColumn `json:"columns"`
}

// metaColumn describes one column: its physical Parquet field name and the
// curve's real mnemonic, unit and kind.
type metaColumn struct {
	Field string `json:"field"`
	Name  string `json:"name"`
	Unit  string `json:"unit,omitempty"`
	Kind  Kind   `json:"kind"`
}

// fieldName returns the physical Parquet field name of column i among n:
// "c" and i in decimal, zero-padded to at least 3 digits and to the width of
// n-1, so that the names sort in column order.
func fieldName(i, n int) string {
	width := max(3, len(strconv.Itoa(n-1)))
	return fmt.Sprintf("c%0*d", width, i)
}

// describe validates cols and returns their metadata. It checks that there is
// at least one column, that names are valid UTF-8 and unique, units valid
// UTF-8, each column has one kind, Null fits, and all lengths are equal.
func describe(cols []Column) (*fileMeta, error) {
	if len(cols) == 0 {
		return nil, errors.New("columnar: write: no columns (column 0 must be the index)")
	}
	if len(cols) > MaxColumns {
		return nil, fmt.Errorf("columnar: write: %d columns, at most %d", len(cols), MaxColumns)
	}
	m := &fileMeta{Version: metaVersion, Columns: make([]metaColumn, len(cols))}
	seen := make(map[string]bool, len(cols))
	rows := cols[0].Len()
	for i := range cols {
		c := &cols[i]
		switch {
		case !utf8.ValidString(c.Name):
			return nil, fmt.Errorf("columnar: write column %q: name is not valid UTF-8", c.Name)
		case seen[c.Name]:
			return nil, fmt.Errorf("columnar: write column %q: duplicate name", c.Name)
		case !utf8.ValidString(c.Unit):
			return nil, fmt.Errorf("columnar: write column %q: unit %q is not valid UTF-8", c.Name, c.Unit)
		case c.Float != nil && c.Text != nil:
			return nil, fmt.Errorf("columnar: write column %q: both Float and Text are set", c.Name)
		case c.Text == nil && c.Null != nil:
			return nil, fmt.Errorf("columnar: write column %q: Null is set on a numeric column (use NaN)", c.Name)
		case c.Null != nil && len(c.Null) != len(c.Text):
			return nil, fmt.Errorf("columnar: write column %q: %d Null flags for %d values", c.Name, len(c.Null), len(c.Text))
		case c.Len() != rows:
			return nil, fmt.Errorf("columnar: write column %q: %d rows, index column %q has %d", c.Name, c.Len(), cols[0].Name, rows)
		}
		for r, s := range c.Text {
			if !utf8.ValidString(s) && (c.Null == nil || !c.Null[r]) {
				return nil, fmt.Errorf("columnar: write column %q: row %d is not valid UTF-8", c.Name, r)
			}
		}
		seen[c.Name] = true
		m.Columns[i] = metaColumn{Field: fieldName(i, len(cols)), Name: c.Name, Unit: c.Unit, Kind: c.Kind()}
	}
	m.Index = indexOrder(&cols[0])
	return m, nil
}

// indexOrder returns the direction of the index column c.
func indexOrder(c *Column) string {
	if c.Text != nil {
		return orderNone
	}
	inc, dec := true, true
	for i, v := range c.Float {
		if math.IsNaN(v) {
			return orderNone
		}
		if i > 0 {
			prev := c.Float[i-1]
			inc = inc && v >= prev
			dec = dec && v <= prev
		}
	}
	switch {
	case inc:
		return orderIncreasing
	case dec:
		return orderDecreasing
	}
	return orderNone
}

// parseMeta decodes and checks the JSON metadata of a file.
func parseMeta(s string) (*fileMeta, error) {
	var m fileMeta
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		return nil, fmt.Errorf("decode %s metadata: %w", metaKey, err)
	}
	if m.Version != metaVersion {
		return nil, fmt.Errorf("%s metadata version %d, want %d", metaKey, m.Version, metaVersion)
	}
	switch m.Index {
	case orderIncreasing, orderDecreasing, orderNone:
	default:
		return nil, fmt.Errorf("%s metadata: unknown index order %q", metaKey, m.Index)
	}
	if len(m.Columns) == 0 {
		return nil, fmt.Errorf("%s metadata lists no columns", metaKey)
	}
	seen := make(map[string]bool, len(m.Columns))
	for _, c := range m.Columns {
		if c.Kind != KindNumber && c.Kind != KindText {
			return nil, fmt.Errorf("%s metadata: column %q has unknown kind %q", metaKey, c.Name, c.Kind)
		}
		if seen[c.Name] {
			return nil, fmt.Errorf("%s metadata: duplicate column %q", metaKey, c.Name)
		}
		seen[c.Name] = true
	}
	return &m, nil
}
