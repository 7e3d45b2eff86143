package files

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"gocloud.dev/blob"
	"gocloud.dev/gcerrors"
)

// Objects being written.
//
// A write must never be visible before it is complete, nor stay behind when the process dies
// in the middle of it (SIGKILL, or a SIGTERM whose grace ends): a reader, an export or the
// usage count would meet a partial object that decrypts with no key. Where the bytes of a write
// live until it completes depends on the driver:
//
//   - file://: under the tenant's staging folder "tenants/<id>/.staging/", renamed to the
//     object's key when complete (a rename within one file system is atomic). fileblob's own
//     temporary file ("<name>.<hex>.tmp", next to the name it writes) is then inside the
//     staging folder too.
//   - s3://: S3 makes an object visible only when its upload completes: a single PUT for a
//     small object, a multipart upload for a large one. A multipart upload that was never
//     completed is not an object (List does not show it) but its parts are stored, and billed,
//     until it is aborted.
//
// SweepStaged removes what dead processes left: staged files on file://, incomplete multipart
// uploads on S3, older than an age that no live write reaches.

// stagingFolder is the folder, in a tenant's prefix, of the objects being written on file://.
const stagingFolder = ".staging"

// isStaged reports whether key (after "tenants/<id>/") is in the staging folder.
func isStaged(key string) bool {
	return strings.HasPrefix(key, stagingFolder+"/") || isTempName(key)
}

