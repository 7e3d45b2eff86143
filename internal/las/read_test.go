package las

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"math"
	"strings"
	"testing"
	"unicode/utf16"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
)

// lasText is a small LAS 2.0 file with non-ASCII text in its header (° and Ø).
const lasText = `~VERSION INFORMATION
 VERS.   2.0 : CWLS LOG ASCII STANDARD - VERSION 2.0
 WRAP.   NO  : ONE LINE PER DEPTH STEP
~WELL INFORMATION
 STRT.M   100.0 : START DEPTH
 STOP.M   101.0 : STOP DEPTH
 STEP.M   0.5   : STEP
 NULL.    -999.25 : NULL VALUE
 WELL.    ØRSTA 1 : WELL
~CURVE INFORMATION
 DEPT.M    : depth
 TEMP.°C   : temperature
~A
100.0  20.5
100.5  -999.25
101.0  21.5
`

func readString(tb testing.TB, s string) *File {
	tb.Helper()
	f, err := Read(strings.NewReader(s))
	if err != nil {
		tb.Fatal(err)
	}
	return f
}

func utf16Bytes(s string, order binary.ByteOrder, bom bool) []byte {
	var b bytes.Buffer
	u := utf16.Encode([]rune(s))
	if bom {
		u = append([]uint16{0xFEFF}, u...)
	}
	for _, c := range u {
		_ = binary.Write(&b, order, c)
	}
	return b.Bytes()
}

func TestReadEncodings(t *testing.T) {
	t.Parallel()
	cp1252, err := charmap.Windows1252.NewEncoder().String(lasText)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, encoding string
		in             []byte
	}{
		{"UTF8", "UTF-8", []byte(lasText)},
		{"UTF8BOM", "UTF-8 BOM", append([]byte{0xEF, 0xBB, 0xBF}, lasText...)},
		{"UTF16LEBOM", "UTF-16LE", utf16Bytes(lasText, binary.LittleEndian, true)},
		{"UTF16BEBOM", "UTF-16BE", utf16Bytes(lasText, binary.BigEndian, true)},
		{"UTF16LE", "UTF-16LE", utf16Bytes(lasText, binary.LittleEndian, false)},
		{"UTF16BE", "UTF-16BE", utf16Bytes(lasText, binary.BigEndian, false)},
		{"CP1252", "Windows-1252", []byte(cp1252)},
		{"UTF16LEBOMCRLF", "UTF-16LE", utf16Bytes(strings.ReplaceAll(lasText, "\n", "\r\n"), binary.LittleEndian, true)},
		{"UTF16BECR", "UTF-16BE", utf16Bytes(strings.ReplaceAll(lasText, "\n", "\r"), binary.BigEndian, true)},
		// The header decides: a Windows-1252 byte in the data does not make a UTF-8 header Latin-1.
		{"UTF8HeaderLatin1Data", "UTF-8", []byte(strings.Replace(lasText, "101.0  21.5", "101.0  21.5 \xb0", 1))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f, err := Read(bytes.NewReader(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if f.Encoding != tt.encoding {
				t.Errorf("encoding %q, want %q", f.Encoding, tt.encoding)
			}
			if w := f.Well.Value("WELL"); w != "ØRSTA 1" {
				t.Errorf("WELL %q", w)
			}
			if u := f.Curves[1].Unit; u != "°C" {
				t.Errorf("TEMP unit %q", u)
			}
			if f.Rows() != 3 {
				t.Fatalf("rows %d", f.Rows())
			}
			checkCurve(t, f, "TEMP", 2, 20.5, 21.5)
		})
	}
}

// lasCyrillic is a LAS 2.0 header in Russian, as service companies in Russia and Kazakhstan
// write them (issue 13 item 10), with a Cyrillic unit that holds dots.
const lasCyrillic = `~VERSION INFORMATION
 VERS.   2.0 : Версия LAS
 WRAP.   NO  : Одна строка на шаг
~WELL INFORMATION
 STRT.M   1000.0 : Начальная глубина
 STOP.M   1001.0 : Конечная глубина
 STEP.M   0.5    : Шаг
 NULL.    -999.25 : Пустое значение
 WELL.    Примерная-1 : Скважина
 COMP.    Нефтегазовая компания : Компания
~CURVE INFORMATION
 DEPT.M        : Глубина
 НГК .усл.ед.  : Нейтронный гамма-каротаж
~A
1000.0  2.5
1000.5  -999.25
1001.0  3.5
`

