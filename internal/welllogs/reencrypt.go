package welllogs

import (
	"context"
	"fmt"
	"io"

	"github.com/wellbase/wellbase"
)

// Reencryption reports a re-encryption of a tenant's log files after a data key rotation.
type Reencryption struct {
	ToVersion int   `json:"to_version"`
	Logs      int   `json:"logs"`
	Objects   int   `json:"objects"`
	Bytes     int64 `json:"bytes"`
	// Skipped counts logs still being parsed; a later run of the job takes them.
	Skipped int `json:"skipped"`
}

// Reencrypt rewrites every file of the tenant's logs that is encrypted with an older data key
// version with the newest one, then records the new version on the log. Each object is replaced
// whole (the bucket swaps it when its upload completes), and a log's record is updated only after
// all its objects are, so readers never miss: until then they fall back to the newest version
// (see open). It is idempotent: an object already re-encrypted is recognised and skipped, so a
// job retried after a crash finishes the work. progress gets the fraction of logs done.
func (s *Service) Reencrypt(ctx context.Context, tenant string, progress func(float64)) (*Reencryption, error) {
	v, cur, err := s.Keys.Current(ctx, tenant)
	if err != nil {
		return nil, err
	}
	rep := &Reencryption{ToVersion: v}
	ts := s.Store.Tenant(tenant)
	var logs []*wellbase.WellLog
	for p := (wellbase.Page{Limit: 500}); ; {
		page, next, err := ts.ListLogs(ctx, "", p)
		if err != nil {
			return nil, err
		}
		logs = append(logs, page...)
		if next == "" {
			break
		}
		p.After = next
	}
	for i, l := range logs {
		if progress != nil {
			progress(float64(i) / float64(len(logs)))
		}
		if l.KeyVersion == v {
			continue
		}
		if l.Status == wellbase.LogProcessing {
			rep.Skipped++
			continue
		}
		old, err := s.Keys.Version(ctx, tenant, l.KeyVersion)
		if err != nil {
			return rep, err
		}
		objs, err := s.Files.List(ctx, tenant, logPrefix(l.ID))
		if err != nil {
			return rep, err
		}
		for _, o := range objs {
			src, err := s.Files.OpenAt(ctx, tenant, o.Key, old)
			if err != nil {
				if done, derr := s.Files.OpenAt(ctx, tenant, o.Key, cur); derr == nil {
					done.Close() // re-encrypted by an earlier attempt
					continue
				}
				return rep, fmt.Errorf("re-encrypt %s: %w", o.Key, err)
			}
			n, err := s.Files.Put(ctx, tenant, o.Key, cur, io.NewSectionReader(src, 0, src.Size()))
			src.Close()
			if err != nil {
				return rep, fmt.Errorf("re-encrypt %s: %w", o.Key, err)
			}
			rep.Objects++
			rep.Bytes += n
		}
		l.KeyVersion = v
		if err := ts.UpdateLog(ctx, l); err != nil {
			return rep, fmt.Errorf("re-encrypt log %s: record key version: %w", l.ID, err)
		}
		rep.Logs++
	}
	return rep, nil
}
