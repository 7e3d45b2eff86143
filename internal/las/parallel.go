package las

import (
	"bytes"
	"encoding/binary"
	"math"
	"math/bits"
	"runtime"
)

// Parallel decoding of the log data.
//
// An unwrapped, SPACE-delimited data section whose lines are plain decimal numbers (the lines
// fastLine takes) is decoded in blocks of whole lines by several goroutines, each block into
// its own column buffers, which the reading goroutine then adds to the columns (or to the
// statistics, for Check) in file order. A worker stops at the first line of its block that is
// not such a line (nor blank); the reader applies the lines before it, gives the rest of the
// text back to the line reader and decodes on line by line, as Read always does, until the
// lines are plain again. What the blocks store is thus exactly what fastLine stores line by
// line: the same samples, the same line numbers, warnings and errors.

// blockSize is the bytes of text per block (a block holds whole lines, at least one); below
// twice that much text left, blocks are not worth starting.
const blockSize = 1 << 20

// bufPool recycles the text buffers of block reading; only the reading goroutine uses it.
type bufPool struct {
	size int
	free [][]byte
}

func (bp *bufPool) get() []byte {
	if n := len(bp.free); n > 0 {
		b := bp.free[n-1]
		bp.free = bp.free[:n-1]
		return b
	}
	return make([]byte, bp.size)
}

func (bp *bufPool) put(b []byte) {
	if len(b) == bp.size && len(bp.free) < 16 {
		bp.free = append(bp.free, b)
	}
}

// parallelism returns how many goroutines decode blocks: GOMAXPROCS unless a test set it.
func (o *options) parallelism() int {
	if o.workers != 0 {
		return o.workers
	}
	return runtime.GOMAXPROCS(0)
}

// block returns the bytes of text per block: blockSize unless a test set it.
func (o *options) block() int {
	if o.blockSize > 0 {
		return o.blockSize
	}
	return blockSize
}

// takeBlock hands out the next whole lines of text, about size bytes of them (at least one
// line), as buf[off:end], having read them as if next had returned each: line and consumed are
// advanced. buf holds the context lines before off (see ctxLines) and must not be written
// while the block is in use. It returns ok=false, taking nothing, at the end of the text, on a
// read error, when no whole line is buffered within maxLineLen, or when the next line holds a
// bare CR (which next would treat as a line end: left to it).
func (lr *lineReader) takeBlock(size int) (buf []byte, off, end, lines int, ok bool) {
	for lr.end-lr.start < size && !lr.eof && lr.err == nil {
		if lr.shared || len(lr.buf)-lr.end < size/2 {
			if !lr.makeRoom(size + size/2) {
				return nil, 0, 0, 0, false
			}
		}
		lr.read()
	}
	data := lr.buf[lr.start:lr.end]
	cut := len(data)
	if cut > size {
		cut = size
	}
	if !(lr.eof && lr.err == nil && cut == len(data)) {
		// Whole lines only: up to the last separator (the text's last line ends at its end).
		k := bytes.LastIndexByte(data[:cut], '\n')
		if k < 0 {
			k = bytes.IndexByte(data[cut:], '\n')
			if k < 0 {
				return nil, 0, 0, 0, false
			}
			k += cut
		}
		cut = k + 1
	}
	if bytes.IndexByte(data[:cut], '\r') >= 0 {
		if c := bareCR(data[:cut]); c >= 0 {
			cut = bytes.LastIndexByte(data[:c], '\n') + 1
		}
	}
	if cut == 0 {
		return nil, 0, 0, 0, false
	}
	lines = bytes.Count(data[:cut], []byte{'\n'})
	if data[cut-1] != '\n' {
		lines++ // the last line of the text
	}
	buf, off, end = lr.buf, lr.start, lr.start+cut
	lr.start = end
	lr.lastStart = end
	lr.line += lines
	lr.consumed += int64(cut)
	lr.shared = true
	return buf, off, end, lines, true
}

// bareCR returns the index of the first CR in b that does not end a line (next splits a line
// there, or keeps it in the text's last line), -1 if there is none.
func bareCR(b []byte) int {
	for i := 0; ; {
		k := bytes.IndexByte(b[i:], '\r')
		if k < 0 {
			return -1
		}
		i += k
		if i+1 >= len(b) || b[i+1] != '\n' {
			return i
		}
		i += 2
	}
}

