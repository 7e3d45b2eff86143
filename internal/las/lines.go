package las

import (
	"bytes"
	"errors"
	"io"
)

const (
	lineBufSize = 256 << 10 // read size; lines longer than this grow the buffer
	maxLineLen  = 64 << 20  // a longer line is not LAS text
)

// errLineTooLong and errNUL end reading: the input is not a LAS text file.
var (
	errLineTooLong = errors.New("line too long")
	errNUL         = errors.New("NUL byte")
)

// lineReader returns the lines of decoded text one at a time, without their line ending. It ends
// lines at LF (dropping a CR before it) or, for files whose first line ends with a bare CR, at
// CR. A DOS end-of-file byte (0x1A) ends the text (CWLS LAS 2.0 §3 allows no control
// characters; DOS editors wrote 0x1A after the last line). A NUL byte is an error: binary data.
//
// The returned slice is valid until the next call.
type lineReader struct {
	r       io.Reader
	buf     []byte
	start   int // first unread byte
	end     int // end of buffered bytes
	eof     bool
	err     error
	errLine int // line of a NUL byte
	sep     byte
	line    int // number of the last line returned (1-based)
	ctrlZ   int // line of a 0x1A byte, 0 if none
	zAfter  bool
	// consumed counts the bytes of the lines returned so far.
	consumed int64
	// lastStart is where in buf the last line returned starts: the lines before it, back to
	// the start of buf, are still there (see before).
	lastStart int
}

func newLineReader(r io.Reader, crOnly bool, size int64) *lineReader {
	n := lineBufSize
	if size >= 0 && size < int64(n)/2 {
		n = int(size)*2 + 4096 // room for UTF-16 and Windows-1252 text decoded to UTF-8
	}
	lr := &lineReader{r: r, buf: make([]byte, n), sep: '\n'}
	if crOnly {
		lr.sep = '\r'
	}
	return lr
}

// fill reads more bytes, keeping the unread ones. It grows the buffer when it is full of one
// line.
func (lr *lineReader) fill() {
	if lr.start > 0 {
		n := copy(lr.buf, lr.buf[lr.start:lr.end])
		lr.start, lr.end = 0, n
	}
	if lr.end == len(lr.buf) {
		if len(lr.buf) >= maxLineLen {
			lr.err = errLineTooLong
			return
		}
		nb := make([]byte, 2*len(lr.buf))
		copy(nb, lr.buf[:lr.end])
		lr.buf = nb
	}
	for tries := 0; tries < 100; tries++ {
		n, err := lr.r.Read(lr.buf[lr.end:])
		if n > 0 {
			chunk := lr.buf[lr.end : lr.end+n]
			if z := bytes.IndexByte(chunk, 0x1A); z >= 0 {
				// Everything after a DOS end-of-file byte is ignored.
				lr.ctrlZ = lr.line + 1 + bytes.Count(lr.buf[lr.start:lr.end+z], []byte{lr.sep})
				lr.zAfter = len(bytes.TrimSpace(chunk[z+1:])) > 0
				n = z
				lr.eof = true
			}
			if z := bytes.IndexByte(lr.buf[lr.end:lr.end+n], 0); z >= 0 {
				lr.err = errNUL
				lr.errLine = lr.line + 1 + bytes.Count(lr.buf[lr.start:lr.end+z], []byte{lr.sep})
				return
			}
			lr.end += n
			if err == io.EOF {
				lr.eof = true
			} else if err != nil {
				lr.err = err
			}
			return
		}
		if err == io.EOF {
			lr.eof = true
			return
		}
		if err != nil {
			lr.err = err
			return
		}
	}
	lr.err = io.ErrNoProgress
}

// before returns the n-th line before the last line returned (n ≥ 1), without its line ending,
// while it is still in the buffer (the buffer keeps the lines from the last time it was
// compacted on); nil when it is not.
func (lr *lineReader) before(n int) []byte {
	end := lr.lastStart // where the line after the one sought starts
	for ; n > 0; n-- {
		if end <= 0 {
			return nil
		}
		e := end - 1 // its line ending
		s := bytes.LastIndexByte(lr.buf[:e], lr.sep) + 1
		if n == 1 {
			line := lr.buf[s:e]
			if len(line) > 0 && line[len(line)-1] == '\r' {
				line = line[:len(line)-1]
			}
			return line
		}
		end = s
	}
	return nil
}

// next returns the next line and true, or nil and false at the end of the text or on an error
// (see lr.err).
func (lr *lineReader) next() ([]byte, bool) {
	for {
		if i := bytes.IndexByte(lr.buf[lr.start:lr.end], lr.sep); i >= 0 {
			line := lr.buf[lr.start : lr.start+i]
			if lr.sep == '\n' {
				if k := bytes.IndexByte(line, '\r'); k >= 0 && k < len(line)-1 {
					// A bare CR inside an LF file (mixed line endings) ends a line too.
					i = k
				}
				line = lr.buf[lr.start : lr.start+i]
				if len(line) > 0 && line[len(line)-1] == '\r' {
					line = line[:len(line)-1]
				}
			}
			lr.lastStart = lr.start
			lr.start += i + 1
			lr.consumed += int64(i + 1)
			lr.line++
			return line, true
		}
		if lr.eof || lr.err != nil {
			if lr.start < lr.end && lr.err == nil {
				line := lr.buf[lr.start:lr.end]
				lr.consumed += int64(len(line))
				lr.lastStart, lr.start = lr.start, lr.end
				lr.line++
				if len(line) > 0 && line[len(line)-1] == '\r' {
					line = line[:len(line)-1]
				}
				return line, true
			}
			return nil, false
		}
		lr.fill()
	}
}
