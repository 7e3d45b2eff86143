package backup

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/url"
	"os"
	"strings"

	"gocloud.dev/blob"
	_ "gocloud.dev/blob/fileblob" // file:// locations
	_ "gocloud.dev/blob/s3blob"   // s3:// locations
	"gocloud.dev/gcerrors"

	"github.com/wellbase/wellbase"
)

// location is where a backup is: a folder or an S3 bucket and prefix, opened as a bucket whose
// keys are the backup's file names (manifest.json, records/…, objects/…).
type location struct {
	bucket *blob.Bucket
	name   string // for messages: the URL without its query
}

// openLocation opens the backup location rawURL:
//
//   - file:///abs/folder — a folder, created (mode 0700) when create is set;
//   - s3://bucket/prefix?region=…[&endpoint=…&use_path_style=true] — the objects under prefix/
//     of an S3 bucket (gocloud.dev/blob/s3blob; credentials from the AWS SDK's default chain).
//
// Errors are EInvalid for a URL of another form, naming it without its query.
func openLocation(ctx context.Context, rawURL string, create bool) (*location, error) {
	const want = "want file:///absolute/folder or s3://bucket/prefix?region=…"
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, wellbase.Errorf(wellbase.EInvalid, "backup location is not a URL: %v; %s", err, want)
	}
	name := u.Scheme + "://" + u.Host + u.Path
	q := u.Query()
	switch u.Scheme {
	case "file":
		if u.Host != "" && u.Host != "localhost" || !strings.HasPrefix(u.Path, "/") || u.Opaque != "" {
			return nil, wellbase.Errorf(wellbase.EInvalid, "backup location %s: a file URL needs an absolute folder; %s", name, want)
		}
		if create {
			if err := os.MkdirAll(u.Path, 0o700); err != nil {
				return nil, fmt.Errorf("backup location %s: %w", name, err)
			}
		} else if fi, err := os.Stat(u.Path); err != nil || !fi.IsDir() {
			return nil, wellbase.Errorf(wellbase.ENotFound, "backup location %s: no such folder", name)
		}
		// No metadata sidecar files; temporary files next to their final name, so the rename
		// that completes a write stays in one file system.
		q.Set("metadata", "skip")
		q.Set("no_tmp_dir", "1")
	case "s3":
		if u.Host == "" {
			return nil, wellbase.Errorf(wellbase.EInvalid, "backup location %s names no bucket; %s", name, want)
		}
		if p := strings.Trim(u.Path, "/"); p != "" && !q.Has("prefix") {
			q.Set("prefix", p+"/")
		}
		u.Path = ""
		if !q.Has("response_checksum_validation") {
			// Every file is checked against its SHA-256 in the manifest instead.
			q.Set("response_checksum_validation", "when_required")
		}
	default:
		return nil, wellbase.Errorf(wellbase.EInvalid, "backup location scheme %q is not supported; %s", u.Scheme, want)
	}
	u.RawQuery = q.Encode()
	b, err := blob.OpenBucket(ctx, u.String())
	if err != nil {
		return nil, fmt.Errorf("backup location %s: %w", name, err)
	}
	return &location{bucket: b, name: name}, nil
}

func (l *location) Close() error { return l.bucket.Close() }

// exists reports whether file name is there.
func (l *location) exists(ctx context.Context, name string) (bool, error) {
	ok, err := l.bucket.Exists(ctx, name)
	if err != nil {
		return false, fmt.Errorf("backup location %s: %s: %w", l.name, name, err)
	}
	return ok, nil
}

// FileEntry is a file of a backup as the manifest lists it: its size in bytes and the hex
// SHA-256 of its bytes.
type FileEntry struct {
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// fileWriter writes one file of a backup, hashing what it writes. The file appears only when
// Close succeeds; Abort discards it.
type fileWriter struct {
	w      *blob.Writer
	cancel context.CancelFunc
	h      hash.Hash
	n      int64
}

// create starts writing file name.
func (l *location) create(ctx context.Context, name, contentType string) (*fileWriter, error) {
	ctx, cancel := context.WithCancel(ctx)
	w, err := l.bucket.NewWriter(ctx, name, &blob.WriterOptions{ContentType: contentType})
	if err != nil {
		cancel()
		return nil, fmt.Errorf("backup location %s: write %s: %w", l.name, name, err)
	}
	return &fileWriter{w: w, cancel: cancel, h: sha256.New()}, nil
}

func (f *fileWriter) Write(p []byte) (int, error) {
	n, err := f.w.Write(p)
	f.h.Write(p[:n])
	f.n += int64(n)
	return n, err
}

// Close finishes the file and returns its entry.
func (f *fileWriter) Close() (FileEntry, error) {
	defer f.cancel()
	if err := f.w.Close(); err != nil {
		return FileEntry{}, err
	}
	return FileEntry{Size: f.n, SHA256: hex.EncodeToString(f.h.Sum(nil))}, nil
}

// Abort discards the file: gocloud.dev/blob aborts a write whose context ends before Close.
func (f *fileWriter) Abort() {
	f.cancel()
	_ = f.w.Close()
}

// ErrCorrupt is wrapped by the error of a backup file whose bytes are not those its manifest
// lists (another size or SHA-256).
var ErrCorrupt = errors.New("backup file does not match its checksum")

// open returns a reader of file name that checks it against want as it reads: its Read
// returns an error wrapping ErrCorrupt instead of io.EOF if the file's size or SHA-256 differ
// from want's, so what reads it whole (a store's PutStored) keeps nothing of a corrupt file.
// A missing file is ENotFound.
func (l *location) open(ctx context.Context, name string, want FileEntry) (io.ReadCloser, error) {
	r, err := l.bucket.NewReader(ctx, name, nil)
	if gcerrors.Code(err) == gcerrors.NotFound {
		return nil, wellbase.Errorf(wellbase.ENotFound, "backup %s has no file %s, which its manifest lists", l.name, name)
	}
	if err != nil {
		return nil, fmt.Errorf("backup location %s: read %s: %w", l.name, name, err)
	}
	return &checkedReader{r: r, name: name, want: want, h: sha256.New()}, nil
}

// checkedReader reads a backup file and checks it against its manifest entry.
type checkedReader struct {
	r    io.ReadCloser
	name string
	want FileEntry
	h    hash.Hash
	n    int64
}

func (c *checkedReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.h.Write(p[:n])
	c.n += int64(n)
	if c.n > c.want.Size {
		return n, fmt.Errorf("%s: %w: more than the %d bytes the manifest lists", c.name, ErrCorrupt, c.want.Size)
	}
	if err == io.EOF {
		if c.n != c.want.Size {
			return n, fmt.Errorf("%s: %w: %d bytes, the manifest lists %d", c.name, ErrCorrupt, c.n, c.want.Size)
		}
		if sum := hex.EncodeToString(c.h.Sum(nil)); sum != c.want.SHA256 {
			return n, fmt.Errorf("%s: %w: SHA-256 %s, the manifest lists %s", c.name, ErrCorrupt, sum, c.want.SHA256)
		}
	}
	return n, err
}

func (c *checkedReader) Close() error { return c.r.Close() }

// verify reads file name whole and checks it against want.
func (l *location) verify(ctx context.Context, name string, want FileEntry) error {
	r, err := l.open(ctx, name, want)
	if err != nil {
		return err
	}
	defer r.Close()
	_, err = io.Copy(io.Discard, r)
	return err
}
