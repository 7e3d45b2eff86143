// Command localkms runs local-kms (github.com/nsmithuk/local-kms, a KMS API emulator) on
// 127.0.0.1 only.
//
// Upstream's binary listens on ":$PORT", i.e. on every interface of the machine, and has no
// option to change that. Its request handler (src.HandleRequest) and its database (src/data)
// are exported, though, so this launcher serves that same handler on a loopback listener.
// Upstream's seeding function is unexported, so seed() below is a port of it (new seed
// format only) that fails loudly instead of skipping a bad seed file.
//
// Configuration is upstream's environment, so it is a drop-in replacement:
//
//	PORT            TCP port on 127.0.0.1 (default 8080)
//	KMS_REGION      region in ARNs (default eu-west-2)
//	KMS_ACCOUNT_ID  account in ARNs (default 111122223333)
//	KMS_DATA_PATH   LevelDB folder (default /tmp/local-kms)
//	KMS_SEED_PATH   optional seed YAML (keys and aliases), imported before listening
package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"syscall"
	"time"

	kms "github.com/nsmithuk/local-kms/src"
	"github.com/nsmithuk/local-kms/src/cmk"
	"github.com/nsmithuk/local-kms/src/config"
	"github.com/nsmithuk/local-kms/src/data"
	"github.com/syndtr/goleveldb/leveldb"
	"gopkg.in/yaml.v2"
)

func main() {
	log.SetPrefix("localkms: ")
	if err := run(); err != nil {
		log.Fatal(err)
	}
}

func getenv(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func run() error {
	port := getenv("PORT", "8080")
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return fmt.Errorf("PORT=%q is not a TCP port", port)
	}
	config.AWSRegion = getenv("KMS_REGION", "eu-west-2")
	config.AWSAccountId = getenv("KMS_ACCOUNT_ID", "111122223333")
	dbPath, err := filepath.Abs(getenv("KMS_DATA_PATH", "/tmp/local-kms"))
	if err != nil {
		return err
	}
	config.DatabasePath = dbPath

	db := data.NewDatabase(dbPath) // panics if the LevelDB folder cannot be opened
	defer db.Close()
	if path := os.Getenv("KMS_SEED_PATH"); path != "" {
		if err := seed(path, db); err != nil {
			return fmt.Errorf("seed %s: %w", path, err)
		}
	}

	// The point of this command: loopback only, never ":"+port.
	ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", port))
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { kms.HandleRequest(w, r, db) }),
		ReadHeaderTimeout: 10 * time.Second,
	}
	log.Printf("local-kms %s serving on http://%s (region %s, data %s)", upstreamVersion(), ln.Addr(), config.AWSRegion, dbPath)

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return srv.Shutdown(shutdown) // then the deferred db.Close flushes LevelDB
	}
}

// seed imports the keys and aliases of a local-kms seed file (the documented format:
// Keys.Symmetric.{Aes,Hmac}, Keys.Asymmetric.{Rsa,Ecc}, Aliases), skipping ones that exist.
func seed(path string, db *data.Database) error {
	raw, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var in struct {
		Keys struct {
			Symmetric struct {
				Aes  []cmk.AesKey  `yaml:"Aes"`
				Hmac []cmk.HmacKey `yaml:"Hmac"`
			} `yaml:"Symmetric"`
			Asymmetric struct {
				Rsa []cmk.RsaKey `yaml:"Rsa"`
				Ecc []cmk.EccKey `yaml:"Ecc"`
			} `yaml:"Asymmetric"`
		} `yaml:"Keys"`
		Aliases []data.Alias `yaml:"Aliases"`
	}
	// Key metadata (ARNs) is derived from config while unmarshalling: config is set already.
	if err := yaml.UnmarshalStrict(raw, &in); err != nil {
		return err
	}
	var keys []cmk.Key
	for i := range in.Keys.Symmetric.Aes {
		keys = append(keys, &in.Keys.Symmetric.Aes[i])
	}
	for i := range in.Keys.Symmetric.Hmac {
		keys = append(keys, &in.Keys.Symmetric.Hmac[i])
	}
	for i := range in.Keys.Asymmetric.Rsa {
		keys = append(keys, &in.Keys.Asymmetric.Rsa[i])
	}
	for i := range in.Keys.Asymmetric.Ecc {
		keys = append(keys, &in.Keys.Asymmetric.Ecc[i])
	}
	for _, k := range keys {
		md := k.GetMetadata()
		notFound := data.KeyNotFoundError // a nil *keyNotFoundError, the target type for errors.As
		if _, err := db.LoadKey(md.Arn); !errors.As(err, &notFound) {
			continue // already there (a reused KMS_DATA_PATH)
		}
		if err := db.SaveKey(k); err != nil {
			return fmt.Errorf("key %s: %w", md.KeyId, err)
		}
	}
	for i := range in.Aliases {
		a := &in.Aliases[i]
		a.AliasArn = config.ArnPrefix() + a.AliasName
		if _, err := db.LoadAlias(a.AliasArn); err != leveldb.ErrNotFound {
			continue
		}
		if err := db.SaveAlias(a); err != nil {
			return fmt.Errorf("alias %s: %w", a.AliasName, err)
		}
	}
	log.Printf("seeded %d keys and %d aliases from %s", len(keys), len(in.Aliases), path)
	return nil
}

func upstreamVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, m := range bi.Deps {
			if m.Path == "github.com/nsmithuk/local-kms" {
				return m.Version
			}
		}
	}
	return "(unknown version)"
}
