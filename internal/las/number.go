package las

import (
	"strconv"
	"strings"
)

// pow10 holds the powers of ten that float64 represents exactly.
var pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12,
	1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// parseDecimal is the fast path for the plain decimals that fill data sections: an optional
// sign, digits with at most one decimal point, an optional e/E exponent. It returns ok=false for
// anything else, and for numbers it cannot convert exactly, so that the caller falls back to
// strconv.ParseFloat.
//
// When the decimal mantissa fits in 53 bits and the power of ten is at most 22, both are exact
// float64 values and one IEEE multiplication or division rounds correctly (Clinger, "How to read
// floating point numbers accurately", PLDI 1990): the result equals strconv.ParseFloat's, bit
// for bit.
func parseDecimal(b []byte) (float64, bool) {
	n := len(b)
	i := 0
	neg := false
	if n > 0 {
		switch b[0] {
		case '-':
			neg = true
			i++
		case '+':
			i++
		}
	}
	var mant uint64
	nd := 0 // significant digits in mant
	exp := 0
	sawDigit, sawDot := false, false
	for ; i < n; i++ {
		c := b[i]
		if c-'0' <= 9 {
			sawDigit = true
			if mant == 0 && c == '0' {
				if sawDot {
					exp--
				}
				continue
			}
			if nd >= 19 {
				return 0, false
			}
			mant = mant*10 + uint64(c-'0')
			nd++
			if sawDot {
				exp--
			}
			continue
		}
		if c == '.' && !sawDot {
			sawDot = true
			continue
		}
		break
	}
	if !sawDigit {
		return 0, false
	}
	if i < n {
		if b[i] != 'e' && b[i] != 'E' {
			return 0, false
		}
		i++
		eneg := false
		if i < n && (b[i] == '-' || b[i] == '+') {
			eneg = b[i] == '-'
			i++
		}
		if i == n {
			return 0, false
		}
		e := 0
		for ; i < n; i++ {
			c := b[i]
			if c-'0' > 9 || e > 10000 {
				return 0, false
			}
			e = e*10 + int(c-'0')
		}
		if eneg {
			e = -e
		}
		exp += e
	}
	var f float64
	switch {
	case mant == 0:
		f = 0
	case mant > 1<<53:
		return 0, false
	case exp == 0:
		f = float64(mant)
	case exp < 0 && exp >= -22:
		f = float64(mant) / pow10[-exp]
	case exp > 0 && exp <= 22:
		f = float64(mant) * pow10[exp]
	default:
		return 0, false
	}
	if neg {
		f = -f
	}
	return f, true
}

// numberState is what parseToken made of one data token.
type numberState uint8

const (
	tokNumber numberState = iota // a number in v
	tokNull                      // a null token, or an overflowed field of asterisks
	tokText                      // anything else: text
	tokRange                     // a number too large for float64
)

// parseToken classifies a data token: a number (fast path first, then strconv.ParseFloat for
// exponents it cannot handle exactly and Fortran D exponents), a null token ([IsNullToken]), a
// field of asterisks (a Fortran field overflow, read as NULL), or text. decimalComma reports a
// number written with a comma as decimal mark ("123,42"), which the caller accepts only when the
// delimiter is not a comma.
func parseToken(b []byte) (v float64, st numberState, decimalComma bool) {
	if f, ok := parseDecimal(b); ok {
		return f, tokNumber, false
	}
	if len(b) == 0 {
		return 0, tokNull, false
	}
	if isNullTokenBytes(b) {
		return 0, tokNull, false
	}
	// Only characters that can make a decimal number go to strconv: it would also accept hex
	// floats, underscores, "inf" and "nan", which are not LAS numbers.
	var buf [64]byte
	if len(b) > len(buf) {
		return 0, tokText, false
	}
	s := buf[:0]
	digits, commas := 0, 0
	for _, c := range b {
		switch {
		case c >= '0' && c <= '9':
			digits++
			s = append(s, c)
		case c == '+' || c == '-' || c == '.' || c == 'e' || c == 'E':
			s = append(s, c)
		case c == 'd' || c == 'D': // Fortran double-precision exponent: 1.5D+03
			s = append(s, 'e')
		case c == ',':
			commas++
			s = append(s, '.')
		default:
			return 0, tokText, false
		}
	}
	if digits == 0 || commas > 1 {
		return 0, tokText, false
	}
	f, err := strconv.ParseFloat(string(s), 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return 0, tokRange, false
		}
		return 0, tokText, false
	}
	return f, tokNumber, commas == 1
}

// nullTokens are the tokens read as NULL in any data column, upper-cased. They come from real
// files: C runtime renderings of NaN and infinity (1.#IND, 1.#INF, 1.#QNAN), spreadsheet
// errors (#N/A), database exports ((null), NULL) and placeholders (-, --, N/A).
var nullTokens = map[string]bool{
	"NAN": true, "+NAN": true, "-NAN": true, "INF": true, "+INF": true, "-INF": true,
	"INFINITY": true, "+INFINITY": true, "-INFINITY": true,
	"#N/A": true, "#NA": true, "N/A": true, "NA": true, "NULL": true, "(NULL)": true,
	"<NULL>": true, "NONE": true, "#VALUE!": true, "#DIV/0!": true, "#NUM!": true,
}

// IsNullToken reports whether a data token stands for a missing value whatever the ~W NULL
// value is: NaN, INF (either sign), the Windows C runtime renderings 1.#IND, 1.#INF, 1.#QNAN and
// 1.#SNAN with any digits after them (-1.#IND0000), #N/A, N/A, NA, NULL, (null), a run of
// dashes ("-", "--") and a run of asterisks (a Fortran field that overflowed). Case is ignored.
func IsNullToken(tok string) bool {
	return isNullTokenBytes([]byte(tok))
}

func isNullTokenBytes(b []byte) bool {
	if len(b) == 0 || len(b) > 32 {
		return false
	}
	if allByte(b, '-') || allByte(b, '*') {
		return true
	}
	var buf [32]byte
	u := buf[:len(b)]
	for i, c := range b {
		if 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		}
		u[i] = c
	}
	if nullTokens[string(u)] {
		return true
	}
	// 1.#IND, -1.#INF00, 1.#QNAN, 1.#SNAN (MSVC printf of NaN and infinity).
	s := string(u)
	if j := strings.Index(s, ".#"); j > 0 {
		head, tail := strings.TrimLeft(s[:j], "+-"), s[j+2:]
		if head != "" && strings.Trim(head, "0123456789") == "" {
			for _, w := range []string{"IND", "INF", "QNAN", "SNAN", "NAN"} {
				if strings.HasPrefix(tail, w) && strings.Trim(tail[len(w):], "0123456789") == "" {
					return true
				}
			}
		}
	}
	return false
}

func allByte(b []byte, c byte) bool {
	for _, x := range b {
		if x != c {
			return false
		}
	}
	return true
}

// parseHeaderNumber parses a number in a header value (STRT, STOP, STEP, NULL): surrounding
// spaces are ignored, a comma is accepted as decimal mark.
func parseHeaderNumber(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false
	}
	v, st, _ := parseToken([]byte(s))
	return v, st == tokNumber
}
