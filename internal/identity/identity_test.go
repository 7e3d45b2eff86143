package identity

import (
	"strings"
	"testing"

	"github.com/wellbase/wellbase"
)

func TestNewToken(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for _, kind := range []wellbase.CredentialKind{wellbase.CredentialAPIToken, wellbase.CredentialSession, wellbase.CredentialOperator} {
		tok, hash, prefix := NewToken(kind)
		if !LooksLikeToken(tok) {
			t.Errorf("%s token %q does not look like a token", kind, tok)
		}
		if !strings.HasPrefix(tok, tokenPrefixes[kind]) || !strings.HasPrefix(tok, prefix) {
			t.Errorf("%s token %q: prefix %q or kind prefix missing", kind, tok, prefix)
		}
		if hash != HashToken(tok) || len(hash) != 64 || strings.Contains(hash, tok) {
			t.Errorf("hash %q is not the hex SHA-256 of the token", hash)
		}
		if seen[tok] {
			t.Errorf("token repeated")
		}
		seen[tok] = true
	}
	for _, bad := range []string{"", "wb_not_a_token", "wbt_short", "xxx_" + strings.Repeat("A", 43), "wbt_" + strings.Repeat("*", 43)} {
		if LooksLikeToken(bad) {
			t.Errorf("LooksLikeToken(%q) = true", bad)
		}
	}
}

func TestPassword(t *testing.T) {
	t.Parallel()
	h := HashPassword("correct horse battery staple")
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash %q is not PHC argon2id", h)
	}
	if h == HashPassword("correct horse battery staple") {
		t.Error("two hashes of one password are equal: salt missing")
	}
	tests := []struct {
		name, hash, pw string
		want           bool
	}{
		{"OK", h, "correct horse battery staple", true},
		{"WrongPassword", h, "correct horse battery stapl", false},
		{"EmptyHash", "", "correct horse battery staple", false},
		{"Malformed", "$argon2id$v=19$m=x$$", "x", false},
		{"OtherAlgorithm", "$2a$10$abcdefghijklmnopqrstuv", "x", false},
	}
	for _, tt := range tests {
		if got := VerifyPassword(tt.hash, tt.pw); got != tt.want {
			t.Errorf("%s: VerifyPassword = %v, want %v", tt.name, got, tt.want)
		}
	}
	// A login against an unknown user costs what a real one does only while the constant
	// dummy hash has the parameters of new hashes.
	if m, tm, p, salt, key, ok := parseHash(dummyHash); !ok || m != argonMemoryKiB || tm != argonTime || p != argonThreads ||
		len(salt) != argonSaltLen || len(key) != argonKeyLen {
		t.Errorf("dummyHash %q does not have the parameters of HashPassword", dummyHash)
	}
	if err := ValidatePassword("password", "short"); wellbase.ErrorCode(err) != wellbase.EInvalid || wellbase.ErrorField(err) != "password" {
		t.Errorf("short password: %v", err)
	}
	if err := ValidatePassword("password", strings.Repeat("x", 12)); err != nil {
		t.Errorf("12-character password: %v", err)
	}
}
