package wellbase

import (
	"encoding/json"
	"time"
)

// JobStatus is where a background job is in its life.
type JobStatus string

const (
	JobQueued    JobStatus = "queued"    // waiting for a worker (or for its retry time)
	JobRunning   JobStatus = "running"   // leased by a worker
	JobSucceeded JobStatus = "succeeded" // done; Result holds its answer
	JobFailed    JobStatus = "failed"    // gave up after MaxAttempts or a permanent error; Error says why
	JobCancelled JobStatus = "cancelled" // cancelled by a user
)

// Done reports whether s is final.
func (s JobStatus) Done() bool {
	return s == JobSucceeded || s == JobFailed || s == JobCancelled
}

// Job is a unit of background work of a tenant (a decline fit, a petrophysics run, the parse of
// a large log). Workers lease jobs for a time and extend the lease while they work; a job whose
// lease runs out (its worker died) is leased again by another worker. Handlers are idempotent.
type Job struct {
	ID       string          `json:"id"`
	TenantID string          `json:"tenant"`
	Type     string          `json:"type"`
	Params   json.RawMessage `json:"params"`
	Status   JobStatus       `json:"status"`
	// Attempts counts the leases taken; MaxAttempts is the most before the job fails.
	Attempts    int `json:"attempts"`
	MaxAttempts int `json:"max_attempts"`
	// Progress is the handler's own estimate, 0 to 1.
	Progress float64         `json:"progress"`
	Result   json.RawMessage `json:"result,omitempty"`
	Error    string          `json:"error,omitempty"`
	// RunAt is when the job may next run (later than CreatedAt after a failure: backoff).
	RunAt time.Time `json:"run_at"`
	// LeaseOwner and LeaseUntil name the worker running the job and until when it holds it.
	LeaseOwner      string     `json:"lease_owner,omitempty"`
	LeaseUntil      *time.Time `json:"lease_until,omitempty"`
	CancelRequested bool       `json:"cancel_requested,omitempty"`
	CreatedBy       string     `json:"created_by"`
	CreatedAt       time.Time  `json:"created_at"`
	UpdatedAt       time.Time  `json:"updated_at"`
	FinishedAt      *time.Time `json:"finished_at,omitempty"`
}

// JobRef names a job that a worker may lease.
type JobRef struct {
	TenantID string
	ID       string
}

// QueueStats describes the jobs waiting for a worker (Store.QueueStats).
type QueueStats struct {
	// Runnable counts the jobs a worker may lease now: queued and due, or running under an
	// expired lease (their worker died).
	Runnable int
	// OldestRunnable is when the longest-waiting of them became runnable; zero if Runnable is 0.
	OldestRunnable time.Time
}

// JobUpdate is what a worker changes on a job it holds; nil fields are unchanged.
type JobUpdate struct {
	Status     *JobStatus
	Progress   *float64
	Result     json.RawMessage
	Error      *string
	RunAt      *time.Time
	LeaseUntil *time.Time
	// Release clears the lease (with Status queued: hand the job back).
	Release    bool
	FinishedAt *time.Time
}
