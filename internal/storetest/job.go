package storetest

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/wellbase/wellbase"
)

func newJob(id, tenant string, at time.Time) *wellbase.Job {
	return &wellbase.Job{ID: id, TenantID: tenant, Type: "decline-fit", Params: json.RawMessage(`{"well":"wel_1","phase":"oil"}`),
		Status: wellbase.JobQueued, MaxAttempts: 3, RunAt: at, CreatedBy: "user:usr_1", CreatedAt: at, UpdatedAt: at}
}

func testJob(t *testing.T, s wellbase.Store) {
	ctx := t.Context()
	createTenant(t, s, "acme")
	createTenant(t, s, "globex")
	acme, globex := s.Tenant("acme"), s.Tenant("globex")
	at := now()
	ids := newIDs("job", 4)
	jobs := []*wellbase.Job{newJob(ids[0], "acme", at), newJob(ids[1], "acme", at), newJob(ids[2], "globex", at), newJob(ids[3], "acme", at.Add(time.Hour))}
	for _, j := range jobs {
		checkCode(t, "CreateJob", s.Tenant(j.TenantID).CreateJob(ctx, j), "")
	}

	t.Run("OK", func(t *testing.T) {
		got, err := acme.GetJob(ctx, ids[0])
		checkCode(t, "GetJob", err, "")
		checkEqual(t, "job", got, jobs[0])
		list, _, err := acme.ListJobs(ctx, wellbase.Page{})
		checkCode(t, "ListJobs", err, "")
		checkEqual(t, "acme's jobs newest first", list, []*wellbase.Job{jobs[3], jobs[1], jobs[0]})
	})
	t.Run("Isolation", func(t *testing.T) {
		_, err := globex.GetJob(ctx, ids[0])
		checkCode(t, "GetJob of another tenant", err, wellbase.ENotFound)
		_, err = globex.CancelJob(ctx, ids[0], at)
		checkCode(t, "CancelJob of another tenant", err, wellbase.ENotFound)
		list, _, _ := globex.ListJobs(ctx, wellbase.Page{})
		checkEqual(t, "globex's jobs", list, jobs[2:3])
	})
	t.Run("ErrConflict", func(t *testing.T) {
		checkCode(t, "CreateJob duplicate", acme.CreateJob(ctx, newJob(ids[0], "acme", at)), wellbase.EConflict)
	})

	// Leasing: each tenant's oldest runnable job; a job not yet due is not runnable.
	t1 := at.Add(time.Second)
	refs, running, err := s.RunnableJobs(ctx, t1, nil)
	checkCode(t, "RunnableJobs", err, "")
	checkEqual(t, "runnable", refs, []wellbase.JobRef{{TenantID: "acme", ID: ids[0]}, {TenantID: "globex", ID: ids[2]}})
	if len(running) != 0 {
		t.Errorf("running counts %v before any lease", running)
	}
	lease := t1.Add(time.Minute)
	j, err := s.ClaimJob(ctx, refs[0], "worker-a", t1, lease)
	checkCode(t, "ClaimJob", err, "")
	if j.Status != wellbase.JobRunning || j.Attempts != 1 || j.LeaseOwner != "worker-a" || j.LeaseUntil == nil || !j.LeaseUntil.Equal(lease) {
		t.Fatalf("claimed job %+v", j)
	}
	_, err = s.ClaimJob(ctx, refs[0], "worker-b", t1, lease)
	checkCode(t, "second ClaimJob of a held job", err, wellbase.EConflict)
	if n, err := acme.CountRunningJobs(ctx, t1); n != 1 || err != nil {
		t.Errorf("CountRunningJobs = %d, %v; want 1", n, err)
	}
	refs, running, _ = s.RunnableJobs(ctx, t1, nil)
	checkEqual(t, "runnable after a lease", refs, []wellbase.JobRef{{TenantID: "acme", ID: ids[1]}, {TenantID: "globex", ID: ids[2]}})
	checkEqual(t, "running counts", running, map[string]int{"acme": 1})

	// Only the holder updates; heartbeats extend the lease; progress is kept.
	_, err = acme.UpdateHeldJob(ctx, ids[0], "worker-b", t1, wellbase.JobUpdate{Progress: ptr(0.5)})
	checkCode(t, "UpdateHeldJob by another worker", err, wellbase.EConflict)
	_, err = globex.UpdateHeldJob(ctx, ids[0], "worker-a", t1, wellbase.JobUpdate{Progress: ptr(0.5)})
	checkCode(t, "UpdateHeldJob through another tenant", err, wellbase.ENotFound)
	longer := lease.Add(time.Minute)
	j, err = acme.UpdateHeldJob(ctx, ids[0], "worker-a", t1, wellbase.JobUpdate{Progress: ptr(0.5), LeaseUntil: &longer})
	checkCode(t, "UpdateHeldJob heartbeat", err, "")
	if j.Progress != 0.5 || !j.LeaseUntil.Equal(longer) {
		t.Errorf("after heartbeat: %+v", j)
	}

	// The lease runs out (the worker died): another worker takes the job, attempt 2.
	expired := longer.Add(time.Second)
	refs, running, _ = s.RunnableJobs(ctx, expired, nil)
	if len(refs) == 0 || refs[0].ID != ids[0] || running["acme"] != 0 {
		t.Fatalf("after lease expiry: runnable %v, running %v", refs, running)
	}
	j, err = s.ClaimJob(ctx, refs[0], "worker-b", expired, expired.Add(time.Minute))
	checkCode(t, "ClaimJob after expiry", err, "")
	if j.Attempts != 2 || j.LeaseOwner != "worker-b" {
		t.Errorf("reclaimed job %+v", j)
	}
	_, err = acme.UpdateHeldJob(ctx, ids[0], "worker-a", expired, wellbase.JobUpdate{Progress: ptr(0.9)})
	checkCode(t, "UpdateHeldJob by the dead worker", err, wellbase.EConflict)

	// A cancel of a running job is a request to its worker, who sees it on its next update.
	j, err = acme.CancelJob(ctx, ids[0], expired)
	checkCode(t, "CancelJob running", err, "")
	if j.Status != wellbase.JobRunning || !j.CancelRequested {
		t.Errorf("cancel of a running job: %+v", j)
	}
	done, fin := wellbase.JobSucceeded, expired.Add(time.Second)
	j, err = acme.UpdateHeldJob(ctx, ids[0], "worker-b", expired, wellbase.JobUpdate{Status: &done, Result: json.RawMessage(`{"forecast_id":"fc_1"}`), Release: true, FinishedAt: &fin})
	checkCode(t, "UpdateHeldJob complete", err, "")
	if j.Status != wellbase.JobSucceeded || string(j.Result) != `{"forecast_id":"fc_1"}` || j.LeaseOwner != "" || j.LeaseUntil != nil || j.FinishedAt == nil {
		t.Errorf("completed job %+v", j)
	}
	got, _ := acme.GetJob(ctx, ids[0])
	checkEqual(t, "completed job read back", got, j)

	// A job whose worker dies on its last attempt fails when its lease runs out.
	last := newJob(wellbase.NewID("job"), "acme", at)
	last.MaxAttempts = 1
	checkCode(t, "CreateJob", acme.CreateJob(ctx, last), "")
	ref := wellbase.JobRef{TenantID: "acme", ID: last.ID}
	_, err = s.ClaimJob(ctx, ref, "worker-a", expired, expired.Add(time.Minute))
	checkCode(t, "ClaimJob last attempt", err, "")
	later := expired.Add(2 * time.Minute)
	_, err = s.ClaimJob(ctx, ref, "worker-b", later, later.Add(time.Minute))
	checkCode(t, "ClaimJob with no attempts left", err, wellbase.EConflict)
	if j, _ := acme.GetJob(ctx, last.ID); j.Status != wellbase.JobFailed || j.Attempts != 1 || j.Error == "" || j.FinishedAt == nil {
		t.Errorf("job whose worker died on its last attempt: %+v", j)
	}

	// A running job whose cancel was asked for and whose worker is gone is cancelled, not rerun.
	orphan := newJob(wellbase.NewID("job"), "acme", at)
	checkCode(t, "CreateJob", acme.CreateJob(ctx, orphan), "")
	oref := wellbase.JobRef{TenantID: "acme", ID: orphan.ID}
	_, err = s.ClaimJob(ctx, oref, "worker-a", expired, expired.Add(time.Minute))
	checkCode(t, "ClaimJob orphan", err, "")
	_, err = acme.CancelJob(ctx, orphan.ID, expired)
	checkCode(t, "CancelJob orphan", err, "")
	_, err = s.ClaimJob(ctx, oref, "worker-b", later, later.Add(time.Minute))
	checkCode(t, "ClaimJob of a job whose cancel was asked for", err, wellbase.EConflict)
	if j, _ := acme.GetJob(ctx, orphan.ID); j.Status != wellbase.JobCancelled || j.FinishedAt == nil {
		t.Errorf("orphaned cancelled job: %+v", j)
	}

	// A queued job is cancelled at once and never runs.
	j, err = acme.CancelJob(ctx, ids[1], expired)
	checkCode(t, "CancelJob queued", err, "")
	if j.Status != wellbase.JobCancelled || j.FinishedAt == nil {
		t.Errorf("cancelled queued job %+v", j)
	}
	_, err = s.ClaimJob(ctx, wellbase.JobRef{TenantID: "acme", ID: ids[1]}, "worker-a", expired, expired.Add(time.Minute))
	checkCode(t, "ClaimJob of a cancelled job", err, wellbase.EConflict)
}