func encodeText(tb testing.TB, e encoding.Encoding, s string) []byte {
	tb.Helper()
	b, err := e.NewEncoder().Bytes([]byte(s))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func utf32Bytes(s string, order binary.ByteOrder, bom bool) []byte {
	var b bytes.Buffer
	if bom {
		_ = binary.Write(&b, order, uint32(0xFEFF))
	}
	for _, r := range s {
		_ = binary.Write(&b, order, uint32(r))
	}
	return b.Bytes()
}

// TestReadCyrillic: Cyrillic code pages are detected and decoded, not read as Windows-1252
// (issue 13 item 10), and the encoding can be given instead.
func TestReadCyrillic(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, encoding string
		in             []byte
		given          string
	}{
		{"Windows1251", "Windows-1251", encodeText(t, charmap.Windows1251, lasCyrillic), ""},
		{"CP866", "IBM866", encodeText(t, charmap.CodePage866, lasCyrillic), ""},
		{"KOI8R", "KOI8-R", encodeText(t, charmap.KOI8R, lasCyrillic), ""},
		{"UTF8", "UTF-8", []byte(lasCyrillic), ""},
		{"UTF32LEBOM", "UTF-32LE", utf32Bytes(lasCyrillic, binary.LittleEndian, true), ""},
		{"UTF32BEBOM", "UTF-32BE", utf32Bytes(lasCyrillic, binary.BigEndian, true), ""},
		{"UTF32LE", "UTF-32LE", utf32Bytes(lasCyrillic, binary.LittleEndian, false), ""},
		{"UTF32BECR", "UTF-32BE", utf32Bytes(strings.ReplaceAll(lasCyrillic, "\n", "\r"), binary.BigEndian, true), ""},
		{"GivenCP1251", "Windows-1251", encodeText(t, charmap.Windows1251, lasCyrillic), "cp1251"},
		{"GivenCP866", "IBM866", encodeText(t, charmap.CodePage866, lasCyrillic), "CP866"},
		{"GivenUTF16LEWithBOM", "UTF-16LE", utf16Bytes(lasCyrillic, binary.LittleEndian, true), "utf-16le"},
		{"GivenUTF8WithBOM", "UTF-8", append([]byte{0xEF, 0xBB, 0xBF}, lasCyrillic...), "utf-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f, err := Read(bytes.NewReader(tt.in), WithEncoding(tt.given))
			if err != nil {
				t.Fatal(err)
			}
			if f.Encoding != tt.encoding || f.EncodingDetected != (tt.given == "") {
				t.Errorf("encoding %q detected %v, want %q %v", f.Encoding, f.EncodingDetected, tt.encoding, tt.given == "")
			}
			if w := f.Well.Value("WELL"); w != "Примерная-1" {
				t.Errorf("WELL %q, want Примерная-1", w)
			}
			if c := f.Curves[1]; c.Mnemonic != "НГК" || c.Unit != "усл.ед." || c.Description != "Нейтронный гамма-каротаж" {
				t.Errorf("curve %q unit %q description %q", c.Mnemonic, c.Unit, c.Description)
			}
			if f.Rows() != 3 {
				t.Fatalf("rows %d", f.Rows())
			}
			checkCurve(t, f, "НГК", 2, 2.5, 3.5)
			if s := Summarize(f); s.Encoding != tt.encoding {
				t.Errorf("summary encoding %q", s.Encoding)
			}
		})
	}
	t.Run("WesternTextStaysWindows1252", func(t *testing.T) {
		// The detector must not take Latin text for Cyrillic: Portuguese, German, Norwegian.
		t.Parallel()
		for _, well := range []string{"Poço 7-RJS-123 Petróleo Brasileiro, Bacia de Campos, Sônico",
			"Völkersen Z3 Süd, Wintershall Gesellschaft für Öl", "Nordsjøen blokk 15/9, operatør Ærlig Å", "BHT 180 °F µs/ft"} {
			in := encodeText(t, charmap.Windows1252, strings.Replace(lasText, "ØRSTA 1", well, 1))
			f, err := Read(bytes.NewReader(in))
			if err != nil {
				t.Fatal(err)
			}
			if f.Encoding != "Windows-1252" || f.Well.Value("WELL") != well {
				t.Errorf("encoding %s WELL %q, want Windows-1252 %q", f.Encoding, f.Well.Value("WELL"), well)
			}
		}
	})
	t.Run("WrongGivenEncodingIsWhatWasAskedFor", func(t *testing.T) {
		t.Parallel()
		f, err := Read(bytes.NewReader(encodeText(t, charmap.Windows1251, lasCyrillic)), WithEncoding("windows-1252"))
		if err != nil {
			t.Fatal(err)
		}
		if f.Encoding != "Windows-1252" || f.Well.Value("WELL") == "Примерная-1" {
			t.Errorf("encoding %q WELL %q", f.Encoding, f.Well.Value("WELL"))
		}
	})
	t.Run("UnknownEncoding", func(t *testing.T) {
		t.Parallel()
		_, err := Read(strings.NewReader(lasText), WithEncoding("klingon-1"), WithName("x.las"))
		var pe *ParseError
		if !errors.As(err, &pe) || !strings.Contains(pe.Msg, `"klingon-1"`) || !strings.Contains(pe.Msg, "windows-1251") {
			t.Errorf("error %v, want a ParseError naming the encoding and the accepted names", err)
		}
	})
}

