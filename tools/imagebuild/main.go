// Command imagebuild writes Wellbase's container image as an archive that `podman load` and
// `docker load` accept (the `docker save` layout), without a daemon and without a base image: one
// layer on an empty base, every byte fixed by its inputs, so the same binary and flags give the
// same image digest. `make image` runs it through scripts/image.
//
//	imagebuild build --binary FILE --arch amd64|arm64 --version V --revision SHA --source URL \
//	                 --created UNIX-SECONDS --out FILE.tar
//	imagebuild inspect FILE.tar
//
// build prints key=value lines (archive, manifest, config, sizes); inspect reads an archive back
// and prints the same lines, so a second build can be compared with the first.
//
// # The image
//
// One layer (uid:gid, mode):
//
//	/usr/local/bin/wellbase    0:0 0755      the static binary given by --binary
//	/etc/passwd, /etc/group    0:0 0644      root and nonroot (65532)
//	/etc/nsswitch.conf         0:0 0644      hosts: files dns (Go's resolver reads /etc/hosts first)
//	/tmp                       0:0 1777      os.TempDir
//	/var/lib/wellbase          65532:65532 0700  the data folder: WELLBASE_DATA_DIR and the working dir
//
// Config: user 65532:65532, entrypoint [/usr/local/bin/wellbase], cmd [serve], port 8080/tcp,
// env PATH and WELLBASE_DATA_DIR, stop signal SIGTERM, the OCI labels source, revision, version,
// title and created, and a created time of --created (the commit time) on the config, the
// history and every file. No HEALTHCHECK: ECS takes its health check from the task definition
// (["CMD", "/usr/local/bin/wellbase", "healthcheck"]), and podman without systemd cannot run one.
//
// This is its own module so that go-containerregistry stays out of Wellbase's go.mod.
package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"debug/elf"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

const (
	binPath  = "/usr/local/bin/wellbase"
	dataDir  = "/var/lib/wellbase"
	uid, gid = 65532, 65532
	port     = "8080/tcp"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "imagebuild:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return errors.New("usage: imagebuild build|inspect ... (see the package comment)")
	}
	switch args[0] {
	case "build":
		return buildCommand(args[1:], stdout)
	case "inspect":
		if len(args) != 2 {
			return errors.New("usage: imagebuild inspect FILE.tar")
		}
		img, err := tarball.ImageFromPath(args[1], nil)
		if err != nil {
			return fmt.Errorf("read %s: %w", args[1], err)
		}
		return describe(stdout, args[1], img)
	}
	return fmt.Errorf("unknown command %q (build or inspect)", args[0])
}

// spec is what the image is made of; equal specs (and an equal binary) give equal digests.
type spec struct {
	Binary, Arch, Version, Revision, Source, Out string
	Created                                      time.Time
}

func buildCommand(args []string, stdout io.Writer) error {
	var s spec
	var created string
	fs := flag.NewFlagSet("build", flag.ContinueOnError)
	fs.StringVar(&s.Binary, "binary", "", "the static linux wellbase binary")
	fs.StringVar(&s.Arch, "arch", "", "GOARCH of the binary: amd64 or arm64")
	fs.StringVar(&s.Version, "version", "", "version label and tag (git describe)")
	fs.StringVar(&s.Revision, "revision", "", "commit the binary was built from (revision label)")
	fs.StringVar(&s.Source, "source", "", "repository URL (source label)")
	fs.StringVar(&created, "created", "", "creation time in Unix seconds (SOURCE_DATE_EPOCH: the commit time)")
	fs.StringVar(&s.Out, "out", "", "archive to write (replaced atomically)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	for flagName, v := range map[string]string{"--binary": s.Binary, "--arch": s.Arch, "--version": s.Version,
		"--revision": s.Revision, "--source": s.Source, "--created": created, "--out": s.Out} {
		if v == "" {
			return fmt.Errorf("build: %s is required", flagName)
		}
	}
	sec, err := strconv.ParseInt(created, 10, 64)
	if err != nil || sec < 0 {
		return fmt.Errorf("build: --created %q: want Unix seconds", created)
	}
	s.Created = time.Unix(sec, 0).UTC()
	img, err := build(s)
	if err != nil {
		return err
	}
	if err := write(s, img); err != nil {
		return err
	}
	// Read the archive back: what is reported is what podman will load.
	back, err := tarball.ImageFromPath(s.Out, nil)
	if err != nil {
		return fmt.Errorf("read back %s: %w", s.Out, err)
	}
	return describe(stdout, s.Out, back)
}

