package wellbase

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"testing"
)

func TestContextLogHandler(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	log := slog.New(ContextLogHandler(slog.NewJSONHandler(&buf, nil)))
	ctx := NewContextWithRequestID(context.Background(), "req-1")
	ctx = NewContextWithPrincipal(ctx, &Principal{TenantID: "acme", UserID: "usr_1"})
	log.WarnContext(ctx, "log upload rejected", "file", "x.las")
	var line map[string]any
	if err := json.Unmarshal(buf.Bytes(), &line); err != nil {
		t.Fatal(err)
	}
	if line["request_id"] != "req-1" || line["tenant"] != "acme" || line["file"] != "x.las" {
		t.Errorf("log line %v lacks the context's request ID and tenant", line)
	}
	buf.Reset()
	log.Info("no context")
	if bytes.Contains(buf.Bytes(), []byte("request_id")) {
		t.Errorf("a record without context got a request ID: %s", buf.Bytes())
	}
}