// giveBack makes the line reader read on from buf[at:end] (a block's text, of which a worker
// decoded the lines before at), followed by rest (the text of the blocks taken after it, in
// order) and the bytes it still holds unread; line and consumed are those before buf[at].
func (lr *lineReader) giveBack(buf []byte, at, end int, rest [][]byte, line int, consumed int64) {
	keep := at
	for n := 0; n < ctxLines && keep > 0; n++ {
		s := bytes.LastIndexByte(buf[:keep-1], lr.sep) + 1
		if at-s > ctxMax {
			break
		}
		keep = s
	}
	size := end - keep + lr.end - lr.start
	for _, r := range rest {
		size += len(r)
	}
	nb := make([]byte, size, size+lineBufSize)
	k := copy(nb, buf[keep:end])
	for _, r := range rest {
		k += copy(nb[k:], r)
	}
	copy(nb[k:], lr.buf[lr.start:lr.end])
	lr.buf, lr.shared = nb[:cap(nb)], false
	lr.start, lr.lastStart, lr.end = at-keep, at-keep, size
	lr.line, lr.consumed = line, consumed
}

// blockResult is what a worker decoded from one block.
type blockResult struct {
	cols  [][]float64 // the samples of each column, NULL as NaN (except in the index)
	rows  int
	lines int // lines decoded (rows, blank lines), all before stop
	stop  int // offset in the block's text of the first line not decoded, its length if none
}

// decodeBlock decodes the lines of b that fastLine would take, and blank lines, into res,
// stopping at the first other line; cols holds a buffer of at least one row per line of b for
// each of ncols columns.
func decodeBlock(b []byte, ncols int, null float64, hasNull bool, res *blockResult) {
	cols := res.cols
	rows, lines, i, n := 0, 0, 0, len(b)
	for i < n {
		start := i
		k := 0
		for {
			for i < n && b[i] <= ' ' && b[i] != '\n' && b[i] != '\r' {
				i++
			}
			if i >= n || b[i] == '\n' || b[i] == '\r' {
				break
			}
			if k == ncols {
				res.rows, res.lines, res.stop = rows, lines, start
				return
			}
			// shortDecimal, written out here: a call costs the overlap of one value's
			// division with the next value's parsing.
			var v float64
			next, ok := 0, false
			if n-i >= 17 {
				j := i
				neg := b[j] == '-'
				if neg {
					j++
				}
				x := binary.LittleEndian.Uint64(b[j:])
				d := x - 0x3030303030303030
				m := (d | (x + 0x4646464646464646)) & 0x8080808080808080
				if p := bits.TrailingZeros64(m) / 8; p != 0 && p != 8 && b[j+p] == '.' {
					j += p + 1
					y := binary.LittleEndian.Uint64(b[j:])
					e := y - 0x3030303030303030
					my := (e | (y + 0x4646464646464646)) & 0x8080808080808080
					if f := bits.TrailingZeros64(my) / 8; f != 0 && f != 8 && b[j+f] <= ' ' {
						// At most 14 digits: exact as an int64, whose conversion has no branch.
						v = float64(int64(swar8(d<<(8*(8-p)))*pow10u[f]+swar8(e<<(8*(8-f))))) / pow10[f]
						if neg {
							v = -v
						}
						next, ok = j+f, true
					}
				}
			}
			if !ok {
				if v, next, ok = scanDecimal(b, i); !ok {
					res.rows, res.lines, res.stop = rows, lines, start
					return
				}
			}
			if k > 0 && hasNull && v == null {
				v = math.NaN()
			}
			cols[k][rows] = v
			k++
			i = next
		}
		// The line ends at LF, CR LF or the end of the text (takeBlock leaves no bare CR).
		if i < n && b[i] == '\r' {
			i++
		}
		if i < n {
			i++ // LF
		}
		if k != 0 && k != ncols {
			res.rows, res.lines, res.stop = rows, lines, start
			return
		}
		if k == ncols {
			rows++
		}
		lines++
	}
	res.rows, res.lines, res.stop = rows, lines, n
}

// blockJob is one block on its way through a worker.
type blockJob struct {
	buf      []byte
	off, end int
	lines    int   // lines in buf[off:end]
	line     int   // line number before the block
	consumed int64 // lr.consumed before the block
	res      blockResult
	done     chan struct{}
	vals     []float64 // backing array of res.cols
	ownsBuf  bool      // buf came from the pool and no later block uses it
}

// parallelOK reports whether the lines from here on may be decoded in blocks.
func (d *dataDecoder) parallelOK() bool {
	p := d.p
	lr := p.lr
	if !d.fast || !d.main || d.workers < 2 || lr.sep != '\n' || lr.consumed < d.blocksAfter || lr.eof && lr.end-lr.start < 2*d.blockSize {
		return false
	}
	return p.o.size < 0 || p.o.size/int64(p.src.bytesPerChar)-lr.consumed >= int64(2*d.blockSize)
}

