package keyring

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/wellbase/wellbase"
)

// newTestKeyring opens a keyring with the embedded root key in a fresh data directory.
func newTestKeyring(tb testing.TB) *Keyring {
	tb.Helper()
	return openTestKeyring(tb, "base64key://", tb.TempDir())
}

func openTestKeyring(tb testing.TB, rootKeyURL, dataDir string) *Keyring {
	tb.Helper()
	k, err := Open(context.Background(), rootKeyURL, dataDir)
	if err != nil {
		tb.Fatalf("Open: %v", err)
	}
	tb.Cleanup(func() {
		if err := k.Close(); err != nil {
			tb.Errorf("Close: %v", err)
		}
	})
	return k
}

// newTestDataKey makes a data key for tenantID and returns it with its wrapped form.
func newTestDataKey(tb testing.TB, k *Keyring, tenantID string) (*DataKey, []byte) {
	tb.Helper()
	dk, wrapped, err := k.NewDataKey(context.Background(), tenantID)
	if err != nil {
		tb.Fatalf("NewDataKey(%q): %v", tenantID, err)
	}
	return dk, wrapped
}

// writeKeyFile writes a valid root key file with the given mode and returns its key text.
func writeKeyFile(tb testing.TB, path string, mode os.FileMode) string {
	tb.Helper()
	text := base64.StdEncoding.EncodeToString(randomBytes(tb, rootKeySize))
	if err := os.WriteFile(path, []byte(text+"\n"), mode); err != nil {
		tb.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil { // WriteFile's mode is subject to umask
		tb.Fatal(err)
	}
	return text
}

func randomBytes(tb testing.TB, n int) []byte {
	tb.Helper()
	b := make([]byte, n)
	rand.Read(b)
	return b
}

// sameKey reports whether two data keys hold the same key material.
func sameKey(a, b *DataKey) bool { return a.get().key == b.get().key }

func TestOpen_EmbeddedGeneratesKeyFile(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "wellbase-data") // does not exist yet
	k1 := openTestKeyring(t, "", dir)

	path := filepath.Join(dir, RootKeyFile)
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != 0o600 {
		t.Errorf("root key file mode = %04o, want 0600", got)
	}
	text, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(text)))
	if err != nil || len(raw) != 32 {
		t.Errorf("root key file holds %d bytes (err %v), want base64 of 32", len(raw), err)
	}

	// A second Open reuses the file: it unwraps what the first wrapped.
	dk1, wrapped := newTestDataKey(t, k1, "acme")
	k2 := openTestKeyring(t, "base64key://", dir)
	dk2, err := k2.UnwrapDataKey(context.Background(), "acme", wrapped)
	if err != nil {
		t.Fatalf("UnwrapDataKey after reopen: %v", err)
	}
	if !sameKey(dk1, dk2) {
		t.Error("reopened keyring unwrapped a different key")
	}
	text2, _ := os.ReadFile(path)
	if !bytes.Equal(text, text2) {
		t.Error("second Open rewrote root.key")
	}
}

func TestOpen_ConcurrentSameKey(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	const n = 32
	keyrings := make([]*Keyring, n)
	errs := make([]error, n)
	var start, wg sync.WaitGroup
	start.Add(1)
	for i := range n {
		wg.Go(func() {
			start.Wait()
			keyrings[i], errs[i] = Open(context.Background(), "", dir)
		})
	}
	start.Done()
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("Open %d: %v", i, err)
		}
		t.Cleanup(func() { keyrings[i].Close() })
	}

	dk, wrapped := newTestDataKey(t, keyrings[0], "acme")
	for i, k := range keyrings {
		got, err := k.UnwrapDataKey(context.Background(), "acme", wrapped)
		if err != nil {
			t.Fatalf("keyring %d cannot unwrap keyring 0's key: %v", i, err)
		}
		if !sameKey(dk, got) {
			t.Fatalf("keyring %d unwrapped a different key", i)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != RootKeyFile {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("data dir holds %q, want only %s (no temporary files left)", names, RootKeyFile)
	}
}

func TestOpen_FileURL(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "custom.key")
	writeKeyFile(t, path, 0o600)

	k1 := openTestKeyring(t, "file://"+filepath.ToSlash(path), "")
	dk, wrapped := newTestDataKey(t, k1, "acme")
	k2 := openTestKeyring(t, "file://"+filepath.ToSlash(path), t.TempDir())
	got, err := k2.UnwrapDataKey(context.Background(), "acme", wrapped)
	if err != nil {
		t.Fatalf("UnwrapDataKey: %v", err)
	}
	if !sameKey(dk, got) {
		t.Error("same key file, different key")
	}
}

