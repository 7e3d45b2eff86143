package las

import (
	"strings"
)

// ParseHeaderLine splits one line of a header section (~V, ~W, ~C, ~P, LAS 3.0 parameter and
// definition sections) into its parts. line must not be a comment or a section title. ok is
// false when the line has neither a dot nor a colon and so is not a header line at all; problem
// describes a repair made to a line that is not as the standard says ("" when it is).
//
// The rule is CWLS LAS 2.0 §5.2 ("the first dot in a line, the first space after the first dot,
// the last colon in a line"), made to hold for what real files write:
//
//   - Mnemonic: the text before the first dot, trimmed. A dot at the very start of the line is
//     dropped when another dot follows the next word (" .ILM .OHMM : …" is ILM). Two dots
//     directly after the mnemonic end a mnemonic written with an abbreviation dot, which keeps
//     it, spaces included: "I. Res..OHM-M" is mnemonic "I. Res." and unit "OHM-M", as the widely
//     used Python LAS reader and the ~A title of such files have it (see abbreviationDots for
//     when ".." starts a unit instead). A line with no dot has no unit and no value: its
//     mnemonic is the text before the delimiter colon.
//   - Unit: directly after the dot up to the first space or tab; "" when a space follows the
//     dot. Units may hold dots ("аПС.усл.ед." is mnemonic "аПС", unit "усл.ед.", the Russian
//     "conventional units"), start with a dot ("..1IN" is unit ".1IN") and hold colons (hh:mm);
//     a colon that ends the unit is the delimiter ("GR.gAPI: Gamma ray"). A unit that starts
//     with a bracket runs to the closing bracket, spaces included ("[DEG F]").
//   - Value and description: the delimiter colon is chosen among the colons after the unit,
//     leaving out those between two digits (times such as 23:15 and 10:33:49) and those
//     before "//" (URLs). The first of them preceded by a space or tab is the delimiter (the
//     aligned "VALUE   : DESCRIPTION" layout); if none is, the first of them is
//     ("1670.0:", "2001:   Time Logger: At Bottom"). So
//     "TIML.hh:mm 23:15 23-JAN-2001 : Time logger at bottom" has unit "hh:mm", value
//     "23:15 23-JAN-2001", and "QI . : Survey quality: GOOD" an empty value and description
//     "Survey quality: GOOD". Taking the last colon as the standard says would cut every
//     description that contains a colon; a colon in a value is almost always in a time.
//   - LAS 3.0 additions (LAS 3.0 File Structure Specification, "Parameter Data Lines",
//     "Column Definition Lines"): a trailing "{format}" of the description goes to Format and,
//     when v3 is set, what follows the first "|" of the description goes to Association.
func ParseHeaderLine(line string, v3 bool) (it HeaderItem, problem string, ok bool) {
	s := strings.TrimSpace(line)
	if s == "" {
		return it, "", false
	}
	var problems []string

	// A leading dot before a mnemonic (" .ILM .OHMM : …").
	if s[0] == '.' {
		rest := s[1:]
		if d := strings.IndexByte(rest, '.'); d > 0 {
			word := strings.TrimSpace(rest[:d])
			if word != "" && !strings.ContainsAny(word, " \t:") {
				s = strings.TrimLeft(rest, " \t")
				problems = append(problems, "a dot before the mnemonic was ignored")
			}
		}
	}

	dot := strings.IndexByte(s, '.')
	if dot < 0 {
		c := delimiterColon(s)
		if c < 0 {
			return it, "", false
		}
		it.Mnemonic = strings.TrimSpace(s[:c])
		it.Description = strings.TrimSpace(s[c+1:])
		splitDescription(&it, v3)
		return it, joinProblems(append(problems, "no dot after the mnemonic; the line was read as MNEMONIC : DESCRIPTION")), true
	}
	if c := delimiterColon(s[:dot]); c >= 0 && !isTimeColon(s, c) {
		// "MNEM : description. More" — the colon comes before the first dot: no unit, no value.
		it.Mnemonic = strings.TrimSpace(s[:c])
		it.Description = strings.TrimSpace(s[c+1:])
		splitDescription(&it, v3)
		return it, joinProblems(append(problems, "no dot between the mnemonic and the colon; the line was read as MNEMONIC : DESCRIPTION")), true
	}

	mnem := s[:dot]
	rest := s[dot+1:]
	if k := abbreviationDots(s); k > 0 {
		// "I. Res..OHM-M", "Cond..MS/M": the mnemonic ends in an abbreviation dot.
		mnem, rest = s[:k+1], s[k+2:]
		problems = append(problems, "mnemonic "+strings.TrimSpace(mnem)+" ends in a dot; the second dot of \"..\" was read as the one after the mnemonic")
	}
	it.Mnemonic = strings.TrimSpace(mnem)

	// Unit: directly after the dot, to the first space (or the closing bracket).
	u := 0
	if rest != "" && (rest[0] == '[' || rest[0] == '(') {
		closing := byte(']')
		if rest[0] == '(' {
			closing = ')'
		}
		if k := strings.IndexByte(rest, closing); k > 0 {
			u = k + 1
		}
	}
	for u < len(rest) && rest[u] != ' ' && rest[u] != '\t' {
		u++
	}
	unit, vd := rest[:u], rest[u:]
	c := delimiterColon(vd)
	if c < 0 {
		if k := strings.LastIndexByte(unit, ':'); k >= 0 && (strings.TrimSpace(vd) == "" || k == len(unit)-1) {
			// "DEPT.M:Depth", "GR.gAPI: Gamma ray" — the delimiter colon is in the unit field.
			vd = unit[k:] + vd
			unit = unit[:k]
			c = 0
		}
	}
	it.Unit = unit
	if c < 0 {
		it.Value = strings.TrimSpace(vd)
		problems = append(problems, "no colon before the description")
	} else {
		it.Value = strings.TrimSpace(vd[:c])
		it.Description = strings.TrimSpace(vd[c+1:])
	}
	splitDescription(&it, v3)
	return it, joinProblems(problems), true
}

