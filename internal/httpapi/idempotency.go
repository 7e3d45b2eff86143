package httpapi

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"log/slog"
	"math"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/wellbase/wellbase"
)

// Idempotent writes (Idempotency-Key).
//
// A creating POST route (Route.Idempotent) sent with an Idempotency-Key header runs at most once
// per key in its scope (the tenant of the credential, or the platform operator): the request
// claims the key in the shared database before it runs (wellbase.IdempotencyStore), and its
// answer is kept with the key for wellbase.IdempotencyTTL. A retry with the same key and the
// same request — on any replica — gets that answer again, with Idempotent-Replayed: true, and
// creates nothing. The same key with another request is 409 idempotency_key_reused; a retry
// while the first still runs is 409 idempotency_in_progress with Retry-After. Without the header
// nothing changes.
//
// The request is identified by a keyed hash (HMAC-SHA256) of its method, path, query, content
// type and body, computed as the handler reads the body, so an upload is hashed while it streams
// and never held in memory. A multipart body is hashed without its boundary, which a client
// (a browser's FormData) picks anew for each attempt.
//
// The key of that hash and of the AES-256-GCM seal of the kept answer are derived (HKDF) from
// the request's credential: the answers of POST /api/v1/tokens and /api/v1/tenants carry a
// token shown once, and the body of POST /api/v1/users a password, so neither a kept answer nor
// a hash must be usable by someone who reads the database; only the caller that sent the request
// can replay it. A retry must therefore come with the same credential: another credential of
// the tenant with the same key is another request (409 idempotency_key_reused).
//
// What is kept: 2xx answers and 4xx answers that a retry would get again (not 408, 425 or 429);
// a 5xx, an answer cut off by the client or the shutdown, or a body not read to its end
// releases the key, so that a retry runs the request again — safe, because nothing was
// acknowledged. A process that dies mid-request (SIGKILL) leaves a claim whose lease lapses
// (idempotencyLease, renewed while the request runs), after which a retry runs it again. The
// dead run may have stored what it made before it died: so a request makes the IDs of what it
// creates from its claim's seed (wellbase.NewIDContext), which the retry's claim inherits, and
// the creating handlers (wells, logs, jobs) answer with the record that already has their ID
// instead of storing another; a production import merges anyway, and finds the wells it made.

// IdempotencyHeader is the request header of an idempotent write; ReplayedHeader marks an answer
// replayed from the first request with the same key.
const (
	IdempotencyHeader = "Idempotency-Key"
	ReplayedHeader    = "Idempotent-Replayed"
)

// DefaultIdempotencyLease is how long a claim on a key holds without renewal: a request renews
// it every third of it while it runs, so a replica that died mid-request blocks its key for at
// most this long. Short, since only a dead process lets it lapse.
const DefaultIdempotencyLease = 30 * time.Second

// maxDrainAfter is how much of a body a handler left unread is read after it (into the
// request's hash) for the answer to be kept: a body larger than that on a route that reads none
// makes the answer one that is not kept.
const maxDrainAfter = 1 << 20

// replayBodyLimit bounds what is read of a retry's body to compare it with the first request's:
// the largest upload a tenant may send, or 1 GiB.
func replayBodyLimit(t *wellbase.Tenant) int64 {
	if t != nil {
		return max(t.EffectiveLimits().UploadBytes, discardMaxBytes)
	}
	return discardMaxBytes
}

// keeps reports whether an answer of status is kept for replay: what a retry of the same
// request would get again. 408 (timeout), 425 (too early) and 429 (a limit of the moment) are
// not; nor is a 5xx.
func keeps(status int) bool {
	switch {
	case status >= 200 && status < 300:
		return true
	case status == http.StatusRequestTimeout, status == http.StatusTooEarly, status == http.StatusTooManyRequests:
		return false
	}
	return status >= 400 && status < 500
}

