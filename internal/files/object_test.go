package files

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"io/fs"
	mrand "math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"testing/iotest"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/keyring"
)

// A tenant's data key is the Store's Cipher.
var _ Cipher = (*keyring.DataKey)(nil)

const segment = 64 << 10 // the stream format's plaintext segment

// newTestStore opens a file:// store in a temporary folder, and returns it with the folder.
func newTestStore(tb testing.TB) (*Store, string) {
	tb.Helper()
	dir := filepath.Join(tb.TempDir(), "files")
	s, err := Open(context.Background(), "file://"+filepath.ToSlash(dir))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s, dir
}

// newTestKeys opens a keyring with the embedded root key and makes a data key per tenant.
func newTestKeys(tb testing.TB, tenants ...string) map[string]*keyring.DataKey {
	tb.Helper()
	ctx := context.Background()
	kr, err := keyring.Open(ctx, "base64key://", tb.TempDir())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { kr.Close() })
	keys := map[string]*keyring.DataKey{}
	for _, t := range tenants {
		dk, _, err := kr.NewDataKey(ctx, t)
		if err != nil {
			tb.Fatal(err)
		}
		keys[t] = dk
	}
	return keys
}

func randomBytes(tb testing.TB, n int) []byte {
	tb.Helper()
	b := make([]byte, n)
	rand.Read(b)
	return b
}

func put(tb testing.TB, s *Store, tenant, key string, c Cipher, plain []byte) {
	tb.Helper()
	n, err := s.Put(context.Background(), tenant, key, c, bytes.NewReader(plain))
	if err != nil || n != int64(len(plain)) {
		tb.Fatalf("Put(%s, %s) = %d, %v; want %d", tenant, key, n, err, len(plain))
	}
}

func readAll(s *Store, tenant, key string, c Cipher) ([]byte, error) {
	r, err := s.Open(context.Background(), tenant, key, c)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return io.ReadAll(r)
}

func TestPutOpen_RoundTrip(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := newTestStore(t)
	dk := newTestKeys(t, "acme")["acme"]
	for _, size := range []int{0, 1, segment - 1, segment, segment + 1, 3 << 20} {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			t.Parallel()
			plain := randomBytes(t, size)
			key := fmt.Sprintf("logs/well-%d.las", size)
			// Through a reader without WriterTo, so io.Copy writes in 32 KiB pieces.
			n, err := s.Put(ctx, "acme", key, dk, iotest.HalfReader(bytes.NewReader(plain)))
			if err != nil || n != int64(size) {
				t.Fatalf("Put = %d, %v; want %d", n, err, size)
			}
			if got, err := s.Size(ctx, "acme", key); err != nil || got != keyring.EncryptedSize(int64(size)) {
				t.Errorf("Size = %d, %v; want %d", got, err, keyring.EncryptedSize(int64(size)))
			}

			// iotest.TestReader reads a few bytes at a time: too slow for megabytes under -race.
			small := size <= 2*segment
			r, err := s.Open(ctx, "acme", key, dk)
			if err != nil {
				t.Fatal(err)
			}
			if small {
				if err := iotest.TestReader(r, plain); err != nil {
					t.Errorf("Open: %v", err)
				}
			} else if got, err := io.ReadAll(r); err != nil || !bytes.Equal(got, plain) {
				t.Errorf("Open: read %d bytes, %v", len(got), err)
			}
			if err := r.Close(); err != nil {
				t.Errorf("Close: %v", err)
			}

			obj, err := s.OpenAt(ctx, "acme", key, dk)
			if err != nil {
				t.Fatal(err)
			}
			defer obj.Close()
			if obj.Size() != int64(size) {
				t.Errorf("Object.Size = %d, want %d", obj.Size(), size)
			}
			if small {
				if err := iotest.TestReader(io.NewSectionReader(obj, 0, obj.Size()), plain); err != nil {
					t.Errorf("OpenAt: %v", err)
				}
			} else if got, err := io.ReadAll(io.NewSectionReader(obj, 0, obj.Size())); err != nil || !bytes.Equal(got, plain) {
				t.Errorf("OpenAt: read %d bytes, %v", len(got), err)
			}
			rng := mrand.New(mrand.NewPCG(uint64(size), 3))
			for range 50 {
				off := rng.Int64N(int64(size) + 10)
				buf := make([]byte, rng.IntN(3*segment))
				n, err := obj.ReadAt(buf, off)
				want := plain[min(off, int64(size)):min(off+int64(len(buf)), int64(size))]
				if n != len(want) || !bytes.Equal(buf[:n], want) || (n < len(buf)) != (err == io.EOF) || err != nil && err != io.EOF {
					t.Fatalf("ReadAt(%d at %d) = %d, %v; want %d bytes", len(buf), off, n, err, len(want))
				}
			}
		})
	}
}

