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
	// lastStart is where in buf the last line returned starts: the context lines before it
	// are still there (see before).
	lastStart int
	// shared: blocks handed to workers (parallel.go) still read buf, which must not be written
	// again; pool supplies the buffers of block reading.
	shared bool
	pool   *bufPool
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

// Lines kept before the unread ones when the buffer is compacted or replaced, for before: the
// ctxLines lines before the next line, those of them that start within ctxMax bytes of it.
// Which lines before(n) finds thus depends on the text only, not on where reads or blocks
// (parallel.go) happened to cut it.
const (
	ctxLines = 8
	ctxMax   = 64 << 10
)

// fill reads more bytes, keeping the unread ones (and the context lines before them). It grows
// the buffer when it is full of one line.
func (lr *lineReader) fill() {
	if lr.makeRoom(1) {
		lr.read()
	}
}

// contextStart returns where in buf the context lines before buf[lr.start] begin.
func (lr *lineReader) contextStart() int {
	keep := lr.start
	for n := 0; n < ctxLines && keep > 0; n++ {
		s := bytes.LastIndexByte(lr.buf[:keep-1], lr.sep) + 1
		if lr.start-s > ctxMax {
			break
		}
		keep = s
	}
	return keep
}

// makeRoom moves the context and unread bytes to the front of the buffer, or to a new buffer
// when blocks still use this one (shared) or it has less than room bytes free after them. It
// reports false, with lr.err set, when the unread bytes (one incomplete line) reach maxLineLen.
func (lr *lineReader) makeRoom(room int) bool {
	keep := lr.contextStart()
	unread := lr.end - lr.start
	if unread >= maxLineLen {
		lr.err = errLineTooLong
		return false
	}
	size := len(lr.buf)
	if unread == len(lr.buf) {
		size *= 2 // full of one line
	}
	for size-(lr.end-keep) < room {
		size *= 2
	}
	if lr.shared || size != len(lr.buf) {
		var nb []byte
		if lr.pool != nil && size <= lr.pool.size {
			nb = lr.pool.get()
		} else {
			nb = make([]byte, size)
		}
		copy(nb, lr.buf[keep:lr.end])
		lr.buf, lr.shared = nb, false
	} else if keep > 0 {
		copy(lr.buf, lr.buf[keep:lr.end])
	}
	lr.start -= keep
	lr.end -= keep
	lr.lastStart = max(lr.lastStart-keep, 0)
	return true
}

// read reads once into the free end of the buffer.
func (lr *lineReader) read() {
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

// before returns the n-th line before the last line returned (1 ≤ n ≤ ctxLines), without its
// line ending, when it starts within ctxMax bytes of that line; nil when it does not or when
// there is none.
func (lr *lineReader) before(n int) []byte {
	end := lr.lastStart // where the line after the one sought starts
	for ; n > 0; n-- {
		if end <= 0 {
			return nil
		}
		e := end - 1 // its line ending
		s := bytes.LastIndexByte(lr.buf[:e], lr.sep) + 1
		if lr.lastStart-s > ctxMax {
			return nil // not kept as context (see ctxLines): whether it is here depends on reads
		}
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
