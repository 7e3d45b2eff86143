package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wellbase/wellbase/internal/ssmtest"
	"github.com/wellbase/wellbase/internal/testservers"
)

func TestSecretCommand(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	run := func(stdin string, args ...string) (string, error) {
		var out bytes.Buffer
		err := secretCommand(ctx, append(args, "--data-dir", dir), strings.NewReader(stdin), &out, io.Discard)
		return out.String(), err
	}
	if _, err := run("mongodb://app:hunter2@db.example/wellbase\n", "put", "database-url"); err != nil {
		t.Fatal(err)
	}
	out, err := run("", "get", "database-url")
	if err != nil || strings.Contains(out, "hunter2") || !strings.Contains(out, "is set") {
		t.Errorf("get without --reveal printed %q (%v)", out, err)
	}
	out, err = run("", "get", "--reveal", "database-url")
	if err != nil || out != "mongodb://app:hunter2@db.example/wellbase\n" {
		t.Errorf("get --reveal printed %q (%v)", out, err)
	}
	if out, err = run("", "list"); err != nil || !strings.HasPrefix(out, "database-url\t41 bytes") {
		t.Errorf("list printed %q (%v)", out, err)
	}
	if _, err := run("", "delete", "database-url"); err != nil {
		t.Fatal(err)
	}
	if _, err := run("", "get", "database-url"); err == nil {
		t.Error("get of a deleted secret succeeded")
	}
	if _, err := run("", "put", "empty"); err == nil {
		t.Error("put of an empty value succeeded")
	}
	if _, err := run("x", "put", "a", "b"); err == nil {
		t.Error("put with the value as an argument succeeded")
	}
}

// TestSecretReference: --database secret://NAME takes the database URL from the secret store;
// the flag carries only the name, and a missing secret stops the start with a clear error.
func TestSecretReference(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	other := "sqlite://" + filepath.ToSlash(filepath.Join(dir, "from-secret.db"))
	if err := secretCommand(ctx, []string{"put", "database-url", "--data-dir", dir}, strings.NewReader(other), io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := run(ctx, []string{"operator", "create", "--data-dir", dir, "--database", "secret://database-url", "--email", "o@example.com"}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "from-secret.db")); err != nil {
		t.Errorf("the database named by the secret was not used: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "wellbase.db")); err == nil {
		t.Error("the default database was used despite --database secret://database-url")
	}
	err := run(ctx, []string{"operator", "create", "--data-dir", dir, "--database", "secret://nope", "--email", "o@example.com"}, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "secret nope is not set") {
		t.Errorf("missing secret: %v", err)
	}
	// Without --database, the database-url secret is the database: --secrets is all a process needs.
	if err := run(ctx, []string{"operator", "create", "--data-dir", dir, "--email", "p@example.com"}, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "wellbase.db")); err == nil {
		t.Error("the default database was used although the secret store has database-url")
	}
	// A database URL from the secret store that does not open is never echoed.
	bad := t.TempDir()
	if err := secretCommand(ctx, []string{"put", "database-url", "--data-dir", bad}, strings.NewReader("mongodb://h:1/db?connectTimeoutMS=x-Sup3rS3cret"), io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	err = run(ctx, []string{"operator", "create", "--data-dir", bad, "--email", "q@example.com"}, io.Discard, io.Discard)
	if err == nil || strings.Contains(err.Error(), "Sup3rS3cret") || !strings.Contains(err.Error(), "secret database-url") {
		t.Errorf("a bad database URL from the secret store: %v", err)
	}
}

// TestSecretCommandParameterStore: --secrets awsparamstore:///… puts the same commands and the
// secret:// references on SSM Parameter Store (the ssmtest server over the real KMS emulator).
func TestSecretCommandParameterStore(t *testing.T) {
	kmsEndpoint, alias := testservers.KMS(t)
	testservers.UseTestCredentials(t)
	endpoint, srv := ssmtest.Start(t, kmsEndpoint)
	ctx := context.Background()
	dir := t.TempDir()
	secrets := "awsparamstore:///wellbase/cli?region=us-east-1&endpoint=" + endpoint + "&kms_key_id=" + alias
	run := func(stdin string, args ...string) (string, error) {
		var out bytes.Buffer
		err := secretCommand(ctx, append(args, "--data-dir", dir), strings.NewReader(stdin), &out, io.Discard)
		return out.String(), err
	}
	dbURL := "sqlite://" + filepath.ToSlash(filepath.Join(dir, "from-ssm.db"))
	if _, err := run(dbURL+"\n", "put", "database-url", "--secrets", secrets); err != nil {
		t.Fatal(err)
	}
	p, ok := srv.Stored("/wellbase/cli/database-url")
	if !ok || p.Type != "SecureString" || bytes.Contains(p.Ciphertext, []byte("from-ssm")) {
		t.Fatalf("parameter stored as %+v", p)
	}
	if _, err := os.Stat(filepath.Join(dir, "secrets.json")); err == nil {
		t.Error("the local secret store was written despite --secrets awsparamstore://")
	}
	out, err := run("", "get", "database-url", "--secrets", secrets)
	if err != nil || strings.Contains(out, "from-ssm") || !strings.HasPrefix(out, fmt.Sprintf("database-url is set (%d bytes, updated 20", len(dbURL))) {
		t.Errorf("get without --reveal printed %q (%v)", out, err)
	}
	if out, err = run("", "get", "--reveal", "database-url", "--secrets", secrets); err != nil || out != dbURL+"\n" {
		t.Errorf("get --reveal printed %q (%v)", out, err)
	}
	// WELLBASE_SECRETS stands for the flag.
	t.Setenv("WELLBASE_SECRETS", secrets)
	if out, err = run("", "list"); err != nil || !strings.HasPrefix(out, "database-url\tsize not listed\tupdated 20") || strings.Count(out, "\n") != 1 {
		t.Errorf("list printed %q (%v)", out, err)
	}
	if err := runQuiet(ctx, "operator", "create", "--data-dir", dir, "--database", "secret://database-url", "--email", "o@example.com"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "from-ssm.db")); err != nil {
		t.Errorf("the database named by the parameter was not used: %v", err)
	}
	if _, err := run("", "delete", "database-url"); err != nil {
		t.Fatal(err)
	}
	err = runQuiet(ctx, "operator", "create", "--data-dir", dir, "--database", "secret://database-url", "--email", "o@example.com")
	if err == nil || !strings.Contains(err.Error(), "secret database-url is not set") {
		t.Errorf("deleted secret: %v", err)
	}
	t.Setenv("WELLBASE_SECRETS", "")
	for _, bad := range []string{"awsparamstore://admin:hunter2@/wellbase?region=us-east-1", "awsparamstore:///wellbase?region=us-east-1&secret_access_key=hunter2", "vault:///x"} {
		if _, err := run("", "list", "--secrets", bad); err == nil || strings.Contains(err.Error(), "hunter2") {
			t.Errorf("--secrets %s: %v", bad, err)
		}
	}
}

