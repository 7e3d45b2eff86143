package main

import (
	"bytes"
	"context"
	"io"
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