// build assembles the image of s (see the package comment).
func build(s spec) (v1.Image, error) {
	bin, err := os.ReadFile(s.Binary)
	if err != nil {
		return nil, err
	}
	if err := checkBinary(s.Binary, bin, s.Arch); err != nil {
		return nil, err
	}
	layerTar, err := rootfs(bin, s.Created)
	if err != nil {
		return nil, err
	}
	layer, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(layerTar)), nil
	}, tarball.WithCompressionLevel(gzip.DefaultCompression), tarball.WithCompressedCaching)
	if err != nil {
		return nil, err
	}
	img, err := mutate.Append(empty.Image, mutate.Addendum{
		Layer: layer,
		History: v1.History{
			Created:   v1.Time{Time: s.Created},
			CreatedBy: "make image (tools/imagebuild): " + binPath + " " + s.Version,
			Comment:   "static wellbase binary, nonroot user, /tmp, " + dataDir,
		},
	})
	if err != nil {
		return nil, err
	}
	cf, err := img.ConfigFile()
	if err != nil {
		return nil, err
	}
	cf = cf.DeepCopy()
	cf.OS, cf.Architecture, cf.Variant = "linux", s.Arch, ""
	if s.Arch == "arm64" {
		cf.Variant = "v8"
	}
	cf.Created = v1.Time{Time: s.Created}
	cf.Author = ""
	cf.Config = v1.Config{
		User:         fmt.Sprintf("%d:%d", uid, gid),
		Entrypoint:   []string{binPath},
		Cmd:          []string{"serve"},
		WorkingDir:   dataDir,
		Env:          []string{"PATH=/usr/local/bin", "WELLBASE_DATA_DIR=" + dataDir},
		ExposedPorts: map[string]struct{}{port: {}},
		StopSignal:   "SIGTERM",
		Labels: map[string]string{
			"org.opencontainers.image.title":    "wellbase",
			"org.opencontainers.image.source":   s.Source,
			"org.opencontainers.image.revision": s.Revision,
			"org.opencontainers.image.version":  s.Version,
			"org.opencontainers.image.created":  s.Created.Format(time.RFC3339),
		},
	}
	return mutate.ConfigFile(img, cf)
}

// checkBinary refuses what would not run in an empty image: not an ELF executable for arch, or
// dynamically linked (an interpreter or shared libraries to load).
func checkBinary(path string, bin []byte, arch string) error {
	want := map[string]elf.Machine{"amd64": elf.EM_X86_64, "arm64": elf.EM_AARCH64}[arch]
	if want == 0 {
		return fmt.Errorf("build: --arch %q: want amd64 or arm64", arch)
	}
	f, err := elf.NewFile(bytes.NewReader(bin))
	if err != nil {
		return fmt.Errorf("%s: not a Linux executable: %w", path, err)
	}
	defer f.Close()
	if f.Machine != want {
		return fmt.Errorf("%s is built for %s, not %s (GOARCH=%s)", path, f.Machine, want, arch)
	}
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			return fmt.Errorf("%s is dynamically linked; build it with CGO_ENABLED=0", path)
		}
	}
	return nil
}

