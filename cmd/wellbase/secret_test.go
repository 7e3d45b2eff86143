package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
}