// isTempName reports whether key's last segment is a fileblob temporary file name,
// "<name>.<hex digits>.tmp" (fileblob.createTemp), as left next to an object by a write of an
// earlier Wellbase version, or of one that wrote without the staging folder.
func isTempName(key string) bool {
	rest, ok := strings.CutSuffix(key, ".tmp")
	if !ok {
		return false
	}
	i := strings.LastIndexByte(rest, '.')
	if i < 0 || i == len(rest)-1 || strings.LastIndexByte(rest, '/') > i {
		return false
	}
	for _, c := range rest[i+1:] {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// stageName returns a new name in the staging folder: the time in hex and 64 random bits, so
// that names never collide and sort by when their write began.
func stageName() string {
	var b [8]byte
	rand.Read(b[:])
	return strconv.FormatInt(time.Now().UnixNano(), 16) + "-" + hex.EncodeToString(b[:])
}

// commit moves the finished staged object to its key, replacing what is there: on file://, a
// rename within the bucket's folder.
func (s *Store) commit(ctx context.Context, staged, full string) error {
	if os.PathSeparator != '/' {
		// fileblob escapes some characters of keys on Windows: let it map the paths.
		if err := s.bucket.Copy(ctx, full, staged, nil); err != nil {
			return err
		}
		return s.bucket.Delete(ctx, staged)
	}
	// The key rules make fileblob's path of a key the key itself (no character it escapes).
	src, dst := filepath.Join(s.dir, staged), filepath.Join(s.dir, full)
	for try := 0; ; try++ {
		if err := os.MkdirAll(filepath.Dir(dst), 0o777); err != nil {
			return err
		}
		err := os.Rename(src, dst)
		if err == nil {
			return nil
		}
		// A delete of the last object of the folder may have removed the folder between the
		// two calls (see pruneDirs): make it again.
		if _, serr := os.Stat(src); !errors.Is(err, fs.ErrNotExist) || serr != nil || try == 2 {
			return err
		}
	}
}

// pruneDirs removes, on file://, the folders of the given object keys that deletes left empty,
// and their emptied parents up to the tenant's prefix folder "tenants/<id>" (which is removed
// too if keepTenant is false). A folder that is not empty stays; errors are ignored (a folder
// left behind holds no object).
func (s *Store) pruneDirs(fullKeys []string, tenantPrefix string, keepTenant bool) {
	if s.dir == "" || len(fullKeys) == 0 {
		return
	}
	stop := strings.TrimSuffix(tenantPrefix, "/")
	dirs := map[string]bool{}
	for _, k := range fullKeys {
		if d := pathDir(k); d != "" {
			dirs[d] = true
		}
	}
	list := make([]string, 0, len(dirs))
	for d := range dirs {
		list = append(list, d)
	}
	// Deepest first, so that a parent is tried after its children.
	slices.SortFunc(list, func(a, b string) int { return strings.Count(b, "/") - strings.Count(a, "/") })
	for _, d := range list {
		for ; d != "" && strings.HasPrefix(d+"/", tenantPrefix); d = pathDir(d) {
			if d == stop && keepTenant {
				break
			}
			if os.Remove(filepath.Join(s.dir, filepath.FromSlash(d))) != nil {
				break
			}
		}
	}
}

// pathDir is the folder of a slash-separated key, "" at the top.
func pathDir(key string) string {
	i := strings.LastIndexByte(key, '/')
	if i < 0 {
		return ""
	}
	return key[:i]
}

// Staged lists what is being written for tenant, or was left by a write that never finished:
// on file://, the files of the staging folder (Key ".staging/<name>"); on S3, the incomplete
// multipart uploads under the prefix (Key the object key it would complete to, Size the bytes
// of its parts uploaded so far, ModTime when it began). These bytes are stored (S3 bills the
// parts) and count in a tenant's storage use until SweepStaged removes them. (fileblob
// temporary files that an earlier version left next to objects are not listed; List hides
// them and SweepStaged removes them.) An invalid tenant is wellbase.EInvalid.
func (s *Store) Staged(ctx context.Context, tenant string) ([]ObjectInfo, error) {
	tp, err := Prefix(tenant)
	if err != nil {
		return nil, err
	}
	if s.dir == "" {
		return s.stagedUploads(ctx, tp)
	}
	var out []ObjectInfo
	err = s.eachObject(ctx, tp+stagingFolder+"/", func() { out = out[:0] }, func(obj *blob.ListObject) error {
		if !obj.IsDir {
			out = append(out, ObjectInfo{Key: strings.TrimPrefix(obj.Key, tp), Size: obj.Size, ModTime: obj.ModTime})
		}
		return nil
	})
	if err != nil {
		return nil, bucketErr("files: list staged objects of %s: %w", tp, err)
	}
	return out, nil
}

// StagedBytes returns the bytes of Staged(tenant).
func (s *Store) StagedBytes(ctx context.Context, tenant string) (int64, error) {
	objs, err := s.Staged(ctx, tenant)
	var n int64
	for _, o := range objs {
		n += o.Size
	}
	return n, err
}

// Swept counts what SweepStaged removed.
type Swept struct {
	Objects int   `json:"objects"`
	Bytes   int64 `json:"bytes"`
}

// SweepStaged removes, for every tenant, what writes that never finished left (see Staged)
// and that is older than olderThan: on file://, staged and temporary files not modified for
// that long (a write in progress modifies its file as it goes); on S3, multipart uploads begun
// that long ago (abort). olderThan must exceed the longest write (the slowest upload of the
// largest file a tenant may send): a write still under way, on this process or another replica,
// would fail. It reports what it removed; on an error it stops, and can be run again.
func (s *Store) SweepStaged(ctx context.Context, olderThan time.Duration) (Swept, error) {
	cutoff := time.Now().Add(-olderThan)
	if s.dir == "" {
		return s.abortUploads(ctx, "tenants/", cutoff)
	}
	var sw Swept
	root := filepath.Join(s.dir, "tenants")
	var removed []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil // removed meanwhile, or no tenant yet
			}
			return err
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if d.IsDir() || !d.Type().IsRegular() {
			return nil
		}
		rel, err := filepath.Rel(s.dir, path)
		if err != nil {
			return err
		}
		full := filepath.ToSlash(rel)
		// "tenants/<id>/<key>"
		parts := strings.SplitN(full, "/", 3)
		if len(parts) < 3 || !isStaged(parts[2]) {
			return nil
		}
		fi, err := d.Info()
		if err != nil || !fi.ModTime().Before(cutoff) {
			return nil
		}
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		sw.Objects++
		sw.Bytes += fi.Size()
		removed = append(removed, full)
		return nil
	})
	for _, full := range removed {
		// Keep the staging folder itself: writes make files in it without re-creating it.
		if parts := strings.SplitN(full, "/", 4); len(parts) == 4 && parts[2] == stagingFolder {
			continue
		}
		parts := strings.SplitN(full, "/", 3)
		s.pruneDirs([]string{full}, parts[0]+"/"+parts[1]+"/", true)
	}
	if err != nil {
		return sw, fmt.Errorf("files: sweep staged objects of %s: %w", s.name, err)
	}
	return sw, nil
}

