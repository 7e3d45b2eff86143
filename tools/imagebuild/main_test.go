package main

import (
	"archive/tar"
	"bytes"
	"crypto/sha256"
	"debug/elf"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

// staticBinary builds a small static Go program for arch, as make image builds wellbase.
func staticBinary(t *testing.T, arch string) string {
	t.Helper()
	dir := t.TempDir()
	src := filepath.Join(dir, "main.go")
	if err := os.WriteFile(src, []byte("package main\n\nfunc main() { println(\"hello\") }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "hello-"+arch)
	cmd := exec.Command("go", "build", "-trimpath", "-o", bin, src)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+arch, "GOWORK=off", "GOFLAGS=")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v: %s", err, out)
	}
	return bin
}

func testSpec(t *testing.T, bin, arch string) spec {
	return spec{Binary: bin, Arch: arch, Version: "v1.2.3-4-gabcdef0", Revision: "abcdef0123",
		Source: "https://example.com/wellbase", Created: time.Unix(1767225600, 0).UTC(),
		Out: filepath.Join(t.TempDir(), "image.tar")}
}

func buildArchive(t *testing.T, s spec) (digest string, sum [32]byte) {
	t.Helper()
	img, err := build(s)
	if err != nil {
		t.Fatal(err)
	}
	if err := write(s, img); err != nil {
		t.Fatal(err)
	}
	back, err := tarball.ImageFromPath(s.Out, nil)
	if err != nil {
		t.Fatal(err)
	}
	d, err := back.Digest()
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(s.Out)
	if err != nil {
		t.Fatal(err)
	}
	return d.String(), sha256.Sum256(b)
}

// TestReproducible: two builds of the same inputs are the same bytes; a different created time
// or version is a different image.
func TestReproducible(t *testing.T) {
	bin := staticBinary(t, "amd64")
	s1, s2 := testSpec(t, bin, "amd64"), testSpec(t, bin, "amd64")
	d1, sum1 := buildArchive(t, s1)
	d2, sum2 := buildArchive(t, s2)
	if d1 != d2 || sum1 != sum2 {
		t.Errorf("same inputs, different images: %s and %s", d1, d2)
	}
	s3 := testSpec(t, bin, "amd64")
	s3.Created = s3.Created.Add(time.Second)
	if d3, _ := buildArchive(t, s3); d3 == d1 {
		t.Errorf("a different created time gave the same digest %s", d3)
	}
	s4 := testSpec(t, bin, "amd64")
	s4.Version = "v1.2.4"
	if d4, _ := buildArchive(t, s4); d4 == d1 {
		t.Errorf("a different version gave the same digest %s", d4)
	}
}

// TestImageLayout checks the config and every file of the layer: owners, modes, times.
func TestImageLayout(t *testing.T) {
	bin := staticBinary(t, "arm64")
	s := testSpec(t, bin, "arm64")
	buildArchive(t, s)
	img, err := tarball.ImageFromPath(s.Out, nil)
	if err != nil {
		t.Fatal(err)
	}
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	c := cf.Config
	for what, pair := range map[string][2]string{
		"platform":   {cf.OS + "/" + cf.Architecture + "/" + cf.Variant, "linux/arm64/v8"},
		"user":       {c.User, "65532:65532"},
		"entrypoint": {strings.Join(c.Entrypoint, " "), "/usr/local/bin/wellbase"},
		"cmd":        {strings.Join(c.Cmd, " "), "serve"},
		"workdir":    {c.WorkingDir, "/var/lib/wellbase"},
		"env":        {strings.Join(c.Env, " "), "PATH=/usr/local/bin WELLBASE_DATA_DIR=/var/lib/wellbase"},
		"created":    {cf.Created.UTC().Format(time.RFC3339), "2026-01-01T00:00:00Z"},
		"version":    {c.Labels["org.opencontainers.image.version"], s.Version},
		"revision":   {c.Labels["org.opencontainers.image.revision"], s.Revision},
		"source":     {c.Labels["org.opencontainers.image.source"], s.Source},
	} {
		if pair[0] != pair[1] {
			t.Errorf("%s %q, want %q", what, pair[0], pair[1])
		}
	}
	if _, ok := c.ExposedPorts["8080/tcp"]; !ok || len(c.ExposedPorts) != 1 {
		t.Errorf("exposed ports %v, want 8080/tcp", c.ExposedPorts)
	}

	layers, err := img.Layers()
	if err != nil || len(layers) != 1 {
		t.Fatalf("layers %d, %v; want 1", len(layers), err)
	}
	rc, err := layers[0].Uncompressed()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	type file struct {
		mode     int64
		uid, gid int
	}
	want := map[string]file{
		"etc/":                   {0o755, 0, 0},
		"etc/group":              {0o644, 0, 0},
		"etc/nsswitch.conf":      {0o644, 0, 0},
		"etc/passwd":             {0o644, 0, 0},
		"tmp/":                   {0o1777, 0, 0},
		"usr/":                   {0o755, 0, 0},
		"usr/local/":             {0o755, 0, 0},
		"usr/local/bin/":         {0o755, 0, 0},
		"usr/local/bin/wellbase": {0o755, 0, 0},
		"var/":                   {0o755, 0, 0},
		"var/lib/":               {0o755, 0, 0},
		"var/lib/wellbase/":      {0o700, 65532, 65532},
	}
	binBytes, _ := os.ReadFile(bin)
	tr := tar.NewReader(rc)
	seen := map[string]bool{}
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		seen[h.Name] = true
		w, ok := want[h.Name]
		if !ok {
			t.Errorf("unexpected file %s in the layer", h.Name)
			continue
		}
		if got := (file{h.Mode, h.Uid, h.Gid}); got != w {
			t.Errorf("%s: mode %o uid %d gid %d, want %o %d %d", h.Name, got.mode, got.uid, got.gid, w.mode, w.uid, w.gid)
		}
		if !h.ModTime.Equal(s.Created) {
			t.Errorf("%s: time %v, want %v", h.Name, h.ModTime, s.Created)
		}
		data, _ := io.ReadAll(tr)
		switch h.Name {
		case "usr/local/bin/wellbase":
			if !bytes.Equal(data, binBytes) {
				t.Errorf("the binary in the layer differs from %s", bin)
			}
		case "etc/passwd":
			if !strings.Contains(string(data), "nonroot:x:65532:65532:") {
				t.Errorf("/etc/passwd has no nonroot user: %q", data)
			}
		case "etc/group":
			if !strings.Contains(string(data), "nonroot:x:65532:") {
				t.Errorf("/etc/group has no nonroot group: %q", data)
			}
		}
	}
	for name := range want {
		if !seen[name] {
			t.Errorf("%s missing from the layer", name)
		}
	}
}

// TestRefusesBinary: a binary of another architecture, a dynamically linked one, or no ELF at
// all is refused with a message that names it.
func TestRefusesBinary(t *testing.T) {
	arm := staticBinary(t, "arm64")
	script := filepath.Join(t.TempDir(), "script.sh")
	os.WriteFile(script, []byte("#!/bin/sh\necho hi\n"), 0o755)
	cases := []struct{ name, bin, want string }{
		{"ErrArch", arm, "is built for EM_AARCH64, not EM_X86_64"},
		{"ErrNotELF", script, "not a Linux executable"},
	}
	// A dynamically linked system binary (it has an interpreter), where the machine is amd64.
	if sh, err := exec.LookPath("sh"); err == nil && runtime.GOARCH == "amd64" {
		if f, err := elf.Open(sh); err == nil {
			for _, p := range f.Progs {
				if p.Type == elf.PT_INTERP {
					cases = append(cases, struct{ name, bin, want string }{"ErrDynamic", sh, "dynamically linked"})
				}
			}
			f.Close()
		}
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := build(testSpec(t, tc.bin, "amd64"))
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), tc.bin) {
				t.Errorf("build(%s): %v, want an error naming it with %q", tc.bin, err, tc.want)
			}
		})
	}
}
