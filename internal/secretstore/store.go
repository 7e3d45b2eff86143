package secretstore

import (
	"context"
	"fmt"
	"net/url"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/wellbase/wellbase"
)

// Store keeps secrets by name. Names are checked with [ValidateName]; values are opaque bytes
// that no method ever puts in an error message. Errors carry wellbase codes: EInvalid for a bad
// name or a value the store cannot hold, ENotFound (naming the secret) for one that is not set.
type Store interface {
	// Put stores value under name, replacing any earlier value.
	Put(ctx context.Context, name string, value []byte) error
	// Get returns the value of name.
	Get(ctx context.Context, name string) ([]byte, error)
	// Stat describes name; Info.Bytes is always known here.
	Stat(ctx context.Context, name string) (Info, error)
	// List describes every secret in the store, sorted by name, without their values.
	List(ctx context.Context) ([]Info, error)
	// Delete removes name.
	Delete(ctx context.Context, name string) error
	// Close releases the store's connections.
	Close() error
}

// Info describes a stored secret without its value.
type Info struct {
	Name string `json:"name"`
	// Bytes is the value's length, or -1 where the store cannot tell without reading the value
	// (Parameter Store's List).
	Bytes     int       `json:"bytes"`
	UpdatedAt time.Time `json:"updated_at"`
}

// SortInfos sorts infos by name, as List returns them.
func SortInfos(infos []Info) {
	sort.Slice(infos, func(i, j int) bool { return infos[i].Name < infos[j].Name })
}

// Opener opens a store from its URL; the mux has checked the scheme.
type Opener func(ctx context.Context, u *url.URL) (Store, error)

// URLMux opens stores by URL scheme (go-cloud's URLMux, in small). The zero value is ready.
type URLMux struct {
	mu      sync.RWMutex
	openers map[string]Opener
}

// Register makes scheme (without "://") open with o. It panics if scheme is taken.
func (m *URLMux) Register(scheme string, o Opener) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.openers == nil {
		m.openers = map[string]Opener{}
	}
	if _, ok := m.openers[scheme]; ok {
		panic("secretstore: scheme " + scheme + " registered twice")
	}
	m.openers[scheme] = o
}

// Open opens the store rawURL names. A URL of an unregistered scheme is EInvalid. Messages
// show the URL without any user info.
func (m *URLMux) Open(ctx context.Context, rawURL string) (Store, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, wellbase.Errorf(wellbase.EInvalid, "secret store URL is not a URL")
	}
	m.mu.RLock()
	o, ok := m.openers[u.Scheme]
	schemes := make([]string, 0, len(m.openers))
	for s := range m.openers {
		schemes = append(schemes, s+"://")
	}
	m.mu.RUnlock()
	if !ok {
		sort.Strings(schemes)
		return nil, wellbase.Errorf(wellbase.EInvalid, "secret store URL %s: unknown scheme %q, want one of %s", u.Redacted(), u.Scheme, strings.Join(schemes, ", "))
	}
	s, err := o(ctx, u)
	if err != nil {
		return nil, fmt.Errorf("open secret store %s: %w", u.Redacted(), err)
	}
	return s, nil
}

// SealCloser is a [Sealer] its store owns, such as a *keyring.Keyring opened for it.
type SealCloser interface {
	Sealer
	Close() error
}

// FileOpener returns the opener of file:///<dir> URLs: the [File] in <dir> (an absolute path),
// its values sealed by the sealer openSealer returns; the store closes that sealer on Close.
// The URL takes no query parameters.
func FileOpener(openSealer func(context.Context) (SealCloser, error)) Opener {
	return func(ctx context.Context, u *url.URL) (Store, error) {
		if u.Host != "" || u.Opaque != "" || !filepath.IsAbs(filepath.FromSlash(u.Path)) {
			return nil, wellbase.Errorf(wellbase.EInvalid, "file secret store: want file:///<absolute dir>, got %s", u.Redacted())
		}
		if len(u.Query()) > 0 {
			return nil, wellbase.Errorf(wellbase.EInvalid, "file secret store: %s takes no parameters", u.Redacted())
		}
		s, err := openSealer(ctx)
		if err != nil {
			return nil, err
		}
		f := Open(filepath.FromSlash(u.Path), s)
		f.closer = s
		return f, nil
	}
}
