package wellbase

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/binary"
	"strconv"
	"strings"
	"sync"
	"time"
)

var idEncoding = base32.NewEncoding("0123456789abcdefghjkmnpqrstvwxyz").WithPadding(base32.NoPadding)

var (
	idMu   sync.Mutex
	lastID [16]byte
)

// NewID returns a new resource ID "<prefix>_<26 characters>": 48 bits of milliseconds since the
// Unix epoch then 80 random bits, in Crockford's base32, lowercase (the ULID layout, with its
// monotonic rule: within one millisecond the random part of the previous ID is incremented).
// IDs therefore sort by creation order within a process, and by time across processes; they
// are unguessable, so an ID of one tenant says nothing about another's.
func NewID(prefix string) string {
	var b [16]byte
	ms := uint64(time.Now().UnixMilli())
	idMu.Lock()
	if last := binary.BigEndian.Uint64(lastID[:8]) >> 16; ms <= last {
		b = lastID
		for i := 15; i >= 6; i-- { // increment the 80-bit random part
			b[i]++
			if b[i] != 0 {
				break
			}
		}
	} else {
		binary.BigEndian.PutUint64(b[:8], ms<<16)
		rand.Read(b[6:])
		b[6] &= 0x7f // leave room to increment without overflowing into the time
	}
	lastID = b
	idMu.Unlock()
	return prefix + "_" + idEncoding.EncodeToString(b[:])
}

// idSeed is the source of the IDs NewIDContext derives for one request.
type idSeed struct {
	seed string
	ms   uint64
	mu   sync.Mutex
	n    map[string]int
}

type idSeedKey struct{}

// WithIDSeed returns ctx with the ID seed of an idempotent request (IdempotencyRecord.Seed, an
// ID from NewID): the IDs NewIDContext gives under it are derived from the seed, the prefix and
// how many IDs of that prefix were given before, so that a request run again with the same seed
// (its replica died before it answered, the retry runs it again) gives the same IDs in the same
// order, and finds what the first run made instead of making it twice.
func WithIDSeed(ctx context.Context, seed string) context.Context {
	s := &idSeed{seed: seed, n: map[string]int{}}
	if _, enc, ok := strings.Cut(seed, "_"); ok {
		if b, err := idEncoding.DecodeString(enc); err == nil && len(b) == 16 {
			s.ms = binary.BigEndian.Uint64(b[:8]) >> 16
		}
	}
	return context.WithValue(ctx, idSeedKey{}, s)
}

// NewIDContext returns NewID(prefix), or, under WithIDSeed, the next ID of prefix derived from
// the seed: the seed's time (so IDs still sort by when the request first ran) and 80 bits of
// SHA-256(seed, prefix, count). A derived ID is as unguessable as the seed, which is random.
func NewIDContext(ctx context.Context, prefix string) string {
	s, _ := ctx.Value(idSeedKey{}).(*idSeed)
	if s == nil || s.ms == 0 {
		return NewID(prefix)
	}
	s.mu.Lock()
	n := s.n[prefix]
	s.n[prefix]++
	s.mu.Unlock()
	sum := sha256.Sum256([]byte(s.seed + "\x00" + prefix + "\x00" + strconv.Itoa(n)))
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], s.ms<<16)
	copy(b[6:], sum[:10])
	b[6] &= 0x7f
	return prefix + "_" + idEncoding.EncodeToString(b[:])
}

// SeededID reports whether ctx carries an ID seed (WithIDSeed): IDs made with NewIDContext are
// then those of any earlier run of the same request, and a record that already exists with one
// was made by such a run.
func SeededID(ctx context.Context) bool {
	s, _ := ctx.Value(idSeedKey{}).(*idSeed)
	return s != nil && s.ms != 0
}
