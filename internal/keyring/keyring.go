// Package keyring does Wellbase's envelope encryption: each tenant has its own AES-256 data key,
// stored only wrapped (encrypted) by one root key, and tenant files are encrypted with the data
// key as a stream.
//
// # Keys
//
// The root key is named by a URL (see [Open]): the embedded default "base64key://" keeps it in
// <data-dir>/root.key, generated on first use; "file:///path" reads a key file elsewhere; a KMS
// URL (awskms://, once a driver is imported by cmd/) keeps it in a key management service, so
// the root key never leaves it. The root key only wraps and unwraps data keys.
//
// A data key ([DataKey]) is 32 random bytes made at onboarding by [Keyring.NewDataKey]. Its
// wrapped form binds the tenant ID, so it unwraps only for that tenant. Deleting the wrapped key
// makes every copy of the tenant's files unreadable, backups included.
//
// # Formats
//
// [DataKey.Seal] encrypts a small message with AES-256-GCM and a random 96-bit nonce (NIST SP
// 800-38D §8.2.2). [DataKey.EncryptWriter] encrypts a file of any size in 64 KiB segments with
// the STREAM construction (Hoang, Reyhanitabar, Rogaway, Vizár, "Online Authenticated-Encryption
// and its Nonce-Reuse Misuse-Resistance", CRYPTO 2015, §7), so truncation, reordering and
// appending are detected while memory stays O(segment). [DataKey.DecryptReader] decrypts such a
// stream in one pass; [DataKey.DecryptReaderAt] gives random access to it (io.ReaderAt),
// authenticating only the segments a read touches.
//
// Neither the raw data key nor the root key appears in an error, a log line or a formatted value.
package keyring

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net/url"

	"gocloud.dev/secrets"

	"github.com/wellbase/wellbase"
)

// Keyring wraps and unwraps tenant data keys with one root key. It is safe for concurrent use.
type Keyring struct {
	keeper *secrets.Keeper // a local root key; nil for KMS
	kms    *kmsRoot        // a root key in AWS KMS; nil for a local one
	id     string          // names the root key without secrets, e.g. "awskms:///alias/wellbase"
}

// Open opens the root key named by rootKeyURL:
//
//   - "" or "base64key://" (the embedded default): the key file <dataDir>/root.key, made on first
//     use (32 random bytes in base64 standard encoding, mode 0600). It is created atomically —
//     written to a temporary file in dataDir, then hard-linked to root.key — so processes starting
//     together never see a half-written key and all end up with the same one. dataDir is created
//     (mode 0700) if missing.
//   - "file:///abs/path/root.key": a key file of the same format at another path. It must exist;
//     it is never generated.
//   - any other gocloud.dev/secrets URL whose scheme a driver registered by import, such as
//     "awskms:///alias/wellbase" once cmd/ imports gocloud.dev/secrets/awskms.
//
// A key file that is not a regular file, or that group or others may access (mode & 0077 != 0),
// is refused with an error naming the file and its mode. A "base64key://<key material>" URL is
// refused: a secret must never travel in a flag or an environment variable. Errors never quote
// rootKeyURL, since a mistaken one may hold a secret. Close the Keyring when done.
func Open(ctx context.Context, rootKeyURL, dataDir string) (*Keyring, error) {
	if u, err := url.Parse(rootKeyURL); err == nil && u.Scheme == "awskms" {
		r, err := openKMS(ctx, u)
		if err != nil {
			return nil, err
		}
		return &Keyring{kms: r, id: "awskms:///" + r.keyID}, nil
	}
	keeper, err := openKeeper(ctx, rootKeyURL, dataDir)
	if err != nil {
		return nil, err
	}
	return &Keyring{keeper: keeper, id: localRootKeyID(rootKeyURL, dataDir)}, nil
}

// ID names the root key without revealing anything secret: "awskms:///alias/wellbase",
// "file:///etc/wellbase/root.key" or "base64key://" with the data-dir path. It goes into
// deletion certificates and rotation reports.
func (k *Keyring) ID() string { return k.id }

// keeperFor returns the keeper for a use of the root key described by the KMS encryption
// context ec (ignored by a local root key, whose wrapped layout binds the same facts).
func (k *Keyring) keeperFor(ec map[string]string) *secrets.Keeper {
	if k.kms != nil {
		return k.kms.keeper(ec)
	}
	return k.keeper
}

// Close releases the root key. Data keys already unwrapped stay usable.
func (k *Keyring) Close() error {
	if k.kms != nil {
		if err := k.kms.close(); err != nil {
			return fmt.Errorf("close root key: %w", err)
		}
		return nil
	}
	if err := k.keeper.Close(); err != nil {
		return fmt.Errorf("close root key: %w", err)
	}
	return nil
}

// The wrapped form of a data key is
//
//	wrapVersion (1 byte) || Encrypt_root(wrapLabel || len(tenantID) (1 byte) || tenantID || key (32 bytes))
//
// The root key's keeper authenticates its ciphertext (secretbox for base64key://, KMS for
// awskms://), so the tenant ID inside is authenticated too: that is the tenant binding. The label
// keeps a data key from being confused with anything else the same root key encrypts.
const (
	wrapVersion = 1
	wrapLabel   = "wellbase data key v1\x00"
	maxTenantID = 255 // fits the length byte; wellbase.ValidateTenantID allows far fewer
)

