package httpapi

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/wellbase/wellbase"
)

// statusOf maps error codes to HTTP statuses; the one table of it (STYLE.md §8).
var statusOf = map[string]int{
	wellbase.EBadRequest:    http.StatusBadRequest,
	wellbase.EInvalid:       http.StatusUnprocessableEntity,
	wellbase.ETooLarge:      http.StatusRequestEntityTooLarge,
	wellbase.EUnauthorized:  http.StatusUnauthorized,
	wellbase.EForbidden:     http.StatusForbidden,
	wellbase.ESuspended:     http.StatusForbidden,
	wellbase.ENotFound:      http.StatusNotFound,
	wellbase.EConflict:      http.StatusConflict,
	wellbase.ELogProcessing: http.StatusConflict,
	wellbase.ELimitExceeded: http.StatusTooManyRequests,
	wellbase.EUnavailable:   http.StatusServiceUnavailable,
	wellbase.EInternal:      http.StatusInternalServerError,
}

// Problem is an RFC 9457 problem details object, with Wellbase's stable code and the request ID.
type Problem struct {
	Type      string `json:"type"`
	Title     string `json:"title"`
	Status    int    `json:"status"`
	Detail    string `json:"detail"`
	Code      string `json:"code"`
	Field     string `json:"field,omitempty"`
	RequestID string `json:"request_id,omitempty"`
}

// writeError answers err as application/problem+json. Internal errors are logged with their
// cause and answered with a generic message; other errors carry their user-safe message.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	code := wellbase.ErrorCode(err)
	status, ok := statusOf[code]
	if !ok {
		status = http.StatusInternalServerError
	}
	switch code {
	case wellbase.EInternal:
		s.log.ErrorContext(r.Context(), "internal error", slog.String("error", err.Error()))
	case wellbase.EUnavailable: // the user sees a safe message; the cause is for the operators
		s.log.WarnContext(r.Context(), "dependency unavailable", slog.String("error", err.Error()))
	}
	var e *wellbase.Error
	if asError(err, &e) && e.RetryAfterSeconds > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(e.RetryAfterSeconds))
	}
	p := Problem{
		Type:      "https://wellbase.dev/problems/" + code,
		Title:     http.StatusText(status),
		Status:    status,
		Detail:    wellbase.ErrorMessage(err),
		Code:      code,
		Field:     wellbase.ErrorField(err),
		RequestID: wellbase.RequestIDFromContext(r.Context()),
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(p)
}

// writeJSON answers v as JSON with status.
func writeJSON(w http.ResponseWriter, status int, v any) error {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	return json.NewEncoder(w).Encode(v)
}
