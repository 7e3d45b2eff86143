package httpapi_test

import (
	"bytes"
	"encoding/csv"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/las"
	"github.com/wellbase/wellbase/internal/welllogs"
)

const volvePath = "../../../shared/data/las/volve/15-9-19_SR_COMP.LAS"

// TestLogRoundTrip uploads the Volve composite log, reads a curve, exports CSV and LAS, reads
// the LAS export back and plots the log.
func TestLogRoundTrip(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile(volvePath)
	if err != nil {
		t.Skipf("the real-data folder ../shared/data is absent here (%v); CI has it", err)
	}
	h := newHarness(t)
	acme := h.onboard("acme")
	up := h.must(201, "POST", "/api/v1/logs?name=15-9-19_SR_COMP.LAS", acme, raw).json()
	if up["rows"] != 29754.0 || len(up["curves"].([]any)) != 8 || up["version"] != "2.0" || up["well_id"] == "" {
		t.Fatalf("upload answer: rows %v, %d curves, version %v", up["rows"], len(up["curves"].([]any)), up["version"])
	}
	id := up["id"].(string)
	// stored_bytes (derived from the plaintext sizes) is what the objects take on disk.
	var onDisk int64
	filepath.Walk(filepath.Join(h.dir, "files", "tenants", "acme", "logs", id), func(_ string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			onDisk += fi.Size()
		}
		return nil
	})
	if up["stored_bytes"].(float64) != float64(onDisk) || onDisk == 0 {
		t.Errorf("stored_bytes %v, on disk %d", up["stored_bytes"], onDisk)
	}
	gr := h.must(200, "GET", "/api/v1/logs/"+id+"/curves/GR", acme, nil).json()
	if vals := gr["values"].([]any); len(vals) != 29754 || len(gr["index"].([]any)) != 29754 || gr["unit"] != "GAPI" {
		t.Fatalf("GR curve: %d values, unit %v", len(vals), gr["unit"])
	}
	// A depth window.
	win := h.must(200, "GET", "/api/v1/logs/"+id+"/curves/gr?top=3000&base=3010", acme, nil).json()
	idx := win["index"].([]any)
	if len(idx) < 60 || len(idx) > 70 || idx[0].(float64) < 3000 || idx[len(idx)-1].(float64) > 3010 {
		t.Errorf("window 3000-3010 m: %d samples from %v to %v", len(idx), idx[0], idx[len(idx)-1])
	}
	h.must(404, "GET", "/api/v1/logs/"+id+"/curves/NOPE", acme, nil)
	h.must(400, "GET", "/api/v1/logs/"+id+"/curves/GR?top=abc", acme, nil)

	csvAnswer := h.must(200, "GET", "/api/v1/logs/"+id+"/data?format=csv", acme, nil)
	rows, err := csv.NewReader(bytes.NewReader(csvAnswer.body)).ReadAll()
	if err != nil || len(rows) != 29755 || rows[0][0] != "DEPT (M)" || len(rows[0]) != 8 {
		t.Fatalf("CSV export: %v, %d rows, header %v", err, len(rows), rows[0])
	}
	lasAnswer := h.must(200, "GET", "/api/v1/logs/"+id+"/data?format=las", acme, nil)
	back, err := las.Read(bytes.NewReader(lasAnswer.body))
	if err != nil || back.Rows() != 29754 || len(back.Curves) != 8 {
		t.Fatalf("LAS export reads back as %v rows, err %v", back, err)
	}
	svg := h.must(200, "GET", "/api/v1/logs/"+id+"/plot.svg?curves=GR,RDEP,DEN,NEU", acme, nil)
	if !bytes.Contains(svg.body[:min(2000, len(svg.body))], []byte("<svg")) || svg.header.Get("Content-Type") != "image/svg+xml" {
		t.Errorf("plot.svg is not an SVG: %.200s", svg.body)
	}
	h.must(200, "GET", "/api/v1/logs/"+id+"/plot.svg", acme, nil)

	// The well was created from ~W; a second upload of the same well finds it by name or UWI.
	again := h.must(201, "POST", "/api/v1/logs", acme, raw).json()
	if again["well_id"] != up["well_id"] {
		t.Errorf("second upload made well %v, want the first's %v", again["well_id"], up["well_id"])
	}
	list := h.must(200, "GET", "/api/v1/wells/"+up["well_id"].(string)+"/logs", acme, nil).json()["items"].([]any)
	if len(list) != 2 {
		t.Errorf("well has %d logs, want 2", len(list))
	}
	usage := h.must(200, "GET", "/api/v1/usage", acme, nil).json()["usage"].(map[string]any)
	if usage["storage_bytes"].(float64) < float64(2*len(raw)) {
		t.Errorf("storage usage %v after two uploads of %d bytes", usage["storage_bytes"], len(raw))
	}
	h.must(204, "DELETE", "/api/v1/logs/"+id, acme, nil)
	h.must(404, "GET", "/api/v1/logs/"+id+"/curves/GR", acme, nil)
}

