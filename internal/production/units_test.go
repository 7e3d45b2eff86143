package production_test

import (
	"testing"

	"github.com/wellbase/wellbase/internal/production"
)

func TestNormalizeUnit(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		in, want string
		known    bool
	}{
		{"Sm3", "Sm3", true}, {"SM3", "Sm3", true}, {"sm³", "Sm3", true}, {"Sm^3", "Sm3", true},
		{" std m3 ", "Sm3", true}, {"MSm3", "MSm3", true}, {"mill Sm3", "MSm3", true},
		{"GSm3", "GSm3", true}, {"bill. Sm3", "GSm3", true}, {"kSm3", "kSm3", true}, {"m³", "m3", true},
		{"BBL", "bbl", true}, {"bbls", "bbl", true}, {"STB", "STB", true}, {"MMbbl", "MMbbl", true},
		{"MSCF", "Mcf", true}, {"mcf", "Mcf", true}, {"MMscf", "MMcf", true}, {"Bcf", "Bcf", true},
		{"hrs", "h", true}, {"Hours", "h", true}, {"days", "d", true},
		{"Sm3/d", "Sm3/d", true}, {"bbl/day", "bbl/d", true},
		{"", "", false}, {" tonnes ", "tonnes", false}, {"%", "%", false},
	} {
		got, known := production.NormalizeUnit(c.in)
		if got != c.want || known != c.known {
			t.Errorf("NormalizeUnit(%q) = %q, %v; want %q, %v", c.in, got, known, c.want, c.known)
		}
	}
}
