package keyring

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"testing/iotest"
)

// countingReaderAt counts the ReadAt calls and bytes asked of r.
type countingReaderAt struct {
	r            io.ReaderAt
	calls, bytes atomic.Int64
}

func (c *countingReaderAt) ReadAt(p []byte, off int64) (int, error) {
	c.calls.Add(1)
	c.bytes.Add(int64(len(p)))
	return c.r.ReadAt(p, off)
}

func (c *countingReaderAt) reset() { c.calls.Store(0); c.bytes.Store(0) }

// newReaderAt encrypts plain and returns random access to it, over a counting source.
func newReaderAt(tb testing.TB, dk *DataKey, plain, aad []byte) (*io.SectionReader, *countingReaderAt) {
	tb.Helper()
	sealed := encryptAll(tb, dk, plain, aad, 0)
	src := &countingReaderAt{r: bytes.NewReader(sealed)}
	ra, err := dk.DecryptReaderAt(src, int64(len(sealed)), aad)
	if err != nil {
		tb.Fatalf("DecryptReaderAt: %v", err)
	}
	if ra.Size() != int64(len(plain)) {
		tb.Fatalf("Size = %d, want %d", ra.Size(), len(plain))
	}
	return ra, src
}

// checkReadAt compares ra.ReadAt(len, off) with bytes.Reader.ReadAt on want, the plaintext.
func checkReadAt(tb testing.TB, ra io.ReaderAt, want []byte, off int64, length int) {
	tb.Helper()
	got := make([]byte, length)
	n, err := ra.ReadAt(got, off)
	wantBuf := make([]byte, length)
	wn, werr := bytes.NewReader(want).ReadAt(wantBuf, off)
	if n != wn || err != werr || !bytes.Equal(got[:n], wantBuf[:wn]) {
		tb.Fatalf("ReadAt(%d bytes at %d) of %d = %d, %v (equal: %v); want %d, %v",
			length, off, len(want), n, err, bytes.Equal(got[:n], wantBuf[:wn]), wn, werr)
	}
}

func TestReaderAt_RandomReads(t *testing.T) {
	t.Parallel()
	dk, _ := newTestDataKey(t, newTestKeyring(t), "acme")
	aad := []byte("tenants/acme/curves/01.parquet")
	for _, size := range []int{0, 1, segmentSize - 1, segmentSize, segmentSize + 1, 3*segmentSize + 7, 5<<20 + 7} {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			t.Parallel()
			plain := randomBytes(t, size)
			ra, _ := newReaderAt(t, dk, plain, aad)
			// Edges: each segment boundary ±1, the start and the end, empty reads.
			for _, off := range []int64{0, 1, segmentSize - 1, segmentSize, segmentSize + 1, int64(size) - 1, int64(size), int64(size) + 1} {
				for _, length := range []int{0, 1, 2, segmentSize, segmentSize + 2, 3 * segmentSize} {
					if off >= 0 {
						checkReadAt(t, ra, plain, off, length)
					}
				}
			}
			rng := rand.New(rand.NewPCG(uint64(size), 7))
			for range 500 {
				off := rng.Int64N(int64(size) + 100)
				var length int
				switch rng.IntN(3) {
				case 0:
					length = rng.IntN(100)
				case 1:
					length = rng.IntN(8 << 10)
				default:
					length = rng.IntN(20 * segmentSize) // more than one batch of segments
				}
				checkReadAt(t, ra, plain, off, length)
			}
			// The whole plaintext in one read.
			checkReadAt(t, ra, plain, 0, size)
			checkReadAt(t, ra, plain, 0, size+1)
		})
	}
}

