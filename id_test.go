package wellbase

import (
	"context"
	"slices"
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

func TestNewIDContext(t *testing.T) {
	t.Parallel()
	seed := NewID("ids")
	run := func(seed string) []string {
		ctx := WithIDSeed(context.Background(), seed)
		return []string{NewIDContext(ctx, "wel"), NewIDContext(ctx, "log"), NewIDContext(ctx, "wel")}
	}
	first, again, other := run(seed), run(seed), run(NewID("ids"))
	if !slices.Equal(first, again) {
		t.Errorf("the same seed gave %v, then %v", first, again)
	}
	if first[0] == first[2] || slices.ContainsFunc(other, func(id string) bool { return slices.Contains(first, id) }) {
		t.Errorf("IDs repeat: %v and another seed's %v", first, other)
	}
	for _, id := range first {
		if len(id) != 4+26 || id[3] != '_' || id[4:13] != seed[4:13] {
			t.Errorf("derived ID %q: want <prefix>_<26 characters> with the seed's time %s", id, seed[4:13])
		}
	}
	if a, b := NewIDContext(context.Background(), "wel"), NewIDContext(context.Background(), "wel"); a == b || SeededID(context.Background()) {
		t.Errorf("without a seed: %s then %s", a, b)
	}
}
