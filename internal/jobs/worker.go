package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/wellbase/wellbase"
)

// Handler runs one job. It reports progress (0 to 1) through progress, returns a JSON-able
// result, and must stop when ctx ends (cancellation, lost lease, shutdown). An error whose code
// is EInvalid or ENotFound is permanent: the job fails at once instead of being retried.
type Handler func(ctx context.Context, job *wellbase.Job, progress func(float64)) (any, error)

// ErrCancelled is what a handler's context is cancelled with when a user cancels the job.
var ErrCancelled = errors.New("job cancelled by a user")

// errLeaseLost is the cause when the worker no longer holds the job.
var errLeaseLost = errors.New("lease lost")

// Worker leases jobs and runs their handlers.
type Worker struct {
	Queue    *Queue
	Handlers map[string]Handler
	// Types are the job types this worker leases; nil: every type. The ECS worker service is
	// given the long job types and the Lambda the short ones, so neither leases a job meant for
	// the other.
	Types []string
	// OnOutcome, if set, is called after each job run with how it ended (metrics).
	OnOutcome func(Outcome)
	// ID names this worker in leases (host and process, for instance).
	ID string
	// Concurrency is the number of jobs run at once (default 2); one tenant runs at most
	// max(1, Concurrency−1) of them (see the package doc: Fairness).
	Concurrency int
	// Lease is the lease duration (DefaultLease if 0); heartbeats come every Lease/3.
	Lease time.Duration
	// Poll is how long to wait when there is no job (default 500 ms).
	Poll time.Duration
	// Backoff returns the wait before retry number attempt; the package's Backoff if nil.
	Backoff func(attempt int) time.Duration
	Log     *slog.Logger
}

// Run leases and runs jobs until ctx ends. Then it takes no new job and gives the jobs in hand
// until drainCtx ends to finish; jobs still running then are handed back to the queue (their
// lease released, so another worker takes them at once) and Run returns.
func (w *Worker) Run(ctx, drainCtx context.Context) {
	n := w.Concurrency
	if n <= 0 {
		n = 2
	}
	share := &slotShare{max: max(1, n-1), held: make(map[string]int)}
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { w.loop(ctx, drainCtx, fmt.Sprintf("%s/%d", w.ID, i), share) })
	}
	wg.Wait()
}

func (w *Worker) lease() time.Duration {
	if w.Lease > 0 {
		return w.Lease
	}
	return DefaultLease
}

func (w *Worker) log() *slog.Logger {
	if w.Log != nil {
		return w.Log
	}
	return slog.New(slog.DiscardHandler)
}

// slotShare counts the slots of one Worker each tenant holds, so that no tenant holds more
// than max of them (see the package doc: Fairness).
type slotShare struct {
	// mu is held across a lease, so that two slots never both take a tenant's last share.
	mu   sync.Mutex
	max  int
	held map[string]int
}

// lease leases a job for slot id of w from a tenant under its share, and counts it as held.
func (s *slotShare) lease(ctx context.Context, w *Worker, id string) (*wellbase.Job, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	j, err := w.Queue.lease(ctx, id, w.lease(), w.Types, func(tenant string) bool { return s.held[tenant] >= s.max })
	if j != nil {
		s.held[j.TenantID]++
	}
	return j, err
}

// release counts tenant's slot as free again.
func (s *slotShare) release(tenant string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.held[tenant]--; s.held[tenant] <= 0 {
		delete(s.held, tenant)
	}
}

func (w *Worker) loop(ctx, drainCtx context.Context, id string, share *slotShare) {
	poll := w.Poll
	if poll <= 0 {
		poll = 500 * time.Millisecond
	}
	for ctx.Err() == nil {
		j, err := share.lease(ctx, w, id)
		if err != nil {
			if ctx.Err() == nil {
				w.log().Error("lease job", slog.String("worker", id), slog.String("error", err.Error()))
			}
		}
		if j == nil {
			select {
			case <-ctx.Done():
			case <-time.After(poll):
			}
			continue
		}
		w.RunJob(ctx, drainCtx, id, j)
		share.release(j.TenantID)
	}
}

