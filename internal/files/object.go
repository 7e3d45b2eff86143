package files

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync/atomic"
	"time"

	"gocloud.dev/blob"
	"gocloud.dev/gcerrors"

	"github.com/wellbase/wellbase"
)

// Cipher encrypts and decrypts the bytes of tenant objects as streams. A tenant's
// *keyring.DataKey is one: its stream format (AES-256-GCM in 64 KiB segments under the STREAM
// construction) authenticates every segment, its position and the end of the stream, and binds
// the stream to aad, which the Store sets to the object's full key. The method contracts are
// those of keyring.DataKey: EncryptWriter writes the stream to dst and must be closed to finish
// it; DecryptReader returns an error rather than any unauthenticated plaintext, and io.EOF only
// once the whole stream is proven authentic; DecryptReaderAt authenticates the header and the
// final segment up front (so its Size is true) and each segment that a ReadAt touches.
type Cipher interface {
	EncryptWriter(dst io.Writer, aad []byte) (io.WriteCloser, error)
	DecryptReader(src io.Reader, aad []byte) (io.Reader, error)
	DecryptReaderAt(src io.ReaderAt, encryptedSize int64, aad []byte) (*io.SectionReader, error)
}

// Object is random access to the plaintext of one stored object, from Store.OpenAt. ReadAt has
// io.ReaderAt semantics and is safe for concurrent use; Size is the plaintext size in bytes.
// For Read and Seek (for instance for http.ServeContent), wrap it:
// io.NewSectionReader(obj, 0, obj.Size()). Close it when done; ReadAt after Close is an error.
type Object interface {
	io.ReaderAt
	Size() int64
	io.Closer
}

// Key rules, checked by validKey.
const (
	// maxKeyLen bounds a key below S3's 1024-byte limit for the full object key, which also
	// holds "tenants/<id>/" (up to 49 bytes), with room to spare.
	maxKeyLen = 512
	// maxSegmentLen bounds one segment (between slashes): it becomes a file or folder name
	// on file://, where file systems allow 255 bytes (NAME_MAX) and fileblob writes to a
	// temporary file named "<name>.<16 hex digits>.tmp", 21 bytes longer.
	maxSegmentLen = 200
	// attrsSuffix is the suffix fileblob reserves for its metadata sidecar files.
	attrsSuffix = ".attrs"
)

// objectKey validates tenant and key and returns the object's full key "tenants/<tenant>/<key>".
func objectKey(tenant, key string) (string, error) {
	prefix, err := Prefix(tenant)
	if err != nil {
		return "", err
	}
	if err := validKey(key, false); err != nil {
		return "", err
	}
	return prefix + key, nil
}

// validKey checks a key (or, if isPrefix, a key prefix for DeleteAll) against the key rules:
// 1 to 512 bytes of printable ASCII (space to '~') without backslashes, segments of at most 200
// bytes separated by single slashes, no leading slash, no empty, "." or ".." segment, not the
// tenant's marker object ".tenant.json", not in the staging folder ".staging/", not ending in
// ".attrs" or in ".<hex digits>.tmp" (fileblob's temporary files). A prefix may also be empty or
// end in a slash.
// The error is wellbase.EInvalid, field "key", and names the key.
func validKey(key string, isPrefix bool) error {
	what := "file key"
	if isPrefix {
		what = "file key prefix"
	}
	bad := func(reason string) error {
		return wellbase.FieldError(wellbase.EInvalid, "key", "%s %q is invalid: %s", what, clip(key, 80), reason)
	}
	if isPrefix {
		if key == "" {
			return nil
		}
		key = strings.TrimSuffix(key, "/")
	}
	switch {
	case key == "":
		return bad("it is empty")
	case len(key) > maxKeyLen:
		return bad(fmt.Sprintf("it is longer than %d bytes", maxKeyLen))
	case key[0] == '/':
		return bad("it starts with a slash")
	case !isPrefix && key == markerKey:
		return bad("the name is reserved")
	case !isPrefix && strings.HasSuffix(key, attrsSuffix):
		return bad("names ending in " + attrsSuffix + " are reserved")
	case !isPrefix && (key == stagingFolder || strings.HasPrefix(key, stagingFolder+"/")):
		return bad("the folder " + stagingFolder + " is reserved for objects being written")
	case !isPrefix && isTempName(key):
		return bad("names ending in .<hex digits>.tmp are reserved for temporary files")
	}
	for i := 0; i < len(key); i++ {
		switch c := key[i]; {
		case c == '\\':
			return bad("it contains a backslash")
		case c < ' ' || c > '~':
			return bad("use printable ASCII only")
		}
	}
	for seg := range strings.SplitSeq(key, "/") {
		switch seg {
		case "":
			return bad("it has an empty segment (\"//\" or a trailing slash)")
		case ".", "..":
			return bad("it has a \".\" or \"..\" segment")
		}
		if len(seg) > maxSegmentLen {
			return bad(fmt.Sprintf("a segment is longer than %d bytes", maxSegmentLen))
		}
	}
	return nil
}