// NewDataKey makes a fresh random AES-256 data key for tenantID (a valid tenant slug, see
// wellbase.ValidateTenantID) and returns it with its wrapped form: about 100 bytes for the
// embedded root key, opaque and safe to store next to the tenant. Unwrapping it for another tenant
// fails. An invalid tenantID is a wellbase.EInvalid error; a failure of the root key (KMS
// unreachable, ctx done) is returned wrapped.
func (k *Keyring) NewDataKey(ctx context.Context, tenantID string) (*DataKey, []byte, error) {
	if err := validTenantID(tenantID); err != nil {
		return nil, nil, fmt.Errorf("new data key of tenant %q: %w", tenantID, err)
	}
	var key [dataKeySize]byte
	rand.Read(key[:]) // never fails: crypto/rand.Read aborts the program rather than return an error
	defer clear(key[:])

	plain := make([]byte, 0, len(wrapLabel)+1+len(tenantID)+dataKeySize)
	plain = append(plain, wrapLabel...)
	plain = append(plain, byte(len(tenantID)))
	plain = append(plain, tenantID...)
	plain = append(plain, key[:]...)
	defer clear(plain)
	sealed, err := k.keeperFor(dataKeyContext(tenantID)).Encrypt(ctx, plain)
	if err != nil {
		return nil, nil, fmt.Errorf("wrap data key of tenant %q: %w", tenantID, err)
	}
	dk, err := newDataKey(key[:])
	if err != nil {
		return nil, nil, fmt.Errorf("new data key of tenant %q: %w", tenantID, err)
	}
	return dk, append([]byte{wrapVersion}, sealed...), nil
}

// UnwrapDataKey decrypts wrapped, a data key of tenantID made by [Keyring.NewDataKey] under the
// same root key. A key wrapped for another tenant, wrapped under another root key, or altered in
// any byte is an error; so is an invalid tenantID (wellbase.EInvalid).
func (k *Keyring) UnwrapDataKey(ctx context.Context, tenantID string, wrapped []byte) (*DataKey, error) {
	if err := validTenantID(tenantID); err != nil {
		return nil, fmt.Errorf("unwrap data key of tenant %q: %w", tenantID, err)
	}
	if len(wrapped) == 0 || wrapped[0] != wrapVersion {
		return nil, fmt.Errorf("unwrap data key of tenant %q: not a wrapped data key (unknown format)", tenantID)
	}
	plain, err := k.keeperFor(dataKeyContext(tenantID)).Decrypt(ctx, wrapped[1:])
	if err != nil {
		return nil, fmt.Errorf("unwrap data key of tenant %q: %w", tenantID, err)
	}
	defer clear(plain)

	rest, ok := bytes.CutPrefix(plain, []byte(wrapLabel))
	if !ok || len(rest) < 1 || len(rest) != 1+int(rest[0])+dataKeySize {
		return nil, fmt.Errorf("unwrap data key of tenant %q: not a wrapped data key (bad layout)", tenantID)
	}
	owner, key := rest[1:1+int(rest[0])], rest[1+int(rest[0]):]
	if string(owner) != tenantID {
		return nil, fmt.Errorf("unwrap data key of tenant %q: the key belongs to another tenant", tenantID)
	}
	dk, err := newDataKey(key)
	if err != nil {
		return nil, fmt.Errorf("unwrap data key of tenant %q: %w", tenantID, err)
	}
	return dk, nil
}

// validTenantID checks tenantID with the domain rule, and that it fits the wrapped layout.
func validTenantID(tenantID string) error {
	if err := wellbase.ValidateTenantID(tenantID); err != nil {
		return err
	}
	if len(tenantID) > maxTenantID {
		return errors.New("tenant ID too long for a wrapped key")
	}
	return nil
}

// Rewrap re-encrypts wrapped, a data key of tenantID wrapped under the root key of from, under
// k's root key (root key rotation): the data key itself is unchanged, so files stay readable.
// from may be k itself, as with a KMS key whose newest backing key then wraps it. The result is
// checked to unwrap before it is returned. Errors are those of UnwrapDataKey.
func (k *Keyring) Rewrap(ctx context.Context, tenantID string, wrapped []byte, from *Keyring) ([]byte, error) {
	if _, err := from.UnwrapDataKey(ctx, tenantID, wrapped); err != nil { // checks tenant and layout
		return nil, err
	}
	plain, err := from.keeperFor(dataKeyContext(tenantID)).Decrypt(ctx, wrapped[1:])
	if err != nil {
		return nil, fmt.Errorf("rewrap data key of tenant %q: %w", tenantID, err)
	}
	defer clear(plain)
	sealed, err := k.keeperFor(dataKeyContext(tenantID)).Encrypt(ctx, plain)
	if err != nil {
		return nil, fmt.Errorf("rewrap data key of tenant %q: %w", tenantID, err)
	}
	out := append([]byte{wrapVersion}, sealed...)
	if _, err := k.UnwrapDataKey(ctx, tenantID, out); err != nil {
		return nil, fmt.Errorf("rewrap data key of tenant %q: check: %w", tenantID, err)
	}
	return out, nil
}