// Put replaces an existing object.
func TestPut_Replace(t *testing.T) {
	t.Parallel()
	s, _ := newTestStore(t)
	dk := newTestKeys(t, "acme")["acme"]
	put(t, s, "acme", "a.las", dk, []byte("first version"))
	put(t, s, "acme", "a.las", dk, []byte("second"))
	if got, err := readAll(s, "acme", "a.las", dk); err != nil || string(got) != "second" {
		t.Errorf("read %q, %v; want the second version", got, err)
	}
}

// Neither the finished object nor the file being written holds plaintext.
func TestPut_NoPlaintextOnDisk(t *testing.T) {
	t.Parallel()
	s, dir := newTestStore(t)
	dk := newTestKeys(t, "acme")["acme"]
	marker := []byte("~A DEPT GR NPHI RHOB well 7-ACME-MARKER ")
	plain := bytes.Repeat(marker, (3<<20)/len(marker))

	// Mid-upload (half the plaintext consumed), search every file under the bucket folder.
	var checked atomic.Bool
	check := func() {
		checked.Store(true)
		if f := findInFiles(t, dir, marker); f != "" {
			t.Errorf("plaintext found mid-upload in %s", f)
		}
		// The file being written is there, in the tenant's staging folder, and was searched.
		tmp, _ := filepath.Glob(filepath.Join(dir, "tenants", "acme", ".staging", "*"))
		if len(tmp) != 1 {
			t.Errorf("staged files mid-upload: %q, want one", tmp)
		}
	}
	r := &hookReader{r: bytes.NewReader(plain), at: int64(len(plain) / 2), hook: check}
	if _, err := s.Put(context.Background(), "acme", "logs/marker.las", dk, r); err != nil {
		t.Fatal(err)
	}
	if !checked.Load() {
		t.Fatal("the mid-upload check did not run")
	}
	if f := findInFiles(t, dir, marker); f != "" {
		t.Errorf("plaintext found in %s", f)
	}
	if f := findInFiles(t, dir, marker[:8]); f != "" {
		t.Errorf("8 bytes of plaintext found in %s", f)
	}
	stored, err := os.ReadFile(filepath.Join(dir, "tenants", "acme", "logs", "marker.las"))
	if err != nil || int64(len(stored)) != keyring.EncryptedSize(int64(len(plain))) {
		t.Fatalf("stored object: %d bytes, %v; want %d", len(stored), err, keyring.EncryptedSize(int64(len(plain))))
	}
}

