// Package welllogs keeps tenants' well logs: it reads an uploaded LAS file as it streams in,
// stores the original encrypted with the tenant's data key, stores the curves in columnar form
// (Parquet, also encrypted) for fast reads of one curve or a depth range, and records the log.
//
// Objects of a log live under tenants/<tenant>/logs/<log id>/: original.las and curves.parquet.
package welllogs

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/columnar"
	"github.com/wellbase/wellbase/internal/files"
	"github.com/wellbase/wellbase/internal/keyring"
	"github.com/wellbase/wellbase/internal/las"
	"github.com/wellbase/wellbase/internal/tenancy"
	"github.com/wellbase/wellbase/internal/wells"
)

// Service stores and reads well logs.
type Service struct {
	Store wellbase.Store
	Files *files.Store
	Keys  *tenancy.DataKeys
	// Now returns the current time; time.Now if nil.
	Now func() time.Time
}

// Object keys of a log, relative to the tenant's prefix.
func originalKey(logID string) string { return "logs/" + logID + "/original.las" }
func curvesKey(logID string) string   { return "logs/" + logID + "/curves.parquet" }
func logPrefix(logID string) string   { return "logs/" + logID + "/" }

// Upload is one LAS file to ingest.
type Upload struct {
	// WellID attaches the log to this well of the tenant; "" matches or creates the well from
	// the file's ~W section (UWI or API number, then well name).
	WellID   string
	FileName string
	Body     io.Reader
	// Size is the body's length if known (Content-Length), to size the curve arrays at once.
	Size int64
	// Actor ("user:<id>") is recorded as the creator of a well made for the log.
	Actor string
	// Encoding is the character encoding to read the file as (e.g. "windows-1251", "cp866"),
	// "" to detect it; see las.WithEncoding.
	Encoding string
}

// MaxCheckBytes is the largest file POST /api/v1/las/check reads (32 MiB): checking reads
// the whole file in the request, so larger ones are checked by their upload's parse instead.
const MaxCheckBytes int64 = 32 << 20

// uploadEncoding checks the encoding an upload names and returns the name the reader gives it
// ("" when none is given): an unknown name is an EInvalid error on field encoding.
func uploadEncoding(u Upload) (string, error) {
	if u.Encoding == "" {
		return "", nil
	}
	name, err := las.EncodingName(u.Encoding)
	if err != nil {
		var pe *las.ParseError
		if errors.As(err, &pe) {
			return "", wellbase.FieldError(wellbase.EInvalid, "encoding", "%s", pe.Msg)
		}
		return "", err
	}
	return name, nil
}

// Ingest reads u.Body as a LAS file while storing it, then stores its curves and records the
// log. A file that cannot be read as LAS is an EInvalid error naming the line, one over a
// limit of a log (see MaxCurves) EInvalid or ETooLarge naming the limit, and nothing is kept:
// the stored objects of a failed upload are aborted or deleted.
func (s *Service) Ingest(ctx context.Context, tenant string, u Upload) (*wellbase.WellLog, error) {
	ts := s.Store.Tenant(tenant)
	if _, err := uploadEncoding(u); err != nil {
		return nil, err
	}
	var well *wellbase.Well
	if u.WellID != "" {
		w, err := ts.GetWell(ctx, u.WellID)
		if err != nil {
			return nil, err
		}
		well = w
	}
	version, dk, err := s.Keys.Current(ctx, tenant)
	if err != nil {
		return nil, err
	}
	id := wellbase.NewIDContext(ctx, "log")
	if l, err := s.madeBefore(ctx, ts, id, u); l != nil || err != nil {
		return l, err
	}

	// The original streams to the file store while the reader parses it: one pass, no copy
	// of the file in memory or on local disk.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	pr, pw := io.Pipe()
	type putResult struct {
		n   int64
		err error
	}
	stored := make(chan putResult, 1)
	go func() {
		n, err := s.Files.Put(ctx, tenant, originalKey(id), dk, pr)
		pr.CloseWithError(err) // unblock the reader if the store failed
		stored <- putResult{n, err}
	}()
	counted := &countingReader{r: u.Body}
	opts := []las.Option{las.WithName(u.FileName), las.WithEncoding(u.Encoding)}
	if u.Size > 0 {
		opts = append(opts, las.WithSizeHint(u.Size))
	}
	f, perr := las.Read(io.TeeReader(counted, pw), opts...)
	if perr == nil {
		// Whatever the reader left unread (text after ~A) is part of the original.
		_, perr = io.Copy(pw, counted)
	}
	var l *wellbase.WellLog
	if perr == nil {
		// The limits are checked before the original is complete: refused, it never leaves
		// the staging of the file store, and nothing else is written.
		l = logRecord(f, id, tenant, "", u.FileName)
		perr = checkLimits(u.FileName, l)
	}
	if perr != nil {
		pw.CloseWithError(perr)
		<-stored
		s.Files.DeleteAll(context.WithoutCancel(ctx), tenant, logPrefix(id))
		return nil, uploadError(u.FileName, perr)
	}
	pw.Close()
	orig := <-stored
	if orig.err != nil {
		return nil, fmt.Errorf("store original of log %s: %w", id, orig.err)
	}

	keep := false
	defer func() {
		if !keep {
			s.Files.DeleteAll(context.WithoutCancel(ctx), tenant, logPrefix(id))
		}
	}()
	curveBytes, err := s.putCurves(ctx, tenant, id, dk, f)
	if err != nil {
		return nil, err
	}
	storedBytes := keyring.EncryptedSize(orig.n) + curveBytes
	if well == nil {
		if well, err = s.matchWell(ctx, ts, f, u); err != nil {
			return nil, err
		}
	}
	l.WellID = well.ID
	l.SizeBytes, l.StoredBytes, l.KeyVersion, l.CreatedAt = counted.n, storedBytes, version, s.now().UTC()
	if err := ts.CreateLog(ctx, l); err != nil {
		return nil, err
	}
	keep = true
	return l, nil
}