func TestEncodingName(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"cp1251": "Windows-1251", "Windows-1251": "Windows-1251", "cp866": "IBM866",
		"ibm866": "IBM866", "koi8-r": "KOI8-R", "latin1": "Windows-1252", "UTF-8": "UTF-8", "utf-16be": "UTF-16BE",
		"utf-32le": "UTF-32LE", "iso-8859-5": "ISO-8859-5", "gbk": "GBK", "ibm437": "IBM437"} {
		got, err := EncodingName(in)
		if err != nil || got != want {
			t.Errorf("EncodingName(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	// Every name Read reports reads back as the same encoding (a stored log is re-read so).
	for _, name := range []string{"UTF-8", "UTF-8 BOM", "UTF-16LE", "UTF-16BE", "UTF-32LE", "UTF-32BE", "Windows-1252"} {
		if _, err := EncodingName(name); err != nil {
			t.Errorf("EncodingName(%q): %v", name, err)
		}
	}
	for _, cp := range codePages {
		if got, err := EncodingName(cp.name); err != nil || got != cp.name {
			t.Errorf("EncodingName(%q) = %q, %v", cp.name, got, err)
		}
	}
	for _, bad := range []string{"", "nope", "x-user-defined-2", "replacement"} {
		if got, err := EncodingName(bad); err == nil {
			t.Errorf("EncodingName(%q) = %q, want an error", bad, got)
		}
	}
}

func TestReadLineEndings(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"LF":           lasText,
		"CRLF":         strings.ReplaceAll(lasText, "\n", "\r\n"),
		"CR":           strings.ReplaceAll(lasText, "\n", "\r"),
		"NoFinalEOL":   strings.TrimSuffix(lasText, "\n"),
		"CtrlZ":        lasText + "\x1a",
		"CtrlZCRLF":    strings.ReplaceAll(lasText, "\n", "\r\n") + "\x1a",
		"CtrlZGarbage": lasText + "\x1a\x00\x01binary",
		"MixedCR":      strings.Replace(lasText, " WRAP.   NO  : ONE LINE PER DEPTH STEP\n", " WRAP.   NO  : ONE LINE PER DEPTH STEP\r", 1),
		"BlankLines":   strings.Replace(lasText, "100.5  -999.25\n", "\n100.5  -999.25\n\n   \n", 1),
		"Comments":     strings.Replace(lasText, "100.5  -999.25\n", "# a comment\n100.5  -999.25\n", 1),
	}
	for name, in := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := readString(t, in)
			if f.Rows() != 3 || f.Well.Value("WELL") != "ØRSTA 1" || f.Version != "2.0" || f.Wrap {
				t.Fatalf("rows %d well %q version %s wrap %v", f.Rows(), f.Well.Value("WELL"), f.Version, f.Wrap)
			}
			checkCurve(t, f, "TEMP", 2, 20.5, 21.5)
		})
	}
}

const wrapped = `~Version
 VERS. 2.0 :
 WRAP. YES :
~Well
 STRT.M 910.0 :
 STOP.M 909.875 :
 STEP.M -0.125 :
 NULL. -999.25 :
~Curve
 DEPT.M :
 A. :
 B. :
 C. :
 D. :
 E. :
~A
910.000
 1 2 3
 4 5
909.875
 -999.25 7 8
 9 10
`

func TestReadWrap(t *testing.T) {
	t.Parallel()
	f := readString(t, wrapped)
	if !f.Wrap || f.Rows() != 2 {
		t.Fatalf("wrap %v rows %d", f.Wrap, f.Rows())
	}
	checkCurve(t, f, "A", 1, 1, 1)
	checkCurve(t, f, "E", 2, 5, 10)
	if len(f.Warnings) != 0 {
		t.Errorf("warnings %v", f.Warnings)
	}

	t.Run("IncompleteLastRow", func(t *testing.T) {
		f := readString(t, strings.TrimSuffix(wrapped, " 9 10\n"))
		if f.Rows() != 2 || !f.Curve("E").IsNull(1) || len(f.Warnings) != 1 {
			t.Errorf("rows %d, warnings %v", f.Rows(), f.Warnings)
		}
	})
	t.Run("WrapNoButWrapped", func(t *testing.T) {
		f := readString(t, strings.Replace(wrapped, "WRAP. YES", "WRAP. NO", 1))
		if !f.Wrap || f.Rows() != 2 || samples(f.Curve("E")) != "5,10" || samples(f.Curve("A")) != "1,~" {
			t.Errorf("wrap %v rows %d E %s", f.Wrap, f.Rows(), samples(f.Curve("E")))
		}
		if len(f.Warnings) != 1 || f.Warnings[0].Line != 17 {
			t.Errorf("warnings %v", f.Warnings)
		}
	})
	t.Run("OneColumnOfMany", func(t *testing.T) {
		f := readString(t, data("D A B", "1\n2\n3\n"))
		if f.Wrap || f.Rows() != 3 || len(f.Warnings) != 1 || f.Warnings[0].Line != 11 {
			t.Errorf("wrap %v rows %d warnings %v", f.Wrap, f.Rows(), f.Warnings)
		}
	})
	t.Run("NoCurves", func(t *testing.T) {
		in := strings.Replace(wrapped, "~Curve\n DEPT.M :\n A. :\n B. :\n C. :\n D. :\n E. :\n", "", 1)
		_, err := Read(strings.NewReader(in))
		var pe *ParseError
		if !errors.As(err, &pe) || pe.Line != 9 || !strings.Contains(pe.Msg, "WRAP YES") {
			t.Errorf("error %v, want a ParseError on line 9 about WRAP YES", err)
		}
	})
}

