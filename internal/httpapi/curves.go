package httpapi

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"math"
	"mime"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/columnar"
	"github.com/wellbase/wellbase/internal/decimate"
	"github.com/wellbase/wellbase/internal/readcache"
)

// The curve read path (GET /api/v1/logs/{log}/curves/{mnemonic}).
//
// Measured before this was written (BenchmarkCurveRead, pprof): every read decrypted and
// decompressed the curve from the file store (zstd ≈ 17 % of the CPU) and formatted it again
// (strconv.AppendFloat ≈ 45 %, the JSON writer ≈ 63 % in all), about 12 ms of CPU for the 29 754
// samples of the Volve log. So the answers are cached, encoded, and so are the decoded curves
// the windowed and decimated answers are cut from; a strong ETag, computed from the log's
// record without reading anything, answers 304 to a client that has the answer already.
//
// Cache keys carry the tenant, the log, a fingerprint of the log's record (its data key
// version, size, rows, creation time: re-encryption and re-import change it) and the variant
// (curve, format, window, max_points, content coding). A read checks the log in the store
// (deleted: 404; another tenant's: 404) and that its data key version still exists (a tenant
// whose keys were destroyed is never served from memory) before any cached byte is sent.
// Deleting a log, rotating a tenant's key and offboarding drop what this process holds of it.

// DefaultCurveCacheBytes bounds the memory of cached curves and answers when Config leaves it 0.
const DefaultCurveCacheBytes = 256 << 20

// curveEncoding is part of every ETag: change it when an encoder's output changes.
const curveEncoding = "1"

// F64MediaType is the binary curve answer: little-endian IEEE 754 float64, the index's rows
// then the curve's (NULL samples NaN); Wellbase-Rows and Wellbase-Columns name its shape.
const F64MediaType = "application/octet-stream"

// gzipMinBytes: smaller answers are not compressed.
const gzipMinBytes = 8 << 10

type curveMetrics struct {
	reads   *prometheus.CounterVec
	entries prometheus.GaugeFunc
	bytes   prometheus.GaugeFunc
}

func newCurveMetrics(reg *prometheus.Registry, c *readcache.Cache) *curveMetrics {
	m := &curveMetrics{
		reads: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "wellbase_curve_reads_total",
			Help: "Curve reads by outcome: hit (the answer was cached), miss (read and encoded), not_modified (304)."}, []string{"outcome"}),
		entries: prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "wellbase_curve_cache_entries", Help: "Curves and answers in the curve cache."},
			func() float64 { return float64(c.Stats().Entries) }),
		bytes: prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "wellbase_curve_cache_bytes", Help: "Bytes held by the curve cache."},
			func() float64 { return float64(c.Stats().Bytes) }),
	}
	reg.MustRegister(m.reads, m.entries, m.bytes)
	return m
}

// DropCurveCache drops what the curve cache holds of tenant: for a process that rotates or
// destroys the tenant's keys itself (an in-process re-encryption job). Other processes need not:
// the keys carry the log's key version, checked on every read.
func (s *Server) DropCurveCache(tenant string) { s.curveCache.DropTenant(tenant) }

// curveRequest is one read of a curve, as the query asks it.
type curveRequest struct {
	log       *wellbase.WellLog
	mnemonic  string // as the log has it
	format    string // json, csv, f64
	top, base *float64
	maxPoints int
	gzip      bool
}

// variant is the part of the cache key and ETag that the request chooses.
func (q *curveRequest) variant() string {
	v := q.mnemonic + "\x00" + q.format + "\x00" + optFloat(q.top) + "\x00" + optFloat(q.base) + "\x00" + strconv.Itoa(q.maxPoints)
	return v
}

func optFloat(f *float64) string {
	if f == nil {
		return "-"
	}
	return strconv.FormatFloat(*f, 'g', -1, 64)
}

