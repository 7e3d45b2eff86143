package wellbase

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Well is a drilled well of a tenant. A well may have several wellbores; logs and production
// are attached to the well until wellbores are modelled.
type Well struct {
	ID       string `json:"id"`
	TenantID string `json:"tenant"`
	Name     string `json:"name"`
	// UWI is the Unique Well Identifier (or API number in the US, NPD well-bore name on the NCS),
	// as the operator writes it; "" if unknown.
	UWI string `json:"uwi,omitempty"`
	// Field is the oil or gas field, e.g. "VOLVE".
	Field string `json:"field,omitempty"`
	// Operator is the operating company of the well (not the Wellbase platform operator).
	Operator string `json:"operator,omitempty"`
	// Latitude and Longitude are the surface location in decimal degrees (WGS 84).
	Latitude  *float64  `json:"latitude,omitempty"`
	Longitude *float64  `json:"longitude,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// WellUpdate is a partial change to a well; nil fields are unchanged.
type WellUpdate struct {
	Name      *string  `json:"name"`
	UWI       *string  `json:"uwi"`
	Field     *string  `json:"field"`
	Operator  *string  `json:"operator"`
	Latitude  *float64 `json:"latitude"`
	Longitude *float64 `json:"longitude"`
}

// Apply returns w with u applied.
func (u WellUpdate) Apply(w Well) Well {
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = strings.TrimSpace(*src)
		}
	}
	set(&w.Name, u.Name)
	set(&w.UWI, u.UWI)
	set(&w.Field, u.Field)
	set(&w.Operator, u.Operator)
	if u.Latitude != nil {
		w.Latitude = u.Latitude
	}
	if u.Longitude != nil {
		w.Longitude = u.Longitude
	}
	return w
}

// Validate checks the well's fields; the error names the first bad field.
func (w *Well) Validate() error {
	if err := validateText("name", w.Name, 1, 200); err != nil {
		return err
	}
	for _, f := range []struct{ name, v string }{{"uwi", w.UWI}, {"field", w.Field}, {"operator", w.Operator}} {
		if err := validateText(f.name, f.v, 0, 200); err != nil {
			return err
		}
	}
	if w.Latitude != nil && (*w.Latitude < -90 || *w.Latitude > 90) {
		return FieldError(EInvalid, "latitude", "latitude must be between -90 and 90 degrees, got %g", *w.Latitude)
	}
	if w.Longitude != nil && (*w.Longitude < -180 || *w.Longitude > 180) {
		return FieldError(EInvalid, "longitude", "longitude must be between -180 and 180 degrees, got %g", *w.Longitude)
	}
	if (w.Latitude == nil) != (w.Longitude == nil) {
		return FieldError(EInvalid, "latitude", "latitude and longitude must be given together")
	}
	return nil
}

// validateText checks that s is valid UTF-8 without control characters and has min to max
// characters.
func validateText(field, s string, min, max int) error {
	n := utf8.RuneCountInString(s)
	if !utf8.ValidString(s) {
		return FieldError(EInvalid, field, "%s is not valid UTF-8", field)
	}
	if n < min {
		if min == 1 {
			return FieldError(EInvalid, field, "%s is required", field)
		}
		return FieldError(EInvalid, field, "%s must have at least %d characters", field, min)
	}
	if n > max {
		return FieldError(EInvalid, field, "%s must have at most %d characters, got %d", field, max, n)
	}
	if strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f || unicode.Is(unicode.Bidi_Control, r) }) {
		// Bidirectional controls (U+202E …) can make a name display as something else.
		return FieldError(EInvalid, field, "%s contains control characters", field)
	}
	return nil
}

// ValidateName checks a display name (tenant, token): 1 to 200 printable characters.
func ValidateName(field, s string) error { return validateText(field, s, 1, 200) }
