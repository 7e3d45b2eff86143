// Package files is the tenant file store: gocloud.dev/blob buckets (file:// locally, s3:// on
// AWS) in which every tenant's objects live under the key prefix
// "tenants/<tenant-id>/". Tenant IDs and object keys are validated before they become object
// keys.
//
// # Encryption
//
// Tenant files are stored encrypted with the tenant's data key, given as a [Cipher]
// (a *keyring.DataKey): [Store.Put] encrypts as it uploads, [Store.Open] decrypts as it
// downloads, [Store.OpenAt] decrypts ranges for random access (columnar formats such as
// Parquet). The format is AES-256-GCM (NIST SP 800-38D) in 64 KiB segments under the STREAM
// construction (Hoang, Reyhanitabar, Rogaway, Vizár, CRYPTO 2015, §7), with the full object key
// "tenants/<id>/<key>" as associated data: an object's bytes decrypt only with the tenant's key
// and only at their own key, so an object copied to another key or tenant does not decrypt.
// Plaintext is never written to the bucket, nor to a temporary file.
//
// # Keys
//
// An object key (the part after "tenants/<id>/") is 1 to 512 bytes of printable ASCII (space
// to '~') without backslashes: segments of 1 to 200 bytes separated by single slashes, none
// "." or "..", no leading or trailing slash. ".tenant.json" (the tenant's prefix marker) and
// names ending in ".attrs" (fileblob's sidecar files) are reserved. So a key can neither
// leave its tenant's prefix nor mean different objects on file:// and s3://. Every method
// checks the tenant (wellbase.ValidateTenantID) and the key first, and answers an invalid one
// with a wellbase.EInvalid error whose message names it. On file://, a key cannot be both an
// object and a folder ("a" and "a/b"); S3 allows it.
package files

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"strings"
	"time"

	"gocloud.dev/blob"
	_ "gocloud.dev/blob/fileblob" // file:// buckets, the embedded default
	_ "gocloud.dev/blob/s3blob"   // s3:// buckets (AWS S3 and S3-compatible servers)
	"gocloud.dev/gcerrors"

	"github.com/wellbase/wellbase"
)

// Store is an opened bucket.
type Store struct {
	bucket *blob.Bucket
	name   string // "s3://<bucket>" or "file:///<folder>": no query, for error messages
	dir    string // the folder of a file:// bucket, "" for others
	// s3bucket is the bucket name of an s3:// store, for the S3 calls gocloud does not make
	// (multipart uploads left incomplete, see SweepStaged).
	s3bucket string
}

// Open opens the bucket named by rawURL: "file:///abs/folder" or
// "s3://bucket?region=eu-north-1" (gocloud.dev/blob/s3blob; for an S3-compatible server add
// "&endpoint=http://host:port&use_path_style=true"). AWS credentials come from the SDK's default
// chain (the ECS task role, a shared credentials file), never from the URL. For file:// URLs the folder is created (mode 0700)
// if missing, blob metadata sidecar files are not written (metadata=skip), and objects being
// written are kept in temporary files next to their final path (no_tmp_dir=1), not in
// os.TempDir, so that the rename that completes a write never crosses file systems (a tmpfs
// /tmp, a data directory on a mounted volume). Either can be overridden in the URL's query.
func Open(ctx context.Context, rawURL string) (*Store, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("files: parse URL: %w", err)
	}
	if u.Scheme == "file" {
		if err := os.MkdirAll(u.Path, 0o700); err != nil {
			return nil, fmt.Errorf("files: create folder %s: %w", u.Path, err)
		}
		q := u.Query()
		if !q.Has("metadata") {
			q.Set("metadata", "skip")
		}
		if !q.Has("no_tmp_dir") {
			q.Set("no_tmp_dir", "1")
		}
		u.RawQuery = q.Encode()
	}
	if u.Scheme == "s3" {
		q := u.Query()
		if !q.Has("response_checksum_validation") {
			// Every segment of an object is authenticated by AES-GCM on read, which catches any
			// corruption in transit; the SDK's own check cannot cover ranged reads and would log
			// a warning for each of them.
			q.Set("response_checksum_validation", "when_required")
		}
		u.RawQuery = q.Encode()
	}
	b, err := blob.OpenBucket(ctx, u.String())
	if err != nil {
		return nil, fmt.Errorf("files: open bucket %s://%s: %w", u.Scheme, u.Host, err)
	}
	st := &Store{bucket: b, name: u.Scheme + "://" + u.Host + u.Path}
	switch u.Scheme {
	case "file":
		st.dir = u.Path
	case "s3":
		st.s3bucket = u.Host
	}
	return st, nil
}

// Close closes the bucket.
func (s *Store) Close() error { return s.bucket.Close() }

// Scheme returns the driver's URL scheme: "file" or "s3".
func (s *Store) Scheme() string {
	scheme, _, _ := strings.Cut(s.name, "://")
	return scheme
}

// Prefix returns the key prefix of tenant's objects: "tenants/<id>/".
func Prefix(tenant string) (string, error) {
	if err := wellbase.ValidateTenantID(tenant); err != nil {
		return "", err
	}
	return "tenants/" + tenant + "/", nil
}

// markerKey is the object that marks a tenant's prefix as created at onboarding.
const markerKey = ".tenant.json"

// CreateTenantPrefix writes the marker object of tenant's prefix, recording when it was made.
// It is idempotent: an existing marker is kept.
func (s *Store) CreateTenantPrefix(ctx context.Context, tenant string) error {
	prefix, err := Prefix(tenant)
	if err != nil {
		return err
	}
	key := prefix + markerKey
	ok, err := s.bucket.Exists(ctx, key)
	if err != nil {
		return bucketErr("files: check prefix of tenant %s: %w", tenant, err)
	}
	if ok {
		return nil
	}
	body, _ := json.Marshal(map[string]any{"tenant": tenant, "created_at": time.Now().UTC()})
	if err := s.bucket.WriteAll(ctx, key, body, &blob.WriterOptions{ContentType: "application/json"}); err != nil {
		return bucketErr("files: create prefix of tenant %s: %w", tenant, err)
	}
	return nil
}

// TenantPrefixExists reports whether tenant's prefix marker exists.
func (s *Store) TenantPrefixExists(ctx context.Context, tenant string) (bool, error) {
	prefix, err := Prefix(tenant)
	if err != nil {
		return false, err
	}
	ok, err := s.bucket.Exists(ctx, prefix+markerKey)
	if err != nil && gcerrors.Code(err) != gcerrors.NotFound {
		return false, bucketErr("files: check prefix of tenant %s: %w", tenant, err)
	}
	return ok, nil
}
