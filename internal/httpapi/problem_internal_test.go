package httpapi

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestErrorAfterAnswerBegan: an error once the status line is out writes no second status
// (no "superfluous response.WriteHeader") and no problem body into the answer.
func TestErrorAfterAnswerBegan(t *testing.T) {
	s := New(Config{})
	rr := httptest.NewRecorder()
	rec := &statusRecorder{ResponseWriter: &countingWriter{ResponseWriter: rr}}
	rec.Header().Set("Content-Type", "application/json")
	rec.WriteHeader(http.StatusOK)
	rec.Write([]byte(`{"index":[1,2`))
	r := httptest.NewRequest("GET", "/api/v1/logs/log_x/curves/GR", nil)
	s.writeError(rec, r, errors.New("the file store failed mid-answer"))
	cw := rec.ResponseWriter.(*countingWriter)
	if cw.headers != 1 || rr.Code != http.StatusOK {
		t.Errorf("%d status lines written, code %d", cw.headers, rr.Code)
	}
	if got := rr.Body.String(); got != `{"index":[1,2` {
		t.Errorf("body %q: a problem was appended", got)
	}
}

type countingWriter struct {
	http.ResponseWriter
	headers int
}

func (w *countingWriter) WriteHeader(code int) {
	w.headers++
	w.ResponseWriter.WriteHeader(code)
}
