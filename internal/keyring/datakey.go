package keyring

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"log/slog"
)

const dataKeySize = 32 // AES-256

// sealInfo is the HKDF info of the subkey that Seal and Open use, so that the data key itself
// only ever keys HKDF, and the sealing and streaming keys are independent.
const sealInfo = "wellbase keyring seal v1"

// maxSealSize bounds a Seal message below GCM's limit of 2^39-256 bits of plaintext per
// invocation (NIST SP 800-38D §5.2.1.1). Use EncryptWriter for anything large.
const maxSealSize = 1<<36 - 32

// SealOverhead is how many bytes DataKey.Seal adds to a message: a 12-byte nonce and a 16-byte tag.
const SealOverhead = 12 + 16

// redacted is what every formatting of a DataKey prints.
const redacted = "keyring.DataKey(REDACTED)"

// DataKey is a tenant's AES-256 data key, unwrapped. It never exposes the key bytes: fmt (every
// verb, including %#v), String, GoString and slog all print "keyring.DataKey(REDACTED)", and the
// key is held only by a closure, which no reflection-based printer or differ (fmt on a struct
// holding a DataKey, go-cmp, spew) can look into. Get one from Keyring.NewDataKey or
// Keyring.UnwrapDataKey; the zero value is not usable (its methods return errors). A DataKey is
// safe for concurrent use.
type DataKey struct {
	get func() *dataKeyMaterial
}

type dataKeyMaterial struct {
	key  [dataKeySize]byte // input keying material for HKDF; never used as an AES key itself
	seal cipher.AEAD       // AES-256-GCM, random nonces, keyed by HKDF-SHA256(key, "", sealInfo)
}

// newDataKey builds a DataKey from 32 raw key bytes, which it copies.
func newDataKey(key []byte) (*DataKey, error) {
	if len(key) != dataKeySize {
		return nil, fmt.Errorf("data key is %d bytes, want %d", len(key), dataKeySize)
	}
	m := &dataKeyMaterial{}
	copy(m.key[:], key)
	sub, err := hkdf.Key(sha256.New, m.key[:], nil, sealInfo, dataKeySize)
	if err != nil {
		return nil, fmt.Errorf("derive seal key: %w", err)
	}
	defer clear(sub)
	block, err := aes.NewCipher(sub)
	if err != nil {
		return nil, fmt.Errorf("derive seal key: %w", err)
	}
	m.seal, err = cipher.NewGCMWithRandomNonce(block)
	if err != nil {
		return nil, fmt.Errorf("derive seal key: %w", err)
	}
	return &DataKey{get: func() *dataKeyMaterial { return m }}, nil
}

var errZeroDataKey = errors.New("data key is not initialized (use Keyring.NewDataKey or Keyring.UnwrapDataKey)")

func (d *DataKey) material() (*dataKeyMaterial, error) {
	if d == nil || d.get == nil {
		return nil, errZeroDataKey
	}
	return d.get(), nil
}

// Seal encrypts and authenticates plaintext, and authenticates aad (which it does not include),
// with AES-256-GCM under a subkey of d (HKDF-SHA256, RFC 5869, info "wellbase keyring seal v1").
// The result is nonce (12 bytes) || ciphertext || tag (16 bytes), len(plaintext)
// + SealOverhead bytes. The nonce is random (NIST SP 800-38D §8.2.2), so one DataKey must seal
// fewer than 2^32 messages (§8.3); it is meant for small values such as tenant secrets, not files
// (see EncryptWriter). aad should name what the message is, for instance its record key, so that
// it cannot be moved to another record. Seal errors only for an unusable DataKey or a plaintext
// over 64 GiB.
func (d *DataKey) Seal(plaintext, aad []byte) ([]byte, error) {
	m, err := d.material()
	if err != nil {
		return nil, fmt.Errorf("seal: %w", err)
	}
	if len(plaintext) > maxSealSize {
		return nil, fmt.Errorf("seal: message of %d bytes is too large for AES-GCM", len(plaintext))
	}
	return m.seal.Seal(nil, nil, plaintext, aad), nil
}

// Open decrypts sealed, made by Seal with the same DataKey and aad, and returns the plaintext.
// A sealed message altered in any byte, sealed under another key, or opened with another aad is
// an error, and no plaintext is returned.
func (d *DataKey) Open(sealed, aad []byte) ([]byte, error) {
	m, err := d.material()
	if err != nil {
		return nil, fmt.Errorf("open sealed message: %w", err)
	}
	if len(sealed) < SealOverhead {
		return nil, fmt.Errorf("open sealed message: %d bytes is shorter than the %d-byte nonce and tag", len(sealed), SealOverhead)
	}
	plain, err := m.seal.Open(nil, nil, sealed, aad)
	if err != nil {
		return nil, errors.New("open sealed message: message authentication failed (altered, wrong key or wrong aad)")
	}
	return plain, nil
}

// String returns "keyring.DataKey(REDACTED)", never the key.
func (d DataKey) String() string { return redacted }

// GoString returns "keyring.DataKey(REDACTED)" for %#v, never the key.
func (d DataKey) GoString() string { return redacted }

// Format prints "keyring.DataKey(REDACTED)" for every fmt verb (%v, %+v, %#v, %s, %x, %d, …).
func (d DataKey) Format(f fmt.State, verb rune) { io.WriteString(f, redacted) }

// LogValue makes log/slog print "keyring.DataKey(REDACTED)".
func (d DataKey) LogValue() slog.Value { return slog.StringValue(redacted) }