func TestOpen_KeyFileAndEmbeddedAgree(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeKeyFile(t, filepath.Join(dir, RootKeyFile), 0o600)
	embedded := openTestKeyring(t, "", dir)
	file := openTestKeyring(t, "file://"+filepath.ToSlash(filepath.Join(dir, RootKeyFile)), "")
	_, wrapped := newTestDataKey(t, embedded, "acme")
	if _, err := file.UnwrapDataKey(context.Background(), "acme", wrapped); err != nil {
		t.Errorf("file:// of <data-dir>/root.key cannot unwrap the embedded keyring's key: %v", err)
	}
}

func TestOpen_Errors(t *testing.T) {
	t.Parallel()
	secret := base64.URLEncoding.EncodeToString(randomBytes(t, 32))
	tests := []struct {
		name     string
		url      string
		setup    func(t *testing.T, dir string) // prepares dir
		dataDir  bool                           // pass dir as dataDir
		wantIn   []string                       // substrings of the error
		notExist string                         // a file that must not have been created (relative to dir)
	}{
		{
			name:    "ErrGroupReadableKeyFile",
			url:     "base64key://",
			dataDir: true,
			setup:   func(t *testing.T, dir string) { writeKeyFile(t, filepath.Join(dir, RootKeyFile), 0o640) },
			wantIn:  []string{RootKeyFile, "0640"},
		},
		{
			name:    "ErrWorldReadableKeyFile",
			url:     "",
			dataDir: true,
			setup:   func(t *testing.T, dir string) { writeKeyFile(t, filepath.Join(dir, RootKeyFile), 0o604) },
			wantIn:  []string{RootKeyFile, "0604"},
		},
		{
			name:   "ErrGroupReadableFileURL",
			url:    "file://{dir}/other.key",
			setup:  func(t *testing.T, dir string) { writeKeyFile(t, filepath.Join(dir, "other.key"), 0o644) },
			wantIn: []string{"other.key", "0644"},
		},
		{
			name:    "ErrBadKeyFileContent",
			url:     "",
			dataDir: true,
			setup: func(t *testing.T, dir string) {
				os.WriteFile(filepath.Join(dir, RootKeyFile), []byte("c2hvcnQ=\n"), 0o600)
			},
			wantIn: []string{RootKeyFile, "32 bytes"},
		},
		{
			name:     "ErrMissingFileURL",
			url:      "file://{dir}/missing.key",
			wantIn:   []string{"missing.key"},
			notExist: "missing.key",
		},
		{name: "ErrRelativeFileURL", url: "file://relative/root.key", wantIn: []string{"absolute path"}},
		{name: "ErrBase64KeyWithMaterial", url: "base64key://" + secret, wantIn: []string{"refused", "flag or an environment variable", "file"}},
		{name: "ErrBase64KeyUppercase", url: "BASE64KEY://" + secret, wantIn: []string{"refused"}},
		{name: "ErrBase64KeyOpaque", url: "base64key:" + secret, wantIn: []string{"refused"}},
		{name: "ErrUnknownScheme", url: "nosuchkms:///alias/" + secret, wantIn: []string{`"nosuchkms"`, "scheme"}},
		{name: "ErrAWSKMSNoKey", url: "awskms://", wantIn: []string{"names no key"}},
		{name: "ErrAWSKMSContext", url: "awskms:///alias/wellbase?region=us-east-1&context_tenant=x", wantIn: []string{"context_tenant", "not allowed"}},
		{name: "ErrNoScheme", url: secret, wantIn: []string{"no scheme"}},
		{name: "ErrUnparsable", url: "%zz" + secret, wantIn: []string{"does not parse"}},
		{name: "ErrEmbeddedWithoutDataDir", url: "base64key://", wantIn: []string{"data directory"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			if tt.setup != nil {
				tt.setup(t, dir)
			}
			dataDir := ""
			if tt.dataDir {
				dataDir = dir
			}
			url := strings.ReplaceAll(tt.url, "{dir}", filepath.ToSlash(dir))
			k, err := Open(context.Background(), url, dataDir)
			if err == nil {
				k.Close()
				t.Fatal("Open succeeded, want an error")
			}
			for _, want := range tt.wantIn {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not contain %q", err, want)
				}
			}
			if strings.Contains(err.Error(), secret) {
				t.Errorf("error %q reveals the URL's secret", err)
			}
			if tt.notExist != "" {
				if _, err := os.Stat(filepath.Join(dir, tt.notExist)); !os.IsNotExist(err) {
					t.Errorf("%s was created: %v", tt.notExist, err)
				}
			}
		})
	}
}

