package main

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// platform is a Wellbase deployment of the drill: its data dir and driver URLs ("" for the
// embedded defaults), and its serve process while it runs.
type platform struct {
	name                     string
	dataDir                  string
	database, files, rootKey string
	// destroy, if set, destroys the platform's servers and their data too.
	destroy func() error

	serve *proc
	base  string // http://127.0.0.1:<port>
}

// flags are the store flags of p's wellbase commands.
func (p *platform) flags() []string {
	f := []string{"--data-dir", p.dataDir}
	for name, v := range map[string]string{"--database": p.database, "--files": p.files, "--root-key": p.rootKey} {
		if v != "" {
			f = append(f, name, v)
		}
	}
	return f
}

// proc is a process the drill started, in a process group of its own.
type proc struct {
	name string
	cmd  *exec.Cmd
	log  string
	done chan struct{}
}

// start runs bin with args, its output in the file logPath, in a process group of its own.
func (d *drill) start(name, logPath string, env []string, bin string, args ...string) (*proc, error) {
	out, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = out, out
	cmd.Env = append(os.Environ(), env...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		out.Close()
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	p := &proc{name: name, cmd: cmd, log: logPath, done: make(chan struct{})}
	go func() {
		cmd.Wait()
		out.Close()
		close(p.done)
	}()
	d.procs = append(d.procs, p)
	return p, nil
}

// signal sends sig to the process's group (the process and what it started).
func (p *proc) signal(sig syscall.Signal) {
	syscall.Kill(-p.cmd.Process.Pid, sig)
}

// stop ends the process: SIGTERM, then SIGKILL after 10 s.
func (p *proc) stop() {
	select {
	case <-p.done:
		return
	default:
	}
	p.signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
		p.kill()
	}
}

// kill ends the process at once (SIGKILL), as a crash would.
func (p *proc) kill() {
	p.signal(syscall.SIGKILL)
	<-p.done
}

// exited reports whether the process has ended.
func (p *proc) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// tail returns the end of the process's log.
func (p *proc) tail() string {
	b, _ := os.ReadFile(p.log)
	if len(b) > 1500 {
		b = b[len(b)-1500:]
	}
	return string(b)
}

