package httpapi

import (
	"context"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/wellbase/wellbase"
)

// TestShedTenantShare: a tenant holding half the slots while others wait is refused with 429;
// another tenant is not.
func TestShedTenantShare(t *testing.T) {
	sh := newShedder(4, 0, prometheus.NewRegistry())
	var leaves []func()
	for range 2 {
		leave, err := sh.enter("noisy")
		if err != nil {
			t.Fatalf("noisy's request %d refused with no one waiting: %v", len(leaves)+1, err)
		}
		leaves = append(leaves, leave)
	}
	// Nobody waits: a third request of the same tenant is no harm.
	leave, err := sh.enter("noisy")
	if err != nil {
		t.Fatalf("refused with no one waiting: %v", err)
	}
	leave()
	sh.queued.Add(1) // a request waits for a slot
	if leave, err := sh.enter("noisy"); err != nil {
		t.Errorf("refused with no other tenant served: %v", err)
	} else {
		leave()
	}
	other, err := sh.enter("other")
	if err != nil {
		t.Fatal(err)
	}
	defer other()
	if _, err := sh.enter("noisy"); wellbase.ErrorCode(err) != wellbase.ELimitExceeded || !strings.Contains(wellbase.ErrorMessage(err), "tenant noisy") {
		t.Errorf("noisy over half the slots while others wait: %v, want limit_exceeded naming it", err)
	}
	quiet, err := sh.enter("quiet")
	if err != nil {
		t.Errorf("another tenant refused: %v", err)
	} else {
		quiet()
	}
	for _, l := range leaves {
		l()
	}
	if _, err := sh.enter("noisy"); err != nil {
		t.Errorf("noisy refused after its requests ended: %v", err)
	}
	sh.queued.Add(-1)
}

// TestShedQueue: past the slots a request waits, then is refused with 503; a cancelled one
// gives up at once; a freed slot is taken.
func TestShedQueue(t *testing.T) {
	sh := newShedder(1, 1, prometheus.NewRegistry())
	release, err := sh.acquire(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sh.acquire(context.Background()); wellbase.ErrorCode(err) != wellbase.EUnavailable {
		t.Errorf("all slots taken: %v, want unavailable", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := sh.acquire(ctx); err == nil {
		t.Error("a cancelled request got a slot")
	}
	release()
	r2, err := sh.acquire(context.Background())
	if err != nil {
		t.Errorf("a free slot refused: %v", err)
	} else {
		r2()
	}
	if newShedder(-1, 0, prometheus.NewRegistry()) != nil {
		t.Error("a negative limit does not turn shedding off")
	}
}

// TestShedCostlyPerTenant: a tenant runs at most its share of costly requests at once; another
// tenant is not held back by it.
func TestShedCostlyPerTenant(t *testing.T) {
	sh := newShedder(8, 1, prometheus.NewRegistry())
	var leaves []func()
	for range sh.perTenantCostly {
		leave, err := sh.enterCostly(context.Background(), "noisy")
		if err != nil {
			t.Fatal(err)
		}
		leaves = append(leaves, leave)
	}
	if _, err := sh.enterCostly(context.Background(), "noisy"); wellbase.ErrorCode(err) != wellbase.ELimitExceeded || !strings.Contains(wellbase.ErrorMessage(err), "tenant noisy") {
		t.Errorf("over its costly share: %v, want limit_exceeded naming the tenant", err)
	}
	other, err := sh.enterCostly(context.Background(), "quiet")
	if err != nil {
		t.Errorf("another tenant refused: %v", err)
	} else {
		other()
	}
	leaves[0]()
	again, err := sh.enterCostly(context.Background(), "noisy")
	if err != nil {
		t.Errorf("refused once a costly request ended: %v", err)
	} else {
		again()
	}
}