// logVersion fingerprints what a log's stored curves depend on: a change of any of it (a
// re-encryption, a re-import, a re-parse) is a new cache key and a new ETag.
func logVersion(l *wellbase.WellLog) string {
	return fmt.Sprintf("%s/k%d/r%d/s%d/%d/%d/%s", l.ID, l.KeyVersion, l.Rows, l.SizeBytes, l.StoredBytes, l.CreatedAt.UnixNano(), l.Status)
}

// etag is the strong entity tag of the identity-coded answer of q.
func (q *curveRequest) etag() string { return answerTag(q.log, q.variant()) }

// gzipTag is the entity tag of the gzip-coded answer with identity tag t (RFC 9110 §8.8.3:
// another representation, another strong tag).
func gzipTag(t string) string { return strings.TrimSuffix(t, `"`) + `-gz"` }

// notModified reports whether If-None-Match names the answer's tag (either coding), by the weak
// comparison RFC 9110 §13.1.2 asks for.
func notModified(r *http.Request, tag string) bool {
	inm := r.Header.Get("If-None-Match")
	if inm == "" {
		return false
	}
	if strings.TrimSpace(inm) == "*" {
		return true
	}
	gz := gzipTag(tag)
	for _, t := range strings.Split(inm, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == tag || t == gz {
			return true
		}
	}
	return false
}

// curveFormat returns the format asked for: ?format= first, else the Accept header
// (application/octet-stream: f64), else json.
func curveFormat(r *http.Request) (string, error) {
	if r.URL.Query().Get("format") != "" {
		return formatParam(r, "json", "json", "csv", "f64")
	}
	best, bestQ := "json", -1.0
	for _, part := range strings.Split(r.Header.Get("Accept"), ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		q := 1.0
		if v, err := strconv.ParseFloat(params["q"], 64); err == nil {
			q = v
		}
		f := ""
		switch mt {
		case F64MediaType:
			f = "f64"
		case "application/json":
			f = "json"
		case "text/csv":
			f = "csv"
		}
		if f != "" && q > 0 && q > bestQ {
			best, bestQ = f, q
		}
	}
	return best, nil
}

// acceptsGzip reports whether Accept-Encoding allows gzip (RFC 9110 §12.5.3).
func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(coding), "gzip") {
			continue
		}
		if _, q, ok := strings.Cut(strings.ReplaceAll(params, " ", ""), "q="); ok {
			if v, err := strconv.ParseFloat(q, 64); err == nil && v == 0 {
				return false
			}
		}
		return true
	}
	return false
}

// maxPointsParam reads ?max_points= (3 to 10 000 000), 0 when absent.
func maxPointsParam(r *http.Request) (int, error) {
	v := r.URL.Query().Get("max_points")
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 3 || n > 10_000_000 {
		return 0, wellbase.FieldError(wellbase.EBadRequest, "max_points", "max_points must be a whole number from 3 to 10000000, got %q", clipID(v))
	}
	return n, nil
}

