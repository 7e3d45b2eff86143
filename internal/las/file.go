package las

import (
	"math"
	"strings"
)

// Delimiter is the character that separates values in a data section: "SPACE", "COMMA" or "TAB",
// as written in the LAS 3.0 ~Version DLM item (LAS 3.0 File Structure Specification, "~Version
// section"). LAS 1.2 and 2.0 data are SPACE delimited (CWLS LAS 2.0 §5.8), although real files
// also use commas; [Read] reports what it found.
type Delimiter string

// The delimiters LAS 3.0 defines.
const (
	Space Delimiter = "SPACE"
	Comma Delimiter = "COMMA"
	Tab   Delimiter = "TAB"
)

// File is one LAS file as [Read] decoded it. Every section is kept: the well-known ones in their
// fields, any other (LAS 3.0 sets, user sections of 1.2/2.0 files) in Sections.
type File struct {
	// Version is the LAS version the file was read as: "1.2", "2.0" or "3.0" (from ~V VERS;
	// "2.0" when the item is missing or unreadable, with a warning).
	Version string
	// Wrap is true when the data are wrapped (~V WRAP YES): the index alone on a line and each
	// step's values over several lines (CWLS LAS 2.0 §5.3).
	Wrap bool
	// Delimiter is the delimiter the log data section was read with.
	Delimiter Delimiter
	// Null is the ~W NULL value; NaN when the file has none (then no sample is NULL by value).
	Null float64
	// Encoding is the character encoding the bytes were decoded from: "UTF-8", "UTF-8 BOM",
	// "UTF-16LE", "UTF-16BE", "UTF-32LE", "UTF-32BE", or a code page: "Windows-1252" (Western
	// text that is not UTF-8), "Windows-1251", "IBM866" (CP866), "KOI8-R" (Cyrillic), …
	Encoding string
	// EncodingDetected is true when Encoding was found from the bytes (byte-order mark, NUL
	// pattern, UTF-8 validity, code-page detector), false when it was given with
	// [WithEncoding].
	EncodingDetected bool

	// VersionItems, Well and Parameters are the items of ~V, ~W and ~P (LAS 3.0: ~Version,
	// ~Well and ~Log_Parameter or ~Parameter), in file order, duplicates included, except that
	// an item a second ~V or ~W section repeats exactly (a header written twice) is read once.
	// In a LAS 1.2 file the ~W values are already swapped back into Value (see
	// [ParseHeaderLine]).
	VersionItems HeaderItems
	Well         HeaderItems
	Parameters   HeaderItems
	// Other is the free text of ~O, lines joined with "\n" (comment lines left out).
	Other string

	// Curves are the log curves of ~C (LAS 3.0: ~Log_Definition or ~Curve) with their samples
	// from ~A (~Log_Data, ~ASCII). Curves[0] is the index. All curves have [File.Rows] samples.
	Curves []Curve

	// Sections are the other sections in file order: LAS 3.0 parameter, definition and data
	// sections of sets other than the log (core, tops, tests, inclinometry, …) and user-defined
	// sections of 1.2/2.0 files.
	Sections []Section

	// Warnings are the oddities repaired or noted while reading, in line order.
	Warnings []Warning
}

// HeaderItem is one line of a header section: "MNEM.UNIT VALUE : DESCRIPTION" (CWLS LAS 2.0 §5.2),
// plus, in LAS 3.0, "{format}" and "| association" after the description (LAS 3.0 File Structure
// Specification, "Parameter Data Lines"). Line is the 1-based line it was read from.
type HeaderItem struct {
	Mnemonic    string `json:"mnemonic"`
	Unit        string `json:"unit,omitempty"`
	Value       string `json:"value"`
	Description string `json:"description,omitempty"`
	Format      string `json:"format,omitempty"`
	Association string `json:"association,omitempty"`
	Line        int    `json:"line"`
}

// HeaderItems is the list of items of one header section.
type HeaderItems []HeaderItem

// Get returns the first item whose mnemonic equals mnemonic, ignoring case.
func (h HeaderItems) Get(mnemonic string) (HeaderItem, bool) {
	for _, it := range h {
		if strings.EqualFold(it.Mnemonic, mnemonic) {
			return it, true
		}
	}
	return HeaderItem{}, false
}

// Value returns the value of the first item named mnemonic (ignoring case), "" if there is none.
func (h HeaderItems) Value(mnemonic string) string {
	it, _ := h.Get(mnemonic)
	return it.Value
}

// Kind says how a curve's samples are stored.
type Kind int

const (
	// KindNumber curves keep their samples in [Curve.Values].
	KindNumber Kind = iota
	// KindText curves (dates, names, LAS 3.0 {S} columns) keep them in [Curve.Text].
	KindText
)

// String returns "number" or "text".
func (k Kind) String() string {
	if k == KindText {
		return "text"
	}
	return "number"
}