// findInFiles returns the path of a file under dir that contains needle, or "".
func findInFiles(tb testing.TB, dir string, needle []byte) string {
	tb.Helper()
	found := ""
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || found != "" {
			return err
		}
		b, err := os.ReadFile(path)
		if errors.Is(err, fs.ErrNotExist) {
			return nil // renamed meanwhile
		}
		if err != nil {
			return err
		}
		if bytes.Contains(b, needle) {
			found = path
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return found
}

// hookReader reads r and calls hook once, when at bytes have been read.
type hookReader struct {
	r    io.Reader
	at   int64
	n    int64
	hook func()
	err  error // if set, returned instead of calling hook
}

func (h *hookReader) Read(p []byte) (int, error) {
	if h.n >= h.at && h.hook != nil {
		h.hook()
		h.hook = nil
	}
	if h.n >= h.at && h.err != nil {
		return 0, h.err
	}
	if rest := h.at - h.n; rest > 0 && int64(len(p)) > rest {
		p = p[:rest]
	}
	n, err := h.r.Read(p)
	h.n += int64(n)
	return n, err
}

// The object's bytes decrypt only with the tenant's key at their own key: copied to another
// tenant's prefix or another key, they do not decrypt, even with the right data key.
func TestOpen_OtherTenant(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, dir := newTestStore(t)
	keys := newTestKeys(t, "acme", "globex")
	plain := randomBytes(t, 2*segment+100)
	put(t, s, "acme", "logs/a.las", keys["acme"], plain)

	stored, err := os.ReadFile(filepath.Join(dir, "tenants", "acme", "logs", "a.las"))
	if err != nil {
		t.Fatal(err)
	}
	for _, dst := range []string{"tenants/globex/logs/a.las", "tenants/acme/logs/b.las"} {
		path := filepath.Join(dir, filepath.FromSlash(dst))
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, stored, 0o600); err != nil {
			t.Fatal(err)
		}
	}

	tests := []struct {
		name, tenant, key string
		c                 Cipher
	}{
		{"ErrOtherTenantsKey", "globex", "logs/a.las", keys["globex"]},
		{"ErrCopiedToOtherTenant", "globex", "logs/a.las", keys["acme"]}, // the right key, the wrong place
		{"ErrCopiedToOtherKey", "acme", "logs/b.las", keys["acme"]},
		{"ErrWrongKeyInPlace", "acme", "logs/a.las", keys["globex"]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got, err := readAll(s, tt.tenant, tt.key, tt.c); err == nil {
				t.Errorf("Open read %d bytes, want an error", len(got))
			} else if len(got) != 0 {
				t.Errorf("Open returned %d bytes before the error", len(got))
			}
			if obj, err := s.OpenAt(ctx, tt.tenant, tt.key, tt.c); err == nil {
				obj.Close()
				t.Error("OpenAt succeeded, want an error")
			}
		})
	}
	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		if got, err := readAll(s, "acme", "logs/a.las", keys["acme"]); err != nil || !bytes.Equal(got, plain) {
			t.Errorf("Open in place = %d bytes, %v", len(got), err)
		}
	})
	t.Run("ErrNotFoundForOtherTenant", func(t *testing.T) {
		t.Parallel()
		put(t, s, "acme", "only-acme.las", keys["acme"], plain)
		if _, err := s.Open(ctx, "globex", "only-acme.las", keys["globex"]); wellbase.ErrorCode(err) != wellbase.ENotFound {
			t.Errorf("Open of another tenant's key = %v, want not found", err)
		}
	})
}

// countingReaderAt counts the bytes asked of r.
type countingReaderAt struct {
	r     io.ReaderAt
	bytes atomic.Int64
}

func (c *countingReaderAt) ReadAt(p []byte, off int64) (int, error) {
	c.bytes.Add(int64(len(p)))
	return c.r.ReadAt(p, off)
}

