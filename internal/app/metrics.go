package app

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/emf"
	"github.com/wellbase/wellbase/internal/jobs"
)

// Metric names and the Service dimension's values. The Terraform alarms use these names: they
// never change.
const (
	MetricJobsSucceeded  = "JobsSucceeded"  // Count: jobs that succeeded
	MetricJobsFailed     = "JobsFailed"     // Count: jobs that failed for good (not a retried attempt)
	MetricJobsRetried    = "JobsRetried"    // Count: failed attempts to be retried after a backoff
	MetricJobDuration    = "JobDuration"    // Milliseconds: a handler's run, one value per run that succeeded, failed or will be retried
	MetricQueueDepth     = "QueueDepth"     // Count: jobs a worker may lease now
	MetricQueueOldestAge = "QueueOldestAge" // Seconds since the longest-waiting of them became runnable (0 if none)

	ServiceAPI    = "api"         // serve
	ServiceWorker = "worker"      // wellbase worker
	ServiceLambda = "jobs-lambda" // cmd/wellbase-lambda
)

// MetricsInterval is how often serve and worker write their job counters and queue statistics.
const MetricsInterval = time.Minute

// JobMetrics counts job outcomes and writes them, with the queue's statistics, as CloudWatch
// Embedded Metric Format lines (internal/emf) with the dimension Service. Its methods are safe
// for concurrent use.
type JobMetrics struct {
	out   *emf.Logger
	queue *jobs.Queue
	types []string
	log   *slog.Logger
	// perJob: each outcome is written at once, with the tenant, job and type as properties (the
	// Lambda, whose execution environment may be frozen or dropped after any invocation, keeps
	// nothing in memory); otherwise counts are summed until Flush.
	perJob bool

	mu                         sync.Mutex
	succeeded, failed, retried int
	durations                  []float64
}

// NewJobMetrics returns the job metrics of service (ServiceAPI, ServiceWorker, ServiceLambda) in
// namespace, written to w (os.Stdout), with the statistics of q's jobs of types (nil: every
// type). perJob writes each outcome at once instead of summing until Flush.
func NewJobMetrics(w io.Writer, namespace, service string, q *jobs.Queue, types []string, perJob bool, log *slog.Logger) (*JobMetrics, error) {
	out, err := emf.New(w, namespace, emf.Dimension{Name: "Service", Value: service})
	if err != nil {
		return nil, fmt.Errorf("--metrics-namespace (WELLBASE_METRICS_NAMESPACE): %w", err)
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &JobMetrics{out: out, queue: q, types: types, perJob: perJob, log: log}, nil
}

// counted returns the counts an outcome adds: succeeded, failed, retried, and whether its
// duration is a sample of JobDuration.
func counted(o jobs.Outcome) (s, f, r int, timed bool) {
	switch {
	case o.Status == wellbase.JobSucceeded:
		return 1, 0, 0, true
	case o.Status == wellbase.JobFailed:
		return 0, 1, 0, true
	case o.Retry:
		return 0, 0, 1, true
	}
	return 0, 0, 0, false // cancelled, handed back, lease lost, not recorded
}

// Observe counts one job run (the workers' OnOutcome).
func (m *JobMetrics) Observe(o jobs.Outcome) {
	s, f, r, timed := counted(o)
	if !timed {
		return
	}
	ms := float64(o.Duration.Microseconds()) / 1000
	if m.perJob {
		err := m.out.Emit([]emf.Metric{
			{Name: MetricJobsSucceeded, Unit: emf.Count, Values: []float64{float64(s)}},
			{Name: MetricJobsFailed, Unit: emf.Count, Values: []float64{float64(f)}},
			{Name: MetricJobsRetried, Unit: emf.Count, Values: []float64{float64(r)}},
			{Name: MetricJobDuration, Unit: emf.Milliseconds, Values: []float64{ms}},
		}, map[string]any{"tenant": o.Job.TenantID, "job": o.Job.ID, "type": o.Job.Type})
		if err != nil {
			m.log.Warn("write job metrics", slog.String("error", err.Error()))
		}
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.succeeded += s
	m.failed += f
	m.retried += r
	m.durations = append(m.durations, ms)
}

// Flush writes the counts summed since the last Flush (zeros included, so that alarms see
// data) and the queue's statistics now. With perJob, only the statistics.
func (m *JobMetrics) Flush(ctx context.Context) error {
	var ms []emf.Metric
	if !m.perJob {
		m.mu.Lock()
		ms = []emf.Metric{
			{Name: MetricJobsSucceeded, Unit: emf.Count, Values: []float64{float64(m.succeeded)}},
			{Name: MetricJobsFailed, Unit: emf.Count, Values: []float64{float64(m.failed)}},
			{Name: MetricJobsRetried, Unit: emf.Count, Values: []float64{float64(m.retried)}},
			{Name: MetricJobDuration, Unit: emf.Milliseconds, Values: m.durations},
		}
		m.succeeded, m.failed, m.retried, m.durations = 0, 0, 0, nil
		m.mu.Unlock()
	}
	st, err := m.queue.Stats(ctx, m.types)
	if err == nil {
		age := 0.0
		if st.Runnable > 0 {
			age = max(m.queueNow().Sub(st.OldestRunnable).Seconds(), 0)
		}
		ms = append(ms, emf.Metric{Name: MetricQueueDepth, Unit: emf.Count, Values: []float64{float64(st.Runnable)}},
			emf.Metric{Name: MetricQueueOldestAge, Unit: emf.Seconds, Values: []float64{age}})
	}
	if werr := m.out.Emit(ms, nil); werr != nil {
		return werr
	}
	if err != nil {
		return fmt.Errorf("queue statistics: %w", err)
	}
	return nil
}

func (m *JobMetrics) queueNow() time.Time {
	if m.queue.Now != nil {
		return m.queue.Now()
	}
	return time.Now()
}

// Run calls Flush every interval until ctx ends; errors are logged. At shutdown, call Flush once
// more after the workers have stopped, so that the last runs are counted too.
func (m *JobMetrics) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if err := m.Flush(ctx); err != nil && ctx.Err() == nil {
			m.log.Warn("write job metrics", slog.String("error", err.Error()))
		}
	}
}
