package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"
)

// proc is one process of the drill (a serve replica, a worker, haproxy), started again after it
// is killed. Its output is appended to <logs>/<name>.log, each start marked by a line.
type proc struct {
	name    string
	path    string
	args    []string
	logPath string
	// addr is the address a serve replica listens on ("" for others).
	addr string

	mu     sync.Mutex
	cmd    *exec.Cmd
	exited chan struct{}
	state  *os.ProcessState
	starts int
}

func newProc(logDir, name, path string, args ...string) *proc {
	return &proc{name: name, path: path, args: args, logPath: filepath.Join(logDir, name+".log")}
}

// start starts the process; it must not be running.
func (p *proc) start() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	f, err := os.OpenFile(p.logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	p.starts++
	fmt.Fprintf(f, "=== drill: start %d of %s at %s\n", p.starts, p.name, time.Now().UTC().Format(time.RFC3339Nano))
	cmd := exec.Command(p.path, p.args...)
	cmd.Stdout, cmd.Stderr = f, f
	// In the drill's process group (make's): whoever stops the group (Ctrl-C, the acceptance
	// check's time limit) stops these too, even if the drill itself is killed first.
	if err := cmd.Start(); err != nil {
		f.Close()
		return fmt.Errorf("start %s: %w", p.name, err)
	}
	exited := make(chan struct{})
	p.cmd, p.exited, p.state = cmd, exited, nil
	go func() {
		cmd.Wait()
		f.Close()
		p.mu.Lock()
		p.state = cmd.ProcessState
		p.mu.Unlock()
		close(exited)
	}()
	return nil
}

// pid returns the process ID of the running process (0 if none).
func (p *proc) pid() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cmd == nil || p.cmd.Process == nil {
		return 0
	}
	return p.cmd.Process.Pid
}

// signal sends sig to the process.
func (p *proc) signal(sig syscall.Signal) error {
	p.mu.Lock()
	cmd := p.cmd
	p.mu.Unlock()
	if cmd == nil || cmd.Process == nil {
		return fmt.Errorf("%s is not running", p.name)
	}
	return cmd.Process.Signal(sig)
}

// wait waits up to d for the process to exit and returns how it ended; false if it still runs.
func (p *proc) wait(d time.Duration) (*os.ProcessState, bool) {
	p.mu.Lock()
	exited := p.exited
	p.mu.Unlock()
	if exited == nil {
		return nil, true
	}
	select {
	case <-exited:
		p.mu.Lock()
		defer p.mu.Unlock()
		return p.state, true
	case <-time.After(d):
		return nil, false
	}
}

// running reports whether the process runs.
func (p *proc) running() bool {
	p.mu.Lock()
	exited := p.exited
	p.mu.Unlock()
	if exited == nil {
		return false
	}
	select {
	case <-exited:
		return false
	default:
		return true
	}
}

// stop ends the process: SIGTERM, then SIGKILL after grace.
func (p *proc) stop(grace time.Duration) {
	if !p.running() {
		return
	}
	p.signal(syscall.SIGTERM)
	if _, ok := p.wait(grace); !ok {
		p.signal(syscall.SIGKILL)
		p.wait(10 * time.Second)
	}
}

// waitReady waits until the replica's /readyz answers 200, for at most d.
func waitReady(ctx context.Context, addr string, d time.Duration) error {
	deadline := time.Now().Add(d)
	c := &http.Client{Timeout: time.Second}
	for {
		res, err := c.Get("http://" + addr + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s/readyz did not answer 200 within %s (last: %v)", addr, d, errOrStatus(res, err))
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func errOrStatus(res *http.Response, err error) string {
	if err != nil {
		return err.Error()
	}
	return res.Status
}

// freeAddr returns a loopback address that was free a moment ago.
func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// haproxy is the load balancer in front of the replicas.
type haproxy struct {
	*proc
	addr   string // frontend
	socket string // admin socket, for "show stat"
}

// haproxyConfig returns the configuration of haproxy on addr in front of replicas: HTTP health
// checks of /readyz every 500 ms (down after 2 failures, up after 2 successes), so a replica
// that drains (/readyz 503) or dies is out within about a second; a check may take up to 2 s
// (the replica's own readiness timeout), not the interval, so a busy database does not take
// replicas out. A connection that fails is
// retried on another replica (retries, option redispatch; retry-on's default is conn-failure
// only): such a request never reached Wellbase. A request that reached a replica that then died
// is not retried by haproxy (it answers 502): it may have run, so it is the client's to retry,
// with its Idempotency-Key.
func haproxyConfig(addr, socket string, replicas []*proc) string {
	var b strings.Builder
	fmt.Fprintf(&b, `global
	log stdout format raw local0 info
	stats socket %s mode 600 level admin
	maxconn 2000

defaults
	mode http
	log global
	option httplog
	option dontlognull
	timeout connect 2s
	timeout client 180s
	timeout server 180s
	timeout http-request 30s
	timeout check 2s
	retries 3
	option redispatch 1

frontend api
	bind %s
	default_backend wellbase

backend wellbase
	balance leastconn
	option httpchk GET /readyz
	http-check expect status 200
	default-server inter 500ms fastinter 250ms downinter 500ms fall 2 rise 2
`, socket, addr)
	for _, r := range replicas {
		fmt.Fprintf(&b, "\tserver %s %s check\n", r.name, r.addr)
	}
	return b.String()
}

// serverStatus returns haproxy's view of each replica ("UP", "DOWN", "UP 1/2", …) from its
// admin socket.
func (h *haproxy) serverStatus() (map[string]string, error) {
	c, err := net.DialTimeout("unix", h.socket, time.Second)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(2 * time.Second))
	if _, err := c.Write([]byte("show stat\n")); err != nil {
		return nil, err
	}
	out := map[string]string{}
	sc := bufio.NewScanner(c)
	col := -1
	for sc.Scan() {
		f := strings.Split(sc.Text(), ",")
		if strings.HasPrefix(sc.Text(), "# ") {
			for i, name := range f {
				if name == "status" {
					col = i
				}
			}
			continue
		}
		if col < 0 || len(f) <= col || f[0] != "wellbase" || f[1] == "BACKEND" {
			continue
		}
		out[f[1]] = f[col]
	}
	if col < 0 {
		return nil, errors.New("haproxy show stat: no status column")
	}
	return out, sc.Err()
}

// waitStatus waits until haproxy says replica is in state want ("UP" or "DOWN"), for at most d.
func (h *haproxy) waitStatus(ctx context.Context, replica, want string, d time.Duration) error {
	deadline := time.Now().Add(d)
	last := "?"
	for {
		st, err := h.serverStatus()
		if err == nil {
			last = st[replica]
			if last == want {
				return nil
			}
		} else {
			last = err.Error()
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("haproxy did not see %s %s within %s (last: %s)", replica, want, d, last)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}
