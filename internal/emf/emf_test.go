package emf

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wellbase/wellbase/internal/testlog"
)

// checkDocument checks one line against the required members of the EMF specification and
// returns its root node: a JSON object alone on its line; _aws an object with a numeric
// Timestamp and a non-empty CloudWatchMetrics array; each directive with a string Namespace, an
// array of dimension sets (arrays of at most 30 strings, each a string member of the root) and
// at most 100 metric definitions, each with a Name that is a root member whose value is a number
// or an array of at most 100 numbers, and a Unit among CloudWatch's.
func checkDocument(t *testing.T, line string) map[string]any {
	t.Helper()
	var root map[string]any
	dec := json.NewDecoder(strings.NewReader(line))
	dec.UseNumber()
	if err := dec.Decode(&root); err != nil {
		t.Fatalf("line is not a JSON object: %v: %s", err, line)
	}
	if dec.More() {
		t.Fatalf("data after the JSON object: %s", line)
	}
	aws, ok := root["_aws"].(map[string]any)
	if !ok {
		t.Fatalf("no _aws object: %s", line)
	}
	if _, err := aws["Timestamp"].(json.Number).Int64(); err != nil {
		t.Errorf("_aws.Timestamp %v is not an integer number of milliseconds", aws["Timestamp"])
	}
	dirs, ok := aws["CloudWatchMetrics"].([]any)
	if !ok || len(dirs) == 0 {
		t.Fatalf("_aws.CloudWatchMetrics missing or empty: %s", line)
	}
	units := map[string]bool{"Seconds": true, "Microseconds": true, "Milliseconds": true, "Bytes": true, "Kilobytes": true, "Megabytes": true,
		"Gigabytes": true, "Terabytes": true, "Bits": true, "Kilobits": true, "Megabits": true, "Gigabits": true, "Terabits": true,
		"Percent": true, "Count": true, "Bytes/Second": true, "Kilobytes/Second": true, "Megabytes/Second": true, "Gigabytes/Second": true,
		"Terabytes/Second": true, "Bits/Second": true, "Kilobits/Second": true, "Megabits/Second": true, "Gigabits/Second": true,
		"Terabits/Second": true, "Count/Second": true, "None": true}
	for _, d := range dirs {
		dir := d.(map[string]any)
		if ns, ok := dir["Namespace"].(string); !ok || ns == "" {
			t.Errorf("directive without a Namespace: %v", dir)
		}
		sets, ok := dir["Dimensions"].([]any)
		if !ok {
			t.Errorf("directive without Dimensions: %v", dir)
		}
		for _, s := range sets {
			set := s.([]any)
			if len(set) > MaxDimensions {
				t.Errorf("dimension set of %d", len(set))
			}
			for _, name := range set {
				if _, ok := root[name.(string)].(string); !ok {
					t.Errorf("dimension %v is not a string member of the root", name)
				}
			}
		}
		ms, ok := dir["Metrics"].([]any)
		if !ok || len(ms) > MaxMetrics {
			t.Errorf("directive Metrics missing or over %d: %d", MaxMetrics, len(ms))
		}
		for _, m := range ms {
			def := m.(map[string]any)
			name, _ := def["Name"].(string)
			if u, ok := def["Unit"]; ok && !units[u.(string)] {
				t.Errorf("metric %s: unit %v is not a CloudWatch unit", name, u)
			}
			switch v := root[name].(type) {
			case json.Number:
			case []any:
				if len(v) == 0 || len(v) > MaxValues {
					t.Errorf("metric %s has %d values", name, len(v))
				}
				for _, x := range v {
					if _, ok := x.(json.Number); !ok {
						t.Errorf("metric %s: value %v is not a number", name, x)
					}
				}
			default:
				t.Errorf("metric %s: root member %v is not a number or an array of numbers", name, root[name])
			}
		}
	}
	return root
}

func lines(b *bytes.Buffer) []string {
	return strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
}

func TestEmitDocument(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	l, err := New(&out, "Wellbase/prod", Dimension{"Service", "worker"})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 1, 2, 3, 4, 5, 6e6, time.UTC)
	l.Now = func() time.Time { return at }
	err = l.Emit([]Metric{
		{Name: "JobsSucceeded", Unit: Count, Values: []float64{3}},
		{Name: "JobDuration", Unit: Milliseconds, Values: []float64{12.5, 800}},
		{Name: "QueueDepth", Unit: Count}, // no value: left out
	}, map[string]any{"tenant": "acme"})
	if err != nil {
		t.Fatal(err)
	}
	ls := lines(&out)
	if len(ls) != 1 {
		t.Fatalf("%d lines, want 1: %q", len(ls), out.String())
	}
	root := checkDocument(t, ls[0])
	want := `{"JobDuration":[12.5,800],"JobsSucceeded":3,"Service":"worker","_aws":{"Timestamp":` + fmt.Sprint(at.UnixMilli()) +
		`,"CloudWatchMetrics":[{"Namespace":"Wellbase/prod","Dimensions":[["Service"]],"Metrics":[{"Name":"JobsSucceeded","Unit":"Count"},{"Name":"JobDuration","Unit":"Milliseconds"}]}]},"tenant":"acme"}`
	if ls[0] != want {
		t.Errorf("document\n got %s\nwant %s", ls[0], want)
	}
	if _, ok := root["QueueDepth"]; ok {
		t.Error("a metric without values was written")
	}
}

