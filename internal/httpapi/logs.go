package httpapi

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/columnar"
	"github.com/wellbase/wellbase/internal/las"
	"github.com/wellbase/wellbase/internal/logplot"
	"github.com/wellbase/wellbase/internal/readcache"
	"github.com/wellbase/wellbase/internal/welllogs"
)

// uploadLog stores a LAS file sent as the raw body or as the multipart field "file". The well
// is ?well=<id>, or matched (UWI/API number, then name) or created from the file's ~W section.
func (s *Server) uploadLog(w http.ResponseWriter, r *http.Request) error {
	if s.logs == nil {
		return wellbase.Errorf(wellbase.EUnavailable, "well log storage is not configured")
	}
	t := requestTenant(r)
	lim := t.EffectiveLimits()
	used, err := s.storageBytes(r.Context(), wellbase.TenantFromContext(r.Context()))
	if err != nil {
		return err
	}
	if used >= lim.StorageBytes || (r.ContentLength > 0 && used+r.ContentLength > lim.StorageBytes) {
		return wellbase.Errorf(wellbase.ELimitExceeded, "tenant %s would exceed its storage limit: storage_bytes = %d, %d in use", t.ID, lim.StorageBytes, used)
	}
	if r.ContentLength > lim.UploadBytes {
		return tooLarge(t.ID, lim.UploadBytes)
	}
	src, name, done, err := lasBody(w, r, t.ID, lim.UploadBytes)
	if err != nil {
		return err
	}
	defer done()
	p := wellbase.PrincipalFromContext(r.Context())
	up := welllogs.Upload{WellID: r.URL.Query().Get("well"), FileName: name, Body: src, Actor: p.Actor(), Encoding: r.URL.Query().Get("encoding")}
	if _, ok := src.(*limitedBody); ok {
		up.Size = r.ContentLength
	}
	if s.queue != nil && s.asyncParseBytes > 0 && r.ContentLength > s.asyncParseBytes {
		return s.stageLog(w, r, t.ID, up)
	}
	l, err := s.logs.Ingest(r.Context(), t.ID, up)
	if err != nil {
		if c := wellbase.ErrorCode(err); c == wellbase.EInvalid || c == wellbase.ETooLarge {
			s.log.WarnContext(r.Context(), "log upload rejected", "file", name, "error", wellbase.ErrorMessage(err))
		}
		return err
	}
	chargeSamples(r.Context(), l.Rows*len(l.Curves)) // parsed and written
	if err := s.audit(r, t.ID, "log.upload", l.ID, map[string]any{"well_id": l.WellID, "file_name": name, "rows": l.Rows, "size_bytes": l.SizeBytes}); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, newLogJSON(l))
}

// lasBody returns the LAS file of an upload request, the raw body or the multipart field
// "file", read with limit bytes at most (over it, reads fail with an ETooLarge error naming
// tenant's limit), and its file name: ?name=, else the part's file name, else the
// Content-Disposition filename, else upload.las. done closes the part.
func lasBody(w http.ResponseWriter, r *http.Request, tenant string, limit int64) (src io.Reader, name string, done func(), err error) {
	body := &limitedBody{r: http.MaxBytesReader(w, r.Body, limit), tenant: tenant, limit: limit}
	name = r.URL.Query().Get("name")
	src, done = body, func() {}
	if mt, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "multipart/form-data" {
		part, err := filePart(body, params["boundary"])
		if err != nil {
			return nil, "", nil, err
		}
		src, done = part, func() { part.Close() }
		if name == "" {
			name = part.FileName()
		}
	}
	if name == "" {
		if _, params, err := mime.ParseMediaType(r.Header.Get("Content-Disposition")); err == nil {
			name = params["filename"]
		}
	}
	if name == "" {
		name = "upload.las"
	}
	if err := wellbase.ValidateName("name", name); err != nil {
		done()
		return nil, "", nil, err
	}
	return src, name, done, nil
}

