package las

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/wlynxg/chardet"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/ianaindex"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/encoding/unicode/utf32"
	"golang.org/x/text/transform"
)

// sniffSize is how many leading bytes decide the encoding and the line ending.
const sniffSize = 64 << 10

// source is the decoded text of a file and what was learned about its bytes.
type source struct {
	r io.Reader // decoded UTF-8 text
	// encoding names what the bytes were decoded from: "UTF-8", "UTF-8 BOM", "UTF-16LE",
	// "UTF-16BE", "UTF-32LE", "UTF-32BE", or a code page such as "Windows-1252",
	// "Windows-1251", "IBM866", "KOI8-R".
	encoding string
	// detected is true when encoding was found from the bytes, false when the caller gave it
	// (WithEncoding).
	detected bool
	crOnly   bool // lines end with a bare CR (old Mac files)
	// bytesPerChar is 4 for UTF-32 input, 2 for UTF-16, 1 otherwise: it turns a byte count
	// into a length of decoded text for sizing the columns.
	bytesPerChar int
}

// decodeSource decides how r's bytes are to be read. With an encoding given (WithEncoding) the
// bytes are decoded as that, after a byte-order mark of the same family. Otherwise: by the
// byte-order mark if there is one (UTF-8, UTF-32 LE/BE, UTF-16 LE/BE), then by the pattern of
// NUL bytes that UTF-32 and UTF-16 text without a mark show, then by whether the header (the
// text before the first data section, within the first 64 KiB) is valid UTF-8; when it is not,
// the code page is detected ([detectCodePage]): a Cyrillic one (Windows-1251, IBM866 alias
// CP866, KOI8-R, ISO-8859-5), a CJK one, or else Windows-1252 (a superset of the printable
// Latin-1 characters). CWLS LAS 2.0 §3 allows only ASCII; these are what real files carry
// instead.
//
// It rejects a binary LiDAR file ("LASF", ASPRS LAS) at once, and an encoding name it does not
// know.
func decodeSource(r io.Reader, size int64, given string) (*source, error) {
	var forced *textEncoding
	if given != "" {
		te, err := lookupEncoding(given)
		if err != nil {
			return nil, err
		}
		forced = te
	}
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
	te := forced
	bom := 0
	if te == nil {
		te, bom = byBOM(head)
	} else if b := bomLen(head, te); b > 0 {
		bom = b
	}
	if te == nil {
		te = byNULs(head)
	}
	if te == nil {
		if h := head[:headerEnd(head)]; validUTF8Prefix(h) && (!isASCII(h) || validUTF8Prefix(head)) {
			// A header that is UTF-8 beyond ASCII decides; an ASCII header decides only
			// when the text after it (text columns) is UTF-8 too.
			te = &utf8Text
		} else {
			te = detectCodePage(head)
		}
	}
	src := &source{encoding: te.name, detected: forced == nil, bytesPerChar: te.width}
	if bom > 0 {
		_, _ = br.Discard(bom)
		head = head[bom:]
		if te == &utf8Text && forced == nil {
			src.encoding = "UTF-8 BOM"
		}
	}
	switch {
	case te.enc == nil: // UTF-8: no transform
		src.r = br
		src.crOnly = crOnly(head)
	case te.width == 2:
		src.r = transform.NewReader(br, te.enc.NewDecoder())
		src.crOnly = crOnly16(head, te.name)
	default:
		src.r = transform.NewReader(br, te.enc.NewDecoder())
		dec, _ := te.enc.NewDecoder().Bytes(head[:len(head)&^3]) // errors: only a cut last character
		src.crOnly = crOnly(dec)
	}
	return src, nil
}

// textEncoding is an encoding [Read] can decode: its reported name, its decoder (nil for UTF-8,
// which is read as it is) and the bytes per character of ASCII text in it.
type textEncoding struct {
	name  string
	enc   encoding.Encoding
	width int
}

var (
	utf8Text    = textEncoding{"UTF-8", nil, 1}
	utf16LE     = textEncoding{"UTF-16LE", unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), 2}
	utf16BE     = textEncoding{"UTF-16BE", unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), 2}
	utf32LE     = textEncoding{"UTF-32LE", utf32.UTF32(utf32.LittleEndian, utf32.IgnoreBOM), 4}
	utf32BE     = textEncoding{"UTF-32BE", utf32.UTF32(utf32.BigEndian, utf32.IgnoreBOM), 4}
	windows1252 = textEncoding{"Windows-1252", charmap.Windows1252, 1}
)