// abbreviationDots returns the index of the first of two dots that end a mnemonic written with
// an abbreviation dot ("I. Res..OHM-M" is mnemonic "I. Res.", unit "OHM-M"), 0 if the line has
// none. The two dots must come before any colon, directly after a character that is not a blank
// (" DEPT  ..1IN" has the unit ".1IN"), and not before a digit: "DEPT..1IN" keeps the unit
// ".1IN" (0.1 inch) that real files write so. This is how the widely used Python LAS reader
// reads such curve lines (its issue 264), and what the ~A title of such files lists.
func abbreviationDots(s string) int {
	lim := len(s)
	if c := strings.IndexByte(s, ':'); c >= 0 {
		lim = c
	}
	k := strings.Index(s[:lim], "..")
	if k <= 0 || s[k-1] == ' ' || s[k-1] == '\t' || s[k-1] == '.' {
		return 0
	}
	if k+2 < len(s) && (isDigit(s[k+2]) || s[k+2] == '.') {
		return 0
	}
	return k
}

// splitDescription moves a LAS 3.0 "| association" and a trailing "{format}" out of the
// description.
func splitDescription(it *HeaderItem, v3 bool) {
	d := it.Description
	if v3 {
		if k := strings.IndexByte(d, '|'); k >= 0 {
			it.Association = strings.TrimSpace(d[k+1:])
			d = strings.TrimSpace(d[:k])
		}
	}
	if strings.HasSuffix(d, "}") {
		if k := strings.LastIndexByte(d, '{'); k >= 0 {
			it.Format = strings.TrimSpace(d[k+1 : len(d)-1])
			d = strings.TrimSpace(d[:k])
		}
	}
	it.Description = d
}

// delimiterColon returns the index in s of the colon that separates value and description, -1
// if there is none (see ParseHeaderLine).
func delimiterColon(s string) int {
	first := -1
	for i := 0; i < len(s); i++ {
		if s[i] != ':' || isTimeColon(s, i) || strings.HasPrefix(s[i+1:], "//") {
			continue
		}
		if i == 0 || s[i-1] == ' ' || s[i-1] == '\t' {
			return i
		}
		if first < 0 {
			first = i
		}
	}
	return first
}

