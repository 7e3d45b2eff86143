package main

import (
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// drill is one run of the drill.
type drill struct {
	data string
	legs int
	keep bool

	dir    string // the drill's folder
	bin    string // the wellbase binary built
	op     string // the operator's token
	loaded map[string]*tenantData

	compared, differ, missing, originals int
	restores                             []float64
	procs                                []*proc
}

// step runs fn and prints what it did and how long it took: "  what ..... 1.2 s".
func step(what string, fn func() (string, error)) error {
	start := time.Now()
	note, err := fn()
	secs := time.Since(start).Seconds()
	if note != "" {
		what += ": " + note
	}
	if err != nil {
		fmt.Printf("  %-78s %6.1f s  FAILED\n", what, secs)
		return fmt.Errorf("%s: %w", what, err)
	}
	fmt.Printf("  %-78s %6.1f s\n", what, secs)
	return nil
}

func (d *drill) run() error {
	var err error
	if d.dir, err = os.MkdirTemp("", "wellbase-drdrill-"); err != nil {
		return err
	}
	for _, f := range []string{volveLAS, kgsLAS2, kgsLAS3, volveXLSX, volveMonthly} {
		if _, err := os.Stat(filepath.Join(d.data, f)); err != nil {
			return fmt.Errorf("the shared data set is needed at %s (-data): %w", d.data, err)
		}
	}
	if d.legs > 1 {
		for _, v := range []string{"WELLBASE_TEST_FERRETDB_BIN", "WELLBASE_TEST_VERSITYGW_BIN", "WELLBASE_TEST_LOCALKMS_BIN", "AWS_SHARED_CREDENTIALS_FILE"} {
			if os.Getenv(v) == "" {
				return fmt.Errorf("%s is not set: legs 2 and 3 need the servers scripts/testservers builds; run `make dr-drill` (or -legs 1)", v)
			}
		}
	}
	fmt.Println("dr-drill: build")
	if err := step("go build ./cmd/wellbase", func() (string, error) {
		d.bin = filepath.Join(d.dir, "wellbase")
		out, err := exec.Command("go", "build", "-o", d.bin, "./cmd/wellbase").CombinedOutput()
		if err != nil {
			return "", fmt.Errorf("%v: %s", err, out)
		}
		return "", nil
	}); err != nil {
		return err
	}

	// Leg 1: embedded → embedded.
	fmt.Println("leg 1: embedded default → embedded default (new data dir, new root key)")
	a := &platform{name: "embedded A", dataDir: filepath.Join(d.dir, "a")}
	if err := step("start serve on an empty data dir", func() (string, error) { return "", d.serve(a) }); err != nil {
		return err
	}
	if err := step("onboard 3 tenants, load ../shared/data, run jobs, add users and tokens", func() (string, error) {
		return d.load(a)
	}); err != nil {
		return err
	}
	b := &platform{name: "embedded B", dataDir: filepath.Join(d.dir, "b")}
	if err := d.leg(a, b, "file://"+filepath.ToSlash(filepath.Join(d.dir, "backup-1")), "file://"+filepath.ToSlash(d.keepKey(a)), nil); err != nil {
		return err
	}
	if d.legs == 1 {
		return nil
	}

	// Leg 2: embedded → MongoDB + S3 + KMS.
	fmt.Println("leg 2: embedded default → MongoDB + S3 + KMS (FerretDB, versitygw, local-kms)")
	c := &platform{name: "MongoDB + S3 + KMS", dataDir: filepath.Join(d.dir, "c")}
	var srv *servers
	fresh := func() (string, error) {
		var err error
		srv, err = d.startServers()
		if err != nil {
			return "", err
		}
		c.database, c.files, c.rootKey = srv.mongoURL+"/wellbase", srv.s3URL(srv.bucket), srv.kmsURL
		return "mongodb, s3, kms on 127.0.0.1", nil
	}
	backup2 := srvBackupURL(&srv)
	if err := d.leg(b, c, backup2, "file://"+filepath.ToSlash(d.keepKey(b)), fresh); err != nil {
		return err
	}
	if d.legs == 2 {
		return nil
	}

	// Leg 3: MongoDB + S3 + KMS → embedded. The KMS key survives; the rest is destroyed.
	fmt.Println("leg 3: MongoDB + S3 + KMS → embedded default (the KMS root key survives, the rest is destroyed)")
	e := &platform{name: "embedded E", dataDir: filepath.Join(d.dir, "e")}
	c.destroy = func() error { return srv.destroyData() }
	return d.leg(c, e, func() string { return "file://" + filepath.ToSlash(filepath.Join(d.dir, "backup-3")) }, srv.kmsURL, nil)
}

// srvBackupURL returns the backup location of leg 2, a prefix of a bucket of its own on the
// fresh S3 server, once the servers are started.
func srvBackupURL(srv **servers) func() string {
	return func() string { return (*srv).s3URL((*srv).backupBucket) + "&prefix=drill/" }
}

// leg backs up src (serve running), destroys it, restores into dst and compares. to is the
// backup location (a string or a func returning it once servers are up), fromRootKey the
// root key of src for the restore, fresh starts dst's servers (nil: none).
func (d *drill) leg(src, dst *platform, to any, fromRootKey string, fresh func() (string, error)) error {
	// Every production series where no FerretDB is involved (see snapshot).
	all := src.database == "" && fresh == nil && dst.database == ""
	var before *snapshot
	if err := step("snapshot of "+src.name+" through the API", func() (string, error) {
		var err error
		before, err = d.snapshot(src, all)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("%d items", len(before.items)), nil
	}); err != nil {
		return err
	}
	if fresh != nil {
		if err := step("start fresh, empty servers", fresh); err != nil {
			return err
		}
	}
	location := func() string {
		if f, ok := to.(func() string); ok {
			return f()
		}
		return to.(string)
	}
	if err := step("wellbase backup --to "+scheme(location())+" (serve running)", func() (string, error) {
		out, err := d.wellbase(src, "backup", "--to", location())
		if err != nil {
			return "", err
		}
		return backupNote(out), nil
	}); err != nil {
		return err
	}
	if err := step("destroy "+src.name+": serve killed, data deleted", func() (string, error) {
		return "", d.destroy(src)
	}); err != nil {
		return err
	}
	start := time.Now()
	if err := step("wellbase restore --from "+scheme(location())+" into "+dst.name, func() (string, error) {
		out, err := d.wellbase(dst, "restore", "--from", location(), "--from-root-key", fromRootKey)
		if err != nil {
			return "", err
		}
		return restoreNote(out), nil
	}); err != nil {
		return err
	}
	d.restores = append(d.restores, time.Since(start).Seconds())
	if err := step("start serve on the restored "+dst.name, func() (string, error) { return "", d.serve(dst) }); err != nil {
		return err
	}
	var after *snapshot
	if err := step("compare every item through the API, with the old tokens", func() (string, error) {
		var err error
		if after, err = d.snapshot(dst, all); err != nil {
			return "", err
		}
		differ, missing := compare(before, after)
		d.compared += len(before.items)
		d.differ += len(differ)
		d.missing += len(missing)
		for i, k := range differ {
			if i < 5 {
				b, a := around(before.items[k], after.items[k])
				fmt.Printf("    differs: %s\n      before …%s…\n      after  …%s…\n", k, b, a)
			}
		}
		for i, k := range missing {
			if i < 5 {
				fmt.Printf("    missing: %s\n", k)
			}
		}
		note := fmt.Sprintf("%d items, %d differ, %d missing", len(before.items), len(differ), len(missing))
		if len(differ)+len(missing) > 0 {
			return note, fmt.Errorf("%d items differ and %d are missing after the restore", len(differ), len(missing))
		}
		return note, nil
	}); err != nil {
		return err
	}
	if fresh != nil {
		// An export reads every production series: minutes on FerretDB. The files restored
		// here are read back byte for byte after the next leg, which copies them as stored.
		return nil
	}
	return step("original LAS files byte for byte (tenant export archives)", func() (string, error) {
		n, err := d.originalsMatch(dst)
		d.originals += n
		return fmt.Sprintf("%d files", n), err
	})
}

// scheme returns "file://…" or "s3://…" of a location, for the step's title.
func scheme(loc string) string {
	u, err := url.Parse(loc)
	if err != nil {
		return loc
	}
	return u.Scheme + "://…"
}

// keepKey copies the root key of p's data dir beside the drill's backups, as an operator keeps
// it apart from the data (mode 0600), and returns the copy's path.
func (d *drill) keepKey(p *platform) string {
	path := filepath.Join(d.dir, "kept-"+strings.ReplaceAll(p.name, " ", "-")+".key")
	b, err := os.ReadFile(filepath.Join(p.dataDir, "root.key"))
	if err == nil {
		err = os.WriteFile(path, b, 0o600)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "dr-drill: keep the root key of %s: %v\n", p.name, err)
	}
	return path
}

func (d *drill) cleanup() {
	for i := len(d.procs) - 1; i >= 0; i-- {
		d.procs[i].stop()
	}
	if d.dir == "" {
		return
	}
	if d.keep {
		fmt.Fprintf(os.Stderr, "dr-drill: kept %s\n", d.dir)
		return
	}
	os.RemoveAll(d.dir)
}

// around returns the parts of a and b around where they first differ.
func around(a, b string) (string, string) {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	cut := func(s string) string {
		lo, hi := max(i-80, 0), min(i+80, len(s))
		return s[lo:hi]
	}
	return cut(a), cut(b)
}
