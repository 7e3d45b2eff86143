package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"syscall"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// When the chaos happens, from the start of the load.
const (
	replicaKillAt  = 10 * time.Second
	replicaDownFor = 3 * time.Second
	workerKillAt   = 22 * time.Second
	workerDownFor  = 5 * time.Second
	rollsAt        = 32 * time.Second
	// findJobFor bounds the wait for a worker that holds a job, to kill it.
	findJobFor = 40 * time.Second
	// afterWorkbook is how long the load goes on after the workbook is imported.
	afterWorkbook = 10 * time.Second
)

// takeover is the measure of a dead worker's job taken over by another worker.
type takeover struct {
	job, tenant, victim string
	killed              time.Time
	// after is the time from the SIGKILL until another worker held the job (0: not seen).
	after time.Duration
	// by is the lease owner that took it over.
	by   string
	done chan struct{}
}

// chaos kills a replica, then a worker that holds a job, then rolls every replica, at fixed
// points of the load that began at start; once the takeover of the dead worker's job is
// measured, it imports the Volve workbook into the first tenant and returns afterWorkbook later.
func (d *drill) chaos(ctx context.Context, start time.Time) {
	at := func(off time.Duration) bool {
		select {
		case <-ctx.Done():
			return false
		case <-time.After(time.Until(start.Add(off))):
			return true
		}
	}
	if !at(replicaKillAt) {
		return
	}
	d.killReplica(ctx, d.replicas[0])
	if !at(workerKillAt) {
		return
	}
	d.killWorker(ctx)
	if !at(rollsAt) {
		return
	}
	for _, r := range d.replicas {
		d.roll(ctx, r)
	}
	if t := d.takeover; t != nil {
		select {
		case <-ctx.Done():
		case <-t.done:
		}
	}
	// The Volve workbook (16 000 daily records) is imported once, now, under the load: on
	// FerretDB every production read and decline fit reads every tenant's records, and would be
	// slow during the kills for FerretDB's sake, not Wellbase's.
	t := d.tenants[0]
	w := &loadClient{c: d.c, led: d.led, files: d.files, t: t, name: t.id + "-workbook"}
	w.importFile(context.WithoutCancel(ctx), volveWorkbook, "xlsx", xlsxType)
	d.say("imported the Volve workbook into %s", t.id)
	select {
	case <-ctx.Done():
	case <-time.After(afterWorkbook):
	}
}

// killReplica kills r with SIGKILL under load, starts it again after replicaDownFor and waits
// until haproxy sends it requests again.
func (d *drill) killReplica(ctx context.Context, r *proc) {
	d.mu.Lock()
	d.killFrom = time.Now()
	d.kills++
	d.mu.Unlock()
	if err := r.signal(syscall.SIGKILL); err != nil {
		d.problem("SIGKILL %s: %v", r.name, err)
		return
	}
	r.wait(10 * time.Second)
	d.say("SIGKILL %s", r.name)
	time.Sleep(replicaDownFor)
	if err := r.start(); err != nil {
		d.problem("restart %s: %v", r.name, err)
		return
	}
	if err := waitReady(ctx, r.addr, 60*time.Second); err != nil {
		d.problem("%s after its SIGKILL: %v", r.name, err)
		return
	}
	if err := d.lb.waitStatus(ctx, r.name, "UP", 30*time.Second); err != nil {
		d.problem("%s after its SIGKILL: %v", r.name, err)
		return
	}
	d.mu.Lock()
	d.killTo = time.Now()
	d.mu.Unlock()
	d.say("%s started again and back in haproxy %.1f s after its SIGKILL", r.name, time.Since(d.killFrom).Seconds())
}

// runningJob is the part of a job document the chaos reads.
type runningJob struct {
	ID         string     `bson:"id"`
	Tenant     string     `bson:"tenant"`
	Status     string     `bson:"status"`
	Attempts   int        `bson:"attempts"`
	LeaseOwner string     `bson:"lease_owner"`
	LeaseUntil *time.Time `bson:"lease_until"`
}

// killWorker waits until a worker holds a job (its lease owner is "<host>/<pid>/<n>"), kills
// that worker with SIGKILL, starts it again after workerDownFor, and measures in the background
// how long until another worker holds the job.
func (d *drill) killWorker(ctx context.Context) {
	deadline := time.Now().Add(findJobFor)
	var victim *proc
	var job runningJob
	for victim == nil {
		if time.Now().After(deadline) {
			d.problem("no worker held a job within %s of the worker kill's time: the takeover is not measured", findJobFor)
			return
		}
		cur, err := d.mdb.Collection("jobs").Find(ctx, bson.D{{Key: "status", Value: "running"}})
		if err == nil {
			var list []runningJob
			cur.All(ctx, &list)
			for _, j := range list {
				for _, w := range d.workers {
					if pid := w.pid(); pid != 0 && ownerPID(j.LeaseOwner) == pid && j.LeaseUntil != nil && j.LeaseUntil.After(time.Now()) {
						victim, job = w, j
					}
				}
			}
		}
		if victim == nil {
			select {
			case <-ctx.Done():
				return
			case <-time.After(50 * time.Millisecond):
			}
		}
	}
	t := &takeover{job: job.ID, tenant: job.Tenant, victim: victim.name, done: make(chan struct{})}
	d.mu.Lock()
	d.kills++
	d.takeover = t
	d.mu.Unlock()
	t.killed = time.Now()
	if err := victim.signal(syscall.SIGKILL); err != nil {
		d.problem("SIGKILL %s: %v", victim.name, err)
		close(t.done)
		return
	}
	victim.wait(10 * time.Second)
	d.say("SIGKILL %s while it held job %s of %s (attempt %d, lease until %s)", victim.name, job.ID, job.Tenant, job.Attempts,
		job.LeaseUntil.UTC().Format("15:04:05.000"))
	go d.watchTakeover(ctx, t, job)
	time.Sleep(workerDownFor)
	if err := victim.start(); err != nil {
		d.problem("restart %s: %v", victim.name, err)
	}
}