// data returns a LAS 2.0 file with the curves and the data lines given.
func data(curves, lines string) string {
	var b strings.Builder
	b.WriteString("~V\n VERS. 2.0 :\n WRAP. NO :\n~W\n NULL. -999.25 :\n~C\n")
	for _, c := range strings.Fields(curves) {
		b.WriteString(" " + c + ". :\n")
	}
	b.WriteString("~A\n" + lines)
	return b.String()
}

func TestReadData(t *testing.T) {
	t.Parallel()
	type col struct {
		mnem string
		want string // samples joined by "," (NULL as "~"); "T:" prefix for text curves
	}
	tests := []struct {
		name     string
		in       string
		cols     []col
		warnLine int // a warning must name this line (0: no check)
		noWarn   bool
	}{
		{name: "NullValueAndTokens", in: data("D A B C", "1 -999.25 1.#INF NaN\n2 -1.#IND0000 #N/A (null)\n3 - -- ***\n"),
			cols: []col{{"A", "~,~,~"}, {"B", "~,~,~"}, {"C", "~,~,~"}}, noWarn: true},
		{name: "IndexNeverNulledByValue", in: data("D A", "-999.25 1\n2 -999.25\n"),
			cols: []col{{"D", "-999.25,2"}, {"A", "1,~"}}, noWarn: true},
		{name: "ShortRowNotShifted", in: data("D A B", "1 10 100\n2 20\n3 30 300\n"),
			cols: []col{{"A", "10,20,30"}, {"B", "100,~,300"}}, warnLine: 12},
		{name: "LongRowExtraIgnored", in: data("D A", "1 10\n2 20 99\n"),
			cols: []col{{"A", "10,20"}}, warnLine: 11},
		{name: "MoreCurvesThanColumns", in: data("D A B C", "1 10\n2 20\n"),
			cols: []col{{"A", "10,20"}, {"B", "~,~"}, {"C", "~,~"}}, warnLine: 12},
		{name: "MoreColumnsThanCurves", in: data("D", "1 10 100\n2 20 200\n"),
			cols: []col{{"UNKNOWN:1", "10,20"}, {"UNKNOWN:2", "100,200"}}, warnLine: 9},
		{name: "DuplicateMnemonics", in: data("D GR gr GR", "1 1 2 3\n"),
			cols: []col{{"GR:1", "1"}, {"gr:2", "2"}, {"GR:3", "3"}}, noWarn: true},
		{name: "CommaDelimitedIn20", in: data("D A B", "1,10,100\n2,,200\n3,30,\n"),
			cols: []col{{"A", "10,~,30"}, {"B", "100,200,~"}}, warnLine: 11},
		{name: "CommaDecimalMark", in: data("D A", "1 10.5\n2 20,25\n"),
			cols: []col{{"A", "10.5,20.25"}}, warnLine: 11},
		{name: "TextColumn", in: data("D DATE LITH", "1 2018-05-22 SAND\n2 2018-05-23 -999.25\n"),
			cols: []col{{"DATE", "T:2018-05-22,2018-05-23"}, {"LITH", "T:SAND,~"}}},
		{name: "TextAfterNumbers", in: data("D CODE", "1 12\n2 -999.25\n3 A7\n"),
			cols: []col{{"CODE", "T:12,~,A7"}}, warnLine: 12},
		{name: "QuotedText", in: data("D NAME X", "1 \"Heebner Shale\" 5\n2 \"\" 6\n"),
			cols: []col{{"NAME", "T:Heebner Shale,~"}, {"X", "5,6"}}, noWarn: true},
		{name: "RunTogether", in: data("D A B", "1 10.5 -999.25\n2 123.456-999.250\n"),
			cols: []col{{"A", "10.5,123.456"}, {"B", "~,~"}}, warnLine: 12},
		{name: "DateNotRunTogether", in: data("D A B", "1 2018-05-22 1\n2 2018-05-23\n"),
			cols: []col{{"A", "T:2018-05-22,2018-05-23"}, {"B", "1,~"}}, warnLine: 12},
		{name: "OneRowOneColumn", in: data("D", "5\n"), cols: []col{{"D", "5"}}, noWarn: true},
		{name: "DecreasingDepth", in: data("D A", "3 1\n2 2\n1 3\n"), cols: []col{{"D", "3,2,1"}}, noWarn: true},
		{name: "FortranExponent", in: data("D A", "1 1.5D+03\n"), cols: []col{{"A", "1500"}}, noWarn: true},
		{name: "CommentAfterValues", in: data("D A", "1 10 # checked\n2 #N/A\n"),
			cols: []col{{"A", "10,~"}}, warnLine: 10},
		{name: "LineOfDashes", in: data("D A", "1 10\n--------\n2 20\n"), cols: []col{{"A", "10,20"}}, warnLine: 11},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := readString(t, tt.in)
			for _, c := range tt.cols {
				cur := f.Curve(c.mnem)
				if cur == nil || cur.Mnemonic != c.mnem {
					t.Fatalf("no curve %s in %v", c.mnem, mnemonics(f))
				}
				if got := samples(cur); got != c.want {
					t.Errorf("%s = %s, want %s", c.mnem, got, c.want)
				}
			}
			if tt.noWarn && len(f.Warnings) > 0 {
				t.Errorf("warnings %v", f.Warnings)
			}
			if tt.warnLine > 0 {
				found := false
				for _, w := range f.Warnings {
					found = found || w.Line == tt.warnLine
				}
				if !found {
					t.Errorf("no warning names line %d: %v", tt.warnLine, f.Warnings)
				}
			}
		})
	}
}

