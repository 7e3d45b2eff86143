package las

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strconv"
	"sync"
	"testing"
	"time"
)

// writeBigLAS writes a LAS 2.0 file of about mb megabytes shaped like the acceptance check's
// make_big: depth at a 0.01 m step and 7 curves printed with %.4f, about 1 % NULL in AC.
func writeBigLAS(tb testing.TB, path string, mb int) (rows int) {
	tb.Helper()
	fh, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer fh.Close()
	w := bufio.NewWriterSize(fh, 1<<20)
	rows = mb * 1e6 / 66
	top, step := 1000.0, 0.01
	w.WriteString("~Version\n VERS.   2.0 : CWLS LOG ASCII STANDARD - VERSION 2.0\n WRAP.   NO  : one line per step\n" +
		"~Well\n STRT.M " + strconv.FormatFloat(top, 'f', 4, 64) + " : START DEPTH\n STOP.M " +
		strconv.FormatFloat(top+float64(rows-1)*step, 'f', 4, 64) + " : STOP DEPTH\n STEP.M 0.0100 : STEP\n" +
		" NULL.  -999.25 : NULL VALUE\n COMP.  SYNTHETIC OIL : COMPANY\n WELL.  SYNTH-1 : WELL\n" +
		"~Curve\n DEPT.M : depth\n GR  .GAPI : gamma ray\n RDEP.OHMM : deep resistivity\n" +
		" RMED.OHMM : medium resistivity\n DEN .G/CC : bulk density\n NEU .% : neutron porosity\n" +
		" AC  .US/F : sonic\n CALI.IN : caliper\n~A\n")
	r := rand.New(rand.NewPCG(7, 7))
	var line []byte
	for i := 0; i < rows; i++ {
		line = strconv.AppendFloat(line[:0], top+float64(i)*step, 'f', 4, 64)
		vals := [...]float64{r.Float64()*140 + 10, r.Float64()*2000 + 0.2, r.Float64()*2000 + 0.2,
			r.Float64() + 1.9, r.Float64() * 45, r.Float64()*90 + 50, r.Float64()*10 + 6}
		if r.Float64() < 0.01 {
			vals[5] = -999.25 // a NULL AC, as in make_big
		}
		for _, v := range vals {
			line = append(line, ' ')
			line = strconv.AppendFloat(line, v, 'f', 4, 64)
		}
		line = append(line, '\n')
		w.Write(line)
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	return rows
}

// BenchmarkRead reads the Volve composite log (2.6 MB) and a generated ~200 MB LAS 2.0 file with
// Read, and the same files with Check (statistics only, as `wellbase las check` needs). Besides
// MB/s and allocations it reports MB per CPU-second (the speed of one core, whatever else the
// machine runs), minor page faults per read (first touches of fresh memory, which on a virtual
// machine can cost as much as the parsing) and, for the big file, the peak heap while reading
// and the size of the decoded columns (peak-MB, columns-MB).
//
//	go test -run '^$' -bench . -benchmem ./internal/las/
func BenchmarkRead(b *testing.B) {
	volve := func(b *testing.B) (string, int64) {
		path := sharedPath(b, "data/las/volve/15-9-19_SR_COMP.LAS")
		fi, err := os.Stat(path)
		if err != nil {
			b.Fatal(err)
		}
		return path, fi.Size()
	}
	dir := b.TempDir()
	var once sync.Once
	var big string
	generated := func(b *testing.B) (string, int64) {
		once.Do(func() {
			big = filepath.Join(dir, "big.las")
			writeBigLAS(b, big, 200)
		})
		fi, err := os.Stat(big)
		if err != nil {
			b.Fatal(err)
		}
		return big, fi.Size()
	}
	b.Run("volve", func(b *testing.B) {
		path, size := volve(b)
		benchRead(b, path, size, false, false)
	})
	b.Run("generated-200MB", func(b *testing.B) {
		path, size := generated(b)
		benchRead(b, path, size, true, false)
	})
	b.Run("Check/volve", func(b *testing.B) {
		path, size := volve(b)
		benchRead(b, path, size, false, true)
	})
	b.Run("Check/generated-200MB", func(b *testing.B) {
		path, size := generated(b)
		benchRead(b, path, size, false, true)
	})
}

func benchRead(b *testing.B, path string, size int64, peak, check bool) {
	b.SetBytes(size)
	b.ReportAllocs()
	var rows, cols int
	var cpu time.Duration
	var faults int64
	for b.Loop() {
		// The previous file's columns are garbage: collect them, so that this read may reuse
		// their memory as a long-running server does (unless the runtime has returned it to the
		// system: then pagefaults/op is high and the time includes faulting fresh pages in).
		b.StopTimer()
		runtime.GC()
		b.StartTimer()
		c0, f0 := cpuTime()
		fh, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		if check {
			s, err := Check(fh)
			if err != nil {
				b.Fatal(err)
			}
			rows, cols = s.Rows, len(s.Curves)
		} else {
			f, err := Read(fh)
			if err != nil {
				b.Fatal(err)
			}
			rows, cols = f.Rows(), len(f.Curves)
		}
		fh.Close()
		c1, f1 := cpuTime()
		cpu, faults = cpu+c1-c0, faults+f1-f0
	}
	if cpu > 0 {
		b.ReportMetric(float64(size)*float64(b.N)/1e6/cpu.Seconds(), "MB/cpu-s")
		b.ReportMetric(float64(faults)/float64(b.N), "pagefaults/op")
	}
	if peak {
		b.StopTimer()
		p := peakHeap(b, path)
		colMB := float64(rows*cols*8) / 1e6
		b.ReportMetric(float64(p)/1e6, "peak-MB")
		b.ReportMetric(colMB, "columns-MB")
	}
}

// peakHeap reads path once and returns the largest live heap seen while reading (sampled every
// millisecond) above the heap before it.
func peakHeap(tb testing.TB, path string) uint64 {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(sample)
	base := sample[0].Value.Uint64()
	var max uint64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(s)
			if v := s[0].Value.Uint64(); v > max {
				max = v
			}
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	fh, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	f, err := Read(fh)
	fh.Close()
	close(stop)
	<-done
	if err != nil {
		tb.Fatal(err)
	}
	runtime.KeepAlive(f)
	if max < base {
		return 0
	}
	return max - base
}

// TestReadMemory reads a generated 40 MB file and checks that the heap at its peak stays below
// twice the decoded columns. It is skipped with -short and under the race detector.
func TestReadMemory(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("-short or -race: skips generating and reading a 40 MB file")
	}
	path := filepath.Join(t.TempDir(), "big.las")
	writeBigLAS(t, path, 40)
	fh, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := Read(fh)
	fh.Close()
	if err != nil {
		t.Fatal(err)
	}
	cols := uint64(f.Rows() * len(f.Curves) * 8)
	if n, _, _, _ := f.Curve("AC").Stats(); float64(n) > 0.995*float64(f.Rows()) || float64(n) < 0.985*float64(f.Rows()) {
		t.Errorf("AC has %d of %d samples, want about 1 %% NULL", n, f.Rows())
	}
	peak := peakHeap(t, path)
	t.Logf("rows %d, columns %.1f MB, peak heap %.1f MB (%.2f×)", f.Rows(), float64(cols)/1e6, float64(peak)/1e6, float64(peak)/float64(cols))
	if peak > 2*cols {
		t.Errorf("peak heap %d bytes is more than twice the columns (%d bytes)", peak, cols)
	}
}