// checkLog reads a LAS file as an upload would (same body forms, ?name= and ?encoding=) and
// answers its summary and warnings, the object `wellbase las check --json` prints, storing
// nothing. Files over welllogs.MaxCheckBytes (or the tenant's upload limit, if smaller) are
// refused with 413: the upload checks them when it parses them. A file that is not LAS is 422
// naming the line.
func (s *Server) checkLog(w http.ResponseWriter, r *http.Request) error {
	t := requestTenant(r)
	limit := min(t.EffectiveLimits().UploadBytes, welllogs.MaxCheckBytes)
	if r.ContentLength > limit {
		return tooLargeCheck(t.ID, limit)
	}
	enc := r.URL.Query().Get("encoding")
	if enc != "" {
		if _, err := las.EncodingName(enc); err != nil {
			var pe *las.ParseError
			if errors.As(err, &pe) {
				return wellbase.FieldError(wellbase.EInvalid, "encoding", "%s", pe.Msg)
			}
			return err
		}
	}
	src, name, done, err := lasBody(w, r, t.ID, limit)
	if err != nil {
		return err
	}
	defer done()
	sum, err := las.Check(src, las.WithName(name), las.WithEncoding(enc))
	if err != nil {
		var pe *las.ParseError
		if errors.As(err, &pe) {
			return wellbase.FieldError(wellbase.EInvalid, "file", "%s", pe.Error())
		}
		if wellbase.ErrorCode(err) == wellbase.ETooLarge {
			return tooLargeCheck(t.ID, limit)
		}
		if wellbase.ErrorCode(err) != wellbase.EInternal {
			return err
		}
		return fmt.Errorf("check upload %s: %w", name, err)
	}
	return writeJSON(w, http.StatusOK, newCheckJSON(name, sum))
}

func tooLargeCheck(tenant string, limit int64) error {
	return wellbase.Errorf(wellbase.ETooLarge, "the file is larger than the check limit of %d bytes (%.0f MiB) for tenant %s: upload it, the upload checks it while parsing", limit, float64(limit)/(1<<20), tenant)
}

// LogParseJob is the job type that parses a large upload after it is stored.
const LogParseJob = "log-parse"

// stageLog stores a large upload and queues its parse: the answer is 202 with the log in status
// processing and the job's ID; GET /api/v1/logs/{log} shows the result when the job is done.
func (s *Server) stageLog(w http.ResponseWriter, r *http.Request, tenant string, up welllogs.Upload) error {
	l, err := s.logs.Stage(r.Context(), tenant, up)
	if err != nil {
		return err
	}
	params, _ := json.Marshal(map[string]string{"log": l.ID})
	j, err := s.queue.Enqueue(r.Context(), tenant, LogParseJob, params, up.Actor)
	if err != nil {
		return err
	}
	if err := s.audit(r, tenant, "log.upload", l.ID, map[string]any{"file_name": up.FileName, "size_bytes": l.SizeBytes, "job_id": j.ID}); err != nil {
		return err
	}
	return writeJSON(w, http.StatusAccepted, struct {
		logJSON
		JobID string `json:"job_id"`
	}{newLogJSON(l), j.ID})
}

// filePart returns the multipart field "file" of body.
func filePart(body io.Reader, boundary string) (*multipart.Part, error) {
	if boundary == "" {
		return nil, wellbase.Errorf(wellbase.EBadRequest, "multipart body without a boundary")
	}
	mr := multipart.NewReader(body, boundary)
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return nil, wellbase.FieldError(wellbase.EBadRequest, "file", "the multipart body has no field named file")
		}
		if err != nil {
			return nil, wellbase.Errorf(wellbase.EBadRequest, "the multipart body cannot be read: %v", err)
		}
		if part.FormName() == "file" {
			return part, nil
		}
		part.Close()
	}
}

// limitedBody turns the body's size-limit error into a problem that names the limit.
type limitedBody struct {
	r      io.Reader
	tenant string
	limit  int64
}

func (b *limitedBody) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return n, tooLarge(b.tenant, b.limit)
	}
	return n, err
}

func tooLarge(tenant string, limit int64) error {
	return wellbase.Errorf(wellbase.ETooLarge, "the file is larger than tenant %s's upload limit: upload_bytes = %d (%.0f MiB)", tenant, limit, float64(limit)/(1<<20))
}

