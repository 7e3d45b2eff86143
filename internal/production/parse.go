package production

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"strings"

	"github.com/wellbase/wellbase"
)

// DefaultMaxIssues is how many issues a Result lists when Options.MaxIssues is 0.
const DefaultMaxIssues = 1000

// DefaultMaxUnzippedBytes caps the uncompressed size of an XLSX workbook when
// Options.MaxUnzippedBytes is 0 (a guard against zip bombs).
const DefaultMaxUnzippedBytes = 512 << 20

// Options adjusts how a file is read. The zero value reads the Volve workbook as it is.
type Options struct {
	// Units are the units of volume columns whose header and units row declare none (e.g. the
	// upload's ?oil_unit=Sm3). Spellings are normalised with NormalizeUnit. A unit in the file
	// wins over these (reported when they differ).
	Units Units
	// DefaultPeriod is the period of rows without a period cell. "" lets the parser decide per
	// sheet: year and month columns or a month-date column → Month; a sheet named "…Monthly…" →
	// Month, "…Daily…" → Day; all dates on the first of a month → Month (reported); else Day.
	DefaultPeriod Period
	// Well is the well of every row of a file without a well column (an upload to one well).
	Well WellRef
	// DateOrder reads ambiguous dates such as 03/04/2014; by default they are reported and their
	// rows skipped.
	DateOrder DateOrder
	// MaxIssues caps the issues listed in Result.Issues (0: DefaultMaxIssues; < 0: no cap).
	MaxIssues int
	// MaxUnzippedBytes caps the uncompressed size of an XLSX workbook (0: DefaultMaxUnzippedBytes).
	MaxUnzippedBytes int64
}

// check validates and normalises the options.
func (o *Options) check() error {
	if o.DefaultPeriod != "" {
		p, ok := ParsePeriod(string(o.DefaultPeriod))
		if !ok {
			return wellbase.FieldError(wellbase.EInvalid, "period", "unknown period %q: expected day or month", o.DefaultPeriod)
		}
		o.DefaultPeriod = p
	}
	switch o.DateOrder {
	case DateOrderUnknown, DayFirst, MonthFirst:
	default:
		return wellbase.FieldError(wellbase.EInvalid, "date_order", "unknown date order %q: expected DMY or MDY", o.DateOrder)
	}
	for _, p := range phases {
		u, err := checkVolumeUnit(p, o.Units.Of(p))
		if err != nil {
			return err
		}
		o.Units.set(p, u)
	}
	if o.MaxIssues == 0 {
		o.MaxIssues = DefaultMaxIssues
	}
	if o.MaxUnzippedBytes <= 0 {
		o.MaxUnzippedBytes = DefaultMaxUnzippedBytes
	}
	return nil
}

// The formats Parse accepts.
const (
	FormatCSV  = "csv"
	FormatXLSX = "xlsx"
)

// xlsxMIME is the media type of XLSX workbooks.
const xlsxMIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// Parse reads production volumes from a CSV file or an XLSX workbook. format is "csv", "xlsx", a
// media type ("text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
// parameters ignored) or "" (or application/octet-stream) to decide from the content: a zip file
// is XLSX, text is CSV. Content that is plainly a workbook is read as one whatever format says.
//
// A file that cannot be read at all — not CSV or XLSX, no recognisable header, no date, well or
// volume column — gives a *wellbase.Error with code wellbase.EInvalid whose message names what is
// missing; a workbook that unzips beyond Options.MaxUnzippedBytes gives wellbase.ETooLarge. Errors
// of r itself (e.g. *http.MaxBytesError) are returned wrapped. Bad rows never fail the file: they
// are reported in Result.Issues.
func Parse(r io.Reader, format string, opt Options) (*Result, error) {
	if err := opt.check(); err != nil {
		return nil, err
	}
	f, err := normalizeFormat(format)
	if err != nil {
		return nil, err
	}
	br := bufio.NewReaderSize(r, 64<<10)
	head, err := br.Peek(8)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("read production file: %w", err)
	}
	if err := sniffBinary(head); err != nil {
		return nil, err
	}
	if bytes.HasPrefix(head, zipMagic) {
		f = FormatXLSX
	} else if f == FormatXLSX {
		return nil, wellbase.Errorf(wellbase.EInvalid, "not an XLSX workbook (an XLSX file is a zip archive)")
	}
	if f == FormatXLSX {
		return ParseXLSX(br, opt)
	}
	return ParseCSV(br, opt)
}

// normalizeFormat maps a format name or media type to FormatCSV, FormatXLSX or "" (sniff).
func normalizeFormat(format string) (string, error) {
	f := strings.ToLower(strings.TrimSpace(format))
	if mt, _, err := mime.ParseMediaType(f); err == nil {
		f = mt
	}
	switch f {
	case "", "application/octet-stream", "binary/octet-stream":
		return "", nil
	case "csv", "text/csv", "application/csv", "text/plain", "text/comma-separated-values",
		"tsv", "text/tab-separated-values", "txt":
		return FormatCSV, nil
	case "xlsx", xlsxMIME, "application/zip", "application/x-zip-compressed":
		return FormatXLSX, nil
	case "xls", "application/vnd.ms-excel":
		return "", errLegacyXLS()
	}
	return "", wellbase.FieldError(wellbase.EInvalid, "format", "unknown format %q: expected csv or xlsx", format)
}

var (
	zipMagic  = []byte("PK\x03\x04")
	ole2Magic = []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
)

// errLegacyXLS is the error for an OLE2 compound file: an .xls workbook or an encrypted .xlsx.
func errLegacyXLS() error {
	return wellbase.Errorf(wellbase.EInvalid,
		"an Excel 97-2003 (.xls) or password-protected workbook cannot be read: save it as an unprotected .xlsx or as CSV")
}

// sniffBinary rejects content that is neither CSV nor XLSX by its first bytes.
func sniffBinary(head []byte) error {
	switch {
	case bytes.HasPrefix(head, ole2Magic):
		return errLegacyXLS()
	case bytes.HasPrefix(head, []byte("%PDF")):
		return notSpreadsheet("a PDF document")
	case bytes.HasPrefix(head, []byte("\x89PNG")), bytes.HasPrefix(head, []byte("\xff\xd8\xff")),
		bytes.HasPrefix(head, []byte("GIF8")):
		return notSpreadsheet("an image")
	case bytes.HasPrefix(head, []byte("\x1f\x8b")):
		return notSpreadsheet("a gzip file")
	}
	return nil
}

func notSpreadsheet(what string) error {
	return wellbase.Errorf(wellbase.EInvalid, "not a CSV file or XLSX workbook: the content is %s", what)
}
