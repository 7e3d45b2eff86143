package las

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// readWays reads b line by line (one worker) and in blocks of block bytes by three workers,
// with Read and with Check, and fails unless the four agree (files, summaries, errors). It
// returns the file read in blocks, its error, and how many blocks were decoded in parallel.
func readWays(tb testing.TB, b []byte, block int) (*File, error, int) {
	tb.Helper()
	read := func(workers int, stats bool) (*parser, error) {
		return parse(bytes.NewReader(b), options{size: -1, workers: workers, blockSize: block, statsOnly: stats})
	}
	seq, seqErr := read(1, false)
	par, parErr := read(3, false)
	if fmt.Sprint(seqErr) != fmt.Sprint(parErr) {
		tb.Fatalf("Read: line by line: %v; in blocks: %v", seqErr, parErr)
	}
	seqS, seqSErr := read(1, true)
	parS, parSErr := read(3, true)
	if fmt.Sprint(seqSErr) != fmt.Sprint(parSErr) || fmt.Sprint(seqErr) != fmt.Sprint(seqSErr) {
		tb.Fatalf("Check: line by line: %v; in blocks: %v (Read: %v)", seqSErr, parSErr, seqErr)
	}
	if seqErr != nil {
		return nil, parErr, 0
	}
	opts := cmp.Options{cmpopts.EquateNaNs(), cmpopts.IgnoreUnexported(Curve{})}
	if d := cmp.Diff(seq.f, par.f, opts); d != "" {
		tb.Fatalf("Read in blocks differs from line by line (-line +blocks):\n%s", d)
	}
	want := summarize(seq.f, seq.logRows)
	if d := cmp.Diff(want, summarize(seqS.f, seqS.logRows), opts); d != "" {
		tb.Fatalf("Check line by line differs from Read (-Read +Check):\n%s", d)
	}
	if d := cmp.Diff(want, summarize(parS.f, parS.logRows), opts); d != "" {
		tb.Fatalf("Check in blocks differs from Read (-Read +Check):\n%s", d)
	}
	if seq.blocks != 0 || seqS.blocks != 0 {
		tb.Fatalf("one worker decoded %d blocks", seq.blocks+seqS.blocks)
	}
	return par.f, nil, par.blocks
}

// plainLAS returns a LAS 2.0 file of rows data lines shaped like make_big's (8 curves, NULL
// -999.25), with line i replaced by edit(i, line) when edit is not nil, and CR LF line ends
// when crlf.
func plainLAS(rows int, crlf bool, edit func(i int, line string) string) []byte {
	var sb strings.Builder
	sb.WriteString("~Version\n VERS.   2.0 : CWLS LOG ASCII STANDARD - VERSION 2.0\n WRAP.   NO  : one line per step\n" +
		"~Well\n STRT.M 1000.0 : START DEPTH\n STOP.M " + fmt.Sprintf("%.2f", 1000+float64(rows-1)*0.01) +
		" : STOP DEPTH\n STEP.M 0.01 : STEP\n NULL.  -999.25 : NULL VALUE\n" +
		"~Curve\n DEPT.M : depth\n GR  .GAPI : gamma ray\n RDEP.OHMM : deep resistivity\n" +
		" RMED.OHMM : medium resistivity\n DEN .G/CC : bulk density\n NEU .% : neutron porosity\n" +
		" AC  .US/F : sonic\n CALI.IN : caliper\n~A\n")
	r := rand.New(rand.NewPCG(1, 2))
	for i := range rows {
		line := fmt.Sprintf("%.4f %.4f %.4f %.4f %.4f %.4f %.4f %.4f", 1000+float64(i)*0.01, r.Float64()*140+10,
			r.Float64()*2000, r.Float64()*2000, r.Float64()+1.9, r.Float64()*45, r.Float64()*90+50, r.Float64()*10+6)
		if i%97 == 5 {
			line = strings.Replace(line, " ", " -999.25 ", 1)
			line = line[:strings.LastIndexByte(line, ' ')]
		}
		if edit != nil {
			line = edit(i, line)
		}
		sb.WriteString(line)
		if crlf {
			sb.WriteString("\r\n")
		} else {
			sb.WriteString("\n")
		}
	}
	s := sb.String()
	if crlf {
		s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\n", "\r\n")
	}
	return []byte(s)
}

