package tenancy

import (
	"archive/zip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/files"
)

// ExportJob is the job type that writes a tenant's export archive.
const ExportJob = "tenant-export"

// ExportFormat names the layout of an export archive.
const ExportFormat = "wellbase-export/1"

// ExportKey is the file-store key of the archive written by export job jobID.
func ExportKey(jobID string) string { return "exports/" + jobID + ".zip" }

// Exporter writes an archive of everything a tenant has, for the tenant to take away when it
// leaves (or for its own backups): a ZIP file stored in the tenant's own prefix, encrypted with
// its data key like every other file, and downloaded decrypted through the API. The layout is
//
//	manifest.json        format, tenant, time, counts
//	tenant.json          the tenant record (tier, limits, settings)
//	users.json           users (no password hashes) · wells.json · logs.json · jobs.json
//	forecasts.json       forecasts made by decline-fit jobs
//	production/<well>.json   daily and monthly production records of each well
//	audit.jsonl          the tenant's audit log, one event per line, newest first
//	files/<key>          every stored file, decrypted: original LAS files (logs/<id>/original.las)
//	                     and derived data (logs/<id>/curves.parquet) of the logs in logs.json;
//	                     earlier exports and files still being written excluded
//
// Memory stays O(page + one file segment): records are read page by page and files streamed.
type Exporter struct {
	Store wellbase.Store
	Files *files.Store
	Keys  *DataKeys
	Now   func() time.Time
}

// ExportResult is the result of an export job.
type ExportResult struct {
	Archive    string `json:"archive"`
	Bytes      int64  `json:"bytes"`
	KeyVersion int    `json:"key_version"`
	Files      int    `json:"files"`
	// Skipped names the files deleted between the listing and their copy (a log deleted while
	// the export ran); the archive does not hold them.
	Skipped  []string       `json:"skipped,omitempty"`
	Records  map[string]int `json:"records"`
	Download string         `json:"download"`
}

// Export writes the archive of tenant for job jobID and returns what it holds.
func (e *Exporter) Export(ctx context.Context, tenant, jobID string, progress func(float64)) (*ExportResult, error) {
	version, dk, err := e.Keys.Current(ctx, tenant)
	if err != nil {
		return nil, err
	}
	res := &ExportResult{Archive: ExportKey(jobID), KeyVersion: version, Records: map[string]int{},
		Download: "/api/v1/tenants/" + tenant + "/exports/" + jobID}
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := e.write(ctx, tenant, pw, res, progress)
		pw.CloseWithError(err)
		done <- err
	}()
	n, putErr := e.Files.Put(ctx, tenant, res.Archive, dk, pr)
	pr.CloseWithError(fmt.Errorf("export archive upload ended"))
	if werr := <-done; werr != nil {
		return nil, fmt.Errorf("export tenant %s: %w", tenant, werr)
	}
	if putErr != nil {
		return nil, fmt.Errorf("export tenant %s: store archive: %w", tenant, putErr)
	}
	res.Bytes = n
	return res, nil
}