// TestLogUploadRejects checks that unreadable and oversized files are refused with a clear
// problem and that nothing is stored.
func TestLogUploadRejects(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	acme := h.onboard("acme")
	tests := []struct {
		name   string
		body   []byte
		status int
		want   string
	}{
		{"LiDAR", []byte("LASF\x01\x02binary lidar"), 422, "LiDAR"},
		{"NotLAS", []byte("hello, world\nthis is not a log\n"), 422, "line"},
		{"Empty", []byte{}, 422, ""},
	}
	for _, tt := range tests {
		r := h.must(tt.status, "POST", "/api/v1/logs?name=bad.las", acme, tt.body)
		if !strings.HasPrefix(r.header.Get("Content-Type"), "application/problem+json") || !strings.Contains(string(r.body), tt.want) {
			t.Errorf("%s: %s %s", tt.name, r.header.Get("Content-Type"), r.body)
		}
	}
	h.must(200, "PATCH", "/api/v1/tenants/acme", h.op, map[string]any{"limits": map[string]any{"upload_bytes": 100}})
	r := h.must(413, "POST", "/api/v1/logs", acme, []byte(smallLAS("BIG", "B-1")))
	if !strings.Contains(string(r.body), "upload_bytes = 100") {
		t.Errorf("413 answer does not name the limit: %s", r.body)
	}
	h.must(200, "PATCH", "/api/v1/tenants/acme", h.op, map[string]any{"limits": map[string]any{"upload_bytes": 1 << 20, "storage_bytes": 10}})
	r = h.must(429, "POST", "/api/v1/logs", acme, []byte(smallLAS("BIG", "B-1")))
	if !strings.Contains(string(r.body), "storage_bytes = 10") {
		t.Errorf("429 answer does not name the storage limit: %s", r.body)
	}
	logs := h.must(200, "GET", "/api/v1/logs", acme, nil).json()["items"].([]any)
	wells := h.must(200, "GET", "/api/v1/wells", acme, nil).json()["items"].([]any)
	if len(logs) != 0 || len(wells) != 0 {
		t.Errorf("rejected uploads left %d logs and %d wells", len(logs), len(wells))
	}
}

// TestLogMultipartAndEncryption uploads as a browser form does and checks that no plaintext of
// the file is at rest in the file store.
func TestLogMultipartAndEncryption(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	acme := h.onboard("acme")
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("note", "ignored")
	fw, _ := mw.CreateFormFile("file", "form-upload.las")
	fw.Write([]byte(smallLAS("PLAINTEXT-MARKER-WELL", "MARKER-UWI")))
	mw.Close()
	req, _ := http.NewRequest("POST", h.srv.URL+"/api/v1/logs", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+acme)
	res, err := h.srv.Client().Do(req)
	if err != nil || res.StatusCode != 201 {
		t.Fatalf("multipart upload: %v %v", err, res.Status)
	}
	res.Body.Close()
	logs := h.must(200, "GET", "/api/v1/logs", acme, nil).json()["items"].([]any)
	if len(logs) != 1 || logs[0].(map[string]any)["file_name"] != "form-upload.las" {
		t.Fatalf("logs after a multipart upload: %v", logs)
	}
	found := 0
	filepath.Walk(h.dir, func(p string, fi os.FileInfo, err error) error {
		if err != nil || fi.IsDir() || strings.HasSuffix(p, ".db") || strings.Contains(p, ".db-") {
			return nil
		}
		b, _ := os.ReadFile(p)
		if bytes.Contains(b, []byte("PLAINTEXT-MARKER-WELL")) {
			t.Errorf("plaintext of the upload at rest in %s", p)
		}
		found++
		return nil
	})
	if found < 3 {
		t.Errorf("only %d files in the data dir; where are the stored objects?", found)
	}
}