// idempotencyKey returns the request's Idempotency-Key and whether it has one; an invalid key,
// or several, is EBadRequest on field Idempotency-Key.
func idempotencyKey(r *http.Request) (string, bool, error) {
	vals := r.Header.Values(IdempotencyHeader)
	switch len(vals) {
	case 0:
		return "", false, nil
	case 1:
	default:
		return "", true, wellbase.FieldError(wellbase.EBadRequest, IdempotencyHeader, "send one Idempotency-Key header, not %d", len(vals))
	}
	key := strings.TrimSpace(vals[0])
	return key, true, wellbase.ValidIdempotencyKey(key)
}

// idempotencyScope is whose keys a principal's requests use: its tenant's, or a platform
// operator's own.
func idempotencyScope(p *wellbase.Principal) string {
	if p.Operator {
		return wellbase.OperatorScope(p.UserID)
	}
	return p.TenantID
}

// requestKeys are the keys of one (credential, scope, key): the HMAC key of the request's
// fingerprint and the AES-256-GCM key that seals its kept answer.
type requestKeys struct {
	mac, seal []byte
}

func deriveKeys(credential, scope, key string) (requestKeys, error) {
	salt := []byte(scope + "\x00" + key)
	mac, err := hkdf.Key(sha256.New, []byte(credential), salt, "wellbase idempotency fingerprint v1", 32)
	if err != nil {
		return requestKeys{}, err
	}
	seal, err := hkdf.Key(sha256.New, []byte(credential), salt, "wellbase idempotency answer v1", 32)
	return requestKeys{mac: mac, seal: seal}, err
}

func (k requestKeys) aead() (cipher.AEAD, error) {
	b, err := aes.NewCipher(k.seal)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(b)
}

// sealAnswer encrypts body; aad binds it to its status. Output: nonce ‖ ciphertext ‖ tag.
func (k requestKeys) sealAnswer(body []byte, aad []byte) ([]byte, error) {
	g, err := k.aead()
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, g.NonceSize(), g.NonceSize()+len(body)+g.Overhead())
	rand.Read(nonce)
	return g.Seal(nonce, nonce, body, aad), nil
}

func (k requestKeys) openAnswer(sealed []byte, aad []byte) ([]byte, error) {
	g, err := k.aead()
	if err != nil {
		return nil, err
	}
	if len(sealed) < g.NonceSize() {
		return nil, errors.New("sealed answer too short")
	}
	return g.Open(nil, sealed[:g.NonceSize()], sealed[g.NonceSize():], aad)
}

// answerAAD is the additional data of a sealed answer: its status and headers.
func answerAAD(status int, contentType, location string) []byte {
	return []byte(itoa(status) + "\x00" + contentType + "\x00" + location)
}

// fingerprint hashes a request as its body is read: Write the body's bytes, then Sum.
type fingerprint struct {
	mac  hash.Hash
	body io.Writer // mac, or a boundaryStripper in front of it
}

// newFingerprint starts the fingerprint of r: its method, path, query (keys sorted) and content
// type (multipart without its boundary), each followed by a NUL.
func newFingerprint(r *http.Request, k requestKeys) *fingerprint {
	f := &fingerprint{mac: hmac.New(sha256.New, k.mac)}
	f.body = f.mac
	ct := r.Header.Get("Content-Type")
	if mt, params, err := mime.ParseMediaType(ct); err == nil {
		if b := params["boundary"]; strings.HasPrefix(mt, "multipart/") && b != "" {
			delete(params, "boundary")
			f.body = &boundaryStripper{w: f.mac, boundary: []byte("--" + b)}
		}
		ct = mime.FormatMediaType(mt, params)
	}
	for _, s := range []string{r.Method, r.URL.EscapedPath(), r.URL.Query().Encode(), ct} {
		io.WriteString(f.mac, s)
		f.mac.Write([]byte{0})
	}
	return f
}

func (f *fingerprint) Write(p []byte) (int, error) { return f.body.Write(p) }

// Sum returns the fingerprint, hex-encoded, once the whole body was written.
func (f *fingerprint) Sum() string {
	if s, ok := f.body.(*boundaryStripper); ok {
		s.flush()
	}
	return hex.EncodeToString(f.mac.Sum(nil))
}

// boundaryStripper writes what it is given to w without the occurrences of boundary, however
// the writes cut it: it holds back the last len(boundary)-1 bytes until it knows they do not
// begin one.
type boundaryStripper struct {
	w        io.Writer
	boundary []byte
	pending  []byte
}