// The section reader has io.Reader, io.ReaderAt and io.Seeker semantics (iotest.TestReader
// checks all three), read in any chunking.
func TestReaderAt_ReaderSemantics(t *testing.T) {
	t.Parallel()
	dk, _ := newTestDataKey(t, newTestKeyring(t), "acme")
	for _, size := range []int{0, 1, segmentSize, 3*segmentSize + 7} {
		plain := randomBytes(t, size)
		ra, _ := newReaderAt(t, dk, plain, nil)
		if err := iotest.TestReader(ra, plain); err != nil {
			t.Errorf("size %d: %v", size, err)
		}
		ra.Seek(0, io.SeekStart)
		for name, r := range map[string]io.Reader{"OneByte": iotest.OneByteReader(ra), "Half": iotest.HalfReader(ra)} {
			ra.Seek(0, io.SeekStart)
			got, err := io.ReadAll(r)
			if err != nil || !bytes.Equal(got, plain) {
				t.Errorf("size %d, %s: ReadAll = %d bytes, %v", size, name, len(got), err)
			}
		}
	}
}

// An io.ReaderAt may return io.EOF with a full read at the end of its data: that is no error.
type eofAtEndReaderAt struct{ b []byte }

func (e eofAtEndReaderAt) ReadAt(p []byte, off int64) (int, error) {
	n, err := bytes.NewReader(e.b).ReadAt(p, off)
	if err == nil && off+int64(n) == int64(len(e.b)) {
		err = io.EOF
	}
	return n, err
}

func TestReaderAt_SourceEOFAtEnd(t *testing.T) {
	t.Parallel()
	dk, _ := newTestDataKey(t, newTestKeyring(t), "acme")
	plain := randomBytes(t, 2*segmentSize+5)
	sealed := encryptAll(t, dk, plain, nil, 0)
	ra, err := dk.DecryptReaderAt(eofAtEndReaderAt{sealed}, int64(len(sealed)), nil)
	if err != nil {
		t.Fatal(err)
	}
	checkReadAt(t, ra, plain, 0, len(plain))
}

func TestReaderAt_Concurrent(t *testing.T) {
	t.Parallel()
	dk, _ := newTestDataKey(t, newTestKeyring(t), "acme")
	plain := randomBytes(t, 2<<20+7)
	ra, _ := newReaderAt(t, dk, plain, nil)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(g), 1))
			for range 200 {
				off := rng.Int64N(int64(len(plain)))
				length := rng.IntN(3 * segmentSize)
				if g%2 == 0 {
					length = rng.IntN(4 << 10) // small reads, mostly from the cache
					off = int64(g) * segmentSize * 3 / 2
				}
				got := make([]byte, length)
				n, err := ra.ReadAt(got, off)
				want := plain[off:min(off+int64(length), int64(len(plain)))]
				if err != nil && err != io.EOF || !bytes.Equal(got[:n], want) {
					t.Errorf("goroutine %d: ReadAt(%d at %d) = %d, %v", g, length, off, n, err)
					return
				}
			}
		})
	}
	wg.Wait()
}

