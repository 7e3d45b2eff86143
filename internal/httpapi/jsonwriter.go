package httpapi

import (
	"bufio"
	"encoding/json"
	"io"
	"math"
	"strconv"
)

// jsonWriter writes large JSON answers (curve samples) straight to the response, without
// building them in memory; NaN samples become null.
type jsonWriter struct {
	w   *bufio.Writer
	buf []byte
}

func newJSONWriter(w io.Writer) *jsonWriter {
	return &jsonWriter{w: bufio.NewWriterSize(w, 64<<10), buf: make([]byte, 0, 32)}
}

func (j *jsonWriter) raw(s string) *jsonWriter {
	j.w.WriteString(s)
	return j
}

func (j *jsonWriter) str(s string) *jsonWriter {
	b, _ := json.Marshal(s)
	j.w.Write(b)
	return j
}

func (j *jsonWriter) floats(v []float64) *jsonWriter {
	j.w.WriteByte('[')
	for i, f := range v {
		if i > 0 {
			j.w.WriteByte(',')
		}
		if math.IsNaN(f) || math.IsInf(f, 0) {
			j.w.WriteString("null")
			continue
		}
		j.buf = strconv.AppendFloat(j.buf[:0], f, 'g', -1, 64)
		j.w.Write(j.buf)
	}
	j.w.WriteByte(']')
	return j
}

func (j *jsonWriter) texts(v []string, null []bool) *jsonWriter {
	j.w.WriteByte('[')
	for i, s := range v {
		if i > 0 {
			j.w.WriteByte(',')
		}
		if null != nil && null[i] {
			j.w.WriteString("null")
			continue
		}
		j.str(s)
	}
	j.w.WriteByte(']')
	return j
}

func (j *jsonWriter) flush() error { return j.w.Flush() }
