package mongodb_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/mongodb"
)

// Several processes share one database: serve replicas, workers, the Lambda function. Each has
// its own client and its own in-process state, so these tests open one DB per simulated process
// (clients), or start real processes (TestProcessesClaim), and race them on one document. On
// MongoDB the server makes each update atomic; on FerretDB the driver's cross-process lock must.

// clients opens n independent DBs (each its own connection pool and in-process locks, as n
// processes would have) on the database of rawURL; closed when tb ends.
func clients(tb testing.TB, rawURL string, n int) []*mongodb.DB {
	tb.Helper()
	dbs := make([]*mongodb.DB, n)
	for i := range dbs {
		db, err := mongodb.Open(tb.Context(), rawURL)
		if err != nil {
			tb.Fatalf("Open client %d: %v", i, err)
		}
		tb.Cleanup(func() { db.Close() })
		dbs[i] = db
	}
	return dbs
}

// race runs f(client, i) for perClient goroutines of every client at once, released together.
func race(dbs []*mongodb.DB, perClient int, f func(db *mongodb.DB, i int)) {
	var wg sync.WaitGroup
	start := make(chan struct{})
	for c, db := range dbs {
		for g := range perClient {
			wg.Go(func() {
				<-start
				f(db, c*perClient+g)
			})
		}
	}
	close(start)
	wg.Wait()
}

func queuedJob(t *testing.T, ts wellbase.TenantStore, at time.Time) *wellbase.Job {
	t.Helper()
	j := &wellbase.Job{ID: wellbase.NewID("job"), Type: "decline-fit", Params: json.RawMessage(`{}`), Status: wellbase.JobQueued,
		MaxAttempts: 5, RunAt: at, CreatedAt: at, UpdatedAt: at}
	if err := ts.CreateJob(t.Context(), j); err != nil {
		t.Fatal(err)
	}
	return j
}