func mnemonics(f *File) []string {
	var m []string
	for _, c := range f.Curves {
		m = append(m, c.Mnemonic)
	}
	return m
}

func samples(c *Curve) string {
	var parts []string
	for i := 0; i < c.Len(); i++ {
		switch {
		case c.IsNull(i):
			parts = append(parts, "~")
		case c.Kind == KindText:
			parts = append(parts, c.Text[i])
		default:
			parts = append(parts, fmtNum(c.Values[i]))
		}
	}
	s := strings.Join(parts, ",")
	if c.Kind == KindText {
		s = "T:" + s
	}
	return s
}

func TestReadHeader(t *testing.T) {
	t.Parallel()
	t.Run("LAS12Swap", func(t *testing.T) {
		f := readString(t, "~V\n VERS. 1.2 : \n WRAP. NO :\n~W\n STRT.M 10.0:\n NULL. -999.25:\n COMP. COMPANY: ACME OIL\n TVD.M 1670.0:\n~C\n DEPT.M :\n~A\n10\n")
		if f.Version != "1.2" {
			t.Errorf("version %s", f.Version)
		}
		if it, _ := f.Well.Get("COMP"); it.Value != "ACME OIL" || it.Description != "COMPANY" {
			t.Errorf("COMP %+v", it)
		}
		if v := f.Well.Value("STRT"); v != "10.0" {
			t.Errorf("STRT %q", v)
		}
		if v := f.Well.Value("TVD"); v != "1670.0" {
			t.Errorf("TVD %q (a number with nothing after the colon is not swapped)", v)
		}
	})
	t.Run("StepZeroRegular", func(t *testing.T) {
		f := readString(t, "~V\n VERS. 2.0 :\n~W\n STRT.M 1 :\n STOP.M 1.3 :\n STEP.M 0 :\n~C\n DEPT.M :\n~A\n1\n1.1\n1.2\n1.3\n")
		s := Summarize(f)
		if s.Index.Step != 0.1 {
			t.Errorf("index step %v, want 0.1", s.Index.Step)
		}
		if len(f.Warnings) == 0 || f.Warnings[0].Line != 6 || !strings.Contains(f.Warnings[0].Message, "regularly sampled at 0.1") {
			t.Errorf("warnings %v", f.Warnings)
		}
	})
	t.Run("StopDisagrees", func(t *testing.T) {
		f := readString(t, "~V\n VERS. 2.0 :\n WRAP. NO :\n~W\n STRT.M 1 :\n STOP.M 9 :\n STEP.M 1 :\n~C\n DEPT.M :\n~A\n1\n2\n")
		if len(f.Warnings) != 1 || f.Warnings[0].Line != 6 {
			t.Errorf("warnings %v", f.Warnings)
		}
	})
	t.Run("MissingVersion", func(t *testing.T) {
		f := readString(t, "~C\n DEPT.M :\n~A\n1\n")
		if f.Version != "2.0" || f.Rows() != 1 || len(f.Warnings) == 0 {
			t.Errorf("version %s rows %d warnings %v", f.Version, f.Rows(), f.Warnings)
		}
		if !math.IsNaN(f.Null) {
			t.Errorf("NULL %v without a NULL item", f.Null)
		}
	})
	t.Run("HeaderOnly", func(t *testing.T) {
		f := readString(t, "~V\n VERS. 2.0 :\n~C\n DEPT.M :\n GR.GAPI :\n")
		if f.Rows() != 0 || len(f.Curves) != 2 || f.Curves[1].Values == nil {
			t.Errorf("rows %d curves %d", f.Rows(), len(f.Curves))
		}
	})
	t.Run("UserSectionAndOther", func(t *testing.T) {
		f := readString(t, "~V\n VERS. 2.0 :\n~SPECIAL\n MATR. SAND : matrix\n~O\nline one\n\n  line two\n~C\n DEPT.M :\n~A\n1\n")
		if s := f.Section("SPECIAL"); s == nil || s.Items.Value("MATR") != "SAND" || s.Kind != SectionOther {
			t.Errorf("section %+v", s)
		}
		if f.Other != "line one\n\nline two" {
			t.Errorf("other %q", f.Other)
		}
	})
}