// Reading a few bytes of a large object reads the header, the final segment and the segment
// that holds them, nothing else.
func TestOpenAt_ReadsOnlyNeededSegments(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := newTestStore(t)
	dk := newTestKeys(t, "acme")["acme"]
	plain := randomBytes(t, 8<<20+5) // 129 segments
	put(t, s, "acme", "curves/big.parquet", dk, plain)

	var src *countingReaderAt
	obj, err := s.openAt(ctx, "acme", "curves/big.parquet", dk, func(r io.ReaderAt) io.ReaderAt {
		src = &countingReaderAt{r: r}
		return src
	})
	if err != nil {
		t.Fatal(err)
	}
	defer obj.Close()
	const header, sealedSegment = 33, segment + 16
	if got, want := src.bytes.Load(), int64(header+5+16); got != want {
		t.Errorf("OpenAt read %d bytes, want %d (header and final segment)", got, want)
	}
	buf := make([]byte, 100)
	for _, off := range []int64{50*segment + 10, 50*segment + 1000, 50*segment + 5000} {
		if n, err := obj.ReadAt(buf, off); err != nil || !bytes.Equal(buf[:n], plain[off:off+100]) {
			t.Fatalf("ReadAt(%d) = %d, %v", off, n, err)
		}
	}
	if got, want := src.bytes.Load(), int64(header+5+16+sealedSegment); got != want {
		t.Errorf("OpenAt and 3 small reads in one segment read %d bytes, want %d", got, want)
	}
	if n, err := obj.ReadAt(buf, int64(len(plain))-50); n != 50 || err != io.EOF || !bytes.Equal(buf[:50], plain[len(plain)-50:]) {
		t.Errorf("ReadAt at the end = %d, %v; want 50, EOF", n, err)
	}

	if err := obj.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := obj.ReadAt(buf, 0); err == nil {
		t.Error("ReadAt after Close succeeded")
	}
}

// A Put whose reader fails midway, or whose context ends, creates nothing and leaves an
// existing object unchanged.
func TestPut_Aborted(t *testing.T) {
	t.Parallel()
	s, dir := newTestStore(t)
	dk := newTestKeys(t, "acme")["acme"]
	errBroken := errors.New("connection reset by peer")
	old := []byte("the version already stored")
	put(t, s, "acme", "logs/existing.las", dk, old)

	for _, key := range []string{"logs/new.las", "logs/existing.las"} {
		for _, cancelCtx := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/cancel=%v", key, cancelCtx), func(t *testing.T) {
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				r := &hookReader{r: bytes.NewReader(randomBytes(t, 1<<20)), at: 300 << 10, err: errBroken}
				if cancelCtx {
					r.err, r.hook = nil, cancel
				}
				n, err := s.Put(ctx, "acme", key, dk, r)
				if err == nil {
					t.Fatalf("Put = %d, nil; want an error", n)
				}
				if !cancelCtx && !errors.Is(err, errBroken) {
					t.Errorf("Put = %v; want the reader's error wrapped", err)
				}
				if cancelCtx && !errors.Is(err, context.Canceled) {
					t.Errorf("Put = %v; want context.Canceled", err)
				}
				if n != 0 {
					t.Errorf("Put = %d bytes, want 0", n)
				}
			})
		}
	}
	if _, err := s.Size(context.Background(), "acme", "logs/new.las"); wellbase.ErrorCode(err) != wellbase.ENotFound {
		t.Errorf("Size of the aborted object = %v, want not found", err)
	}
	if got, err := readAll(s, "acme", "logs/existing.las", dk); err != nil || !bytes.Equal(got, old) {
		t.Errorf("existing object after aborted Puts = %q, %v; want it unchanged", got, err)
	}
	// No temporary file is left behind either.
	var names []string
	filepath.WalkDir(filepath.Join(dir, "tenants"), func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			names = append(names, filepath.ToSlash(strings.TrimPrefix(path, dir)))
		}
		return err
	})
	if len(names) != 1 || names[0] != "/tenants/acme/logs/existing.las" {
		t.Errorf("files on disk after aborted Puts: %q, want only the existing object", names)
	}
}

// A cipher that fails leaves nothing behind.
type failingCipher struct{ Cipher }

func (failingCipher) EncryptWriter(io.Writer, []byte) (io.WriteCloser, error) {
	return nil, errors.New("key unavailable")
}

func TestPut_CipherError(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := newTestStore(t)
	if _, err := s.Put(ctx, "acme", "a.las", failingCipher{}, strings.NewReader("x")); err == nil {
		t.Fatal("Put with a failing cipher succeeded")
	}
	if _, err := s.Size(ctx, "acme", "a.las"); wellbase.ErrorCode(err) != wellbase.ENotFound {
		t.Errorf("Size after a failed Put = %v, want not found", err)
	}
	if _, err := s.Put(ctx, "acme", "a.las", nil, strings.NewReader("x")); err == nil {
		t.Error("Put with a nil cipher succeeded")
	}
}