// watchTakeover polls the job until a new attempt of it is leased (by another worker process:
// the killed one is gone), for at most 3 lease periods.
func (d *drill) watchTakeover(ctx context.Context, t *takeover, before runningJob) {
	defer close(t.done)
	limit := 3 * d.o.lease
	for time.Since(t.killed) < limit {
		var j runningJob
		err := d.mdb.Collection("jobs").FindOne(ctx, bson.D{{Key: "_id", Value: t.tenant + "/" + t.job}}).Decode(&j)
		if err == nil && j.Attempts > before.Attempts {
			t.after, t.by = time.Since(t.killed), j.LeaseOwner
			d.say("job %s taken over %.1f s after its worker's SIGKILL (attempt %d, by %s; lease %s)", t.job, t.after.Seconds(), j.Attempts,
				orDash(j.LeaseOwner), d.o.lease)
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(100 * time.Millisecond):
		}
	}
	d.problem("job %s of the killed worker was not taken over within %s", t.job, limit)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// ownerPID returns the process ID in a lease owner "<host>/<pid>/<n>" (0 if none).
func ownerPID(owner string) int {
	f := strings.Split(owner, "/")
	if len(f) < 3 {
		return 0
	}
	pid, _ := strconv.Atoi(f[len(f)-2])
	return pid
}

// roll restarts r as a rolling deployment does: SIGTERM, wait for it to drain and exit (0), start
// it again, wait until haproxy sends it requests.
func (d *drill) roll(ctx context.Context, r *proc) {
	t0 := time.Now()
	if err := r.signal(syscall.SIGTERM); err != nil {
		d.problem("SIGTERM %s: %v", r.name, err)
		return
	}
	// /readyz turns 503 at once: haproxy takes it out within its checks, before the port closes.
	if err := d.lb.waitStatus(ctx, r.name, "DOWN", 10*time.Second); err != nil {
		d.problem("%s after SIGTERM: %v", r.name, err)
	}
	out := time.Since(t0)
	st, ok := r.wait(60 * time.Second)
	if !ok {
		d.problem("%s did not exit within 60 s of SIGTERM", r.name)
		r.signal(syscall.SIGKILL)
		r.wait(10 * time.Second)
	} else if code := st.ExitCode(); code != 0 {
		d.problem("%s exited %d after SIGTERM (want 0)", r.name, code)
	}
	exited := time.Since(t0)
	if err := r.start(); err != nil {
		d.problem("restart %s: %v", r.name, err)
		return
	}
	if err := waitReady(ctx, r.addr, 60*time.Second); err != nil {
		d.problem("%s after its roll: %v", r.name, err)
		return
	}
	if err := d.lb.waitStatus(ctx, r.name, "UP", 30*time.Second); err != nil {
		d.problem("%s after its roll: %v", r.name, err)
		return
	}
	d.mu.Lock()
	d.rolls++
	d.mu.Unlock()
	d.say("rolled %s: out of haproxy %.1f s after SIGTERM, exit 0 after %.1f s, back in %.1f s", r.name, out.Seconds(), exited.Seconds(),
		time.Since(t0).Seconds())
}

// waitJobs waits until no job of the drill's tenants is queued or running (every acknowledged
// job has ended), for at most --job-wait.
func (d *drill) waitJobs(ctx context.Context) error {
	ids := make(bson.A, len(d.tenants))
	for i, t := range d.tenants {
		ids[i] = t.id
	}
	filter := bson.D{{Key: "tenant", Value: bson.D{{Key: "$in", Value: ids}}},
		{Key: "status", Value: bson.D{{Key: "$in", Value: bson.A{"queued", "running"}}}}}
	t0 := time.Now()
	for {
		n, err := d.mdb.Collection("jobs").CountDocuments(ctx, filter)
		if err == nil && n == 0 {
			d.say("every job ended %.1f s after the load", time.Since(t0).Seconds())
			return nil
		}
		if time.Since(t0) > d.o.jobWait {
			return fmt.Errorf("%d jobs still queued or running %s after the load (err %v)", n, d.o.jobWait, err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Second):
		}
	}
}
