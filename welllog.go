package wellbase

import (
	"fmt"
	"strings"
	"time"
)

// LogStatus is where a stored well log is in its life.
type LogStatus string

const (
	// LogReady: the log is parsed and its curves can be read.
	LogReady LogStatus = "ready"
	// LogProcessing: the file is stored and a job is parsing it.
	LogProcessing LogStatus = "processing"
	// LogFailed: the background parse rejected the file; Error says why.
	LogFailed LogStatus = "failed"
)

// WellLog is one uploaded LAS file of a well: its header facts, index, curve summaries and
// where its original file and its columnar curves are stored (encrypted with the tenant's data
// key, under tenants/<id>/logs/<log id>/).
type WellLog struct {
	ID       string    `json:"id"`
	TenantID string    `json:"tenant"`
	WellID   string    `json:"well_id"`
	FileName string    `json:"file_name,omitempty"`
	Status   LogStatus `json:"status"`
	Error    string    `json:"error,omitempty"`
	// Version is the LAS version the file declares: "1.2", "2.0" or "3.0".
	Version string `json:"version"`
	Wrap    bool   `json:"wrap"`
	// Encoding is the character encoding the file was read as ("UTF-8", "Windows-1252",
	// "Windows-1251", "IBM866", …): detected, or given by the uploader (?encoding=). While the
	// log is processing it is the encoding given, "" to detect it.
	Encoding string `json:"encoding,omitempty"`
	// Null is the file's NULL value (~W NULL), e.g. -999.25.
	Null *float64 `json:"null,omitempty"`
	// Well holds the file's ~W items by mnemonic (values as text), e.g. WELL, UWI, API, COMP, FLD.
	Well     map[string]string `json:"well,omitempty"`
	Index    LogIndex          `json:"index"`
	Rows     int               `json:"rows"`
	Curves   []CurveSummary    `json:"curves"`
	Warnings []LogWarning      `json:"warnings"`
	// SizeBytes is the size of the uploaded file; StoredBytes what it takes in the file store
	// (encrypted original and columnar curves), counted against the tenant's storage limit.
	SizeBytes   int64 `json:"size_bytes"`
	StoredBytes int64 `json:"stored_bytes"`
	// KeyVersion is the version of the tenant data key the stored objects are encrypted with.
	KeyVersion int       `json:"key_version"`
	CreatedAt  time.Time `json:"created_at"`
}

// LogIndex describes a log's index curve (depth or time): Start and Stop are the first and last
// index values in the data, Step the regular step measured from the data (0: irregular).
type LogIndex struct {
	Mnemonic string  `json:"mnemonic"`
	Unit     string  `json:"unit"`
	Start    float64 `json:"start"`
	Stop     float64 `json:"stop"`
	Step     float64 `json:"step"`
}

// CurveSummary describes one curve of a log. Count is the number of non-null samples; Min, Max
// and Mean are over them (absent when Count is 0 or the curve is text).
type CurveSummary struct {
	Mnemonic    string   `json:"mnemonic"`
	Unit        string   `json:"unit"`
	Description string   `json:"description,omitempty"`
	Kind        string   `json:"kind"` // "number" or "text"
	Count       int      `json:"count"`
	Min         *float64 `json:"min,omitempty"`
	Max         *float64 `json:"max,omitempty"`
	Mean        *float64 `json:"mean,omitempty"`
}

// LogRetryAfterSeconds is the Retry-After of a read of a log still being processed: the parse
// of a large upload takes seconds (a 150 MB file about 5 s).
const LogRetryAfterSeconds = 5

// Readable returns nil if the log's curves and original file can be read, and otherwise the
// error every read of them answers: ELogProcessing (with RetryAfterSeconds) while a job parses
// the upload, EConflict naming the reason for a log whose parse failed (or one with no curves).
func (l *WellLog) Readable() error {
	switch {
	case l.Status == LogProcessing:
		return &Error{Code: ELogProcessing, RetryAfterSeconds: LogRetryAfterSeconds,
			Message: fmt.Sprintf("log %s is still being processed: its file is being parsed; retry in %d s (GET /api/v1/logs/%s shows its status)", l.ID, LogRetryAfterSeconds, l.ID)}
	case l.Status == LogFailed:
		return Errorf(EConflict, "log %s could not be read, so it has no curves: %s", l.ID, l.Error)
	case l.Status != LogReady:
		return Errorf(EConflict, "log %s is %s; its curves cannot be read", l.ID, l.Status)
	case len(l.Curves) == 0:
		return Errorf(EConflict, "log %s has no curves", l.ID)
	}
	return nil
}

// LogWarning is a recoverable oddity found while reading a file, with its line (0: the file).
type LogWarning struct {
	Line    int    `json:"line"`
	Message string `json:"message"`
}

// Curve returns the summary of the curve named mnemonic (exact match first, then
// case-insensitive), or nil.
func (l *WellLog) Curve(mnemonic string) *CurveSummary {
	for i := range l.Curves {
		if l.Curves[i].Mnemonic == mnemonic {
			return &l.Curves[i]
		}
	}
	for i := range l.Curves {
		if strings.EqualFold(l.Curves[i].Mnemonic, mnemonic) {
			return &l.Curves[i]
		}
	}
	return nil
}
