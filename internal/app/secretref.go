package app

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/keyring"
	"github.com/wellbase/wellbase/internal/paramstore"
	"github.com/wellbase/wellbase/internal/secretstore"
)

// secretScheme marks a driver flag that names a secret instead of carrying a value:
// --database secret://database-url takes the database URL from the secret store at start-up.
const secretScheme = "secret://"

// OpenSecretStore opens the secret store cfg.Secrets names (cfg is resolved): file:///<dir>,
// the local store whose values the root key seals, or awsparamstore:///<prefix>?region=…, SSM
// Parameter Store with credentials from the AWS SDK's default chain. The caller closes it.
func OpenSecretStore(ctx context.Context, cfg Config) (secretstore.Store, error) {
	var mux secretstore.URLMux
	mux.Register("file", secretstore.FileOpener(func(ctx context.Context) (secretstore.SealCloser, error) {
		kr, err := keyring.Open(ctx, cfg.RootKey, cfg.DataDir)
		if err != nil {
			return nil, fmt.Errorf("open root key: %w", err)
		}
		return kr, nil
	}))
	mux.Register(paramstore.Scheme, func(ctx context.Context, u *url.URL) (secretstore.Store, error) {
		s, err := paramstore.OpenURL(ctx, u)
		if err != nil {
			return nil, err
		}
		return s, nil
	})
	return mux.Open(ctx, cfg.Secrets)
}

// DatabaseSecret is the secret that holds the database URL when --database is not given, so
// that on AWS the process needs only --secrets (and the non-secret --files and --root-key).
const DatabaseSecret = "database-url"

// ResolveSecretRefs replaces secret:// references in cfg's driver URLs with the values stored
// under those names in the secret store --secrets names. Only the references travel in flags
// and environment variables; the values, which may carry credentials, never do. Without
// --database, the secret DatabaseSecret is used if the store has it, else the embedded default.
func ResolveSecretRefs(ctx context.Context, cfg Config) (Config, error) {
	refs := map[string]*string{"--database": &cfg.Database, "--files": &cfg.Files}
	var store secretstore.Store
	if cfg.databaseDefaulted {
		var err error
		if store, err = OpenSecretStore(ctx, cfg); err != nil {
			return cfg, fmt.Errorf("secret store: %w", err)
		}
		defer store.Close()
		v, err := store.Get(ctx, DatabaseSecret)
		switch {
		case err == nil:
			cfg.Database, cfg.databaseSecret = string(v), DatabaseSecret
		case wellbase.ErrorCode(err) != wellbase.ENotFound:
			return cfg, fmt.Errorf("secret store: read %s: %w", DatabaseSecret, err)
		}
	}
	for flagName, v := range refs {
		name, ok := strings.CutPrefix(*v, secretScheme)
		if !ok {
			continue
		}
		if store == nil {
			var err error
			if store, err = OpenSecretStore(ctx, cfg); err != nil {
				return cfg, fmt.Errorf("%s %s%s: %w", flagName, secretScheme, name, err)
			}
			defer store.Close()
		}
		value, err := store.Get(ctx, name)
		if err != nil {
			return cfg, fmt.Errorf("%s %s%s: %w", flagName, secretScheme, name, err)
		}
		*v = string(value)
		if flagName == "--database" {
			cfg.databaseSecret = name
		}
	}
	return cfg, nil
}