// putCurves writes f's curves as Parquet, streaming, encrypted, and returns the bytes stored.
func (s *Service) putCurves(ctx context.Context, tenant, id string, dk files.Cipher, f *las.File) (int64, error) {
	cols := make([]columnar.Column, len(f.Curves))
	for i := range f.Curves {
		c := &f.Curves[i]
		cols[i] = columnar.Column{Name: c.Mnemonic, Unit: c.Unit}
		if c.Kind == las.KindText {
			cols[i].Text = c.Text
			null := make([]bool, len(c.Text))
			any := false
			for j := range c.Text {
				null[j] = c.IsNull(j)
				any = any || null[j]
			}
			if any {
				cols[i].Null = null
			}
		} else {
			cols[i].Float = c.Values
		}
	}
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(columnar.Write(pw, cols)) }()
	n, err := s.Files.Put(ctx, tenant, curvesKey(id), dk, pr)
	pr.CloseWithError(err)
	if err != nil {
		return 0, fmt.Errorf("store curves of log %s: %w", id, err)
	}
	return keyring.EncryptedSize(n), nil
}

// uploadError turns a reader error into what the uploader sees: an EInvalid error naming the
// file and line for a file that is not LAS, or the upload's own error (too large, cut off).
func uploadError(name string, err error) error {
	var pe *las.ParseError
	if errors.As(err, &pe) {
		return wellbase.FieldError(wellbase.EInvalid, "file", "%s", pe.Error())
	}
	if wellbase.ErrorCode(err) != wellbase.EInternal {
		return err // the body's own error: too large, for instance
	}
	return fmt.Errorf("read upload %s: %w", name, err)
}

// logRecord is the stored record of a parsed file.
func logRecord(f *las.File, id, tenant, wellID, name string) *wellbase.WellLog {
	sum := las.Summarize(f)
	l := &wellbase.WellLog{
		ID: id, TenantID: tenant, WellID: wellID, FileName: name, Status: wellbase.LogReady,
		Version: sum.Version, Encoding: sum.Encoding, Wrap: sum.Wrap, Null: sum.Null, Rows: sum.Rows,
		Well: map[string]string{}, Curves: make([]wellbase.CurveSummary, len(sum.Curves)), Warnings: []wellbase.LogWarning{},
	}
	for _, it := range f.Well {
		if _, dup := l.Well[it.Mnemonic]; !dup && it.Value != "" {
			l.Well[it.Mnemonic] = it.Value
		}
	}
	if ix := sum.Index; ix != nil {
		l.Index = wellbase.LogIndex{Mnemonic: ix.Mnemonic, Unit: ix.Unit, Step: ix.Step}
		if ix.Start != nil {
			l.Index.Start = *ix.Start
		}
		if ix.Stop != nil {
			l.Index.Stop = *ix.Stop
		}
	}
	for i, c := range sum.Curves {
		l.Curves[i] = wellbase.CurveSummary{Mnemonic: c.Mnemonic, Unit: c.Unit, Description: c.Description, Kind: c.Kind,
			Count: c.Count, Min: c.Min, Max: c.Max, Mean: c.Mean}
	}
	for _, w := range sum.Warnings {
		l.Warnings = append(l.Warnings, wellbase.LogWarning{Line: w.Line, Message: w.Message})
	}
	return l
}