// TestParallel compares decoding in blocks with decoding line by line on inputs that put
// something other than plain numbers at, before and after block boundaries.
func TestParallel(t *testing.T) {
	t.Parallel()
	at := func(rows map[int]string) func(int, string) string {
		return func(i int, line string) string {
			if s, ok := rows[i]; ok {
				return strings.ReplaceAll(s, "$", line)
			}
			return line
		}
	}
	tests := []struct {
		name   string
		text   []byte
		blocks bool   // blocks must have been decoded (when the file is more than a block)
		errSub string // the error, if the file is unreadable
	}{
		{"Plain", plainLAS(3000, false, nil), true, ""},
		{"CRLF", plainLAS(3000, true, nil), true, ""},
		{"SmallerThanABlock", plainLAS(3, false, nil), false, ""},
		{"NoFinalNewline", bytes.TrimRight(plainLAS(3000, false, nil), "\n"), true, ""},
		{"FinalCR", bytes.TrimRight(plainLAS(3000, false, nil), "\n"), true, ""},
		{"BadValueInSecondBlock", plainLAS(3000, false, at(map[int]string{40: "$ 1.2.3"})), true, ""},
		{"TooFewValues", plainLAS(3000, false, at(map[int]string{37: "1.0 2.0", 1500: "3 4 5"})), true, ""},
		{"TextColumnLater", plainLAS(3000, false, func(i int, l string) string {
			if i >= 1000 && i%3 == 0 {
				return l[:strings.LastIndexByte(l, ' ')] + " SAND"
			}
			return l
		}), true, ""},
		{"BlankAndComments", plainLAS(3000, false, at(map[int]string{10: "\n\n   \t\n$", 11: "# note\n$", 2000: "$ # trailing"})), true, ""},
		{"Dashes", plainLAS(3000, false, at(map[int]string{100: "--------\n$"})), true, ""},
		{"RunTogether", plainLAS(3000, false, func(i int, l string) string {
			if i%400 == 7 {
				return strings.Replace(l, " -999.25", "-999.2500", 1)
			}
			return l
		}), true, ""},
		{"SectionAfterData", append(plainLAS(3000, false, nil), "~Other\n free text\n~Parameter\n BHT.DEGC 80 : temp\n"...), true, ""},
		{"BareCR", plainLAS(3000, false, at(map[int]string{1200: "$\r1.0 2 3 4 5 6 7 8"})), true, ""},
		{"MixedCRLF", plainLAS(3000, false, at(map[int]string{900: "$\r", 901: "$\r"})), true, ""},
		{"CtrlZ", append(plainLAS(3000, false, nil), "\x1a1 2 3\n"...), true, ""},
		{"CtrlZInside", plainLAS(3000, false, at(map[int]string{2500: "$\x1a"})), true, ""},
		{"NULInThirdBlock", plainLAS(3000, false, at(map[int]string{2500: "$\x00"})), true, "line 2519: binary data"},
		{"Exponent", plainLAS(3000, false, at(map[int]string{333: "$ 1e5", 2999: "1e3 1 2 3 4 5 6 7"})), true, ""},
		{"IndexNull", plainLAS(3000, false, at(map[int]string{50: "-999.25 1 2 3 4 5 6 7"})), true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if tt.name == "FinalCR" {
				tt.text = append(tt.text, '\r')
			}
			for _, block := range []int{40, 1000, 7000} {
				f, err, blocks := readWays(t, tt.text, block)
				if tt.errSub != "" {
					if err == nil || !strings.Contains(err.Error(), tt.errSub) {
						t.Fatalf("block %d: error %v, want one with %q", block, err, tt.errSub)
					}
					continue
				}
				if err != nil {
					t.Fatalf("block %d: %v", block, err)
				}
				if tt.blocks && blocks == 0 && len(tt.text) > 2*block {
					t.Errorf("block %d: no block was decoded in parallel", block)
				}
				if len(tt.text) < block && blocks != 0 {
					t.Errorf("block %d: %d blocks decoded in parallel, want none", block, blocks)
				}
				if f.Rows() < 3 {
					t.Errorf("block %d: %d rows", block, f.Rows())
				}
			}
		})
	}
}

// FuzzParallel checks that decoding in blocks gives what decoding line by line does, on a
// plain file with fuzzed bytes spliced into its data.
func FuzzParallel(f *testing.F) {
	f.Add(uint16(100), []byte("1.0 2.0"), uint8(40))
	f.Add(uint16(700), []byte("\r\n\n# x\n1 2 3 4 5 6 7 8 9"), uint8(90))
	f.Add(uint16(10), []byte("~A\n1 2"), uint8(200))
	f.Add(uint16(1500), []byte("1,5 2 3 4 5 6 7 8"), uint8(7))
	f.Fuzz(func(t *testing.T, at uint16, ins []byte, block uint8) {
		base := plainLAS(400, at%2 == 1, nil)
		k := bytes.Index(base, []byte("~A\n")) + 3 + int(at)*7
		if k > len(base) {
			k = len(base)
		}
		b := append(append(append([]byte(nil), base[:k]...), ins...), base[k:]...)
		readWays(t, b, int(block)+1)
	})
}