// Outcome is how one run of a job ended.
type Outcome struct {
	// Job is the job as leased (Attempts counts this run).
	Job *wellbase.Job
	// Worker is the lease owner that ran it.
	Worker string
	// Status is what the run recorded: succeeded, failed (for good), cancelled, or queued (a
	// failed attempt to be retried: Retry; or a job handed back at shutdown or at the end of a
	// Lambda invocation: HandedBack). Empty when nothing could be recorded (LeaseLost, or
	// RecordError).
	Status     wellbase.JobStatus
	Retry      bool
	HandedBack bool
	// LeaseLost: the lease ran out and another worker holds the job; nothing was recorded.
	LeaseLost bool
	// Error is the failure of a failed or retried run, as recorded on the job.
	Error string
	// Result is the result of a succeeded run (JSON).
	Result json.RawMessage
	// RecordError is why the outcome could not be written to the store (the lease then runs
	// out and another worker runs the job again).
	RecordError error
	// Duration is the time the handler ran.
	Duration time.Duration
}

// RunJob runs job j, which worker holds (from Queue.Lease or Queue.Claim), to its end: success,
// failure (retried or final), cancellation, or hand-back. ctx ending means "take no new work";
// the handler's own context ends when drainCtx ends (shutdown, or the end of a Lambda
// invocation's time), on a user's cancel, or when the lease is lost. A job still running when
// drainCtx ends is handed back to the queue, runnable at once, with its lease released.
// RunJob records the outcome on the job, calls OnOutcome and returns it.
func (w *Worker) RunJob(ctx, drainCtx context.Context, worker string, j *wellbase.Job) Outcome {
	o := w.run(ctx, drainCtx, worker, j)
	if w.OnOutcome != nil {
		w.OnOutcome(o)
	}
	return o
}