// pathLog returns the request tenant's log {log}.
func (s *Server) pathLog(r *http.Request) (*wellbase.WellLog, error) {
	return s.tenantStore(r).GetLog(r.Context(), r.PathValue("log"))
}

// readableLog returns the request tenant's log {log} for a read of its data (curves, values,
// plots, the original): the one check of every such route, so that a log still being parsed
// answers 409 log_processing with Retry-After everywhere, and a failed one 409 conflict with
// the reason (see wellbase.WellLog.Readable).
func (s *Server) readableLog(r *http.Request) (*wellbase.WellLog, error) {
	l, err := s.pathLog(r)
	if err != nil {
		return nil, err
	}
	if err := l.Readable(); err != nil {
		return nil, err
	}
	return l, nil
}

func (s *Server) getLog(w http.ResponseWriter, r *http.Request) error {
	l, err := s.pathLog(r)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, newLogJSON(l))
}

func (s *Server) listLogs(w http.ResponseWriter, r *http.Request) error {
	return s.writeLogs(w, r, "")
}

func (s *Server) listWellLogs(w http.ResponseWriter, r *http.Request) error {
	well, err := s.tenantStore(r).GetWell(r.Context(), r.PathValue("well"))
	if err != nil {
		return err
	}
	return s.writeLogs(w, r, well.ID)
}

func (s *Server) writeLogs(w http.ResponseWriter, r *http.Request, wellID string) error {
	p, err := page(r)
	if err != nil {
		return err
	}
	ls, next, err := s.tenantStore(r).ListLogs(r.Context(), wellID, p)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, newList(newLogsJSON(ls), next))
}