// byBOM returns the encoding a byte-order mark names and the mark's length; UTF-32 is tried
// before UTF-16, whose little-endian mark begins the UTF-32 one.
func byBOM(head []byte) (*textEncoding, int) {
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		return &utf8Text, 3
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE, 0, 0}):
		return &utf32LE, 4
	case bytes.HasPrefix(head, []byte{0, 0, 0xFE, 0xFF}):
		return &utf32BE, 4
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		return &utf16LE, 2
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		return &utf16BE, 2
	}
	return nil, 0
}

// bomLen returns the length of a byte-order mark at the start of head that belongs to te (a
// given encoding), 0 if there is none: a UTF-16 mark before UTF-16 text is not text.
func bomLen(head []byte, te *textEncoding) int {
	if b, n := byBOM(head); b != nil && b.width == te.width && (b.enc == nil) == (te.enc == nil) {
		return n
	}
	return 0
}

// byNULs recognises UTF-32 and UTF-16 without a byte-order mark by their NUL bytes.
func byNULs(head []byte) *textEncoding {
	switch utf32Guess(head) {
	case "UTF-32LE":
		return &utf32LE
	case "UTF-32BE":
		return &utf32BE
	}
	switch utf16Guess(head) {
	case "UTF-16LE":
		return &utf16LE
	case "UTF-16BE":
		return &utf16BE
	}
	return nil
}

// codePage is a code page detectCodePage accepts, with the detector confidence it needs.
type codePage struct {
	textEncoding
	minConfidence float64
}

// codePages are the code pages detectCodePage accepts from the detector, by the detector's
// name: the Cyrillic ones of logs from Russian, Kazakh and other CIS service companies, and the
// CJK ones, which the detector recognises by their multi-byte structure but which Latin-1 text
// can pass for by chance when it is short (hence the higher confidence they need).
var codePages = map[string]codePage{
	"WINDOWS-1251": {textEncoding{"Windows-1251", charmap.Windows1251, 1}, 0},
	"IBM866":       {textEncoding{"IBM866", charmap.CodePage866, 1}, 0},
	"KOI8-R":       {textEncoding{"KOI8-R", charmap.KOI8R, 1}, 0},
	"ISO-8859-5":   {textEncoding{"ISO-8859-5", charmap.ISO8859_5, 1}, 0},
	"MACCYRILLIC":  {textEncoding{"x-mac-cyrillic", charmap.MacintoshCyrillic, 1}, 0},
	"IBM855":       {textEncoding{"IBM855", charmap.CodePage855, 1}, 0},
	"GB2312":       {textEncoding{"GB18030", simplifiedchinese.GB18030, 1}, 0.9},
	"BIG5":         {textEncoding{"Big5", traditionalchinese.Big5, 1}, 0.9},
	"SHIFT_JIS":    {textEncoding{"Shift_JIS", japanese.ShiftJIS, 1}, 0.9},
	"EUC-JP":       {textEncoding{"EUC-JP", japanese.EUCJP, 1}, 0.9},
	"EUC-KR":       {textEncoding{"EUC-KR", korean.EUCKR, 1}, 0.9},
}

// detectCodePage names the code page of text that is not UTF-8, with the universal charset
// detector (github.com/wlynxg/chardet, a Go port of Python's chardet, the detector the widely
// used Python LAS reader relies on too). It is given the header (the text before the first
// data section), or all of head when the header is ASCII and only text columns below it are
// not. For each Cyrillic code page the detector scores the frequencies of Russian letter pairs:
// on a LAS header (mnemonics and numbers in ASCII, names and descriptions in the code page) it
// tells Windows-1251 from IBM866 (CP866) and KOI8-R on a few dozen letters, where counting
// single letters does not (a common letter in one is a common letter in another). Latin answers
// (ISO-8859-1, Windows-1252, MacRoman, the Central European and Turkish pages) all read as
// Windows-1252, the superset of Latin-1 that Western files use: on a header the detector
// cannot tell these apart reliably, and the uploader can name the page when it matters.
func detectCodePage(head []byte) *textEncoding {
	h := head[:headerEnd(head)]
	if isASCII(h) {
		h = head
	}
	r := chardet.Detect(h)
	if cp, ok := codePages[strings.ToUpper(r.Encoding)]; ok && r.Confidence >= cp.minConfidence {
		return &cp.textEncoding
	}
	return &windows1252
}

// isASCII reports whether b holds only 7-bit bytes.
func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

