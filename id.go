package wellbase

import (
	"crypto/rand"
	"encoding/base32"
	"encoding/binary"
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
