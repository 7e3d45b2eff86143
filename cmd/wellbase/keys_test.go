package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/keyring"
	"github.com/wellbase/wellbase/internal/tenancy"
	"github.com/wellbase/wellbase/internal/welllogs"
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
	app.Close()

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
	defer app.Close()
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

// A tenant key rotation followed by the retirement of the old version: the log and an export
// made before it stay readable, and version 1 is gone.
func TestTenantRetireKeys(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	app, err := openApp(ctx, Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer app.Close()
	if _, err := app.Onboarder.Onboard(ctx, tenancy.Request{ID: "acme", Name: "Acme", AdminEmail: "a@acme.example"}, nil); err != nil {
		t.Fatal(err)
	}
	las := "~VERSION INFORMATION\n VERS. 2.0 :\n WRAP. NO :\n~WELL INFORMATION\n NULL. -999.25 :\n WELL. RETIRE-1 :\n" +
		"~CURVE INFORMATION\n DEPT.M :\n GR.GAPI :\n~A\n1500.0 45.1\n1500.5 46.2\n"
	l, err := app.Logs.Ingest(ctx, "acme", welllogs.Upload{FileName: "r.las", Body: strings.NewReader(las)})
	if err != nil {
		t.Fatal(err)
	}
	exp, err := app.Exporter.Export(ctx, "acme", "job_retire", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tenancy.RotateTenantKey(ctx, app.Store, app.Keys, "acme", "system", app.Queue.Enqueue); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	err = run(ctx, []string{"tenant", "retire-keys", "--data-dir", dir, "acme"}, &out, &errb)
	if err == nil || !strings.Contains(err.Error(), "retire after") {
		t.Fatalf("retire-keys right after the rotation: %v", err)
	}
	out.Reset()
	if err := run(ctx, []string{"tenant", "retire-keys", "acme", "--data-dir", dir, "--min-age", "0s"}, &out, &errb); err != nil {
		t.Fatalf("retire-keys: %v: %s", err, errb.String())
	}
	var rep welllogs.Retirement
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("report %q: %v", out.String(), err)
	}
	if rep.Current != 2 || len(rep.Retired) != 1 || rep.Retired[0] != "acme/data-key/v1" || rep.Reencryption.Logs != 1 || rep.Other != 1 {
		t.Errorf("retirement %+v (reencryption %+v)", rep, rep.Reencryption)
	}
	keys, _ := app.Store.Tenant("acme").DataKeys(ctx)
	if len(keys) != 1 || keys[0].Version != 2 {
		t.Fatalf("data keys after retirement: %+v", keys)
	}
	// The log reads (a fresh process would hold no cached key: the store has only v2).
	l, err = app.Store.Tenant("acme").GetLog(ctx, l.ID)
	if err != nil || l.KeyVersion != 2 {
		t.Fatalf("log after retirement: %+v %v", l, err)
	}
	r, err := app.Logs.Original(ctx, l)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(r)
	r.Close()
	if string(b) != las {
		t.Errorf("original after retirement: %q", b)
	}
	_, dk, _ := app.DataKeys.Current(ctx, "acme")
	if obj, err := app.Files.OpenAt(ctx, "acme", exp.Archive, dk); err != nil {
		t.Errorf("export archive after retirement: %v", err)
	} else {
		obj.Close()
	}
	if _, err := app.DataKeys.Version(ctx, "acme", 1); wellbase.ErrorCode(err) != wellbase.ENotFound {
		t.Errorf("version 1 still available: %v", err)
	}
}
