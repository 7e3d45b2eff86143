// Package emf writes metrics in CloudWatch's Embedded Metric Format: JSON log lines that carry
// an "_aws" member, from which CloudWatch Logs extracts metrics as it ingests them. No agent and
// no PutMetricData call (nor the IAM permission for it) are needed: a line on stdout, which
// awslogs (ECS) and Lambda send to CloudWatch Logs, is enough.
//
// # Format
//
// Specification: https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
// Each line is one JSON object (the root node), with nothing before or after it:
//
//	{"_aws":{"Timestamp":1767225600000,"CloudWatchMetrics":[{"Namespace":"Wellbase/prod",
//	  "Dimensions":[["Service"]],"Metrics":[{"Name":"JobsSucceeded","Unit":"Count"}]}]},
//	 "Service":"worker","JobsSucceeded":3}
//
// _aws.Timestamp (milliseconds since the Unix epoch) and _aws.CloudWatchMetrics (metric
// directives: Namespace, Dimensions as sets of root member names, Metrics as Name and Unit) are
// required. Every dimension and metric named is a member of the root: a dimension's value a
// string, a metric's value a number or an array of at most 100 numbers. A directive holds at most
// 100 metrics and a dimension set at most 30 dimensions. Other root members are plain log fields
// (properties) that CloudWatch Logs Insights can query but that are not metrics. A Logger writes
// as many lines as these limits need.
package emf

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sync"
	"time"
)

// Unit is a CloudWatch metric unit.
type Unit string

// The units Wellbase uses (CloudWatch accepts others: Bytes, Percent, Count/Second, …).
const (
	Count        Unit = "Count"
	Milliseconds Unit = "Milliseconds"
	Seconds      Unit = "Seconds"
	None         Unit = "None"
)

// Limits of the format.
const (
	MaxMetrics    = 100 // metrics in one directive
	MaxValues     = 100 // values of one metric in one document
	MaxDimensions = 30  // dimensions in one dimension set
	maxName       = 255 // namespace, metric and dimension names (CloudWatch's limit)
	maxDimValue   = 1024
)

// Metric is one named metric and its values (each a sample; CloudWatch aggregates them).
type Metric struct {
	Name   string
	Unit   Unit
	Values []float64
}

// Dimension is a dimension of every metric a Logger writes, e.g. Service=worker.
type Dimension struct {
	Name, Value string
}

// Logger writes EMF documents to a writer, one line per Write call, so that lines written by
// several goroutines (or beside a log/slog handler on the same os.Stdout) never interleave.
type Logger struct {
	w         io.Writer
	namespace string
	dims      []Dimension
	// Now returns the metrics' timestamp; time.Now if nil.
	Now func() time.Time
	mu  sync.Mutex
}

// New returns a Logger of metrics in namespace (e.g. "Wellbase/prod", 1 to 255 characters)
// with one dimension set of dims (at most MaxDimensions), written to w. It returns an error if
// a name or value is out of the format's limits.
func New(w io.Writer, namespace string, dims ...Dimension) (*Logger, error) {
	if namespace == "" || len(namespace) > maxName {
		return nil, fmt.Errorf("metrics namespace %q: want 1 to %d characters", namespace, maxName)
	}
	if namespace[0] == ':' {
		return nil, fmt.Errorf("metrics namespace %q may not start with a colon", namespace)
	}
	if len(dims) > MaxDimensions {
		return nil, fmt.Errorf("%d metric dimensions; at most %d", len(dims), MaxDimensions)
	}
	seen := map[string]bool{"_aws": true}
	for _, d := range dims {
		if d.Name == "" || len(d.Name) > maxName || d.Name[0] == ':' {
			return nil, fmt.Errorf("metric dimension name %q: want 1 to %d characters, not starting with a colon", d.Name, maxName)
		}
		if d.Value == "" || len(d.Value) > maxDimValue {
			return nil, fmt.Errorf("metric dimension %s: value %q: want 1 to %d characters", d.Name, d.Value, maxDimValue)
		}
		if seen[d.Name] {
			return nil, fmt.Errorf("metric dimension %q given twice", d.Name)
		}
		seen[d.Name] = true
	}
	return &Logger{w: w, namespace: namespace, dims: dims}, nil
}