// freePort returns a port nobody listens on, on 127.0.0.1.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// waitPort waits until something listens on 127.0.0.1:port, or p ends, or 60 s pass.
func waitPort(p *proc, port int) error {
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if c, err := net.DialTimeout("tcp", "127.0.0.1:"+strconv.Itoa(port), time.Second); err == nil {
			c.Close()
			return nil
		}
		if p.exited() {
			return fmt.Errorf("%s exited: %s", p.name, p.tail())
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("%s does not listen on 127.0.0.1:%d after 60 s: %s", p.name, port, p.tail())
}

// wellbase runs a wellbase command on p's stores and returns its standard output.
func (d *drill) wellbase(p *platform, args ...string) (string, error) {
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(d.bin, append(args, p.flags()...)...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return stdout.String(), fmt.Errorf("wellbase %s: %v: %s", args[0], err, strings.TrimSpace(stderr.String()))
	}
	return stdout.String(), nil
}

// serve starts serve on p and waits until /readyz answers 200.
func (d *drill) serve(p *platform) error {
	port, err := freePort()
	if err != nil {
		return err
	}
	args := append([]string{"serve", "--addr", "127.0.0.1:" + strconv.Itoa(port), "--workers", "2", "--log-level", "warn"}, p.flags()...)
	if p.serve, err = d.start("serve on "+p.name, filepath.Join(d.dir, "serve-"+strings.ReplaceAll(p.name, " ", "-")+".log"), nil, d.bin, args...); err != nil {
		return err
	}
	p.base = "http://127.0.0.1:" + strconv.Itoa(port)
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if res, err := http.Get(p.base + "/readyz"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
		}
		if p.serve.exited() {
			return fmt.Errorf("serve exited: %s", p.serve.tail())
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("serve on %s is not ready after 60 s: %s", p.name, p.serve.tail())
}

// destroy kills p's serve (SIGKILL), deletes its data dir, and its servers' data if it has any.
func (d *drill) destroy(p *platform) error {
	if p.serve != nil {
		p.serve.kill()
	}
	if err := os.RemoveAll(p.dataDir); err != nil {
		return err
	}
	if p.destroy != nil {
		return p.destroy()
	}
	return nil
}

// servers are fresh FerretDB, versitygw and local-kms instances of the drill's own.
type servers struct {
	dir                  string
	ferret, s3, kms      *proc
	mongoURL, s3Endpoint string
	kmsURL               string
	bucket, backupBucket string
}

// region is the AWS region the emulators answer in.
const region = "us-east-1"

// startServers starts the three servers on free loopback ports, each with an empty data
// folder: a bucket for the files and one for backups, and a KMS key (random backing key) under
// the alias alias/wellbase-drill.
func (d *drill) startServers() (*servers, error) {
	s := &servers{dir: filepath.Join(d.dir, "servers"), bucket: "wellbase-files", backupBucket: "wellbase-backups"}
	for _, sub := range []string{"ferretdb", "s3/" + s.bucket, "s3/" + s.backupBucket, "kms"} {
		if err := os.MkdirAll(filepath.Join(s.dir, sub), 0o700); err != nil {
			return nil, err
		}
	}
	backing := make([]byte, 32)
	rand.Read(backing)
	keyID := "0b5a2c6e-6d0f-4f7e-9a4e-2f1d3c4b5a69"
	seed := fmt.Sprintf("Keys:\n  Symmetric:\n    Aes:\n      - Metadata:\n          KeyId: %s\n        BackingKeys:\n          - %s\nAliases:\n  - AliasName: alias/wellbase-drill\n    TargetKeyId: %s\n",
		keyID, hex.EncodeToString(backing), keyID)
	if err := os.WriteFile(filepath.Join(s.dir, "kms-seed.yaml"), []byte(seed), 0o600); err != nil {
		return nil, err
	}
	type server struct {
		name string
		bin  string
		env  func(port int) []string
		args func(port int) []string
		p    **proc
		url  func(port int)
	}
	list := []server{
		{"ferretdb", os.Getenv("WELLBASE_TEST_FERRETDB_BIN"), nil, func(port int) []string {
			return []string{"--handler=sqlite", "--sqlite-url=file:" + filepath.Join(s.dir, "ferretdb") + "/", "--listen-addr=127.0.0.1:" + strconv.Itoa(port),
				"--state-dir=" + filepath.Join(s.dir, "ferretdb"), "--debug-addr=-", "--telemetry=disable", "--log-level=warn"}
		}, &s.ferret, func(port int) { s.mongoURL = "mongodb://127.0.0.1:" + strconv.Itoa(port) }},
		{"versitygw", os.Getenv("WELLBASE_TEST_VERSITYGW_BIN"), func(int) []string {
			return []string{"ROOT_ACCESS_KEY=test", "ROOT_SECRET_KEY=testsecret"}
		}, func(port int) []string {
			return []string{"--port", "127.0.0.1:" + strconv.Itoa(port), "--region", region, "--quiet", "posix", filepath.Join(s.dir, "s3")}
		}, &s.s3, func(port int) { s.s3Endpoint = "http://127.0.0.1:" + strconv.Itoa(port) }},
		{"local-kms", os.Getenv("WELLBASE_TEST_LOCALKMS_BIN"), func(port int) []string {
			return []string{"PORT=" + strconv.Itoa(port), "KMS_REGION=" + region, "KMS_ACCOUNT_ID=111122223333",
				"KMS_DATA_PATH=" + filepath.Join(s.dir, "kms"), "KMS_SEED_PATH=" + filepath.Join(s.dir, "kms-seed.yaml")}
		}, func(int) []string { return nil }, &s.kms, func(port int) {
			s.kmsURL = "awskms:///alias/wellbase-drill?region=" + region + "&endpoint=http://127.0.0.1:" + strconv.Itoa(port)
		}},
	}
	for _, sv := range list {
		port, err := freePort()
		if err != nil {
			return nil, err
		}
		var env []string
		if sv.env != nil {
			env = sv.env(port)
		}
		p, err := d.start(sv.name, filepath.Join(d.dir, sv.name+".log"), env, sv.bin, sv.args(port)...)
		if err != nil {
			return nil, err
		}
		*sv.p = p
		if err := waitPort(p, port); err != nil {
			return nil, err
		}
		sv.url(port)
	}
	return s, nil
}

// s3URL returns the gocloud URL of bucket on the S3 server.
func (s *servers) s3URL(bucket string) string {
	return "s3://" + bucket + "?region=" + region + "&endpoint=" + s.s3Endpoint + "&use_path_style=true"
}

// destroyData kills FerretDB and versitygw and deletes their data: the database and the
// files are gone; the KMS key, the root key, survives.
func (s *servers) destroyData() error {
	s.ferret.kill()
	s.s3.kill()
	for _, sub := range []string{"ferretdb", "s3"} {
		if err := os.RemoveAll(filepath.Join(s.dir, sub)); err != nil {
			return err
		}
	}
	return nil
}
