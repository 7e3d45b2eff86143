package columnar_test

import (
	"bytes"
	"fmt"
	"log"
	"math"

	"github.com/wellbase/wellbase/internal/columnar"
)

// Example stores three curves of a log, then reads the gamma ray between
// 1500.0 m and 1500.5 m.
func Example() {
	depth := []float64{1499.8476, 1500.0, 1500.1524, 1500.3048, 1500.4572, 1500.6096}
	cols := []columnar.Column{
		{Name: "DEPT", Unit: "M", Float: depth},
		{Name: "GR", Unit: "GAPI", Float: []float64{71.2, 74.9, math.NaN(), 80.3, 78.0, 69.5}},
		{Name: "LITH", Text: []string{"shale", "shale", "", "sand", "sand", "sand"}, Null: []bool{2: true, 5: false}},
	}
	var buf bytes.Buffer
	if err := columnar.Write(&buf, cols); err != nil {
		log.Fatal(err)
	}

	f, err := columnar.Open(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(f.Rows(), "rows:", f.Columns())

	from, to, err := f.IndexRange(1500.0, 1500.5)
	if err != nil {
		log.Fatal(err)
	}
	got, err := f.Read([]string{"DEPT", "GR", "LITH"}, from, to)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("rows [%d, %d)\n", from, to)
	for i := range got[0].Float {
		fmt.Println(got[0].Float[i], got[1].Float[i], got[2].Text[i], got[2].Null[i])
	}
	// Output:
	// 6 rows: [{DEPT M number} {GR GAPI number} {LITH  text}]
	// rows [1, 5)
	// 1500 74.9 shale false
	// 1500.1524 NaN  true
	// 1500.3048 80.3 sand false
	// 1500.4572 78 sand false
}

// ExampleFile_Read shows the error for a curve that is not in the file.
func ExampleFile_Read() {
	var buf bytes.Buffer
	err := columnar.Write(&buf, []columnar.Column{
		{Name: "DEPT", Unit: "M", Float: []float64{100, 100.5}},
		{Name: "GR:1", Unit: "GAPI", Float: []float64{55, 56}},
		{Name: "GR:2", Unit: "GAPI", Float: []float64{54, 57}},
	})
	if err != nil {
		log.Fatal(err)
	}
	f, err := columnar.Open(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		log.Fatal(err)
	}
	got, err := f.Read([]string{"GR:2"}, 0, f.Rows())
	fmt.Println(got[0].Name, got[0].Float, err)
	_, err = f.Read([]string{"GR"}, 0, f.Rows())
	fmt.Println(err)
	// Output:
	// GR:2 [54 57] <nil>
	// columnar: read column "GR": unknown column
}
