package files

import (
	"bytes"
	"context"
	"errors"
	"io"
	"testing"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/keyring"
)

// TestStored copies an object as stored from one store to another: the copy is the same bytes,
// decrypts with the tenant's key at the same key only, and a failing source stores nothing.
func TestStored(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	src, _ := newTestStore(t)
	dst, _ := newTestStore(t)
	keys := newTestKeys(t, "acme", "globex")
	plain := randomBytes(t, 3*segment+17)
	if _, err := src.Put(ctx, "acme", "logs/l1/original.las", keys["acme"], bytes.NewReader(plain)); err != nil {
		t.Fatal(err)
	}
	stored := func(s *Store, tenant, key string) []byte {
		t.Helper()
		r, size, err := s.OpenStored(ctx, tenant, key)
		if err != nil {
			t.Fatalf("OpenStored %s: %v", key, err)
		}
		defer r.Close()
		b, err := io.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		if int64(len(b)) != size {
			t.Errorf("OpenStored %s: size %d, read %d bytes", key, size, len(b))
		}
		return b
	}
	ciphertext := stored(src, "acme", "logs/l1/original.las")
	if int64(len(ciphertext)) != keyring.EncryptedSize(int64(len(plain))) || bytes.Contains(ciphertext, plain[:64]) {
		t.Fatalf("OpenStored gave %d bytes, want the %d of the encrypted object", len(ciphertext), keyring.EncryptedSize(int64(len(plain))))
	}

	t.Run("OK", func(t *testing.T) {
		n, err := dst.PutStored(ctx, "acme", "logs/l1/original.las", bytes.NewReader(ciphertext))
		if err != nil || n != int64(len(ciphertext)) {
			t.Fatalf("PutStored = %d, %v", n, err)
		}
		if got := stored(dst, "acme", "logs/l1/original.las"); !bytes.Equal(got, ciphertext) {
			t.Error("the copy's stored bytes differ")
		}
		rc, err := dst.Open(ctx, "acme", "logs/l1/original.las", keys["acme"])
		if err != nil {
			t.Fatal(err)
		}
		defer rc.Close()
		if got, err := io.ReadAll(rc); err != nil || !bytes.Equal(got, plain) {
			t.Errorf("the copy decrypts to %d bytes, %v; want the original", len(got), err)
		}
	})
	t.Run("OtherKeyDoesNotDecrypt", func(t *testing.T) {
		if _, err := dst.PutStored(ctx, "acme", "logs/l2/original.las", bytes.NewReader(ciphertext)); err != nil {
			t.Fatal(err)
		}
		if _, err := dst.OpenAt(ctx, "acme", "logs/l2/original.las", keys["acme"]); err == nil {
			t.Error("a copy stored at another key decrypts")
		}
		if _, err := dst.PutStored(ctx, "globex", "logs/l1/original.las", bytes.NewReader(ciphertext)); err != nil {
			t.Fatal(err)
		}
		if _, err := dst.OpenAt(ctx, "globex", "logs/l1/original.las", keys["globex"]); err == nil {
			t.Error("a copy stored under another tenant decrypts")
		}
	})
	t.Run("FailingSourceStoresNothing", func(t *testing.T) {
		bad := errors.New("checksum mismatch")
		r := io.MultiReader(bytes.NewReader(ciphertext[:100]), &errReader{err: bad})
		if _, err := dst.PutStored(ctx, "acme", "logs/l3/original.las", r); !errors.Is(err, bad) {
			t.Fatalf("PutStored from a failing reader: %v, want the reader's error", err)
		}
		if _, _, err := dst.OpenStored(ctx, "acme", "logs/l3/original.las"); wellbase.ErrorCode(err) != wellbase.ENotFound {
			t.Errorf("an object was stored from a failing reader: %v", err)
		}
		// Over an existing object: it stays as it was.
		r = io.MultiReader(bytes.NewReader(make([]byte, 100)), &errReader{err: bad})
		if _, err := dst.PutStored(ctx, "acme", "logs/l1/original.las", r); !errors.Is(err, bad) {
			t.Fatalf("PutStored over an object from a failing reader: %v", err)
		}
		if got := stored(dst, "acme", "logs/l1/original.las"); !bytes.Equal(got, ciphertext) {
			t.Error("a failed PutStored changed the object already at the key")
		}
		if st, _ := dst.Staged(ctx, "acme"); len(st) != 0 {
			t.Errorf("a failed PutStored left %d staged files", len(st))
		}
	})
	t.Run("Errors", func(t *testing.T) {
		if _, _, err := src.OpenStored(ctx, "acme", "logs/none"); wellbase.ErrorCode(err) != wellbase.ENotFound {
			t.Errorf("OpenStored of a missing object: %v, want not_found", err)
		}
		if _, _, err := src.OpenStored(ctx, "acme", "../globex/x"); wellbase.ErrorCode(err) != wellbase.EInvalid {
			t.Errorf("OpenStored of an invalid key: %v, want invalid", err)
		}
		if _, err := dst.PutStored(ctx, "Acme", "x", bytes.NewReader(nil)); wellbase.ErrorCode(err) != wellbase.EInvalid {
			t.Errorf("PutStored of an invalid tenant: %v, want invalid", err)
		}
	})
}