// Emit writes metrics, with props as plain members of each document (tenant, job: values too
// many to be dimensions). A metric with no values is left out; with more than MaxValues values,
// or more than MaxMetrics metrics, Emit writes several documents. Names must be unique and
// must not be a dimension's, a property's or "_aws"; values must be finite. Nothing is written
// if any of that fails.
func (l *Logger) Emit(metrics []Metric, props map[string]any) error {
	reserved := map[string]bool{"_aws": true}
	for _, d := range l.dims {
		reserved[d.Name] = true
	}
	for k := range props {
		if reserved[k] {
			return fmt.Errorf("metric property %q is a reserved name", k)
		}
		reserved[k] = true
	}
	var kept []Metric
	for _, m := range metrics {
		if m.Name == "" || len(m.Name) > maxName {
			return fmt.Errorf("metric name %q: want 1 to %d characters", m.Name, maxName)
		}
		if reserved[m.Name] {
			return fmt.Errorf("metric %q: the name is taken (a dimension, a property or another metric)", m.Name)
		}
		reserved[m.Name] = true
		for _, v := range m.Values {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("metric %s: value %v is not a finite number", m.Name, v)
			}
		}
		if len(m.Values) > 0 {
			kept = append(kept, m)
		}
	}
	var lines [][]byte
	for len(kept) > 0 {
		// One document: up to MaxMetrics metrics, each with up to MaxValues of its values; the
		// values left over go in the next documents.
		n := min(len(kept), MaxMetrics)
		doc, rest := l.document(kept[:n], props)
		b, err := json.Marshal(doc)
		if err != nil {
			return fmt.Errorf("encode metrics: %w", err)
		}
		lines = append(lines, append(b, '\n'))
		kept = append(rest, kept[n:]...)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, b := range lines {
		if _, err := l.w.Write(b); err != nil {
			return fmt.Errorf("write metrics: %w", err)
		}
	}
	return nil
}

type directive struct {
	Namespace  string       `json:"Namespace"`
	Dimensions [][]string   `json:"Dimensions"`
	Metrics    []definition `json:"Metrics"`
}

type definition struct {
	Name string `json:"Name"`
	Unit Unit   `json:"Unit,omitempty"`
}

type metadata struct {
	Timestamp         int64       `json:"Timestamp"`
	CloudWatchMetrics []directive `json:"CloudWatchMetrics"`
}

// document returns the root node of ms (at most MaxMetrics) and the metrics whose values did
// not all fit.
func (l *Logger) document(ms []Metric, props map[string]any) (map[string]any, []Metric) {
	now := time.Now
	if l.Now != nil {
		now = l.Now
	}
	dimSet := make([]string, len(l.dims))
	root := make(map[string]any, len(props)+len(l.dims)+len(ms)+1)
	for k, v := range props {
		root[k] = v
	}
	for i, d := range l.dims {
		dimSet[i] = d.Name
		root[d.Name] = d.Value
	}
	dir := directive{Namespace: l.namespace, Dimensions: [][]string{dimSet}}
	var rest []Metric
	for _, m := range ms {
		dir.Metrics = append(dir.Metrics, definition{Name: m.Name, Unit: m.Unit})
		vals := m.Values
		if len(vals) > MaxValues {
			rest = append(rest, Metric{Name: m.Name, Unit: m.Unit, Values: vals[MaxValues:]})
			vals = vals[:MaxValues]
		}
		if len(vals) == 1 {
			root[m.Name] = vals[0]
		} else {
			root[m.Name] = vals
		}
	}
	root["_aws"] = metadata{Timestamp: now().UnixMilli(), CloudWatchMetrics: []directive{dir}}
	return root, rest
}
