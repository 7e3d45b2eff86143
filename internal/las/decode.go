package las

import (
	"bufio"
	"bytes"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// sniffSize is how many leading bytes decide the encoding and the line ending.
const sniffSize = 64 << 10

// source is the decoded text of a file and what was learned about its bytes.
type source struct {
	r        io.Reader // decoded UTF-8 text
	encoding string    // "UTF-8", "UTF-8 BOM", "UTF-16LE", "UTF-16BE", "Windows-1252"
	crOnly   bool      // lines end with a bare CR (old Mac files)
	// bytesPerChar is 2 for UTF-16 input, 1 otherwise: it turns a byte count into a length
	// of decoded text for sizing the columns.
	bytesPerChar int
}

// decodeSource decides how r's bytes are to be read: by the byte-order mark if there is one,
// then by the pattern of NUL bytes that UTF-16 text without a mark shows, then by whether the
// first 64 KiB (the header, and more) are valid UTF-8; when they are not, the text is
// Windows-1252 (a superset of the printable Latin-1 characters). CWLS LAS 2.0 §3 allows only
// ASCII; these are what real files carry instead.
//
// It rejects a binary LiDAR file ("LASF", ASPRS LAS) at once.
func decodeSource(r io.Reader, size int64) (*source, error) {
	n := sniffSize
	if size >= 0 && size+16 < int64(n) {
		n = int(size) + 16 // a small input needs no 64 KiB buffer
	}
	br := bufio.NewReaderSize(r, n)
	head, err := br.Peek(n)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return nil, err
	}
	if bytes.HasPrefix(head, []byte("LASF")) {
		return nil, &ParseError{Msg: `this is a binary LiDAR point-cloud file (ASPRS LAS, it begins with "LASF"), not a Log ASCII Standard well log`}
	}
	src := &source{bytesPerChar: 1}
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		src.encoding = "UTF-8 BOM"
		_, _ = br.Discard(3)
		head = head[3:]
		src.r = br
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		src.encoding, src.bytesPerChar = "UTF-16LE", 2
		src.r = transform.NewReader(br, unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewDecoder())
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		src.encoding, src.bytesPerChar = "UTF-16BE", 2
		src.r = transform.NewReader(br, unicode.UTF16(unicode.BigEndian, unicode.UseBOM).NewDecoder())
	default:
		if e := utf16Guess(head); e != "" {
			src.encoding, src.bytesPerChar = e, 2
			end := unicode.LittleEndian
			if e == "UTF-16BE" {
				end = unicode.BigEndian
			}
			src.r = transform.NewReader(br, unicode.UTF16(end, unicode.IgnoreBOM).NewDecoder())
		} else if validUTF8Prefix(head[:headerEnd(head)]) {
			src.encoding = "UTF-8"
			src.r = br
		} else {
			src.encoding = "Windows-1252"
			src.r = transform.NewReader(br, charmap.Windows1252.NewDecoder())
		}
	}
	if src.bytesPerChar == 1 {
		src.crOnly = crOnly(head)
	} else {
		src.crOnly = crOnly16(head, src.encoding)
	}
	return src, nil
}

// utf16Guess recognises UTF-16 without a byte-order mark by its NUL bytes: ASCII text in
// UTF-16LE has a NUL in every odd byte, in UTF-16BE in every even one.
func utf16Guess(head []byte) string {
	n := len(head)
	if n > 1024 {
		n = 1024
	}
	n &^= 1
	if n < 4 {
		return ""
	}
	var even, odd int
	for i := 0; i < n; i += 2 {
		if head[i] == 0 {
			even++
		}
		if head[i+1] == 0 {
			odd++
		}
	}
	pairs := n / 2
	switch {
	case odd*10 >= pairs*7 && even*10 < pairs:
		return "UTF-16LE"
	case even*10 >= pairs*7 && odd*10 < pairs:
		return "UTF-16BE"
	}
	return ""
}

// headerEnd returns where the header ends in head: at the first data section title (~A…, or a
// LAS 3.0 title with "DATA" in its name), len(head) when there is none in it.
func headerEnd(head []byte) int {
	for i := 0; i < len(head); {
		j := i
		for j < len(head) && (head[j] == ' ' || head[j] == '\t') {
			j++
		}
		if j+1 < len(head) && head[j] == '~' {
			name := head[j+1:]
			if k := bytes.IndexAny(name, " \t\r\n|"); k >= 0 {
				name = name[:k]
			}
			if len(name) > 0 && (name[0] == 'A' || name[0] == 'a' || bytes.Contains(bytes.ToUpper(name), []byte("_DATA"))) {
				return i
			}
		}
		k := bytes.IndexAny(head[i:], "\r\n")
		if k < 0 {
			break
		}
		i += k + 1
	}
	return len(head)
}

// validUTF8Prefix reports whether head is valid UTF-8, ignoring a multi-byte sequence cut off
// at its end.
func validUTF8Prefix(head []byte) bool {
	if utf8.Valid(head) {
		return true
	}
	// Drop an incomplete trailing sequence (at most 3 bytes) and try again.
	for cut := 1; cut <= 3 && cut < len(head); cut++ {
		if utf8.RuneStart(head[len(head)-cut]) {
			return utf8.Valid(head[:len(head)-cut])
		}
	}
	return false
}

// crOnly reports whether the first line ending in head is a bare CR.
func crOnly(head []byte) bool {
	i := bytes.IndexAny(head, "\r\n")
	return i >= 0 && head[i] == '\r' && (i+1 >= len(head) || head[i+1] != '\n')
}

// crOnly16 is crOnly for UTF-16 text.
func crOnly16(head []byte, enc string) bool {
	lo := 0
	if enc == "UTF-16BE" {
		lo = 1
	}
	for i := 0; i+1 < len(head); i += 2 {
		if head[i+1-lo] != 0 {
			continue
		}
		switch head[i+lo] {
		case '\n':
			return false
		case '\r':
			j := i + 2
			return j+1 >= len(head) || !(head[j+lo] == '\n' && head[j+1-lo] == 0)
		}
	}
	return false
}

// decodeLatin1Line turns a line that is not valid UTF-8 into UTF-8, reading its bytes as
// Windows-1252. It is used for the rare header line past the first 64 KiB of a file that was
// taken for UTF-8.
func decodeLatin1Line(b []byte) string {
	s, err := charmap.Windows1252.NewDecoder().Bytes(b)
	if err != nil {
		return string(bytes.ToValidUTF8(b, []byte("\uFFFD")))
	}
	return string(s)
}