// Small sequential reads fetch and decrypt each segment once; a read inside a cached segment
// does not touch the source; a large read fetches up to 16 segments per source read.
func TestReaderAt_Caching(t *testing.T) {
	t.Parallel()
	dk, _ := newTestDataKey(t, newTestKeyring(t), "acme")
	const segments = 40
	plain := randomBytes(t, segments*segmentSize-3)
	ra, src := newReaderAt(t, dk, plain, nil)
	if got := src.calls.Load(); got != 2 {
		t.Errorf("DecryptReaderAt made %d source reads, want 2 (header, final segment)", got)
	}

	t.Run("Sequential", func(t *testing.T) {
		src.reset()
		buf := make([]byte, 3000) // not a divisor of the segment size: reads straddle segments
		var got []byte
		for off := int64(0); ; {
			n, err := ra.ReadAt(buf, off)
			got = append(got, buf[:n]...)
			off += int64(n)
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		if !bytes.Equal(got, plain) {
			t.Fatal("sequential reads differ from the plaintext")
		}
		// Every segment is fetched exactly once (the final one again: it was cached by
		// DecryptReaderAt, but evicted on the way).
		want := EncryptedSize(int64(len(plain))) - streamHeaderSize
		if calls, n := src.calls.Load(), src.bytes.Load(); calls != segments || n != want {
			t.Errorf("sequential reads made %d source reads of %d bytes, want %d of %d", calls, n, segments, want)
		}
	})

	t.Run("SmallReadsInOneSegment", func(t *testing.T) {
		src.reset()
		for k := range 10 {
			checkReadAt(t, ra, plain, 7*segmentSize+int64(k)*100, 50)
		}
		if calls := src.calls.Load(); calls != 1 {
			t.Errorf("10 reads in one segment made %d source reads, want 1", calls)
		}
	})

	t.Run("TwoSegmentsAlternately", func(t *testing.T) {
		src.reset()
		for k := range 10 {
			checkReadAt(t, ra, plain, int64(3+k%2*10)*segmentSize+5, 50)
		}
		if calls := src.calls.Load(); calls != 2 {
			t.Errorf("alternate reads in two segments made %d source reads, want 2", calls)
		}
	})

	t.Run("LargeReadIsBatched", func(t *testing.T) {
		src.reset()
		checkReadAt(t, ra, plain, 1, 35*segmentSize) // segments 0 to 35
		if calls := src.calls.Load(); calls != 3 {
			t.Errorf("a read of 36 segments made %d source reads, want 3 (16, 16, 4 segments)", calls)
		}
	})

	t.Run("SmallReadFetchesOneSegment", func(t *testing.T) {
		src.reset()
		checkReadAt(t, ra, plain, 20*segmentSize+100, 4096)
		if calls, n := src.calls.Load(), src.bytes.Load(); calls != 1 || n != encSegmentSize {
			t.Errorf("a 4 KiB read made %d source reads of %d bytes, want 1 of %d", calls, n, encSegmentSize)
		}
	})
}

// A damaged middle segment fails the reads that touch it, and only those; a read that starts
// before it returns the authentic bytes up to it.
func TestReaderAt_TamperMiddleSegment(t *testing.T) {
	t.Parallel()
	dk, _ := newTestDataKey(t, newTestKeyring(t), "acme")
	plain := randomBytes(t, 3*segmentSize+7) // segments 0, 1, 2 full; 3 of 7 bytes
	sealed := encryptAll(t, dk, plain, nil, 0)
	sealed[streamHeaderSize+encSegmentSize+100] ^= 1 // segment 1
	ra, err := dk.DecryptReaderAt(bytes.NewReader(sealed), int64(len(sealed)), nil)
	if err != nil {
		t.Fatalf("DecryptReaderAt: %v (the damage is not in the header or final segment)", err)
	}
	tests := []struct {
		name   string
		off    int64
		length int
		ok     bool
		n      int // bytes returned with the error
	}{
		{"OKSegment0", 0, segmentSize, true, segmentSize},
		{"OKSegment2", 2 * segmentSize, segmentSize, true, segmentSize},
		{"OKSegments2And3", 2*segmentSize + 10, segmentSize, true, segmentSize - 3},
		{"OKLastByte", 3*segmentSize + 6, 1, true, 1},
		{"ErrSegment1", segmentSize + 5, 10, false, 0},
		{"ErrSegment1Again", segmentSize, 1, false, 0},
		{"ErrFrom0Into1", segmentSize - 10, 20, false, 10},
		{"ErrFrom1Into2", 2*segmentSize - 1, 2, false, 0},
		{"ErrAll", 0, len(plain), false, segmentSize},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			buf := make([]byte, tt.length)
			n, err := ra.ReadAt(buf, tt.off)
			if tt.ok {
				if err != nil && err != io.EOF || n != tt.n || !bytes.Equal(buf[:n], plain[tt.off:tt.off+int64(n)]) {
					t.Errorf("ReadAt = %d, %v; want %d authentic bytes", n, err, tt.n)
				}
				return
			}
			if err == nil || err == io.EOF {
				t.Fatalf("ReadAt = %d, %v; want an authentication error", n, err)
			}
			if n != tt.n || !bytes.Equal(buf[:n], plain[tt.off:tt.off+int64(n)]) {
				t.Errorf("ReadAt returned %d bytes with the error, want the %d authentic ones", n, tt.n)
			}
		})
	}
}