// s3Client returns the S3 client of an s3:// bucket, or nil.
func (s *Store) s3Client() *s3.Client {
	var c *s3.Client
	if !s.bucket.As(&c) {
		return nil
	}
	return c
}

// stagedUploads lists the incomplete multipart uploads under prefix, with the bytes of their
// parts (nothing for a bucket other than S3).
func (s *Store) stagedUploads(ctx context.Context, prefix string) ([]ObjectInfo, error) {
	c := s.s3Client()
	if c == nil {
		return nil, nil
	}
	var out []ObjectInfo
	err := s.eachUpload(ctx, c, prefix, func(key, id string, began time.Time) error {
		o := ObjectInfo{Key: strings.TrimPrefix(key, prefix), ModTime: began}
		in := &s3.ListPartsInput{Bucket: aws.String(s.s3bucket), Key: aws.String(key), UploadId: aws.String(id)}
		for {
			res, err := c.ListParts(ctx, in)
			if err != nil {
				if gcerrors.Code(err) == gcerrors.NotFound || isNoSuchUpload(err) {
					return nil // completed or aborted meanwhile
				}
				return err
			}
			for _, p := range res.Parts {
				o.Size += aws.ToInt64(p.Size)
			}
			if !aws.ToBool(res.IsTruncated) || res.NextPartNumberMarker == nil {
				break
			}
			in.PartNumberMarker = res.NextPartNumberMarker
		}
		out = append(out, o)
		return nil
	})
	if err != nil {
		return nil, bucketErr("files: list staged uploads of %s: %w", prefix, err)
	}
	return out, nil
}

// abortUploads aborts the incomplete multipart uploads under prefix begun before cutoff.
func (s *Store) abortUploads(ctx context.Context, prefix string, cutoff time.Time) (Swept, error) {
	var sw Swept
	c := s.s3Client()
	if c == nil {
		return sw, nil
	}
	var uploads [][2]string
	err := s.eachUpload(ctx, c, prefix, func(key, id string, began time.Time) error {
		if began.Before(cutoff) {
			uploads = append(uploads, [2]string{key, id})
		}
		return nil
	})
	if err != nil {
		return sw, bucketErr("files: list uploads of %s: %w", prefix, err)
	}
	for _, u := range uploads {
		_, err := c.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{Bucket: aws.String(s.s3bucket), Key: aws.String(u[0]), UploadId: aws.String(u[1])})
		if err != nil && !isNoSuchUpload(err) {
			return sw, bucketErr("files: abort upload of %s: %w", u[0], err)
		}
		sw.Objects++
	}
	return sw, nil
}

// eachUpload calls fn for each incomplete multipart upload under prefix.
func (s *Store) eachUpload(ctx context.Context, c *s3.Client, prefix string, fn func(key, id string, began time.Time) error) error {
	in := &s3.ListMultipartUploadsInput{Bucket: aws.String(s.s3bucket), Prefix: aws.String(prefix)}
	for {
		res, err := c.ListMultipartUploads(ctx, in)
		if err != nil {
			return err
		}
		for _, u := range res.Uploads {
			if err := fn(aws.ToString(u.Key), aws.ToString(u.UploadId), aws.ToTime(u.Initiated)); err != nil {
				return err
			}
		}
		if !aws.ToBool(res.IsTruncated) {
			return nil
		}
		in.KeyMarker, in.UploadIdMarker = res.NextKeyMarker, res.NextUploadIdMarker
	}
}

// isNoSuchUpload reports whether err is S3's answer for an upload that was completed or
// aborted.
func isNoSuchUpload(err error) bool {
	var code interface{ ErrorCode() string }
	return errors.As(err, &code) && code.ErrorCode() == "NoSuchUpload"
}
