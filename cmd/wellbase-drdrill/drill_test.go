package main

import (
	"slices"
	"testing"
)

func TestNormalize(t *testing.T) {
	for _, tt := range []struct {
		name string
		in   any
		want string
	}{
		{"TimesToTheMillisecond", map[string]any{"b": "2026-12-06T23:21:32.416123456Z", "a": 1.5},
			`{"a":1.5,"b":"2026-12-06T23:21:32.416Z"}`},
		{"OffsetsToUTC", []any{"2026-12-06T23:21:32.4161+02:00"}, `["2026-12-06T21:21:32.416Z"]`},
		{"DatesAndTextKept", []map[string]any{{"date": "2014-04-01", "name": "15/9-F-14"}}, `[{"date":"2014-04-01","name":"15/9-F-14"}]`},
		{"Null", nil, `null`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := normalize(tt.in); got != tt.want {
				t.Errorf("normalize = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestCompare(t *testing.T) {
	before := &snapshot{items: map[string]string{"a": "1", "b": "2", "c": "3"}}
	after := &snapshot{items: map[string]string{"a": "1", "b": "20", "d": "4"}}
	differ, missing := compare(before, after)
	if !slices.Equal(differ, []string{"b"}) || !slices.Equal(missing, []string{"c"}) {
		t.Errorf("compare = %v differ, %v missing; want [b], [c]", differ, missing)
	}
	if d, m := compare(before, before); len(d)+len(m) != 0 {
		t.Errorf("a snapshot differs from itself: %v %v", d, m)
	}
}