func (s *boundaryStripper) Write(p []byte) (int, error) {
	s.pending = append(s.pending, p...)
	for {
		i := bytes.Index(s.pending, s.boundary)
		if i < 0 {
			break
		}
		s.w.Write(s.pending[:i])
		s.pending = s.pending[i+len(s.boundary):]
	}
	if keep := len(s.boundary) - 1; len(s.pending) > keep {
		s.w.Write(s.pending[:len(s.pending)-keep])
		s.pending = append(s.pending[:0], s.pending[len(s.pending)-keep:]...)
	}
	return len(p), nil
}

func (s *boundaryStripper) flush() {
	s.w.Write(s.pending)
	s.pending = nil
}

// hashedBody passes a request body through to its reader and its bytes to a fingerprint, and
// remembers whether it was read to its end.
type hashedBody struct {
	io.ReadCloser
	fp  *fingerprint
	eof bool
}

func (b *hashedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.fp.Write(p[:n])
	if err == io.EOF {
		b.eof = true
	}
	return n, err
}

// hashBody makes r's body feed fp as it is read, under the trackedBody wrap put there (so
// writeError still finds it), and returns the reader that reports whether it reached the end.
func hashBody(r *http.Request, fp *fingerprint) *hashedBody {
	tb, ok := r.Body.(*trackedBody)
	if !ok { // no body (http.NoBody): an empty one
		return &hashedBody{ReadCloser: http.NoBody, fp: fp, eof: true}
	}
	hb := &hashedBody{ReadCloser: tb.ReadCloser, fp: fp, eof: tb.eof}
	tb.ReadCloser = hb
	return hb
}

// answerBuffer holds a handler's answer until the request's record is completed, so that a
// retry that comes as soon as the client has the answer finds the record done. Headers go to
// the real writer's map at once; status and body wait for send. An answer over
// wellbase.MaxIdempotencyBody is sent as it comes and not kept. Flushes wait too (writeError
// flushes before it discards an unread body: the body is then read before the answer is sent,
// which a client sending its whole body first accepts as well).
type answerBuffer struct {
	w      http.ResponseWriter
	status int
	buf    bytes.Buffer
	// passthrough: the answer outgrew the buffer and went out; it is not kept.
	passthrough bool
}

func (a *answerBuffer) Header() http.Header { return a.w.Header() }

func (a *answerBuffer) WriteHeader(code int) {
	if code < 200 { // informational answers go out as they are
		a.w.WriteHeader(code)
		return
	}
	if a.status == 0 {
		a.status = code
	}
}

func (a *answerBuffer) Write(p []byte) (int, error) {
	if a.status == 0 {
		a.status = http.StatusOK
	}
	if a.passthrough {
		return a.w.Write(p)
	}
	if a.buf.Len()+len(p) > wellbase.MaxIdempotencyBody {
		a.passthrough = true
		if err := a.send(); err != nil {
			return 0, err
		}
		return a.w.Write(p)
	}
	return a.buf.Write(p)
}

// FlushError flushes an answer that passes through; a buffered one waits for send.
func (a *answerBuffer) FlushError() error {
	if a.passthrough {
		return http.NewResponseController(a.w).Flush()
	}
	return nil
}

func (a *answerBuffer) Unwrap() http.ResponseWriter { return a.w }

// send writes the buffered status and body to the real writer.
func (a *answerBuffer) send() error {
	if a.status == 0 {
		a.status = http.StatusOK
	}
	a.w.WriteHeader(a.status)
	_, err := a.w.Write(a.buf.Bytes())
	a.buf.Reset()
	return err
}

// serveIdempotent serves r on route rt, which takes an Idempotency-Key, with key in the
// principal's scope: it claims the key, or answers from the record that holds it.
func (s *Server) serveIdempotent(w http.ResponseWriter, r *http.Request, rt Route, key string) {
	p := wellbase.PrincipalFromContext(r.Context())
	scope := idempotencyScope(p)
	token, _ := credential(r)
	keys, err := deriveKeys(token, scope, key)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	fp := newFingerprint(r, keys)
	now := s.now()
	claim := &wellbase.IdempotencyRecord{Scope: scope, Key: key, Owner: wellbase.NewID("idm"),
		CreatedAt: now, LeaseUntil: now.Add(s.idemLease), ExpiresAt: now.Add(wellbase.IdempotencyTTL), Seed: wellbase.NewID("ids")}
	held, err := s.store.ClaimIdempotencyKey(r.Context(), claim, now)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if held != nil {
		s.answerHeld(w, r, held, keys, fp, now)
		return
	}
	s.runClaimed(w, r, rt, claim, keys, fp)
}

