package welllogs

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/keyring"
	"github.com/wellbase/wellbase/internal/las"
)

// Stage stores the original of a large upload without reading it and records the log as
// processing, for Parse to finish in a background job: the upload answers as soon as the bytes
// are stored. The well is u.WellID, or matched when the file is parsed.
func (s *Service) Stage(ctx context.Context, tenant string, u Upload) (*wellbase.WellLog, error) {
	ts := s.Store.Tenant(tenant)
	encoding, err := uploadEncoding(u)
	if err != nil {
		return nil, err
	}
	if u.WellID != "" {
		if _, err := ts.GetWell(ctx, u.WellID); err != nil {
			return nil, err
		}
	}
	version, dk, err := s.Keys.Current(ctx, tenant)
	if err != nil {
		return nil, err
	}
	id := wellbase.NewIDContext(ctx, "log")
	if l, err := s.madeBefore(ctx, ts, id, u); l != nil || err != nil {
		return l, err
	}
	n, err := s.Files.Put(ctx, tenant, originalKey(id), dk, u.Body)
	if err != nil {
		if wellbase.ErrorCode(err) != wellbase.EInternal {
			return nil, err
		}
		return nil, fmt.Errorf("store original of log %s: %w", id, err)
	}
	stored := keyring.EncryptedSize(n)
	l := &wellbase.WellLog{ID: id, TenantID: tenant, WellID: u.WellID, FileName: u.FileName, Status: wellbase.LogProcessing, Encoding: encoding,
		Curves: []wellbase.CurveSummary{}, Warnings: []wellbase.LogWarning{}, SizeBytes: n, StoredBytes: stored,
		KeyVersion: version, CreatedAt: s.now().UTC()}
	if err := ts.CreateLog(ctx, l); err != nil {
		s.Files.DeleteAll(context.WithoutCancel(ctx), tenant, logPrefix(id))
		return nil, err
	}
	return l, nil
}

// Parse reads the stored original of a staged log, stores its curves and records the result:
// the log becomes ready, or failed with the reader's line-numbered reason or the limit of a log
// it exceeds (see MaxCurves; then Parse returns that reason as an EInvalid error, which is
// final, and no curves are stored). It is idempotent: a log that is ready is
// left as it is, and a rerun after a crash overwrites what the crashed run half wrote.
func (s *Service) Parse(ctx context.Context, tenant, logID, actor string, progress func(float64)) (*wellbase.WellLog, error) {
	ts := s.Store.Tenant(tenant)
	l, err := ts.GetLog(ctx, logID)
	if err != nil {
		return nil, err
	}
	if l.Status != wellbase.LogProcessing {
		return l, nil
	}
	dk, err := s.Keys.Version(ctx, tenant, l.KeyVersion)
	if err != nil {
		return nil, err
	}
	rc, err := s.Files.Open(ctx, tenant, originalKey(l.ID), dk)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	pr := &progressReader{r: rc, total: l.SizeBytes, report: progress}
	f, err := las.Read(pr, las.WithName(l.FileName), las.WithSizeHint(l.SizeBytes), las.WithEncoding(l.Encoding))
	var pe *las.ParseError
	if errors.As(err, &pe) {
		return nil, s.fail(ctx, ts, l, pe.Error())
	}
	if err != nil {
		return nil, fmt.Errorf("read stored original of log %s: %w", l.ID, err)
	}
	parsed := logRecord(f, l.ID, tenant, l.WellID, l.FileName)
	if err := checkLimits(l.FileName, parsed); err != nil {
		return nil, s.fail(ctx, ts, l, wellbase.ErrorMessage(err))
	}
	curveBytes, err := s.putCurves(ctx, tenant, l.ID, dk, f)
	if err != nil {
		return nil, err
	}
	wellID := l.WellID
	if wellID == "" {
		w, err := s.matchWell(ctx, ts, f, Upload{FileName: l.FileName, Actor: actor})
		if err != nil {
			return nil, err
		}
		wellID = w.ID
	}
	parsed.SizeBytes, parsed.StoredBytes, parsed.KeyVersion, parsed.CreatedAt = l.SizeBytes, l.StoredBytes+curveBytes, l.KeyVersion, l.CreatedAt
	parsed.WellID = wellID
	if err := ts.UpdateLog(ctx, parsed); err != nil {
		return nil, err
	}
	return parsed, nil
}

// fail records staged log l as failed for reason and returns the job's error: EInvalid, final
// (the file will not read better on a retry).
func (s *Service) fail(ctx context.Context, ts wellbase.TenantStore, l *wellbase.WellLog, reason string) error {
	l.Status, l.Error = wellbase.LogFailed, reason
	if err := ts.UpdateLog(ctx, l); err != nil {
		return err
	}
	return wellbase.FieldError(wellbase.EInvalid, "file", "%s", reason)
}

// progressReader reports the fraction of total bytes read, at most every 1 %.
type progressReader struct {
	r      io.Reader
	n      int64
	total  int64
	last   float64
	report func(float64)
}

func (p *progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.n += int64(n)
	if p.report != nil && p.total > 0 {
		if f := float64(p.n) / float64(p.total); f-p.last >= 0.01 {
			p.last = f
			p.report(min(f, 0.99))
		}
	}
	return n, err
}