// matchWell finds the tenant's well the file describes by the rule of wellbase.WellIndex (the
// ~W UWI, else API, then the WELL name), and creates it from the file's ~W section when there is
// none.
func (s *Service) matchWell(ctx context.Context, ts wellbase.TenantStore, f *las.File, u Upload) (*wellbase.Well, error) {
	uwi := strings.TrimSpace(f.Well.Value("UWI"))
	if uwi == "" {
		uwi = strings.TrimSpace(f.Well.Value("API"))
	}
	name := strings.TrimSpace(f.Well.Value("WELL"))
	ws := &wells.Service{Store: s.Store, Now: s.Now}
	m, err := ws.Matcher(ctx, ts.TenantID())
	if err != nil {
		return nil, err
	}
	ref := wellbase.WellRef{IDs: []string{uwi}, Names: []string{name}}
	if w := m.Find(ref); w != nil {
		return w, nil
	}
	if name == "" {
		name = strings.TrimSuffix(u.FileName, ".las")
		name = strings.TrimSuffix(name, ".LAS")
	}
	if name == "" {
		name = "Unnamed well"
	}
	nw := wellbase.Well{Name: clip(name), UWI: clip(uwi), Field: clip(f.Well.Value("FLD")), Operator: clip(f.Well.Value("COMP"))}
	if lat, lon, ok := location(f); ok {
		nw.Latitude, nw.Longitude = &lat, &lon
	}
	if err := nw.Validate(); err != nil {
		return nil, fmt.Errorf("well from the file's ~W section: %w", err)
	}
	w, _, err := m.FindOrCreate(ctx, ref, nw, u.Actor, map[string]any{"from_log": u.FileName})
	return w, err
}

// madeBefore returns the log id if a run of the same upload that died before it answered stored
// it (id comes from the request's ID seed, see wellbase.WithIDSeed), after reading the body to
// its end (the retry's answer is kept for replay only once its whole body is read); nil if
// there is none. EIdempotencyKeyReused if that log has another file name or well: the key was
// reused for another upload.
func (s *Service) madeBefore(ctx context.Context, ts wellbase.TenantStore, id string, u Upload) (*wellbase.WellLog, error) {
	if !wellbase.SeededID(ctx) {
		return nil, nil
	}
	l, err := ts.GetLog(ctx, id)
	if wellbase.ErrorCode(err) == wellbase.ENotFound {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if l.FileName != u.FileName || u.WellID != "" && l.WellID != u.WellID {
		return nil, wellbase.Errorf(wellbase.EIdempotencyKeyReused,
			"this Idempotency-Key was used for another upload whose replica stopped before answering; use a new key for a new request")
	}
	if _, err := io.Copy(io.Discard, u.Body); err != nil {
		return nil, err
	}
	return l, nil
}

// location reads decimal-degree LATI/LONG (or LAT/LON) from ~W, if both are plain numbers in
// range.
func location(f *las.File) (lat, lon float64, ok bool) {
	get := func(names ...string) (float64, bool) {
		for _, n := range names {
			if v, err := strconv.ParseFloat(strings.TrimSpace(f.Well.Value(n)), 64); err == nil && !math.IsNaN(v) {
				return v, true
			}
		}
		return 0, false
	}
	lat, ok1 := get("LATI", "LAT")
	lon, ok2 := get("LONG", "LON")
	return lat, lon, ok1 && ok2 && lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180
}

// clip keeps a header value within a well field's 200 characters.
func clip(s string) string {
	s = strings.TrimSpace(s)
	if r := []rune(s); len(r) > 200 {
		return string(r[:200])
	}
	return s
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
