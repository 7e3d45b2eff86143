package keyring

import (
	"crypto/cipher"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sync"
)

// maxReadSegments bounds how many sealed segments one ReadAt fetches from its source with a
// single src.ReadAt call (16 × (64 KiB + 16) bytes, just over 1 MiB), so that a large read of an
// object store costs one range request per MiB rather than one per segment.
const maxReadSegments = 16

// cacheSlots is how many decrypted segments a plaintextReaderAt keeps: enough for reads that
// start in one segment and end in the next, which is what sequential reads of any size do.
const cacheSlots = 2

// DecryptReaderAt returns random access to the plaintext of a stream made by EncryptWriter with
// d and aad, held in src as exactly encryptedSize bytes (for an object store, the object's size).
// The result's Size is the plaintext size, PlaintextSize(encryptedSize). Its ReadAt has
// io.ReaderAt semantics (n < len(p) only with an error; io.EOF for a read cut short by the end
// of the plaintext and, as io.SectionReader does, for an offset outside [0, Size)) and is safe
// for concurrent use; its Read and Seek, like those of any io.SectionReader, are not. The result
// is a standard library type so that a consumer can declare an interface with this method (as
// internal/files does) without importing keyring. For one sequential pass, DecryptReader needs
// fewer reads of src.
//
// DecryptReaderAt reads the 33-byte header and authenticates the final segment, at the index
// and with the last-segment flag that encryptedSize implies, before it returns. So a wrong key or
// aad, an altered header or final segment, and a stream cut or extended by any number of bytes
// (or an encryptedSize that does not match the stream) are errors from DecryptReaderAt itself,
// and Size is authentic. A ReadAt then reads and authenticates, with its index and flag (the
// STREAM construction, Hoang, Reyhanitabar, Rogaway, Vizár, CRYPTO 2015, §7; AES-GCM, NIST SP
// 800-38D), only the segments that cover [off, off+len(p)): a segment that was altered, moved
// or replaced fails exactly the reads that touch it. Such a ReadAt returns n, the bytes of
// authentic plaintext before the failing segment, and an error; it never writes unauthenticated
// plaintext into p.
//
// src is read with one ReadAt per run of up to 16 consecutive segments (1 MiB), at offsets
// 33 + i×(64 KiB + 16). The two most recently used decrypted segments that a read did not consume
// whole are kept, so that small sequential reads (an io.SectionReader read by io.Copy, a Parquet
// reader reading a column chunk in pieces) decrypt and fetch each segment once; the final
// segment, which most columnar formats read first for their footer, starts out cached. Memory:
// the two cached segments (128 KiB), plus, per ReadAt in progress, a scratch buffer of one
// sealed segment per segment fetched, at most 16 (about 1 MiB), reused through a pool.
//
// The returned reader holds src until it is dropped; there is nothing to close.
func (d *DataKey) DecryptReaderAt(src io.ReaderAt, encryptedSize int64, aad []byte) (*io.SectionReader, error) {
	m, err := d.material()
	if err != nil {
		return nil, fmt.Errorf("decrypt stream: %w", err)
	}
	size, err := PlaintextSize(encryptedSize)
	if err != nil {
		return nil, fmt.Errorf("decrypt stream: %w", err)
	}
	if size > maxStreamSize {
		return nil, fmt.Errorf("decrypt stream: %d bytes is over the format's limit of %d", size, int64(maxStreamSize))
	}
	var header [streamHeaderSize]byte
	if n, err := src.ReadAt(header[:], 0); n < len(header) {
		if err == nil || err == io.EOF {
			return nil, errors.New("decrypt stream: truncated header")
		}
		return nil, fmt.Errorf("decrypt stream: read header: %w", err)
	}
	if header[0] != streamVersion {
		return nil, fmt.Errorf("decrypt stream: unknown format version %d", header[0])
	}
	s, err := newStreamState(m, header[1:], aad)
	if err != nil {
		return nil, fmt.Errorf("decrypt stream: %w", err)
	}
	r := &plaintextReaderAt{
		src:      src,
		aead:     s.aead,
		encSize:  encryptedSize,
		size:     size,
		segments: max(1, (size+segmentSize-1)/segmentSize),
	}
	copy(r.prefix[:], s.nonce[:noncePrefixSize])
	for i := range r.cache {
		r.cache[i].index = -1
	}
	// Authenticate the final segment now: that proves the stream has exactly r.segments
	// segments and the final one exactly its length, hence that encryptedSize (and Size) is true.
	last := r.segments - 1
	if err := r.load(last, 1, func(i int64, plain []byte) { r.store(i, plain) }); err != nil {
		return nil, err
	}
	return io.NewSectionReader(r, 0, size), nil
}

// plaintextReaderAt is the io.ReaderAt behind DecryptReaderAt.
type plaintextReaderAt struct {
	src      io.ReaderAt
	aead     cipher.AEAD // stateless: safe for concurrent Open
	prefix   [noncePrefixSize]byte
	encSize  int64 // size of the stream in src
	size     int64 // plaintext size
	segments int64 // number of segments, at least 1

	scratch sync.Pool // *scratch

	mu    sync.Mutex
	cache [cacheSlots]cachedSegment
	clock uint64 // last use stamp, for least-recently-used eviction
}

