package app

import (
	"flag"
	"fmt"
	"io"
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
	// JobFunction is where jobs of the Lambda types (LambdaJobTypes) are sent as soon as they
	// are queued: awslambda:///<function-name-or-arn>?region=…[&endpoint=…]; empty: nowhere
	// (the workers, or the Lambda's scheduled drain, find them in the queue). serve only.
	JobFunction string
	// MetricsNamespace, if set, turns on job and queue metrics in CloudWatch's Embedded Metric
	// Format on stdout, in that namespace (e.g. Wellbase/prod).
	MetricsNamespace string

	// databaseDefaulted: no --database was given; a "database-url" secret then takes the
	// place of the embedded default (ResolveSecretRefs).
	databaseDefaulted bool
	// databaseSecret names the secret the database URL was read from ("" if none): the URL is
	// then never shown, not even redacted.
	databaseSecret string
}

// Flag selects flags for BindFlags. --data-dir is always bound.
type Flag uint

// The flags of Config's fields, for BindFlags.
const (
	FlagAddr Flag = 1 << iota
	FlagDatabase
	FlagFiles
	FlagRootKey
	FlagSecrets
	FlagLogLevel
)

// StoreFlags are the flags of the commands that open the stores (App.Open): the database, the
// file store, the root key and the secret store that may hold the database URL.
const StoreFlags = FlagDatabase | FlagFiles | FlagRootKey | FlagSecrets

// Bind registers the flags of the commands that open the stores and log (serve, worker), with
// environment fallbacks; withAddr adds --addr (serve).
func (c *Config) Bind(fs *flag.FlagSet, withAddr bool) {
	which := StoreFlags | FlagLogLevel
	if withAddr {
		which |= FlagAddr
	}
	c.BindFlags(fs, which)
}

// BindFlags registers --data-dir and the flags which selects on fs, each defaulting to its
// WELLBASE_* environment variable, so that a command lists only the flags it uses. A field
// whose flag is not bound is left empty: Resolve gives it its embedded default.
func (c *Config) BindFlags(fs *flag.FlagSet, which Flag) {
	fs.StringVar(&c.DataDir, "data-dir", Env("WELLBASE_DATA_DIR", "./wellbase-data"), "folder for the embedded database, files and root key (env WELLBASE_DATA_DIR)")
	if which&FlagAddr != 0 {
		fs.StringVar(&c.Addr, "addr", Env("WELLBASE_ADDR", ":8080"), "address to listen on (env WELLBASE_ADDR)")
	}
	if which&FlagDatabase != 0 {
		fs.StringVar(&c.Database, "database", Env("WELLBASE_DATABASE", ""), "database URL, or secret://NAME; default: the secret database-url if the secret store has it, else sqlite:///<data-dir>/wellbase.db (env WELLBASE_DATABASE)")
	}
	if which&FlagFiles != 0 {
		fs.StringVar(&c.Files, "files", Env("WELLBASE_FILES", ""), "file store URL; default file:///<data-dir>/files (env WELLBASE_FILES)")
	}
	if which&FlagRootKey != 0 {
		fs.StringVar(&c.RootKey, "root-key", Env("WELLBASE_ROOT_KEY", ""), "root key URL; default base64key:// = <data-dir>/root.key, generated on first start (env WELLBASE_ROOT_KEY)")
	}
	if which&FlagSecrets != 0 {
		fs.StringVar(&c.Secrets, "secrets", Env("WELLBASE_SECRETS", ""), "secret store URL; default file:///<data-dir> (secrets.json sealed by the root key), or awsparamstore:///<prefix>?region=…[&kms_key_id=alias/…] (env WELLBASE_SECRETS)")
	}
	if which&FlagLogLevel != 0 {
		fs.StringVar(&c.LogLevel, "log-level", Env("WELLBASE_LOG_LEVEL", "info"), "debug, info, warn or error (env WELLBASE_LOG_LEVEL)")
	}
}

// BindJobs registers the flags of the commands that run or queue jobs: --metrics-namespace
// (serve, worker) and, with jobFunction, --job-function (serve).
func (c *Config) BindJobs(fs *flag.FlagSet, jobFunction bool) {
	fs.StringVar(&c.MetricsNamespace, "metrics-namespace", Env("WELLBASE_METRICS_NAMESPACE", ""),
		"CloudWatch namespace of job and queue metrics in Embedded Metric Format on stdout, e.g. Wellbase/prod; empty: none (env WELLBASE_METRICS_NAMESPACE)")
	if jobFunction {
		fs.StringVar(&c.JobFunction, "job-function", Env("WELLBASE_JOB_FUNCTION", ""),
			"send queued jobs of the Lambda types ("+strings.Join(LambdaJobTypes, ", ")+") to this function at once: awslambda:///<function-name-or-arn>?region=…; empty: none (env WELLBASE_JOB_FUNCTION)")
	}
}

// FromEnv returns the configuration the WELLBASE_* environment variables give (what Bind's and
// BindJobs' flags default to), for the Lambda function, which has no command line.
func FromEnv() Config {
	var c Config
	fs := flag.NewFlagSet("env", flag.ContinueOnError)
	c.Bind(fs, false)
	c.BindJobs(fs, true)
	return c
}

// Env returns the environment variable name, or def if it is unset or empty.
func Env(name, def string) string {
	if v, ok := os.LookupEnv(name); ok && v != "" {
		return v
	}
	return def
}

// Resolve fills in the embedded defaults and checks that no URL carries a secret.
func (c *Config) Resolve() error {
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
		"--root-key (WELLBASE_ROOT_KEY)": c.RootKey, "--secrets (WELLBASE_SECRETS)": c.Secrets, "--job-function (WELLBASE_JOB_FUNCTION)": c.JobFunction} {
		if err := NoSecret(name, v); err != nil {
			return err
		}
	}
	return nil
}

// DatabaseDefaulted reports whether no database was configured: Resolve then chose the
// embedded default, which the secret database-url replaces if the secret store has it.
func (c *Config) DatabaseDefaulted() bool { return c.databaseDefaulted }

// NoSecret refuses a URL that carries a password or key material: flags and environment
// variables are visible to other processes, shells' history and crash dumps. name names the
// flag and its variable in the error.
func NoSecret(name, raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("%s: %q is not a URL: %v", name, Redact(raw), err)
	}
	if _, ok := u.User.Password(); ok {
		return fmt.Errorf("%s carries a password (%s): secrets are never passed in flags or environment variables; keep them in the secret store", name, Redact(raw))
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

// DatabaseName is the database as messages and logs may show it: the redacted URL, or, when it
// came from the secret store, only the secret's name (its value could be anything).
func (c *Config) DatabaseName() string {
	if c.databaseSecret != "" {
		return "(the URL in secret " + c.databaseSecret + ")"
	}
	return Redact(c.Database)
}

// Redact hides the user info of a URL for messages.
func Redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "<unparsable URL>"
	}
	return u.Redacted()
}

// Logger returns the JSON logger of c.LogLevel on w (os.Stdout in production: CloudWatch Logs
// reads it through awslogs or Lambda), with the tenant and request IDs of each context.
func (c *Config) Logger(w io.Writer) (*slog.Logger, error) {
	level := c.LogLevel
	if level == "" {
		level = "info"
	}
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("--log-level (WELLBASE_LOG_LEVEL) %q: want debug, info, warn or error", c.LogLevel)
	}
	return slog.New(wellbase.ContextLogHandler(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: l}))), nil
}