func (s *Server) deleteLog(w http.ResponseWriter, r *http.Request) error {
	l, err := s.pathLog(r)
	if err != nil {
		return err
	}
	err = s.logs.Delete(r.Context(), l)
	s.curveCache.DropResource(l.TenantID, l.ID) // also when the objects' deletion failed: the record is gone
	if err != nil {
		return err
	}
	if err := s.audit(r, l.TenantID, "log.delete", l.ID, map[string]any{"well_id": l.WellID, "file_name": l.FileName}); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// readCurves reads the named curves of the request's log {log}, with the index first, within
// the ?top= and ?base= index window if given.
func (s *Server) readCurves(r *http.Request, l *wellbase.WellLog, names []string) ([]columnar.Column, error) {
	top, err := floatParam(r, "top")
	if err != nil {
		return nil, err
	}
	base, err := floatParam(r, "base")
	if err != nil {
		return nil, err
	}
	f, closer, err := s.logs.Curves(r.Context(), l)
	if err != nil {
		return nil, err
	}
	defer closer.Close()
	from, to := int64(0), f.Rows()
	if top != nil || base != nil {
		lo, hi := math.Inf(-1), math.Inf(1)
		if top != nil {
			lo = *top
		}
		if base != nil {
			hi = *base
		}
		if lo > hi {
			return nil, wellbase.FieldError(wellbase.EInvalid, "top", "top (%g) is below base (%g)", lo, hi)
		}
		if from, to, err = f.IndexRange(lo, hi); errors.Is(err, columnar.ErrIndexNotMonotonic) {
			return nil, wellbase.FieldError(wellbase.EInvalid, "top", "log %s cannot be cut by depth: its index %s is not monotonic or has NULL values", l.ID, l.Index.Mnemonic)
		} else if err != nil {
			return nil, err
		}
	}
	chargeSamples(r.Context(), int(to-from)*(len(names)+1))
	return f.Read(append([]string{l.Curves[0].Mnemonic}, names...), from, to)
}

// curveNames resolves requested mnemonics against the log's curves (exact, then
// case-insensitive); an unknown one is ENotFound naming the curves there are.
func curveNames(l *wellbase.WellLog, want []string) ([]string, error) {
	out := make([]string, 0, len(want))
	for _, m := range want {
		c := l.Curve(m)
		if c == nil {
			have := make([]string, len(l.Curves))
			for i, c := range l.Curves {
				have[i] = c.Mnemonic
			}
			return nil, wellbase.Errorf(wellbase.ENotFound, "log %s has no curve %q (it has %s)", l.ID, clipID(m), strings.Join(have, ", "))
		}
		out = append(out, c.Mnemonic)
	}
	return out, nil
}

// exportLog answers all curves as CSV, or the log as a LAS 2.0 file rewritten from the
// original upload.
func (s *Server) exportLog(w http.ResponseWriter, r *http.Request) error {
	l, err := s.readableLog(r)
	if err != nil {
		return err
	}
	format, err := formatParam(r, "csv", "csv", "las")
	if err != nil {
		return err
	}
	base := strings.TrimSuffix(strings.TrimSuffix(l.FileName, ".las"), ".LAS")
	if format == "las" {
		rc, err := s.logs.Original(r.Context(), l)
		if err != nil {
			return err
		}
		defer rc.Close()
		chargeSamples(r.Context(), l.Rows*len(l.Curves))
		f, err := las.Read(rc, las.WithName(l.FileName), las.WithEncoding(l.Encoding)) // as it was read at upload
		if err != nil {
			return fmt.Errorf("re-read stored log %s: %w", l.ID, err)
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": base + ".las"}))
		return las.Write(w, f)
	}
	names := make([]string, 0, len(l.Curves)-1)
	for _, c := range l.Curves[1:] {
		names = append(names, c.Mnemonic)
	}
	cols, err := s.readCurves(r, l, names)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": base + ".csv"}))
	return writeCSV(w, l, cols)
}

// writeCSV writes columns as CSV: a header of "MNEMONIC (UNIT)" and one row per index value;
// NULL samples are empty fields.
func writeCSV(w http.ResponseWriter, l *wellbase.WellLog, cols []columnar.Column) error {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	return encodeCSV(w, cols)
}

// encodeCSV writes cols as writeCSV does.
func encodeCSV(w io.Writer, cols []columnar.Column) error {
	cw := csv.NewWriter(w)
	head := make([]string, len(cols))
	for i, c := range cols {
		head[i] = c.Name
		if c.Unit != "" {
			head[i] += " (" + c.Unit + ")"
		}
	}
	cw.Write(head)
	rec := make([]string, len(cols))
	buf := make([]byte, 0, 32)
	for row := 0; row < cols[0].Len(); row++ {
		for i := range cols {
			c := &cols[i]
			switch {
			case c.Kind() == columnar.KindText:
				rec[i] = c.Text[row]
				if c.Null != nil && c.Null[row] {
					rec[i] = ""
				}
			case math.IsNaN(c.Float[row]):
				rec[i] = ""
			default:
				buf = strconv.AppendFloat(buf[:0], c.Float[row], 'g', -1, 64)
				rec[i] = string(buf)
			}
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// plotLog answers a composite log plot of ?curves= (default: logplot.DefaultCurves, one curve of
// each known family, up to 8).
func (s *Server) plotLog(w http.ResponseWriter, r *http.Request) error {
	l, err := s.readableLog(r)
	if err != nil {
		return err
	}
	var want []string
	if q := r.URL.Query().Get("curves"); q != "" {
		for _, m := range strings.Split(q, ",") {
			if m = strings.TrimSpace(m); m != "" {
				want = append(want, m)
			}
		}
	} else {
		var mnems, units []string
		for _, c := range l.Curves[1:] {
			if c.Kind == "number" && c.Count > 0 {
				mnems, units = append(mnems, c.Mnemonic), append(units, c.Unit)
			}
		}
		want = logplot.DefaultCurves(mnems, units, 8)
	}
	if len(want) == 0 {
		return wellbase.FieldError(wellbase.EInvalid, "curves", "log %s has no numeric curve to plot", l.ID)
	}
	if len(want) > 16 {
		return wellbase.FieldError(wellbase.EInvalid, "curves", "at most 16 curves can be plotted at once, got %d", len(want))
	}
	names, err := curveNames(l, want)
	if err != nil {
		return err
	}
	top, err := floatParam(r, "top")
	if err != nil {
		return err
	}
	base, err := floatParam(r, "base")
	if err != nil {
		return err
	}
	title := l.FileName
	if wn := l.Well["WELL"]; wn != "" {
		title = wn + " — " + l.FileName
	}
	// A plot of a large log costs tens of ms of CPU (the 303 030 rows of fast-fair's log: about
	// 70 ms); the same plot again is a copy from the curve cache, under the same keys and
	// invalidation as the curve answers, with a strong ETag.
	variant := "plot\x00" + plotEncoding + "\x00" + strings.Join(names, ",") + "\x00" + optFloat(top) + "\x00" + optFloat(base) + "\x00" + title
	tag := answerTag(l, variant)
	h := w.Header()
	h.Set("Content-Type", "image/svg+xml")
	h.Set("Cache-Control", "private, max-age=60")
	h.Set("ETag", tag)
	if notModified(r, tag) {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	cache, err := s.answerCache(r.Context(), l)
	if err != nil {
		return err
	}
	key := readcache.Key{Tenant: l.TenantID, Resource: l.ID, Variant: "answer\x00" + logVersion(l) + "\x00" + variant}
	v, _, err := cache.Do(key, func() (any, int64, error) {
		// The fill outlives a client that goes away: others may wait for the same plot.
		svg, err := s.renderLogPlot(context.WithoutCancel(r.Context()), cache, l, names, top, base, title)
		return svg, int64(len(svg)) + 256, err
	})
	if err != nil {
		return err
	}
	svg := v.([]byte)
	h.Set("Content-Length", strconv.Itoa(len(svg)))
	_, err = w.Write(svg)
	return err
}

// plotEncoding is part of a log plot's ETag: change it when logplot's output changes.
const plotEncoding = "1"

// renderLogPlot draws the curves names of l within [top, base] (nil: open) as SVG. The curves
// come decoded from the curve cache, so another window or choice of curves of a log plotted
// before costs only the drawing.
func (s *Server) renderLogPlot(ctx context.Context, cache *readcache.Cache, l *wellbase.WellLog, names []string, top, base *float64, title string) ([]byte, error) {
	var depth logplot.Curve
	curves := make([]logplot.Curve, 0, len(names))
	for i, m := range names {
		d, err := s.decodedCurve(ctx, cache, l, m)
		if err != nil {
			return nil, err
		}
		if d.curve.Kind() != columnar.KindNumber {
			return nil, wellbase.FieldError(wellbase.EInvalid, "curves", "curve %s holds text and cannot be plotted", d.curve.Name)
		}
		from, to, err := d.window(top, base)
		if err != nil {
			return nil, err
		}
		if i == 0 {
			depth = logplot.Curve{Mnemonic: d.index.Name, Unit: d.index.Unit, Values: d.index.Float[from:to]}
			chargeSamples(ctx, to-from)
		}
		curves = append(curves, logplot.Curve{Mnemonic: d.curve.Name, Unit: d.curve.Unit, Values: d.curve.Float[from:to]})
		chargeSamples(ctx, to-from) // drawn
	}
	var svg bytes.Buffer
	if err := logplot.LogPlot(&svg, depth, curves, logplot.Options{Title: title}); err != nil {
		return nil, err
	}
	return svg.Bytes(), nil
}

// floatParam reads an optional numeric query parameter.
func floatParam(r *http.Request, name string) (*float64, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return nil, nil
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return nil, wellbase.FieldError(wellbase.EBadRequest, name, "%s must be a number, got %q", name, clipID(v))
	}
	return &f, nil
}

// formatParam reads ?format=, one of allowed, def when absent.
func formatParam(r *http.Request, def string, allowed ...string) (string, error) {
	v := r.URL.Query().Get("format")
	if v == "" {
		return def, nil
	}
	for _, a := range allowed {
		if v == a {
			return v, nil
		}
	}
	return "", wellbase.FieldError(wellbase.EBadRequest, "format", "format must be one of %s, got %q", strings.Join(allowed, ", "), clipID(v))
}
