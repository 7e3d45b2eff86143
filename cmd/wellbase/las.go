package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/wellbase/wellbase/internal/las"
)

const lasUsage = `usage: wellbase las check [--json] [--encoding NAME] FILE...

Reads LAS files as an upload would and reports what it found. Run 'wellbase las check -h' for its
flags.
`

// maxWarningsShown is how many warnings of a file the human output of las check lists; --json
// has them all.
const maxWarningsShown = 10

// lasCommand runs `wellbase las check [--json] [--encoding NAME] FILE...`: it reads each file
// as an upload would and prints a summary line per file followed by its warnings, indented,
// "line N: …", at most maxWarningsShown (or, with --json, the summary object the upload API
// returns, one per line). The character encoding is detected unless --encoding names it. It
// exits non-zero when any file is unreadable.
func lasCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if err := groupHelp(args, lasUsage, stdout); err != nil {
		return err
	}
	if len(args) == 0 || args[0] != "check" {
		return errors.New(strings.TrimSpace(lasUsage))
	}
	fs := newFlags("las check", "las check [--json] [--encoding NAME] FILE...", `Reads each LAS file (1.2, 2.0 or 3.0) as an upload would and prints a summary line per file and
its warnings (what was repaired or is suspect, with the line), or with --json the object the
upload API returns. Exits non-zero if any file is unreadable.`, stdout)
	asJSON := fs.Bool("json", false, "print each file's summary as a JSON object (the upload API's shape), one per line")
	encoding := fs.String("encoding", "", "read the files as this character encoding (windows-1251, cp866, koi8-r, windows-1252, utf-8, utf-16le, …) instead of detecting it")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *encoding != "" {
		if _, err := las.EncodingName(*encoding); err != nil {
			return fmt.Errorf("las check: --encoding: %w", err)
		}
	}
	if fs.NArg() == 0 {
		return errors.New("las check: no file given")
	}
	failed := 0
	enc := json.NewEncoder(stdout)
	for _, path := range fs.Args() {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		s, err := checkLAS(path, *encoding)
		if err != nil {
			failed++
			if *asJSON {
				enc.Encode(checkFailure(path, err))
			} else {
				fmt.Fprintf(stdout, "%s: unreadable: %s\n", path, strings.TrimPrefix(err.Error(), path+": "))
			}
			continue
		}
		if *asJSON {
			enc.Encode(struct {
				File string `json:"file"`
				las.Summary
			}{path, s})
			continue
		}
		printCheck(stdout, path, s)
	}
	if failed > 0 {
		return fmt.Errorf("las check: %d of %s unreadable", failed, plural(fs.NArg(), "file"))
	}
	return nil
}

// checkLAS reads path as an upload would and returns its summary; encoding ("" to detect it)
// is the character encoding to read it as. las.Check keeps statistics only, not the samples,
// so memory stays small whatever the file's size.
func checkLAS(path, encoding string) (las.Summary, error) {
	fh, err := os.Open(path)
	if err != nil {
		return las.Summary{}, err
	}
	defer fh.Close()
	return las.Check(fh, las.WithName(path), las.WithEncoding(encoding))
}

// printCheck writes the summary line of a readable file and its warnings below it, indented,
// at most maxWarningsShown of them.
func printCheck(w io.Writer, path string, s las.Summary) {
	fmt.Fprintln(w, checkLine(path, s))
	for i, warn := range s.Warnings {
		if i == maxWarningsShown {
			fmt.Fprintf(w, "  … and %d more (--json lists them all)\n", len(s.Warnings)-i)
			break
		}
		fmt.Fprintf(w, "  %s\n", warn)
	}
}

// checkLine is the one-line summary of a readable file.
func checkLine(path string, s las.Summary) string {
	mnems := make([]string, 0, len(s.Curves))
	for _, c := range s.Curves {
		mnems = append(mnems, c.Mnemonic)
	}
	curves := strings.Join(mnems, " ")
	if len(curves) > 80 {
		curves = curves[:77] + "..."
	}
	line := fmt.Sprintf("%s: LAS %s, %s, %s (%s), %s", path, s.Version, plural(s.Rows, "row"), plural(len(s.Curves), "curve"), curves, plural(len(s.Warnings), "warning"))
	if s.Index != nil && s.Index.Start != nil && s.Index.Stop != nil {
		line += fmt.Sprintf(", %s %g-%g %s", s.Index.Mnemonic, *s.Index.Start, *s.Index.Stop, s.Index.Unit)
	}
	how := "detected"
	if !s.EncodingDetected {
		how = "as given"
	}
	return line + fmt.Sprintf(", encoding %s (%s)", s.Encoding, how)
}

// checkFailure is the JSON object of an unreadable file.
func checkFailure(path string, err error) map[string]any {
	out := map[string]any{"file": path, "ok": false, "error": err.Error()}
	var pe *las.ParseError
	if errors.As(err, &pe) {
		out["line"] = pe.Line
	}
	return out
}
