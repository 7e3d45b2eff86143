package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/wellbase/wellbase/internal/las"
)

// flagLine is a flag of PrintDefaults' output: "  -name type".
var flagLine = regexp.MustCompile(`(?m)^  -([a-z-]+)`)

// TestHelp: -h, -help and --help on every command print that command's own usage and exactly
// the flags it uses on stdout, and exit 0 (issue 13 item 15: `las check -h` exited 2, and
// `secret` listed --database, --files and --log-level, which it never uses).
func TestHelp(t *testing.T) {
	t.Parallel()
	store := []string{"data-dir", "database", "files", "root-key", "secrets"}
	secret := []string{"data-dir", "root-key", "secrets"}
	tests := []struct {
		cmd   string
		flags []string
	}{
		{"serve", append([]string{"addr", "curve-cache", "curve-gzip", "drain-delay", "job-function", "log-level", "max-inflight", "metrics-namespace", "queue-wait", "shutdown-grace", "workers"}, store...)},
		{"worker", append([]string{"concurrency", "job-types", "log-level", "metrics-namespace", "shutdown-grace"}, store...)},
		{"operator create", []string{"data-dir", "database", "email", "expires-in-days", "root-key", "secrets", "token-secret"}},
		{"secret put", secret},
		{"secret get", append([]string{"reveal"}, secret...)},
		{"secret list", secret},
		{"secret delete", secret},
		{"las check", []string{"encoding", "json"}},
		{"keys rotate-root", append([]string{"from"}, store...)},
		{"tenant rotate-key", store},
		{"tenant retire-keys", append([]string{"min-age"}, store...)},
		{"backup", append([]string{"concurrency", "tenant", "to"}, store...)},
		{"restore", append([]string{"concurrency", "force", "from", "from-root-key", "merge", "tenant"}, store...)},
		{"version", nil},
	}
	for _, tt := range tests {
		t.Run(strings.ReplaceAll(tt.cmd, " ", "_"), func(t *testing.T) {
			t.Parallel()
			slices.Sort(tt.flags)
			var first string
			for _, h := range []string{"-h", "-help", "--help"} {
				var out, errOut bytes.Buffer
				err := run(context.Background(), append(strings.Fields(tt.cmd), h), &out, &errOut)
				if code := exitCode(err); code != 0 {
					t.Errorf("wellbase %s %s: exit status %d (%v), want 0", tt.cmd, h, code, err)
				}
				if !strings.HasPrefix(out.String(), "usage: wellbase "+tt.cmd) {
					t.Errorf("wellbase %s %s printed %q, want its own usage", tt.cmd, h, out.String())
				}
				if errOut.Len() != 0 {
					t.Errorf("wellbase %s %s wrote %q on stderr", tt.cmd, h, errOut.String())
				}
				var got []string
				for _, m := range flagLine.FindAllStringSubmatch(out.String(), -1) {
					got = append(got, m[1])
				}
				slices.Sort(got)
				if !slices.Equal(got, tt.flags) {
					t.Errorf("wellbase %s %s lists flags %v, want %v", tt.cmd, h, got, tt.flags)
				}
				if first == "" {
					first = out.String()
				}
			}
			// wellbase help COMMAND is COMMAND -h.
			var out bytes.Buffer
			err := run(context.Background(), append([]string{"help"}, strings.Fields(tt.cmd)...), &out, &out)
			if exitCode(err) != 0 || out.String() != first {
				t.Errorf("wellbase help %s: %v, %q; want the usage of -h", tt.cmd, err, out.String())
			}
		})
	}
	// Commands with subcommands describe them and exit 0 too.
	for _, group := range []string{"", "operator", "secret", "las", "keys", "tenant"} {
		var out, errOut bytes.Buffer
		err := run(context.Background(), append(strings.Fields(group), "-h"), &out, &errOut)
		if exitCode(err) != 0 || !strings.Contains(out.String(), "usage:") || !strings.Contains(out.String(), "wellbase "+group) {
			t.Errorf("wellbase %s -h: exit status %d (%v), printed %q", group, exitCode(err), err, out.String())
		}
	}
}

// TestUsageErrors: a flag a command does not have, or a missing argument, exits 2 with a
// message that names the command and how to get its usage; nothing on stdout.
func TestUsageErrors(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"las", "check", "--database", "x", "a.las"}, "'wellbase las check -h'"},
		{[]string{"secret", "put", "--reveal", "x"}, "'wellbase secret put -h'"},
		{[]string{"version", "--nope"}, "'wellbase version -h'"},
		{[]string{"tenant", "rotate-key", "--data-dir", t.TempDir()}, "usage: wellbase tenant rotate-key"},
		{[]string{"secret", "get"}, "usage: wellbase secret get"},
		{[]string{"las"}, "usage: wellbase las check"},
	} {
		var out, errOut bytes.Buffer
		err := run(context.Background(), tt.args, &out, &errOut)
		if exitCode(err) != 2 || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("wellbase %v: exit status %d, error %v; want 2 and %q", tt.args, exitCode(err), err, tt.want)
		}
		if out.Len() != 0 {
			t.Errorf("wellbase %v printed %q on stdout", tt.args, out.String())
		}
	}
}

