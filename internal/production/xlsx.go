package production

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/wellbase/wellbase"
)

// ParseXLSX reads production volumes from an XLSX workbook: every sheet with a recognisable
// header (see the package documentation) is read, in workbook order; the others are skipped and
// reported. Wells of different sheets are joined on their official code (see WellRef).
//
// Cells are read as stored, not as displayed: a date is its Excel serial number (1900 or 1904
// date system, from the workbook) or the text written in it, a number keeps its full precision.
// Rows are streamed sheet by sheet; the workbook itself is held in memory (about its size) and
// may not unzip to more than Options.MaxUnzippedBytes. Errors are as for Parse.
func ParseXLSX(r io.Reader, opt Options) (*Result, error) {
	if err := opt.check(); err != nil {
		return nil, err
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read XLSX: %w", err)
	}
	if err := sniffBinary(data); err != nil {
		return nil, err
	}
	limit := opt.MaxUnzippedBytes
	if err := checkZip(data, limit); err != nil {
		return nil, err
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		RawCellValue:      true,
		UnzipSizeLimit:    limit,
		UnzipXMLSizeLimit: min(limit, excelize.StreamChunkSize),
	})
	if err != nil {
		return nil, wellbase.Errorf(wellbase.EInvalid, "not a readable XLSX workbook: %v", err)
	}
	defer f.Close()
	date1904 := false
	if props, err := f.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		date1904 = *props.Date1904
	}
	b := newBuilder(FormatXLSX, opt)
	for _, name := range f.GetSheetList() {
		s := newSheet(b, name, date1904, false)
		if err := readSheet(f, s); err != nil {
			return nil, err
		}
		s.end()
	}
	return b.finish()
}

// readSheet streams the rows of one sheet into s.
func readSheet(f *excelize.File, s *sheet) error {
	rows, err := f.Rows(s.info.Name)
	if err != nil {
		s.failed = "not a worksheet (a chart sheet?)"
		s.info.Skipped = s.failed
		return nil
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		n++
		cells, err := rows.Columns()
		if err != nil {
			return wellbase.Errorf(wellbase.EInvalid, "not a readable XLSX workbook: sheet %q row %d: %v", s.info.Name, n, err)
		}
		if !s.row(n, cells) {
			return nil
		}
	}
	if err := rows.Error(); err != nil {
		return wellbase.Errorf(wellbase.EInvalid, "not a readable XLSX workbook: sheet %q: %v", s.info.Name, err)
	}
	return nil
}

// checkZip checks that data is a zip archive holding an XLSX workbook that unzips to at most
// limit bytes (sizes are declared in the archive, and archive/zip holds entries to them).
func checkZip(data []byte, limit int64) error {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		if errors.Is(err, zip.ErrFormat) || errors.Is(err, io.ErrUnexpectedEOF) {
			return wellbase.Errorf(wellbase.EInvalid, "not an XLSX workbook: not a valid zip archive")
		}
		return wellbase.Errorf(wellbase.EInvalid, "not an XLSX workbook: %v", err)
	}
	var total uint64
	workbook := false
	for _, zf := range zr.File {
		total += zf.UncompressedSize64
		switch {
		case strings.EqualFold(zf.Name, "xl/workbook.xml"):
			workbook = true
		case strings.EqualFold(zf.Name, "xl/workbook.bin"):
			return wellbase.Errorf(wellbase.EInvalid, "a binary (.xlsb) workbook cannot be read: save it as .xlsx or CSV")
		}
	}
	if total > uint64(limit) {
		return wellbase.Errorf(wellbase.ETooLarge, "the workbook unzips to more than %d MB", limit>>20)
	}
	if !workbook {
		return wellbase.Errorf(wellbase.EInvalid, "a zip archive but not an XLSX workbook (no xl/workbook.xml): save the file as .xlsx or CSV")
	}
	return nil
}
