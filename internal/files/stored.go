package files

import (
	"context"
	"fmt"
	"io"
)

// Objects as stored: backup and restore copy a tenant's objects between stores without
// decrypting them, so that a backup never holds plaintext and needs no data key. The stored
// bytes decrypt only at the same object key "tenants/<id>/<key>" (it is their associated data),
// which is why a copy keeps the tenant and the key.

// OpenStored returns a reader of the bytes of object "tenants/<tenant>/<key>" exactly as stored
// (its ciphertext: the stream header, then the encrypted segments), and their number. Nothing
// is decrypted or checked. A missing object is wellbase.ENotFound; an invalid tenant or key
// wellbase.EInvalid. Close the reader when done.
func (s *Store) OpenStored(ctx context.Context, tenant, key string) (io.ReadCloser, int64, error) {
	full, err := objectKey(tenant, key)
	if err != nil {
		return nil, 0, err
	}
	r, err := s.bucket.NewReader(ctx, full, nil)
	if err != nil {
		return nil, 0, notFound(err, "open", full, key)
	}
	return &storedReader{r: r, full: full}, r.Size(), nil
}

// storedReader is the reader of OpenStored; a failure to reach the bucket mid-stream is
// EUnavailable.
type storedReader struct {
	r    io.ReadCloser
	full string
}

func (r *storedReader) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	if err != nil && err != io.EOF {
		err = bucketErr("files: read %s: %w", r.full, err)
	}
	return n, err
}

func (r *storedReader) Close() error { return r.r.Close() }

// PutStored stores the bytes read from r as object "tenants/<tenant>/<key>" exactly as they are,
// and returns how many it stored. They must be an object as OpenStored read it from the same
// tenant and key of another store (a backup's copy); anything else stores an object that no key
// decrypts. Like Put it is all or nothing, through the staging folder on file:// and one upload
// on S3: if r returns an error (returned wrapped, so that errors.Is finds it) the write is
// aborted and an object already at key is left unchanged. That is how a restore refuses a copy
// whose checksum does not match: its reader fails at the end instead of returning io.EOF.
func (s *Store) PutStored(ctx context.Context, tenant, key string, r io.Reader) (int64, error) {
	return s.Put(ctx, tenant, key, asStored{}, r)
}

// asStored is the Cipher of PutStored: it writes the bytes as they come.
type asStored struct{}

func (asStored) EncryptWriter(dst io.Writer, _ []byte) (io.WriteCloser, error) {
	return nopWriteCloser{dst}, nil
}

func (asStored) DecryptReader(io.Reader, []byte) (io.Reader, error) {
	return nil, fmt.Errorf("files: objects as stored are only written")
}

func (asStored) DecryptReaderAt(io.ReaderAt, int64, []byte) (*io.SectionReader, error) {
	return nil, fmt.Errorf("files: objects as stored are only written")
}

type nopWriteCloser struct{ io.Writer }

func (nopWriteCloser) Close() error { return nil }