// answerHeld answers a request whose key another request holds: 409 idempotency_in_progress
// while it runs; when it is done, the kept answer if this request is the same (its body is read
// to know), else 409 idempotency_key_reused.
func (s *Server) answerHeld(w http.ResponseWriter, r *http.Request, held *wellbase.IdempotencyRecord, keys requestKeys, fp *fingerprint, now time.Time) {
	if held.State != wellbase.IdempotencyDone {
		wait := int(math.Ceil(held.LeaseUntil.Sub(now).Seconds()))
		s.writeError(w, r, &wellbase.Error{Code: wellbase.EIdempotencyInProgress, Field: IdempotencyHeader, RetryAfterSeconds: min(max(wait, 1), 5),
			Message: "a request with this Idempotency-Key is still running; retry after Retry-After to get its answer"})
		return
	}
	hb := hashBody(r, fp)
	if !hb.eof {
		n, err := io.Copy(io.Discard, io.LimitReader(r.Body, replayBodyLimit(requestTenant(r))+1))
		if err != nil && !hb.eof {
			s.log.InfoContext(r.Context(), "retry's body cut off", slog.Int64("read", n), slog.String("error", err.Error()))
			return // the client went away; nothing to answer
		}
	}
	if !hb.eof || !hmac.Equal([]byte(fp.Sum()), []byte(held.Fingerprint)) {
		s.writeError(w, r, wellbase.FieldError(wellbase.EIdempotencyKeyReused, IdempotencyHeader,
			"this Idempotency-Key was used for another request (a different method, path, query, body or credential) in the last %d hours; use a new key for a new request",
			int(wellbase.IdempotencyTTL.Hours())))
		return
	}
	body, err := keys.openAnswer(held.Body, answerAAD(held.Status, held.ContentType, held.Location))
	if err != nil {
		s.writeError(w, r, fmt.Errorf("open the kept answer of Idempotency-Key %q: %w", held.Key, err))
		return
	}
	h := w.Header()
	if held.ContentType != "" {
		h.Set("Content-Type", held.ContentType)
	}
	if held.Location != "" {
		h.Set("Location", held.Location)
	}
	h.Set("Cache-Control", "no-store")
	h.Set(ReplayedHeader, "true")
	w.WriteHeader(held.Status)
	w.Write(body)
}

// runClaimed runs the request whose key it holds, renewing the claim while it runs, then keeps
// its answer or releases the key (see keeps), then sends the answer.
func (s *Server) runClaimed(w http.ResponseWriter, r *http.Request, rt Route, claim *wellbase.IdempotencyRecord, keys requestKeys, fp *fingerprint) {
	hb := hashBody(r, fp)
	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	stopRenew := s.renewClaim(ctx, cancel, claim)
	ans := &answerBuffer{w: w}
	settled := false
	defer func() {
		if !settled { // a panic: the deferred recovery of wrap answers; the key is released
			stopRenew()
			s.releaseClaim(r, claim)
		}
	}()
	// The handler makes its IDs from the claim's seed: if a replica died running this request
	// (after storing what it made, before answering), this run makes the same IDs and finds
	// that instead of making it again (wellbase.WithIDSeed).
	hr := r.WithContext(wellbase.WithIDSeed(ctx, claim.Seed))
	if err := rt.handle(ans, hr); err != nil {
		s.writeError(ans, hr, err)
	}
	stopRenew()
	if !hb.eof && ctx.Err() == nil {
		io.Copy(io.Discard, io.LimitReader(r.Body, maxDrainAfter))
	}
	settled = true
	switch {
	case ans.passthrough:
		s.log.WarnContext(r.Context(), "answer too large to keep for Idempotency-Key replay; key released", slog.Int("max_bytes", wellbase.MaxIdempotencyBody))
		s.releaseClaim(r, claim)
		return
	case ctx.Err() != nil || !hb.eof || !keeps(ans.status):
		s.releaseClaim(r, claim)
	default:
		s.completeClaim(r, claim, keys, fp, ans)
	}
	ans.send()
}

