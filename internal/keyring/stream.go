package keyring

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
)

// The stream format, after STREAM (Hoang, Reyhanitabar, Rogaway, Vizár, CRYPTO 2015, §7), laid out
// like Tink's AES-GCM-HKDF streaming AEAD except that the nonce prefix is derived, not stored:
//
//	header   = version (1 byte, 1) || salt (32 random bytes)
//	subkey, prefix = HKDF-SHA256(secret = data key, salt, info = streamInfo || aad), 32 + 7 bytes (RFC 5869)
//	segment i = AES-256-GCM_subkey(nonce_i, plaintext segment i), no GCM additional data
//	nonce_i  = prefix (7 bytes) || i (4 bytes, big-endian) || last (1 byte: 1 for the final segment, else 0)
//
// Every plaintext segment is segmentSize bytes except the final one, which holds 0 to segmentSize
// bytes (0 only when the whole plaintext is empty). The fresh subkey per stream keeps GCM nonces
// unique under each key (NIST SP 800-38D §8.2.1) without a limit on streams per data key; the
// counter catches reordering and dropped segments, the last flag catches truncation and appending;
// aad, in the key derivation, binds the stream to its context.
const (
	streamVersion    = 1
	streamSaltSize   = 32
	streamHeaderSize = 1 + streamSaltSize
	streamInfo       = "wellbase keyring stream v1\x00"
	noncePrefixSize  = 7
	tagSize          = 16
	segmentSize      = 64 << 10
	encSegmentSize   = segmentSize + tagSize
	maxSegments      = math.MaxUint32 + 1
	maxStreamSize    = maxSegments * segmentSize // 256 TiB
)

// streamState is what encryption and decryption of one stream share.
type streamState struct {
	aead    cipher.AEAD
	nonce   [12]byte // prefix, counter, last flag
	counter uint64   // index of the next segment
}

func newStreamState(m *dataKeyMaterial, salt, aad []byte) (streamState, error) {
	okm, err := hkdf.Key(sha256.New, m.key[:], salt, streamInfo+string(aad), dataKeySize+noncePrefixSize)
	if err != nil {
		return streamState{}, err
	}
	defer clear(okm)
	block, err := aes.NewCipher(okm[:dataKeySize])
	if err != nil {
		return streamState{}, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return streamState{}, err
	}
	s := streamState{aead: aead}
	copy(s.nonce[:], okm[dataKeySize:])
	return s, nil
}

// segmentNonce returns the nonce of the next segment, or an error past 2^32 segments.
func (s *streamState) segmentNonce(last bool) ([]byte, error) {
	if s.counter >= maxSegments {
		return nil, fmt.Errorf("stream longer than %d segments (%d bytes)", uint64(maxSegments), uint64(maxStreamSize))
	}
	binary.BigEndian.PutUint32(s.nonce[noncePrefixSize:], uint32(s.counter))
	s.nonce[11] = 0
	if last {
		s.nonce[11] = 1
	}
	return s.nonce[:], nil
}

// EncryptedSize returns the exact size of the stream that EncryptWriter writes for plaintextSize
// bytes: a 33-byte header, the plaintext, and a 16-byte tag per 64 KiB segment (at least one).
// It returns -1 for a negative size or one over the format's limit of 2^48 bytes (256 TiB).
func EncryptedSize(plaintextSize int64) int64 {
	if plaintextSize < 0 || plaintextSize > maxStreamSize {
		return -1
	}
	segments := max(1, (plaintextSize+segmentSize-1)/segmentSize)
	return streamHeaderSize + plaintextSize + segments*tagSize
}

// PlaintextSize is the inverse of EncryptedSize: the plaintext size of a stream of encryptedSize
// bytes, for a Content-Length before decrypting. A size no stream can have is an error. The size
// alone proves nothing: DecryptReader still authenticates every byte.
func PlaintextSize(encryptedSize int64) (int64, error) {
	body := encryptedSize - streamHeaderSize
	if encryptedSize < 0 || body < tagSize {
		return 0, fmt.Errorf("plaintext size: %d bytes is too short for an encrypted stream", encryptedSize)
	}
	full, rem := body/encSegmentSize, body%encSegmentSize
	if rem == 0 {
		return full * segmentSize, nil // the final segment is full
	}
	if rem < tagSize || rem == tagSize && full > 0 {
		return 0, fmt.Errorf("plaintext size: %d bytes is not the size of an encrypted stream", encryptedSize)
	}
	return full*segmentSize + rem - tagSize, nil
}

// EncryptWriter returns a writer that encrypts what is written to it with d and writes the
// stream to dst: first the 33-byte header (written before EncryptWriter returns), then each
// 64 KiB segment as it fills. Close seals and writes the final segment; it does not close dst.
// Without Close the stream is incomplete and DecryptReader rejects it. The output is exactly
// EncryptedSize(n) bytes for n bytes written. aad should name the file, for instance its object
// key "tenants/<id>/…", so that it cannot be moved to another place unnoticed; the same aad must
// be given to DecryptReader. Memory use is one segment. An error writing to dst is returned,
// wrapped, by that Write or Close and by every later call. The writer is not safe for
// concurrent use.
func (d *DataKey) EncryptWriter(dst io.Writer, aad []byte) (io.WriteCloser, error) {
	m, err := d.material()
	if err != nil {
		return nil, fmt.Errorf("encrypt stream: %w", err)
	}
	var header [streamHeaderSize]byte
	header[0] = streamVersion
	rand.Read(header[1:]) // never fails: crypto/rand.Read aborts the program rather than return an error
	s, err := newStreamState(m, header[1:], aad)
	if err != nil {
		return nil, fmt.Errorf("encrypt stream: %w", err)
	}
	if _, err := dst.Write(header[:]); err != nil {
		return nil, fmt.Errorf("encrypt stream: write header: %w", err)
	}
	return &encryptWriter{streamState: s, dst: dst, buf: make([]byte, segmentSize, encSegmentSize)}, nil
}

