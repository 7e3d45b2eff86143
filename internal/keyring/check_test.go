package keyring

import (
	"strings"
	"testing"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/testservers"
)

func TestCheck(t *testing.T) {
	t.Parallel()
	k, err := Open(t.Context(), "base64key://", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	if err := k.Check(t.Context()); err != nil {
		t.Fatalf("Check of the embedded root key: %v", err)
	}
}

// Check against the KMS emulator: the test alias works; a missing alias fails, named in the error.
func TestCheckKMS(t *testing.T) {
	t.Parallel()
	endpoint, alias := testservers.KMS(t)
	for _, tt := range []struct {
		name, alias string
		ok          bool
	}{
		{"OK", alias, true},
		{"ErrNoSuchAlias", "alias/nope", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			k, err := Open(t.Context(), "awskms:///"+tt.alias+"?region="+testservers.Region+"&endpoint="+endpoint, "")
			if err != nil {
				t.Fatal(err)
			}
			defer k.Close()
			err = k.Check(t.Context())
			switch {
			case tt.ok && err != nil:
				t.Fatalf("Check: %v", err)
			case !tt.ok && err == nil:
				t.Fatal("Check: nil, want an error")
			case !tt.ok:
				want := "root key awskms:///" + tt.alias + " does not work: "
				if msg := err.Error(); !strings.HasPrefix(msg, want) || !strings.Contains(msg, "NotFound") {
					t.Errorf("Check: %q, want it to start %q and give KMS's NotFound", msg, want)
				}
				if code := wellbase.ErrorCode(err); code == wellbase.EUnavailable {
					t.Errorf("Check: code %q for a key KMS does not have", code)
				}
				t.Logf("Check: %v", err)
			}
		})
	}
}

// A KMS endpoint that refuses connections: Check is EUnavailable and names the key. Needs no
// server: the AWS SDK's default chain is pointed at the test credentials.
func TestCheckKMSErrUnavailable(t *testing.T) {
	testservers.UseTestCredentials(t)

	k, err := Open(t.Context(), "awskms:///alias/wellbase?region=us-east-1&endpoint=http://127.0.0.1:1", "")
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	err = k.Check(t.Context())
	if code := wellbase.ErrorCode(err); code != wellbase.EUnavailable {
		t.Fatalf("Check: code %q (%v), want %q", code, err, wellbase.EUnavailable)
	}
	if msg := err.Error(); !strings.HasPrefix(msg, "root key awskms:///alias/wellbase does not work: ") || !strings.Contains(msg, "connection refused") {
		t.Errorf("Check: %q, want it to name the key and the cause", msg)
	}
}
