package wellbase

import (
	"context"
	"errors"
	"strconv"
	"testing"
)

func TestEachAndAll(t *testing.T) {
	ctx := context.Background()
	items := make([]int, 1234)
	for i := range items {
		items[i] = i
	}
	calls := 0
	list := func(_ context.Context, p Page) ([]int, string, error) {
		calls++
		start := 0
		if p.After != "" {
			start, _ = strconv.Atoi(p.After)
		}
		end := min(start+p.Size(), len(items))
		next := ""
		if end < len(items) {
			next = strconv.Itoa(end)
		}
		return items[start:end], next, nil
	}
	got, err := All(ctx, list)
	if err != nil || len(got) != len(items) || got[1233] != 1233 || calls != 3 {
		t.Fatalf("All: %d items, %v, %d calls", len(got), err, calls)
	}
	boom := errors.New("boom")
	n := 0
	for _, err := range Each(ctx, func(context.Context, Page) ([]int, string, error) { return nil, "", boom }) {
		n++
		if !errors.Is(err, boom) {
			t.Errorf("Each yielded %v", err)
		}
	}
	if n != 1 {
		t.Errorf("Each yielded %d times on an error", n)
	}
	if _, err := All(ctx, func(context.Context, Page) ([]int, string, error) { return nil, "", boom }); !errors.Is(err, boom) {
		t.Errorf("All error %v", err)
	}
}
