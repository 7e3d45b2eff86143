package jobs

import (
	"context"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/wellbase/wellbase"
)

// Dispatcher sends each stored job of some types to where it runs — on AWS, an asynchronous
// invoke of the Lambda job function naming the job — off the enqueuer's path: Notify (the
// Queue's OnEnqueue) returns at once and the send runs in a goroutine of its own, bounded in
// time and in number. A send that fails, times out or finds MaxInFlight sends under way is only
// logged: the job is stored and queued whatever happens here, and the scheduled drain (or a
// worker) runs it later. Sending is a latency optimisation, never a condition of a job's run.
type Dispatcher struct {
	// Types are the job types sent; jobs of other types are left to the workers.
	Types []string
	// Send delivers one job. Its error is logged as a warning, never returned to the enqueuer.
	Send func(ctx context.Context, j *wellbase.Job) error
	// Timeout bounds one Send (default 10 s).
	Timeout time.Duration
	// MaxInFlight bounds the sends under way at once (default 32).
	MaxInFlight int
	Log         *slog.Logger

	mu       sync.Mutex
	inFlight int
	idle     chan struct{} // closed when inFlight drops to 0; nil while it is 0
}

// Notify sends j in the background if its type is one of d.Types. It has the signature of
// Queue.OnEnqueue. ctx's values (request ID, tenant) are kept for the logs; its cancellation
// is not: the request that enqueued the job may end before the send does.
func (d *Dispatcher) Notify(ctx context.Context, j *wellbase.Job) {
	if !slices.Contains(d.Types, j.Type) {
		return
	}
	log := d.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	max := d.MaxInFlight
	if max <= 0 {
		max = 32
	}
	d.mu.Lock()
	if d.inFlight >= max {
		d.mu.Unlock()
		log.WarnContext(ctx, "job not dispatched: too many dispatches under way; the scheduled drain will run it",
			slog.String("tenant", j.TenantID), slog.String("job", j.ID), slog.String("type", j.Type), slog.Int("in_flight", max))
		return
	}
	if d.inFlight == 0 {
		d.idle = make(chan struct{})
	}
	d.inFlight++
	d.mu.Unlock()
	timeout := d.Timeout
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), timeout)
	go func() {
		defer func() {
			cancel()
			d.mu.Lock()
			if d.inFlight--; d.inFlight == 0 {
				close(d.idle)
				d.idle = nil
			}
			d.mu.Unlock()
		}()
		start := time.Now()
		if err := d.Send(sctx, j); err != nil {
			log.WarnContext(sctx, "job not dispatched; the scheduled drain will run it", slog.String("tenant", j.TenantID),
				slog.String("job", j.ID), slog.String("type", j.Type), slog.String("error", err.Error()))
			return
		}
		log.InfoContext(sctx, "job dispatched", slog.String("tenant", j.TenantID), slog.String("job", j.ID), slog.String("type", j.Type),
			slog.Float64("duration_ms", float64(time.Since(start).Microseconds())/1000))
	}()
}

// Wait waits until no send is under way, or ctx ends (then it returns ctx's error). A Lambda
// invocation that enqueued jobs waits so before it returns: its execution environment may be
// frozen as soon as it has answered.
func (d *Dispatcher) Wait(ctx context.Context) error {
	d.mu.Lock()
	idle := d.idle
	d.mu.Unlock()
	if idle == nil {
		return nil
	}
	select {
	case <-idle:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
