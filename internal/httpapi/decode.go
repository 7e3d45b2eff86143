package httpapi

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/wellbase/wellbase"
)

// maxJSONBody is the largest JSON request body accepted (file uploads have their own limits).
const maxJSONBody = 1 << 20

// decode reads r's JSON body into v, refusing unknown fields, trailing data, a body over
// maxJSONBody and a Content-Type other than JSON. Errors name the field or the byte offset.
func decode(w http.ResponseWriter, r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			return wellbase.Errorf(wellbase.EBadRequest, "the body must be JSON (Content-Type: application/json), got %q", ct)
		}
	}
	if r.ContentLength > maxJSONBody {
		return tooLargeJSON()
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxJSONBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		if err != nil {
			return jsonError(err)
		}
		return wellbase.Errorf(wellbase.EBadRequest, "the body has data after its JSON value")
	}
	return nil
}

// jsonError turns an encoding/json error into a user-facing one naming the field or offset.
func jsonError(err error) error {
	var (
		syntax   *json.SyntaxError
		typ      *json.UnmarshalTypeError
		tooLarge *http.MaxBytesError
	)
	switch {
	case errors.As(err, &tooLarge):
		return tooLargeJSON()
	case errors.Is(err, io.EOF):
		return wellbase.Errorf(wellbase.EBadRequest, "the body is empty; a JSON object is expected")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return wellbase.Errorf(wellbase.EBadRequest, "the body ends in the middle of its JSON value")
	case errors.As(err, &syntax):
		return wellbase.Errorf(wellbase.EBadRequest, "the body is not valid JSON at byte %d: %s", syntax.Offset, syntax.Error())
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			return wellbase.Errorf(wellbase.EBadRequest, "the body must be a JSON object, not %s", typ.Value)
		}
		return wellbase.FieldError(wellbase.EBadRequest, field, "field %s must be %s, not %s", field, jsonType(typ.Type.Kind().String()), typ.Value)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return wellbase.FieldError(wellbase.EBadRequest, field, "unknown field %q", field)
	}
	return wellbase.Errorf(wellbase.EBadRequest, "the body cannot be read as JSON: %s", err.Error())
}

// tooLargeJSON is the error of a JSON body over maxJSONBody.
func tooLargeJSON() error {
	return wellbase.Errorf(wellbase.ETooLarge, "the body is larger than the limit of %d bytes (1 MiB)", maxJSONBody)
}

func jsonType(kind string) string {
	switch kind {
	case "string":
		return "a string"
	case "float64", "float32", "int", "int64", "int32", "uint", "uint64":
		return "a number"
	case "bool":
		return "true or false"
	case "struct", "map":
		return "an object"
	case "slice":
		return "an array"
	}
	return kind
}

// asError is errors.As for *wellbase.Error.
func asError(err error, e **wellbase.Error) bool { return errors.As(err, e) }