func TestNotFound(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := newTestStore(t)
	dk := newTestKeys(t, "acme")["acme"]
	if _, err := s.Open(ctx, "acme", "nope.las", dk); wellbase.ErrorCode(err) != wellbase.ENotFound || !strings.Contains(wellbase.ErrorMessage(err), "nope.las") {
		t.Errorf("Open = %v, want not found naming the key", err)
	}
	if _, err := s.OpenAt(ctx, "acme", "nope.las", dk); wellbase.ErrorCode(err) != wellbase.ENotFound {
		t.Errorf("OpenAt = %v, want not found", err)
	}
	if _, err := s.Size(ctx, "acme", "nope.las"); wellbase.ErrorCode(err) != wellbase.ENotFound {
		t.Errorf("Size = %v, want not found", err)
	}
	if err := s.Delete(ctx, "acme", "nope.las"); err != nil {
		t.Errorf("Delete of a missing object = %v, want nil", err)
	}
	if err := s.DeleteAll(ctx, "acme", "nope/"); err != nil {
		t.Errorf("DeleteAll of a missing prefix = %v, want nil", err)
	}
}

// An object deleted after OpenAt fails later reads of segments not yet read.
func TestOpenAt_DeletedWhileOpen(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := newTestStore(t)
	dk := newTestKeys(t, "acme")["acme"]
	put(t, s, "acme", "a.las", dk, randomBytes(t, 4*segment))
	obj, err := s.OpenAt(ctx, "acme", "a.las", dk)
	if err != nil {
		t.Fatal(err)
	}
	defer obj.Close()
	if err := s.Delete(ctx, "acme", "a.las"); err != nil {
		t.Fatal(err)
	}
	if _, err := obj.ReadAt(make([]byte, 10), 0); wellbase.ErrorCode(err) != wellbase.ENotFound {
		t.Errorf("ReadAt of a deleted object = %v, want not found", err)
	}
}

// An object replaced after OpenAt fails later reads of segments not yet read: the Object never
// mixes the two versions.
func TestOpenAt_ReplacedWhileOpen(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := newTestStore(t)
	dk := newTestKeys(t, "acme")["acme"]
	old := randomBytes(t, 4*segment)
	put(t, s, "acme", "a.las", dk, old)
	obj, err := s.OpenAt(ctx, "acme", "a.las", dk)
	if err != nil {
		t.Fatal(err)
	}
	defer obj.Close()
	buf := make([]byte, 10)
	if _, err := obj.ReadAt(buf, 0); err != nil || !bytes.Equal(buf, old[:10]) {
		t.Fatalf("ReadAt = %v", err)
	}
	put(t, s, "acme", "a.las", dk, randomBytes(t, 4*segment)) // same size, new stream
	if _, err := obj.ReadAt(buf, 0); err != nil || !bytes.Equal(buf, old[:10]) {
		t.Errorf("ReadAt of a cached segment = %v, want the old bytes", err)
	}
	if n, err := obj.ReadAt(buf, 2*segment); err == nil {
		t.Errorf("ReadAt of a segment of the replaced object = %d, nil; want an error", n)
	}
}

