package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
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

// printUsage writes the synopsis, the description and every flag with its default.
func (f *flags) printUsage(w io.Writer) {
	fmt.Fprintf(w, "usage: %s\n\n%s\n", f.usage, strings.TrimRight(f.about, "\n"))
	n := 0
	f.VisitAll(func(*flag.Flag) { n++ })
	if n == 0 {
		return
	}
	fmt.Fprintln(w, "\nflags:")
	f.SetOutput(w)
	f.PrintDefaults()
	f.SetOutput(io.Discard)
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