// rootfs is the layer's tar: parents before children, every header fixed (owner, mode, time;
// USTAR, so no access or change times) so equal inputs give equal bytes.
func rootfs(bin []byte, mtime time.Time) ([]byte, error) {
	passwd := "root:x:0:0:root:/root:/sbin/nologin\n" +
		fmt.Sprintf("nonroot:x:%d:%d:nonroot:%s:/sbin/nologin\n", uid, gid, dataDir)
	group := "root:x:0:\n" + fmt.Sprintf("nonroot:x:%d:\n", gid)
	type entry struct {
		name     string
		mode     int64
		uid, gid int
		data     []byte // nil: a directory
	}
	entries := []entry{
		{"etc/", 0o755, 0, 0, nil},
		{"etc/group", 0o644, 0, 0, []byte(group)},
		{"etc/nsswitch.conf", 0o644, 0, 0, []byte("hosts: files dns\n")},
		{"etc/passwd", 0o644, 0, 0, []byte(passwd)},
		{"tmp/", 0o1777, 0, 0, nil},
		{"usr/", 0o755, 0, 0, nil},
		{"usr/local/", 0o755, 0, 0, nil},
		{"usr/local/bin/", 0o755, 0, 0, nil},
		{strings.TrimPrefix(binPath, "/"), 0o755, 0, 0, bin},
		{"var/", 0o755, 0, 0, nil},
		{"var/lib/", 0o755, 0, 0, nil},
		{strings.TrimPrefix(dataDir, "/") + "/", 0o700, uid, gid, nil},
	}
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range entries {
		h := &tar.Header{Name: e.name, Mode: e.mode, Uid: e.uid, Gid: e.gid, ModTime: mtime, Format: tar.FormatUSTAR}
		if e.data == nil {
			h.Typeflag = tar.TypeDir
		} else {
			h.Typeflag, h.Size = tar.TypeReg, int64(len(e.data))
		}
		if err := tw.WriteHeader(h); err != nil {
			return nil, fmt.Errorf("layer entry %s: %w", e.name, err)
		}
		if _, err := tw.Write(e.data); err != nil {
			return nil, fmt.Errorf("layer entry %s: %w", e.name, err)
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// tagChars are the characters a registry tag may hold; others in a version become '-'.
var tagChars = regexp.MustCompile(`[^A-Za-z0-9_.-]`)

// write saves img as a `docker save` archive tagged wellbase:<version>, through a temporary file
// in the same folder, so an interrupted build never leaves a half-written archive.
func write(s spec, img v1.Image) error {
	tagName := tagChars.ReplaceAllString(s.Version, "-")
	if len(tagName) > 128 {
		tagName = tagName[:128]
	}
	tag, err := name.NewTag("wellbase:" + strings.TrimLeft(tagName, ".-"))
	if err != nil {
		return fmt.Errorf("tag for version %q: %w", s.Version, err)
	}
	if err := os.MkdirAll(filepath.Dir(s.Out), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(s.Out), ".imagebuild-*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tarball.Write(tag, img, tmp); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", s.Out, err)
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), s.Out)
}

// describe prints what identifies and sizes img, as key=value lines:
// archive, manifest (digest), config (digest = the image ID podman and docker show), platform,
// user, entrypoint, cmd, layers_bytes (compressed, what a registry stores) and unpacked_bytes.
func describe(w io.Writer, archive string, img v1.Image) error {
	digest, err := img.Digest()
	if err != nil {
		return err
	}
	cfgName, err := img.ConfigName()
	if err != nil {
		return err
	}
	cf, err := img.ConfigFile()
	if err != nil {
		return err
	}
	layers, err := img.Layers()
	if err != nil {
		return err
	}
	var compressed, unpacked int64
	for _, l := range layers {
		n, err := l.Size()
		if err != nil {
			return err
		}
		compressed += n
		rc, err := l.Uncompressed()
		if err != nil {
			return err
		}
		u, err := io.Copy(io.Discard, rc)
		rc.Close()
		if err != nil {
			return err
		}
		unpacked += u
	}
	platform := cf.OS + "/" + cf.Architecture
	if cf.Variant != "" {
		platform += "/" + cf.Variant
	}
	_, err = fmt.Fprintf(w, "archive=%s\nmanifest=%s\nconfig=%s\nplatform=%s\nuser=%s\nentrypoint=%s\ncmd=%s\nversion=%s\nlayers_bytes=%d\nunpacked_bytes=%d\n",
		archive, digest, cfgName, platform, cf.Config.User, strings.Join(cf.Config.Entrypoint, " "),
		strings.Join(cf.Config.Cmd, " "), cf.Config.Labels["org.opencontainers.image.version"], compressed, unpacked)
	return err
}
