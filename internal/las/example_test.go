package las_test

import (
	"encoding/json"
	"fmt"
	"log"
	"os"
	"strings"

	"github.com/wellbase/wellbase/internal/las"
)

// A LAS 2.0 log with a time in a header value, a short data row and a NULL.
const sample = `~VERSION INFORMATION
 VERS.   2.0 : CWLS LOG ASCII STANDARD - VERSION 2.0
 WRAP.   NO  : ONE LINE PER DEPTH STEP
~WELL INFORMATION
 STRT.M   1500.0 : START DEPTH
 STOP.M   1501.0 : STOP DEPTH
 STEP.M   0.5    : STEP
 NULL.    -999.25 : NULL VALUE
 WELL.    DEMO 7 : WELL
 TIML.hh:mm 23:15 23-JAN-2001 : Time logger at bottom
~CURVE INFORMATION
 DEPT.M    : Depth
 GR  .GAPI : Gamma ray
 RHOB.K/M3 : Bulk density
~A
1500.0  45.1  2550
1500.5  47.9
1501.0  -999.25  2561
`

// Read a file, look at a curve and summarize it, as `wellbase las check --json` does.
func Example() {
	f, err := las.Read(strings.NewReader(sample), las.WithName("demo.las"))
	if err != nil {
		log.Fatal(err) // a *las.ParseError: "demo.las: line N: …"
	}
	timl, _ := f.Well.Get("TIML")
	fmt.Printf("TIML unit %q value %q\n", timl.Unit, timl.Value)

	rhob := f.Curve("RHOB")
	n, min, max, _ := rhob.Stats()
	fmt.Printf("%s [%s]: %d of %d samples, %g to %g (NaN marks NULL: %v)\n",
		rhob.Mnemonic, rhob.Unit, n, f.Rows(), min, max, rhob.Values[1])
	for _, w := range f.Warnings {
		fmt.Println("warning:", w)
	}

	s := las.Summarize(f)
	enc := json.NewEncoder(os.Stdout)
	if err := enc.Encode(s.Curves[1]); err != nil {
		log.Fatal(err)
	}
	fmt.Println("index step", s.Index.Step)
	// Output:
	// TIML unit "hh:mm" value "23:15 23-JAN-2001"
	// RHOB [K/M3]: 2 of 3 samples, 2550 to 2561 (NaN marks NULL: NaN)
	// warning: line 17: expected 3 values, found 2; RHOB read as NULL
	// {"mnemonic":"GR","unit":"GAPI","description":"Gamma ray","kind":"number","count":2,"min":45.1,"max":47.9,"mean":46.5}
	// index step 0.5
}

// Write a file read from any LAS version back as LAS 2.0.
func ExampleWrite() {
	f, err := las.Read(strings.NewReader(sample))
	if err != nil {
		log.Fatal(err)
	}
	var out strings.Builder
	if err := las.Write(&out, f); err != nil {
		log.Fatal(err)
	}
	// The lines end with CR LF, as LAS 2.0 asks; they are shown here with LF.
	fmt.Println(strings.ReplaceAll(out.String(), "\r\n", "\n"))
	// Output:
	// ~VERSION INFORMATION
	//  VERS.                  2.0 : CWLS LOG ASCII STANDARD - VERSION 2.0
	//  WRAP.                  NO : ONE LINE PER DEPTH STEP
	// ~WELL INFORMATION
	//  STRT.M                 1500 : START DEPTH
	//  STOP.M                 1501 : STOP DEPTH
	//  STEP.M                 0.5 : STEP
	//  NULL.                  -999.25 : NULL VALUE
	//  WELL.                  DEMO 7 : WELL
	//  TIML.hh:mm             23:15 23-JAN-2001 : Time logger at bottom
	// ~CURVE INFORMATION
	//  DEPT.M                  : Depth
	//  GR.GAPI                 : Gamma ray
	//  RHOB.K/M3               : Bulk density
	// ~A DEPT GR RHOB
	//   1500    45.1    2550
	// 1500.5    47.9 -999.25
	//   1501 -999.25    2561
}

// ParseHeaderLine shows how a header line is split.
func ExampleParseHeaderLine() {
	for _, line := range []string{
		" TIML.hh:mm 23:15 23-JAN-2001 : Time logger at bottom",
		" QI  .        : Survey quality: GOOD",
		" MDEN .KG/M3  2650 : Matrix Bulk Density {F} | DMAT_Depth[1]",
	} {
		it, _, _ := las.ParseHeaderLine(line, true)
		fmt.Printf("%s|%s|%s|%s|%s|%s\n", it.Mnemonic, it.Unit, it.Value, it.Description, it.Format, it.Association)
	}
	// Output:
	// TIML|hh:mm|23:15 23-JAN-2001|Time logger at bottom||
	// QI|||Survey quality: GOOD||
	// MDEN|KG/M3|2650|Matrix Bulk Density|F|DMAT_Depth[1]
}
