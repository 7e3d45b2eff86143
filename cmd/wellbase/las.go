package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/wellbase/wellbase/internal/las"
)

// lasCommand runs `wellbase las check [--json] [--encoding NAME] FILE...`: it reads each file
// as an upload would and prints a one-line summary per file (or, with --json, the summary object
// the upload API returns, one per line). The character encoding is detected unless --encoding
// names it. It exits non-zero when any file is unreadable.
func lasCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "check" {
		return errors.New("usage: wellbase las check [--json] [--encoding NAME] FILE...")
	}
	fs := flag.NewFlagSet("las check", flag.ContinueOnError)
	fs.SetOutput(stderr)
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
		fmt.Fprintln(stdout, checkLine(path, s))
	}
	if failed > 0 {
		return fmt.Errorf("las check: %d of %d files unreadable", failed, fs.NArg())
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
	line := fmt.Sprintf("%s: LAS %s, %d rows, %d curves (%s), %d warnings", path, s.Version, s.Rows, len(s.Curves), curves, len(s.Warnings))
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
