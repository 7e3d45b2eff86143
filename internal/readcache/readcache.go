// Package readcache is a bounded in-memory cache of tenants' read results (decoded curves,
// encoded answers), least recently used first out, bounded by the bytes its values hold.
//
// Every entry belongs to a tenant and a resource of that tenant (a log), so that deleting the
// resource, rotating or destroying the tenant's keys, or offboarding the tenant drops what is
// cached of it (DropResource, DropTenant). Keys must also carry what makes a cached value stale
// (the resource's version, the data key version), so that a change made by another process,
// which cannot reach this cache, is a miss rather than a stale hit.
package readcache

import (
	"container/list"
	"sync"

	"golang.org/x/sync/singleflight"
)

// Key identifies a cached value: the tenant, its resource, and the rest of what the value
// depends on (version, variant, format), opaque to the cache.
type Key struct {
	Tenant, Resource, Variant string
}

func (k Key) String() string { return k.Tenant + "\x00" + k.Resource + "\x00" + k.Variant }

// Cache holds values up to a total size. The zero value is not usable; see New. A nil *Cache
// caches nothing (Get misses, Do always computes).
type Cache struct {
	max int64

	mu    sync.Mutex
	used  int64
	order *list.List // of *entry, most recently used first
	items map[Key]*list.Element
	group singleflight.Group
	// gen counts DropTenant/DropResource calls, so that a value computed while a drop ran is
	// not stored (it may have been read before the drop).
	gen uint64

	hits, misses, evictions uint64
}

type entry struct {
	key   Key
	value any
	size  int64
}

// New returns a cache holding at most maxBytes of values; maxBytes <= 0 returns nil, which
// caches nothing.
func New(maxBytes int64) *Cache {
	if maxBytes <= 0 {
		return nil
	}
	return &Cache{max: maxBytes, order: list.New(), items: map[Key]*list.Element{}}
}

// Get returns the value cached under k.
func (c *Cache) Get(k Key) (any, bool) {
	if c == nil {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[k]; ok {
		c.order.MoveToFront(el)
		c.hits++
		return el.Value.(*entry).value, true
	}
	c.misses++
	return nil, false
}

// Do returns the value cached under k, or computes it with fill (once for concurrent callers
// of the same key) and caches it when fill succeeds. fill returns the value and its size in
// bytes; a value larger than the cache is returned but not kept. hit reports whether the value
// came from the cache or another caller's fill.
func (c *Cache) Do(k Key, fill func() (any, int64, error)) (v any, hit bool, err error) {
	if v, ok := c.Get(k); ok {
		return v, true, nil
	}
	if c == nil {
		v, _, err := fill()
		return v, false, err
	}
	c.mu.Lock()
	gen := c.gen
	c.mu.Unlock()
	v, err, shared := c.group.Do(k.String(), func() (any, error) {
		v, size, err := fill()
		if err != nil {
			return nil, err
		}
		c.put(k, v, size, gen)
		return v, nil
	})
	return v, shared, err
}

// put stores v under k unless a drop ran since gen (v may predate it) or v is too large.
func (c *Cache) put(k Key, v any, size int64, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen || size > c.max {
		return
	}
	if el, ok := c.items[k]; ok {
		c.remove(el)
	}
	c.items[k] = c.order.PushFront(&entry{key: k, value: v, size: size})
	c.used += size
	for c.used > c.max {
		c.remove(c.order.Back())
		c.evictions++
	}
}

func (c *Cache) remove(el *list.Element) {
	e := el.Value.(*entry)
	c.order.Remove(el)
	delete(c.items, e.key)
	c.used -= e.size
}

// DropTenant removes every value of tenant: its keys were rotated or destroyed, or it was
// offboarded.
func (c *Cache) DropTenant(tenant string) {
	c.drop(func(k Key) bool { return k.Tenant == tenant })
}

// DropResource removes every value of tenant's resource (a log deleted or replaced).
func (c *Cache) DropResource(tenant, resource string) {
	c.drop(func(k Key) bool { return k.Tenant == tenant && k.Resource == resource })
}

func (c *Cache) drop(match func(Key) bool) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	for el := c.order.Front(); el != nil; {
		next := el.Next()
		if match(el.Value.(*entry).key) {
			c.remove(el)
		}
		el = next
	}
}

// Stats is a snapshot of the cache's counters.
type Stats struct {
	Entries                 int
	Bytes, MaxBytes         int64
	Hits, Misses, Evictions uint64
}

// Stats returns the cache's counters (zero for a nil cache).
func (c *Cache) Stats() Stats {
	if c == nil {
		return Stats{}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return Stats{Entries: len(c.items), Bytes: c.used, MaxBytes: c.max, Hits: c.hits, Misses: c.misses, Evictions: c.evictions}
}
