package welllogs

import (
	"encoding/json"
	"fmt"
	"unicode/utf8"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/columnar"
)

// The limits of what one log may hold: the one place that knows them. They come from the
// formats and stores a log goes into, and are checked on the parsed file's record (checkLimits)
// before anything of it is stored where a reader could find it, so that a file over one is
// refused with a message naming the limit and its value, and nothing is left behind. The size
// of the uploaded file itself is the tenant's upload_bytes limit (wellbase.Limits.UploadBytes),
// checked by the API as the body arrives.
const (
	// MaxCurves is the most curves a log may have, its index included: the columns of one
	// Parquet file of curves (columnar.MaxColumns, parquet-go's 16-bit column indexes).
	MaxCurves = columnar.MaxColumns
	// MaxMnemonicBytes is the longest curve mnemonic, in bytes of UTF-8: a URL path segment of
	// the curve routes and a CSV header cell; LAS mnemonics are a few characters long.
	MaxMnemonicBytes = 256
	// MaxRecordBytes bounds a log's record (the ~W items, the curve definitions and statistics,
	// the warnings) as JSON: a MongoDB document holds at most 16 MiB of BSON, and the record
	// must fit with room to spare. A header this large is all the file's size would explain.
	MaxRecordBytes = 8 << 20
)

// checkLimits returns nil if the record of a parsed file fits the limits, and otherwise the
// limit it exceeds: EInvalid (422) for a limit of the format (curves, mnemonics), ETooLarge
// (413) for the header's size. Both name the file, the limit and its value, on field "file".
func checkLimits(name string, l *wellbase.WellLog) error {
	if n := len(l.Curves); n > MaxCurves {
		return wellbase.FieldError(wellbase.EInvalid, "file", "%s has %d curves; a log holds at most %d (max_curves, the columns of one Parquet file), its index included",
			name, n, MaxCurves)
	}
	if len(l.Curves) == 0 {
		return wellbase.FieldError(wellbase.EInvalid, "file", "%s defines no curve (~C section)", name)
	}
	seen := make(map[string]bool, len(l.Curves))
	for i, c := range l.Curves {
		switch {
		case len(c.Mnemonic) > MaxMnemonicBytes:
			return wellbase.FieldError(wellbase.EInvalid, "file", "%s: curve %d's mnemonic is %d bytes long; at most %d (max_mnemonic_bytes)",
				name, i+1, len(c.Mnemonic), MaxMnemonicBytes)
		case !utf8.ValidString(c.Mnemonic) || !utf8.ValidString(c.Unit):
			return wellbase.FieldError(wellbase.EInvalid, "file", "%s: curve %d's mnemonic or unit is not valid text", name, i+1)
		case seen[c.Mnemonic]:
			return wellbase.FieldError(wellbase.EInvalid, "file", "%s: two curves are named %q", name, c.Mnemonic)
		}
		seen[c.Mnemonic] = true
	}
	b, err := json.Marshal(l)
	if err != nil {
		return fmt.Errorf("check limits of %s: %w", name, err)
	}
	if len(b) > MaxRecordBytes {
		return wellbase.FieldError(wellbase.ETooLarge, "file", "%s: its header (well items, curve definitions, warnings) takes %d bytes once recorded; at most %d (%d MiB, max_record_bytes)",
			name, len(b), MaxRecordBytes, MaxRecordBytes>>20)
	}
	return nil
}
