package las

import (
	"fmt"
	"strings"
	"testing"
)

// las3 is a LAS 3.0 file with parameter, core, tops and test sets, a comma delimiter, quoted
// strings (one over two lines), an empty field and the log data last.
const las3 = `~Version
 VERS.   3.0   : CWLS LOG ASCII STANDARD - VERSION 3.0
 WRAP.   NO    : ONE LINE PER DEPTH STEP
 DLM .   COMMA : DELIMITING CHARACTER
~Well
 STRT.M  1670.0 : First Index Value {F}
 STOP.M  1669.75 : Last Index Value {F}
 STEP.M  -0.125 : STEP {F}
 NULL.   -999.25 : NULL VALUE
 WELL.   ANY ET AL 12-34 : WELL {S}
~Log_Parameter
 MATR .       SAND : Neutron Porosity Matrix  {S} | NMAT_Depth[1]
 MDEN .KG/M3  2650 : Matrix Bulk Density      {F} | DMAT_Depth[1]
~Log_Definition
 DEPT .M      : DEPTH {F}
 CDES .       : CORE DESCRIPTION {S}
 NMR[1] .ms   : NMR Echo Array {AF;0ms}
 NMR[2] .ms   : NMR Echo Array {AF;5ms}
~Core_Definition
 CORET.M : Core Top Depth {F}
 COREB.M : Core Bottom Depth {F}
 CDES .  : Core Description {S}
~Core_Data[1] | Core_Definition
 545.50,550.60,Long cylindrical hunk of rock
 551.20,554.90,"Broken, with ""fractures"" 
 and vugs"
~Core_Data[2] | Core_Definition
 655.50,660.60,Debris only
~Tops_Parameter
 TOPS . KGS : Formation Source {S}
~Tops_Definition
 TOPT.M : Top Depth {F}
 TOPN.  : Top Name {S}
~Tops_Data | Tops_Definition
 545.50,"Viking"
 602.00,"-999.25"
~Log_Data | Log_Definition
1670.000,DOLOMITE WI/VUGS,10,12
1669.875,"LIMESTONE, TIGHT",,15
1669.750,-999.25,18,-999.25
`

func TestReadLAS3(t *testing.T) {
	t.Parallel()
	f := readString(t, las3)
	if f.Version != "3.0" || f.Delimiter != Comma || f.Rows() != 3 {
		t.Fatalf("version %s delimiter %s rows %d", f.Version, f.Delimiter, f.Rows())
	}
	if it, _ := f.Parameters.Get("MDEN"); it.Unit != "KG/M3" || it.Value != "2650" || it.Format != "F" || it.Association != "DMAT_Depth[1]" {
		t.Errorf("MDEN %+v", it)
	}
	if got := samples(f.Curve("CDES")); got != "T:DOLOMITE WI/VUGS,LIMESTONE, TIGHT,~" {
		t.Errorf("CDES = %s", got)
	}
	if got := samples(f.Curve("NMR[1]")); got != "10,~,18" {
		t.Errorf("NMR[1] = %s", got)
	}
	if c := f.Curve("NMR[2]"); c.Format != "AF;5ms" || samples(c) != "12,15,~" {
		t.Errorf("NMR[2] %q = %s", c.Format, samples(c))
	}

	core1 := f.Section("Core_Data[1]")
	if core1 == nil || core1.Kind != SectionData || core1.Set != "Core" || core1.Association != "Core_Definition" || core1.Rows() != 2 {
		t.Fatalf("Core_Data[1] = %+v", core1)
	}
	if got := samples(&core1.Curves[2]); got != "T:Long cylindrical hunk of rock,Broken, with \"fractures\" \n and vugs" {
		t.Errorf("core descriptions %s", got)
	}
	if core2 := f.Section("Core_Data[2]"); core2 == nil || core2.Rows() != 1 || core2.Curves[0].Mnemonic != "CORET" {
		t.Errorf("Core_Data[2] = %+v", core2)
	}
	tops := f.Section("Tops_Data")
	if tops == nil || samples(&tops.Curves[1]) != "T:Viking,~" {
		t.Errorf("tops %+v", tops)
	}
	if p := f.Section("Tops_Parameter"); p == nil || p.Kind != SectionParameter || p.Items.Value("TOPS") != "KGS" {
		t.Errorf("Tops_Parameter %+v", p)
	}
	s := Summarize(f)
	if len(s.Sections) != 3 || s.Sections[0].Name != "Core_Data[1]" || s.Sections[2].Rows != 2 {
		t.Errorf("summary sections %+v", s.Sections)
	}
	for _, w := range f.Warnings {
		t.Errorf("warning %v", w)
	}
}