// runQuiet runs the wellbase command line, discarding its output.
func runQuiet(ctx context.Context, args ...string) error {
	return run(ctx, args, io.Discard, io.Discard)
}

// TestOperatorTokenSecret: operator create --token-secret writes the token to the secret store
// and prints nothing on stdout; the stored token authenticates as an operator.
func TestOperatorTokenSecret(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	var stdout, stderr bytes.Buffer
	if err := run(ctx, []string{"operator", "create", "--data-dir", dir, "--email", "ops@example.com", "--token-secret", "bootstrap/operator-token"}, &stdout, &stderr); err != nil {
		t.Fatalf("operator create: %v: %s", err, stderr.String())
	}
	if stdout.Len() != 0 || strings.Contains(stderr.String(), "wbo_") {
		t.Fatalf("the token was printed: stdout %q, stderr %q", stdout.String(), stderr.String())
	}
	if !strings.Contains(stderr.String(), "secret bootstrap/operator-token") {
		t.Errorf("stderr does not say where the token is: %q", stderr.String())
	}
	var got bytes.Buffer
	if err := secretCommand(ctx, []string{"get", "bootstrap/operator-token", "--reveal", "--data-dir", dir}, strings.NewReader(""), &got, io.Discard); err != nil {
		t.Fatal(err)
	}
	token := strings.TrimSpace(got.String())
	if !strings.HasPrefix(token, "wbo_") {
		t.Fatalf("stored token %q", token)
	}

	// The stored token is a working operator credential.
	m := &Main{Config: Config{DataDir: dir, Addr: "127.0.0.1:0", LogLevel: "error"}}
	if err := m.Open(ctx); err != nil {
		t.Fatal(err)
	}
	go m.Serve()
	defer m.Close(ctx)
	req, _ := http.NewRequest("GET", "http://"+m.Addr()+"/api/v1/tenants", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("GET /api/v1/tenants with the stored token: %d", res.StatusCode)
	}

	// An invalid name is refused before any operator is made.
	err = run(ctx, []string{"operator", "create", "--data-dir", dir, "--email", "x@example.com", "--token-secret", "Bad Name"}, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "--token-secret") {
		t.Errorf("invalid --token-secret: %v", err)
	}
}
