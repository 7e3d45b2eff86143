package las

import (
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
)

// checkDecimal compares parseDecimal with strconv.ParseFloat bit for bit when the fast path
// takes the input.
func checkDecimal(tb testing.TB, s string) {
	tb.Helper()
	got, ok := parseDecimal([]byte(s))
	want, err := strconv.ParseFloat(s, 64)
	if !ok {
		return
	}
	if err != nil {
		tb.Fatalf("parseDecimal(%q) = %v, but strconv rejects it: %v", s, got, err)
	}
	if math.Float64bits(got) != math.Float64bits(want) {
		tb.Fatalf("parseDecimal(%q) = %v (%#x), strconv = %v (%#x)", s, got, math.Float64bits(got), want, math.Float64bits(want))
	}
	// scanDecimal, the data lines' fast path, takes a subset (no exponent) with the same result.
	if v, next, ok := scanDecimal([]byte(s+" 1"), 0); ok {
		if next != len(s) || math.Float64bits(v) != math.Float64bits(want) {
			tb.Fatalf("scanDecimal(%q) = %v, %d; want %v, %d", s, v, next, want, len(s))
		}
	}
}

func TestParseDecimal(t *testing.T) {
	t.Parallel()
	fast := []string{"0", "-0", "+0", "0.0", "-0.000", "1670.000", "1669.875", "-999.25", "-999.2500",
		".15240", "5.", "-.5", "123.450", "1.45E+12", "2.85e12", "1e-7", "0.000000283831919",
		"268.0000032808399", "-16.9999967191601", "9007199254740992", "12345678901234e-5",
		"0.1", "0.2", "0.3", "1e22", "1e-22", "00012.5000"}
	for _, s := range fast {
		if _, ok := parseDecimal([]byte(s)); !ok {
			t.Errorf("parseDecimal(%q) left the fast path", s)
		}
		checkDecimal(t, s)
	}
	slow := []string{"", "-", ".", "e5", "1e", "1e+", "1.2.3", "1,5", "0x10", "1_000", "inf", "NaN",
		"12345678901234567890", "9007199254740993", "1234567890123456789e-5", "1e23", "1e-23", "1.5D+03", "123-456", "--1"}
	for _, s := range slow {
		if v, ok := parseDecimal([]byte(s)); ok {
			t.Errorf("parseDecimal(%q) = %v, want the fallback", s, v)
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	n := 200000
	if raceEnabled {
		n = 20000
	}
	for i := 0; i < n; i++ {
		var s string
		switch i % 4 {
		case 0:
			s = strconv.FormatFloat(r.Float64()*math.Pow(10, float64(r.IntN(30)-10)), 'f', r.IntN(12), 64)
		case 1:
			s = strconv.FormatFloat(r.NormFloat64()*1e4, 'f', -1, 64)
		case 2:
			s = strconv.FormatFloat(r.NormFloat64(), 'e', r.IntN(17), 64)
		default:
			s = strconv.FormatInt(r.Int64N(1<<62)-1<<61, 10) + "." + strconv.FormatUint(r.Uint64N(1e9), 10)
		}
		checkDecimal(t, s)
	}
}

func FuzzParseDecimal(f *testing.F) {
	for _, s := range []string{"1670.000", "-999.25", "1.45E+12", ".5", "1e-22", "9007199254740993"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkDecimal(t, s) })
}

func TestParseToken(t *testing.T) {
	t.Parallel()
	tests := []struct {
		tok   string
		v     float64
		st    numberState
		comma bool
	}{
		{"123.45", 123.45, tokNumber, false},
		{"1.5D+03", 1500, tokNumber, false},
		{"123,420", 123.42, tokNumber, true},
		{"1,234,567", 0, tokText, false},
		{"1e400", 0, tokRange, false},
		{"-1.#IND0000", 0, tokNull, false},
		{"2018-05-22", 0, tokText, false},
		{"SAND", 0, tokText, false},
		{"0x10", 0, tokText, false},
		{"****************", 0, tokNull, false},
		{"", 0, tokNull, false},
	}
	for _, tt := range tests {
		v, st, comma := parseToken([]byte(tt.tok))
		if st != tt.st || comma != tt.comma || (st == tokNumber && v != tt.v) {
			t.Errorf("parseToken(%q) = %v, %v, %v; want %v, %v, %v", tt.tok, v, st, comma, tt.v, tt.st, tt.comma)
		}
	}
}

func TestIsNullToken(t *testing.T) {
	t.Parallel()
	null := []string{"-1.#IND0000", "1.#IND", "-1.#INF", "1.#INF00", "1.#QNAN", "-1.#SNAN", "#N/A", "N/A",
		"NA", "(null)", "NULL", "-", "--", "---", "NaN", "-nan", "INF", "-inf", "+Infinity", "****", "#VALUE!"}
	for _, s := range null {
		if !IsNullToken(s) {
			t.Errorf("IsNullToken(%q) = false", s)
		}
	}
	for _, s := range []string{"-999.25", "0", "SAND", "1.#", "#", "N", "IND", "-1.#INDX", "2018-05-22", ""} {
		if IsNullToken(s) {
			t.Errorf("IsNullToken(%q) = true", s)
		}
	}
}

// TestDigitRun compares the eight-at-a-time digit scan with a byte loop for every run length and
// every byte that can end a run.
func TestDigitRun(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(5, 6))
	for n := 0; n <= 26; n++ {
		for end := 0; end < 256; end++ {
			b := make([]byte, 0, n+9)
			for i := 0; i < n; i++ {
				b = append(b, byte('0'+r.IntN(10)))
			}
			if end < '0' || end > '9' {
				b = append(b, byte(end))
			}
			for pad := r.IntN(9); pad > 0; pad-- {
				b = append(b, byte(r.IntN(256)))
			}
			var want uint64
			k := 0
			for k < len(b) && k < 25 && b[k] >= '0' && b[k] <= '9' {
				want = want*10 + uint64(b[k]-'0')
				k++
			}
			got, gk := digitRun(b, 0)
			if gk != k || (k <= 19 && got != want) {
				t.Fatalf("digitRun(%q) = %d, %d; want %d, %d", b, got, gk, want, k)
			}
		}
	}
}
