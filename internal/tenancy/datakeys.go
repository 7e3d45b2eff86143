package tenancy

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/files"
	"github.com/wellbase/wellbase/internal/keyring"
)

// DataKeys hands out tenants' data keys for encrypting and decrypting their files. Each wrapped
// key is unwrapped by the root key once (a KMS call on AWS) and kept in memory; the list of
// versions is read from the store on every call, so a rotation made by another process is seen
// at once.
type DataKeys struct {
	Store wellbase.Store
	// Unwrap decrypts a wrapped data key of tenant with the root key (keyring.UnwrapDataKey).
	Unwrap func(ctx context.Context, tenant string, wrapped []byte) (*keyring.DataKey, error)

	mu    sync.Mutex
	cache map[string]*keyring.DataKey // "<tenant>/<version>"
}

// Current returns the newest data key version of tenant, used for new writes.
// ENotFound if the tenant has no data key (onboarding has not made it).
func (k *DataKeys) Current(ctx context.Context, tenant string) (int, *keyring.DataKey, error) {
	keys, err := k.Store.Tenant(tenant).DataKeys(ctx)
	if err != nil {
		return 0, nil, fmt.Errorf("list data keys of tenant %s: %w", tenant, err)
	}
	if len(keys) == 0 {
		return 0, nil, wellbase.Errorf(wellbase.ENotFound, "tenant %s has no data key", tenant)
	}
	w := keys[len(keys)-1]
	dk, err := k.unwrap(ctx, w)
	return w.Version, dk, err
}

// Version returns version v of tenant's data key, to read files written with it. The version
// is looked up in the store on every call, even when its unwrapped key is cached, so a key
// destroyed by offboarding in any process stops decrypting everywhere at once.
func (k *DataKeys) Version(ctx context.Context, tenant string, v int) (*keyring.DataKey, error) {
	keys, err := k.Store.Tenant(tenant).DataKeys(ctx)
	if err != nil {
		return nil, fmt.Errorf("list data keys of tenant %s: %w", tenant, err)
	}
	for _, w := range keys {
		if w.Version == v {
			return k.unwrap(ctx, w)
		}
	}
	return nil, wellbase.Errorf(wellbase.ENotFound, "tenant %s has no data key version %d", tenant, v)
}

// Forget drops tenant's unwrapped data keys from memory.
func (k *DataKeys) Forget(tenant string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	prefix := tenant + "/"
	for key := range k.cache {
		if strings.HasPrefix(key, prefix) {
			delete(k.cache, key)
		}
	}
}

func (k *DataKeys) cached(tenant string, v int) *keyring.DataKey {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.cache[fmt.Sprintf("%s/%d", tenant, v)]
}

func (k *DataKeys) unwrap(ctx context.Context, w *wellbase.WrappedKey) (*keyring.DataKey, error) {
	if dk := k.cached(w.TenantID, w.Version); dk != nil {
		return dk, nil
	}
	dk, err := k.Unwrap(ctx, w.TenantID, w.Wrapped)
	if err != nil {
		return nil, fmt.Errorf("unwrap data key %d of tenant %s: %w", w.Version, w.TenantID, err)
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.cache == nil {
		k.cache = map[string]*keyring.DataKey{}
	}
	k.cache[fmt.Sprintf("%s/%d", w.TenantID, w.Version)] = dk
	return dk, nil
}

// OpenAt opens object key of tenant in fs with data key version v, the version its record
// names; if that version was retired, or does not authenticate the object (re-encrypted by a
// rotation under way, which updates records after their objects), with the current version.
// A missing object, an invalid key and a cancelled context are returned as they are.
func (k *DataKeys) OpenAt(ctx context.Context, fs *files.Store, tenant, key string, v int) (files.Object, error) {
	dk, err := k.Version(ctx, tenant, v)
	if err == nil {
		obj, err := fs.OpenAt(ctx, tenant, key, dk)
		if err == nil || wellbase.ErrorCode(err) != wellbase.EInternal || ctx.Err() != nil {
			return obj, err
		}
		cv, cur, cerr := k.Current(ctx, tenant)
		if cerr != nil || cv == v {
			return nil, err
		}
		if obj, nerr := fs.OpenAt(ctx, tenant, key, cur); nerr == nil {
			return obj, nil
		}
		return nil, err
	}
	if wellbase.ErrorCode(err) != wellbase.ENotFound {
		return nil, err
	}
	_, cur, err := k.Current(ctx, tenant)
	if err != nil {
		return nil, err
	}
	return fs.OpenAt(ctx, tenant, key, cur)
}