func TestReadRejects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in string
		line     int
		msg      string
	}{
		{"Empty", "", 0, "empty input"},
		{"LiDAR", "LASF\x00\x00\x01\x02 binary point cloud", 0, "LiDAR"},
		{"NotLAS", "100.0, 0.63, 302.19\n200.0, 0.50, 284.62\n", 1, "section title"},
		{"NUL", "~V\n VERS. 2.0 :\n~A\n1 2\x003\n", 4, "NUL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := Read(strings.NewReader(tt.in), WithName("x.las"))
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v, want a *ParseError", err)
			}
			if pe.Line != tt.line || pe.Name != "x.las" || !strings.Contains(pe.Msg, tt.msg) {
				t.Errorf("error %q (line %d), want line %d and %q", err, pe.Line, tt.line, tt.msg)
			}
			if !strings.HasPrefix(err.Error(), "x.las: ") {
				t.Errorf("error %q does not name the file", err)
			}
		})
	}
}

type errReader struct{ n int }

func (r *errReader) Read(p []byte) (int, error) {
	if r.n <= 0 {
		return 0, errors.New("connection reset")
	}
	n := min(len(p), r.n)
	for i := range n {
		p[i] = "1 2\n"[i%4]
	}
	r.n -= n
	return n, nil
}

func TestReadSourceError(t *testing.T) {
	t.Parallel()
	in := io.MultiReader(strings.NewReader("~V\n VERS. 2.0 :\n~C\n A. :\n B. :\n~A\n"), &errReader{n: 100000})
	_, err := Read(in, WithName("up.las"))
	if err == nil || !strings.Contains(err.Error(), "connection reset") || !strings.Contains(err.Error(), "up.las") {
		t.Errorf("error %v", err)
	}
}

// TestReadSizeHint checks that a wrong size hint costs nothing but memory.
func TestReadSizeHint(t *testing.T) {
	t.Parallel()
	for _, hint := range []int64{1, 100, 1 << 40} {
		f, err := Read(strings.NewReader(lasText), WithSizeHint(hint))
		if err != nil || f.Rows() != 3 {
			t.Errorf("hint %d: rows %d, %v", hint, f.Rows(), err)
		}
	}
}

// TestReadHugeLine: a first data line with more values than any log has columns is cut at
// maxColumns instead of allocating a curve for each value.
func TestReadHugeLine(t *testing.T) {
	t.Parallel()
	line := strings.Repeat("1 ", maxColumns+5000)
	f := readString(t, data("D", line+"\n"+line+"\n"))
	if len(f.Curves) != maxColumns || f.Rows() != 2 {
		t.Fatalf("%d curves, %d rows", len(f.Curves), f.Rows())
	}
	if len(f.Warnings) == 0 {
		t.Error("no warning")
	}
}

// header3 is ~V, ~W and a ~C of three curves; rows3 is ten rows of them.
const (
	header3 = "~VERSION INFORMATION\n VERS.   2.0 : CWLS LOG ASCII STANDARD - VERSION 2.0\n WRAP.   NO  : ONE LINE PER DEPTH STEP\n" +
		"~WELL INFORMATION\n STRT.M 1000.0 : START DEPTH\n STOP.M 1004.5 : STOP DEPTH\n STEP.M 0.5 : STEP\n NULL.  -999.25 : NULL VALUE\n WELL.  SYN-1 : WELL\n" +
		"~CURVE INFORMATION\n DEPT.M : 1 DEPTH\n GR.GAPI : 2 GAMMA RAY\n RHOB.G/C3 : 3 BULK DENSITY\n"
	rows3 = "   1000.00    50.000    2.3000\n   1000.50    51.000    2.3100\n   1001.00    52.000    2.3200\n" +
		"   1001.50    53.000    2.3300\n   1002.00    54.000    2.3400\n   1002.50    55.000    2.3500\n" +
		"   1003.00    56.000    2.3600\n   1003.50    57.000    2.3700\n   1004.00    58.000    2.3800\n" +
		"   1004.50    59.000    2.3900\n"
)

