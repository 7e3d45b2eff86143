package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/keyring"
	"github.com/wellbase/wellbase/internal/tenancy"
)

// The root key moves from the embedded key file to a new one; data keys keep opening files.
func TestKeysRotateRoot(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	app, err := openApp(ctx, Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"acme", "globex"} {
		if _, err := app.Onboarder.Onboard(ctx, tenancy.Request{ID: id, Name: id, AdminEmail: "a@" + id + ".example"}, nil); err != nil {
			t.Fatal(err)
		}
	}
	_, acmeKey, err := app.DataKeys.Current(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	sealed, _ := acmeKey.Seal([]byte("sealed before rotation"), nil)
	app.close()

	newDir := t.TempDir()
	nk, err := keyring.Open(ctx, "base64key://", newDir) // makes newDir/root.key
	if err != nil {
		t.Fatal(err)
	}
	nk.Close()
	newURL := "file://" + filepath.ToSlash(filepath.Join(newDir, "root.key"))
	rotate := func() tenancy.RootRotation {
		t.Helper()
		var out, errb bytes.Buffer
		if err := run(ctx, []string{"keys", "rotate-root", "--data-dir", dir, "--root-key", newURL, "--from", "base64key://"}, &out, &errb); err != nil {
			t.Fatalf("keys rotate-root: %v: %s", err, errb.String())
		}
		var rep tenancy.RootRotation
		if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
			t.Fatalf("report %q: %v", out.String(), err)
		}
		return rep
	}
	if rep := rotate(); rep.Tenants != 2 || rep.Rewrapped != 2 || rep.AlreadyCurrent != 0 {
		t.Errorf("first rotation %+v", rep)
	}
	// Run again (as after an interruption): nothing left to move.
	if rep := rotate(); rep.Rewrapped != 0 || rep.AlreadyCurrent != 2 {
		t.Errorf("second rotation %+v", rep)
	}

	app, err = openApp(ctx, Config{DataDir: dir, RootKey: newURL})
	if err != nil {
		t.Fatal(err)
	}
	defer app.close()
	_, dk, err := app.DataKeys.Current(ctx, "acme")
	if err != nil {
		t.Fatalf("acme's data key under the new root key: %v", err)
	}
	if plain, err := dk.Open(sealed, nil); err != nil || string(plain) != "sealed before rotation" {
		t.Errorf("the data key changed in the rotation: %v", err)
	}
	old, _ := keyring.Open(ctx, "base64key://", dir)
	defer old.Close()
	keys, _ := app.Store.Tenant("acme").DataKeys(ctx)
	if _, err := old.UnwrapDataKey(ctx, "acme", keys[0].Wrapped); err == nil {
		t.Error("the old root key still unwraps acme's data key")
	}
	if ev, _, _ := app.Store.ListControlAudit(ctx, wellbase.Page{}); len(ev) == 0 || ev[0].Action != "keys.rotate_root" {
		t.Errorf("rotation not audited: %v", ev)
	}
}
