// Package secretstore keeps Wellbase's configuration secrets (a database URL with credentials,
// a session signing key, OIDC client secrets) so that they never travel in flags, environment
// variables or logs. The embedded default is one file in the data dir, secrets.json (mode 0600),
// in which each value is sealed by the root key and bound to its name; SSM Parameter Store
// (SecureString, package paramstore) takes its place on AWS.
//
// # Choosing a store
//
// Every store implements [Store]. A [URLMux] picks the driver by the scheme of a URL, the way
// the other dependencies are chosen: file:///<dir> for the local [File] (see [FileOpener]),
// awsparamstore:///<prefix>?region=… for Parameter Store. The URL says where the secrets are,
// never what they are.
package secretstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"syscall"
	"time"

	"github.com/wellbase/wellbase"
)

// FileName is the secrets file in the data dir.
const FileName = "secrets.json"

// Sealer seals values with the root key, bound to a name (*keyring.Keyring is one).
type Sealer interface {
	SealSecret(ctx context.Context, name string, value []byte) ([]byte, error)
	OpenSecret(ctx context.Context, name string, sealed []byte) ([]byte, error)
}

// File is the local secret store.
type File struct {
	path   string
	sealer Sealer
	// closer, if set, is the sealer the store opened itself and closes on Close.
	closer io.Closer
}

var _ Store = (*File)(nil)

// Open returns the store in dataDir; the file is made on the first Put. The caller keeps
// ownership of s: Close does not close it.
func Open(dataDir string, s Sealer) *File {
	return &File{path: filepath.Join(dataDir, FileName), sealer: s}
}

// Close releases the sealer if the store opened it (see [FileOpener]).
func (f *File) Close() error {
	if f.closer == nil {
		return nil
	}
	return f.closer.Close()
}

type entry struct {
	Sealed    []byte    `json:"sealed"`
	Bytes     int       `json:"bytes"`
	UpdatedAt time.Time `json:"updated_at"`
}

type document struct {
	Version int              `json:"version"`
	Secrets map[string]entry `json:"secrets"`
}

var namePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._/-]{0,127}$`)

// ValidateName checks a secret name: 1 to 128 characters of lowercase letters, digits and
// . _ / -, starting with a letter or digit (e.g. "database-url", "oidc/acme/client-secret").
func ValidateName(name string) error {
	if !namePattern.MatchString(name) {
		return wellbase.FieldError(wellbase.EInvalid, "name", "secret name %q is invalid: use 1-128 lowercase letters, digits and . _ / -", name)
	}
	return nil
}

// Put stores value under name, replacing any earlier value.
func (f *File) Put(ctx context.Context, name string, value []byte) error {
	if err := ValidateName(name); err != nil {
		return err
	}
	sealed, err := f.sealer.SealSecret(ctx, name, value)
	if err != nil {
		return err
	}
	return f.update(func(d *document) error {
		d.Secrets[name] = entry{Sealed: sealed, Bytes: len(value), UpdatedAt: time.Now().UTC()}
		return nil
	})
}

// Get returns the value of name; ENotFound if there is none.
func (f *File) Get(ctx context.Context, name string) ([]byte, error) {
	if err := ValidateName(name); err != nil {
		return nil, err
	}
	d, err := f.read()
	if err != nil {
		return nil, err
	}
	e, ok := d.Secrets[name]
	if !ok {
		return nil, wellbase.Errorf(wellbase.ENotFound, "secret %s is not set", name)
	}
	return f.sealer.OpenSecret(ctx, name, e.Sealed)
}

// Stat describes name without opening its value; ENotFound if it is not set.
func (f *File) Stat(ctx context.Context, name string) (Info, error) {
	if err := ValidateName(name); err != nil {
		return Info{}, err
	}
	d, err := f.read()
	if err != nil {
		return Info{}, err
	}
	e, ok := d.Secrets[name]
	if !ok {
		return Info{}, wellbase.Errorf(wellbase.ENotFound, "secret %s is not set", name)
	}
	return Info{Name: name, Bytes: e.Bytes, UpdatedAt: e.UpdatedAt}, nil
}

// List describes the stored secrets, by name.
func (f *File) List(ctx context.Context) ([]Info, error) {
	d, err := f.read()
	if err != nil {
		return nil, err
	}
	out := make([]Info, 0, len(d.Secrets))
	for n, e := range d.Secrets {
		out = append(out, Info{Name: n, Bytes: e.Bytes, UpdatedAt: e.UpdatedAt})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// Delete removes name; ENotFound if it is not set.
func (f *File) Delete(ctx context.Context, name string) error {
	if err := ValidateName(name); err != nil {
		return err
	}
	return f.update(func(d *document) error {
		if _, ok := d.Secrets[name]; !ok {
			return wellbase.Errorf(wellbase.ENotFound, "secret %s is not set", name)
		}
		delete(d.Secrets, name)
		return nil
	})
}

func (f *File) read() (*document, error) {
	d := &document{Version: 1, Secrets: map[string]entry{}}
	b, err := os.ReadFile(f.path)
	if errors.Is(err, fs.ErrNotExist) {
		return d, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read secrets file: %w", err)
	}
	if err := json.Unmarshal(b, d); err != nil {
		return nil, fmt.Errorf("read secrets file %s: %w", f.path, err)
	}
	if d.Secrets == nil {
		d.Secrets = map[string]entry{}
	}
	return d, nil
}

// update changes the file under an exclusive lock (other processes: serve, the CLI) and
// replaces it atomically, mode 0600.
func (f *File) update(change func(*document) error) error {
	if err := os.MkdirAll(filepath.Dir(f.path), 0o700); err != nil {
		return fmt.Errorf("secrets file: %w", err)
	}
	lock, err := os.OpenFile(f.path+".lock", os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return fmt.Errorf("lock secrets file: %w", err)
	}
	defer lock.Close()
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		return fmt.Errorf("lock secrets file: %w", err)
	}
	defer syscall.Flock(int(lock.Fd()), syscall.LOCK_UN)
	d, err := f.read()
	if err != nil {
		return err
	}
	if err := change(d); err != nil {
		return err
	}
	b, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(f.path), ".secrets-*")
	if err != nil {
		return fmt.Errorf("write secrets file: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("write secrets file: %w", err)
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return fmt.Errorf("write secrets file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write secrets file: %w", err)
	}
	if err := os.Rename(tmp.Name(), f.path); err != nil {
		return fmt.Errorf("write secrets file: %w", err)
	}
	return nil
}