func (w *Worker) run(ctx, drainCtx context.Context, worker string, j *wellbase.Job) Outcome {
	ts := w.Queue.Store.Tenant(j.TenantID)
	log := w.log().With(slog.String("tenant", j.TenantID), slog.String("job", j.ID), slog.String("type", j.Type), slog.Int("attempt", j.Attempts),
		slog.String("worker", worker))
	out := Outcome{Job: j, Worker: worker}
	// The handler's context outlives ctx (shutdown) until drainCtx ends, so a job in hand can
	// finish; it ends early on cancellation or a lost lease.
	hctx, stop := context.WithCancelCause(context.WithoutCancel(ctx))
	defer stop(nil)
	go func() {
		select {
		case <-drainCtx.Done():
			stop(context.Canceled)
		case <-hctx.Done():
		}
	}()

	var mu sync.Mutex
	progress := j.Progress
	report := func(p float64) {
		mu.Lock()
		progress = min(max(p, 0), 1)
		mu.Unlock()
	}
	// Heartbeats extend the lease and carry progress; they also bring a user's cancel.
	hb := make(chan struct{})
	go func() {
		defer close(hb)
		tick := time.NewTicker(w.lease() / 3)
		defer tick.Stop()
		for {
			select {
			case <-hctx.Done():
				return
			case <-tick.C:
			}
			mu.Lock()
			p := progress
			mu.Unlock()
			until := w.Queue.now().Add(w.lease())
			cur, err := ts.UpdateHeldJob(hctx, j.ID, worker, w.Queue.now(), wellbase.JobUpdate{Progress: &p, LeaseUntil: &until})
			switch {
			case wellbase.ErrorCode(err) == wellbase.EConflict:
				stop(errLeaseLost)
				return
			case err != nil:
				log.Warn("heartbeat", slog.String("error", err.Error()))
			case cur.CancelRequested:
				stop(ErrCancelled)
				return
			}
		}
	}()

	start := time.Now()
	h, ok := w.Handlers[j.Type]
	var result any
	var err error
	if !ok {
		err = wellbase.Errorf(wellbase.EInvalid, "no handler for job type %q", j.Type)
	} else {
		result, err = w.runHandler(hctx, h, j, report)
	}
	out.Duration = time.Since(start)
	cause := context.Cause(hctx)
	stop(nil)
	<-hb

	now := w.Queue.now().UTC()
	u := wellbase.JobUpdate{Release: true}
	switch {
	case errors.Is(cause, errLeaseLost):
		log.Warn("lease lost; another worker has the job")
		out.LeaseLost = true
		return out
	case errors.Is(cause, ErrCancelled):
		st := wellbase.JobCancelled
		msg := "cancelled by a user"
		u.Status, u.Error, u.FinishedAt = &st, &msg, &now
	case err == nil:
		b, merr := json.Marshal(result)
		if merr != nil {
			err = fmt.Errorf("encode result: %w", merr)
			break
		}
		st, one := wellbase.JobSucceeded, 1.0
		u.Status, u.Result, u.Progress, u.FinishedAt = &st, b, &one, &now
		out.Result = b
	case drainCtx.Err() != nil && errors.Is(cause, context.Canceled):
		// Shutdown, or the end of a Lambda invocation's time: hand the job back now rather than
		// let its lease run out.
		st := wellbase.JobQueued
		u.Status, u.RunAt = &st, &now
		out.HandedBack = true
		log.Info("job handed back: the worker is stopping")
	}
	if err != nil && u.Status == nil {
		msg := err.Error()
		st := wellbase.JobQueued
		code := wellbase.ErrorCode(err)
		if code == wellbase.EInvalid || code == wellbase.ENotFound || j.Attempts >= j.MaxAttempts {
			st = wellbase.JobFailed
			if code != wellbase.EInternal {
				msg = wellbase.ErrorMessage(err)
			}
			u.FinishedAt = &now
		} else {
			backoff := Backoff
			if w.Backoff != nil {
				backoff = w.Backoff
			}
			retry := now.Add(backoff(j.Attempts))
			u.RunAt = &retry
		}
		u.Status, u.Error = &st, &msg
		out.Retry, out.Error = st == wellbase.JobQueued, msg
		log.Warn("job failed", slog.String("error", err.Error()), slog.String("next", string(st)))
	}
	if _, uerr := ts.UpdateHeldJob(context.WithoutCancel(ctx), j.ID, worker, w.Queue.now(), u); uerr != nil {
		log.Error("record job outcome", slog.String("error", uerr.Error()))
		out.RecordError = uerr
		return out
	}
	out.Status = *u.Status
	log.Info("job ended", slog.String("status", string(*u.Status)), slog.Float64("duration_ms", float64(out.Duration.Microseconds())/1000))
	return out
}

// abandonAfter is how long a handler gets to return once its context ends (cancel, lost lease,
// shutdown) before the worker stops waiting for it: a handler stuck in a computation that does
// not watch its context must not block cancellation or shutdown.
const abandonAfter = time.Second

// runHandler runs h in its own goroutine and returns its outcome, or ctx's cause once ctx has
// ended and h has not returned within abandonAfter (h is then left to finish on its own; its
// outcome is discarded).
func (w *Worker) runHandler(ctx context.Context, h Handler, j *wellbase.Job, progress func(float64)) (any, error) {
	type outcome struct {
		result any
		err    error
	}
	done := make(chan outcome, 1)
	go func() {
		r, err := safeRun(ctx, h, j, progress)
		done <- outcome{r, err}
	}()
	select {
	case o := <-done:
		return o.result, o.err
	case <-ctx.Done():
	}
	select {
	case o := <-done:
		return o.result, o.err
	case <-time.After(abandonAfter):
		w.log().Warn("job handler did not stop; abandoned", slog.String("job", j.ID), slog.String("type", j.Type))
		return nil, context.Cause(ctx)
	}
}

// safeRun runs h, turning a panic into an error so one bad job cannot take the worker down.
func safeRun(ctx context.Context, h Handler, j *wellbase.Job, progress func(float64)) (result any, err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("job handler panicked: %v", v)
		}
	}()
	return h(ctx, j, progress)
}