// isTimeColon reports whether the colon at s[i] sits between two digits, as in 23:15.
func isTimeColon(s string, i int) bool {
	return i > 0 && i+1 < len(s) && isDigit(s[i-1]) && isDigit(s[i+1])
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func joinProblems(p []string) string { return strings.Join(p, "; ") }

// sectionType is what a section title line opens.
type sectionType int

const (
	secNone      sectionType = iota
	secVersion               // ~V, ~Version
	secWell                  // ~W, ~Well
	secCurve                 // ~C, ~Curve, ~Log_Definition
	secParameter             // ~P, ~Parameter, ~Log_Parameter
	secOther                 // ~O, ~Other
	secData                  // ~A, ~ASCII, ~Log_Data
	secSetParam              // LAS 3.0 ~X_Parameter
	secSetDef                // LAS 3.0 ~X_Definition
	secSetData               // LAS 3.0 ~X_Data
	secUser                  // a user-defined section
	secNameless              // "~" followed by nothing or a space
)

// sectionTitle is a parsed section title line.
type sectionTitle struct {
	typ   sectionType
	name  string // the word after the tilde, with its [n]
	set   string // LAS 3.0 set name ("Core"), "" otherwise
	title string // everything after the tilde
	assoc string // what follows "|"
}

// parseSectionTitle reads a title line (the text after the tilde). In LAS 1.2 and 2.0 only the
// letter after the tilde counts (CWLS LAS 2.0 §5.1): V, W, C, P, O, A (case is ignored, as
// real files write "~ascii"). LAS 3.0 names whole words ("Section Title Lines"): ~Log_Parameter,
// ~Log_Definition and ~Log_Data are the log's ~P, ~C and ~A; ~X_Parameter, ~X_Definition and
// ~X_Data (any X, with an optional [n] index, and "| X_Definition" after a data title) form the
// other sets. The suffixed words are recognised in files of every version, since 2.0 files carry
// LAS 3.0 sections and 3.0 files use 2.0 names ("~Curve Information", "~Ascii").
//
// In a LAS 3.0 file (v3) the LAS 3.0 rules classify a title that has no suffix: only a Column
// Data section may name an association after "|" ("Section Title Lines": "No other section
// title lines other than a Data Section title line may use the association delimiter"), so
// "~Core[1] | Core_Definition" is data of set Core whatever its first letter; a name with an
// [n] index is one of a "Section Title Array" and is given the kind of its array by the parser
// (here: data of set X when it has no suffix, "~Core[2]"); and a 2.0 section is recognised by
// its word (~Version, ~Well, ~Curve, ~Parameter, ~Other, ~ASCII, or an abbreviation such as ~C,
// ~Asc), not by its first letter, so that ~Core, ~Comments or ~Pressure are sections of their
// own.
func parseSectionTitle(t string, v3 bool) sectionTitle {
	st := sectionTitle{title: strings.TrimSpace(t)}
	body := t
	if k := strings.IndexByte(body, '|'); k >= 0 {
		st.assoc = strings.TrimSpace(body[k+1:])
		body = body[:k]
	}
	if body == "" || body[0] == ' ' || body[0] == '\t' {
		st.typ = secNameless
		st.name = ""
		return st
	}
	name := body
	if k := strings.IndexAny(name, " \t"); k >= 0 {
		name = name[:k]
	}
	st.name = name
	up := strings.ToUpper(name)
	indexed := false
	if k := strings.IndexByte(up, '['); k > 0 {
		up, indexed = up[:k], true
	}
	for _, s := range []struct {
		suffix       string
		log, setType sectionType
	}{
		{"_PARAMETER", secParameter, secSetParam},
		{"_DEFINITION", secCurve, secSetDef},
		{"_DATA", secData, secSetData},
	} {
		if k := strings.Index(up, s.suffix); k > 0 {
			set := name[:k]
			if strings.EqualFold(set, "LOG") {
				st.typ = s.log
				return st
			}
			st.typ, st.set = s.setType, set
			return st
		}
	}
	root := name
	if k := strings.IndexByte(root, '['); k > 0 {
		root = root[:k]
	}
	if v3 {
		word := reservedWord(up)
		switch {
		case st.assoc != "" && (word == secData || logDefinition(st.assoc)):
			st.typ = secData // "~ASCII | Log_Definition"
		case st.assoc != "":
			st.typ, st.set = secSetData, root
			if k := strings.Index(strings.ToUpper(st.assoc), "_DEFINITION"); k > 0 {
				st.set = st.assoc[:k]
			}
		case indexed && word == secNone:
			st.typ, st.set = secSetData, root
		case word != secNone:
			st.typ = word
		default:
			st.typ = secUser
		}
		return st
	}
	if st.assoc != "" {
		// "~Something | Something_Definition": a data section of a set.
		st.typ, st.set = secSetData, root
		switch {
		case up[0] == 'A' || logDefinition(st.assoc):
			st.typ, st.set = secData, ""
		case up[0] == 'C' && !strings.Contains(strings.ToUpper(st.assoc), "_DEFINITION"):
			st.typ, st.set = secCurve, ""
		}
		return st
	}
	switch up[0] {
	case 'V':
		st.typ = secVersion
	case 'W':
		st.typ = secWell
	case 'C':
		st.typ = secCurve
	case 'P':
		st.typ = secParameter
	case 'O':
		st.typ = secOther
	case 'A':
		st.typ = secData
	default:
		st.typ = secUser
	}
	return st
}

// reservedWord returns the LAS 2.0 section a LAS 3.0 title word names: VERSION, WELL, CURVE,
// PARAMETER, OTHER or ASCII, written whole, abbreviated ("C", "Asc") or extended ("CURVES");
// secNone for any other word.
func reservedWord(up string) sectionType {
	for _, w := range []struct {
		word string
		typ  sectionType
	}{
		{"VERSION", secVersion}, {"WELL", secWell}, {"CURVE", secCurve}, {"PARAMETER", secParameter},
		{"OTHER", secOther}, {"ASCII", secData},
	} {
		if up != "" && (strings.HasPrefix(w.word, up) || strings.HasPrefix(up, w.word)) {
			return w.typ
		}
	}
	return secNone
}

// logDefinition reports whether an association names the log's definition section.
func logDefinition(assoc string) bool {
	up := strings.ToUpper(assoc)
	return strings.HasPrefix(up, "LOG_DEFINITION") || reservedWord(up) == secCurve
}