type encryptWriter struct {
	streamState
	dst    io.Writer
	buf    []byte // plaintext of the current segment in buf[:n]; sealed in place
	n      int
	err    error // sticky: a failed write, or errWriteAfterClose
	closed bool
}

var errWriteAfterClose = errors.New("encrypt stream: write after Close")

// Write buffers p, sealing and writing a segment each time one is full and more data follows
// (a full segment is held back until then, since it may be the final one).
func (w *encryptWriter) Write(p []byte) (int, error) {
	if w.err != nil {
		return 0, w.err
	}
	written := 0
	for len(p) > 0 {
		if w.n == segmentSize {
			if err := w.flush(false); err != nil {
				w.err = err
				return written, err
			}
		}
		c := copy(w.buf[w.n:segmentSize], p)
		w.n += c
		written += c
		p = p[c:]
	}
	return written, nil
}

// Close seals and writes the final segment. It does not close the destination. Calling Close
// again returns the first call's result.
func (w *encryptWriter) Close() error {
	if w.closed {
		if w.err == errWriteAfterClose {
			return nil
		}
		return w.err
	}
	w.closed = true
	if w.err != nil {
		return w.err
	}
	if err := w.flush(true); err != nil {
		w.err = err
		return err
	}
	w.err = errWriteAfterClose
	return nil
}

func (w *encryptWriter) flush(last bool) error {
	nonce, err := w.segmentNonce(last)
	if err != nil {
		return fmt.Errorf("encrypt stream: %w", err)
	}
	sealed := w.aead.Seal(w.buf[:0], nonce, w.buf[:w.n], nil)
	if _, err := w.dst.Write(sealed); err != nil {
		return fmt.Errorf("encrypt stream: write segment %d: %w", w.counter, err)
	}
	w.counter++
	w.n = 0
	w.buf = w.buf[:segmentSize]
	return nil
}

// DecryptReader reads the 33-byte header of a stream made by EncryptWriter from src and returns a
// reader of its plaintext. Each segment is authenticated before any of its plaintext is returned;
// a segment that fails (altered bytes, wrong key or aad, segments reordered, dropped, cut or
// appended) makes Read return an error, and that error on every later call. Read returns io.EOF
// only after the final segment authenticated and src ended right after it: only then is the
// whole file proven authentic. Plaintext returned before an error is an authentic prefix of the
// file, but a caller that must not act on a partial file (for instance when streaming it to a
// client) must treat the error as a failure of the whole. A bad header is an error from
// DecryptReader itself. Memory use is one segment. The reader is not safe for concurrent use.
func (d *DataKey) DecryptReader(src io.Reader, aad []byte) (io.Reader, error) {
	m, err := d.material()
	if err != nil {
		return nil, fmt.Errorf("decrypt stream: %w", err)
	}
	var header [streamHeaderSize]byte
	if _, err := io.ReadFull(src, header[:]); err != nil {
		if err == io.EOF || err == io.ErrUnexpectedEOF {
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
	return &decryptReader{streamState: s, src: src, buf: make([]byte, encSegmentSize+1)}, nil
}

type decryptReader struct {
	streamState
	src      io.Reader
	buf      []byte // one sealed segment and one byte of look-ahead
	plain    []byte // authenticated plaintext not yet returned, within buf
	peek     byte   // the look-ahead byte read after the last non-final segment
	havePeek bool
	last     bool  // the final segment has been authenticated
	err      error // sticky
}

// Read returns authenticated plaintext; see DecryptReader.
func (r *decryptReader) Read(p []byte) (int, error) {
	for len(r.plain) == 0 {
		if r.err != nil {
			return 0, r.err
		}
		r.err = r.next()
	}
	n := copy(p, r.plain)
	r.plain = r.plain[n:]
	return n, nil
}

// next reads and authenticates one segment into r.plain, or returns io.EOF after the final one.
// A segment is final when src ends within it or right after it: hence the byte of look-ahead.
func (r *decryptReader) next() error {
	if r.last {
		return io.EOF
	}
	n := 0
	if r.havePeek {
		r.buf[0] = r.peek
		n = 1
	}
	m, err := io.ReadFull(r.src, r.buf[n:])
	n += m
	var sealed []byte
	switch err {
	case nil:
		sealed = r.buf[:encSegmentSize]
		r.peek, r.havePeek = r.buf[encSegmentSize], true
	case io.EOF, io.ErrUnexpectedEOF:
		sealed = r.buf[:n]
		r.last, r.havePeek = true, false
	default:
		return fmt.Errorf("decrypt stream: read segment %d: %w", r.counter, err)
	}
	if len(sealed) < tagSize {
		return fmt.Errorf("decrypt stream: segment %d: truncated", r.counter)
	}
	nonce, err := r.segmentNonce(r.last)
	if err != nil {
		return fmt.Errorf("decrypt stream: %w", err)
	}
	plain, err := r.aead.Open(sealed[:0], nonce, sealed, nil)
	if err != nil {
		return fmt.Errorf("decrypt stream: segment %d: message authentication failed (altered, reordered, truncated or appended data, or wrong key or aad)", r.counter)
	}
	r.plain = plain
	r.counter++
	return nil
}