// getCurve answers one curve with its index: JSON CurveData (NULL as null), CSV, or the binary
// f64 layout (see F64MediaType), optionally cut to ?top=/?base= and thinned to ?max_points= by
// LTTB; with an ETag, 304 on If-None-Match, gzip when asked for.
func (s *Server) getCurve(w http.ResponseWriter, r *http.Request) error {
	if s.logs == nil {
		return wellbase.Errorf(wellbase.EUnavailable, "well log storage is not configured")
	}
	l, err := s.readableLog(r)
	if err != nil {
		return err
	}
	names, err := curveNames(l, []string{r.PathValue("mnemonic")})
	if err != nil {
		return err
	}
	q := &curveRequest{log: l, mnemonic: names[0]}
	if q.format, err = curveFormat(r); err != nil {
		return err
	}
	if q.top, err = floatParam(r, "top"); err != nil {
		return err
	}
	if q.base, err = floatParam(r, "base"); err != nil {
		return err
	}
	if q.top != nil && q.base != nil && *q.top > *q.base {
		return wellbase.FieldError(wellbase.EInvalid, "top", "top (%g) is below base (%g)", *q.top, *q.base)
	}
	if q.maxPoints, err = maxPointsParam(r); err != nil {
		return err
	}
	q.gzip = s.curveGzip && q.format != "f64" && acceptsGzip(r)
	tag := q.etag()
	h := w.Header()
	h.Set("Cache-Control", "private, no-cache")
	h.Set("Vary", "Accept, Accept-Encoding")
	if notModified(r, tag) {
		if q.gzip {
			tag = gzipTag(tag)
		}
		h.Set("ETag", tag)
		s.curveMetrics.reads.WithLabelValues("not_modified").Inc()
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	body, hit, err := s.curveAnswer(r.Context(), q)
	if err != nil {
		return err
	}
	outcome := "miss"
	if hit {
		outcome = "hit"
	}
	s.curveMetrics.reads.WithLabelValues(outcome).Inc()
	switch q.format {
	case "json":
		h.Set("Content-Type", "application/json")
	case "csv":
		h.Set("Content-Type", "text/csv; charset=utf-8")
	case "f64":
		h.Set("Content-Type", F64MediaType)
		h.Set("Wellbase-Rows", strconv.Itoa(body.rows))
		h.Set("Wellbase-Columns", body.columns)
	}
	if q.gzip && body.gz != nil {
		h.Set("Content-Encoding", "gzip")
		h.Set("ETag", gzipTag(tag))
		h.Set("Content-Length", strconv.Itoa(len(body.gz)))
		_, err = w.Write(body.gz)
		return err
	}
	h.Set("ETag", tag)
	h.Set("Content-Length", strconv.Itoa(len(body.raw)))
	_, err = w.Write(body.raw)
	return err
}

// curveBody is an encoded answer: raw, and gzip-coded when asked for and worth it (nil
// otherwise).
type curveBody struct {
	raw, gz []byte
	rows    int
	columns string // f64: "DEPT,GR"
}

// curveAnswer returns the encoded answer to q, from the cache or made and cached. The tenant's
// data key version of the log must still exist: after a shredding nothing is served from
// memory (and the read from the file store fails).
func (s *Server) curveAnswer(ctx context.Context, q *curveRequest) (*curveBody, bool, error) {
	l := q.log
	cache, err := s.answerCache(ctx, l)
	if err != nil {
		return nil, false, err
	}
	// The fill outlives a client that goes away: others may wait for the same answer.
	fctx := context.WithoutCancel(ctx)
	ver := logVersion(l)
	key := readcache.Key{Tenant: l.TenantID, Resource: l.ID, Variant: "answer\x00" + ver + "\x00" + q.variant()}
	v, hit, err := cache.Do(key, func() (any, int64, error) {
		data, err := s.decodedCurve(fctx, cache, l, q.mnemonic)
		if err != nil {
			return nil, 0, err
		}
		b, err := encodeCurve(data, q)
		if err != nil {
			return nil, 0, err
		}
		return b, int64(len(b.raw)) + 256, nil
	})
	if err != nil {
		return nil, false, err
	}
	b := v.(*curveBody)
	if !q.gzip || len(b.raw) < gzipMinBytes {
		return b, hit, nil
	}
	gkey := key
	gkey.Variant += "\x00gzip"
	gv, ghit, err := cache.Do(gkey, func() (any, int64, error) {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
		zw.Write(b.raw)
		zw.Close()
		// Not raw: the identity answer is its own entry, evicted on its own.
		return &curveBody{gz: buf.Bytes(), rows: b.rows, columns: b.columns}, int64(buf.Len()) + 256, nil
	})
	if err != nil {
		return nil, false, err
	}
	return gv.(*curveBody), hit && ghit, nil
}

// answerCache returns the cache l's answers may be kept in: nil (read, keep nothing) when l's
// data key version is retired (the file opens with the current one), an error when the tenant's
// keys cannot be read. Checked before any cached byte is sent: after a shredding nothing is
// served from memory.
func (s *Server) answerCache(ctx context.Context, l *wellbase.WellLog) (*readcache.Cache, error) {
	if _, err := s.logs.Keys.Version(ctx, l.TenantID, l.KeyVersion); err != nil {
		if wellbase.ErrorCode(err) != wellbase.ENotFound {
			return nil, err
		}
		return nil, nil
	}
	return s.curveCache, nil
}

// answerTag is the strong entity tag of an answer about l that depends only on its stored
// version and variant (what the request asked for).
func answerTag(l *wellbase.WellLog, variant string) string {
	h := sha256.Sum256([]byte(curveEncoding + "\x00" + l.TenantID + "\x00" + logVersion(l) + "\x00" + variant))
	return `"` + base64.RawURLEncoding.EncodeToString(h[:18]) + `"`
}

// curveData is a decoded curve with its index, whole (every row of the log).
type curveData struct {
	log          *wellbase.WellLog
	index, curve columnar.Column
	// order of the index: 1 increasing, -1 decreasing, 0 neither (or NULL values, or text).
	order int
}

// decodedCurve returns the whole curve mnemonic of l with its index, from cache or read from the
// file store.
func (s *Server) decodedCurve(ctx context.Context, cache *readcache.Cache, l *wellbase.WellLog, mnemonic string) (*curveData, error) {
	key := readcache.Key{Tenant: l.TenantID, Resource: l.ID, Variant: "curve\x00" + logVersion(l) + "\x00" + mnemonic}
	v, _, err := cache.Do(key, func() (any, int64, error) {
		f, closer, err := s.logs.Curves(ctx, l)
		if err != nil {
			return nil, 0, err
		}
		defer closer.Close()
		chargeSamples(ctx, 2*int(f.Rows()))
		cols, err := f.Read([]string{l.Curves[0].Mnemonic, mnemonic}, 0, f.Rows())
		if err != nil {
			return nil, 0, err
		}
		d := &curveData{log: l, index: cols[0], curve: cols[len(cols)-1]}
		d.order = indexOrder(d.index)
		return d, columnBytes(d.index) + columnBytes(d.curve) + 256, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*curveData), nil
}

func columnBytes(c columnar.Column) int64 {
	n := int64(8 * len(c.Float))
	for _, s := range c.Text {
		n += int64(len(s)) + 16
	}
	return n + int64(len(c.Null))
}

func indexOrder(ix columnar.Column) int {
	if ix.Kind() != columnar.KindNumber {
		return 0
	}
	inc, dec := true, true
	for i, v := range ix.Float {
		if math.IsNaN(v) {
			return 0
		}
		if i > 0 {
			inc = inc && v >= ix.Float[i-1]
			dec = dec && v <= ix.Float[i-1]
		}
	}
	switch {
	case inc:
		return 1
	case dec:
		return -1
	}
	return 0
}

// window returns the rows [from, to) of d whose index lies within [top, base] (nil: open), as
// columnar.File.IndexRange does: an index that is not monotonic is EInvalid.
func (d *curveData) window(top, base *float64) (int, int, error) {
	n := d.index.Len()
	if top == nil && base == nil {
		return 0, n, nil
	}
	if d.order == 0 {
		return 0, 0, wellbase.FieldError(wellbase.EInvalid, "top", "log %s cannot be cut by depth: its index %s is not monotonic or has NULL values", d.log.ID, d.log.Index.Mnemonic)
	}
	lo, hi := math.Inf(-1), math.Inf(1)
	if top != nil {
		lo = *top
	}
	if base != nil {
		hi = *base
	}
	x := d.index.Float
	var from, to int
	if d.order > 0 {
		from = sort.Search(n, func(i int) bool { return x[i] >= lo })
		to = sort.Search(n, func(i int) bool { return x[i] > hi })
	} else {
		from = sort.Search(n, func(i int) bool { return x[i] <= hi })
		to = sort.Search(n, func(i int) bool { return x[i] < lo })
	}
	return from, max(from, to), nil
}

// encodeCurve encodes the answer to q from the whole decoded curve.
func encodeCurve(d *curveData, q *curveRequest) (*curveBody, error) {
	from, to, err := d.window(q.top, q.base)
	if err != nil {
		return nil, err
	}
	ix, c := d.index, d.curve
	ix.Float = ix.Float[from:to]
	if c.Kind() == columnar.KindText {
		c.Text = c.Text[from:to]
		if c.Null != nil {
			c.Null = c.Null[from:to]
		}
	} else {
		c.Float = c.Float[from:to]
	}
	rows := to - from
	if q.maxPoints > 0 && rows > q.maxPoints {
		if c.Kind() != columnar.KindNumber || ix.Kind() != columnar.KindNumber {
			return nil, wellbase.FieldError(wellbase.EInvalid, "max_points", "curve %s of log %s holds text and cannot be thinned", c.Name, d.log.ID)
		}
		ix.Float, c.Float = decimate.LTTB(ix.Float, c.Float, q.maxPoints)
	}
	if q.format == "f64" && (c.Kind() != columnar.KindNumber || ix.Kind() != columnar.KindNumber) {
		return nil, wellbase.FieldError(wellbase.EInvalid, "format", "curve %s of log %s holds text: ask for json or csv", c.Name, d.log.ID)
	}
	var buf bytes.Buffer
	switch q.format {
	case "f64":
		n := ix.Len()
		out := make([]byte, 16*n)
		for i, v := range ix.Float {
			binary.LittleEndian.PutUint64(out[8*i:], math.Float64bits(v))
		}
		for i, v := range c.Float {
			binary.LittleEndian.PutUint64(out[8*(n+i):], math.Float64bits(nullNaN(v)))
		}
		cols := ix.Name + "," + c.Name
		if ix.Name == c.Name {
			cols = ix.Name
			out = out[:8*n]
		}
		return &curveBody{raw: out, rows: n, columns: cols}, nil
	case "csv":
		cols := []columnar.Column{ix, c}
		if ix.Name == c.Name {
			cols = cols[:1] // a curve that is the index itself comes once
		}
		if err := encodeCSV(&buf, cols); err != nil {
			return nil, err
		}
	default:
		buf.Grow(20 * 2 * ix.Len())
		bw := newJSONWriter(&buf)
		bw.raw(`{"log":`).str(d.log.ID).raw(`,"mnemonic":`).str(c.Name).raw(`,"unit":`).str(c.Unit)
		bw.raw(`,"index_mnemonic":`).str(ix.Name).raw(`,"index_unit":`).str(ix.Unit)
		bw.raw(`,"rows":`).raw(strconv.Itoa(ix.Len()))
		if q.maxPoints > 0 {
			bw.raw(`,"source_rows":`).raw(strconv.Itoa(rows)).raw(`,"max_points":`).raw(strconv.Itoa(q.maxPoints))
		}
		bw.raw(`,"index":`).floats(ix.Float).raw(`,"values":`)
		if c.Kind() == columnar.KindText {
			bw.texts(c.Text, c.Null)
		} else {
			bw.floats(c.Float)
		}
		bw.raw("}\n")
		if err := bw.flush(); err != nil {
			return nil, err
		}
	}
	return &curveBody{raw: buf.Bytes(), rows: ix.Len()}, nil
}

// nullNaN maps ±Inf (never stored, but not a number a reader expects) to NaN, the NULL sample.
func nullNaN(v float64) float64 {
	if math.IsInf(v, 0) {
		return math.NaN()
	}
	return v
}
