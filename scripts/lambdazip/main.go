// Command lambdazip packs a Lambda bootstrap into the deployment zip that Terraform uploads,
// reproducibly: one entry named "bootstrap", executable (mode 0755, which Lambda's provided
// runtimes need), with a fixed modification time and no other metadata, so that the same
// binary always gives the same zip, byte for byte (and Terraform's source_code_hash does not
// change when nothing did). `make lambda` runs it:
//
//	go run ./scripts/lambdazip -o bin/wellbase-lambda.zip bin/lambda/bootstrap
package main

import (
	"archive/zip"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// epoch is every entry's modification time: the earliest an MS-DOS date (which zip stores)
// can hold.
var epoch = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)

func main() {
	out := flag.String("o", "", "the zip to write")
	flag.Parse()
	if *out == "" || flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: lambdazip -o FILE.zip BOOTSTRAP")
		os.Exit(2)
	}
	if err := pack(*out, flag.Arg(0)); err != nil {
		fmt.Fprintln(os.Stderr, "lambdazip:", err)
		os.Exit(1)
	}
}

// pack writes the zip of the bootstrap binary at path to out, through a temporary file renamed
// into place.
func pack(out, path string) error {
	bin, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := write(&buf, bin); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(out), ".lambdazip-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(buf.Bytes()); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), out)
}

// write writes a zip holding bin as the executable "bootstrap".
func write(w io.Writer, bin []byte) error {
	if len(bin) == 0 {
		return errors.New("the bootstrap is empty")
	}
	zw := zip.NewWriter(w)
	h := &zip.FileHeader{Name: "bootstrap", Method: zip.Deflate, Modified: epoch}
	h.SetMode(0o755)
	f, err := zw.CreateHeader(h)
	if err != nil {
		return err
	}
	if _, err := f.Write(bin); err != nil {
		return err
	}
	return zw.Close()
}