// TestClientsRace has 6 clients × 3 goroutines race on one document, several rounds each: one
// worker wins a job's lease (first claim, and the takeover of a dead worker's expired lease), one
// request wins an Idempotency-Key (a free one, and one whose claim lapsed), and no $inc or $push
// is lost.
func TestClientsRace(t *testing.T) {
	t.Parallel()
	rawURL := dbURL(t)
	first := openURL(t, rawURL)
	dbs := append(clients(t, rawURL, 5), first)
	const perClient, rounds = 3, 4
	contenders := len(dbs) * perClient
	ctx := t.Context()
	if err := first.CreateTenant(ctx, &wellbase.Tenant{ID: "acme", Name: "Acme", Tier: wellbase.TierStandard,
		Status: wellbase.TenantActive, CreatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}

	t.Run("ClaimJob", func(t *testing.T) {
		for round := range rounds {
			at := time.Now().Truncate(time.Millisecond)
			job := queuedJob(t, first.Tenant("acme"), at)
			ref := wellbase.JobRef{TenantID: "acme", ID: job.ID}
			var mu sync.Mutex
			var won []string
			race(dbs, perClient, func(db *mongodb.DB, i int) {
				w := fmt.Sprintf("worker-%02d", i)
				_, err := db.ClaimJob(ctx, ref, w, at, at.Add(time.Second))
				switch wellbase.ErrorCode(err) {
				case "":
					mu.Lock()
					won = append(won, w)
					mu.Unlock()
				case wellbase.EConflict:
				default:
					t.Errorf("%s: ClaimJob: %v", w, err)
				}
			})
			if len(won) != 1 {
				t.Fatalf("round %d: %d of %d workers in %d clients won the lease of a queued job (%v), want 1", round, len(won), contenders, len(dbs), won)
			}
			// The winner dies: its lease expires, and the others race to take the job over.
			later := at.Add(2 * time.Second)
			var took []string
			race(dbs, perClient, func(db *mongodb.DB, i int) {
				w := fmt.Sprintf("rescuer-%02d", i)
				_, err := db.ClaimJob(ctx, ref, w, later, later.Add(time.Minute))
				switch wellbase.ErrorCode(err) {
				case "":
					mu.Lock()
					took = append(took, w)
					mu.Unlock()
				case wellbase.EConflict:
				default:
					t.Errorf("%s: ClaimJob: %v", w, err)
				}
			})
			j, err := first.Tenant("acme").GetJob(ctx, job.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(took) != 1 || j.LeaseOwner != took[0] || j.Attempts != 2 {
				t.Fatalf("round %d: %d workers took over the expired lease (%v); job held by %s after %d attempts, want 1 winner, attempt 2",
					round, len(took), took, j.LeaseOwner, j.Attempts)
			}
		}
	})

	t.Run("ClaimIdempotencyKey", func(t *testing.T) {
		for round := range rounds {
			at := time.Now().Truncate(time.Millisecond)
			key := fmt.Sprintf("key-%d", round)
			var mu sync.Mutex
			var won []string
			claimAll := func(at time.Time, lease time.Duration) {
				won = won[:0]
				race(dbs, perClient, func(db *mongodb.DB, i int) {
					r := &wellbase.IdempotencyRecord{Scope: "acme", Key: key, Owner: fmt.Sprintf("req-%02d-%d", i, at.UnixMilli()), CreatedAt: at,
						LeaseUntil: at.Add(lease), ExpiresAt: at.Add(wellbase.IdempotencyTTL)}
					held, err := db.ClaimIdempotencyKey(ctx, r, at)
					switch {
					case err != nil:
						t.Errorf("%s: ClaimIdempotencyKey: %v", r.Owner, err)
					case held == nil:
						mu.Lock()
						won = append(won, r.Owner)
						mu.Unlock()
					}
				})
			}
			claimAll(at, time.Second)
			if len(won) != 1 {
				t.Fatalf("round %d: %d of %d requests claimed a free key (%v), want 1", round, len(won), contenders, won)
			}
			// The winner's replica dies: its claim lapses, and retries race to take it over.
			claimAll(at.Add(2*time.Second), time.Minute)
			if len(won) != 1 {
				t.Fatalf("round %d: %d of %d retries took over a lapsed claim (%v), want 1", round, len(won), contenders, won)
			}
			owner := won[0]
			// The holder completes while the others still retry: every retry then sees the answer.
			done := &wellbase.IdempotencyRecord{Scope: "acme", Key: key, Owner: owner, Status: 201, Body: []byte("{}"), Fingerprint: "f"}
			if err := first.CompleteIdempotencyKey(ctx, done); err != nil {
				t.Fatalf("round %d: CompleteIdempotencyKey: %v", round, err)
			}
			claimAll(at.Add(3*time.Second), time.Minute)
			if len(won) != 0 {
				t.Fatalf("round %d: %d requests claimed a key whose answer is kept (%v)", round, len(won), won)
			}
		}
	})

	t.Run("IncAndPush", func(t *testing.T) {
		day := time.Now().UTC().Format(time.DateOnly)
		race(dbs, perClient, func(db *mongodb.DB, i int) {
			if err := db.Tenant("acme").AddRequests(ctx, day, int64(i+1)); err != nil {
				t.Errorf("AddRequests: %v", err)
			}
			step := &wellbase.OnboardingStep{Name: fmt.Sprintf("step-%02d", i), DoneAt: time.Now()}
			if _, err := db.UpdateTenant(ctx, "acme", wellbase.TenantUpdate{Step: step}); err != nil {
				t.Errorf("UpdateTenant: %v", err)
			}
		})
		n, err := first.Tenant("acme").Requests(ctx, day)
		if err != nil {
			t.Fatal(err)
		}
		if want := int64(contenders * (contenders + 1) / 2); n != want {
			t.Errorf("request count %d after %d concurrent $inc from %d clients, want %d", n, contenders, len(dbs), want)
		}
		tn, err := first.GetTenant(ctx, "acme")
		if err != nil {
			t.Fatal(err)
		}
		if len(tn.Onboarding) != contenders {
			t.Errorf("%d onboarding steps kept of %d pushed at once from %d clients", len(tn.Onboarding), contenders, len(dbs))
		}
	})
}

// Environment of TestProcessesClaim's child processes.
const (
	envChildURL   = "WELLBASE_TEST_CHILD_DB_URL"
	envChildJobs  = "WELLBASE_TEST_CHILD_JOBS"
	envChildStart = "WELLBASE_TEST_CHILD_START"
	envChildName  = "WELLBASE_TEST_CHILD_NAME"
)

// TestProcessesClaim starts 4 processes (this test binary, as TestChildClaim) that claim the
// same jobs and the same Idempotency-Keys at the same instant, 8 of each: every job is leased by
// exactly one process and every key claimed by exactly one.
func TestProcessesClaim(t *testing.T) {
	t.Parallel()
	rawURL := dbURL(t)
	db := openURL(t, rawURL)
	ctx := t.Context()
	if err := db.CreateTenant(ctx, &wellbase.Tenant{ID: "acme", Name: "Acme", Tier: wellbase.TierStandard,
		Status: wellbase.TenantActive, CreatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	const procs, jobs = 4, 8
	at := time.Now().Truncate(time.Millisecond)
	var ids []string
	for range jobs {
		ids = append(ids, queuedJob(t, db.Tenant("acme"), at).ID)
	}
	start := time.Now().Add(3 * time.Second) // every child connected and waiting by then
	outs := make([]bytes.Buffer, procs)
	cmds := make([]*exec.Cmd, procs)
	for i := range cmds {
		cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestChildClaim$", "-test.v")
		cmd.Env = append(os.Environ(), envChildURL+"="+rawURL, envChildJobs+"="+strings.Join(ids, ","),
			envChildStart+"="+strconv.FormatInt(start.UnixNano(), 10), envChildName+"="+fmt.Sprintf("proc-%d", i))
		cmd.Stdout, cmd.Stderr = &outs[i], &outs[i]
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds[i] = cmd
	}
	jobWinners := map[string][]string{}
	keyWinners := map[string][]string{}
	for i, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Fatalf("child %d: %v\n%s", i, err, outs[i].String())
		}
		sc := bufio.NewScanner(&outs[i])
		for sc.Scan() {
			f := strings.Fields(sc.Text())
			if len(f) == 4 && f[0] == "WON" {
				switch f[1] {
				case "job":
					jobWinners[f[2]] = append(jobWinners[f[2]], f[3])
				case "key":
					keyWinners[f[2]] = append(keyWinners[f[2]], f[3])
				}
			}
		}
	}
	for _, id := range ids {
		j, err := db.Tenant("acme").GetJob(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if w := jobWinners[id]; len(w) != 1 || j.LeaseOwner != w[0] || j.Attempts != 1 {
			t.Errorf("job %s: won by %v in %d processes; stored lease owner %q, %d attempts; want one winner", id, w, procs, j.LeaseOwner, j.Attempts)
		}
		if w := keyWinners["key-"+id]; len(w) != 1 {
			t.Errorf("Idempotency-Key key-%s: claimed by %v in %d processes, want one", id, w, procs)
		}
	}
}

// TestChildClaim is TestProcessesClaim's child process; it does nothing in a normal run. It
// claims each job and an Idempotency-Key named after it with 2 goroutines, all starting at the
// instant the parent set, and prints a line "WON job|key <id> <owner>" for each one it won.
func TestChildClaim(t *testing.T) {
	rawURL := os.Getenv(envChildURL)
	if rawURL == "" {
		return // not a child
	}
	db, err := mongodb.Open(t.Context(), rawURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ns, _ := strconv.ParseInt(os.Getenv(envChildStart), 10, 64)
	name := os.Getenv(envChildName)
	ids := strings.Split(os.Getenv(envChildJobs), ",")
	time.Sleep(time.Until(time.Unix(0, ns)))
	now := time.Now()
	var mu sync.Mutex
	var lines []string
	var wg sync.WaitGroup
	for g := range 2 {
		for _, id := range ids {
			wg.Go(func() {
				owner := fmt.Sprintf("%s/%d", name, g)
				if _, err := db.ClaimJob(context.Background(), wellbase.JobRef{TenantID: "acme", ID: id}, owner, now, now.Add(time.Minute)); err == nil {
					mu.Lock()
					lines = append(lines, "WON job "+id+" "+owner)
					mu.Unlock()
				} else if wellbase.ErrorCode(err) != wellbase.EConflict {
					t.Errorf("ClaimJob %s: %v", id, err)
				}
				r := &wellbase.IdempotencyRecord{Scope: "acme", Key: "key-" + id, Owner: owner, CreatedAt: now,
					LeaseUntil: now.Add(time.Minute), ExpiresAt: now.Add(wellbase.IdempotencyTTL)}
				held, err := db.ClaimIdempotencyKey(context.Background(), r, now)
				if err != nil {
					t.Errorf("ClaimIdempotencyKey %s: %v", r.Key, err)
				} else if held == nil {
					mu.Lock()
					lines = append(lines, "WON key key-"+id+" "+owner)
					mu.Unlock()
				}
			})
		}
	}
	wg.Wait()
	slices.Sort(lines)
	for _, l := range lines {
		fmt.Println(l)
	}
}

// BenchmarkLockedUpdate measures the updates that FerretDB needs serialized (see the package
// doc, "FerretDB"), one at a time without contention: a job's heartbeat (UpdateHeldJob), an
// Idempotency-Key's claim then completion (a new key each time), and a request count $inc.
// On FerretDB each holds the cross-process lock of its document: one insert and one delete more.
func BenchmarkLockedUpdate(b *testing.B) {
	db := open(b)
	ctx := b.Context()
	at := time.Now().Truncate(time.Millisecond)
	if err := db.CreateTenant(ctx, &wellbase.Tenant{ID: "acme", Name: "Acme", Tier: wellbase.TierStandard,
		Status: wellbase.TenantActive, CreatedAt: at}); err != nil {
		b.Fatal(err)
	}
	ts := db.Tenant("acme")
	b.Run("Heartbeat", func(b *testing.B) {
		j := &wellbase.Job{ID: wellbase.NewID("job"), Type: "decline-fit", Params: json.RawMessage(`{}`), Status: wellbase.JobQueued,
			MaxAttempts: 5, RunAt: at, CreatedAt: at, UpdatedAt: at}
		if err := ts.CreateJob(ctx, j); err != nil {
			b.Fatal(err)
		}
		if _, err := db.ClaimJob(ctx, wellbase.JobRef{TenantID: "acme", ID: j.ID}, "w", at, at.Add(time.Hour)); err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			until := at.Add(time.Hour + time.Duration(i)*time.Millisecond)
			if _, err := ts.UpdateHeldJob(ctx, j.ID, "w", at, wellbase.JobUpdate{Progress: ptr(0.5), LeaseUntil: &until}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("IdempotencyKey", func(b *testing.B) {
		prefix := wellbase.NewID("bench")
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			r := &wellbase.IdempotencyRecord{Scope: "acme", Key: fmt.Sprintf("%s-%d", prefix, i), Owner: "o", CreatedAt: at,
				LeaseUntil: at.Add(time.Minute), ExpiresAt: at.Add(wellbase.IdempotencyTTL)}
			if held, err := db.ClaimIdempotencyKey(ctx, r, at); err != nil || held != nil {
				b.Fatalf("ClaimIdempotencyKey: %v, %v", held, err)
			}
			r.Status, r.Body, r.Fingerprint = 201, []byte("{}"), "f"
			if err := db.CompleteIdempotencyKey(ctx, r); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Requests", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := ts.AddRequests(ctx, "2026-03-01", 1); err != nil {
				b.Fatal(err)
			}
		}
	})
}
