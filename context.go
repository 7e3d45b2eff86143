package wellbase

import "context"

type principalKey struct{}
type requestIDKey struct{}

// NewContextWithPrincipal returns ctx carrying the verified principal of a request.
func NewContextWithPrincipal(ctx context.Context, p *Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// PrincipalFromContext returns the request's verified principal, or nil.
func PrincipalFromContext(ctx context.Context) *Principal {
	p, _ := ctx.Value(principalKey{}).(*Principal)
	return p
}

// TenantFromContext returns the tenant ID of the request's principal, or "" for operators and
// anonymous requests.
func TenantFromContext(ctx context.Context) string {
	if p := PrincipalFromContext(ctx); p != nil {
		return p.TenantID
	}
	return ""
}

// NewContextWithRequestID returns ctx carrying the request ID.
func NewContextWithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey{}, id)
}

// RequestIDFromContext returns the request ID, or "".
func RequestIDFromContext(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

type remoteAddrKey struct{}

// NewContextWithRemoteAddr returns ctx carrying the client address of a request (an IP
// address), which audit events record as where a change came from.
func NewContextWithRemoteAddr(ctx context.Context, addr string) context.Context {
	return context.WithValue(ctx, remoteAddrKey{}, addr)
}

// RemoteAddrFromContext returns the request's client address, or "".
func RemoteAddrFromContext(ctx context.Context) string {
	a, _ := ctx.Value(remoteAddrKey{}).(string)
	return a
}
