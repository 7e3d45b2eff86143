package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"time"

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

	wellbase.EIdempotencyInProgress: http.StatusConflict,
	wellbase.EIdempotencyKeyReused:  http.StatusConflict,

	wellbase.ELimitExceeded: http.StatusTooManyRequests,
	wellbase.EUnavailable:   http.StatusServiceUnavailable,
	wellbase.EInternal:      http.StatusInternalServerError,
}

// ErrServerStopping is the cause the server gives the requests it cancels when the shutdown
// grace ends (context.WithCancelCause on the http.Server's BaseContext), so that they are told
// from requests whose client went away.
var ErrServerStopping = errors.New("the server is stopping")

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
//
// An error of a cancelled request is no fault of the server's. When its client went away (the
// request's context cancelled by net/http, cause context.Canceled) it is logged and counted as
// 499 client closed request; when the server stopped it (ErrServerStopping: the shutdown grace
// ended) it is 503 unavailable with Retry-After, logged at info, and the client retries on
// another replica. If the answer's status line went out already (a body being streamed), no
// second status is written: the error is logged and the connection ends with what was sent.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	st := stateOf(r)
	cancelled := r.Context().Err() != nil && errors.Is(err, context.Canceled) && wellbase.ErrorCode(err) == wellbase.EInternal
	if cancelled && !errors.Is(context.Cause(r.Context()), ErrServerStopping) {
		st.clientGone = true
	}
	if hw, ok := w.(interface{ headerWritten() bool }); ok && hw.headerWritten() {
		switch {
		case cancelled:
		case r.Context().Err() != nil:
			st.clientGone = !errors.Is(context.Cause(r.Context()), ErrServerStopping)
		case errors.Is(err, syscall.EPIPE) || errors.Is(err, syscall.ECONNRESET):
			st.clientGone = true // the write failed: the client closed the connection
		default:
			s.log.ErrorContext(r.Context(), "error after the answer began; the answer is cut short", slog.String("error", err.Error()))
		}
		return
	}
	if cancelled {
		s.log.InfoContext(r.Context(), "request cancelled before it ended", slog.String("error", err.Error()),
			slog.Bool("client_gone", st.clientGone))
		err = &wellbase.Error{Code: wellbase.EUnavailable, RetryAfterSeconds: 1,
			Message: "the request was cancelled before it ended (the server is stopping, or the connection closed); retry"}
	} else if errors.Is(err, errShed) {
		st.shed = true
	} else {
		switch wellbase.ErrorCode(err) {
		case wellbase.EInternal:
			s.log.ErrorContext(r.Context(), "internal error", slog.String("error", err.Error()))
		case wellbase.EUnavailable: // the user sees a safe message; the cause is for the operators
			s.log.WarnContext(r.Context(), "dependency unavailable", slog.String("error", err.Error()))
		}
	}
	code := wellbase.ErrorCode(err)
	status, ok := statusOf[code]
	if !ok {
		status = http.StatusInternalServerError
	}
	var e *wellbase.Error
	if asError(err, &e) && e.RetryAfterSeconds > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(e.RetryAfterSeconds))
	}
	if isPage(r) {
		s.pages.WriteError(w, r, status, err)
		return
	}
	// An error may be answered before the request's body is read (401, 413 on Content-Length,
	// 422 on line 5 of a large file). A client that sends its whole body before it reads the
	// answer would then see the connection reset instead of the answer (net/http closes a
	// connection with unread body behind it, and the unread bytes make the close a TCP reset).
	// So the answer goes out first, then the rest of the body is read and discarded, within
	// bounds, and the connection is closed.
	unread := unreadBody(r)
	if unread {
		_ = http.NewResponseController(w).EnableFullDuplex() // read after writing (HTTP/1)
		w.Header().Set("Connection", "close")
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
	if unread {
		discardBody(w, r)
	}
}

// Bounds of discardBody: a client still sending after these gets its connection closed.
const (
	discardMaxBytes = 1 << 30
	discardMaxTime  = 30 * time.Second
)

// trackedBody is a request's body that remembers how much of it was read, and whether to its
// end.
type trackedBody struct {
	io.ReadCloser
	n   int64
	eof bool
}

func (b *trackedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.n += int64(n)
	if err == io.EOF {
		b.eof = true
	}
	return n, err
}

// unreadBody reports whether r has a body not read to its end that the client is sending. A
// client that asked "Expect: 100-continue" and was answered before any of its body was read
// (so before net/http sent it 100 Continue) sends none.
func unreadBody(r *http.Request) bool {
	b, ok := r.Body.(*trackedBody)
	if !ok || b.eof || r.ContentLength == 0 {
		return false
	}
	return b.n > 0 || !strings.EqualFold(r.Header.Get("Expect"), "100-continue")
}

// discardBody flushes the answer written to w, then reads and discards what is left of r's
// body, up to discardMaxBytes and for discardMaxTime at most, so that the client, once its
// body is sent, reads the answer instead of a reset.
func discardBody(w http.ResponseWriter, r *http.Request) {
	rc := http.NewResponseController(w)
	if rc.Flush() != nil {
		return
	}
	_ = rc.SetReadDeadline(time.Now().Add(discardMaxTime))
	_, _ = io.CopyN(io.Discard, r.Body, discardMaxBytes)
}

// writeJSON answers v as JSON with status.
func writeJSON(w http.ResponseWriter, status int, v any) error {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	return json.NewEncoder(w).Encode(v)
}
