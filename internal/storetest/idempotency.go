package storetest

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wellbase/wellbase"
)

// claim returns an in-progress idempotency record of (scope, key) for owner, claimed at at,
// with a lease of lease.
func claim(scope, key, owner string, at time.Time, lease time.Duration) *wellbase.IdempotencyRecord {
	return &wellbase.IdempotencyRecord{Scope: scope, Key: key, Owner: owner, CreatedAt: at, LeaseUntil: at.Add(lease), ExpiresAt: at.Add(wellbase.IdempotencyTTL)}
}

// mustClaim claims r at now and fails t unless it is claimed.
func mustClaim(t *testing.T, s wellbase.Store, r *wellbase.IdempotencyRecord, now time.Time) {
	t.Helper()
	held, err := s.ClaimIdempotencyKey(t.Context(), r, now)
	checkCode(t, "ClaimIdempotencyKey", err, "")
	if held != nil {
		t.Fatalf("ClaimIdempotencyKey(%s, %q) by %s: held by %s (%s), want claimed", r.Scope, r.Key, r.Owner, held.Owner, held.State)
	}
}

// mustBeHeld claims (scope, key) for a new owner at now and fails t unless the answer is the
// record want (the claim is refused).
func mustBeHeld(t *testing.T, s wellbase.Store, scope, key string, now time.Time, want *wellbase.IdempotencyRecord) {
	t.Helper()
	held, err := s.ClaimIdempotencyKey(t.Context(), claim(scope, key, wellbase.NewID("own"), now, time.Minute), now)
	checkCode(t, "ClaimIdempotencyKey", err, "")
	if held == nil {
		t.Fatalf("ClaimIdempotencyKey(%s, %q) claimed the key, want it held by %s", scope, key, want.Owner)
	}
	checkEqual(t, "record holding the key", held, want)
}