// TestLargeUploadParsedByJob: an upload over the async threshold answers 202 at once with the
// log processing and a job; the job parses it, and a file that is not LAS ends failed with the
// line-numbered reason on both the log and the job.
func TestLargeUploadParsedByJob(t *testing.T) {
	t.Parallel()
	h := newHarnessWith(t, harnessOptions{asyncParseBytes: 100})
	acme := h.onboard("acme")
	r := h.must(202, "POST", "/api/v1/logs?name=big.las", acme, []byte(smallLAS("ASYNC-1", "ASYNC-UWI")))
	if r.str("status") != "processing" || r.str("job_id") == "" {
		t.Fatalf("staged upload answer %s", r.body)
	}
	l := waitLog(t, h, acme, r.str("id"))
	if l["status"] != "ready" || l["rows"] != 3.0 || l["well_id"] == "" {
		t.Fatalf("parsed log %v", l)
	}
	h.must(200, "GET", "/api/v1/logs/"+r.str("id")+"/curves/GR", acme, nil)
	job := h.must(200, "GET", "/api/v1/jobs/"+r.str("job_id"), acme, nil).json()
	if job["status"] != "succeeded" {
		t.Errorf("parse job %v", job)
	}

	bad := h.must(202, "POST", "/api/v1/logs?name=bad.las", acme, []byte(strings.Repeat("not a log at all\n", 20)))
	l = waitLog(t, h, acme, bad.str("id"))
	if l["status"] != "failed" || !strings.Contains(l["error"].(string), "line") {
		t.Errorf("unreadable staged log %v", l)
	}
}

