package app

import (
	"runtime/debug"
	"testing"
)

// TestVersion: a stamped version wins; else the VCS revision go build recorded (a plain go build
// in a git clone is not "dev"); else a released module version; else UnknownVersion.
func TestVersion(t *testing.T) {
	t.Parallel()
	vcs := func(rev, modified string) []debug.BuildSetting {
		return []debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: rev},
			{Key: "vcs.time", Value: "2026-01-02T03:04:05Z"}, {Key: "vcs.modified", Value: modified}}
	}
	const rev = "80e1f17c0ffee0123456789abcdef0123456789a"
	tests := []struct {
		name string
		info debug.BuildInfo
		want string
	}{
		{"CleanCheckout", debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20260102030405-80e1f17c0ffe"}, Settings: vcs(rev, "false")}, "80e1f17c0ffe"},
		{"DirtyCheckout", debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20260102030405-80e1f17c0ffe+dirty"}, Settings: vcs(rev, "true")}, "80e1f17c0ffe-dirty"},
		{"GoInstallRelease", debug.BuildInfo{Main: debug.Module{Version: "v1.4.2"}}, "v1.4.2"},
		{"NoVCSInformation", debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, UnknownVersion},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := versionOf(&tt.info); got != tt.want {
				t.Errorf("versionOf = %q, want %q", got, tt.want)
			}
		})
	}
	if got := Version("v2.0.0-3-g80e1f17"); got != "v2.0.0-3-g80e1f17" {
		t.Errorf("a stamped version: %q", got)
	}
}
