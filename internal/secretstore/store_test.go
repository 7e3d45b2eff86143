package secretstore_test

import (
	"context"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/keyring"
	"github.com/wellbase/wellbase/internal/secretstore"
	"github.com/wellbase/wellbase/internal/secretstore/secretstoretest"
)

func TestFileConformance(t *testing.T) {
	t.Parallel()
	secretstoretest.Run(t, func(t *testing.T) secretstore.Store {
		dir := t.TempDir()
		k, err := keyring.Open(context.Background(), "base64key://", dir)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { k.Close() })
		return secretstore.Open(dir, k)
	})
}

// TestURLMux: stores are chosen by URL scheme; the file driver owns the sealer it opens.
func TestURLMux(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	var opened []*keyring.Keyring
	mux := new(secretstore.URLMux)
	mux.Register("file", secretstore.FileOpener(func(ctx context.Context) (secretstore.SealCloser, error) {
		k, err := keyring.Open(ctx, "base64key://", dir)
		if err != nil {
			return nil, err
		}
		opened = append(opened, k)
		return k, nil
	}))
	u := (&url.URL{Scheme: "file", Path: filepath.ToSlash(dir)}).String()
	s, err := mux.Open(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Put(ctx, "session-key", []byte("k")); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil || len(opened) != 1 {
		t.Fatalf("Close: %v (%d sealers opened)", err, len(opened))
	}
	// The same folder through Open, with a fresh keyring, reads it.
	k, err := keyring.Open(ctx, "base64key://", dir)
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	if got, err := secretstore.Open(dir, k).Get(ctx, "session-key"); err != nil || string(got) != "k" {
		t.Errorf("Get through Open = %q, %v", got, err)
	}

	for _, tc := range []struct{ name, url, want string }{
		{"ErrUnknownScheme", "vault://x", `unknown scheme "vault", want one of file://`},
		{"ErrRelativePath", "file://data", "absolute dir"},
		{"ErrParameters", u + "?mode=0600", "takes no parameters"},
		{"ErrNoUserInfoInMessage", "vault://admin:hunter2@x", "admin:xxxxx@x"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := mux.Open(ctx, tc.url)
			if wellbase.ErrorCode(err) != wellbase.EInvalid || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "hunter2") {
				t.Errorf("Open(%s) = %v, want invalid mentioning %q", tc.url, err, tc.want)
			}
		})
	}
}
