package las

import (
	"io"
	"math"
	"strconv"
	"strings"
)

// Summary is the JSON-ready digest of a [File] that `wellbase las check --json` prints and the
// log upload API returns. Its curves list every curve in file order, the index first, so that it
// can be compared curve by curve with other readers.
type Summary struct {
	// Version is "1.2", "2.0" or "3.0"; Wrap is the ~V WRAP mode.
	Version string `json:"version"`
	Wrap    bool   `json:"wrap"`
	// Encoding is the character encoding the text was decoded from ([File.Encoding]): "UTF-8",
	// "Windows-1252", "Windows-1251", "IBM866", …; EncodingDetected is false when it was given
	// ([WithEncoding]) rather than detected.
	Encoding         string `json:"encoding"`
	EncodingDetected bool   `json:"encoding_detected"`
	// Null is the ~W NULL value, null when the file has none.
	Null *float64 `json:"null"`
	// Well holds the main ~W items as written (values are strings).
	Well WellSummary `json:"well"`
	// Index describes the index curve, null when the file has no curves.
	Index *IndexSummary `json:"index"`
	// Rows is the number of rows of log data.
	Rows int `json:"rows"`
	// Curves are all log curves in file order, the index first.
	Curves []CurveSummary `json:"curves"`
	// Sections are the data sections of LAS 3.0 sets other than the log (core, tops, tests…).
	Sections []SectionSummary `json:"sections,omitempty"`
	// Warnings are [File.Warnings]: what was repaired or is suspect, with its line.
	Warnings []Warning `json:"warnings"`
}

// WellSummary holds the ~W items every well log should have (CWLS LAS 2.0 §5.4); an item the
// file does not have is left out of the JSON.
type WellSummary struct {
	Well      *string `json:"WELL,omitempty"`
	UWI       *string `json:"UWI,omitempty"`
	APINumber *string `json:"API,omitempty"`
	Company   *string `json:"COMP,omitempty"`
	Field     *string `json:"FLD,omitempty"`
	Start     *string `json:"STRT,omitempty"`
	Stop      *string `json:"STOP,omitempty"`
	Step      *string `json:"STEP,omitempty"`
}

// IndexSummary describes the index curve from its data: Start and Stop are the first and last
// values (null for a text index or no rows); Step is the sampling step measured from the data
// when it is regular (within 1 %), 0 when it varies. Where ~W STRT, STOP or STEP disagree, the
// file has a warning.
type IndexSummary struct {
	Mnemonic string   `json:"mnemonic"`
	Unit     string   `json:"unit"`
	Start    *float64 `json:"start"`
	Stop     *float64 `json:"stop"`
	Step     float64  `json:"step"`
}

// CurveSummary describes one curve: Kind is "number" or "text", Count the number of non-NULL
// samples; Min, Max and Mean (numeric curves with Count > 0 only) are of those samples, the mean
// rounded to 12 significant digits.
type CurveSummary struct {
	Mnemonic    string   `json:"mnemonic"`
	Unit        string   `json:"unit"`
	Description string   `json:"description"`
	Kind        string   `json:"kind"`
	Count       int      `json:"count"`
	Min         *float64 `json:"min,omitempty"`
	Max         *float64 `json:"max,omitempty"`
	Mean        *float64 `json:"mean,omitempty"`
}

// SectionSummary describes a data section of a LAS 3.0 set.
type SectionSummary struct {
	Name        string         `json:"name"`
	Association string         `json:"association,omitempty"`
	Rows        int            `json:"rows"`
	Curves      []CurveSummary `json:"curves"`
}

// Summarize digests f. It does not change f.
func Summarize(f *File) Summary { return summarize(f, f.Rows()) }

// Check reads a LAS file as [Read] does and returns its [Summary], without keeping the samples
// of the log curves: their statistics are gathered as the lines are decoded, so the memory it
// needs does not grow with the number of rows, and it is faster than Read on big files. The
// result is the one Summarize(Read(r)) gives, and so are the errors. This is what
// `wellbase las check` needs.
func Check(r io.Reader, opts ...Option) (Summary, error) {
	o := options{size: -1}
	for _, opt := range opts {
		opt(&o)
	}
	o.statsOnly = true
	p, err := parse(r, o)
	if err != nil {
		return Summary{}, err
	}
	return summarize(p.f, p.logRows), nil
}

func summarize(f *File, rows int) Summary {
	s := Summary{
		Version:  f.Version,
		Wrap:     f.Wrap,
		Encoding: f.Encoding, EncodingDetected: f.EncodingDetected,
		Rows:     rows,
		Curves:   summarizeCurves(f.Curves),
		Warnings: f.Warnings,
	}
	if s.Warnings == nil {
		s.Warnings = []Warning{}
	}
	if !math.IsNaN(f.Null) && !math.IsInf(f.Null, 0) {
		s.Null = ptr(f.Null)
	}
	get := func(m string) *string {
		if it, ok := f.Well.Get(m); ok {
			v := it.Value
			return &v
		}
		return nil
	}
	s.Well = WellSummary{
		Well: get("WELL"), UWI: get("UWI"), APINumber: get("API"), Company: get("COMP"),
		Field: get("FLD"), Start: get("STRT"), Stop: get("STOP"), Step: get("STEP"),
	}
	if idx := f.Index(); idx != nil {
		is := &IndexSummary{Mnemonic: idx.Mnemonic, Unit: idx.Unit}
		if st := indexSteps(idx); idx.Kind == KindNumber && st.n > 0 {
			if isFinite(st.first) {
				is.Start = ptr(st.first)
			}
			if isFinite(st.last) {
				is.Stop = ptr(st.last)
			}
			is.Step, _ = st.step()
		}
		s.Index = is
	}
	for i := range f.Sections {
		sec := &f.Sections[i]
		if sec.Kind != SectionData {
			continue
		}
		s.Sections = append(s.Sections, SectionSummary{
			Name: sec.Name, Association: sec.Association, Rows: sec.Rows(), Curves: summarizeCurves(sec.Curves),
		})
	}
	return s
}

func summarizeCurves(cs []Curve) []CurveSummary {
	out := make([]CurveSummary, len(cs))
	for i := range cs {
		c := &cs[i]
		n, min, max, mean := c.Stats()
		cs := CurveSummary{
			Mnemonic: c.Mnemonic, Unit: c.Unit, Description: strings.TrimSpace(c.Description),
			Kind: c.Kind.String(), Count: n,
		}
		if n > 0 && c.Kind == KindNumber {
			cs.Min, cs.Max = ptr(min), ptr(max)
			if isFinite(mean) {
				cs.Mean = ptr(roundSig(mean, 12))
			}
		}
		out[i] = cs
	}
	return out
}

func ptr(v float64) *float64 { return &v }

// roundSig rounds v to n significant digits.
func roundSig(v float64, n int) float64 {
	r, err := strconv.ParseFloat(strconv.FormatFloat(v, 'g', n, 64), 64)
	if err != nil {
		return v
	}
	return r
}

func isFinite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
