package files

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"syscall"

	"gocloud.dev/blob"
	"gocloud.dev/gcerrors"

	"github.com/wellbase/wellbase"
)

// bucketErr returns the error fmt.Errorf(format, args...) of a call of the bucket; if its cause
// is a failure to reach the bucket (see unreachable), an EUnavailable error whose message tells
// users to retry and which keeps that error for errors.Is, errors.As and the log (its Error
// text). A cancelled context stays context.Canceled; a NotFound or any other answer of the
// bucket keeps its meaning.
func bucketErr(format string, args ...any) error {
	err := fmt.Errorf(format, args...)
	if unreachable(err) {
		return wellbase.Unavailable("the file store is unavailable; retry shortly", err)
	}
	return err
}

// unreachable reports whether err says that the bucket could not be reached: a network error
// (connection refused or reset, DNS, a dial or read on a closed connection), a timeout (a network
// one, or the context's deadline, gcerrors.DeadlineExceeded), or an HTTP 5xx answer of the
// service (S3's InternalError, ServiceUnavailable, SlowDown). gocloud.dev/gcerrors has no
// "unavailable" code: s3blob leaves transport failures Unknown, so the SDK's error chain is
// looked at. A cancelled context is not unreachable (the caller went away), nor is an error that
// already has a wellbase code.
func unreachable(err error) bool {
	var we *wellbase.Error
	var opErr *net.OpError
	var dnsErr *net.DNSError
	var netErr net.Error
	var status interface{ HTTPStatusCode() int }
	switch {
	case errors.Is(err, context.Canceled), errors.As(err, &we):
		return false
	case gcerrors.Code(err) == gcerrors.DeadlineExceeded,
		errors.As(err, &opErr), errors.As(err, &dnsErr),
		errors.As(err, &netErr) && netErr.Timeout(),
		errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		return true
	case errors.As(err, &status):
		return status.HTTPStatusCode() >= 500
	}
	return false
}

// Check proves that the bucket can be reached and listed with the process's credentials, by
// listing one object under tenants/ (the only prefix Wellbase uses, so a role allowed to list
// nothing else passes). Call it at start-up, so that a wrong bucket, region, endpoint or role fails
// there rather than at the first onboarding, and for readiness. The error names the bucket
// ("file store s3://<bucket> is not accessible: …", never the URL's query) and the cause; it is
// EUnavailable if the bucket could not be reached (see bucketErr), internal if it answered with
// an error (no such bucket, access denied). For file:// the folder must exist: a file bucket
// lists a missing folder as empty.
func (s *Store) Check(ctx context.Context) error {
	if s.dir != "" {
		if fi, err := os.Stat(s.dir); err != nil {
			return fmt.Errorf("file store %s is not accessible: %w", s.name, err)
		} else if !fi.IsDir() {
			return fmt.Errorf("file store %s is not accessible: %s is not a folder", s.name, s.dir)
		}
	}
	_, _, err := s.bucket.ListPage(ctx, blob.FirstPageToken, 1, &blob.ListOptions{Prefix: "tenants/"})
	if err == nil {
		return nil
	}
	switch gcerrors.Code(err) {
	case gcerrors.NotFound:
		return fmt.Errorf("file store %s is not accessible: the bucket does not exist: %w", s.name, err)
	case gcerrors.PermissionDenied:
		return fmt.Errorf("file store %s is not accessible: access denied: %w", s.name, err)
	}
	return bucketErr("file store %s is not accessible: %w", s.name, err)
}
