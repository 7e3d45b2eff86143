package production

import (
	"strings"
	"testing"

	"github.com/wellbase/wellbase"
)

// TestCheckVolumeUnit: a unit given for a phase's volumes (?oil_unit=…) must be a known volume
// unit that measures that phase; it is refused naming the field otherwise.
func TestCheckVolumeUnit(t *testing.T) {
	for _, tt := range []struct {
		phase      Phase
		unit, want string
		field      string // "" when accepted
	}{
		{Oil, "", "", ""},
		{Oil, "sm3", "Sm3", ""},
		{Oil, "BBLS", "bbl", ""},
		{Gas, "mscf", "Mcf", ""},
		{Gas, "1000 Sm3", "kSm3", ""},
		{WaterInjected, "m³", "m3", ""},
		{Oil, "furlongs", "", "oil_unit"},
		{Gas, "bbl", "", "gas_unit"},
		{Water, "Mcf", "", "water_unit"},
		{Oil, "Sm3/d", "", "oil_unit"},
		{GasInjected, "hours", "", "gas_injected_unit"},
	} {
		got, err := checkVolumeUnit(tt.phase, tt.unit)
		if tt.field == "" {
			if err != nil || got != tt.want {
				t.Errorf("%s %q: %q, %v; want %q", tt.phase, tt.unit, got, err, tt.want)
			}
			continue
		}
		if wellbase.ErrorCode(err) != wellbase.EInvalid || !strings.Contains(err.Error(), tt.field) {
			t.Errorf("%s %q: %v; want an invalid %s", tt.phase, tt.unit, err, tt.field)
		}
	}
}
