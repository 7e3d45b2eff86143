package wellbase

import (
	"strings"
	"testing"
)

func TestNewIDSortsByCreation(t *testing.T) {
	t.Parallel()
	prev := NewID("wel")
	for range 10000 {
		id := NewID("wel")
		if id <= prev {
			t.Fatalf("NewID %s after %s: not increasing", id, prev)
		}
		if len(id) != 4+26 || !strings.HasPrefix(id, "wel_") {
			t.Fatalf("NewID = %q", id)
		}
		prev = id
	}
}
