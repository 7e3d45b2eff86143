package main

import (
	"flag"
	"fmt"
	"time"

	"github.com/wellbase/wellbase/internal/httpapi"
)

// ReadOptions are serve's flags for fast reads under load: the curve cache and load shedding.
type ReadOptions struct {
	// CurveCacheBytes bounds the memory of cached curves and curve answers (0: the default,
	// httpapi.DefaultCurveCacheBytes; negative: no cache).
	CurveCacheBytes int64
	// CurveGzip answers curve reads gzip-coded to clients that accept it.
	CurveGzip bool
	// MaxInFlight requests run at once (0: httpapi.DefaultMaxInFlight; negative: no limit);
	// QueueWait is how long a request waits for a slot before 503 (0: the default).
	MaxInFlight int
	QueueWait   time.Duration

	cacheMiB int64
}

func (o *ReadOptions) bind(fs *flag.FlagSet) {
	fs.Int64Var(&o.cacheMiB, "curve-cache", httpapi.DefaultCurveCacheBytes>>20,
		"`MiB` of memory for cached curves and curve answers (least recently used out; 0: no cache)")
	fs.BoolVar(&o.CurveGzip, "curve-gzip", false,
		"answer curve reads gzip-coded to clients that accept it (pays on slow links; costs the client CPU on fast ones)")
	fs.IntVar(&o.MaxInFlight, "max-inflight", 0,
		"requests served at once; more wait up to --queue-wait, then get 503 with Retry-After (0: 64 per CPU of GOMAXPROCS; -1: no limit)")
	fs.DurationVar(&o.QueueWait, "queue-wait", httpapi.DefaultQueueWait,
		"how long a request waits for one of the --max-inflight slots before it is shed with 503")
}

func (o *ReadOptions) check() error {
	if o.cacheMiB < 0 || o.cacheMiB > 1<<20 {
		return fmt.Errorf("--curve-cache must be from 0 to 1048576 MiB, got %d", o.cacheMiB)
	}
	o.CurveCacheBytes = o.cacheMiB << 20
	if o.cacheMiB == 0 {
		o.CurveCacheBytes = -1
	}
	if o.MaxInFlight < -1 || o.MaxInFlight > 1<<20 {
		return fmt.Errorf("--max-inflight must be -1 (no limit), 0 (the default) or a number of requests, got %d", o.MaxInFlight)
	}
	if o.QueueWait < 0 || o.QueueWait > time.Minute {
		return fmt.Errorf("--queue-wait must be from 0 to 1m, got %s", o.QueueWait)
	}
	return nil
}
