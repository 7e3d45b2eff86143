package las

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestParseHeaderLine(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, line                     string
		v3                             bool
		mnem, unit, value, desc        string
		format, assoc                  string
		wantProblem, wantNotHeaderLine bool
	}{
		{name: "Standard", line: " STRT.M        1670.0000 : START DEPTH", mnem: "STRT", unit: "M", value: "1670.0000", desc: "START DEPTH"},
		{name: "SpacesBeforeDot", line: "STRT    .M      1670.0000   :START DEPTH", mnem: "STRT", unit: "M", value: "1670.0000", desc: "START DEPTH"},
		{name: "NoUnit", line: " NULL.          -999.25  : NULL VALUE", mnem: "NULL", value: "-999.25", desc: "NULL VALUE"},
		{name: "ColonRightAfterValue", line: " STRT.M        1670.000000:", mnem: "STRT", unit: "M", value: "1670.000000"},
		{name: "LAS12Layout", line: " COMP.             COMPANY:   # ANY OIL COMPANY LTD.", mnem: "COMP", value: "COMPANY", desc: "# ANY OIL COMPANY LTD."},
		{name: "TimeInUnitAndValue", line: " TIML.hh:mm 23:15 23-JAN-2001 : Time logger at bottom", mnem: "TIML", unit: "hh:mm", value: "23:15 23-JAN-2001", desc: "Time logger at bottom"},
		{name: "ColonInDescription", line: " QI  .        : Survey quality: GOOD", mnem: "QI", desc: "Survey quality: GOOD"},
		{name: "ColonPickStart", line: "TIML.hh:mm 23:15 23-JAN-2001:   Time Logger: At Bottom", mnem: "TIML", unit: "hh:mm", value: "23:15 23-JAN-2001", desc: "Time Logger: At Bottom"},
		{name: "ColonPickEnd", line: "TIML.hh:mm 23:15 23-JAN-2001:   Time Logger At Bottom:", mnem: "TIML", unit: "hh:mm", value: "23:15 23-JAN-2001", desc: "Time Logger At Bottom:"},
		{name: "TimeValueUnitWithDots", line: "TIME.HH.MM.SS         23:28:54:  Test time {S}", mnem: "TIME", unit: "HH.MM.SS", value: "23:28:54", desc: "Test time", format: "S"},
		{name: "ColonInValue", line: "EPD .m     Water depth: 3642 ft       : Elevation", mnem: "EPD", unit: "m", value: "Water depth: 3642 ft", desc: "Elevation"},
		{name: "TimeOfDayInValue", line: "DATE.  01/01/2001 1:30 PM    :DATE", mnem: "DATE", value: "01/01/2001 1:30 PM", desc: "DATE"},
		{name: "URLInValue", line: "LINK.  http://example.org/x : web page", mnem: "LINK", value: "http://example.org/x", desc: "web page"},
		{name: "UnitStartsWithDot", line: "DEPT..1IN              :   1  DEPTH", mnem: "DEPT", unit: ".1IN", desc: "1  DEPTH"},
		{name: "BracketUnit", line: " DEPT.[M]     : 1  DEPTH", mnem: "DEPT", unit: "[M]", desc: "1  DEPTH"},
		{name: "BracketUnitWithSpace", line: " TEMP.[DEG F]  88.5 : temperature", mnem: "TEMP", unit: "[DEG F]", value: "88.5", desc: "temperature"},
		{name: "UnitWithSpaceIsCut", line: " _T_TEMP  .DEG F     : Temperature {F}", mnem: "_T_TEMP", unit: "DEG", value: "F", desc: "Temperature", format: "F"},
		{name: "UnitColonNoSpace", line: "DEPT.M:Depth", mnem: "DEPT", unit: "M", desc: "Depth"},
		{name: "CyrillicUnit", line: " DEPT.метер   :  1  DEPTH", mnem: "DEPT", unit: "метер", desc: "1  DEPTH"},
		{name: "LeadingDot", line: " .ILM .OHMM                   :  7  MEDIUM RESISTIVITY", mnem: "ILM", unit: "OHMM", desc: "7  MEDIUM RESISTIVITY", wantProblem: true},
		{name: "NoMnemonic", line: " .OHMM                   :  5  RXO RESISTIVITY", mnem: "", unit: "OHMM", desc: "5  RXO RESISTIVITY"},
		// The first dot ends the mnemonic (CWLS LAS 2.0 §5.2): a unit may hold dots.
		{name: "UnitWithDots", line: "GR.NORM.   45.0 : normalised gamma", mnem: "GR", unit: "NORM.", value: "45.0", desc: "normalised gamma"},
		{name: "CyrillicUnitWithDots", line: " аПС.усл.ед.      : ПС абсолютное", mnem: "аПС", unit: "усл.ед.", desc: "ПС абсолютное"},
		{name: "CyrillicUnitWithDotsNoSpace", line: " НГК.усл.ед.: нейтронный гамма-каротаж", mnem: "НГК", unit: "усл.ед.", desc: "нейтронный гамма-каротаж"},
		// Issue 13 item 11: a mnemonic with an abbreviation dot before the delimiter dot.
		{name: "MnemonicWithDotAndSpace", line: "I. Res..OHM-M                  : I. Res.", mnem: "I. Res.", unit: "OHM-M", desc: "I. Res.", wantProblem: true},
		{name: "MnemonicEndsInDot", line: "Cond..MS/M                     : Cond.", mnem: "Cond.", unit: "MS/M", desc: "Cond.", wantProblem: true},
		{name: "DotsInDescriptionOnly", line: "SRVC.     SERVICE:   a very long name....", mnem: "SRVC", value: "SERVICE", desc: "a very long name...."},
		{name: "UnitStartsWithDotSpaced", line: " TDEP  ..1IN                      :  0.1-in", mnem: "TDEP", unit: ".1IN", desc: "0.1-in"},
		// Issue 13 item 11: the colon right after the unit is the delimiter.
		{name: "ColonRightAfterUnit", line: " GR.gAPI: Gamma ray", mnem: "GR", unit: "gAPI", desc: "Gamma ray"},
		{name: "ColonRightAfterUnitWithValue", line: " BS.MM:   200.0", mnem: "BS", unit: "MM", desc: "200.0"},
		{name: "NoDot", line: "           HOLE NUMBER :hole", mnem: "HOLE NUMBER", desc: "hole", wantProblem: true},
		{name: "ColonBeforeDot", line: "  LOGTYPE :TT5.00", mnem: "LOGTYPE", desc: "TT5.00", wantProblem: true},
		{name: "NoColon", line: "STRT.M 1670.0", mnem: "STRT", unit: "M", value: "1670.0", wantProblem: true},
		{name: "NotAHeaderLine", line: "DEPTH     DT       RHOB     NPHI", wantNotHeaderLine: true},
		{name: "Dashes", line: "----------------------------------", wantNotHeaderLine: true},
		{name: "FormatInLAS2", line: "DEPT .F      :DEPTH (BOREHOLE) {F10.1}", mnem: "DEPT", unit: "F", desc: "DEPTH (BOREHOLE)", format: "F10.1"},
		{name: "PipeInLAS2IsText", line: "NOTE.   a|b : c | d", mnem: "NOTE", value: "a|b", desc: "c | d"},
		{name: "LAS3FormatAndAssociation", line: " MDEN .KG/M3       2650 : Matrix Bulk Density {F}   |  DMAT_Depth[1]    ", v3: true,
			mnem: "MDEN", unit: "KG/M3", value: "2650", desc: "Matrix Bulk Density", format: "F", assoc: "DMAT_Depth[1]"},
		{name: "LAS3CommaValue", line: " NMAT_Depth[1].M  500,1500     : Neutron Matrix Depth interval {F}", v3: true,
			mnem: "NMAT_Depth[1]", unit: "M", value: "500,1500", desc: "Neutron Matrix Depth interval", format: "F"},
		{name: "LAS3DateFormatNoSpace", line: "Recording_date .unitless  :Recording date{MM/dd/yyyy HH:mm:ss}", v3: true,
			mnem: "Recording_date", unit: "unitless", desc: "Recording date", format: "MM/dd/yyyy HH:mm:ss"},
		{name: "Tabs", line: "DT  .US/M     \t\t     :  2  SONIC TRANSIT TIME", mnem: "DT", unit: "US/M", desc: "2  SONIC TRANSIT TIME"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			it, problem, ok := ParseHeaderLine(tt.line, tt.v3)
			if tt.wantNotHeaderLine {
				if ok {
					t.Fatalf("read as a header line: %+v", it)
				}
				return
			}
			if !ok {
				t.Fatal("not read as a header line")
			}
			got := []string{it.Mnemonic, it.Unit, it.Value, it.Description, it.Format, it.Association}
			want := []string{tt.mnem, tt.unit, tt.value, tt.desc, tt.format, tt.assoc}
			if strings.Join(got, "¦") != strings.Join(want, "¦") {
				t.Errorf("got  %q\nwant %q", got, want)
			}
			if (problem != "") != tt.wantProblem {
				t.Errorf("problem %q, want one: %v", problem, tt.wantProblem)
			}
		})
	}
}