// scratch is what one load uses: sealed segments read from src, decrypted in place, and the
// nonce (on the heap with the buffer, since the AEAD interface makes it escape).
type scratch struct {
	buf   []byte
	nonce [12]byte
}

// cachedSegment is one decrypted segment; index -1 marks an empty slot. plain has capacity
// segmentSize once used, and is only read or written under plaintextReaderAt.mu.
type cachedSegment struct {
	index int64
	plain []byte
	used  uint64
}

// ReadAt reads len(p) bytes of plaintext at off; see DataKey.DecryptReaderAt.
func (r *plaintextReaderAt) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, errors.New("decrypt stream: ReadAt: negative offset")
	}
	if off >= r.size {
		return 0, io.EOF
	}
	var eof error
	if rest := r.size - off; int64(len(p)) > rest {
		p, eof = p[:rest], io.EOF
	}
	n := 0
	for n < len(p) {
		pos := off + int64(n)
		i, in := pos/segmentSize, int(pos%segmentSize)
		if c := r.copyCached(i, in, p[n:]); c > 0 {
			n += c
			continue
		}
		// Fetch the run of segments from i to the one holding the last byte wanted.
		end := (off + int64(len(p)) - 1) / segmentSize
		count := int(min(end-i+1, maxReadSegments))
		err := r.load(i, count, func(j int64, plain []byte) {
			lo := 0
			if j == i {
				lo = in
			}
			c := copy(p[n:], plain[lo:])
			n += c
			if lo > 0 || lo+c < len(plain) {
				r.store(j, plain) // not consumed whole: the next read likely wants the rest
			}
		})
		if err != nil {
			return n, err
		}
	}
	return n, eof
}

// copyCached copies plaintext of segment i from offset in into p if segment i is cached, and
// returns how many bytes it copied (0 if it is not cached).
func (r *plaintextReaderAt) copyCached(i int64, in int, p []byte) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	for k := range r.cache {
		if c := &r.cache[k]; c.index == i {
			r.clock++
			c.used = r.clock
			return copy(p, c.plain[in:])
		}
	}
	return 0
}

// store copies plain, the plaintext of segment i, into the least recently used cache slot.
func (r *plaintextReaderAt) store(i int64, plain []byte) {
	r.mu.Lock()
	defer r.mu.Unlock()
	victim := &r.cache[0]
	for k := range r.cache {
		c := &r.cache[k]
		if c.index == i {
			return // another ReadAt cached it meanwhile
		}
		if c.used < victim.used {
			victim = c
		}
	}
	if victim.plain == nil {
		victim.plain = make([]byte, 0, segmentSize)
	}
	r.clock++
	victim.index, victim.plain, victim.used = i, append(victim.plain[:0], plain...), r.clock
}

// load reads the sealed segments first to first+count-1 from src with one ReadAt, then
// authenticates and decrypts them in order, calling use with each plaintext (valid only during
// the call). It stops at the first segment that fails, and returns that error.
func (r *plaintextReaderAt) load(first int64, count int, use func(i int64, plain []byte)) error {
	start := streamHeaderSize + first*encSegmentSize
	end := min(start+int64(count)*encSegmentSize, r.encSize)
	sc := r.getScratch(int(end - start))
	defer r.scratch.Put(sc)
	buf := sc.buf
	if n, err := r.src.ReadAt(buf, start); n < len(buf) {
		if err == nil || err == io.EOF {
			return fmt.Errorf("decrypt stream: segment %d: truncated (the source is shorter than %d bytes)", first+int64(n)/encSegmentSize, r.encSize)
		}
		return fmt.Errorf("decrypt stream: read segment %d: %w", first, err)
	}
	for k := range count {
		i := first + int64(k)
		sealed := buf[k*encSegmentSize : min((k+1)*encSegmentSize, len(buf))]
		r.setNonce(&sc.nonce, i, i == r.segments-1)
		plain, err := r.aead.Open(sealed[:0], sc.nonce[:], sealed, nil)
		if err != nil {
			return fmt.Errorf("decrypt stream: segment %d: message authentication failed (altered, reordered, truncated or appended data, or wrong key or aad)", i)
		}
		use(i, plain)
	}
	return nil
}

// getScratch returns a scratch with a buffer of n bytes from the pool, or a new one if the
// pooled one is too small.
func (r *plaintextReaderAt) getScratch(n int) *scratch {
	sc, ok := r.scratch.Get().(*scratch)
	if !ok {
		sc = &scratch{}
	}
	if cap(sc.buf) < n {
		sc.buf = make([]byte, max(n, encSegmentSize))
	}
	sc.buf = sc.buf[:n]
	return sc
}

// setNonce sets n to the nonce of segment i: prefix || i (4 bytes, big-endian) || last flag, as
// in the stream format (see stream.go). i is below 2^32: DecryptReaderAt checks the stream size.
func (r *plaintextReaderAt) setNonce(n *[12]byte, i int64, last bool) {
	copy(n[:], r.prefix[:])
	binary.BigEndian.PutUint32(n[noncePrefixSize:], uint32(i))
	n[11] = 0
	if last {
		n[11] = 1
	}
}
