// Command wellbase-drdrill is Wellbase's disaster-recovery drill, run by `make dr-drill`. It
// builds wellbase and, with the real binary and only its API and CLI, as an operator would:
//
//  1. embedded → embedded: starts serve on a fresh data dir (SQLite, a folder, a local root
//     key), onboards three tenants and loads real data from ../shared/data (Volve and KGS LAS
//     files, the Volve production workbook and CSVs), runs decline fits and petrophysics,
//     makes users, API tokens and a session; takes a snapshot of everything the API shows;
//     backs up with serve running; kills serve and deletes the data dir (only the backup and a
//     copy of the root key survive); restores into a new data dir whose root key is new
//     (--from-root-key); starts serve; compares the snapshot item by item, with the old tokens.
//  2. embedded → MongoDB + S3 + KMS: fresh FerretDB, versitygw and local-kms servers; a backup
//     of the restored platform into S3; the data dir deleted; a restore into MongoDB + S3 with
//     the root key in KMS (the data keys rewrapped by KMS); serve on those; the comparison.
//  3. MongoDB + S3 + KMS → embedded: a backup to a folder; FerretDB and versitygw killed and
//     their data deleted (the KMS key survives, as a root key must); a restore into a new data
//     dir with --from-root-key awskms:///…; serve; the comparison.
//
// After each restore into the embedded default the original LAS files are read back byte for
// byte from a tenant export (an export job's archive holds them decrypted) and compared with the
// files in ../shared/data; after leg 3 that proves they came through MongoDB + S3 intact. On
// FerretDB every production read scans the whole collection (seconds each), so legs 2 and 3
// compare each tenant's fitted well's series rather than every well's (see snapshot); leg 1
// compares them all. Each step's time is printed, then one result line; the exit status is 1 on
// any difference.
// Legs 2 and 3 need the servers' binaries and the test AWS credentials that
// `scripts/testservers run` exports (WELLBASE_TEST_*_BIN, AWS_SHARED_CREDENTIALS_FILE).
//
//	scripts/testservers run -- go run ./cmd/wellbase-drdrill [-data ../shared/data] [-legs 3] [-keep]
package main

import (
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

func main() {
	var d drill
	flag.StringVar(&d.data, "data", filepath.Join("..", "shared", "data"), "the shared data set")
	flag.IntVar(&d.legs, "legs", 3, "legs to run: 1 (embedded → embedded), 2 (and → MongoDB + S3 + KMS), 3 (and back)")
	flag.BoolVar(&d.keep, "keep", false, "keep the drill's folder (data dirs, backups, logs) and say where")
	flag.Parse()
	if d.legs < 1 || d.legs > 3 {
		fmt.Fprintln(os.Stderr, "dr-drill: -legs must be 1, 2 or 3")
		os.Exit(2)
	}
	// Interrupted (Ctrl-C, or make's timeout), the drill stops the servers it started.
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	go func() {
		s := <-sig
		fmt.Printf("dr-drill: FAILED: interrupted by %v\n", s)
		d.cleanup()
		os.Exit(1)
	}()
	start := time.Now()
	err := d.run()
	d.cleanup()
	total := time.Since(start).Seconds()
	if err != nil {
		fmt.Printf("dr-drill: FAILED after %.0f s: %v\n", total, err)
		os.Exit(1)
	}
	restores := make([]string, len(d.restores))
	for i, s := range d.restores {
		restores[i] = fmt.Sprintf("%.1f s", s)
	}
	fmt.Printf("dr-drill: %d tenants through %d backup/restore legs; %d items compared, %d differ, %d missing; %d original files byte for byte; restores %s; total %.0f s\n",
		len(tenants), d.legs, d.compared, d.differ, d.missing, d.originals, strings.Join(restores, " / "), total)
	if d.differ+d.missing > 0 {
		os.Exit(1)
	}
}
