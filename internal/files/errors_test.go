package files

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/testservers"
)

// checkUnavailable fails t unless err is the EUnavailable error of a file store that cannot be
// reached, with the user-safe message and the cause kept in its text.
func checkUnavailable(t testing.TB, op string, err error) {
	t.Helper()
	if code := wellbase.ErrorCode(err); code != wellbase.EUnavailable {
		t.Errorf("%s: code %q (%v), want %q", op, code, err, wellbase.EUnavailable)
		return
	}
	if msg, want := wellbase.ErrorMessage(err), "the file store is unavailable; retry shortly"; msg != want {
		t.Errorf("%s: message %q, want %q", op, msg, want)
	}
	if !strings.Contains(err.Error(), "connection refused") {
		t.Errorf("%s: error %q does not keep its cause", op, err)
	}
}

// An S3 endpoint that refuses connections: every call is EUnavailable; a cancelled call is
// context.Canceled. Needs no server.
func TestS3ErrUnavailable(t *testing.T) {
	testservers.UseTestCredentials(t)
	ctx := t.Context()
	s, err := Open(ctx, "s3://wellbase-test?region=us-east-1&endpoint=http://127.0.0.1:1&use_path_style=true")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	dk := newTestKeys(t, "acme")["acme"]

	start := time.Now()
	err = s.Check(ctx)
	checkUnavailable(t, "Check", err)
	if msg := err.Error(); !strings.HasPrefix(msg, "file store s3://wellbase-test is not accessible: ") || strings.Contains(msg, "endpoint=") {
		t.Errorf("Check: error %q, want one naming s3://wellbase-test and not the URL's query", msg)
	}
	calls := []struct {
		name string
		call func() error
	}{
		{"Put", func() error {
			_, err := s.Put(ctx, "acme", "logs/a.las", dk, strings.NewReader("~Version"))
			return err
		}},
		{"Open", func() error {
			_, err := s.Open(ctx, "acme", "logs/a.las", dk)
			return err
		}},
		{"OpenAt", func() error {
			_, err := s.OpenAt(ctx, "acme", "logs/a.las", dk)
			return err
		}},
		{"List", func() error {
			_, err := s.List(ctx, "acme", "")
			return err
		}},
		{"Size", func() error {
			_, err := s.Size(ctx, "acme", "logs/a.las")
			return err
		}},
		{"Delete", func() error { return s.Delete(ctx, "acme", "logs/a.las") }},
		{"DeleteAll", func() error { return s.DeleteAll(ctx, "acme", "") }},
		{"CreateTenantPrefix", func() error { return s.CreateTenantPrefix(ctx, "acme") }},
		{"TenantPrefixExists", func() error {
			_, err := s.TenantPrefixExists(ctx, "acme")
			return err
		}},
	}
	for _, c := range calls {
		checkUnavailable(t, c.name, c.call())
	}
	t.Logf("%d calls in %v; Check: %v", len(calls)+1, time.Since(start), err)

	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := s.List(cctx, "acme", ""); !errors.Is(err, context.Canceled) || wellbase.ErrorCode(err) == wellbase.EUnavailable {
		t.Errorf("List with a cancelled context: %v, want context.Canceled", err)
	}
}

// httpStatusError is an error of an HTTP answer, as the AWS SDK's response errors are.
type httpStatusError int

func (e httpStatusError) Error() string {
	return fmt.Sprintf("https response error StatusCode: %d", int(e))
}
func (e httpStatusError) HTTPStatusCode() int { return int(e) }

func TestUnreachable(t *testing.T) {
	t.Parallel()
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"ConnectionRefused", fmt.Errorf("request send failed: %w", refused), true},
		{"DNS", &net.DNSError{Err: "no such host", Name: "s3.nowhere.example", IsNotFound: true}, true},
		{"Reset", fmt.Errorf("read: %w", syscall.ECONNRESET), true},
		{"DeadlineExceeded", fmt.Errorf("list: %w", context.DeadlineExceeded), true},
		{"ServiceUnavailable", fmt.Errorf("put: %w", httpStatusError(503)), true},
		{"InternalError", httpStatusError(500), true},
		{"Canceled", fmt.Errorf("put: %w", errors.Join(context.Canceled, refused)), false},
		{"NotFound", httpStatusError(404), false},
		{"Forbidden", httpStatusError(403), false},
		{"WellbaseError", fmt.Errorf("x: %w", errors.Join(wellbase.Errorf(wellbase.ENotFound, "gone"), refused)), false},
		{"Other", errors.New("decrypt stream: message authentication failed"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := unreachable(tt.err); got != tt.want {
				t.Errorf("unreachable(%v) = %v, want %v", tt.err, got, tt.want)
			}
		})
	}
}

// errReader fails with err after n bytes.
type errReader struct {
	n   int
	err error
}

func (r *errReader) Read(p []byte) (int, error) {
	if r.n == 0 {
		return 0, r.err
	}
	k := min(len(p), r.n)
	clear(p[:k])
	r.n -= k
	return k, nil
}

// A network error of Put's source (a client's upload that breaks) is not the file store's: it is
// returned wrapped, without the EUnavailable code.
func TestPutSourceNetworkError(t *testing.T) {
	t.Parallel()
	s, err := Open(t.Context(), "file://"+filepath.Join(t.TempDir(), "files"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	dk := newTestKeys(t, "acme")["acme"]
	src := &net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", syscall.ECONNRESET)}
	_, err = s.Put(t.Context(), "acme", "logs/a.las", dk, &errReader{n: 100 << 10, err: src})
	if !errors.Is(err, src) || wellbase.ErrorCode(err) == wellbase.EUnavailable {
		t.Errorf("Put = %v (code %q); want the source's error, not %q", err, wellbase.ErrorCode(err), wellbase.EUnavailable)
	}
}

func TestCheckFile(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "files")
	s, err := Open(t.Context(), "file://"+dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Check(t.Context()); err != nil {
		t.Fatalf("Check: %v", err)
	}
	// A file bucket lists a missing folder as empty: Check looks for the folder.
	if err := os.Remove(dir); err != nil {
		t.Fatal(err)
	}
	if err := s.Check(t.Context()); err == nil || !strings.HasPrefix(err.Error(), "file store file://"+dir+" is not accessible: ") {
		t.Errorf("Check of a missing folder: %v, want an error naming it", err)
	}
}

// Check on the real S3 server: the test bucket is accessible, a missing one is not, and the
// error names it.
func TestS3Check(t *testing.T) {
	t.Parallel()
	endpoint, bucket := testservers.S3(t)
	for _, tt := range []struct {
		name, bucket string
		ok           bool
	}{
		{"OK", bucket, true},
		{"ErrNoSuchBucket", "no-such-bucket-xyz", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Open(t.Context(), "s3://"+tt.bucket+"?region="+testservers.Region+"&endpoint="+endpoint+"&use_path_style=true")
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			err = s.Check(t.Context())
			switch {
			case tt.ok && err != nil:
				t.Fatalf("Check: %v", err)
			case !tt.ok && err == nil:
				t.Fatal("Check: nil, want an error")
			case !tt.ok:
				want := "file store s3://" + tt.bucket + " is not accessible: "
				if msg := err.Error(); !strings.HasPrefix(msg, want) || strings.Contains(msg, "endpoint=") {
					t.Errorf("Check: %q, want it to start %q and not quote the URL's query", msg, want)
				}
				t.Logf("Check: %v", err)
			}
		})
	}
}
