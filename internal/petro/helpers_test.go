package petro

import (
	"math"
	"strings"
	"testing"

	"github.com/wellbase/wellbase"
)

// near reports whether got is within tol of want; NaN is near NaN only.
func near(got, want, tol float64) bool {
	if math.IsNaN(want) || math.IsNaN(got) {
		return math.IsNaN(want) && math.IsNaN(got)
	}
	return math.Abs(got-want) <= tol
}

// ref5 is the tolerance for DOMAIN.md's reference values, given to 5 decimals.
const ref5 = 5e-6

// ptr returns a pointer to v, for the optional GR picks.
func ptr(v float64) *float64 { return &v }

// nan is a NULL sample.
var nan = math.NaN()

// wantInvalid fails unless err is a *wellbase.Error with code invalid, the field, and a message
// containing every one of parts.
func wantInvalid(tb testing.TB, err error, field string, parts ...string) {
	tb.Helper()
	if err == nil {
		tb.Fatalf("got no error, want invalid %s", field)
	}
	if code := wellbase.ErrorCode(err); code != wellbase.EInvalid {
		tb.Errorf("code %q, want %q (%v)", code, wellbase.EInvalid, err)
	}
	if f := wellbase.ErrorField(err); f != field {
		tb.Errorf("field %q, want %q (%v)", f, field, err)
	}
	msg := wellbase.ErrorMessage(err)
	for _, p := range parts {
		if !strings.Contains(msg, p) {
			tb.Errorf("message %q lacks %q", msg, p)
		}
	}
}

func TestFinite(t *testing.T) {
	t.Parallel()
	for v, want := range map[float64]bool{0: true, -1e308: true, 1e308: true, math.SmallestNonzeroFloat64: true,
		math.Inf(1): false, math.Inf(-1): false} {
		if finite(v) != want {
			t.Errorf("finite(%g) = %v", v, !want)
		}
	}
	if finite(math.NaN()) {
		t.Error("finite(NaN)")
	}
}
