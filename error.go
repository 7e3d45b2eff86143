package wellbase

import (
	"errors"
	"fmt"
)

// Error codes. They are part of the API: clients match on them, so they never change meaning.
// The HTTP status each maps to is set in one table in internal/httpapi.
const (
	EBadRequest    = "bad_request"      // the request itself is malformed (JSON syntax, unknown field, wrong type): 400
	EInvalid       = "invalid"          // a value fails validation (tenant ID, email, range): 422
	ETooLarge      = "too_large"        // a body or file exceeds a size limit: 413
	EUnauthorized  = "unauthorized"     // no credential, or one that is unknown, expired or revoked: 401
	EForbidden     = "forbidden"        // the credential is valid but its role may not do this: 403
	ESuspended     = "tenant_suspended" // the credential's tenant is suspended: 403
	ENotFound      = "not_found"        // no such resource in the caller's tenant: 404
	EConflict      = "conflict"         // the resource already exists or changed meanwhile: 409
	ELogProcessing = "log_processing"   // the log's file is still being parsed; retry after Retry-After: 409
	ELimitExceeded = "limit_exceeded"   // a tenant limit (rate, storage, users) is reached: 429
	EUnavailable   = "unavailable"      // a dependency (database, file store) cannot be reached: 503
	EInternal      = "internal"         // anything else; the cause is logged, never shown: 500

	EIdempotencyInProgress = "idempotency_in_progress" // a request with the same Idempotency-Key still runs; retry after Retry-After: 409
	EIdempotencyKeyReused  = "idempotency_key_reused"  // the Idempotency-Key was used for another request (method, path, query, body, credential): 409
)

// Error is the one error type that crosses package boundaries with a meaning for users.
// Message is safe to show to the caller; Field names the offending input field, if any.
type Error struct {
	Code    string
	Message string
	Field   string
	// RetryAfterSeconds says when the caller may try again (0: unknown): for ELimitExceeded, for
	// ELogProcessing, and for EConflict when another request is busy with the same resource (an
	// onboarding in progress).
	RetryAfterSeconds int
}

func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("wellbase error: code=%s field=%s message=%s", e.Code, e.Field, e.Message)
	}
	return fmt.Sprintf("wellbase error: code=%s message=%s", e.Code, e.Message)
}

// Errorf returns an *Error with code and a formatted, user-safe message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// FieldError returns an *Error with code about the named input field.
func FieldError(code, field, format string, args ...any) *Error {
	return &Error{Code: code, Field: field, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, "" for nil and EInternal for any
// other error.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EInternal
}

// ErrorMessage returns the user-safe message of err: the *Error's message, or a generic text for
// internal errors so that causes never reach users.
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}

// ErrorField returns the input field named by err, if any.
func ErrorField(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}

// Unavailable returns an EUnavailable error for a dependency that could not be reached: users
// see only msg (ErrorMessage), while its Error text, which logs show, is cause's, and errors.Is
// and errors.As find both the *Error and the cause.
func Unavailable(msg string, cause error) error {
	return &causedError{err: Errorf(EUnavailable, "%s", msg), cause: cause}
}

// causedError is an *Error for users that keeps the error behind it for operators.
type causedError struct {
	err   *Error
	cause error
}

func (e *causedError) Error() string   { return e.cause.Error() }
func (e *causedError) Unwrap() []error { return []error{e.err, e.cause} }
