// Package identity makes and checks credentials: random bearer tokens stored only as hashes,
// argon2id password hashes, and the authentication of a request's token into a Principal.
package identity

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"

	"github.com/wellbase/wellbase"
)

// tokenBytes is the entropy of a token: 32 random bytes (256 bits), so a stored SHA-256 hash
// cannot be reversed by search and needs no salt or slow hash (unlike a password).
const tokenBytes = 32

// tokenPrefixes tell token kinds apart at a glance and let secret scanners find leaked tokens.
var tokenPrefixes = map[wellbase.CredentialKind]string{
	wellbase.CredentialAPIToken: "wbt_",
	wellbase.CredentialSession:  "wbs_",
	wellbase.CredentialOperator: "wbo_",
}

// NewToken returns a new random token of kind, its hash for storage, and its display prefix
// (the kind prefix and the first 6 characters of the secret).
func NewToken(kind wellbase.CredentialKind) (token, hash, prefix string) {
	var b [tokenBytes]byte
	rand.Read(b[:])
	token = tokenPrefixes[kind] + base64.RawURLEncoding.EncodeToString(b[:])
	return token, HashToken(token), token[:10]
}

// HashToken returns the hex SHA-256 of token, the form a token is stored and looked up in.
func HashToken(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// LooksLikeToken reports whether s has the shape of a Wellbase token, so malformed
// credentials are refused before any database lookup.
func LooksLikeToken(s string) bool {
	if len(s) != 4+base64.RawURLEncoding.EncodedLen(tokenBytes) {
		return false
	}
	for _, p := range tokenPrefixes {
		if strings.HasPrefix(s, p) {
			_, err := base64.RawURLEncoding.DecodeString(s[4:])
			return err == nil
		}
	}
	return false
}