func TestDataKey_WrapRoundTrip(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	k := newTestKeyring(t)
	dk, wrapped := newTestDataKey(t, k, "acme")
	got, err := k.UnwrapDataKey(ctx, "acme", wrapped)
	if err != nil {
		t.Fatalf("UnwrapDataKey: %v", err)
	}
	if !sameKey(dk, got) {
		t.Fatal("unwrapped key differs")
	}
	sealed, err := dk.Seal([]byte("hello"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if plain, err := got.Open(sealed, nil); err != nil || string(plain) != "hello" {
		t.Errorf("Open with unwrapped key = %q, %v", plain, err)
	}

	dk2, wrapped2 := newTestDataKey(t, k, "acme")
	if sameKey(dk, dk2) || bytes.Equal(wrapped, wrapped2) {
		t.Error("two NewDataKey calls returned the same key")
	}
	if bytes.Contains(wrapped, dk.get().key[:]) {
		t.Error("wrapped key contains the raw key")
	}
}

func TestDataKey_UnwrapErrors(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	k := newTestKeyring(t)
	other := newTestKeyring(t) // another root key
	_, wrapped := newTestDataKey(t, k, "acme")

	flip := func(i int) []byte {
		b := bytes.Clone(wrapped)
		b[i] ^= 0x01
		return b
	}
	tests := []struct {
		name    string
		k       *Keyring
		tenant  string
		wrapped []byte
		want    string
	}{
		{"ErrOtherTenant", k, "acme-2", wrapped, "another tenant"},
		{"ErrOtherRootKey", other, "acme", wrapped, "acme"},
		{"ErrFlippedVersion", k, "acme", flip(0), "format"},
		{"ErrFlippedFirstByte", k, "acme", flip(1), "acme"},
		{"ErrFlippedMiddle", k, "acme", flip(len(wrapped) / 2), "acme"},
		{"ErrFlippedLastByte", k, "acme", flip(len(wrapped) - 1), "acme"},
		{"ErrTruncated", k, "acme", wrapped[:len(wrapped)-1], "acme"},
		{"ErrAppended", k, "acme", append(bytes.Clone(wrapped), 0), "acme"},
		{"ErrEmpty", k, "acme", nil, "format"},
		{"ErrInvalidTenant", k, "Acme", wrapped, "invalid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dk, err := tt.k.UnwrapDataKey(ctx, tt.tenant, tt.wrapped)
			if err == nil {
				t.Fatalf("UnwrapDataKey = %v, want an error", dk)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
		})
	}
}

// A wrapped key of another tenant that names the victim's ID as a prefix must not unwrap either.
func TestDataKey_UnwrapTenantPrefix(t *testing.T) {
	t.Parallel()
	k := newTestKeyring(t)
	_, wrapped := newTestDataKey(t, k, "acme-north")
	if _, err := k.UnwrapDataKey(context.Background(), "acme", wrapped); err == nil {
		t.Error("key of tenant acme-north unwrapped for acme")
	}
}

func TestNewDataKey_InvalidTenant(t *testing.T) {
	t.Parallel()
	k := newTestKeyring(t)
	for _, id := range []string{"", "a", "Acme", " acme", "acme-", "../x", strings.Repeat("a", 41)} {
		_, _, err := k.NewDataKey(context.Background(), id)
		if got := wellbase.ErrorCode(err); got != wellbase.EInvalid {
			t.Errorf("NewDataKey(%q): code %q (err %v), want %q", id, got, err, wellbase.EInvalid)
		}
	}
}

func BenchmarkNewDataKey(b *testing.B) {
	k := newTestKeyring(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := k.NewDataKey(ctx, "acme"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkUnwrapDataKey(b *testing.B) {
	k := newTestKeyring(b)
	ctx := context.Background()
	_, wrapped := newTestDataKey(b, k, "acme")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := k.UnwrapDataKey(ctx, "acme", wrapped); err != nil {
			b.Fatal(err)
		}
	}
}

func TestRewrap(t *testing.T) {
	ctx := context.Background()
	oldKR, err := Open(ctx, "base64key://", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	newKR, err := Open(ctx, "base64key://", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	dk, wrapped, err := oldKR.NewDataKey(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	sealed, _ := dk.Seal([]byte("well 15/9-F-14"), nil)
	rewrapped, err := newKR.Rewrap(ctx, "acme", wrapped, oldKR)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := oldKR.UnwrapDataKey(ctx, "acme", rewrapped); err == nil {
		t.Error("the old root key unwraps the rewrapped key")
	}
	got, err := newKR.UnwrapDataKey(ctx, "acme", rewrapped)
	if err != nil {
		t.Fatal(err)
	}
	if plain, err := got.Open(sealed, nil); err != nil || string(plain) != "well 15/9-F-14" {
		t.Fatalf("the rewrapped data key is another key: %v", err)
	}
	if _, err := newKR.Rewrap(ctx, "globex", wrapped, oldKR); err == nil {
		t.Error("rewrapped acme's key as globex's")
	}
	if _, err := newKR.Rewrap(ctx, "acme", rewrapped, oldKR); err == nil {
		t.Error("rewrapped a key the from root key did not wrap")
	}
}