// TestEmitSplits: more than 100 values of a metric, or more than 100 metrics, take several
// documents, each within the limits, and no value is lost.
func TestEmitSplits(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	l, _ := New(&out, "Wellbase/test", Dimension{"Service", "api"})
	durations := make([]float64, 250)
	for i := range durations {
		durations[i] = float64(i)
	}
	ms := []Metric{{Name: "JobDuration", Unit: Milliseconds, Values: durations}}
	for i := range 120 {
		ms = append(ms, Metric{Name: fmt.Sprintf("M%03d", i), Unit: Count, Values: []float64{1}})
	}
	if err := l.Emit(ms, nil); err != nil {
		t.Fatal(err)
	}
	var got []float64
	metrics := map[string]int{}
	for _, line := range lines(&out) {
		root := checkDocument(t, line)
		for _, d := range root["_aws"].(map[string]any)["CloudWatchMetrics"].([]any) {
			for _, m := range d.(map[string]any)["Metrics"].([]any) {
				metrics[m.(map[string]any)["Name"].(string)]++
			}
		}
		switch v := root["JobDuration"].(type) {
		case []any:
			for _, x := range v {
				f, _ := x.(json.Number).Float64()
				got = append(got, f)
			}
		case json.Number:
			f, _ := v.Float64()
			got = append(got, f)
		}
	}
	if len(got) != len(durations) {
		t.Fatalf("%d duration values written, want %d", len(got), len(durations))
	}
	for i := range got {
		if got[i] != durations[i] {
			t.Fatalf("duration %d = %v, want %v", i, got[i], durations[i])
		}
	}
	if len(metrics) != 121 || metrics["M119"] != 1 || metrics["JobDuration"] != 3 {
		t.Errorf("metrics across documents: %d names, M119 ×%d, JobDuration ×%d", len(metrics), metrics["M119"], metrics["JobDuration"])
	}
}

func TestEmitRefuses(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	l, _ := New(&out, "Wellbase/test", Dimension{"Service", "api"})
	for name, tc := range map[string]struct {
		ms    []Metric
		props map[string]any
	}{
		"NaN":              {ms: []Metric{{Name: "X", Unit: Count, Values: []float64{math.NaN()}}}},
		"Inf":              {ms: []Metric{{Name: "X", Unit: Count, Values: []float64{math.Inf(1)}}}},
		"EmptyName":        {ms: []Metric{{Name: "", Unit: Count, Values: []float64{1}}}},
		"DuplicateMetric":  {ms: []Metric{{Name: "X", Values: []float64{1}}, {Name: "X", Values: []float64{2}}}},
		"DimensionAsName":  {ms: []Metric{{Name: "Service", Values: []float64{1}}}},
		"PropertyAsName":   {ms: []Metric{{Name: "job", Values: []float64{1}}}, props: map[string]any{"job": "job_1"}},
		"ReservedProperty": {ms: []Metric{{Name: "X", Values: []float64{1}}}, props: map[string]any{"_aws": 1}},
	} {
		if err := l.Emit(tc.ms, tc.props); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if out.Len() != 0 {
		t.Errorf("refused metrics were written: %s", out.String())
	}
	for _, bad := range []struct {
		ns   string
		dims []Dimension
	}{
		{"", nil},
		{strings.Repeat("n", 256), nil},
		{":x", nil},
		{"Wellbase/test", []Dimension{{"Service", ""}}},
		{"Wellbase/test", []Dimension{{"", "api"}}},
		{"Wellbase/test", []Dimension{{"Service", "a"}, {"Service", "b"}}},
	} {
		if _, err := New(&out, bad.ns, bad.dims...); err == nil {
			t.Errorf("New(%q, %v): no error", bad.ns, bad.dims)
		}
	}
}

// TestEmitConcurrent: documents written from many goroutines stay one per line.
func TestEmitConcurrent(t *testing.T) {
	t.Parallel()
	var out testlog.Buffer
	l, _ := New(&out, "Wellbase/test", Dimension{"Service", "jobs-lambda"})
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			for range 10 {
				if err := l.Emit([]Metric{{Name: "JobsSucceeded", Unit: Count, Values: []float64{float64(i)}}}, nil); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	ls := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(ls) != 200 {
		t.Fatalf("%d lines, want 200", len(ls))
	}
	for _, line := range ls {
		checkDocument(t, line)
	}
}
