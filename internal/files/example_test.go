package files_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"strings"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/files"
	"github.com/wellbase/wellbase/internal/keyring"
)

// A tenant's file is stored encrypted with the tenant's data key, and read back whole or in
// ranges. Another tenant cannot read it, not even by name.
func ExampleStore_Put() {
	ctx := context.Background()
	dataDir, err := os.MkdirTemp("", "wellbase-data-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dataDir)

	kr, err := keyring.Open(ctx, "base64key://", dataDir)
	if err != nil {
		log.Fatal(err)
	}
	defer kr.Close()
	dk, _, err := kr.NewDataKey(ctx, "acme") // at onboarding; later UnwrapDataKey
	if err != nil {
		log.Fatal(err)
	}
	store, err := files.Open(ctx, "file://"+filepath.ToSlash(filepath.Join(dataDir, "files")))
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()

	las := "~Version Information\n VERS. 2.0 : CWLS LOG ASCII STANDARD\n"
	n, err := store.Put(ctx, "acme", "logs/well-7.las", dk, strings.NewReader(las))
	if err != nil {
		log.Fatal(err)
	}
	stored, _ := store.Size(ctx, "acme", "logs/well-7.las")
	fmt.Println("plaintext", n, "stored", stored)

	r, err := store.Open(ctx, "acme", "logs/well-7.las", dk)
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close()
	if _, err := io.Copy(os.Stdout, r); err != nil {
		log.Fatal(err)
	}

	obj, err := store.OpenAt(ctx, "acme", "logs/well-7.las", dk)
	if err != nil {
		log.Fatal(err)
	}
	defer obj.Close()
	buf := make([]byte, 4)
	if _, err := obj.ReadAt(buf, 22); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d bytes, %q at 22\n", obj.Size(), buf)

	_, err = store.Open(ctx, "globex", "logs/well-7.las", dk)
	fmt.Println(wellbase.ErrorCode(err))
	// Output:
	// plaintext 58 stored 107
	// ~Version Information
	//  VERS. 2.0 : CWLS LOG ASCII STANDARD
	// 58 bytes, "VERS" at 22
	// not_found
}
