package keyring

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"testing"
	"testing/iotest"
)

// encryptAll encrypts plain with dk and aad, writing it in chunks of chunk bytes (0: one Write).
func encryptAll(tb testing.TB, dk *DataKey, plain, aad []byte, chunk int) []byte {
	tb.Helper()
	var out bytes.Buffer
	w, err := dk.EncryptWriter(&out, aad)
	if err != nil {
		tb.Fatalf("EncryptWriter: %v", err)
	}
	if chunk <= 0 {
		chunk = max(1, len(plain))
	}
	for p := plain; len(p) > 0; {
		n := min(chunk, len(p))
		if m, err := w.Write(p[:n]); err != nil || m != n {
			tb.Fatalf("Write = %d, %v; want %d", m, err, n)
		}
		p = p[n:]
	}
	if err := w.Close(); err != nil {
		tb.Fatalf("Close: %v", err)
	}
	return out.Bytes()
}

// decryptAll decrypts sealed and returns the plaintext read before the first error, and that error.
func decryptAll(dk *DataKey, sealed, aad []byte) ([]byte, error) {
	r, err := dk.DecryptReader(bytes.NewReader(sealed), aad)
	if err != nil {
		return nil, err
	}
	return io.ReadAll(r)
}

var streamSizes = []int{0, 1, segmentSize - 1, segmentSize, segmentSize + 1, 2 * segmentSize, 3*segmentSize + 7, 5<<20 + 123}

func TestStream_RoundTrip(t *testing.T) {
	t.Parallel()
	dk, _ := newTestDataKey(t, newTestKeyring(t), "acme")
	aad := []byte("tenants/acme/logs/01.las")
	for _, size := range streamSizes {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			t.Parallel()
			plain := randomBytes(t, size)
			sealed := encryptAll(t, dk, plain, aad, 0)
			if got, want := int64(len(sealed)), EncryptedSize(int64(size)); got != want {
				t.Errorf("ciphertext is %d bytes, EncryptedSize = %d", got, want)
			}
			if got, err := PlaintextSize(int64(len(sealed))); err != nil || got != int64(size) {
				t.Errorf("PlaintextSize(%d) = %d, %v; want %d", len(sealed), got, err, size)
			}
			got, err := decryptAll(dk, sealed, aad)
			if err != nil {
				t.Fatalf("decrypt: %v", err)
			}
			if !bytes.Equal(got, plain) {
				t.Fatalf("decrypted %d bytes differ from the %d written", len(got), size)
			}
			if size >= 16 && bytes.Contains(sealed, plain[:16]) {
				t.Error("ciphertext contains plaintext")
			}
		})
	}
}

// The ciphertext does not depend on how the plaintext was cut into Writes, nor the plaintext on
// how the reader is read (iotest.TestReader checks io.Reader semantics).
func TestStream_ChunkingAndReaderSemantics(t *testing.T) {
	t.Parallel()
	dk, _ := newTestDataKey(t, newTestKeyring(t), "acme")
	plain := randomBytes(t, 3*segmentSize+7)
	for _, chunk := range []int{1, 7, 4096, segmentSize - 1, segmentSize, segmentSize + 1, 1 << 20} {
		sealed := encryptAll(t, dk, plain, nil, chunk)
		if int64(len(sealed)) != EncryptedSize(int64(len(plain))) {
			t.Errorf("chunk %d: ciphertext is %d bytes, want %d", chunk, len(sealed), EncryptedSize(int64(len(plain))))
		}
		for name, wrap := range map[string]func(io.Reader) io.Reader{
			"Plain": func(r io.Reader) io.Reader { return r }, "OneByte": iotest.OneByteReader,
			"Half": iotest.HalfReader, "DataErr": iotest.DataErrReader,
		} {
			r, err := dk.DecryptReader(wrap(bytes.NewReader(sealed)), nil)
			if err != nil {
				t.Fatalf("chunk %d, %s: DecryptReader: %v", chunk, name, err)
			}
			if err := iotest.TestReader(r, plain); err != nil {
				t.Errorf("chunk %d, %s: %v", chunk, name, err)
			}
		}
	}
}

func TestStream_Random(t *testing.T) {
	t.Parallel()
	dk, _ := newTestDataKey(t, newTestKeyring(t), "acme")
	plain := randomBytes(t, 1000)
	a := encryptAll(t, dk, plain, nil, 0)
	b := encryptAll(t, dk, plain, nil, 0)
	if bytes.Equal(a[:streamHeaderSize], b[:streamHeaderSize]) || bytes.Equal(a, b) {
		t.Error("two encryptions of the same plaintext share a header or ciphertext")
	}
}

