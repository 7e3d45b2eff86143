package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
)

// flags is the flag set of one command. Its Parse prints the command's own usage and flags on
// standard output for -h, -help and --help and returns flag.ErrHelp, which main turns into exit
// status 0 (exitCode); a bad flag is an error that names the command and says how to get its
// usage. The flag package itself prints nothing, so nothing reaches stderr twice.
type flags struct {
	*flag.FlagSet
	usage  string // "wellbase las check [flags] FILE..."
	about  string // what the command does: one or more lines
	stdout io.Writer
	// unused are flags the command accepts but does not use: store locations it does not
	// open, taken so that one set of location flags (deploy/terraform's location_flags)
	// serves every command. The usage names them apart from the flags that apply.
	unused []string
}

// newFlags returns the flag set of the command name ("las check"); usage is its synopsis after
// "wellbase " and about says what it does.
func newFlags(name, usage, about string, stdout io.Writer) *flags {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return &flags{FlagSet: fs, usage: "wellbase " + usage, about: about, stdout: stdout}
}

// Parse parses args (see flags).
func (f *flags) Parse(args []string) error {
	err := f.FlagSet.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		f.printUsage(f.stdout)
		return flag.ErrHelp
	case err != nil:
		return fmt.Errorf("%s: %v (run 'wellbase %s -h' for its usage)", f.Name(), err, f.Name())
	}
	return nil
}

// accept marks flags the command takes but does not use (see flags.unused).
func (f *flags) accept(names ...string) { f.unused = append(f.unused, names...) }

// printUsage writes the synopsis, the description and the flags that apply, with their
// defaults, in the flag package's layout; then the names of the flags accepted and unused.
func (f *flags) printUsage(w io.Writer) {
	fmt.Fprintf(w, "usage: %s\n\n%s\n", f.usage, strings.TrimRight(f.about, "\n"))
	first := true
	f.VisitAll(func(fl *flag.Flag) {
		if slices.Contains(f.unused, fl.Name) {
			return
		}
		if first {
			fmt.Fprintln(w, "\nflags:")
			first = false
		}
		typ, usage := flag.UnquoteUsage(fl)
		line := "  -" + fl.Name
		if typ != "" {
			line += " " + typ
		}
		line += "\n    \t" + strings.ReplaceAll(usage, "\n", "\n    \t")
		switch fl.DefValue {
		case "", "false", "0":
		default:
			if typ == "string" {
				line += fmt.Sprintf(" (default %q)", fl.DefValue)
			} else {
				line += " (default " + fl.DefValue + ")"
			}
		}
		fmt.Fprintln(w, line)
	})
	if len(f.unused) > 0 {
		names := make([]string, len(f.unused))
		for i, n := range f.unused {
			names[i] = "--" + n
		}
		fmt.Fprintf(w, "\nAlso accepted, not used by this command: %s (store locations every command takes alike).\n", strings.Join(names, ", "))
	}
}

// Names returns the names of the command's flags, sorted.
func (f *flags) Names() []string {
	var names []string
	f.VisitAll(func(fl *flag.Flag) { names = append(names, fl.Name) })
	return names
}

// wantsHelp reports whether args ask for help: a first argument of -h, -help, --help or help.
func wantsHelp(args []string) bool {
	if len(args) == 0 {
		return false
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		return true
	}
	return false
}

// groupHelp prints the usage of a command with subcommands (wellbase las, wellbase tenant …) on
// stdout when args ask for help, and returns flag.ErrHelp; otherwise it returns nil.
func groupHelp(args []string, usage string, stdout io.Writer) error {
	if !wantsHelp(args) {
		return nil
	}
	fmt.Fprint(stdout, usage)
	return flag.ErrHelp
}

// exitCode is the process's exit status after run returned err: 0 for success and for help
// asked with -h (flag.ErrHelp, handled here once for every command), 2 otherwise.
func exitCode(err error) int {
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return 0
	}
	return 2
}

// plural returns "1 warning", "2 warnings", "0 warnings": n and the noun, in the plural unless
// n is 1 (nouns here take an s).
func plural[N ~int | ~int64](n N, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
