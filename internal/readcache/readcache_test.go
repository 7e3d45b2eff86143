package readcache

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
)

func val(c *Cache, k Key) any {
	v, _ := c.Get(k)
	return v
}

func fill(v string, size int64) func() (any, int64, error) {
	return func() (any, int64, error) { return v, size, nil }
}

func TestEvictsLeastRecentlyUsedByBytes(t *testing.T) {
	c := New(100)
	a, b, d := Key{"acme", "log_a", "json"}, Key{"acme", "log_b", "json"}, Key{"acme", "log_d", "json"}
	c.Do(a, fill("A", 40))
	c.Do(b, fill("B", 40))
	c.Get(a) // a is now more recent than b
	c.Do(d, fill("D", 40))
	if val(c, b) != nil {
		t.Error("b, the least recently used, was not evicted")
	}
	if val(c, a) != "A" || val(c, d) != "D" {
		t.Error("a or d was evicted")
	}
	if s := c.Stats(); s.Bytes != 80 || s.Entries != 2 || s.Evictions != 1 {
		t.Errorf("stats %+v, want 80 bytes in 2 entries, 1 eviction", s)
	}
	// A value larger than the cache is returned, not kept, and evicts nothing.
	big := Key{"acme", "log_big", "json"}
	v, hit, err := c.Do(big, fill("BIG", 101))
	if v != "BIG" || hit || err != nil {
		t.Errorf("Do = %v %v %v", v, hit, err)
	}
	if val(c, big) != nil || val(c, a) != "A" {
		t.Error("the oversized value was kept or evicted others")
	}
}

func TestDropTenantAndResource(t *testing.T) {
	c := New(1 << 20)
	keys := []Key{{"acme", "log_1", "json"}, {"acme", "log_1", "f64"}, {"acme", "log_2", "json"}, {"globex", "log_1", "json"}}
	for _, k := range keys {
		c.Do(k, fill(k.String(), 10))
	}
	c.DropResource("acme", "log_1")
	if val(c, keys[0]) != nil || val(c, keys[1]) != nil {
		t.Error("acme's log_1 is still cached after DropResource")
	}
	if val(c, keys[2]) == nil || val(c, keys[3]) == nil {
		t.Error("DropResource removed another log's or another tenant's value")
	}
	c.DropTenant("acme")
	if val(c, keys[2]) != nil {
		t.Error("acme's value is still cached after DropTenant")
	}
	if val(c, keys[3]) == nil {
		t.Error("DropTenant removed another tenant's value")
	}
}

// TestDropDuringFill: a value being computed when its tenant is dropped may hold what the drop
// was about (read with the destroyed key, say): it is returned to its caller but not cached.
func TestDropDuringFill(t *testing.T) {
	c := New(1 << 20)
	k := Key{"acme", "log_1", "json"}
	v, _, err := c.Do(k, func() (any, int64, error) {
		c.DropTenant("acme")
		return "old", 3, nil
	})
	if v != "old" || err != nil {
		t.Fatalf("Do = %v, %v", v, err)
	}
	if val(c, k) != nil {
		t.Error("a value computed across a DropTenant was cached")
	}
}

func TestDoFillsOnceAndKeepsNoError(t *testing.T) {
	c := New(1 << 20)
	k := Key{"acme", "log_1", "json"}
	var calls atomic.Int32
	start := make(chan struct{})
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			<-start
			v, _, err := c.Do(k, func() (any, int64, error) {
				calls.Add(1)
				return "v", 1, nil
			})
			if v != "v" || err != nil {
				t.Errorf("Do = %v, %v", v, err)
			}
		})
	}
	close(start)
	wg.Wait()
	if n := calls.Load(); n < 1 || n > 8 {
		t.Errorf("fill ran %d times", n)
	}
	if _, _, err := c.Do(k, func() (any, int64, error) { t.Error("fill ran on a cached key"); return nil, 0, nil }); err != nil {
		t.Error(err)
	}
	boom := errors.New("boom")
	e := Key{"acme", "log_2", "json"}
	if _, _, err := c.Do(e, func() (any, int64, error) { return nil, 0, boom }); !errors.Is(err, boom) {
		t.Errorf("err = %v, want boom", err)
	}
	if val(c, e) != nil {
		t.Error("a failed fill was cached")
	}
}

func TestNilCacheComputes(t *testing.T) {
	var c *Cache = New(0)
	v, hit, err := c.Do(Key{"acme", "l", "v"}, fill("x", 1))
	if v != "x" || hit || err != nil {
		t.Errorf("Do = %v %v %v", v, hit, err)
	}
	c.DropTenant("acme")
	if c.Stats() != (Stats{}) {
		t.Error("a nil cache has stats")
	}
}