// BenchmarkCheckBig checks generated files of 50 and 500 MB shaped like the acceptance check's
// make_big, as `wellbase las check` does: in parallel blocks (GOMAXPROCS workers, "blocks") and
// line by line (one worker, "lines", the reader before parallel.go). MB/s is wall-clock speed
// (both cores when free); MB/cpu-s the speed per core.
//
//	go test -run '^$' -bench CheckBig -benchtime 3x ./internal/las/
func BenchmarkCheckBig(b *testing.B) {
	dir := b.TempDir()
	for _, mb := range []int{50, 500} {
		path := filepath.Join(dir, strconv.Itoa(mb)+".las")
		writeBigLAS(b, path, mb)
		fi, err := os.Stat(path)
		if err != nil {
			b.Fatal(err)
		}
		for _, way := range []struct {
			name    string
			workers int
		}{{"blocks", 0}, {"lines", 1}} {
			b.Run(fmt.Sprintf("%dMB/%s", mb, way.name), func(b *testing.B) {
				b.SetBytes(fi.Size())
				b.ReportAllocs()
				var cpu time.Duration
				for b.Loop() {
					c0, _ := cpuTime()
					fh, err := os.Open(path)
					if err != nil {
						b.Fatal(err)
					}
					p, err := parse(fh, options{size: fi.Size(), statsOnly: true, workers: way.workers})
					fh.Close()
					if err != nil {
						b.Fatal(err)
					}
					if s := summarize(p.f, p.logRows); s.Rows < mb*1e6/70 {
						b.Fatalf("%d rows", s.Rows)
					}
					c1, _ := cpuTime()
					cpu += c1 - c0
				}
				b.ReportMetric(float64(fi.Size())*float64(b.N)/1e6/cpu.Seconds(), "MB/cpu-s")
			})
		}
	}
}
