package keyring_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log"
	"os"
	"strings"

	"github.com/wellbase/wellbase/internal/keyring"
)

// Onboarding makes a tenant's data key and stores only its wrapped form; later, the wrapped key is
// unwrapped to decrypt the tenant's files. The aad names the file, so that a file copied to
// another key or tenant does not decrypt.
func Example() {
	ctx := context.Background()
	dataDir, err := os.MkdirTemp("", "wellbase-data-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dataDir)

	// The embedded default: <dataDir>/root.key, generated on first use.
	kr, err := keyring.Open(ctx, "base64key://", dataDir)
	if err != nil {
		log.Fatal(err)
	}
	defer kr.Close()

	// Onboarding: store wrapped with the tenant; dk is printed redacted, never its bytes.
	dk, wrapped, err := kr.NewDataKey(ctx, "acme")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(dk)

	// Upload: encrypt the file as it streams in.
	const las = "~Version Information\n VERS. 2.0 : CWLS LOG ASCII STANDARD\n"
	aad := []byte("tenants/acme/logs/well-7.las")
	var stored bytes.Buffer // the object store
	w, err := dk.EncryptWriter(&stored, aad)
	if err != nil {
		log.Fatal(err)
	}
	if _, err := io.Copy(w, strings.NewReader(las)); err != nil {
		log.Fatal(err)
	}
	if err := w.Close(); err != nil {
		log.Fatal(err)
	}
	fmt.Println("stored bytes:", stored.Len(), "=", keyring.EncryptedSize(int64(len(las))))

	// Download, in another process: unwrap the tenant's key, decrypt as it streams out.
	dk2, err := kr.UnwrapDataKey(ctx, "acme", wrapped)
	if err != nil {
		log.Fatal(err)
	}
	r, err := dk2.DecryptReader(&stored, aad)
	if err != nil {
		log.Fatal(err)
	}
	if _, err := io.Copy(os.Stdout, r); err != nil {
		log.Fatal(err) // tampered or truncated: discard what was copied
	}

	// The wrapped key does not unwrap for another tenant.
	_, err = kr.UnwrapDataKey(ctx, "globex", wrapped)
	fmt.Println(err)
	// Output:
	// keyring.DataKey(REDACTED)
	// stored bytes: 107 = 107
	// ~Version Information
	//  VERS. 2.0 : CWLS LOG ASCII STANDARD
	// unwrap data key of tenant "globex": the key belongs to another tenant
}

// Random access to an encrypted file, for readers that seek (Parquet reads its footer, then
// column chunks): only the segments that cover a read are fetched and decrypted.
func ExampleDataKey_DecryptReaderAt() {
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
	dk, _, err := kr.NewDataKey(ctx, "acme")
	if err != nil {
		log.Fatal(err)
	}

	aad := []byte("tenants/acme/curves/well-7.parquet")
	var stored bytes.Buffer
	w, err := dk.EncryptWriter(&stored, aad)
	if err != nil {
		log.Fatal(err)
	}
	io.WriteString(w, strings.Repeat("DEPT GR NPHI RHOB\n", 10000)) // 180,000 bytes: 3 segments
	if err := w.Close(); err != nil {
		log.Fatal(err)
	}

	// An object store would give an io.ReaderAt over range reads, and the object's size.
	ra, err := dk.DecryptReaderAt(bytes.NewReader(stored.Bytes()), int64(stored.Len()), aad)
	if err != nil {
		log.Fatal(err) // wrong key or aad, altered, truncated or extended
	}
	buf := make([]byte, 17)
	if _, err := ra.ReadAt(buf, 18*7000); err != nil {
		log.Fatal(err)
	}
	fmt.Println(ra.Size(), string(buf))
	// Output:
	// 180000 DEPT GR NPHI RHOB
}
