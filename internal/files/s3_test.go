package files

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	"gocloud.dev/blob"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/keyring"
	"github.com/wellbase/wellbase/internal/testservers"
)

// The same store behaviours on a real S3-compatible server (versitygw under make test): the
// driver differences (multipart uploads, ranged reads, listing) are where bugs would hide.
func TestS3(t *testing.T) {
	url := testservers.S3URL(t)
	ctx := context.Background()
	s, err := Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	raw, err := blob.OpenBucket(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	// A tenant of its own per run, so runs against one bucket never meet.
	id := wellbase.NewID("x")
	tenant := "s3t-" + strings.ToLower(id[len(id)-10:])
	keys := newTestKeys(t, tenant, "globex")
	dk := keys[tenant]

	marker := []byte("~Well Information 15/9-F-14 PLAINTEXT-MARKER")
	big := append(bytes.Repeat(marker, 1<<10), randomBytes(t, 3*segment+123)...)
	if err := s.CreateTenantPrefix(ctx, tenant); err != nil {
		t.Fatal(err)
	}
	put(t, s, tenant, "logs/a/original.las", dk, big)
	put(t, s, tenant, "logs/b/original.las", dk, marker)

	t.Run("round trip", func(t *testing.T) {
		got, err := readAll(s, tenant, "logs/a/original.las", dk)
		if err != nil || !bytes.Equal(got, big) {
			t.Fatalf("read back %d bytes, %v; want %d", len(got), err, len(big))
		}
	})
	t.Run("ranged reads", func(t *testing.T) {
		o, err := s.OpenAt(ctx, tenant, "logs/a/original.las", dk)
		if err != nil {
			t.Fatal(err)
		}
		defer o.Close()
		buf := make([]byte, 1000)
		off := int64(2*segment - 500) // across a segment boundary
		if _, err := o.ReadAt(buf, off); err != nil && err != io.EOF {
			t.Fatal(err)
		}
		if !bytes.Equal(buf, big[off:off+1000]) {
			t.Fatal("ReadAt across a segment boundary returned other bytes")
		}
	})
	t.Run("no plaintext in the bucket", func(t *testing.T) {
		for _, key := range []string{"logs/a/original.las", "logs/b/original.las"} {
			b, err := raw.ReadAll(ctx, "tenants/"+tenant+"/"+key)
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Contains(b, []byte("PLAINTEXT-MARKER")) {
				t.Fatalf("object %s holds plaintext", key)
			}
		}
	})
	t.Run("other tenant's key", func(t *testing.T) {
		if _, err := readAll(s, tenant, "logs/b/original.las", keys["globex"]); err == nil {
			t.Fatal("an object decrypted with another tenant's key")
		}
	})
	t.Run("list, size, delete all", func(t *testing.T) {
		objs, err := s.List(ctx, tenant, "")
		if err != nil || len(objs) != 2 || objs[0].Key != "logs/a/original.las" {
			t.Fatalf("List = %+v, %v", objs, err)
		}
		if n, err := s.Size(ctx, tenant, "logs/b/original.las"); err != nil || n != objs[1].Size || n != keyring.EncryptedSize(int64(len(marker))) {
			t.Fatalf("Size = %d, %v; listed %d", n, err, objs[1].Size)
		}
		if err := s.DeleteAll(ctx, tenant, ""); err != nil {
			t.Fatal(err)
		}
		if objs, err := s.List(ctx, tenant, ""); err != nil || len(objs) != 0 {
			t.Fatalf("after DeleteAll: %+v, %v", objs, err)
		}
		if ok, err := s.TenantPrefixExists(ctx, tenant); err != nil || ok {
			t.Fatalf("prefix marker after DeleteAll: %v, %v", ok, err)
		}
		if _, err := s.Open(ctx, tenant, "logs/a/original.las", dk); wellbase.ErrorCode(err) != wellbase.ENotFound {
			t.Fatalf("Open after delete: %v", err)
		}
	})
}