func TestReaderAt_Errors(t *testing.T) {
	t.Parallel()
	k := newTestKeyring(t)
	dk, _ := newTestDataKey(t, k, "acme")
	otherKey, _ := newTestDataKey(t, k, "acme")
	aad := []byte("tenants/acme/curves/01.parquet")
	plain := randomBytes(t, 3*segmentSize+7)
	sealed := encryptAll(t, dk, plain, aad, 0)
	exactFull := encryptAll(t, dk, plain[:2*segmentSize], aad, 0)
	seg := func(i int) []byte {
		start := streamHeaderSize + i*encSegmentSize
		return sealed[start:min(start+encSegmentSize, len(sealed))]
	}
	join := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
	flip := func(i int) []byte {
		b := bytes.Clone(sealed)
		b[i] ^= 1
		return b
	}
	n := int64(len(sealed))
	tests := []struct {
		name string
		key  *DataKey
		src  []byte
		size int64 // the encrypted size claimed
		aad  []byte
	}{
		{"ErrEmpty", dk, nil, 0, aad},
		{"ErrHeaderOnly", dk, sealed[:streamHeaderSize], streamHeaderSize, aad},
		{"ErrNegativeSize", dk, sealed, -1, aad},
		{"ErrHugeSize", dk, sealed, 1 << 62, aad},
		{"ErrImpossibleSize", dk, sealed, streamHeaderSize + 5, aad},
		{"ErrDropLastSegment", dk, sealed[:n-23], n - 23, aad},
		{"ErrCutOneByte", dk, sealed[:n-1], n - 1, aad},
		{"ErrCutMidSegment", dk, sealed[:streamHeaderSize+encSegmentSize+100], streamHeaderSize + encSegmentSize + 100, aad},
		{"ErrCutAtSegmentBoundary", dk, sealed[:streamHeaderSize+2*encSegmentSize], streamHeaderSize + 2*encSegmentSize, aad},
		{"ErrSizeCutSourceWhole", dk, sealed, streamHeaderSize + 2*encSegmentSize, aad},
		{"ErrAppendByte", dk, join(sealed, []byte{0}), n + 1, aad},
		{"ErrAppendTag", dk, join(sealed, make([]byte, tagSize)), n + tagSize, aad},
		{"ErrAppendSegment", dk, join(sealed, seg(3)), n + int64(len(seg(3))), aad},
		{"ErrAppendAfterFullFinal", dk, join(exactFull, make([]byte, 17)), int64(len(exactFull)) + 17, aad},
		{"ErrSizeBeyondSource", dk, sealed, n + 1, aad},
		{"ErrSizeBeyondSourceSegment", dk, sealed, n + encSegmentSize, aad},
		{"ErrFlipVersion", dk, flip(0), n, aad},
		{"ErrFlipSalt", dk, flip(5), n, aad},
		{"ErrFlipFinalSegment", dk, flip(len(sealed) - 1), n, aad},
		{"ErrFinalSegmentMoved", dk, join(sealed[:streamHeaderSize], seg(0), seg(1), seg(3)), streamHeaderSize + 2*encSegmentSize + int64(len(seg(3))), aad},
		{"ErrWrongAAD", dk, sealed, n, []byte("tenants/globex/curves/01.parquet")},
		{"ErrNilAAD", dk, sealed, n, nil},
		{"ErrWrongKey", otherKey, sealed, n, aad},
		{"ErrZeroDataKey", &DataKey{}, sealed, n, aad},
		{"ErrNilDataKey", nil, sealed, n, aad},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ra, err := tt.key.DecryptReaderAt(bytes.NewReader(tt.src), tt.size, tt.aad)
			if err == nil {
				t.Fatalf("DecryptReaderAt succeeded (Size %d), want an error", ra.Size())
			}
		})
	}

	// Swapped middle segments leave the header and final segment intact: the reads of the
	// swapped ones fail.
	t.Run("ErrReorderMiddle", func(t *testing.T) {
		t.Parallel()
		swapped := join(sealed[:streamHeaderSize], seg(1), seg(0), seg(2), seg(3))
		ra, err := dk.DecryptReaderAt(bytes.NewReader(swapped), n, aad)
		if err != nil {
			t.Fatal(err)
		}
		for _, off := range []int64{0, segmentSize} {
			if n, err := ra.ReadAt(make([]byte, 10), off); err == nil {
				t.Errorf("ReadAt(%d) = %d, nil; want an error", off, n)
			}
		}
		checkReadAt(t, ra, plain, 2*segmentSize, segmentSize+7)
	})
}

