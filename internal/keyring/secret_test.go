package keyring

import (
	"bytes"
	"context"
	"testing"
)

func TestSecretSealOpen(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	k, err := Open(ctx, "base64key://", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	value := []byte("mongodb+srv://app:s3cr3t@cluster0.example/wellbase")
	sealed, err := k.SealSecret(ctx, "database-url", value)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(sealed, []byte("s3cr3t")) {
		t.Fatal("sealed secret holds the plaintext")
	}
	got, err := k.OpenSecret(ctx, "database-url", sealed)
	if err != nil || !bytes.Equal(got, value) {
		t.Fatalf("OpenSecret = %q, %v", got, err)
	}
	if _, err := k.OpenSecret(ctx, "session-key", sealed); err == nil {
		t.Error("a secret opened under another name")
	}
	tampered := bytes.Clone(sealed)
	tampered[len(tampered)-1] ^= 1
	if _, err := k.OpenSecret(ctx, "database-url", tampered); err == nil {
		t.Error("a tampered secret opened")
	}
	other, _ := Open(ctx, "base64key://", t.TempDir())
	defer other.Close()
	if _, err := other.OpenSecret(ctx, "database-url", sealed); err == nil {
		t.Error("a secret opened under another root key")
	}
	if _, _, err := k.NewDataKey(ctx, "acme"); err != nil {
		t.Fatal(err)
	}
	if _, err := k.UnwrapDataKey(ctx, "acme", sealed); err == nil {
		t.Error("a sealed secret unwrapped as a data key")
	}
}