// clip shortens s for an error message.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// notFound translates a gocloud NotFound error into wellbase.ENotFound naming the tenant's key
// (not the full object key: the message is for users), and wraps any other error with op and
// the full object key (EUnavailable if the bucket could not be reached, see bucketErr).
func notFound(err error, op, full, key string) error {
	if gcerrors.Code(err) == gcerrors.NotFound {
		return wellbase.Errorf(wellbase.ENotFound, "file %q not found", key)
	}
	return bucketErr("files: %s %s: %w", op, full, err)
}

// Put stores the bytes read from r, encrypted with c, as object "tenants/<tenant>/<key>", and
// returns how many plaintext bytes it stored. The stream's aad is that full object key, so the
// object decrypts only at that key: copied or moved to another key or tenant, it is an error to
// read. The object stored is EncryptedSize(n) bytes: a 33-byte header, then n bytes and 16 per
// 64 KiB segment.
//
// Put is all or nothing, and an object being written is never visible at its key, nor to List,
// DeleteAll's callers or readers, even if the process dies mid-write (SIGKILL): on file:// the
// bytes are written under the tenant's staging folder "tenants/<tenant>/.staging/" and renamed
// to the key when complete; on S3 a large object is a multipart upload, which S3 shows only
// once it is completed (and a small one a single PUT). What a dead process left staged is
// listed by Staged and removed by SweepStaged. If r returns an error (returned wrapped, so
// errors.Is finds it), ctx ends, or writing fails, the write is aborted and nothing is
// created; an object already at key is left unchanged. A successful Put replaces an existing
// object as a whole: readers see the old or the new object, never a mix (an Open reader keeps
// streaming the old one; an OpenAt Object of the old one gets authentication errors for the
// segments it fetches after the swap).
//
// Memory is O(segment) for any size: the cipher's 64 KiB segment and io.Copy's 32 KiB buffer,
// plus what the bucket driver buffers (nothing for file://; S3 uploads in 5 MiB parts). An
// invalid tenant or key is wellbase.EInvalid.
func (s *Store) Put(ctx context.Context, tenant, key string, c Cipher, r io.Reader) (int64, error) {
	full, err := objectKey(tenant, key)
	if err != nil {
		return 0, err
	}
	if c == nil {
		return 0, fmt.Errorf("files: put %s: no cipher", full)
	}
	if s.dir == "" {
		return s.write(ctx, full, full, c, r)
	}
	staged := "tenants/" + tenant + "/" + stagingFolder + "/" + stageName()
	n, err := s.write(ctx, staged, full, c, r)
	if err != nil {
		return 0, err
	}
	if err := s.commit(ctx, staged, full); err != nil {
		_ = s.bucket.Delete(context.WithoutCancel(ctx), staged)
		return 0, bucketErr("files: put %s: %w", full, err)
	}
	return n, nil
}