func TestStream_Tamper(t *testing.T) {
	t.Parallel()
	k := newTestKeyring(t)
	dk, _ := newTestDataKey(t, k, "acme")
	otherKey, _ := newTestDataKey(t, k, "acme")
	aad := []byte("tenants/acme/logs/01.las")
	plain := randomBytes(t, 3*segmentSize+7) // segments: 3 full, one of 7 bytes
	sealed := encryptAll(t, dk, plain, aad, 0)
	seg := func(i int) []byte { // sealed segment i
		start := streamHeaderSize + i*encSegmentSize
		return sealed[start:min(start+encSegmentSize, len(sealed))]
	}
	join := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
	header := sealed[:streamHeaderSize]
	flip := func(i int) []byte {
		b := bytes.Clone(sealed)
		b[i] ^= 0x01
		return b
	}
	exactFull := encryptAll(t, dk, plain[:2*segmentSize], aad, 0) // final segment is full
	other := encryptAll(t, dk, plain, aad, 0)                     // same plaintext, other stream

	tests := []struct {
		name   string
		key    *DataKey
		sealed []byte
		aad    []byte
		// authentic is how many plaintext bytes may come out before the error: the segments
		// before the damaged one, which are authentic.
		authentic int
	}{
		{"ErrEmpty", dk, nil, aad, 0},
		{"ErrHeaderOnly", dk, header, aad, 0},
		{"ErrCutInHeader", dk, sealed[:10], aad, 0},
		{"ErrDropLastSegment", dk, sealed[:streamHeaderSize+3*encSegmentSize], aad, 2 * segmentSize},
		{"ErrDropTwoLastSegments", dk, sealed[:streamHeaderSize+2*encSegmentSize], aad, segmentSize},
		{"ErrCutMidSegment", dk, sealed[:streamHeaderSize+encSegmentSize+100], aad, segmentSize},
		{"ErrCutInLastTag", dk, sealed[:len(sealed)-1], aad, 3 * segmentSize},
		{"ErrCutOneByteIntoSegment", dk, sealed[:streamHeaderSize+encSegmentSize+1], aad, segmentSize},
		{"ErrReorder", dk, join(header, seg(1), seg(0), seg(2), seg(3)), aad, 0},
		{"ErrReorderMiddle", dk, join(header, seg(0), seg(2), seg(1), seg(3)), aad, segmentSize},
		{"ErrDuplicateSegment", dk, join(header, seg(0), seg(0), seg(1), seg(2), seg(3)), aad, segmentSize},
		{"ErrDropMiddleSegment", dk, join(header, seg(0), seg(2), seg(3)), aad, segmentSize},
		{"ErrSpliceOtherStream", dk, join(header, seg(0), other[streamHeaderSize+encSegmentSize:]), aad, segmentSize},
		{"ErrOtherHeader", dk, join(other[:streamHeaderSize], sealed[streamHeaderSize:]), aad, 0},
		{"ErrFlipVersion", dk, flip(0), aad, 0},
		{"ErrFlipSalt", dk, flip(5), aad, 0},
		{"ErrFlipFirstSegment", dk, flip(streamHeaderSize + 10), aad, 0},
		{"ErrFlipThirdSegment", dk, flip(streamHeaderSize + 2*encSegmentSize + 10), aad, 2 * segmentSize},
		{"ErrFlipTag", dk, flip(streamHeaderSize + encSegmentSize - 1), aad, 0},
		{"ErrFlipLastByte", dk, flip(len(sealed) - 1), aad, 3 * segmentSize},
		{"ErrAppendByte", dk, join(sealed, []byte{0}), aad, 3 * segmentSize},
		{"ErrAppendTag", dk, join(sealed, make([]byte, tagSize)), aad, 3 * segmentSize},
		{"ErrAppendSegment", dk, join(sealed, seg(3)), aad, 3 * segmentSize},
		{"ErrAppendAfterFullFinal", dk, join(exactFull, []byte{0}), aad, segmentSize},
		{"ErrAppendTagAfterFullFinal", dk, join(exactFull, make([]byte, tagSize)), aad, segmentSize},
		{"ErrWrongAAD", dk, sealed, []byte("tenants/acme/logs/02.las"), 0},
		{"ErrNilAAD", dk, sealed, nil, 0},
		{"ErrWrongKey", otherKey, sealed, aad, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := decryptAll(tt.key, tt.sealed, tt.aad)
			if err == nil {
				t.Fatalf("decrypt succeeded with %d bytes, want an error", len(got))
			}
			if len(got) > tt.authentic || !bytes.Equal(got, plain[:len(got)]) {
				t.Errorf("returned %d bytes before the error, want at most the %d authentic ones", len(got), tt.authentic)
			}
		})
	}
}

// After an error, Read keeps returning it.
func TestStream_StickyError(t *testing.T) {
	t.Parallel()
	dk, _ := newTestDataKey(t, newTestKeyring(t), "acme")
	sealed := encryptAll(t, dk, randomBytes(t, 100), nil, 0)
	sealed[len(sealed)-1] ^= 1
	r, err := dk.DecryptReader(bytes.NewReader(sealed), nil)
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 10)
	_, err1 := r.Read(buf)
	_, err2 := r.Read(buf)
	if err1 == nil || err1 != err2 || errors.Is(err1, io.EOF) {
		t.Errorf("Read errors = %v, %v; want the same non-EOF error twice", err1, err2)
	}
}