type failingReaderAt struct{ after int64 }

var errDisk = errors.New("input/output error")

func (f failingReaderAt) ReadAt(p []byte, off int64) (int, error) {
	if off >= f.after {
		return 0, errDisk
	}
	return len(p), nil // zeros: never authentic, but the test fails before decrypting
}

func TestReaderAt_SourceError(t *testing.T) {
	t.Parallel()
	dk, _ := newTestDataKey(t, newTestKeyring(t), "acme")
	plain := randomBytes(t, 3*segmentSize)
	sealed := encryptAll(t, dk, plain, nil, 0)
	if _, err := dk.DecryptReaderAt(failingReaderAt{after: 0}, int64(len(sealed)), nil); !errors.Is(err, errDisk) {
		t.Errorf("DecryptReaderAt with a failing source = %v, want it wrapped", err)
	}

	// The source fails for segment 1 after DecryptReaderAt succeeded.
	src := &switchReaderAt{r: bytes.NewReader(sealed)}
	ra, err := dk.DecryptReaderAt(src, int64(len(sealed)), nil)
	if err != nil {
		t.Fatal(err)
	}
	src.failFrom.Store(streamHeaderSize + encSegmentSize)
	buf := make([]byte, 2*segmentSize)
	n, err := ra.ReadAt(buf, 10)
	if !errors.Is(err, errDisk) || n >= segmentSize-10 || !bytes.Equal(buf[:n], plain[10:10+n]) {
		t.Errorf("ReadAt = %d, %v; want at most %d authentic bytes and the source's error", n, err, segmentSize-10)
	}
	if _, err := ra.ReadAt(buf[:1], 0); err != nil {
		t.Errorf("ReadAt of the good segment after an error = %v", err)
	}
}

// switchReaderAt reads r, and fails every read that reaches failFrom (if set).
type switchReaderAt struct {
	r        io.ReaderAt
	failFrom atomic.Int64
}

func (s *switchReaderAt) ReadAt(p []byte, off int64) (int, error) {
	if f := s.failFrom.Load(); f > 0 && off+int64(len(p)) > f {
		return 0, errDisk
	}
	return s.r.ReadAt(p, off)
}

// BenchmarkReaderAtRandom4K reads 4 KiB at random offsets of an 8 MiB plaintext: each read
// mostly fetches and decrypts a whole 64 KiB segment, so bytes/s counts the 4 KiB returned.
func BenchmarkReaderAtRandom4K(b *testing.B) {
	dk, _ := newTestDataKey(b, newTestKeyring(b), "acme")
	ra, _ := newReaderAt(b, dk, randomBytes(b, benchSize), nil)
	rng := rand.New(rand.NewPCG(1, 2))
	buf := make([]byte, 4096)
	b.SetBytes(int64(len(buf)))
	b.ReportAllocs()
	for b.Loop() {
		off := rng.Int64N(benchSize - int64(len(buf)))
		if _, err := ra.ReadAt(buf, off); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReaderAtSequential reads an 8 MiB plaintext through io.NewSectionReader with
// io.Copy (32 KiB reads).
func BenchmarkReaderAtSequential(b *testing.B) {
	dk, _ := newTestDataKey(b, newTestKeyring(b), "acme")
	sealed := encryptAll(b, dk, randomBytes(b, benchSize), nil, 0)
	buf := make([]byte, 32<<10)
	b.SetBytes(benchSize)
	b.ReportAllocs()
	for b.Loop() {
		ra, err := dk.DecryptReaderAt(bytes.NewReader(sealed), int64(len(sealed)), nil)
		if err != nil {
			b.Fatal(err)
		}
		sr := io.NewSectionReader(ra, 0, ra.Size())
		if n, err := io.CopyBuffer(io.Discard, struct{ io.Reader }{sr}, buf); err != nil || n != benchSize {
			b.Fatalf("read %d bytes, %v", n, err)
		}
	}
}