// Curve is one column of a data section with its definition line.
type Curve struct {
	// Mnemonic is unique within its section: a mnemonic written more than once is renamed
	// GR:1, GR:2, … (compared ignoring case), and an empty one is UNKNOWN.
	Mnemonic string
	// OriginalMnemonic is the mnemonic as written ("" when none was).
	OriginalMnemonic string
	Unit             string
	// Value is the value field of the definition line: the API log code in LAS 1.2/2.0, the
	// LOG_ID or value in LAS 3.0.
	Value       string
	Description string
	// Format is the LAS 3.0 {format} (F, I, S, E0.00E+00, DD/MM/YYYY, AF;0ms …), "" if none.
	Format string
	// Association is the LAS 3.0 "| association" of the definition line, "" if none.
	Association string
	// Line is the line of the definition (0 for a curve made up for a data column that ~C
	// does not describe).
	Line int

	// Kind says whether Values or Text holds the samples.
	Kind Kind
	// Values are the samples of a numeric curve, NaN where the sample is NULL. Nil for text.
	Values []float64
	// Text are the samples of a text curve, "" where the sample is NULL. Nil for numbers.
	Text []string

	stats *curveStats // set by Check, which keeps statistics instead of samples
}

// Len returns the number of samples.
func (c *Curve) Len() int {
	if c.Kind == KindText {
		return len(c.Text)
	}
	return len(c.Values)
}

// IsNull reports whether sample i is NULL.
func (c *Curve) IsNull(i int) bool {
	if c.Kind == KindText {
		return c.Text[i] == ""
	}
	return math.IsNaN(c.Values[i])
}

// Stats returns the number of non-NULL samples and, for numeric curves, their minimum, maximum
// and mean (NaN when there is none, and always for text curves; the mean is NaN too when the
// sum of the samples overflows).
func (c *Curve) Stats() (count int, min, max, mean float64) {
	if c.stats != nil {
		return c.stats.acc.result()
	}
	var a accum
	if c.Kind == KindText {
		a.isText = true
		for _, s := range c.Text {
			if s != "" {
				a.textCount++
			}
		}
		return a.result()
	}
	a.addAll(c.Values)
	return a.result()
}

// SectionKind says what a [Section] holds.
type SectionKind int

const (
	// SectionParameter holds parameter lines (LAS 3.0 ~X_Parameter) in Items.
	SectionParameter SectionKind = iota
	// SectionDefinition holds column definitions (LAS 3.0 ~X_Definition) in Items.
	SectionDefinition
	// SectionData holds columns (LAS 3.0 ~X_Data | X_Definition) in Curves.
	SectionData
	// SectionOther holds a user-defined section (LAS 1.2/2.0 ~SPECIAL …): header-like lines in
	// Items, lines that are not in Text.
	SectionOther
)

// String returns "parameter", "definition", "data" or "other".
func (k SectionKind) String() string {
	switch k {
	case SectionParameter:
		return "parameter"
	case SectionDefinition:
		return "definition"
	case SectionData:
		return "data"
	}
	return "other"
}

// Section is a section other than the log's ~V, ~W, ~P, ~C, ~O and ~A: one section of a LAS 3.0
// set, or a user-defined section. Sections of one set share Set: ~Core_Definition and
// ~Core_Data[2] | Core_Definition are both in set "Core" (LAS 3.0 File Structure Specification,
// "Data Section Sets", "Section Title Arrays", "Associations in LAS 3.0").
type Section struct {
	// Name is the section name as written after the tilde, with its [n] index:
	// "Core_Data[2]", "Tops_Definition", "SPECIAL".
	Name string
	// Title is the whole title line after the tilde.
	Title string
	// Set is the name of the LAS 3.0 set the section belongs to ("Core", "Tops"), "" for a
	// user-defined section.
	Set string
	// Association is what the title line names after "|", e.g. "Core_Definition".
	Association string
	Kind        SectionKind
	Line        int
	// Items are the lines of a parameter, definition or user-defined section.
	Items HeaderItems
	// Curves are the columns of a data section, defined by the section its association names.
	Curves []Curve
	// Text is the free text of a user-defined section (lines that are not header lines).
	Text string
}

// Rows returns the number of rows of a data section (0 for the other kinds).
func (s *Section) Rows() int {
	if len(s.Curves) == 0 {
		return 0
	}
	return s.Curves[0].Len()
}

// Index returns the index curve, Curves[0], or nil when the file has no curves.
func (f *File) Index() *Curve {
	if len(f.Curves) == 0 {
		return nil
	}
	return &f.Curves[0]
}

// Rows returns the number of rows of the log data section.
func (f *File) Rows() int {
	if len(f.Curves) == 0 {
		return 0
	}
	return f.Curves[0].Len()
}

// Curve returns the curve whose Mnemonic equals mnemonic, or failing that the first whose
// OriginalMnemonic does, ignoring case; nil if there is none.
func (f *File) Curve(mnemonic string) *Curve {
	for i := range f.Curves {
		if strings.EqualFold(f.Curves[i].Mnemonic, mnemonic) {
			return &f.Curves[i]
		}
	}
	for i := range f.Curves {
		if strings.EqualFold(f.Curves[i].OriginalMnemonic, mnemonic) {
			return &f.Curves[i]
		}
	}
	return nil
}

// Section returns the section named name (ignoring case), nil if there is none.
func (f *File) Section(name string) *Section {
	for i := range f.Sections {
		if strings.EqualFold(f.Sections[i].Name, name) {
			return &f.Sections[i]
		}
	}
	return nil
}
