package logplot

import (
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Drawing styles.
var (
	sans       = font.Font{Typeface: "Liberation", Variant: "Sans"}
	frameStyle = draw.LineStyle{Color: black, Width: vg.Points(0.75)}
	majorGrid  = draw.LineStyle{Color: color.Gray{Y: 140}, Width: vg.Points(0.5)}
	minorGrid  = draw.LineStyle{Color: color.Gray{Y: 205}, Width: vg.Points(0.3)}
	curveWidth = vg.Points(1)
)

// textStyle returns a Liberation Sans text style of size pt in clr.
func textStyle(pt float64, clr color.Color, x text.XAlignment, y text.YAlignment) text.Style {
	return text.Style{
		Color:   clr,
		Font:    font.From(sans, vg.Points(pt)),
		XAlign:  x,
		YAlign:  y,
		Handler: plot.DefaultTextHandler,
	}
}

// draw draws the whole page on c.
func (l *layout) draw(c draw.Canvas) {
	c.SetColor(color.White)
	c.Fill(c.Rectangle.Path())

	page := draw.Crop(c, margin, -margin, margin, -margin)
	if l.title != "" {
		c.FillText(textStyle(12, black, draw.XCenter, draw.YTop),
			vg.Point{X: page.Center().X, Y: page.Max.Y}, l.title)
	}
	headerTop := page.Max.Y - l.titleHeight()
	dataTop := headerTop - l.headerHeight()
	major, minor := depthTicks(l.base-l.top, l.dataHeight().Points(), 40)

	// The depth track (t nil) and then the curve tracks, left to right.
	type column struct {
		x0, x1 vg.Length
		t      *track
	}
	cols := []column{{page.Min.X, page.Min.X + depthWidth, nil}}
	for i, t := range l.tracks {
		x0 := page.Min.X + depthWidth + vg.Length(i)*l.trackWidth()
		cols = append(cols, column{x0, x0 + l.trackWidth(), t})
	}
	bins := int(math.Ceil(l.dataHeight().Points())) // one per point of track height

	for _, col := range cols {
		header := cell(c, col.x0, col.x1, dataTop, headerTop)
		data := cell(c, col.x0, col.x1, page.Min.Y, dataTop)
		p := l.newTrackPlot()
		if col.t == nil {
			l.drawDepthHeader(header)
			p.Add(depthTrack{major: major, minor: minor, top: l.top, base: l.base})
		} else {
			drawHeader(header, col.t)
			p.Add(grid{major: major, minor: minor, top: l.top, base: l.base, t: col.t})
			for _, tc := range col.t.curves {
				p.Add(curveLine{l: l, c: tc, bins: bins})
			}
		}
		p.Draw(data)
		frame(data)
	}
}

// frame strokes the border of c.
func frame(c draw.Canvas) {
	r := c.Rectangle
	c.StrokeLines(frameStyle, []vg.Point{r.Min, {X: r.Max.X, Y: r.Min.Y}, r.Max,
		{X: r.Min.X, Y: r.Max.Y}, r.Min})
}

// cell returns the part of c between x0–x1 and y0–y1.
func cell(c draw.Canvas, x0, x1, y0, y1 vg.Length) draw.Canvas {
	return draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{
		Min: vg.Point{X: x0, Y: y0}, Max: vg.Point{X: x1, Y: y1}}}
}

// newTrackPlot returns a gonum plot for one track: X runs 0–1 across the track, Y is depth
// increasing downwards over the window, and the axes are hidden (the headers and the depth
// track replace them) with no padding, so every track shares the same depth transform.
func (l *layout) newTrackPlot() *plot.Plot {
	p := plot.New()
	p.BackgroundColor = nil
	p.HideAxes()
	p.X.Padding, p.Y.Padding = 0, 0
	p.X.Min, p.X.Max = 0, 1
	p.Y.Min, p.Y.Max = l.top, l.base
	p.Y.Scale = plot.InvertedScale{Normalizer: plot.LinearScale{}}
	return p
}

// depthLines returns the multiples of step within top–base.
func depthLines(top, base, step float64) []float64 {
	var out []float64
	for k := math.Ceil(top/step - 1e-9); k*step <= base+step*1e-9; k++ {
		out = append(out, roundSig(k*step))
	}
	return out
}

// grid draws a curve track's grid: vertical division or decade lines and horizontal depth lines.
type grid struct {
	major, minor float64
	top, base    float64
	t            *track
}

// Plot implements plot.Plotter.
func (g grid) Plot(c draw.Canvas, p *plot.Plot) {
	tx, ty := p.Transforms(&c)
	s := scale{Left: 0, Right: 1}
	if g.t.log && len(g.t.curves) > 0 {
		s = g.t.curves[0].Scale
	}
	maj, mnr := gridLines(s)
	for _, x := range mnr {
		c.StrokeLine2(minorGrid, tx(x), c.Min.Y, tx(x), c.Max.Y)
	}
	for _, x := range maj {
		c.StrokeLine2(majorGrid, tx(x), c.Min.Y, tx(x), c.Max.Y)
	}
	if minorSpacing(g.minor, g.top, g.base, c) >= 4 {
		for _, d := range depthLines(g.top, g.base, g.minor) {
			c.StrokeLine2(minorGrid, c.Min.X, ty(d), c.Max.X, ty(d))
		}
	}
	for _, d := range depthLines(g.top, g.base, g.major) {
		c.StrokeLine2(majorGrid, c.Min.X, ty(d), c.Max.X, ty(d))
	}
}