// waitLog polls a log until it is no longer processing (a guard deadline, not a timing test).
func waitLog(t *testing.T, h *harness, token, id string) map[string]any {
	t.Helper()
	for range 1000 {
		l := h.must(200, "GET", "/api/v1/logs/"+id, token, nil).json()
		if l["status"] != "processing" {
			return l
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("log %s still processing", id)
	return nil
}

// waitJobDone waits for job id to end (succeeded, failed or cancelled) and returns it.
func waitJobDone(t *testing.T, h *harness, token, id string) map[string]any {
	t.Helper()
	for range 1000 {
		j := h.must(200, "GET", "/api/v1/jobs/"+id, token, nil).json()
		if s := j["status"]; s == "succeeded" || s == "failed" || s == "cancelled" {
			return j
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("job %s did not end", id)
	return nil
}

// TestProductionImportIdempotent imports the same CSV twice: the second import changes nothing,
// bad rows are reported with their row number, and an unreadable file is 422 with nothing
// stored.
func TestProductionImportIdempotent(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	acme := h.onboard("acme")
	csvBody := []byte("date,well,oil[Sm3],gas[Sm3],water[Sm3],on_stream_hours\n" +
		"2020-01-01,A-1,100,15000,5,24\n2020-01-02,A-1,-3,15000,5,24\n2020-01-03,A-1,90,14000,6,25\nnot a date,A-1,1,1,1,1\n")
	first := h.must(201, "POST", "/api/v1/production?format=csv", acme, csvBody).json()
	second := h.must(201, "POST", "/api/v1/production?format=csv", acme, csvBody).json()
	if first["rows_stored"] != 3.0 || second["rows_stored"] != 3.0 {
		t.Fatalf("rows stored: %v then %v, want 3", first["rows_stored"], second["rows_stored"])
	}
	issues := first["issues"].([]any)
	rows := map[float64]bool{}
	for _, i := range issues {
		rows[i.(map[string]any)["row"].(float64)] = true
	}
	if !rows[3] || !rows[5] {
		t.Errorf("issues %v do not name rows 3 (negative volume) and 5 (bad date)", issues)
	}
	wells := h.must(200, "GET", "/api/v1/wells", acme, nil).json()["items"].([]any)
	if len(wells) != 1 {
		t.Fatalf("%d wells after two imports of one well", len(wells))
	}
	id := wells[0].(map[string]any)["id"].(string)
	series := h.must(200, "GET", "/api/v1/wells/"+id+"/production?period=day&phase=oil", acme, nil).json()
	if pts := series["points"].([]any); len(pts) != 3 || series["unit"] != "Sm3" {
		t.Errorf("series after two imports: %v", series)
	}
	h.must(200, "GET", "/api/v1/wells/"+id+"/production/plot.svg?phase=oil", acme, nil)
	h.must(400, "GET", "/api/v1/wells/"+id+"/production?phase=tea", acme, nil)
	h.must(422, "POST", "/api/v1/production?format=csv", acme, []byte("date,well,oil[Sm3]\nnot a date,A-2,1\nnor this,A-2,2\n"))
	if wells := h.must(200, "GET", "/api/v1/wells", acme, nil).json()["items"].([]any); len(wells) != 1 {
		t.Errorf("a file with no readable row created wells: %d", len(wells))
	}
	r := h.must(422, "POST", "/api/v1/production?format=csv", acme, []byte("just,some,words\nwithout,any,dates\n"))
	if !strings.Contains(string(r.body), "date") {
		t.Errorf("unreadable file answer does not say what is missing: %s", r.body)
	}
}

// TestLogReadsWhileProcessing: every read of a log's data (each GET route under
// /api/v1/logs/{log}/ and the petrophysics job's input) answers one clear status while the log
// is being parsed — 409 log_processing with Retry-After — and 409 conflict with the reason once
// its parse failed; never a 500 or a 404.
func TestLogReadsWhileProcessing(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	acme := h.onboard("acme")
	ctx := t.Context()
	// A large upload as the API stages it, before its parse job has run.
	l, err := h.logs.Stage(ctx, "acme", welllogs.Upload{FileName: "big.las", Body: strings.NewReader(smallLAS("BIG-1", "BIG-UWI"))})
	if err != nil {
		t.Fatal(err)
	}
	var reads []string
	for _, rt := range h.api.Routes() {
		if rt.Method == "GET" && strings.HasPrefix(rt.Path, "/api/v1/logs/{log}/") {
			path, _, _ := fill(rt.Path, map[string]string{"log": l.ID, "mnemonic": "GR"})
			reads = append(reads, path)
			if !strings.HasSuffix(path, ".svg") { // the curve and the data come in formats
				reads = append(reads, path+"?format=csv", path+"?format=las")
			}
		}
	}
	if len(reads) < 7 {
		t.Fatalf("only %d log reads found", len(reads))
	}
	check := func(status int, code string) {
		t.Helper()
		for _, path := range reads {
			r := h.do("GET", path, acme, nil)
			p := r.json()
			if r.status != status || p["code"] != code || !strings.HasPrefix(r.header.Get("Content-Type"), "application/problem+json") {
				t.Errorf("GET %s: %d %v, want %d %s: %.200s", path, r.status, p["code"], status, code, r.body)
			}
			if code == "log_processing" && r.header.Get("Retry-After") != "5" {
				t.Errorf("GET %s: Retry-After %q, want 5", path, r.header.Get("Retry-After"))
			}
		}
		_, _, err := h.logs.Petrophysics(ctx, "acme", welllogs.PetrophysicsParams{Log: l.ID}, "user:test")
		if want := map[string]string{"log_processing": wellbase.ELogProcessing, "conflict": wellbase.EInvalid}[code]; wellbase.ErrorCode(err) != want {
			t.Errorf("petrophysics input: %v, want code %s", err, want)
		}
	}
	check(409, "log_processing")
	h.must(200, "GET", "/api/v1/logs/"+l.ID, acme, nil) // the log itself says it is processing

	l.Status, l.Error = wellbase.LogFailed, "line 7: a data line has 2 values, want 3"
	if err := h.store.Tenant("acme").UpdateLog(ctx, l); err != nil {
		t.Fatal(err)
	}
	check(409, "conflict")
	if r := h.do("GET", "/api/v1/logs/"+l.ID+"/plot.svg", acme, nil); !strings.Contains(string(r.body), "line 7") {
		t.Errorf("a failed log's read does not say why: %s", r.body)
	}
}