func TestParseSectionTitle(t *testing.T) {
	t.Parallel()
	tests := []struct {
		title string
		typ   sectionType
		set   string
		assoc string
	}{
		{"VERSION INFORMATION", secVersion, "", ""},
		{"W", secWell, "", ""},
		{"Curve Information Block", secCurve, "", ""},
		{"PARAMETER INFORMATION", secParameter, "", ""},
		{"Other", secOther, "", ""},
		{"A  DEPTH     DT       RHOB", secData, "", ""},
		{"ascii", secData, "", ""},
		{"Log_Parameter", secParameter, "", ""},
		{"LOG_DEFINITION", secCurve, "", ""},
		{"Log_Data | Log_Definition", secData, "", "Log_Definition"},
		{"Core_Definition", secSetDef, "Core", ""},
		{"Core_Data[2] | Core_Definition", secSetData, "Core", "Core_Definition"},
		{"Test_Parameter[1]", secSetParam, "Test", ""},
		{"Perforations_Definition", secSetDef, "Perforations", ""},
		{"Phase_data_RMDATA | Phase_Definition_RMDATA", secSetData, "Phase", "Phase_Definition_RMDATA"},
		{"SPECIAL INFORMATION", secUser, "", ""},
		{"   DEPTH     TENSION", secNameless, "", ""},
		{"", secNameless, "", ""},
		{"Core[1] | Core_Definition", secSetData, "Core", "Core_Definition"},
	}
	for _, tt := range tests {
		st := parseSectionTitle(tt.title, false)
		if st.typ != tt.typ || st.set != tt.set || st.assoc != tt.assoc {
			t.Errorf("~%s: type %d set %q assoc %q, want %d %q %q", tt.title, st.typ, st.set, st.assoc, tt.typ, tt.set, tt.assoc)
		}
	}
	// Issue 13 item 8: in a LAS 3.0 file the title's word and association classify it, not its
	// first letter.
	v3 := []struct {
		title string
		typ   sectionType
		set   string
	}{
		{"Core[1] | Core_Definition", secSetData, "Core"},
		{"Core[2]", secSetData, "Core"},
		{"Core_Definition", secSetDef, "Core"},
		{"Comments", secUser, ""},
		{"Pressure", secUser, ""},
		{"Curve Information", secCurve, ""},
		{"C", secCurve, ""},
		{"Asc DEPTH", secData, ""},
		{"ASCII | Log_Definition", secData, ""},
		{"Ascii", secData, ""},
		{"Parameter Information Block", secParameter, ""},
		{"Version", secVersion, ""},
		{"Well Information", secWell, ""},
		{"Other", secOther, ""},
		{"Log_Data[2] | Log_Definition", secData, ""},
		{"Drilling | Drilling_Definition", secSetData, "Drilling"},
	}
	for _, tt := range v3 {
		st := parseSectionTitle(tt.title, true)
		if st.typ != tt.typ || st.set != tt.set {
			t.Errorf("LAS 3.0 ~%s: type %d set %q, want %d %q", tt.title, st.typ, st.set, tt.typ, tt.set)
		}
	}
}

