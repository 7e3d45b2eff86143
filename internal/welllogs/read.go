package welllogs

import (
	"context"
	"fmt"
	"io"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/columnar"
	"github.com/wellbase/wellbase/internal/files"
)

// Curves opens the columnar curves of log l for reading; close the returned closer when done.
// Only the parts of the object that a read needs are fetched and decrypted. A log that is not
// readable (still processing, failed) is the error of l.Readable.
func (s *Service) Curves(ctx context.Context, l *wellbase.WellLog) (*columnar.File, io.Closer, error) {
	if err := l.Readable(); err != nil {
		return nil, nil, err
	}
	obj, err := s.open(ctx, l, curvesKey(l.ID))
	if err != nil {
		return nil, nil, err
	}
	f, err := columnar.Open(obj, obj.Size())
	if err != nil {
		obj.Close()
		return nil, nil, fmt.Errorf("open curves of log %s: %w", l.ID, err)
	}
	return f, obj, nil
}

// Original opens the uploaded file of log l, decrypted as it is read. A log that is not
// readable (still processing, failed) is the error of l.Readable.
func (s *Service) Original(ctx context.Context, l *wellbase.WellLog) (io.ReadCloser, error) {
	if err := l.Readable(); err != nil {
		return nil, err
	}
	obj, err := s.open(ctx, l, originalKey(l.ID))
	if err != nil {
		return nil, err
	}
	return struct {
		io.Reader
		io.Closer
	}{io.NewSectionReader(obj, 0, obj.Size()), obj}, nil
}

// open opens object key of log l (see tenancy.DataKeys.OpenAt for the key versions tried).
func (s *Service) open(ctx context.Context, l *wellbase.WellLog, key string) (files.Object, error) {
	return s.Keys.OpenAt(ctx, s.Files, l.TenantID, key, l.KeyVersion)
}

// Delete deletes log l: its record first, so that it disappears at once, then its objects.
func (s *Service) Delete(ctx context.Context, l *wellbase.WellLog) error {
	if err := s.Store.Tenant(l.TenantID).DeleteLog(ctx, l.ID); err != nil {
		return err
	}
	if err := s.Files.DeleteAll(ctx, l.TenantID, logPrefix(l.ID)); err != nil {
		return fmt.Errorf("delete objects of log %s: %w", l.ID, err)
	}
	return nil
}
