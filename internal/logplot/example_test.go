package logplot_test

import (
	"bytes"
	"fmt"
	"log"
	"math"

	"gonum.org/v1/plot/vg"

	"github.com/wellbase/wellbase/internal/logplot"
)

func ExampleLogPlot() {
	// Depth in metres and two curves; NaN is a NULL sample, drawn as a gap.
	depth := logplot.Curve{Mnemonic: "DEPT", Unit: "M"}
	gr := logplot.Curve{Mnemonic: "GR", Unit: "GAPI", Description: "Gamma Ray"}
	rdep := logplot.Curve{Mnemonic: "RDEP", Unit: "OHMM", Description: "Deep Resistivity"}
	for i := range 1000 {
		d := 1500 + 0.1524*float64(i)
		depth.Values = append(depth.Values, d)
		gr.Values = append(gr.Values, 75+50*math.Sin(d/5))
		rdep.Values = append(rdep.Values, math.Pow(10, 1+math.Cos(d/5)))
	}
	rdep.Values[500] = math.NaN()

	var svg bytes.Buffer
	err := logplot.LogPlot(&svg, depth, []logplot.Curve{gr, rdep}, logplot.Options{
		Title:  "Example 1/2",
		Height: 8 * vg.Inch,
		Top:    1520, Base: 1600, // depth window in metres
	})
	if err != nil {
		log.Fatal(err)
	}
	first, _, _ := bytes.Cut(svg.Bytes(), []byte("\n"))
	fmt.Printf("%s\n", first)
	fmt.Println(bytes.Contains(svg.Bytes(), []byte(">RDEP (ohm·m)</text>")))
	// Output:
	// <?xml version="1.0"?>
	// true
}