// write encrypts r with c (aad: the full key of the object's final place, full) into object
// dst, all or nothing: an error aborts the write (the writer's context is canceled before its
// Close, which gocloud.dev/blob defines as an abort).
func (s *Store) write(ctx context.Context, dst, full string, c Cipher, r io.Reader) (int64, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	w, err := s.bucket.NewWriter(ctx, dst, &blob.WriterOptions{ContentType: "application/octet-stream"})
	if err != nil {
		return 0, bucketErr("files: put %s: %w", full, err)
	}
	abort := func(err error) (int64, error) {
		cancel() // before Close: the write is discarded
		_ = w.Close()
		return 0, bucketErr("files: put %s: %w", full, err)
	}
	ew, err := c.EncryptWriter(w, []byte(full))
	if err != nil {
		return abort(err)
	}
	src := &sourceReader{r: r}
	n, err := io.Copy(ew, src)
	if err != nil && err == src.err {
		// The caller's reader failed (a client's upload, say), not the bucket: a network error
		// there says nothing about the file store.
		cancel()
		_ = w.Close()
		return 0, fmt.Errorf("files: put %s: %w", full, err)
	}
	if err != nil {
		return abort(err)
	}
	if err := ew.Close(); err != nil {
		return abort(err)
	}
	if err := w.Close(); err != nil {
		return 0, bucketErr("files: put %s: %w", full, err)
	}
	return n, nil
}

// Open returns a reader of the plaintext of object "tenants/<tenant>/<key>", decrypted with c as
// it streams from the bucket. A missing object is wellbase.ENotFound; an invalid tenant or key
// wellbase.EInvalid. Open reads and checks the 33-byte header before it returns; a wrong cipher
// or an object copied from another key is an error then or at the first Read. Read returns
// io.EOF only once the whole object has been authenticated; an error after some plaintext means
// the object was altered or truncated, and what was read must be discarded as a whole (see
// keyring.DataKey.DecryptReader). Memory is one 64 KiB segment plus the driver's read buffer.
// Close the reader when done; it is not safe for concurrent use.
func (s *Store) Open(ctx context.Context, tenant, key string, c Cipher) (io.ReadCloser, error) {
	full, err := objectKey(tenant, key)
	if err != nil {
		return nil, err
	}
	if c == nil {
		return nil, fmt.Errorf("files: open %s: no cipher", full)
	}
	br, err := s.bucket.NewReader(ctx, full, nil)
	if err != nil {
		return nil, notFound(err, "open", full, key)
	}
	dr, err := c.DecryptReader(br, []byte(full))
	if err != nil {
		br.Close()
		return nil, bucketErr("files: open %s: %w", full, err)
	}
	return &readCloser{dr: dr, full: full, closer: br}, nil
}

// sourceReader is Put's source; it keeps the error it returned, so that Put can tell the
// source's errors from the bucket's.
type sourceReader struct {
	r   io.Reader
	err error
}

func (s *sourceReader) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	if err != nil && err != io.EOF {
		s.err = err
	}
	return n, err
}

// readCloser is the reader of Open: the plaintext of dr, streaming from the bucket's reader.
type readCloser struct {
	dr     io.Reader
	full   string // the object key
	closer io.Closer
}

// Read reads the plaintext; a failure to reach the bucket mid-stream is EUnavailable.
func (r *readCloser) Read(p []byte) (int, error) {
	n, err := r.dr.Read(p)
	if err != nil && err != io.EOF && unreachable(err) {
		err = bucketErr("files: read %s: %w", r.full, err)
	}
	return n, err
}

func (r *readCloser) Close() error { return r.closer.Close() }

// OpenAt returns random access to the plaintext of object "tenants/<tenant>/<key>", decrypted
// with c. Each ReadAt reads from the bucket, with one range read per run of up to 16
// consecutive segments (1 MiB), only the 64 KiB segments that cover it, and keeps the last two
// it did not consume whole (see keyring.DataKey.DecryptReaderAt); so reading a few bytes of a
// large object reads about 64 KiB of it. OpenAt itself asks the bucket for the object's size and
// reads its 33-byte header and final segment, which it authenticates: a wrong cipher, an object
// copied from another key, or one cut or extended is an error from OpenAt. A missing object is
// wellbase.ENotFound; an invalid tenant or key wellbase.EInvalid.
//
// ctx is used for every read from the bucket until Close; Close cancels it. An object replaced
// or deleted while open makes later reads of segments not yet cached fail; they never mix
// versions. Memory: two cached segments plus about 1 MiB per ReadAt in progress.
func (s *Store) OpenAt(ctx context.Context, tenant, key string, c Cipher) (Object, error) {
	return s.openAt(ctx, tenant, key, c, nil)
}