// warnedAt reports whether a warning names line ln and contains text.
func warnedAt(f *File, ln int, text string) bool {
	for _, w := range f.Warnings {
		if w.Line == ln && strings.Contains(w.Message, text) {
			return true
		}
	}
	return false
}

// TestReadRepeatedHeader: a header written twice defines each curve once (issue 13 item 7).
func TestReadRepeatedHeader(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in string
		curves   string
		warnLine int
		warn     string
	}{
		{"WholeHeaderTwice", header3 + header3 + "~A  DEPT GR RHOB\n" + rows3, "DEPT GR RHOB", 23, "read as one definition"},
		{"CurveSectionTwice", header3 + "~C\n DEPT.M : depth\n GR.GAPI : gamma\n RHOB.G/C3 : density\n~A\n" + rows3, "DEPT GR RHOB", 14, "read as one definition"},
		{"SecondAddsACurve", header3 + "~C\n dept.M : depth\n NPHI.V/V : neutron\n~A\n" + strings.ReplaceAll(rows3, "0\n", "0 0.25\n"),
			"DEPT GR RHOB NPHI", 14, "the 1 curves it repeats were read as one definition, the 1 new ones added"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := readString(t, tt.in)
			if got := strings.Join(mnemonics(f), " "); got != tt.curves || f.Rows() != 10 {
				t.Errorf("curves %s rows %d, want %s and 10 rows", got, f.Rows(), tt.curves)
			}
			checkCurve(t, f, "GR", 10, 50, 59)
			if !warnedAt(f, tt.warnLine, tt.warn) {
				t.Errorf("no warning on line %d about %q: %v", tt.warnLine, tt.warn, f.Warnings)
			}
			if n := len(f.Well); n != 5 {
				t.Errorf("%d ~W items, want the 5 written (repeats read once)", n)
			}
		})
	}
}

// TestReadMissingDataTitle: data lines are never curves (issue 13 item 9). A data section whose
// title line is missing or unreadable starts at its first data line, which a warning names.
func TestReadMissingDataTitle(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in string
		warnLine int
	}{
		{"NoTitleLine", header3 + rows3, 14},
		{"TitleWithoutTilde", header3 + "A  DEPT GR RHOB\n" + rows3, 15},
		{"AfterParameters", header3 + "~P\n BS.MM 200 : bit size\n" + rows3, 16},
		{"CommaDelimited", header3 + strings.ReplaceAll(strings.ReplaceAll(rows3, "    ", ","), "   1", "1"), 14},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := readString(t, tt.in)
			if got := strings.Join(mnemonics(f), " "); got != "DEPT GR RHOB" || f.Rows() != 10 {
				t.Fatalf("curves %s rows %d, want DEPT GR RHOB and 10 rows", got, f.Rows())
			}
			checkCurve(t, f, "RHOB", 10, 2.3, 2.39)
			if !warnedAt(f, tt.warnLine, "data section") {
				t.Errorf("no warning names line %d: %v", tt.warnLine, f.Warnings)
			}
			sameCheck(t, []byte(tt.in))
		})
	}
	t.Run("DataLineAfterTheLog", func(t *testing.T) {
		t.Parallel()
		in := header3 + "~A\n" + rows3 + "~P\n BS.MM 200 : bit size\n 1005.0 60.0 2.4\n"
		f := readString(t, in)
		if f.Rows() != 10 || len(f.Curves) != 3 || len(f.Sections) != 1 || len(f.Sections[0].Items) != 1 {
			t.Errorf("rows %d curves %v sections %+v", f.Rows(), mnemonics(f), f.Sections)
		}
		if !warnedAt(f, 27, "line of data") {
			t.Errorf("no warning names line 27: %v", f.Warnings)
		}
	})
	t.Run("NamelessTitleKeepsItsLinesAsText", func(t *testing.T) {
		// "~   DEPTH GR RHOB": a title with no name is not a data section title (CWLS LAS 2.0
		// §5.1), as the reference reader reads it too; its lines are kept as text, never curves.
		t.Parallel()
		f := readString(t, header3+"~   DEPTH  GR  RHOB\n"+rows3)
		if got := strings.Join(mnemonics(f), " "); got != "DEPT GR RHOB" || f.Rows() != 0 {
			t.Errorf("curves %s rows %d", got, f.Rows())
		}
		if !warnedAt(f, 14, "no name after the tilde") {
			t.Errorf("warnings %v", f.Warnings)
		}
	})
}

