package mongodb_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/mongodb"
)

// checkUnavailable fails t unless err is the EUnavailable error of a server that cannot be
// reached, with the user-safe message and the driver's cause kept in its text.
func checkUnavailable(t testing.TB, op string, err error) {
	t.Helper()
	if code := wellbase.ErrorCode(err); code != wellbase.EUnavailable {
		t.Fatalf("%s: code %q (%v), want %q", op, code, err, wellbase.EUnavailable)
	}
	if msg, want := wellbase.ErrorMessage(err), "the database is unavailable; retry shortly"; msg != want {
		t.Errorf("%s: message %q, want %q", op, msg, want)
	}
	if !strings.Contains(err.Error(), "mongodb: ") {
		t.Errorf("%s: error %q keeps no cause", op, err)
	}
}

func TestOpenErrUnavailable(t *testing.T) {
	t.Parallel()
	// Nothing listens on port 1: needs no server.
	const closed = "mongodb://127.0.0.1:1/wbtest?serverSelectionTimeoutMS=200"
	t.Run("ErrUnavailable", func(t *testing.T) {
		t.Parallel()
		_, err := mongodb.Open(t.Context(), closed)
		checkUnavailable(t, "Open", err)
	})
	t.Run("ErrUnavailableDeadline", func(t *testing.T) {
		t.Parallel()
		// The caller's deadline before the server selection timeout: still a server that
		// does not answer.
		ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
		defer cancel()
		_, err := mongodb.Open(ctx, "mongodb://127.0.0.1:1/wbtest")
		checkUnavailable(t, "Open", err)
	})
	t.Run("Canceled", func(t *testing.T) {
		t.Parallel()
		// A caller that goes away while the driver waits for a server is context.Canceled, not
		// a 503.
		ctx, cancel := context.WithCancel(t.Context())
		time.AfterFunc(100*time.Millisecond, cancel)
		_, err := mongodb.Open(ctx, "mongodb://127.0.0.1:1/wbtest")
		if !errors.Is(err, context.Canceled) || wellbase.ErrorCode(err) == wellbase.EUnavailable {
			t.Fatalf("Open: %v (code %q), want context.Canceled, not %q", err, wellbase.ErrorCode(err), wellbase.EUnavailable)
		}
	})
}

// TestServerGone opens a database through a TCP proxy to the test server, then stops the proxy
// and closes its connections, as when the server is killed: calls are EUnavailable, within the
// URL's server selection timeout.
func TestServerGone(t *testing.T) {
	t.Parallel()
	direct := dbURL(t)
	openURL(t, direct) // creates the database, and drops it at the end

	u, err := url.Parse(direct)
	if err != nil {
		t.Fatal(err)
	}
	p := startProxy(t, u.Host)
	u.Host = p.addr()
	u.RawQuery = "serverSelectionTimeoutMS=300&connectTimeoutMS=300"
	db, err := mongodb.Open(t.Context(), u.String())
	if err != nil {
		t.Fatalf("Open through the proxy: %v", err)
	}
	defer db.Close()
	if err := db.Ping(t.Context()); err != nil {
		t.Fatalf("Ping through the proxy: %v", err)
	}

	p.stop()
	calls := map[string]func(ctx context.Context) error{
		"Ping": db.Ping,
		"GetTenant": func(ctx context.Context) error {
			_, err := db.GetTenant(ctx, "acme")
			return err
		},
		"CreateTenant": func(ctx context.Context) error {
			return db.CreateTenant(ctx, &wellbase.Tenant{ID: "acme", CreatedAt: time.Now()})
		},
		"ListWells": func(ctx context.Context) error {
			_, _, err := db.Tenant("acme").ListWells(ctx, wellbase.Page{})
			return err
		},
	}
	for name, call := range calls {
		checkUnavailable(t, name, call(t.Context()))
	}

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := db.Ping(ctx); !errors.Is(err, context.Canceled) || wellbase.ErrorCode(err) == wellbase.EUnavailable {
		t.Errorf("Ping with a cancelled context: %v, want context.Canceled", err)
	}
	if err := db.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	// A call after Close (during shutdown) is EUnavailable too.
	checkUnavailable(t, "Ping after Close", db.Ping(t.Context()))
}

// proxy forwards TCP connections to a server until stop.
type proxy struct {
	ln     net.Listener
	mu     sync.Mutex
	conns  []net.Conn
	closed bool
}

func startProxy(tb testing.TB, upstream string) *proxy {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatalf("proxy: %v", err)
	}
	p := &proxy{ln: ln}
	tb.Cleanup(p.stop)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s, err := net.Dial("tcp", upstream)
			if err != nil {
				c.Close()
				continue
			}
			if !p.track(c, s) {
				return
			}
			go func() { io.Copy(s, c); s.Close() }()
			go func() { io.Copy(c, s); c.Close() }()
		}
	}()
	return p
}

func (p *proxy) addr() string { return p.ln.Addr().String() }

// track keeps conns to close at stop, or closes them if stopped already.
func (p *proxy) track(conns ...net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		for _, c := range conns {
			c.Close()
		}
		return false
	}
	p.conns = append(p.conns, conns...)
	return true
}

// stop closes the listener and every connection.
func (p *proxy) stop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return
	}
	p.closed = true
	p.ln.Close()
	for _, c := range p.conns {
		c.Close()
	}
}