type failWriter struct{ after int }

func (w *failWriter) Write(p []byte) (int, error) {
	if w.after <= 0 {
		return 0, errors.New("disk full")
	}
	w.after--
	return len(p), nil
}

func TestStream_WriterErrors(t *testing.T) {
	t.Parallel()
	dk, _ := newTestDataKey(t, newTestKeyring(t), "acme")

	if _, err := dk.EncryptWriter(&failWriter{after: 0}, nil); err == nil {
		t.Error("EncryptWriter succeeded with a failing destination")
	}

	w, err := dk.EncryptWriter(&failWriter{after: 1}, nil) // the header gets through
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(make([]byte, 2*segmentSize)); err == nil {
		t.Error("Write succeeded past a failing destination")
	}
	if _, err := w.Write([]byte("x")); err == nil {
		t.Error("Write after a failure succeeded")
	}
	if err := w.Close(); err == nil {
		t.Error("Close after a failure succeeded")
	}

	w, err = dk.EncryptWriter(io.Discard, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Errorf("second Close = %v, want nil", err)
	}
	if _, err := w.Write([]byte("x")); err == nil {
		t.Error("Write after Close succeeded")
	}
}

type failReader struct{ r io.Reader }

func (f failReader) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	if err == io.EOF {
		return n, errors.New("connection reset")
	}
	return n, err
}

func TestStream_ReaderSourceError(t *testing.T) {
	t.Parallel()
	dk, _ := newTestDataKey(t, newTestKeyring(t), "acme")
	sealed := encryptAll(t, dk, randomBytes(t, 100), nil, 0)
	r, err := dk.DecryptReader(failReader{bytes.NewReader(sealed)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := io.ReadAll(r); err == nil || len(got) != 0 {
		t.Errorf("ReadAll = %d bytes, %v; want 0 bytes and the source's error", len(got), err)
	}
}

func TestEncryptedSize(t *testing.T) {
	t.Parallel()
	tests := []struct{ plain, want int64 }{
		{0, 33 + 16},
		{1, 33 + 1 + 16},
		{segmentSize, 33 + segmentSize + 16},
		{segmentSize + 1, 33 + segmentSize + 1 + 32},
		{512 << 20, 33 + 512<<20 + 8192*16},
		{-1, -1},
		{maxStreamSize, 33 + maxStreamSize + maxSegments*16},
		{maxStreamSize + 1, -1},
	}
	for _, tt := range tests {
		if got := EncryptedSize(tt.plain); got != tt.want {
			t.Errorf("EncryptedSize(%d) = %d, want %d", tt.plain, got, tt.want)
		}
	}
	// PlaintextSize inverts EncryptedSize, and rejects every other size.
	rng := rand.New(rand.NewPCG(1, 2))
	sizes := []int64{0, 1, 15, 16, 17, segmentSize - 1, segmentSize, segmentSize + 1, 2 * segmentSize, maxStreamSize}
	for range 1000 {
		sizes = append(sizes, rng.Int64N(10*segmentSize))
	}
	valid := map[int64]bool{}
	for _, n := range sizes {
		c := EncryptedSize(n)
		valid[c] = true
		if got, err := PlaintextSize(c); err != nil || got != n {
			t.Errorf("PlaintextSize(EncryptedSize(%d) = %d) = %d, %v", n, c, got, err)
		}
	}
	for c := int64(-1); c < 3*encSegmentSize+100; c++ {
		if valid[c] {
			continue
		}
		if n, err := PlaintextSize(c); err == nil && EncryptedSize(n) != c {
			t.Fatalf("PlaintextSize(%d) = %d, but EncryptedSize(%d) = %d", c, n, n, EncryptedSize(n))
		}
	}
}

const benchSize = 8 << 20

func BenchmarkEncryptStream(b *testing.B) {
	dk, _ := newTestDataKey(b, newTestKeyring(b), "acme")
	plain := randomBytes(b, benchSize)
	aad := []byte("tenants/acme/logs/01.las")
	b.SetBytes(benchSize)
	b.ReportAllocs()
	for b.Loop() {
		w, err := dk.EncryptWriter(io.Discard, aad)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := w.Write(plain); err != nil {
			b.Fatal(err)
		}
		if err := w.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecryptStream(b *testing.B) {
	dk, _ := newTestDataKey(b, newTestKeyring(b), "acme")
	aad := []byte("tenants/acme/logs/01.las")
	sealed := encryptAll(b, dk, randomBytes(b, benchSize), aad, 0)
	src := bytes.NewReader(sealed)
	buf := make([]byte, 32<<10)
	b.SetBytes(benchSize)
	b.ReportAllocs()
	for b.Loop() {
		src.Reset(sealed)
		r, err := dk.DecryptReader(src, aad)
		if err != nil {
			b.Fatal(err)
		}
		if n, err := io.CopyBuffer(io.Discard, struct{ io.Reader }{r}, buf); err != nil || n != benchSize {
			b.Fatalf("decrypted %d bytes, %v", n, err)
		}
	}
}
