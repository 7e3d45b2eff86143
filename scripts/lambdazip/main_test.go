package main

import (
	"archive/zip"
	"bytes"
	"crypto/rand"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestPackReproducible: the same bootstrap packed at different times, from files with different
// times and modes, gives the same bytes; the zip holds one executable entry "bootstrap" with
// the binary's exact content.
func TestPackReproducible(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	bin := make([]byte, 300<<10)
	rand.Read(bin[:100<<10]) // part incompressible, part zeros
	a, b := filepath.Join(dir, "a", "bootstrap"), filepath.Join(dir, "b", "bootstrap")
	for i, p := range []string{a, b} {
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, bin, os.FileMode(0o700+i*0o055)); err != nil {
			t.Fatal(err)
		}
		os.Chtimes(p, time.Now(), time.Now().Add(-time.Duration(i)*time.Hour))
	}
	za, zb := filepath.Join(dir, "a.zip"), filepath.Join(dir, "b.zip")
	if err := pack(za, a); err != nil {
		t.Fatal(err)
	}
	if err := pack(zb, b); err != nil {
		t.Fatal(err)
	}
	x, _ := os.ReadFile(za)
	y, _ := os.ReadFile(zb)
	if !bytes.Equal(x, y) {
		t.Fatal("two packs of the same bootstrap differ")
	}
	r, err := zip.NewReader(bytes.NewReader(x), int64(len(x)))
	if err != nil {
		t.Fatal(err)
	}
	if len(r.File) != 1 || r.File[0].Name != "bootstrap" {
		t.Fatalf("entries %v", r.File)
	}
	f := r.File[0]
	if f.Mode().Perm() != 0o755 || !f.Mode().IsRegular() || !f.Modified.Equal(epoch) {
		t.Errorf("bootstrap entry: mode %v, modified %v", f.Mode(), f.Modified)
	}
	rc, _ := f.Open()
	got, _ := io.ReadAll(rc)
	if !bytes.Equal(got, bin) {
		t.Error("the entry's content differs from the bootstrap")
	}
	if len(x) >= len(bin) {
		t.Errorf("zip of %d bytes for a %d-byte binary: not compressed", len(x), len(bin))
	}
	if err := pack(filepath.Join(dir, "c.zip"), filepath.Join(dir, "missing")); err == nil {
		t.Error("a missing bootstrap packed")
	}
}