// minorSpacing returns the distance in points between minor depth lines on c.
func minorSpacing(step, top, base float64, c draw.Canvas) float64 {
	return step / (base - top) * (c.Max.Y - c.Min.Y).Points()
}

// depthTrack draws the depth labels and tick marks of the depth track.
type depthTrack struct {
	major, minor float64
	top, base    float64
}

// Plot implements plot.Plotter.
func (d depthTrack) Plot(c draw.Canvas, p *plot.Plot) {
	_, ty := p.Transforms(&c)
	if minorSpacing(d.minor, d.top, d.base, c) >= 4 {
		for _, v := range depthLines(d.top, d.base, d.minor) {
			y := ty(v)
			c.StrokeLine2(frameStyle, c.Min.X, y, c.Min.X+4, y)
			c.StrokeLine2(frameStyle, c.Max.X-4, y, c.Max.X, y)
		}
	}
	sty := textStyle(8, black, draw.XCenter, draw.YCenter)
	half := sty.Height("0") / 2
	for _, v := range depthLines(d.top, d.base, d.major) {
		y := ty(v)
		c.StrokeLine2(frameStyle, c.Min.X, y, c.Min.X+8, y)
		c.StrokeLine2(frameStyle, c.Max.X-8, y, c.Max.X, y)
		lsty, at := sty, y
		switch {
		case y+half > c.Max.Y: // at the top of the window: label just below its line
			lsty.YAlign, at = draw.YTop, y-1
		case y-half < c.Min.Y: // at the base: just above
			lsty.YAlign, at = draw.YBottom, y+1
		}
		c.FillText(lsty, vg.Point{X: c.Center().X, Y: at}, formatValue(v))
	}
}

// curveLine draws one curve, decimated to the plot's resolution.
type curveLine struct {
	l    *layout
	c    *trackCurve
	bins int
}

// Plot implements plot.Plotter.
func (cl curveLine) Plot(c draw.Canvas, p *plot.Plot) {
	tx, ty := p.Transforms(&c)
	tc := cl.c
	s := samples{Values: tc.Values, Factor: tc.Factor, Positive: tc.Scale.Log}
	lines := decimate(cl.l.depth.Values, s, cl.l.from, cl.l.to, cl.l.top, cl.l.base, cl.bins)
	paths := make([][]vg.Point, 0, len(lines))
	for _, line := range lines {
		pts := make([]vg.Point, len(line))
		for i, pt := range line {
			pts[i] = vg.Point{X: tx(tc.Scale.norm(pt.Value)), Y: ty(pt.Depth)}
		}
		paths = append(paths, pts)
	}
	sty := draw.LineStyle{Color: tc.Color, Width: curveWidth, Dashes: tc.Dashes}
	c.StrokeLines(sty, c.ClipLinesXY(paths...)...)
}

// drawHeader draws a track header: one row per curve, top down, with the scale's left end, the
// mnemonic and unit, the right end, and a sample of the line below, all in the curve's colour.
func drawHeader(c draw.Canvas, t *track) {
	frame(c)
	const pad = 3
	for i, tc := range t.curves {
		rowTop := c.Max.Y - vg.Length(rowHeight*i) - 3
		baseline := rowTop - 9
		lineY := rowTop - 14
		name := tc.Mnemonic
		if tc.Unit != "" {
			name += " (" + tc.Unit + ")"
		}
		c.FillText(textStyle(8.5, tc.Color, draw.XCenter, draw.YBottom),
			vg.Point{X: c.Center().X, Y: baseline}, name)
		c.FillText(textStyle(7.5, tc.Color, draw.XLeft, draw.YBottom),
			vg.Point{X: c.Min.X + pad, Y: baseline}, formatValue(tc.Scale.Left))
		c.FillText(textStyle(7.5, tc.Color, draw.XRight, draw.YBottom),
			vg.Point{X: c.Max.X - pad, Y: baseline}, formatValue(tc.Scale.Right))
		c.StrokeLine2(draw.LineStyle{Color: tc.Color, Width: curveWidth, Dashes: tc.Dashes},
			c.Min.X+pad, lineY, c.Max.X-pad, lineY)
	}
}

// drawDepthHeader draws the depth track's header: "DEPTH (m)".
func (l *layout) drawDepthHeader(c draw.Canvas) {
	frame(c)
	label := "DEPTH"
	if u := DisplayUnit(l.depth.Unit); u != "" {
		label += " (" + u + ")"
	}
	c.FillText(textStyle(8, black, draw.XCenter, draw.YCenter), c.Center(), label)
}
