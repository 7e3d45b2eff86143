package app

import (
	"runtime/debug"
)

// UnknownVersion is what Version returns for a binary that carries no version.
const UnknownVersion = "dev"

// Version returns the version of the running binary: stamped, the value given at build time
// with -ldflags "-X main.version=…" (make and the image build pass `git describe --always
// --dirty`), if not empty; else what the Go toolchain recorded (runtime/debug.ReadBuildInfo):
// the module version of a `go install …@vX.Y.Z`, or the VCS revision of a `go build` in a git
// checkout (its first 12 hex digits, "-dirty" when the tree had changes); else UnknownVersion
// (no stamp, and no VCS information: go run, -buildvcs=false, or a build in a git worktree, where
// the go command records none).
func Version(stamped string) string {
	if stamped != "" {
		return stamped
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return UnknownVersion
	}
	return versionOf(info)
}

func versionOf(info *debug.BuildInfo) string {
	var rev, modified string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			modified = s.Value
		}
	}
	if rev != "" {
		// Before a module version: since Go 1.24 a checkout's build also gets a pseudo-version
		// (v0.0.0-<time>-<rev>), longer than the revision and no more telling.
		if len(rev) > 12 {
			rev = rev[:12]
		}
		if modified == "true" {
			rev += "-dirty"
		}
		return rev
	}
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	return UnknownVersion
}