// TestReadRunOn: fixed-width values that ran together are split where the column layout says
// so, else read as NULL with a warning; a numeric curve never becomes text because of them
// (issue 13 item 12).
func TestReadRunOn(t *testing.T) {
	t.Parallel()
	fixed := func(rows ...string) string {
		return "~V\n VERS. 2.0 :\n WRAP. NO :\n~W\n NULL. -999.25 :\n~C\n DEPT.M :\n CALI.IN :\n GR.GAPI :\n RHOB.G/C3 :\n~A\n" +
			strings.Join(rows, "\n") + "\n"
	}
	tests := []struct {
		name     string
		in       string
		cols     map[string]string // curve -> samples ("~" NULL)
		warnLine int
		warn     string
	}{
		{"SplitByDecimalsAndColumnEnds", fixed(
			"   1000.00  7.020000   130.000    2.3000",
			"   1000.50  7.021000   131.000    2.3100",
			"   1001.00  7.020101130.188    2.3200",
			"   1001.50  7.023000   133.000    2.3300"),
			map[string]string{"CALI": "7.02,7.021,7.020101,7.023", "GR": "130,131,130.188,133", "RHOB": "2.3,2.31,2.32,2.33"},
			14, `read as 7.020101 and 130.188`},
		{"FieldFilledToItsStart", fixed(
			"    7686.000     9.207  4648.011    10.609",
			"    7685.500     7.020101130.188    10.560",
			"    7685.000     7.330-19508.961    10.424"),
			map[string]string{"CALI": "9.207,7.02,7.33", "GR": "4648.011,101130.188,-19508.961", "RHOB": "10.609,10.56,10.424"},
			13, `read as 7.020 and 101130.188`},
		{"DecimalsDisagreeWithColumnEnds", fixed(
			"   1000.00   7.0200   130.000    2.3000",
			"   1000.50  7.020101130.188    2.3100"),
			map[string]string{"CALI": "7.02,~", "GR": "130,~", "RHOB": "2.3,2.31"},
			13, "CALI, GR read as NULL"},
		{"VaryingDecimalsNotAligned", fixed(
			"1000 7.2 130 2.3",
			"1001 7.25 131.5 2.31",
			"1002 7.0201130.1 2.32"),
			map[string]string{"CALI": "7.2,7.25,~", "GR": "130,131.5,~", "RHOB": "2.3,2.31,2.32"},
			14, "CALI, GR read as NULL"},
		{"ColumnEndsAlone", fixed( // decimals vary, the index width too, a comment between
			"    999.50      7.02   130.000    2.3000",
			"   1000.00    7.0210   131.000    2.3100",
			"# a comment",
			"   1000.50  7.0201011130.18800    2.3200"),
			map[string]string{"CALI": "7.02,7.021,7.020101", "GR": "130,131,1130.188", "RHOB": "2.3,2.31,2.32"},
			15, `read as 7.020101 and 1130.18800`},
		{"FirstRowHasNoLayoutToGoBy", fixed(
			"   1000.00  7.020101130.188    2.3000",
			"   1000.50  7.021000   131.000    2.3100"),
			map[string]string{"CALI": "~,7.021", "GR": "~,131", "RHOB": "2.3,2.31"},
			12, "CALI, GR read as NULL"},
		{"NotOneNumberInAFullRow", fixed(
			"1000 7.2 130 2.3",
			"1001 7.2.5 131 2.31",
			"1002 7.3 132 2.32"),
			map[string]string{"CALI": "7.2,~,7.3", "GR": "130,131,132"},
			13, "is not one number"},
		{"IndexRanTogether", fixed(
			"   1000.00  7.020000   130.000    2.3000",
			"1000000.507.021000   131.000    2.3100"),
			map[string]string{"DEPT": "1000,1.0000005e+06", "CALI": "7.02,7.021"},
			13, "read as 1000000.50 and 7.021000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := readString(t, tt.in)
			for mnem, want := range tt.cols {
				c := f.Curve(mnem)
				if c.Kind != KindNumber {
					t.Errorf("%s became %s", mnem, c.Kind)
				}
				if got := samples(c); got != want {
					t.Errorf("%s = %s, want %s", mnem, got, want)
				}
			}
			if !warnedAt(f, tt.warnLine, tt.warn) {
				t.Errorf("no warning on line %d with %q: %v", tt.warnLine, tt.warn, f.Warnings)
			}
			sameCheck(t, []byte(tt.in))
		})
	}
	t.Run("DottedDatesStayText", func(t *testing.T) {
		t.Parallel()
		f := readString(t, data("D DATE A", "1 22.05.2018 5\n2 23.05.2018 6\n3 24.05.2018\n"))
		if got := samples(f.Curve("DATE")); got != "T:22.05.2018,23.05.2018,24.05.2018" {
			t.Errorf("DATE = %s", got)
		}
		if got := samples(f.Curve("A")); got != "5,6,~" {
			t.Errorf("A = %s", got)
		}
	})
}
