package keyring

import (
	"bytes"
	"context"
	"fmt"
)

// The sealed form of a configuration secret is
//
//	secretVersion (1 byte) || Encrypt_root(secretLabel || len(name) (1 byte) || name || value)
//
// Binding the name means a sealed value copied under another name does not open, and the label
// keeps a secret from being taken for a data key (or the reverse).
const (
	secretVersion = 1
	secretLabel   = "wellbase secret v1\x00"
)

// SealSecret encrypts value, a configuration secret called name (1 to 255 bytes), with the root
// key, bound to its name. The result is opaque and safe to store on disk.
func (k *Keyring) SealSecret(ctx context.Context, name string, value []byte) ([]byte, error) {
	if len(name) == 0 || len(name) > 255 {
		return nil, fmt.Errorf("seal secret: name must have 1 to 255 bytes")
	}
	plain := make([]byte, 0, len(secretLabel)+1+len(name)+len(value))
	plain = append(plain, secretLabel...)
	plain = append(plain, byte(len(name)))
	plain = append(plain, name...)
	plain = append(plain, value...)
	defer clear(plain)
	sealed, err := k.keeperFor(secretContext(name)).Encrypt(ctx, plain)
	if err != nil {
		return nil, fmt.Errorf("seal secret %q: %w", name, err)
	}
	return append([]byte{secretVersion}, sealed...), nil
}

// OpenSecret decrypts a value sealed by SealSecret under the same root key and name; a value
// sealed under another name or root key, or altered, is an error.
func (k *Keyring) OpenSecret(ctx context.Context, name string, sealed []byte) ([]byte, error) {
	if len(sealed) == 0 || sealed[0] != secretVersion {
		return nil, fmt.Errorf("open secret %q: not a sealed secret (unknown format)", name)
	}
	plain, err := k.keeperFor(secretContext(name)).Decrypt(ctx, sealed[1:])
	if err != nil {
		return nil, fmt.Errorf("open secret %q: %w", name, err)
	}
	defer clear(plain)
	rest, ok := bytes.CutPrefix(plain, []byte(secretLabel))
	if !ok || len(rest) < 1 || len(rest) < 1+int(rest[0]) {
		return nil, fmt.Errorf("open secret %q: not a sealed secret (bad layout)", name)
	}
	if string(rest[1:1+int(rest[0])]) != name {
		return nil, fmt.Errorf("open secret %q: the value was sealed under another name", name)
	}
	return bytes.Clone(rest[1+int(rest[0]):]), nil
}