// runBlocks decodes the lines from here on in blocks, as long as they are plain (see the top of
// this file). It returns with the line reader at the first line it did not decode: the end of
// the text, or a line for the line-by-line decoder.
func (d *dataDecoder) runBlocks() {
	lr := d.p.lr
	if lr.pool == nil {
		lr.pool = &bufPool{size: 2*d.blockSize + ctxMax}
	}
	ncols := len(d.cols)
	window := d.workers + 1
	var queue []*blockJob
	var freeVals [][]float64
	more := true
	for {
		for more && len(queue) < window {
			buf, off, end, lines, ok := lr.takeBlock(d.blockSize)
			if !ok {
				more = false
				break
			}
			j := &blockJob{buf: buf, off: off, end: end, lines: lines, line: lr.line - lines,
				consumed: lr.consumed - int64(end-off), done: make(chan struct{})}
			if n := len(queue); n > 0 && &queue[n-1].buf[0] != &buf[0] {
				queue[n-1].ownsBuf = true
			}
			// A row takes two bytes per value at least, which bounds the rows better than
			// the lines do when many are blank.
			rowsCap := min(lines, (end-off+1)/(2*ncols)+1)
			need := rowsCap * ncols
			if k := len(freeVals); k > 0 && cap(freeVals[k-1]) >= need {
				j.vals, freeVals = freeVals[k-1][:need], freeVals[:k-1]
			} else {
				j.vals = make([]float64, need)
			}
			j.res.cols = make([][]float64, ncols)
			for c := range j.res.cols {
				j.res.cols[c] = j.vals[c*rowsCap : (c+1)*rowsCap]
			}
			go func(j *blockJob) {
				decodeBlock(j.buf[j.off:j.end], ncols, d.null, d.hasNull, &j.res)
				close(j.done)
			}(j)
			queue = append(queue, j)
		}
		if len(queue) == 0 {
			d.blocksAfter = lr.consumed + d.backoff
			return
		}
		j := queue[0]
		<-j.done
		queue = queue[1:]
		d.applyBlock(&j.res)
		d.p.blocks++
		if j.res.stop < j.end-j.off {
			rest := make([][]byte, len(queue))
			for i, k := range queue {
				<-k.done
				rest[i] = k.buf[k.off:k.end]
			}
			at := j.off + j.res.stop
			lr.giveBack(j.buf, at, j.end, rest, j.line+j.res.lines, j.consumed+int64(j.res.stop))
			d.blocksAfter = lr.consumed + d.backoff
			d.backoff *= 2
			return
		}
		if j.ownsBuf {
			lr.pool.put(j.buf)
		}
		freeVals = append(freeVals, j.vals)
	}
}

// applyBlock adds a block's rows to the columns, or to the statistics, as fastLine does row by
// row.
func (d *dataDecoder) applyBlock(res *blockResult) {
	n := res.rows
	if d.stats {
		for c := range res.cols {
			d.accs[c].acc.addAll(res.cols[c][:n])
		}
		for _, v := range res.cols[0][:n] {
			d.accs[0].step.add(v)
		}
	} else {
		for c := range res.cols {
			d.cols[c].num = append(d.cols[c].num, res.cols[c][:n]...)
		}
	}
	d.rows += n
}

// shortDecimal parses the commonest value of log data, [-]d{1,7}.d{1,7} followed by a blank,
// with two eight-byte loads (see digitRun) and no loop, giving what scanDecimal gives for it;
// ok=false for anything else (and when fewer than 17 bytes follow b[i]), to be left to
// scanDecimal.
func shortDecimal(b []byte, i int) (float64, int, bool) {
	if len(b)-i < 17 {
		return 0, i, false
	}
	j := i
	neg := b[j] == '-'
	if neg {
		j++
	}
	x := binary.LittleEndian.Uint64(b[j:])
	d := x - 0x3030303030303030
	m := (d | (x + 0x4646464646464646)) & 0x8080808080808080
	k := bits.TrailingZeros64(m) / 8 // digits before the point; 8 when m is 0
	if k == 0 || k == 8 || b[j+k] != '.' {
		return 0, i, false
	}
	j += k + 1
	y := binary.LittleEndian.Uint64(b[j:])
	e := y - 0x3030303030303030
	my := (e | (y + 0x4646464646464646)) & 0x8080808080808080
	f := bits.TrailingZeros64(my) / 8 // digits after it
	if f == 0 || f == 8 || b[j+f] > ' ' {
		return 0, i, false
	}
	mant := swar8(d<<(8*(8-k)))*pow10u[f] + swar8(e<<(8*(8-f)))
	v := float64(int64(mant)) / pow10[f] // at most 14 digits: exact as an int64
	if neg {
		v = -v
	}
	return v, j + f, true
}