// TestLASCheckShowsWarnings: the human line counts warnings with the right plural and lists
// them below it with their lines (issue 13 item 15: "1 warnings", and none shown).
func TestLASCheckShowsWarnings(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	head := "~VERSION INFORMATION\n VERS. 2.0 : CWLS\n WRAP. NO : one line\n~WELL INFORMATION\n STRT.M 1000.0 : start\n"
	write := func(name, stop, data string) string {
		p := filepath.Join(dir, name)
		las := head + " STOP.M " + stop + " : stop\n STEP.M 0.5 : step\n NULL. -999.25 : null\n WELL. W-1 : well\n" +
			"~CURVE INFORMATION\n DEPT.M : depth\n~A\n" + data
		if err := os.WriteFile(p, []byte(las), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	oneWarning := write("stop.las", "1009.0", "1000.0\n1000.5\n")
	clean := write("clean.las", "1000.0", "1000.0\n")
	var out bytes.Buffer
	if err := lasCommand(context.Background(), []string{"check", oneWarning, clean}, &out, &out); err != nil {
		t.Fatal(err, out.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 3 {
		t.Fatalf("las check printed %d lines, want the file's line, its warning, the clean file's line:\n%s", len(lines), out.String())
	}
	if !strings.Contains(lines[0], "2 rows, 1 curve (DEPT), 1 warning,") {
		t.Errorf("line %q, want 2 rows, 1 curve, 1 warning", lines[0])
	}
	if lines[1] != "  line 6: STOP is 1009 but the last index value is 1000.5" {
		t.Errorf("warning line %q", lines[1])
	}
	if !strings.Contains(lines[2], "1 row, 1 curve (DEPT), 0 warnings,") {
		t.Errorf("line %q, want 1 row, 1 curve, 0 warnings", lines[2])
	}

	// Past maxWarningsShown, the rest is counted and --json named.
	var s las.Summary
	for i := range maxWarningsShown + 5 {
		s.Warnings = append(s.Warnings, las.Warning{Line: i + 1, Message: "suspect"})
	}
	out.Reset()
	printCheck(&out, "many.las", s)
	lines = strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != maxWarningsShown+2 || lines[len(lines)-1] != "  … and 5 more (--json lists them all)" ||
		!strings.Contains(lines[0], "15 warnings") || lines[maxWarningsShown] != "  line 10: suspect" {
		t.Errorf("a file with many warnings printed:\n%s", out.String())
	}
}

// TestVersionCommand: `wellbase version` prints the stamped version; without one (a test binary
// has neither a stamp nor VCS information) it prints dev and says on stderr why. Not parallel:
// it sets the stamp.
func TestVersionCommand(t *testing.T) {
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"version"}, &out, &errOut); err != nil {
		t.Fatal(err)
	}
	if out.String() != "wellbase dev\n" || !strings.Contains(errOut.String(), `-X main.version`) {
		t.Errorf("unstamped: %q, %q; want dev and why", out.String(), errOut.String())
	}
	defer func(v string) { version = v }(version)
	version = "v1.4.2-3-g80e1f17"
	out.Reset()
	errOut.Reset()
	if err := run(context.Background(), []string{"version"}, &out, &errOut); err != nil || out.String() != "wellbase v1.4.2-3-g80e1f17\n" || errOut.Len() != 0 {
		t.Errorf("stamped: %v %q %q", err, out.String(), errOut.String())
	}
}

// TestLocationFlagsEverywhere: every command that touches the stores takes the location flags
// deploy/terraform gives every process (--secrets, --files, --root-key), used or not, and its
// usage says which it does not use.
func TestLocationFlagsEverywhere(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	loc := []string{"--data-dir", dir, "--secrets", "file://" + dir, "--files", "file://" + filepath.Join(dir, "files"), "--root-key", "base64key://"}
	for _, args := range [][]string{
		{"operator", "create", "--email", "ops@example.com"},
		{"secret", "list"},
		{"keys", "rotate-root"},
		{"tenant", "rotate-key", "nope"},
		{"backup", "--to", "file://" + filepath.Join(dir, "bk"), "--tenant", "nope"},
		{"restore", "--from", "file://" + filepath.Join(dir, "none")},
	} {
		var out, errOut bytes.Buffer
		err := run(context.Background(), append(args, loc...), &out, &errOut)
		if err != nil && strings.Contains(err.Error(), "flag provided but not defined") {
			t.Errorf("wellbase %v refuses a location flag: %v", args, err)
		}
	}
	var out bytes.Buffer
	run(context.Background(), []string{"secret", "put", "-h"}, &out, &out)
	if !strings.Contains(out.String(), "not used by this command: --database, --files") {
		t.Errorf("secret put -h does not say which location flags it does not use:\n%s", out.String())
	}
}