func testIdempotency(t *testing.T, s wellbase.Store) {
	ctx := t.Context()
	at := now()
	op := wellbase.OperatorScope(wellbase.NewID("opr"))

	first := claim("acme", "k1", "own_1", at, 30*time.Second)
	t.Run("ClaimFreeKey", func(t *testing.T) {
		mustClaim(t, s, first, at)
		if first.State != wellbase.IdempotencyInProgress {
			t.Errorf("claimed record state %q, want in_progress", first.State)
		}
	})
	t.Run("HeldWhileInProgress", func(t *testing.T) {
		mustBeHeld(t, s, "acme", "k1", at.Add(29*time.Second), first)
	})
	t.Run("ScopesAreSeparate", func(t *testing.T) {
		mustClaim(t, s, claim("globex", "k1", "own_g", at, time.Minute), at)
		mustClaim(t, s, claim(op, "k1", "own_o", at, time.Minute), at)
		mustClaim(t, s, claim("acme", "K1", "own_case", at, time.Minute), at) // keys are case-sensitive
	})
	t.Run("Renew", func(t *testing.T) {
		checkCode(t, "RenewIdempotencyKey by another owner", s.RenewIdempotencyKey(ctx, "acme", "k1", "own_2", at.Add(time.Hour)), wellbase.EConflict)
		checkCode(t, "RenewIdempotencyKey", s.RenewIdempotencyKey(ctx, "acme", "k1", "own_1", at.Add(90*time.Second)), "")
		first.LeaseUntil = at.Add(90 * time.Second)
		// Past the first lease, the renewed claim still holds the key.
		mustBeHeld(t, s, "acme", "k1", at.Add(60*time.Second), first)
	})
	done := *first
	done.State = wellbase.IdempotencyDone
	done.Fingerprint = "fp-1"
	done.Status = 201
	done.ContentType = "application/json"
	done.Location = "/api/v1/wells/wel_1"
	done.Body = []byte("sealed\x00answer\xff")
	t.Run("Complete", func(t *testing.T) {
		other := done
		other.Owner = "own_2"
		checkCode(t, "CompleteIdempotencyKey by another owner", s.CompleteIdempotencyKey(ctx, &other), wellbase.EConflict)
		checkCode(t, "CompleteIdempotencyKey", s.CompleteIdempotencyKey(ctx, &done), "")
		// Done, the record holds the key past its lease, with the answer.
		mustBeHeld(t, s, "acme", "k1", at.Add(time.Hour), &done)
		checkCode(t, "CompleteIdempotencyKey twice", s.CompleteIdempotencyKey(ctx, &done), wellbase.EConflict)
		checkCode(t, "RenewIdempotencyKey of a done record", s.RenewIdempotencyKey(ctx, "acme", "k1", "own_1", at.Add(time.Hour)), wellbase.EConflict)
		checkCode(t, "ReleaseIdempotencyKey of a done record", s.ReleaseIdempotencyKey(ctx, "acme", "k1", "own_1"), "")
		mustBeHeld(t, s, "acme", "k1", at.Add(time.Hour), &done)
	})
	t.Run("LargeAnswer", func(t *testing.T) {
		r := claim("acme", "large", "own_l", at, time.Minute)
		mustClaim(t, s, r, at)
		r.State, r.Status, r.Body = wellbase.IdempotencyDone, 201, []byte(strings.Repeat("0123456789abcdef", 1<<16)) // 1 MiB
		checkCode(t, "CompleteIdempotencyKey", s.CompleteIdempotencyKey(ctx, r), "")
		mustBeHeld(t, s, "acme", "large", at, r)
		over := claim("acme", "over", "own_over", at, time.Minute)
		mustClaim(t, s, over, at)
		over.Body = make([]byte, wellbase.MaxIdempotencyBody+1)
		checkCode(t, "CompleteIdempotencyKey over MaxIdempotencyBody", s.CompleteIdempotencyKey(ctx, over), wellbase.EInvalid)
	})
	t.Run("Release", func(t *testing.T) {
		r := claim("acme", "k2", "own_1", at, time.Minute)
		mustClaim(t, s, r, at)
		checkCode(t, "ReleaseIdempotencyKey by another owner", s.ReleaseIdempotencyKey(ctx, "acme", "k2", "own_2"), "")
		mustBeHeld(t, s, "acme", "k2", at, r)
		checkCode(t, "ReleaseIdempotencyKey", s.ReleaseIdempotencyKey(ctx, "acme", "k2", "own_1"), "")
		mustClaim(t, s, claim("acme", "k2", "own_3", at, time.Minute), at)
	})
	t.Run("LapsedLease", func(t *testing.T) {
		// The process that claimed k3 died: its lease lapses and another request takes the key;
		// the dead one can then neither renew nor complete it.
		dead := claim("acme", "k3", "own_dead", at, 10*time.Second)
		mustClaim(t, s, dead, at)
		mustBeHeld(t, s, "acme", "k3", at.Add(9*time.Second), dead)
		later := at.Add(10 * time.Second)
		next := claim("acme", "k3", "own_next", later, time.Minute)
		mustClaim(t, s, next, later)
		checkCode(t, "RenewIdempotencyKey after losing the claim", s.RenewIdempotencyKey(ctx, "acme", "k3", "own_dead", later.Add(time.Hour)), wellbase.EConflict)
		d := *dead
		d.Status = 201
		checkCode(t, "CompleteIdempotencyKey after losing the claim", s.CompleteIdempotencyKey(ctx, &d), wellbase.EConflict)
		mustBeHeld(t, s, "acme", "k3", later, next)
	})
	t.Run("SeedKeptByTakeover", func(t *testing.T) {
		// A request run again after its process died derives its IDs from the dead claim's seed;
		// a key claimed anew (released, or expired) gets the new claim's seed.
		seeded := func(owner, seed string, at time.Time) *wellbase.IdempotencyRecord {
			r := claim("acme", "k-seed", owner, at, 10*time.Second)
			r.Seed = seed
			return r
		}
		dead := seeded("own_dead", "seed_a", at)
		mustClaim(t, s, dead, at)
		if dead.Seed != "seed_a" {
			t.Errorf("first claim's seed %q, want its own", dead.Seed)
		}
		later := at.Add(10 * time.Second)
		next := seeded("own_next", "seed_b", later)
		mustClaim(t, s, next, later)
		if next.Seed != "seed_a" {
			t.Errorf("seed of the claim that took over a dead one: %q, want the dead claim's %q", next.Seed, "seed_a")
		}
		mustBeHeld(t, s, "acme", "k-seed", later, next)
		checkCode(t, "ReleaseIdempotencyKey", s.ReleaseIdempotencyKey(ctx, "acme", "k-seed", "own_next"), "")
		fresh := seeded("own_fresh", "seed_c", later)
		mustClaim(t, s, fresh, later)
		if fresh.Seed != "seed_c" {
			t.Errorf("seed of a claim after a release: %q, want its own", fresh.Seed)
		}
		fresh.Status, fresh.Body = 201, []byte("{}")
		checkCode(t, "CompleteIdempotencyKey", s.CompleteIdempotencyKey(ctx, fresh), "")
		expiry := fresh.ExpiresAt
		renewed := seeded("own_renewed", "seed_d", expiry)
		mustClaim(t, s, renewed, expiry)
		if renewed.Seed != "seed_d" {
			t.Errorf("seed of a claim replacing an expired done record: %q, want its own", renewed.Seed)
		}
	})
	t.Run("Expired", func(t *testing.T) {
		expiry := done.ExpiresAt
		mustBeHeld(t, s, "acme", "k1", expiry.Add(-time.Millisecond), &done)
		mustClaim(t, s, claim("acme", "k1", "own_new", expiry, time.Minute), expiry)
	})
	t.Run("DeleteExpired", func(t *testing.T) {
		sweepAt := at.Add(48 * time.Hour)
		if _, err := s.DeleteExpiredIdempotencyKeys(ctx, sweepAt); err != nil {
			t.Fatal(err)
		}
		expired := claim("sweep", "expired", "own_1", at, time.Minute)
		lapsed := claim("sweep", "lapsed", "own_2", sweepAt.Add(-time.Hour), time.Minute)
		live := claim("sweep", "live", "own_3", sweepAt.Add(-time.Hour), 2*time.Hour)
		liveDone := claim("sweep", "live-done", "own_4", sweepAt.Add(-time.Hour), time.Minute)
		for _, r := range []*wellbase.IdempotencyRecord{expired, lapsed, live, liveDone} {
			mustClaim(t, s, r, r.CreatedAt)
		}
		liveDone.State, liveDone.Status, liveDone.Body = wellbase.IdempotencyDone, 200, []byte("{}")
		checkCode(t, "CompleteIdempotencyKey", s.CompleteIdempotencyKey(ctx, liveDone), "")
		n, err := s.DeleteExpiredIdempotencyKeys(ctx, sweepAt)
		checkCode(t, "DeleteExpiredIdempotencyKeys", err, "")
		if n != 2 {
			t.Errorf("DeleteExpiredIdempotencyKeys deleted %d records, want 2 (an expired one and a lapsed claim)", n)
		}
		if n, err := s.DeleteExpiredIdempotencyKeys(ctx, sweepAt); err != nil || n != 0 {
			t.Errorf("a second DeleteExpiredIdempotencyKeys deleted %d records (%v), want 0", n, err)
		}
		mustBeHeld(t, s, "sweep", "live", sweepAt, live)
		mustBeHeld(t, s, "sweep", "live-done", sweepAt, liveDone)
	})
	t.Run("Concurrent", func(t *testing.T) {
		var mu sync.Mutex
		var winners []string
		held := map[string]int{}
		runWorkers(t, func(ctx context.Context, i int) error {
			owner := fmt.Sprintf("own_%02d", i)
			h, err := s.ClaimIdempotencyKey(ctx, claim("acme", "race", owner, at, time.Minute), at)
			if err != nil {
				return err
			}
			mu.Lock()
			defer mu.Unlock()
			if h == nil {
				winners = append(winners, owner)
			} else {
				held[h.Owner]++
			}
			return nil
		})
		if len(winners) != 1 {
			t.Fatalf("%d requests claimed the same key at once (%v), want 1", len(winners), winners)
		}
		if held[winners[0]] != workers-1 {
			t.Errorf("the %d others saw the key held by %v, want all by %s", workers-1, held, winners[0])
		}
	})
	t.Run("Invalid", func(t *testing.T) {
		for _, r := range []*wellbase.IdempotencyRecord{
			claim("", "k", "own", at, time.Minute),
			claim("a/b", "k", "own", at, time.Minute),
			claim("acme", "", "own", at, time.Minute),
			claim("acme", "line\nbreak", "own", at, time.Minute),
			claim("acme", strings.Repeat("k", wellbase.MaxIdempotencyKey+1), "own", at, time.Minute),
			claim("acme", "k", "", at, time.Minute),
		} {
			_, err := s.ClaimIdempotencyKey(ctx, r, at)
			checkCode(t, fmt.Sprintf("ClaimIdempotencyKey(%q, %.20q, owner %q)", r.Scope, r.Key, r.Owner), err, wellbase.EInvalid)
		}
		checkCode(t, "RenewIdempotencyKey without scope", s.RenewIdempotencyKey(ctx, "", "k", "own", at), wellbase.EInvalid)
		checkCode(t, "ReleaseIdempotencyKey without key", s.ReleaseIdempotencyKey(ctx, "acme", "", "own"), wellbase.EInvalid)
	})
}
