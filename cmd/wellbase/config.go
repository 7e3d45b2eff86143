package main

import (
	"flag"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/wellbase/wellbase"
)

// Config is where Wellbase finds its dependencies. Every dependency is a URL; each comes from a
// flag, else a WELLBASE_* environment variable, else the embedded default under the data dir.
// None of these values may carry a secret: secrets are read from the secret store.
type Config struct {
	DataDir  string
	Addr     string
	Database string
	Files    string
	RootKey  string
	// Secrets is the secret store: file:///<dir> (default: the data dir) or
	// awsparamstore:///<prefix>?region=… (see secretref.go).
	Secrets  string
	LogLevel string

	// databaseDefaulted: no --database was given; a "database-url" secret then takes the
	// place of the embedded default (resolveSecretRefs).
	databaseDefaulted bool
	// databaseSecret names the secret the database URL was read from ("" if none): the URL is
	// then never shown, not even redacted.
	databaseSecret string
}

// bind registers the flags of the store-opening commands on fs, with environment fallbacks.
func (c *Config) bind(fs *flag.FlagSet, withAddr bool) {
	fs.StringVar(&c.DataDir, "data-dir", env("WELLBASE_DATA_DIR", "./wellbase-data"), "folder for the embedded database, files and root key (env WELLBASE_DATA_DIR)")
	if withAddr {
		fs.StringVar(&c.Addr, "addr", env("WELLBASE_ADDR", ":8080"), "address to listen on (env WELLBASE_ADDR)")
	}
	fs.StringVar(&c.Database, "database", env("WELLBASE_DATABASE", ""), "database URL; default sqlite:///<data-dir>/wellbase.db (env WELLBASE_DATABASE)")
	fs.StringVar(&c.Files, "files", env("WELLBASE_FILES", ""), "file store URL; default file:///<data-dir>/files (env WELLBASE_FILES)")
	fs.StringVar(&c.RootKey, "root-key", env("WELLBASE_ROOT_KEY", ""), "root key URL; default base64key:// = <data-dir>/root.key, generated on first start (env WELLBASE_ROOT_KEY)")
	fs.StringVar(&c.Secrets, "secrets", env("WELLBASE_SECRETS", ""), "secret store URL; default file:///<data-dir> (secrets.json sealed by the root key), or awsparamstore:///<prefix>?region=…[&kms_key_id=alias/…] (env WELLBASE_SECRETS)")
	fs.StringVar(&c.LogLevel, "log-level", env("WELLBASE_LOG_LEVEL", "info"), "debug, info, warn or error (env WELLBASE_LOG_LEVEL)")
}

func env(name, def string) string {
	if v, ok := os.LookupEnv(name); ok && v != "" {
		return v
	}
	return def
}

// resolve fills in the embedded defaults and checks that no URL carries a secret.
func (c *Config) resolve() error {
	dir, err := filepath.Abs(c.DataDir)
	if err != nil {
		return fmt.Errorf("data dir %s: %w", c.DataDir, err)
	}
	c.DataDir = dir
	if c.Database == "" {
		c.databaseDefaulted = true
		c.Database = (&url.URL{Scheme: "sqlite", Path: filepath.ToSlash(filepath.Join(dir, "wellbase.db"))}).String()
	}
	if c.Files == "" {
		c.Files = (&url.URL{Scheme: "file", Path: filepath.ToSlash(filepath.Join(dir, "files"))}).String()
	}
	if c.RootKey == "" {
		c.RootKey = "base64key://"
	}
	if c.Secrets == "" || c.Secrets == "file://" {
		c.Secrets = (&url.URL{Scheme: "file", Path: filepath.ToSlash(dir)}).String()
	}
	for name, v := range map[string]string{"--database (WELLBASE_DATABASE)": c.Database, "--files (WELLBASE_FILES)": c.Files,
		"--root-key (WELLBASE_ROOT_KEY)": c.RootKey, "--secrets (WELLBASE_SECRETS)": c.Secrets} {
		if err := noSecret(name, v); err != nil {
			return err
		}
	}
	return nil
}

// noSecret refuses a URL that carries a password or key material: flags and environment
// variables are visible to other processes, shells' history and crash dumps.
func noSecret(name, raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("%s: %q is not a URL: %v", name, redact(raw), err)
	}
	if _, ok := u.User.Password(); ok {
		return fmt.Errorf("%s carries a password (%s): secrets are never passed in flags or environment variables; keep them in the secret store", name, redact(raw))
	}
	for k, vs := range u.Query() {
		if lk := strings.ToLower(k); strings.Contains(lk, "secret") || strings.Contains(lk, "password") || strings.Contains(lk, "token") {
			return fmt.Errorf("%s carries a secret parameter %q: secrets are never passed in flags or environment variables", name, k)
		}
		for _, v := range vs {
			// A URL inside a parameter (an endpoint) with a password, or credentials passed as
			// driver properties (MongoDB's authMechanismProperties=AWS_SESSION_TOKEN:…).
			if inner, err := url.Parse(v); err == nil && inner.User != nil {
				if _, ok := inner.User.Password(); ok {
					return fmt.Errorf("%s: parameter %q carries a URL with a password: secrets are never passed in flags or environment variables", name, k)
				}
			}
			if uv := strings.ToUpper(v); strings.Contains(uv, "TOKEN") || strings.Contains(uv, "SECRET") || strings.Contains(uv, "PASSWORD") {
				return fmt.Errorf("%s: parameter %q carries a credential: secrets are never passed in flags or environment variables", name, k)
			}
		}
	}
	return nil
}

// databaseName is the database as messages and logs may show it: the redacted URL, or, when it
// came from the secret store, only the secret's name (its value could be anything).
func (c *Config) databaseName() string {
	if c.databaseSecret != "" {
		return "(the URL in secret " + c.databaseSecret + ")"
	}
	return redact(c.Database)
}

// redact hides the user info of a URL for messages.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "<unparsable URL>"
	}
	return u.Redacted()
}

func (c *Config) logger() (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.LogLevel)); err != nil {
		return nil, fmt.Errorf("--log-level %q: want debug, info, warn or error", c.LogLevel)
	}
	return slog.New(wellbase.ContextLogHandler(slog.NewJSONHandler(os.Stdout, &slog.HandlerOptions{Level: level}))), nil
}
