package wellbase

import (
	"context"
	"log/slog"
)

// ContextLogHandler wraps h so that every record logged with a context carries the request ID
// and the tenant (or operator) of that context, as "request_id", "tenant" and "operator"
// attributes: a line logged deep in a request is then found next to the request's own line.
func ContextLogHandler(h slog.Handler) slog.Handler { return contextHandler{h} }

type contextHandler struct{ slog.Handler }

func (h contextHandler) Handle(ctx context.Context, r slog.Record) error {
	if id := RequestIDFromContext(ctx); id != "" && !hasAttr(r, "request_id") {
		r.AddAttrs(slog.String("request_id", id))
	}
	if p := PrincipalFromContext(ctx); p != nil {
		if p.Operator && !hasAttr(r, "operator") {
			r.AddAttrs(slog.String("operator", p.UserID))
		} else if p.TenantID != "" && !hasAttr(r, "tenant") {
			r.AddAttrs(slog.String("tenant", p.TenantID))
		}
	}
	return h.Handler.Handle(ctx, r)
}

func (h contextHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return contextHandler{h.Handler.WithAttrs(as)}
}

func (h contextHandler) WithGroup(name string) slog.Handler {
	return contextHandler{h.Handler.WithGroup(name)}
}

func hasAttr(r slog.Record, key string) bool {
	found := false
	r.Attrs(func(a slog.Attr) bool {
		found = a.Key == key
		return !found
	})
	return found
}
