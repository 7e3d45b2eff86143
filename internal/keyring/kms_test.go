package keyring

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/wellbase/wellbase/internal/testservers"
)

// The KMS root key against a real KMS API (local-kms under make test).
func TestKMS(t *testing.T) {
	ctx := context.Background()
	url := testservers.KMSURL(t)
	k, err := Open(ctx, url, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { k.Close() })
	if _, alias := testservers.KMS(t); k.ID() != "awskms:///"+alias {
		t.Fatalf("ID = %q", k.ID())
	}

	dk, wrapped, err := k.NewDataKey(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	t.Run("unwrap", func(t *testing.T) {
		got, err := k.UnwrapDataKey(ctx, "acme", wrapped)
		if err != nil {
			t.Fatal(err)
		}
		sealed, err := dk.Seal([]byte("x"), nil)
		if err != nil {
			t.Fatal(err)
		}
		if plain, err := got.Open(sealed, nil); err != nil || string(plain) != "x" {
			t.Fatalf("unwrapped key does not open what the original sealed: %v", err)
		}
	})
	t.Run("KMS enforces the tenant in the encryption context", func(t *testing.T) {
		// Bypass Wellbase's own check of the tenant inside the plaintext: KMS must refuse.
		if _, err := k.kms.keeper(dataKeyContext("globex")).Decrypt(ctx, wrapped[1:]); err == nil {
			t.Fatal("KMS decrypted acme's data key under globex's encryption context")
		}
		if _, err := k.UnwrapDataKey(ctx, "globex", wrapped); err == nil {
			t.Fatal("acme's data key unwrapped for globex")
		}
	})
	t.Run("secrets", func(t *testing.T) {
		sealed, err := k.SealSecret(ctx, "database-url", []byte("mongodb://u:p@h/db"))
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(sealed, []byte("mongodb://")) {
			t.Fatal("sealed secret holds plaintext")
		}
		if v, err := k.OpenSecret(ctx, "database-url", sealed); err != nil || string(v) != "mongodb://u:p@h/db" {
			t.Fatalf("OpenSecret = %q, %v", v, err)
		}
		if _, err := k.OpenSecret(ctx, "other", sealed); err == nil {
			t.Fatal("a secret opened under another name")
		}
	})
	t.Run("context parameters refused", func(t *testing.T) {
		_, err := Open(ctx, url+"&context_tenant=acme", "")
		if err == nil || !strings.Contains(err.Error(), "context_tenant") {
			t.Fatalf("err = %v", err)
		}
	})
}

// BenchmarkKMSWrapUnwrap is one data key wrapped and unwrapped through the KMS API (two calls),
// what onboarding and the first file access of a tenant per process cost on AWS.
func BenchmarkKMSWrapUnwrap(b *testing.B) {
	ctx := context.Background()
	k, err := Open(ctx, testservers.KMSURL(b), "")
	if err != nil {
		b.Fatal(err)
	}
	defer k.Close()
	b.ReportAllocs()
	for b.Loop() {
		_, wrapped, err := k.NewDataKey(ctx, "acme")
		if err != nil {
			b.Fatal(err)
		}
		if _, err := k.UnwrapDataKey(ctx, "acme", wrapped); err != nil {
			b.Fatal(err)
		}
	}
}
