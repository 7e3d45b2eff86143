package httpapi

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/wellbase/wellbase"
)

// meterInterval is how often request counts are written to the store.
const meterInterval = 10 * time.Second

// meter counts each tenant's API requests in memory and adds them to the store's daily usage
// every meterInterval and at shutdown, so metering costs no database write per request.
type meter struct {
	store wellbase.Store
	log   *slog.Logger
	mu    sync.Mutex
	day   string
	n     map[string]int64
}

func newMeter(store wellbase.Store, log *slog.Logger) *meter {
	return &meter{store: store, log: log, n: map[string]int64{}}
}

func today() string { return time.Now().UTC().Format(time.DateOnly) }

func (m *meter) add(tenant string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if d := today(); d != m.day {
		if len(m.n) > 0 && m.day != "" {
			// The day turned: counts of the old day go out with the next flush under that day.
			go m.write(context.Background(), m.day, m.n)
			m.n = map[string]int64{}
		}
		m.day = d
	}
	m.n[tenant]++
}

// pending returns the tenant's requests counted today and not yet written.
func (m *meter) pending(tenant string) int64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.day != today() {
		return 0
	}
	return m.n[tenant]
}

func (m *meter) run(ctx context.Context) {
	tick := time.NewTicker(meterInterval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			m.flush(ctx)
		}
	}
}

// flush writes the pending counts to the store.
func (m *meter) flush(ctx context.Context) error {
	m.mu.Lock()
	day, n := m.day, m.n
	m.n = map[string]int64{}
	m.mu.Unlock()
	return m.write(ctx, day, n)
}

func (m *meter) write(ctx context.Context, day string, n map[string]int64) error {
	var first error
	for tenant, c := range n {
		if err := m.store.Tenant(tenant).AddRequests(ctx, day, c); err != nil {
			m.log.ErrorContext(ctx, "write request usage", slog.String("tenant", tenant), slog.String("error", err.Error()))
			if first == nil {
				first = err
			}
		}
	}
	return first
}