func TestDelete(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := newTestStore(t)
	keys := newTestKeys(t, "acme", "globex")
	for _, k := range []string{"logs/a.las", "logs/b.las", "logs/deep/c.las", "logs2.las", "prod/2024.csv"} {
		put(t, s, "acme", k, keys["acme"], []byte(k))
		put(t, s, "globex", k, keys["globex"], []byte(k))
	}
	if err := s.CreateTenantPrefix(ctx, "acme"); err != nil {
		t.Fatal(err)
	}
	exists := func(tenant, key string) bool {
		t.Helper()
		_, err := s.Size(ctx, tenant, key)
		if err != nil && wellbase.ErrorCode(err) != wellbase.ENotFound {
			t.Fatal(err)
		}
		return err == nil
	}

	if err := s.Delete(ctx, "acme", "logs/a.las"); err != nil {
		t.Fatal(err)
	}
	if exists("acme", "logs/a.las") || !exists("acme", "logs/b.las") || !exists("globex", "logs/a.las") {
		t.Error("Delete removed the wrong objects")
	}
	if _, err := s.Open(ctx, "acme", "logs/a.las", keys["acme"]); wellbase.ErrorCode(err) != wellbase.ENotFound {
		t.Errorf("Open after Delete = %v, want not found", err)
	}

	if err := s.DeleteAll(ctx, "acme", "logs/"); err != nil {
		t.Fatal(err)
	}
	if exists("acme", "logs/b.las") || exists("acme", "logs/deep/c.las") || !exists("acme", "logs2.las") || !exists("acme", "prod/2024.csv") {
		t.Error(`DeleteAll("logs/") removed the wrong objects`)
	}
	if err := s.DeleteAll(ctx, "acme", "logs"); err != nil { // a string prefix: logs2.las too
		t.Fatal(err)
	}
	if exists("acme", "logs2.las") || !exists("acme", "prod/2024.csv") {
		t.Error(`DeleteAll("logs") removed the wrong objects`)
	}

	if err := s.DeleteAll(ctx, "acme", ""); err != nil {
		t.Fatal(err)
	}
	if exists("acme", "prod/2024.csv") {
		t.Error(`DeleteAll("") left an object`)
	}
	if ok, err := s.TenantPrefixExists(ctx, "acme"); ok || err != nil {
		t.Errorf(`DeleteAll("") left the tenant marker: %v, %v`, ok, err)
	}
	for _, k := range []string{"logs/a.las", "logs/b.las", "logs/deep/c.las", "logs2.las", "prod/2024.csv"} {
		if got, err := readAll(s, "globex", k, keys["globex"]); err != nil || string(got) != k {
			t.Errorf("globex's %s after acme's deletes = %q, %v", k, got, err)
		}
	}
}

func TestKeys_Invalid(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := newTestStore(t)
	dk := newTestKeys(t, "acme")["acme"]
	put(t, s, "acme", "ok.las", dk, []byte("x"))

	badKeys := []string{
		"", "/abs.las", "..", "../globex/a.las", "logs/../../globex/a.las", "logs/..", "./a.las",
		"logs/./a.las", "logs//a.las", "logs/", "a\\b.las", "..\\a.las", "a\x00.las", "a\n.las",
		"a\x7f.las", "puits/café.las", "日本.las", markerKey, "a.las.attrs",
		strings.Repeat("a/", maxKeyLen/2) + "a", "logs/" + strings.Repeat("a", maxSegmentLen+1),
	}
	for _, key := range badKeys {
		ops := map[string]func() error{
			"Put": func() error {
				_, err := s.Put(ctx, "acme", key, dk, strings.NewReader("x"))
				return err
			},
			"Open": func() error {
				_, err := s.Open(ctx, "acme", key, dk)
				return err
			},
			"OpenAt": func() error {
				_, err := s.OpenAt(ctx, "acme", key, dk)
				return err
			},
			"Size": func() error {
				_, err := s.Size(ctx, "acme", key)
				return err
			},
			"Delete": func() error { return s.Delete(ctx, "acme", key) },
		}
		for name, op := range ops {
			err := op()
			if wellbase.ErrorCode(err) != wellbase.EInvalid || wellbase.ErrorField(err) != "key" {
				t.Errorf("%s(%q) = %v, want invalid key", name, key, err)
				continue
			}
			if msg := wellbase.ErrorMessage(err); !strings.Contains(msg, fmt.Sprintf("%q", clip(key, 80))) {
				t.Errorf("%s(%q): message %q does not name the key", name, key, msg)
			}
		}
	}
	for _, prefix := range []string{"/", "/logs/", "..", "../", "logs//", "logs/../", "a\\", "é/"} {
		if err := s.DeleteAll(ctx, "acme", prefix); wellbase.ErrorCode(err) != wellbase.EInvalid {
			t.Errorf("DeleteAll(%q) = %v, want invalid", prefix, err)
		}
	}
	for _, tenant := range []string{"", "..", "Acme", "acme/x", "a", "../acme"} {
		if _, err := s.Put(ctx, tenant, "ok.las", dk, strings.NewReader("x")); wellbase.ErrorCode(err) != wellbase.EInvalid {
			t.Errorf("Put(tenant %q) = %v, want invalid", tenant, err)
		}
		if err := s.DeleteAll(ctx, tenant, ""); wellbase.ErrorCode(err) != wellbase.EInvalid {
			t.Errorf("DeleteAll(tenant %q) = %v, want invalid", tenant, err)
		}
		if _, err := s.Open(ctx, tenant, "ok.las", dk); wellbase.ErrorCode(err) != wellbase.EInvalid {
			t.Errorf("Open(tenant %q) = %v, want invalid", tenant, err)
		}
	}
	// The invalid calls changed nothing.
	if got, err := readAll(s, "acme", "ok.las", dk); err != nil || string(got) != "x" {
		t.Errorf("ok.las = %q, %v", got, err)
	}
}