// TestShortDecimal checks shortDecimal against scanDecimal.
func TestShortDecimal(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(3, 4))
	cases := []string{"0.0", "-0.0", "-0.0000", "1234.5678", "-999.25", "9999999.9999999", "12345678.1", "1.12345678",
		"+1.5", "1.5e3", ".5", "5.", "1.2.3", "1,5", "-", "1.5x", "00000001.1000000"}
	for range 2000 {
		cases = append(cases, strconv.FormatFloat((r.Float64()-0.3)*math.Pow(10, float64(r.IntN(9))), 'f', r.IntN(8), 64))
	}
	for _, c := range cases {
		b := []byte(c + " 1 2 3 4 5 6 7 8 9 10 11 12")
		want, wantNext, wantOK := scanDecimal(b, 0)
		got, next, ok := shortDecimal(b, 0)
		if ok && (!wantOK || math.Float64bits(got) != math.Float64bits(want) || next != wantNext) {
			t.Errorf("%q: shortDecimal %v %d %v, scanDecimal %v %d %v", c, got, next, ok, want, wantNext, wantOK)
		}
		if !ok && c == "1234.5678" {
			t.Errorf("%q: shortDecimal refused it", c)
		}
	}
}

// BenchmarkDecodeBlock decodes 1 MB of make_big-like data lines in one goroutine: the work of
// one block worker. MB/cpu-s is the speed of one core whatever else runs.
//
//	go test -run '^$' -bench DecodeBlock ./internal/las/
func BenchmarkDecodeBlock(b *testing.B) {
	text := plainLAS(16000, false, nil)
	text = text[bytes.Index(text, []byte("~A\n"))+3:]
	text = text[:bytes.LastIndexByte(text[:1<<20], '\n')+1]
	lines := bytes.Count(text, []byte{'\n'})
	res := blockResult{cols: make([][]float64, 8)}
	for c := range res.cols {
		res.cols[c] = make([]float64, lines)
	}
	b.SetBytes(int64(len(text)))
	c0, _ := cpuTime()
	for b.Loop() {
		decodeBlock(text, 8, -999.25, true, &res)
		if res.stop != len(text) {
			b.Fatalf("stopped at %d of %d", res.stop, len(text))
		}
	}
	c1, _ := cpuTime()
	b.ReportMetric(float64(len(text))*float64(b.N)/1e6/(c1-c0).Seconds(), "MB/cpu-s")
}

// TestAccumAddAll checks that addAll leaves the state add leaves, sample by sample.
func TestAccumAddAll(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(5, 6))
	vs := []float64{math.NaN(), 0, math.Copysign(0, -1), 1e300, -1e300, math.Inf(1), 3}
	for range 5000 {
		vs = append(vs, (r.Float64()-0.5)*math.Pow(10, float64(r.IntN(40)-20)))
		if r.IntN(50) == 0 {
			vs = append(vs, math.NaN())
		}
	}
	for _, cut := range []int{0, 1, 2, 7, 100, len(vs)} {
		var one, all accum
		for _, v := range vs {
			one.add(v)
		}
		all.addAll(vs[:cut])
		all.addAll(vs[cut:])
		if fmt.Sprint(one) != fmt.Sprint(all) {
			t.Errorf("cut %d: add gives %+v, addAll %+v", cut, one, all)
		}
	}
}

// TestDecodeBlockValues checks the values decodeBlock parses against scanDecimal, one by one, on
// lines of numbers of every short shape.
func TestDecodeBlockValues(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(8, 9))
	var sb strings.Builder
	var want []float64
	for range 3000 {
		for c := range 3 {
			if c > 0 {
				sb.WriteString(strings.Repeat(" ", 1+r.IntN(3)))
			}
			s := strconv.FormatFloat((r.Float64()-0.3)*math.Pow(10, float64(r.IntN(10)-1)), 'f', r.IntN(9), 64)
			if r.IntN(20) == 0 {
				s = "-0." + strings.Repeat("0", r.IntN(8))
			}
			v, _, ok := scanDecimal([]byte(s+" "), 0)
			if !ok {
				t.Fatalf("scanDecimal refused %q", s)
			}
			sb.WriteString(s)
			want = append(want, v)
		}
		sb.WriteString("\n")
	}
	text := []byte(sb.String())
	res := blockResult{cols: [][]float64{make([]float64, 3000), make([]float64, 3000), make([]float64, 3000)}}
	decodeBlock(text, 3, math.NaN(), false, &res)
	if res.rows != 3000 || res.stop != len(text) {
		t.Fatalf("%d rows, stopped at %d of %d", res.rows, res.stop, len(text))
	}
	for i, w := range want {
		if got := res.cols[i%3][i/3]; math.Float64bits(got) != math.Float64bits(w) {
			t.Errorf("value %d (row %d): %v, scanDecimal %v", i, i/3+1, got, w)
		}
	}
}