// openAt is OpenAt; wrap, if not nil, wraps the bucket's io.ReaderAt (tests count reads).
func (s *Store) openAt(ctx context.Context, tenant, key string, c Cipher, wrap func(io.ReaderAt) io.ReaderAt) (Object, error) {
	full, err := objectKey(tenant, key)
	if err != nil {
		return nil, err
	}
	if c == nil {
		return nil, fmt.Errorf("files: open %s: no cipher", full)
	}
	attrs, err := s.bucket.Attributes(ctx, full)
	if err != nil {
		return nil, notFound(err, "open", full, key)
	}
	ctx, cancel := context.WithCancel(ctx)
	var src io.ReaderAt = &blobReaderAt{ctx: ctx, bucket: s.bucket, full: full, key: key}
	if wrap != nil {
		src = wrap(src)
	}
	sr, err := c.DecryptReaderAt(src, attrs.Size, []byte(full))
	if err != nil {
		cancel()
		var werr *wellbase.Error
		if errors.As(err, &werr) {
			return nil, err // ENotFound: deleted meanwhile
		}
		return nil, bucketErr("files: open %s: %w", full, err)
	}
	return &object{sr: sr, cancel: cancel, key: full}, nil
}

// object is the Object of OpenAt.
type object struct {
	sr     *io.SectionReader
	cancel context.CancelFunc
	key    string
	closed atomic.Bool
}

func (o *object) ReadAt(p []byte, off int64) (int, error) {
	if o.closed.Load() {
		return 0, fmt.Errorf("files: read %s: object is closed", o.key)
	}
	return o.sr.ReadAt(p, off)
}

func (o *object) Size() int64 { return o.sr.Size() }

func (o *object) Close() error {
	o.closed.Store(true)
	o.cancel()
	return nil
}

// blobReaderAt reads ranges of one object, one bucket range read per ReadAt.
type blobReaderAt struct {
	ctx       context.Context
	bucket    *blob.Bucket
	full, key string // the object key, and the tenant's key within it
}

func (b *blobReaderAt) ReadAt(p []byte, off int64) (int, error) {
	r, err := b.bucket.NewRangeReader(b.ctx, b.full, off, int64(len(p)), nil)
	if err != nil {
		return 0, notFound(err, "read", b.full, b.key)
	}
	n, err := io.ReadFull(r, p)
	if cerr := r.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("files: read %s: %w", b.full, cerr)
	}
	switch err {
	case nil:
		return n, nil
	case io.EOF, io.ErrUnexpectedEOF:
		return n, io.EOF
	}
	return n, bucketErr("files: read %s: %w", b.full, err)
}

// Size returns the stored size in bytes of object "tenants/<tenant>/<key>": the encrypted size,
// EncryptedSize of its plaintext size (33 + plaintext + 16 per 64 KiB segment), which is what
// the tenant's storage use counts. A missing object is wellbase.ENotFound; an invalid tenant or
// key wellbase.EInvalid.
func (s *Store) Size(ctx context.Context, tenant, key string) (int64, error) {
	full, err := objectKey(tenant, key)
	if err != nil {
		return 0, err
	}
	attrs, err := s.bucket.Attributes(ctx, full)
	if err != nil {
		return 0, notFound(err, "size", full, key)
	}
	return attrs.Size, nil
}

// Delete deletes object "tenants/<tenant>/<key>". Deleting a missing object is not an error
// (nil), so that retried deletes (offboarding, cleanup jobs) are idempotent. On file://, folders
// the delete leaves empty are removed. An invalid tenant or key is wellbase.EInvalid.
func (s *Store) Delete(ctx context.Context, tenant, key string) error {
	full, err := objectKey(tenant, key)
	if err != nil {
		return err
	}
	if err := s.bucket.Delete(ctx, full); err != nil && gcerrors.Code(err) != gcerrors.NotFound {
		return bucketErr("files: delete %s: %w", full, err)
	}
	s.pruneDirs([]string{full}, "tenants/"+tenant+"/", true)
	return nil
}