// encodingNames are the names [EncodingName] gives for encodings it knows by another name.
var encodingNames = map[encoding.Encoding]string{
	charmap.Windows1252:       "Windows-1252",
	charmap.Windows1251:       "Windows-1251",
	charmap.Windows1250:       "Windows-1250",
	charmap.CodePage866:       "IBM866",
	charmap.CodePage855:       "IBM855",
	charmap.CodePage437:       "IBM437",
	charmap.KOI8R:             "KOI8-R",
	charmap.KOI8U:             "KOI8-U",
	charmap.ISO8859_1:         "ISO-8859-1",
	charmap.ISO8859_5:         "ISO-8859-5",
	charmap.MacintoshCyrillic: "x-mac-cyrillic",
	simplifiedchinese.GB18030: "GB18030",
	simplifiedchinese.GBK:     "GBK",
	traditionalchinese.Big5:   "Big5",
	japanese.ShiftJIS:         "Shift_JIS",
	japanese.EUCJP:            "EUC-JP",
	korean.EUCKR:              "EUC-KR",
}

// lookupEncoding finds an encoding by a name a user would give: a WHATWG label ("cp1251",
// "windows-1251", "cp866", "ibm866", "koi8-r", "latin1", "utf-16le", "gbk") or an IANA name
// ("IBM866", "ISO-8859-5"), ignoring case; "utf-32le" and "utf-32be" too.
func lookupEncoding(name string) (*textEncoding, error) {
	n := strings.ToLower(strings.TrimSpace(name))
	switch strings.ReplaceAll(n, "_", "-") {
	case "utf-8", "utf8", "utf-8 bom": // "UTF-8 BOM" is what Read reports for UTF-8 with a mark
		return &utf8Text, nil
	case "utf-16le", "utf16le", "utf-16", "utf16", "ucs-2", "ucs2":
		return &utf16LE, nil
	case "utf-16be", "utf16be":
		return &utf16BE, nil
	case "utf-32le", "utf32le", "utf-32", "utf32":
		return &utf32LE, nil
	case "utf-32be", "utf32be":
		return &utf32BE, nil
	}
	enc, err := htmlindex.Get(n)
	if err != nil || enc == nil {
		enc, err = ianaindex.IANA.Encoding(n)
	}
	if err != nil || enc == nil || enc == encoding.Replacement {
		return nil, &ParseError{Msg: fmt.Sprintf("unknown character encoding %q: give a name such as windows-1251, cp866, koi8-r, windows-1252, utf-8 or utf-16le", clip(name, 40))}
	}
	switch iana, _ := ianaindex.IANA.Name(enc); iana {
	case "UTF-8":
		return &utf8Text, nil
	case "UTF-16", "UTF-16LE":
		return &utf16LE, nil
	case "UTF-16BE":
		return &utf16BE, nil
	}
	display, ok := encodingNames[enc]
	if !ok {
		if display, err = ianaindex.IANA.Name(enc); err != nil || display == "" {
			display = strings.ToUpper(n)
		}
	}
	return &textEncoding{name: display, enc: enc, width: 1}, nil
}

// EncodingName checks a character-encoding name a user gave ([WithEncoding], `wellbase las
// check --encoding`, the upload API's ?encoding=) and returns the name [Read] reports for it
// ("cp1251" is "Windows-1251", "cp866" is "IBM866"). The error, a *[ParseError] that says what
// names are accepted, is returned for a name it does not know.
func EncodingName(name string) (string, error) {
	te, err := lookupEncoding(name)
	if err != nil {
		return "", err
	}
	return te.name, nil
}

// utf32Guess recognises UTF-32 without a byte-order mark by its NUL bytes: text of the Basic
// Multilingual Plane in UTF-32LE has NULs in the last two bytes of every four (and not in all
// of the first two), in UTF-32BE in the first two.
func utf32Guess(head []byte) string {
	n := min(len(head), 1024) &^ 3
	if n < 8 {
		return ""
	}
	var le, be int
	for i := 0; i < n; i += 4 {
		if head[i+2] == 0 && head[i+3] == 0 && (head[i] != 0 || head[i+1] != 0) {
			le++
		}
		if head[i] == 0 && head[i+1] == 0 && (head[i+2] != 0 || head[i+3] != 0) {
			be++
		}
	}
	quads := n / 4
	switch {
	case le*10 >= quads*9:
		return "UTF-32LE"
	case be*10 >= quads*9:
		return "UTF-32BE"
	}
	return ""
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