func TestReadLAS3Delimiters(t *testing.T) {
	t.Parallel()
	head := "~Version\n VERS. 3.0 :\n WRAP. NO :\n DLM . %s :\n~Well\n NULL. -999.25 :\n~Curve\n DEPT.M :\n A. :\n B. :\n~Ascii\n"
	tests := map[string]string{
		"SPACE": "1  \"two words\"  3\n2 x -999.25\n",
		"TAB":   "1\ttwo words\t3\n2\tx\t\n",
		"COMMA": "1, two words ,3\n2,x,\n",
	}
	for dlm, rows := range tests {
		t.Run(dlm, func(t *testing.T) {
			t.Parallel()
			f := readString(t, strings.Replace(head, "%s", dlm, 1)+rows)
			if string(f.Delimiter) != dlm {
				t.Errorf("delimiter %s", f.Delimiter)
			}
			if got := samples(f.Curve("A")); got != "T:two words,x" {
				t.Errorf("A = %s", got)
			}
			if got := samples(f.Curve("B")); got != "3,~" {
				t.Errorf("B = %s", got)
			}
		})
	}
}

// TestReadLAS3SetsAfterLog: repeated ~Parameter/~Curve/~Ascii groups (a multi-set file) keep
// the first as the log and the others as sections.
func TestReadLAS3SetsAfterLog(t *testing.T) {
	t.Parallel()
	in := "~Version\n VERS. 3.0 :\n~Well\n NULL. -9999 :\n~Curve\n MD.FT :\n~Ascii\n1\n2\n" +
		"~Parameter\n SET. TOPS :\n~Curve\n TOP.FT :\n NAME. :\n~Ascii\n100 Shale\n"
	f := readString(t, in)
	if f.Rows() != 2 || len(f.Curves) != 1 {
		t.Fatalf("rows %d curves %d", f.Rows(), len(f.Curves))
	}
	var data *Section
	for i := range f.Sections {
		if f.Sections[i].Kind == SectionData {
			data = &f.Sections[i]
		}
	}
	if data == nil || data.Rows() != 1 || data.Curves[1].Mnemonic != "NAME" || data.Curves[1].Text[0] != "Shale" {
		t.Fatalf("set data %+v", data)
	}
}

// TestReadLAS3SectionArrays: ~Core[1] | Core_Definition and ~Core[2] are data sections of set
// Core, not curve definitions (issue 13 item 8), and a definition section whose data title is
// missing gets its data from its first data line (item 9).
func TestReadLAS3SectionArrays(t *testing.T) {
	t.Parallel()
	head := "~Version\n VERS. 3.0 :\n WRAP. NO :\n DLM . COMMA :\n~Well\n NULL. -999.25 :\n" +
		"~Core_Definition\n CORET.M : Core Top {F}\n COREB.M : Core Bottom {F}\n CDES. : Core Description {S}\n"
	log := "~Curve\n DEPT .M : DEPTH {F}\n GR .GAPI : Gamma {F}\n~Comments\n one line of text\n~Ascii\n1670.000,10\n1669.875,12\n"
	tests := []struct {
		name, in string
		rows     []int
	}{
		{"IndexedWithAndWithoutAssociation", head + "~Core[1] | Core_Definition\n 545.50,550.60,Long hunk\n 551.20,554.90,Broken\n~Core[2]\n 655.50,660.60,Debris\n" + log, []int{2, 1}},
		{"DataTitleMissing", head + " 545.50,550.60,Long hunk\n 551.20,554.90,Broken\n" + log, []int{2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := readString(t, tt.in)
			if got := strings.Join(mnemonics(f), " "); got != "DEPT GR" || f.Rows() != 2 {
				t.Fatalf("log curves %s rows %d, want DEPT GR and 2 rows", got, f.Rows())
			}
			var rows []int
			for _, s := range f.Sections {
				if s.Kind == SectionData {
					if s.Set != "Core" || len(s.Curves) != 3 || s.Curves[2].Mnemonic != "CDES" || s.Curves[2].Kind != KindText {
						t.Errorf("section %s set %q curves %d", s.Name, s.Set, len(s.Curves))
					}
					rows = append(rows, s.Rows())
				}
			}
			if fmt.Sprint(rows) != fmt.Sprint(tt.rows) {
				t.Errorf("core data sections of %v rows, want %v", rows, tt.rows)
			}
			if c := f.Section("Comments"); c == nil || c.Kind != SectionOther || c.Text != "one line of text" {
				t.Errorf("~Comments is not a section of its own: %+v", c)
			}
			sameCheck(t, []byte(tt.in))
		})
	}
}
