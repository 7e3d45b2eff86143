package production_test

import (
	"fmt"
	"log"
	"strings"

	"github.com/wellbase/wellbase/internal/production"
)

// Read a semicolon-delimited CSV with units in the header, a NULL cell, a negative volume and a
// 25-hour day, then look at the records, the well summary and the issues. Without a code column
// the UWI is the well's code (its join key).
func Example() {
	const file = "Date;Well;UWI;Oil [Sm3];Gas [MSm3];Water [Sm3];On stream [h]\n" +
		"2014-10-25;F-14;NO 15/9-F-14 H;1279,3;0,19;NULL;24\n" +
		"2014-10-26;F-14;NO 15/9-F-14 H;1302,5;0,20;-0,95;25\n"
	res, err := production.Parse(strings.NewReader(file), "", production.Options{})
	if err != nil {
		log.Fatal(err) // a *wellbase.Error with code "invalid" when the file cannot be read
	}
	for _, r := range res.Records {
		oil, unit := r.Volume(production.Oil)
		fmt.Printf("row %d %s %s %s: oil %g %s, water nil: %v\n", r.Row, r.Key(), r.Well.Name, r.Well.UWI, *oil, unit, r.Water == nil)
	}
	w := res.Wells[0]
	cum, unit, _ := w.Cumulative(production.Day, production.Oil)
	fmt.Printf("well %s: %d daily rows, cumulative oil %.1f %s\n", w.Code, w.Period(production.Day).Rows, cum, unit)
	for _, is := range res.Issues {
		fmt.Printf("row %d %s: %s\n", is.Row, is.Kind, is.Message)
	}
	// Output:
	// row 2 NO 15/9-F-14 H|day|2014-10-25 F-14 NO 15/9-F-14 H: oil 1279.3 Sm3, water nil: true
	// row 3 NO 15/9-F-14 H|day|2014-10-26 F-14 NO 15/9-F-14 H: oil 1302.5 Sm3, water nil: false
	// well NO 15/9-F-14 H: 2 daily rows, cumulative oil 2581.8 Sm3
	// row 3 negative: negative water volume -0.95: kept
	// row 3 long_day: on-stream hours 25 exceed the 24 hours of 2014-10-26 (the day clocks go back for daylight saving?): kept
}

// A file that is not production data is an error that says what is missing.
func ExampleParseCSV_error() {
	_, err := production.ParseCSV(strings.NewReader("well,oil\nF-14,12\n"), production.Options{})
	fmt.Println(err)
	// Output:
	// wellbase error: code=invalid message=no date column in the header (row 1: well, oil); expected a column named date (or DATEPRD, production date, …), year and month columns, or a month column
}
