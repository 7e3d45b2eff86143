package secretstore

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/keyring"
)

func TestFileStore(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	k, err := keyring.Open(ctx, "base64key://", dir)
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	s := Open(dir, k)
	if _, err := s.Get(ctx, "database-url"); wellbase.ErrorCode(err) != wellbase.ENotFound {
		t.Fatalf("Get of an unset secret: %v", err)
	}
	secret := []byte("mongodb+srv://app:hunter2@cluster0.example/wellbase")
	if err := s.Put(ctx, "database-url", secret); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Get(ctx, "database-url"); err != nil || !bytes.Equal(got, secret) {
		t.Fatalf("Get = %q, %v", got, err)
	}
	raw, _ := os.ReadFile(filepath.Join(dir, FileName))
	fi, _ := os.Stat(filepath.Join(dir, FileName))
	if bytes.Contains(raw, []byte("hunter2")) || fi.Mode().Perm() != 0o600 {
		t.Errorf("secrets file holds plaintext or has mode %v", fi.Mode().Perm())
	}
	// Concurrent writers (serve and the CLI) lose nothing.
	var wg sync.WaitGroup
	for i := range 10 {
		wg.Go(func() {
			if err := s.Put(ctx, fmt.Sprintf("oidc/t%d/client-secret", i), []byte("x")); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	list, err := s.List(ctx)
	if err != nil || len(list) != 11 || list[0].Name != "database-url" || list[0].Bytes != len(secret) {
		t.Fatalf("List = %v, %v", list, err)
	}
	if err := s.Delete(ctx, "database-url"); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(ctx, "database-url"); wellbase.ErrorCode(err) != wellbase.ENotFound {
		t.Errorf("second Delete: %v", err)
	}
	for _, bad := range []string{"", "Database", "../x", "a b", "-x"} {
		if err := s.Put(ctx, bad, []byte("v")); wellbase.ErrorCode(err) != wellbase.EInvalid {
			t.Errorf("Put(%q): %v, want invalid", bad, err)
		}
	}
}
