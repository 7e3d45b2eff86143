package welllogs

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/files"
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
	logs, err := wellbase.All(ctx, s.allLogs(ts))
	if err != nil {
		return nil, err
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
			n, done, err := s.reencryptObject(ctx, tenant, o.Key, cur, old)
			if err != nil {
				return rep, err
			}
			if done {
				rep.Objects++
				rep.Bytes += n
			}
		}
		l.KeyVersion = v
		if err := ts.UpdateLog(ctx, l); err != nil {
			return rep, fmt.Errorf("re-encrypt log %s: record key version: %w", l.ID, err)
		}
		rep.Logs++
	}
	return rep, nil
}

// Retirement reports the retirement of a tenant's old data key versions.
type Retirement struct {
	Current      int           `json:"current_version"`
	Reencryption *Reencryption `json:"reencryption"`
	// Other counts files outside logs (export archives) re-encrypted with the current version.
	Other   int      `json:"other_files_reencrypted"`
	Retired []string `json:"retired"` // "<tenant>/data-key/v<n>"
}

// RetireOldKeys destroys the tenant's data key versions older than the current one, once
// nothing is encrypted with them: it re-encrypts what is left (logs, then every other file of
// the tenant, such as export archives) and checks that every log records the current version
// before deleting a wrapped key. An upload begun before the rotation may still be writing with
// an older version, so the current version must be at least minAge old (EConflict otherwise,
// saying when to retry); a log still being parsed is EConflict too. Objects still being written
// are not files yet (files.Store.List does not show them) and are not re-encrypted: minAge lets
// them finish, and serve sweeps what a killed write staged after the same hour. Destroyed
// versions are gone for good: a copy of a file encrypted with one can no longer be read.
func (s *Service) RetireOldKeys(ctx context.Context, tenant string, minAge time.Duration) (*Retirement, error) {
	keys, err := s.Store.Tenant(tenant).DataKeys(ctx)
	if err != nil {
		return nil, err
	}
	if len(keys) == 0 {
		return nil, wellbase.Errorf(wellbase.ENotFound, "tenant %s has no data key", tenant)
	}
	cur := keys[len(keys)-1]
	if age := s.now().Sub(cur.CreatedAt); age < minAge {
		return nil, wellbase.Errorf(wellbase.EConflict, "data key version %d of tenant %s is only %s old: uploads begun before the rotation may still write with an older version; retire after %s",
			cur.Version, tenant, age.Round(time.Second), cur.CreatedAt.Add(minAge).UTC().Format(time.RFC3339))
	}
	rep := &Retirement{Current: cur.Version}
	if rep.Reencryption, err = s.Reencrypt(ctx, tenant, nil); err != nil {
		return rep, err
	}
	if rep.Reencryption.Skipped > 0 {
		return rep, wellbase.Errorf(wellbase.EConflict, "%d logs of tenant %s are still being parsed; retry when they are done", rep.Reencryption.Skipped, tenant)
	}
	dk, err := s.Keys.Version(ctx, tenant, cur.Version)
	if err != nil {
		return rep, err
	}
	objs, err := s.Files.List(ctx, tenant, "")
	if err != nil {
		return rep, err
	}
	olds := make([]files.Cipher, 0, len(keys)-1)
	for _, k := range keys[:len(keys)-1] {
		old, err := s.Keys.Version(ctx, tenant, k.Version)
		if err != nil {
			return rep, err
		}
		olds = append(olds, old)
	}
	for _, o := range objs {
		if strings.HasPrefix(o.Key, "logs/") {
			continue // re-encrypted above, and checked through their records below
		}
		_, done, err := s.reencryptObject(ctx, tenant, o.Key, dk, olds...)
		if err != nil {
			return rep, fmt.Errorf("retire keys of tenant %s: %w; nothing retired", tenant, err)
		}
		if done {
			rep.Other++
		}
	}
	ts := s.Store.Tenant(tenant)
	for l, err := range wellbase.Each(ctx, s.allLogs(ts)) {
		if err != nil {
			return rep, err
		}
		if l.KeyVersion != cur.Version {
			return rep, wellbase.Errorf(wellbase.EConflict, "log %s of tenant %s is still on data key version %d (written during this run?); nothing retired, retry", l.ID, tenant, l.KeyVersion)
		}
	}
	for _, k := range keys[:len(keys)-1] {
		if err := ts.DeleteDataKey(ctx, k.Version); err != nil && wellbase.ErrorCode(err) != wellbase.ENotFound {
			return rep, err
		}
		rep.Retired = append(rep.Retired, fmt.Sprintf("%s/data-key/v%d", tenant, k.Version))
	}
	s.Keys.Forget(tenant)
	return rep, nil
}

// allLogs lists the logs of every well of ts.
func (s *Service) allLogs(ts wellbase.TenantStore) func(context.Context, wellbase.Page) ([]*wellbase.WellLog, string, error) {
	return func(ctx context.Context, p wellbase.Page) ([]*wellbase.WellLog, string, error) {
		return ts.ListLogs(ctx, "", p)
	}
}

// reencryptObject rewrites object key of tenant with cipher to, if it opens with one of from;
// done is false if it already opens with to (re-encrypted by an earlier attempt). An object that
// opens with none of them is an error naming it.
func (s *Service) reencryptObject(ctx context.Context, tenant, key string, to files.Cipher, from ...files.Cipher) (n int64, done bool, err error) {
	for _, c := range from {
		src, err := s.Files.OpenAt(ctx, tenant, key, c)
		if err != nil {
			continue
		}
		n, err := s.Files.Put(ctx, tenant, key, to, io.NewSectionReader(src, 0, src.Size()))
		src.Close()
		if err != nil {
			return 0, false, fmt.Errorf("re-encrypt %s: %w", key, err)
		}
		return n, true, nil
	}
	obj, err := s.Files.OpenAt(ctx, tenant, key, to)
	if err != nil {
		return 0, false, fmt.Errorf("re-encrypt %s: it opens with no data key version of the tenant: %w", key, err)
	}
	obj.Close()
	return 0, false, nil
}