func (e *Exporter) write(ctx context.Context, tenant string, w io.Writer, res *ExportResult, progress func(float64)) error {
	// Entries made from records are dated with the time of the export, files with their own
	// modification time: a zip.Writer's Create leaves them at the DOS epoch, 1980-01-01.
	at := e.now().UTC()
	z := &archive{zip.NewWriter(w)}
	ts := e.Store.Tenant(tenant)
	t, err := e.Store.GetTenant(ctx, tenant)
	if err != nil {
		return err
	}
	if err := z.writeJSON("tenant.json", at, t); err != nil {
		return err
	}
	users, err := wellbase.All(ctx, ts.ListUsers)
	if err != nil {
		return err
	}
	wells, err := wellbase.All(ctx, ts.ListWells)
	if err != nil {
		return err
	}
	logs, err := wellbase.All(ctx, func(ctx context.Context, p wellbase.Page) ([]*wellbase.WellLog, string, error) {
		return ts.ListLogs(ctx, "", p)
	})
	if err != nil {
		return err
	}
	jobs, err := wellbase.All(ctx, ts.ListJobs)
	if err != nil {
		return err
	}
	var fcs []*wellbase.Forecast
	for _, j := range jobs {
		var r struct {
			ForecastID string `json:"forecast_id"`
		}
		if j.Status != wellbase.JobSucceeded || json.Unmarshal(j.Result, &r) != nil || r.ForecastID == "" {
			continue
		}
		f, err := ts.GetForecast(ctx, r.ForecastID)
		if wellbase.ErrorCode(err) == wellbase.ENotFound {
			continue
		} else if err != nil {
			return err
		}
		fcs = append(fcs, f)
	}
	for name, v := range map[string]any{"users.json": users, "wells.json": wells, "logs.json": logs, "jobs.json": jobs, "forecasts.json": fcs} {
		if err := z.writeJSON(name, at, v); err != nil {
			return err
		}
	}
	res.Records["users"], res.Records["wells"], res.Records["logs"], res.Records["jobs"], res.Records["forecasts"] =
		len(users), len(wells), len(logs), len(jobs), len(fcs)
	for _, w := range wells {
		var recs []*wellbase.ProductionRecord
		for _, period := range []string{"day", "month"} {
			r, err := ts.Production(ctx, wellbase.ProductionQuery{WellID: w.ID, Period: period})
			if err != nil {
				return err
			}
			recs = append(recs, r...)
		}
		if len(recs) > 0 {
			if err := z.writeJSON("production/"+w.ID+".json", at, recs); err != nil {
				return err
			}
			res.Records["production"] += len(recs)
		}
	}
	n, err := e.writeAudit(ctx, ts, z, at)
	if err != nil {
		return err
	}
	res.Records["audit_events"] = n

	// Files: the finished objects of the logs listed above, and the tenant's other files (not
	// earlier exports), each decrypted with the data key version its log records. The file
	// store lists no object still being written; objects of a log recorded after the list
	// above (an upload under way) are left out, so that logs.json and files/ agree; an object
	// deleted since it was listed (its log deleted meanwhile) is skipped and named in the
	// manifest, not an error.
	versions := map[string]int{}
	for _, l := range logs {
		versions["logs/"+l.ID+"/"] = l.KeyVersion
	}
	objs, err := e.Files.List(ctx, tenant, "")
	if err != nil {
		return err
	}
	for i, obj := range objs {
		if strings.HasPrefix(obj.Key, "exports/") {
			continue
		}
		v := res.KeyVersion
		if dir, ok := logDir(obj.Key); ok {
			lv, known := versions[dir]
			if !known {
				continue
			}
			v = lv
		}
		if obj.ModTime.IsZero() { // a store that does not say: the time of the export
			obj.ModTime = at
		}
		err := e.copyFile(ctx, z, tenant, obj, v)
		if wellbase.ErrorCode(err) == wellbase.ENotFound {
			res.Skipped = append(res.Skipped, obj.Key)
			continue
		}
		if err != nil {
			return err
		}
		res.Files++
		if progress != nil {
			progress(float64(i+1) / float64(len(objs)))
		}
	}
	manifest := map[string]any{"format": ExportFormat, "tenant": tenant, "exported_at": at, "records": res.Records, "files": res.Files}
	if len(res.Skipped) > 0 {
		manifest["skipped_deleted_files"] = res.Skipped
	}
	if err := z.writeJSON("manifest.json", at, manifest); err != nil {
		return err
	}
	return z.Close()
}

func (e *Exporter) writeAudit(ctx context.Context, ts wellbase.TenantStore, z *archive, at time.Time) (int, error) {
	w, err := z.create("audit.jsonl", at)
	if err != nil {
		return 0, err
	}
	enc := json.NewEncoder(w)
	n := 0
	for ev, err := range wellbase.Each(ctx, ts.ListAudit) {
		if err != nil {
			return n, err
		}
		if err := enc.Encode(ev); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// copyFile copies the plaintext of object info into the archive as files/<key>, dated with the
// object's modification time. It opens the object with data key version (falling back to the
// current version, for an object that a key rotation re-encrypted meanwhile); a missing object
// is ENotFound, with nothing written.
func (e *Exporter) copyFile(ctx context.Context, z *archive, tenant string, info files.ObjectInfo, version int) error {
	key := info.Key
	obj, err := e.Keys.OpenAt(ctx, e.Files, tenant, key, version)
	if err != nil {
		return err
	}
	defer obj.Close()
	w, err := z.create("files/"+key, info.ModTime)
	if err != nil {
		return err
	}
	// 1 MiB reads: one ranged read of the bucket per 16 segments.
	if _, err := io.CopyBuffer(w, io.NewSectionReader(obj, 0, obj.Size()), make([]byte, 1<<20)); err != nil {
		return fmt.Errorf("copy %s: %w", key, err)
	}
	return nil
}

// logDir returns "logs/<id>/" of an object key under a log's folder.
func logDir(key string) (string, bool) {
	rest, ok := strings.CutPrefix(key, "logs/")
	if !ok {
		return "", false
	}
	id, _, ok := strings.Cut(rest, "/")
	return "logs/" + id + "/", ok
}

// archive is the export's ZIP writer: every entry carries a modification time.
type archive struct{ *zip.Writer }

// create starts a deflated entry name modified at t. archive/zip stores the time in the
// extended timestamp field (UTC) as well as the MS-DOS fields, so unzip shows the same instant
// everywhere.
func (z *archive) create(name string, t time.Time) (io.Writer, error) {
	return z.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: t.UTC()})
}

func (z *archive) writeJSON(name string, at time.Time, v any) error {
	w, err := z.create(name, at)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func (e *Exporter) now() time.Time {
	if e.Now != nil {
		return e.Now()
	}
	return time.Now()
}