// completeClaim keeps the answer in the record. If that fails the answer still goes out (the
// work is done); the claim's lease then lapses and a retry would run the request again, which
// is logged.
func (s *Server) completeClaim(r *http.Request, claim *wellbase.IdempotencyRecord, keys requestKeys, fp *fingerprint, ans *answerBuffer) {
	done := *claim
	done.State = wellbase.IdempotencyDone
	done.Fingerprint = fp.Sum()
	done.Status = ans.status
	done.ContentType = ans.Header().Get("Content-Type")
	done.Location = ans.Header().Get("Location")
	sealed, err := keys.sealAnswer(ans.buf.Bytes(), answerAAD(done.Status, done.ContentType, done.Location))
	if err == nil {
		done.Body = sealed
		ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), 10*time.Second)
		defer cancel()
		err = s.store.CompleteIdempotencyKey(ctx, &done)
	}
	if err != nil {
		s.log.ErrorContext(r.Context(), "keep the answer of an Idempotency-Key request", slog.String("error", err.Error()))
	}
}

// releaseClaim deletes the claim so that a retry runs the request again.
func (s *Server) releaseClaim(r *http.Request, claim *wellbase.IdempotencyRecord) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), 10*time.Second)
	defer cancel()
	if err := s.store.ReleaseIdempotencyKey(ctx, claim.Scope, claim.Key, claim.Owner); err != nil {
		s.log.WarnContext(r.Context(), "release an Idempotency-Key claim (it lapses by itself)", slog.String("error", err.Error()))
	}
}

// renewClaim renews claim's lease every third of it until the returned stop is called (which
// waits for a renewal under way). A claim lost to another request (its lease lapsed, say while
// the database was unreachable) cancels the request through cancel: two runs of one request
// must not both finish.
func (s *Server) renewClaim(ctx context.Context, cancel context.CancelFunc, claim *wellbase.IdempotencyRecord) (stop func()) {
	quit := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(s.idemLease / 3)
		defer t.Stop()
		for {
			select {
			case <-quit:
				return
			case <-ctx.Done():
				return
			case <-t.C:
			}
			rctx, rcancel := context.WithTimeout(context.WithoutCancel(ctx), s.idemLease/3)
			err := s.store.RenewIdempotencyKey(rctx, claim.Scope, claim.Key, claim.Owner, s.now().Add(s.idemLease))
			rcancel()
			switch {
			case wellbase.ErrorCode(err) == wellbase.EConflict:
				s.log.WarnContext(ctx, "Idempotency-Key claim lost to another request; this one is cancelled", slog.String("error", err.Error()))
				cancel()
				return
			case err != nil:
				s.log.WarnContext(ctx, "renew an Idempotency-Key claim", slog.String("error", err.Error()))
			}
		}
	}()
	return func() {
		select {
		case <-quit:
		default:
			close(quit)
		}
		<-done
	}
}

// madeBefore returns what a run of the same request that died before it answered stored with
// the ID this run derived from its seed (see WithIDSeed), when create failed with EConflict
// under a seeded context and get finds it; nil otherwise.
func madeBefore[T any](r *http.Request, createErr error, get func() (*T, error)) *T {
	if wellbase.ErrorCode(createErr) != wellbase.EConflict || !wellbase.SeededID(r.Context()) {
		return nil
	}
	v, err := get()
	if err != nil {
		return nil
	}
	return v
}

// keyReusedAfterDeath is the error of a request whose derived ID names a record another request
// with the same Idempotency-Key made before its replica died: the key was reused for another
// request.
func keyReusedAfterDeath() error {
	return wellbase.FieldError(wellbase.EIdempotencyKeyReused, IdempotencyHeader,
		"this Idempotency-Key was used for another request whose replica stopped before answering; use a new key for a new request")
}