// testJobQueue: a worker that runs only some job types sees only those (RunnableJobs with types)
// while a tenant's running count covers all its jobs; QueueStats counts what workers may lease.
func testJobQueue(t *testing.T, s wellbase.Store) {
	// A context with a deadline, as a Lambda invocation's: a driver may send it to the server
	// (MongoDB's maxTimeMS), which must not change the answers.
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
	defer cancel()
	createTenant(t, s, "acme")
	createTenant(t, s, "globex")
	acme := s.Tenant("acme")
	t0 := now()
	ids := newIDs("job", 5)
	mk := func(id, tenant, typ string, runAt time.Time) *wellbase.Job {
		j := newJob(id, tenant, runAt)
		j.Type = typ
		checkCode(t, "CreateJob", s.Tenant(tenant).CreateJob(ctx, j), "")
		return j
	}
	mk(ids[0], "acme", "log-parse", t0)
	mk(ids[1], "acme", "decline-fit", t0.Add(time.Second))
	mk(ids[2], "globex", "petrophysics", t0)
	mk(ids[3], "globex", "decline-fit", t0.Add(time.Hour))
	mk(ids[4], "acme", "petrophysics", t0)
	short := []string{"decline-fit", "petrophysics"}
	t1 := t0.Add(2 * time.Second)

	runnable := func(at time.Time, types []string, want []wellbase.JobRef, wantRunning map[string]int) {
		t.Helper()
		refs, running, err := s.RunnableJobs(ctx, at, types)
		checkCode(t, fmt.Sprintf("RunnableJobs %v", types), err, "")
		checkEqual(t, fmt.Sprintf("runnable jobs of %v", types), refs, want)
		checkEqual(t, fmt.Sprintf("running counts with %v", types), running, wantRunning)
	}
	stats := func(at time.Time, types []string, want wellbase.QueueStats) {
		t.Helper()
		st, err := s.QueueStats(ctx, at, types)
		checkCode(t, fmt.Sprintf("QueueStats %v", types), err, "")
		checkEqual(t, fmt.Sprintf("queue stats of %v", types), st, want)
	}
	runnable(t1, nil, []wellbase.JobRef{{TenantID: "acme", ID: ids[0]}, {TenantID: "globex", ID: ids[2]}}, map[string]int{})
	runnable(t1, short, []wellbase.JobRef{{TenantID: "acme", ID: ids[1]}, {TenantID: "globex", ID: ids[2]}}, map[string]int{})
	runnable(t1, []string{"tenant-export"}, nil, map[string]int{})
	stats(t1, nil, wellbase.QueueStats{Runnable: 4, OldestRunnable: t0})
	stats(t1, []string{"decline-fit"}, wellbase.QueueStats{Runnable: 1, OldestRunnable: t0.Add(time.Second)})
	stats(t1, []string{"tenant-export"}, wellbase.QueueStats{})

	// A short job leased: the next short job of acme is offered, and acme's running count (all
	// types) is seen by a worker of the long types too.
	lease := t1.Add(time.Minute)
	_, err := s.ClaimJob(ctx, wellbase.JobRef{TenantID: "acme", ID: ids[1]}, "lambda", t1, lease)
	checkCode(t, "ClaimJob", err, "")
	runnable(t1, short, []wellbase.JobRef{{TenantID: "globex", ID: ids[2]}, {TenantID: "acme", ID: ids[4]}}, map[string]int{"acme": 1}) // by ID
	runnable(t1, []string{"log-parse"}, []wellbase.JobRef{{TenantID: "acme", ID: ids[0]}}, map[string]int{"acme": 1})
	stats(t1, short, wellbase.QueueStats{Runnable: 2, OldestRunnable: t0})
	if n, err := acme.CountRunningJobs(ctx, t1); n != 1 || err != nil {
		t.Errorf("CountRunningJobs = %d, %v; want 1", n, err)
	}

	// Its lease runs out: it is runnable again, since the end of its lease; later globex's
	// delayed job (a retry's backoff) joins it.
	expired := lease.Add(time.Second)
	runnable(expired, []string{"decline-fit"}, []wellbase.JobRef{{TenantID: "acme", ID: ids[1]}}, map[string]int{})
	stats(expired, []string{"decline-fit"}, wellbase.QueueStats{Runnable: 1, OldestRunnable: lease})
	later := t0.Add(2 * time.Hour)
	stats(later, []string{"decline-fit"}, wellbase.QueueStats{Runnable: 2, OldestRunnable: lease})
	runnable(later, []string{"decline-fit"}, []wellbase.JobRef{{TenantID: "acme", ID: ids[1]}, {TenantID: "globex", ID: ids[3]}}, map[string]int{})

	// Finished and cancelled jobs are not counted.
	_, err = acme.CancelJob(ctx, ids[4], t1)
	checkCode(t, "CancelJob", err, "")
	stats(t1, []string{"petrophysics"}, wellbase.QueueStats{Runnable: 1, OldestRunnable: t0})
}