// DeleteAll deletes every object whose key starts with "tenants/<tenant>/<prefix>". prefix is
// a string prefix, as in S3: "logs/" deletes the folder logs, while "logs" also deletes
// "logs2.las". An empty prefix deletes all of the tenant's objects, its prefix marker and what
// is being written (offboarding: Staged is empty afterwards; a write under way fails or, on
// S3, may still complete after, see tenancy's offboarding sweep). prefix follows the key rules
// (see the package documentation), except that it may be empty or end in a slash; an invalid
// one is wellbase.EInvalid. DeleteAll stops at the first error; it is idempotent, so it can be
// retried. Objects written while it runs may survive it. On file://, folders it empties are
// removed (the tenant's own folder too for an empty prefix).
func (s *Store) DeleteAll(ctx context.Context, tenant, prefix string) error {
	tp, err := Prefix(tenant)
	if err != nil {
		return err
	}
	if err := validKey(prefix, true); err != nil {
		return err
	}
	full := tp + prefix
	var deleted []string
	if prefix == "" {
		deleted = append(deleted, tp+stagingFolder+"/-") // the staging folder goes too, if empty
	}
	defer func() { s.pruneDirs(deleted, tp, prefix != "") }()
	var delErr error
	err = s.eachObject(ctx, full, func() {}, func(obj *blob.ListObject) error {
		if obj.IsDir {
			return nil
		}
		if err := s.bucket.Delete(ctx, obj.Key); err != nil && gcerrors.Code(err) != gcerrors.NotFound {
			delErr = bucketErr("files: delete all %s: delete %s: %w", full, obj.Key, err)
			return delErr
		}
		deleted = append(deleted, obj.Key)
		return nil
	})
	if delErr != nil {
		return delErr
	}
	if err != nil {
		return bucketErr("files: delete all %s: list: %w", full, err)
	}
	if prefix == "" {
		if _, err := s.abortUploads(ctx, tp, time.Now().Add(time.Hour)); err != nil {
			return fmt.Errorf("files: delete all %s: %w", full, err)
		}
	}
	return nil
}

// ObjectInfo describes a stored object of a tenant: its key (after "tenants/<id>/") and its
// stored (encrypted) size in bytes.
type ObjectInfo struct {
	Key     string    `json:"key"`
	Size    int64     `json:"size"`
	ModTime time.Time `json:"mod_time"`
}

// List returns the tenant's objects whose key starts with prefix (a string prefix, as in
// DeleteAll; "" for all), in key order: finished objects only, without the prefix marker and
// without objects being written (see Put and Staged), which are not objects yet. An invalid
// tenant or prefix is wellbase.EInvalid.
func (s *Store) List(ctx context.Context, tenant, prefix string) ([]ObjectInfo, error) {
	tp, err := Prefix(tenant)
	if err != nil {
		return nil, err
	}
	if err := validKey(prefix, true); err != nil {
		return nil, err
	}
	var out []ObjectInfo
	err = s.eachObject(ctx, tp+prefix, func() { out = out[:0] }, func(obj *blob.ListObject) error {
		key := strings.TrimPrefix(obj.Key, tp)
		if !obj.IsDir && key != markerKey && !isStaged(key) {
			out = append(out, ObjectInfo{Key: key, Size: obj.Size, ModTime: obj.ModTime})
		}
		return nil
	})
	if err != nil {
		return nil, bucketErr("files: list %s: %w", tp+prefix, err)
	}
	return out, nil
}

// walkRetries is how many times eachObject takes a listing of a folder tree again after an
// entry vanished under it.
const walkRetries = 5

// eachObject calls fn for each entry of the bucket under prefix, in key order. On file:// the
// listing walks the folder tree, and an entry that vanishes during the walk (a staged write
// renamed into place, an object or empty folder deleted by another request) fails it with
// NotFound: the listing is then taken again from the start, after reset, up to walkRetries
// times. S3 lists a snapshot and never fails that way. fn's error ends the walk.
func (s *Store) eachObject(ctx context.Context, prefix string, reset func(), fn func(*blob.ListObject) error) error {
	for attempt := 0; ; attempt++ {
		err := func() error {
			it := s.bucket.List(&blob.ListOptions{Prefix: prefix})
			for {
				obj, err := it.Next(ctx)
				if err == io.EOF {
					return nil
				}
				if err != nil {
					return err
				}
				if err := fn(obj); err != nil {
					return err
				}
			}
		}()
		if err == nil || s.dir == "" || gcerrors.Code(err) != gcerrors.NotFound || attempt == walkRetries || ctx.Err() != nil {
			return err
		}
		reset()
	}
}