var (
	spaceRun  = regexp.MustCompile(`\s+`)
	spaceNear = regexp.MustCompile(`\s*([.:{}|])\s*`)
)

// normalizeHeader removes the spacing a header line may vary in.
func normalizeHeader(s string) string {
	s = spaceRun.ReplaceAllString(strings.TrimSpace(s), " ")
	return spaceNear.ReplaceAllString(s, "$1")
}

// TestHeaderLinesOfAllFiles splits every header line of every real file and checks that
// nothing is lost or moved (the parts put back together give the line, spacing aside) and that
// no value holds a colon that could have been the delimiter.
func TestHeaderLinesOfAllFiles(t *testing.T) {
	t.Parallel()
	var n int
	for _, set := range []string{"data/las", "cases/las"} {
		root := sharedPath(t, set)
		for _, rel := range lasFiles(t, root) {
			f, err := readFile(filepath.Join(root, rel))
			if err != nil || f.Encoding != "UTF-8" && f.Encoding != "UTF-8 BOM" {
				continue // the line check below reads the raw bytes as UTF-8
			}
			fh, err := os.Open(filepath.Join(root, rel))
			if err != nil {
				t.Fatal(err)
			}
			sc := bufio.NewScanner(fh)
			sc.Buffer(make([]byte, 1<<20), 1<<24)
			inHeader, v3 := false, f.Version == "3.0"
			for sc.Scan() {
				line := strings.TrimPrefix(sc.Text(), "\uFEFF")
				tl := strings.TrimSpace(line)
				if strings.HasPrefix(tl, "~") {
					st := parseSectionTitle(tl[1:], v3)
					switch st.typ {
					case secVersion, secWell, secCurve, secParameter, secSetParam, secSetDef:
						inHeader = true
					default:
						inHeader = false
					}
					continue
				}
				if !inHeader || tl == "" || tl[0] == '#' {
					continue
				}
				it, problem, ok := ParseHeaderLine(line, v3)
				if !ok || problem != "" {
					continue // repaired lines are checked by the table above
				}
				n++
				rebuilt := it.Mnemonic + "." + it.Unit + " " + it.Value + ":" + it.Description
				if it.Format != "" {
					rebuilt += "{" + it.Format + "}"
				}
				if it.Association != "" {
					rebuilt += "|" + it.Association
				}
				if a, b := normalizeHeader(line), normalizeHeader(rebuilt); a != b {
					t.Errorf("%s: %q\n  split as %q", rel, line, rebuilt)
				}
				if c := delimiterColon(it.Value); c >= 0 && (c == 0 || it.Value[c-1] == ' ' || it.Value[c-1] == '\t') {
					t.Errorf("%s: %q: value %q holds a spaced colon", rel, line, it.Value)
				}
				if strings.ContainsAny(it.Unit, " \t") && !strings.HasPrefix(it.Unit, "[") {
					t.Errorf("%s: %q: unit %q holds a space", rel, line, it.Unit)
				}
			}
			fh.Close()
		}
	}
	if n < 1000 {
		t.Errorf("only %d header lines checked", n)
	}
	t.Logf("%d header lines checked", n)
}