func TestKeys_Valid(t *testing.T) {
	t.Parallel()
	s, _ := newTestStore(t)
	dk := newTestKeys(t, "acme")["acme"]
	for _, key := range []string{
		"a", "logs/well 7 (main).las", "x/y/z/..a", "a..b/c", ".hidden", "~!@#$%^&()_+-=[]{};',`.las",
		strings.Repeat("d/", maxKeyLen/2-1) + "dd", strings.Repeat("b", maxSegmentLen),
	} {
		put(t, s, "acme", key, dk, []byte(key))
		if got, err := readAll(s, "acme", key, dk); err != nil || string(got) != key {
			t.Errorf("%q: read %q, %v", key, got, err)
		}
	}
}

const benchSize = 32 << 20

func BenchmarkPut(b *testing.B) {
	s, _ := newTestStore(b)
	dk := newTestKeys(b, "acme")["acme"]
	plain := randomBytes(b, benchSize)
	ctx := context.Background()
	b.SetBytes(benchSize)
	b.ReportAllocs()
	for b.Loop() {
		// Hide bytes.Reader's WriterTo: read in io.Copy's 32 KiB pieces, as from a request body.
		if _, err := s.Put(ctx, "acme", "bench/big.bin", dk, struct{ io.Reader }{bytes.NewReader(plain)}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkOpen(b *testing.B) {
	s, _ := newTestStore(b)
	dk := newTestKeys(b, "acme")["acme"]
	put(b, s, "acme", "bench/big.bin", dk, randomBytes(b, benchSize))
	ctx := context.Background()
	buf := make([]byte, 32<<10)
	b.SetBytes(benchSize)
	b.ReportAllocs()
	for b.Loop() {
		r, err := s.Open(ctx, "acme", "bench/big.bin", dk)
		if err != nil {
			b.Fatal(err)
		}
		if n, err := io.CopyBuffer(io.Discard, struct{ io.Reader }{r}, buf); err != nil || n != benchSize {
			b.Fatalf("read %d bytes, %v", n, err)
		}
		r.Close()
	}
}

// BenchmarkOpenAtRandom4K reads 4 KiB at random offsets of a 32 MiB object through OpenAt.
func BenchmarkOpenAtRandom4K(b *testing.B) {
	s, _ := newTestStore(b)
	dk := newTestKeys(b, "acme")["acme"]
	put(b, s, "acme", "bench/big.bin", dk, randomBytes(b, benchSize))
	obj, err := s.OpenAt(context.Background(), "acme", "bench/big.bin", dk)
	if err != nil {
		b.Fatal(err)
	}
	defer obj.Close()
	rng := mrand.New(mrand.NewPCG(1, 2))
	buf := make([]byte, 4096)
	b.SetBytes(int64(len(buf)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := obj.ReadAt(buf, rng.Int64N(benchSize-4096)); err != nil {
			b.Fatal(err)
		}
	}
}
