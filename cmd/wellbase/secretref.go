package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/wellbase/wellbase/internal/keyring"
	"github.com/wellbase/wellbase/internal/secretstore"
)

// secretScheme marks a driver flag that names a secret instead of carrying a value:
// --database secret://database-url takes the database URL from the secret store at start-up.
const secretScheme = "secret://"

// resolveSecretRefs replaces secret:// references in cfg's driver URLs with the values stored
// under those names. Only the references travel in flags and environment variables; the values,
// which may carry credentials, never do.
func resolveSecretRefs(ctx context.Context, cfg Config) (Config, error) {
	refs := map[string]*string{"--database": &cfg.Database, "--files": &cfg.Files}
	var kr *keyring.Keyring
	for flagName, v := range refs {
		name, ok := strings.CutPrefix(*v, secretScheme)
		if !ok {
			continue
		}
		if kr == nil {
			var err error
			if kr, err = keyring.Open(ctx, cfg.RootKey, cfg.DataDir); err != nil {
				return cfg, fmt.Errorf("open root key to read secret %s: %w", name, err)
			}
			defer kr.Close()
		}
		value, err := secretstore.Open(cfg.DataDir, kr).Get(ctx, name)
		if err != nil {
			return cfg, fmt.Errorf("%s %s%s: %w", flagName, secretScheme, name, err)
		}
		*v = string(value)
	}
	return cfg, nil
}
