package welllogs

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/wellbase/wellbase"
)

// StorageBytes returns what tenant's files take in the file store, as its storage limit counts
// it: the stored bytes of its logs (the encrypted originals and curves their records count)
// and what writes under way, or killed before they finished, have staged
// (files.Store.Staged) until a sweep removes it.
func (s *Service) StorageBytes(ctx context.Context, tenant string) (int64, error) {
	n, err := s.Store.Tenant(tenant).StoredBytes(ctx)
	if err != nil {
		return 0, err
	}
	staged, err := s.Files.StagedBytes(ctx, tenant)
	if err != nil {
		return 0, err
	}
	return n + staged, nil
}

// SweepOrphans deletes the objects of tenant's log folders that no log record names and whose
// newest object is older than olderThan: what a process killed between storing a log's
// objects and recording the log left behind (Ingest records a log last, so that a recorded log
// always has its objects). Younger folders are kept: their log may be being ingested, here or
// on another replica. It returns how many folders it deleted.
func (s *Service) SweepOrphans(ctx context.Context, tenant string, olderThan time.Duration) (int, error) {
	objs, err := s.Files.List(ctx, tenant, "logs/")
	if err != nil {
		return 0, err
	}
	newest := map[string]time.Time{} // log ID → its newest object
	for _, o := range objs {
		id, _, ok := strings.Cut(strings.TrimPrefix(o.Key, "logs/"), "/")
		if !ok {
			continue
		}
		if t, seen := newest[id]; !seen || o.ModTime.After(t) {
			newest[id] = o.ModTime
		}
	}
	cutoff := s.now().Add(-olderThan)
	ts := s.Store.Tenant(tenant)
	n := 0
	for id, t := range newest {
		if !t.Before(cutoff) {
			continue
		}
		_, err := ts.GetLog(ctx, id)
		if err == nil {
			continue
		}
		if wellbase.ErrorCode(err) != wellbase.ENotFound {
			return n, err
		}
		if err := s.Files.DeleteAll(ctx, tenant, logPrefix(id)); err != nil {
			return n, fmt.Errorf("delete objects of unrecorded log %s: %w", id, err)
		}
		n++
	}
	return n, nil
}
