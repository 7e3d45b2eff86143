package production

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/wellbase/wellbase"
)

// ParseCSV reads production volumes from a CSV file: one header row (title rows above it are
// skipped), an optional units row under it, then one row per well and period. See the package
// documentation for the columns.
//
// The delimiter (comma, semicolon or tab) is detected from the first lines; with a semicolon or tab
// a decimal comma is accepted (12,5). UTF-8 with or without a byte-order mark, UTF-16 with a BOM
// and Windows-1252 text are read; line endings may be LF, CRLF or a bare CR. Row numbers in
// issues are those a spreadsheet shows when it opens the file. Errors are as for Parse.
func ParseCSV(r io.Reader, opt Options) (*Result, error) {
	if err := opt.check(); err != nil {
		return nil, err
	}
	src, err := decodeText(r)
	if err != nil {
		return nil, err
	}
	br := bufio.NewReaderSize(&crReader{r: src}, 64<<10)
	head, err := br.Peek(64 << 10)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, fmt.Errorf("read CSV: %w", err)
	}
	if bytes.HasPrefix(head, zipMagic) {
		return nil, wellbase.Errorf(wellbase.EInvalid, "the content is a zip file (an XLSX workbook?), not CSV")
	}
	if err := sniffBinary(head); err != nil {
		return nil, err
	}
	if bytes.IndexByte(head, 0) >= 0 {
		return nil, notSpreadsheet("binary data")
	}
	delim := detectDelimiter(head)

	cr := csv.NewReader(br)
	cr.Comma = delim
	cr.LazyQuotes = true
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true

	b := newBuilder(FormatCSV, opt)
	s := newSheet(b, "", false, delim != ',')
	extra := 0 // lines taken by line breaks inside quoted fields so far
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				return nil, fmt.Errorf("read CSV: %w", err)
			}
			if !s.found {
				return nil, wellbase.Errorf(wellbase.EInvalid, "not a readable CSV file: line %d: %v", pe.Line, pe.Err)
			}
			b.rowsRead++
			s.info.RowsRead++
			b.issue(s.idx, Issue{Row: pe.StartLine - extra, Kind: IssueBadRow,
				Message: fmt.Sprintf("row skipped: %v", pe.Err)})
			continue
		}
		line, _ := cr.FieldPos(0)
		n := line - extra
		for _, f := range rec {
			extra += strings.Count(f, "\n")
		}
		if !s.row(n, rec) {
			break
		}
	}
	s.end()
	return b.finish()
}

// decodeText returns r as UTF-8 without a byte-order mark: UTF-16 (with a BOM) is decoded, and
// text whose first 64 KiB are not valid UTF-8 is read as Windows-1252.
func decodeText(r io.Reader) (io.Reader, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	head, err := br.Peek(64 << 10)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, fmt.Errorf("read CSV: %w", err)
	}
	switch {
	case bytes.HasPrefix(head, []byte("\xef\xbb\xbf")):
		br.Discard(3)
		return br, nil
	case bytes.HasPrefix(head, []byte("\xff\xfe")), bytes.HasPrefix(head, []byte("\xfe\xff")):
		all, err := io.ReadAll(br)
		if err != nil {
			return nil, fmt.Errorf("read CSV: %w", err)
		}
		return bytes.NewReader(decodeUTF16(all)), nil
	case !validUTF8Prefix(head):
		return &cp1252Reader{r: br}, nil
	}
	return br, nil
}

// decodeUTF16 decodes UTF-16 text that starts with its byte-order mark.
func decodeUTF16(b []byte) []byte {
	big := b[0] == 0xfe
	b = b[2:]
	u := make([]uint16, len(b)/2)
	for i := range u {
		if big {
			u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
		} else {
			u[i] = uint16(b[2*i+1])<<8 | uint16(b[2*i])
		}
	}
	return []byte(string(utf16.Decode(u)))
}

// validUTF8Prefix reports whether b is valid UTF-8, allowing a rune cut at its end.
func validUTF8Prefix(b []byte) bool {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			return !utf8.FullRune(b[i:])
		}
		i += size
	}
	return true
}

// cp1252 maps the bytes 0x80–0x9F of Windows-1252; the other bytes are Latin-1.
var cp1252 = [32]rune{'€', 0x81, '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', 0x8d, 'Ž', 0x8f,
	0x90, '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', 0x9d, 'ž', 'Ÿ'}

// cp1252Reader decodes Windows-1252 to UTF-8.
type cp1252Reader struct {
	r   io.Reader
	buf []byte
	out []byte
}

func (c *cp1252Reader) Read(p []byte) (int, error) {
	if len(c.out) == 0 {
		if cap(c.buf) == 0 {
			c.buf = make([]byte, 16<<10)
		}
		n, err := c.r.Read(c.buf[:cap(c.buf)])
		c.out = c.out[:0]
		for _, b := range c.buf[:n] {
			switch {
			case b < 0x80:
				c.out = append(c.out, b)
			case b < 0xa0:
				c.out = utf8.AppendRune(c.out, cp1252[b-0x80])
			default:
				c.out = utf8.AppendRune(c.out, rune(b))
			}
		}
		if len(c.out) == 0 {
			return 0, err
		}
	}
	n := copy(p, c.out)
	c.out = c.out[n:]
	return n, nil
}

// crReader turns bare CR line endings (old Mac, some exports) into LF; CRLF becomes LF.
type crReader struct {
	r      io.Reader
	prevCR bool
}

func (c *crReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	j := 0
	for i := 0; i < n; i++ {
		b := p[i]
		if b == '\n' && c.prevCR {
			c.prevCR = false
			continue
		}
		c.prevCR = b == '\r'
		if b == '\r' {
			b = '\n'
		}
		p[j] = b
		j++
	}
	return j, err
}

// detectDelimiter picks comma, semicolon or tab: the one that splits the most of the first lines
// into the same number (> 1) of fields, ties going to the larger number of fields, then to comma.
func detectDelimiter(head []byte) rune {
	var lines [][]byte
	for len(head) > 0 && len(lines) < 30 {
		i := bytes.IndexByte(head, '\n')
		if i < 0 {
			lines = append(lines, head) // the last line may be cut
			break
		}
		if l := bytes.TrimSpace(head[:i]); len(l) > 0 {
			lines = append(lines, l)
		}
		head = head[i+1:]
	}
	best, bestFreq, bestFields := ',', 0, 0
	for _, d := range [...]byte{',', ';', '\t'} {
		counts := map[int]int{}
		for _, l := range lines {
			counts[fieldCount(l, d)]++
		}
		freq, fields := 0, 0
		for f, c := range counts {
			if f > 1 && (c > freq || (c == freq && f > fields)) {
				freq, fields = c, f
			}
		}
		if freq > bestFreq || (freq == bestFreq && fields > bestFields) {
			best, bestFreq, bestFields = rune(d), freq, fields
		}
	}
	return best
}

// fieldCount counts the fields of a line split at d outside double quotes.
func fieldCount(l []byte, d byte) int {
	n, quoted := 1, false
	for _, c := range l {
		switch {
		case c == '"':
			quoted = !quoted
		case c == d && !quoted:
			n++
		}
	}
	return n
}
