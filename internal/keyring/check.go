package keyring

import (
	"context"
	"errors"
	"fmt"
	"net"

	"github.com/wellbase/wellbase"
)

// probeTenant is the tenant ID of Check's probe data key. Nothing is stored under it: the probe
// is made, unwrapped and dropped, so a tenant of that name would not be affected. On KMS it shows
// in CloudTrail as the encryption context {"wellbase:tenant": "wellbase-probe"}.
const probeTenant = "wellbase-probe"

// Check proves that the root key works: it wraps a fresh probe data key for probeTenant, unwraps
// it and checks that both copies are the same key, which exercises the root key exactly as
// onboarding and every file access do (for awskms://, the Encrypt and Decrypt permissions and
// the KMS endpoint). Call it at start-up with a deadline, so that a wrong key, alias, region,
// endpoint or role fails there rather than at the first onboarding. The error names the key by
// ID (never a secret) and the cause: "root key awskms:///alias/nope does not work: …
// NotFoundException: …"; it is EUnavailable when the key service could not be reached (a
// network error, a timeout, an HTTP 5xx answer).
func (k *Keyring) Check(ctx context.Context) error {
	dk, wrapped, err := k.NewDataKey(ctx, probeTenant)
	if err != nil {
		return k.checkErr(err)
	}
	got, err := k.UnwrapDataKey(ctx, probeTenant, wrapped)
	if err != nil {
		return k.checkErr(err)
	}
	sealed, err := dk.Seal([]byte(probeTenant), nil)
	if err == nil {
		_, err = got.Open(sealed, nil)
	}
	if err != nil {
		return k.checkErr(fmt.Errorf("the unwrapped probe key differs from the one wrapped: %w", err))
	}
	return nil
}

// checkErr returns Check's error of cause.
func (k *Keyring) checkErr(cause error) error {
	err := fmt.Errorf("root key %s does not work: %w", k.id, cause)
	if errors.Is(err, context.Canceled) || !unreachable(err) {
		return err
	}
	return wellbase.Unavailable("the key service is unavailable; retry shortly", err)
}

// unreachable reports whether err says that the key service could not be reached: a network
// error (connection refused or reset, DNS), a timeout (a network one or the context's deadline),
// or an HTTP 5xx answer (KMS's KMSInternalException, throttling by a proxy).
func unreachable(err error) bool {
	var opErr *net.OpError
	var dnsErr *net.DNSError
	var netErr net.Error
	var status interface{ HTTPStatusCode() int }
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &opErr), errors.As(err, &dnsErr),
		errors.As(err, &netErr) && netErr.Timeout():
		return true
	case errors.As(err, &status):
		return status.HTTPStatusCode() >= 500
	}
	return false
}
