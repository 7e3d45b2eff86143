package wellbase

import (
	"errors"
	"fmt"
	"io"
	"testing"
)

func TestUnavailable(t *testing.T) {
	cause := fmt.Errorf("dial tcp 127.0.0.1:1: %w", io.ErrUnexpectedEOF)
	err := Unavailable("the database is unavailable; retry shortly", cause)
	if ErrorCode(err) != EUnavailable || ErrorMessage(err) != "the database is unavailable; retry shortly" {
		t.Errorf("code %q, message %q", ErrorCode(err), ErrorMessage(err))
	}
	if err.Error() != cause.Error() || !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("the cause is lost: %q", err.Error())
	}
}
