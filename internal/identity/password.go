package identity

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"github.com/wellbase/wellbase"
)

// Argon2id parameters: the OWASP Password Storage Cheat Sheet's first configuration
// (m = 19 MiB, t = 2, p = 1), within RFC 9106 §4's guidance. Stored in each hash so they can be
// raised later without breaking old hashes.
const (
	argonMemoryKiB = 19 * 1024
	argonTime      = 2
	argonThreads   = 1
	argonKeyLen    = 32
	argonSaltLen   = 16
)

// Password length bounds (NIST SP 800-63B §5.1.1.2: at least 8; we ask 12; allow long passphrases).
const (
	MinPasswordLen = 12
	MaxPasswordLen = 256
)

// ValidatePassword checks a new password's length; the error names field.
func ValidatePassword(field, pw string) error {
	n := utf8.RuneCountInString(pw)
	if n < MinPasswordLen {
		return wellbase.FieldError(wellbase.EInvalid, field, "%s must have at least %d characters", field, MinPasswordLen)
	}
	if n > MaxPasswordLen {
		return wellbase.FieldError(wellbase.EInvalid, field, "%s must have at most %d characters", field, MaxPasswordLen)
	}
	return nil
}

// HashPassword returns the argon2id hash of pw in PHC string format:
// $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash> (base64 without padding).
func HashPassword(pw string) string {
	salt := make([]byte, argonSaltLen)
	rand.Read(salt)
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemoryKiB, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemoryKiB, argonTime, argonThreads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key))
}

// dummyHash is verified against when a login names no known user, so that a failed login takes
// the same time whether or not the email exists. It is a constant (HashPassword of
// "wellbase-no-such-user" once) rather than hashed at package initialization: that took 19 MiB
// and 50-250 ms at the start of every process, `wellbase las check` included. Only its
// parameters, salt and length matter: a login against it always fails.
const dummyHash = "$argon2id$v=19$m=19456,t=2,p=1$dy5PNUVkuORP0gbHGyRk2Q$G2GoNhVkzm/XvGZSvyujxQqtm1R8Y8Euo6NqmxtHuNY"

// VerifyPassword reports whether pw matches the PHC-format argon2id hash. An empty or malformed
// hash never matches, but costs the same time as a real check.
func VerifyPassword(hash, pw string) bool {
	m, t, p, salt, want, ok := parseHash(hash)
	if !ok {
		m, t, p, salt, want, _ = parseHash(dummyHash)
		argon2.IDKey([]byte(pw), salt, t, m, p, uint32(len(want)))
		return false
	}
	got := argon2.IDKey([]byte(pw), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

func parseHash(hash string) (m, t uint32, p uint8, salt, key []byte, ok bool) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" || parts[2] != fmt.Sprintf("v=%d", argon2.Version) {
		return 0, 0, 0, nil, nil, false
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m == 0 || t == 0 || p == 0 {
		return 0, 0, 0, nil, nil, false
	}
	var err1, err2 error
	salt, err1 = base64.RawStdEncoding.DecodeString(parts[4])
	key, err2 = base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(key) == 0 {
		return 0, 0, 0, nil, nil, false
	}
	return m, t, p, salt, key, true
}
