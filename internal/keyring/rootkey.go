package keyring

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"gocloud.dev/secrets"
	"gocloud.dev/secrets/localsecrets"
)

// RootKeyFile is the name of the embedded root key file in the data directory.
const RootKeyFile = "root.key"

const rootKeySize = 32 // localsecrets (NaCl secretbox) key size

// localRootKeyID names a local root key by where it is.
func localRootKeyID(rootKeyURL, dataDir string) string {
	if rootKeyURL == "" || strings.EqualFold(rootKeyURL, localsecrets.Scheme+"://") {
		return localsecrets.Scheme + "://" + filepath.Join(dataDir, RootKeyFile)
	}
	if u, err := url.Parse(rootKeyURL); err == nil && u.Scheme == "file" {
		return "file://" + u.Path
	}
	if u, err := url.Parse(rootKeyURL); err == nil {
		return u.Scheme + "://"
	}
	return "unknown"
}

// openKeeper turns rootKeyURL into a keeper; see Open for the URL forms. Its errors never quote
// rootKeyURL: a mistaken one (a key pasted in place of a URL) may be the secret itself.
func openKeeper(ctx context.Context, rootKeyURL, dataDir string) (*secrets.Keeper, error) {
	lower := strings.ToLower(rootKeyURL)
	switch {
	case rootKeyURL == "" || lower == localsecrets.Scheme+"://":
		if dataDir == "" {
			return nil, errors.New("open root key: the embedded root key (base64key://) needs a data directory")
		}
		key, err := loadOrCreateKeyFile(filepath.Join(dataDir, RootKeyFile))
		if err != nil {
			return nil, fmt.Errorf("open root key: %w", err)
		}
		defer clear(key[:])
		return localsecrets.NewKeeper(key), nil
	case strings.HasPrefix(lower, localsecrets.Scheme+":"):
		return nil, errors.New("open root key: a base64key:// URL with key material is refused: " +
			"a secret must never travel in a flag or an environment variable; " +
			"put the key in a file (mode 0600) and use file:///path/to/root.key, " +
			"or base64key:// alone for <data-dir>/" + RootKeyFile)
	}

	u, err := url.Parse(rootKeyURL)
	if err != nil {
		return nil, errors.New("open root key: the root key URL does not parse (not shown, as it may hold a secret)")
	}
	switch u.Scheme {
	case "":
		return nil, errors.New("open root key: the root key URL has no scheme (not shown, as it may hold a secret); " +
			"use base64key://, file:///path/to/root.key or a KMS URL such as awskms:///alias/name")
	case "file":
		if u.Host != "" && u.Host != "localhost" || u.Opaque != "" || !strings.HasPrefix(u.Path, "/") {
			return nil, errors.New("open root key: a file URL needs an absolute path: file:///path/to/root.key")
		}
		if u.RawQuery != "" || u.Fragment != "" {
			return nil, fmt.Errorf("open root key file %s: a file URL takes no query or fragment", u.Path)
		}
		key, err := readKeyFile(filepath.FromSlash(u.Path))
		if err != nil {
			return nil, fmt.Errorf("open root key: %w", err)
		}
		defer clear(key[:])
		return localsecrets.NewKeeper(key), nil
	}
	mux := secrets.DefaultURLMux()
	if !mux.ValidKeeperScheme(u.Scheme) {
		return nil, fmt.Errorf("open root key: unknown root key URL scheme %q: use base64key://, file:// "+
			"or a KMS scheme whose driver the binary imports", u.Scheme)
	}
	keeper, err := mux.OpenKeeperURL(ctx, u)
	if err != nil {
		return nil, fmt.Errorf("open root key %s://: %w", u.Scheme, err)
	}
	return keeper, nil
}

// loadOrCreateKeyFile reads the key file at path, or, if there is none, generates one. Two
// processes racing here both end up with the winner's key: the file appears only complete, by
// os.Link of a fully written and synced temporary file, and Link never replaces an existing file.
func loadOrCreateKeyFile(path string) ([rootKeySize]byte, error) {
	key, err := readKeyFile(path)
	if !errors.Is(err, fs.ErrNotExist) {
		return key, err
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return key, fmt.Errorf("create root key file: %w", err)
	}

	rand.Read(key[:]) // never fails: crypto/rand.Read aborts the program rather than return an error
	text := base64.StdEncoding.AppendEncode(nil, key[:])
	text = append(text, '\n')
	defer clear(text)

	tmp, err := os.CreateTemp(dir, "."+RootKeyFile+".tmp-*") // mode 0600
	if err != nil {
		return key, fmt.Errorf("create root key file: %w", err)
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.Write(text)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return key, fmt.Errorf("create root key file: %w", err)
	}

	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			clear(key[:])
			return readKeyFile(path) // another process won the race: use its key
		}
		return key, fmt.Errorf("create root key file: %w", err)
	}
	if err := syncDir(dir); err != nil {
		return key, fmt.Errorf("create root key file: %w", err)
	}
	return key, nil
}

// readKeyFile reads a root key file: the base64 standard encoding of 32 bytes, surrounding
// white space ignored. The file must be a regular file that group and others cannot access.
// Errors name the file, never its content.
func readKeyFile(path string) ([rootKeySize]byte, error) {
	var key [rootKeySize]byte
	f, err := os.Open(path)
	if err != nil {
		return key, fmt.Errorf("read root key file: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return key, fmt.Errorf("read root key file: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return key, fmt.Errorf("read root key file %s: not a regular file (mode %s)", path, fi.Mode())
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 && runtime.GOOS != "windows" {
		return key, fmt.Errorf("read root key file %s: mode %04o is refused: group and others must have no access (chmod 600 %s)", path, perm, path)
	}
	text, err := io.ReadAll(io.LimitReader(f, 1024))
	if err != nil {
		return key, fmt.Errorf("read root key file %s: %w", path, err)
	}
	defer clear(text)
	text = bytes.TrimSpace(text)
	raw := make([]byte, base64.StdEncoding.DecodedLen(len(text)))
	defer clear(raw)
	n, err := base64.StdEncoding.Decode(raw, text)
	if err != nil || n != rootKeySize {
		return key, fmt.Errorf("read root key file %s: content is not the base64 (standard encoding) of %d bytes", path, rootKeySize)
	}
	copy(key[:], raw)
	return key, nil
}

// syncDir makes a new directory entry in dir durable. On systems where directories cannot be
// synced (Windows), it does nothing.
func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}
