package httpapi

import (
	"net/http"
	"regexp"
	"strings"
)

// Version is the API version reported in the OpenAPI document.
const Version = "1.0.0"

type obj = map[string]any

func str(desc string) obj  { return obj{"type": "string", "description": desc} }
func num(desc string) obj  { return obj{"type": "number", "description": desc} }
func intg(desc string) obj { return obj{"type": "integer", "description": desc} }
func ref(name string) obj  { return obj{"$ref": "#/components/schemas/" + name} }
func dt(desc string) obj   { return obj{"type": "string", "format": "date-time", "description": desc} }
func listOf(item string) obj {
	return obj{"type": "object", "required": []string{"items"}, "properties": obj{
		"items": obj{"type": "array", "items": ref(item)}, "next_cursor": str("cursor of the next page; absent on the last page")}}
}
func object(required []string, props obj) obj {
	o := obj{"type": "object", "properties": props, "additionalProperties": false}
	if len(required) > 0 {
		o["required"] = required
	}
	return o
}

// schemas are the OpenAPI components; route Request and Response fields name them.
var schemas = obj{
	"Problem": obj{"type": "object", "description": "RFC 9457 problem details", "properties": obj{
		"type": str("URI of the problem type"), "title": str("HTTP status text"), "status": intg("HTTP status"),
		"detail": str("what went wrong, for people"), "code": obj{"type": "string", "enum": []string{
			"bad_request", "invalid", "too_large", "unauthorized", "forbidden", "tenant_suspended", "not_found", "conflict", "log_processing", "idempotency_in_progress", "idempotency_key_reused", "limit_exceeded", "unavailable", "internal"}},
		"field": str("the input field at fault"), "request_id": str("the request's ID, as in the logs")}},
	"Health": obj{"type": "object", "properties": obj{"status": str("ok or ready"), "database": str("ok")}},
	"Limits": obj{"type": "object", "properties": obj{
		"requests_per_second": num("sustained API request rate"), "burst": intg("requests allowed at once"),
		"storage_bytes": intg("stored file bytes"), "max_users": intg("users"), "concurrent_jobs": intg("jobs at once"),
		"upload_bytes": intg("bytes of one uploaded file")}},
	"Tenant": obj{"type": "object", "properties": obj{
		"id": str("slug: 3-40 of [a-z0-9-]"), "name": str(""), "tier": obj{"type": "string", "enum": []string{"basic", "standard", "premium"}},
		"status": obj{"type": "string", "enum": []string{"provisioning", "active", "suspended"}}, "admin_email": str(""),
		"limits": ref("Limits"), "settings": obj{"type": "object"}, "onboarding": obj{"type": "array", "items": obj{"type": "object"}},
		"created_at": dt(""), "updated_at": dt("")}},
	"TenantView": obj{"allOf": []any{ref("Tenant"), obj{"type": "object", "properties": obj{"effective_limits": ref("Limits")}}}},
	"TenantList": listOf("TenantView"),
	"OnboardRequest": object([]string{"id", "name", "admin_email"}, obj{
		"id": str("tenant slug"), "name": str("display name"), "tier": obj{"type": "string", "enum": []string{"basic", "standard", "premium"}, "default": "standard"},
		"admin_email": obj{"type": "string", "format": "email"}}),
	"OnboardResult": obj{"type": "object", "properties": obj{
		"tenant": ref("TenantView"), "admin_token": str("the first owner's API token, shown once"),
		"onboarding": obj{"type": "object", "properties": obj{"duration_ms": num("whole saga"), "resumed": obj{"type": "boolean"},
			"steps": obj{"type": "array", "items": obj{"type": "object", "properties": obj{"name": str(""), "duration_ms": num(""), "status": str("done or already_done")}}}}}}},
	"TenantPatch": object(nil, obj{"name": str(""), "tier": obj{"type": "string", "enum": []string{"basic", "standard", "premium"}},
		"limits": obj{"allOf": []any{ref("Limits")}, "description": "overrides merged into the tenant's; omitted fields keep theirs"}}),
	"LoginRequest": object([]string{"tenant", "email", "password"}, obj{"tenant": str(""), "email": str(""), "password": obj{"type": "string", "format": "password"}}),
	"Session":      obj{"type": "object", "properties": obj{"token": str("session token; also set as the HttpOnly cookie wellbase_session"), "expires_at": dt(""), "tenant": str(""), "user": ref("User")}},
	"Me":           obj{"type": "object", "properties": obj{"tenant": obj{"type": "object"}, "user": ref("User"), "role": str(""), "credential": obj{"type": "object"}}},
	"User": obj{"type": "object", "properties": obj{"id": str(""), "tenant": str(""), "email": str(""),
		"role": obj{"type": "string", "enum": []string{"owner", "admin", "engineer", "viewer"}}, "created_at": dt("")}},
	"UserCreate": object([]string{"email", "role"}, obj{"email": obj{"type": "string", "format": "email"},
		"role":     obj{"type": "string", "enum": []string{"owner", "admin", "engineer", "viewer"}},
		"password": obj{"type": "string", "format": "password", "minLength": 12, "description": "optional: without it the user signs in with tokens only"}}),
	"UserList": listOf("User"),
	"Token": obj{"type": "object", "properties": obj{"id": str(""), "kind": str("api"), "tenant": str(""), "user_id": str(""), "name": str(""),
		"prefix": str("first characters of the token"), "created_at": dt(""), "expires_at": dt(""), "revoked_at": dt("")}},
	"TokenCreate":  object([]string{"name"}, obj{"name": str(""), "expires_in_days": obj{"type": "integer", "minimum": 1, "maximum": 365, "default": 90}}),
	"TokenCreated": obj{"allOf": []any{ref("Token"), obj{"type": "object", "properties": obj{"token": str("the secret, shown only in this answer")}}}},
	"TokenList":    listOf("Token"),
	"Well": obj{"type": "object", "properties": obj{"id": str(""), "tenant": str(""), "name": str(""), "uwi": str("Unique Well Identifier / API number"),
		"field": str(""), "operator": str("operating company"), "latitude": num("degrees, WGS 84"), "longitude": num("degrees, WGS 84"),
		"created_at": dt(""), "updated_at": dt("")}},
	"WellCreate": object([]string{"name"}, obj{"name": str(""), "uwi": str(""), "field": str(""), "operator": str(""),
		"latitude": obj{"type": "number", "minimum": -90, "maximum": 90}, "longitude": obj{"type": "number", "minimum": -180, "maximum": 180}}),
	"WellPatch": object(nil, obj{"name": str(""), "uwi": str(""), "field": str(""), "operator": str(""),
		"latitude": obj{"type": "number", "minimum": -90, "maximum": 90}, "longitude": obj{"type": "number", "minimum": -180, "maximum": 180}}),
	"WellList": listOf("Well"),
	"AuditEvent": obj{"type": "object", "properties": obj{"id": str(""), "tenant": str(""), "time": dt(""), "actor": str("user:<id>, operator:<id> or anonymous"),
		"action": str("<resource>.<verb>"), "target": str("ID of the resource changed"), "request_id": str(""), "remote_addr": str(""), "details": obj{"type": "object"}}},
	"AuditList":   listOf("AuditEvent"),
	"KeyRotation": obj{"type": "object", "properties": obj{"tenant": str(""), "new_version": intg("the data key version new writes use"), "job": ref("Job")}},
	"DeletionCertificate": obj{"type": "object", "properties": obj{"tenant": str(""), "name": str(""), "tier": str(""),
		"deleted_at": dt(""), "deleted_by": str("operator:<id>"), "request_id": str(""),
		"data_keys_destroyed": obj{"type": "array", "items": obj{"type": "object", "properties": obj{"id": str("<tenant>/data-key/v<n>"),
			"version": intg(""), "created_at": dt(""), "wrapped_sha256": str("fingerprint of the destroyed wrapped key"), "root_key": str("")}}},
		"objects_deleted": intg("files deleted"), "bytes_deleted": intg(""), "records_deleted": obj{"type": "object", "additionalProperties": obj{"type": "integer"}},
		"audit_event_id": str("the control-plane audit event holding this certificate")}},
	"Curve": obj{"type": "object", "properties": obj{"mnemonic": str(""), "unit": str(""), "description": str(""),
		"kind": obj{"type": "string", "enum": []string{"number", "text"}}, "count": intg("non-null samples"),
		"min": num(""), "max": num(""), "mean": num("")}},
	"WellLog": obj{"type": "object", "properties": obj{"id": str(""), "tenant": str(""), "well_id": str(""), "file_name": str(""),
		"status": obj{"type": "string", "enum": []string{"ready", "processing", "failed"}}, "error": str(""),
		"version": str("LAS version: 1.2, 2.0 or 3.0"), "wrap": obj{"type": "boolean"}, "null": num("the file's NULL value"),
		"encoding": str("character encoding the file was read as (UTF-8, Windows-1252, Windows-1251, IBM866, …), detected or as given by ?encoding="), "well": obj{"type": "object", "additionalProperties": obj{"type": "string"}, "description": "~W items by mnemonic"},
		"index": obj{"type": "object", "properties": obj{"mnemonic": str(""), "unit": str(""), "start": num(""), "stop": num(""), "step": num("regular step from the data; 0 if irregular")}},
		"rows":  intg(""), "curves": obj{"type": "array", "items": ref("Curve")},
		"warnings":   obj{"type": "array", "items": obj{"type": "object", "properties": obj{"line": intg(""), "message": str("")}}},
		"size_bytes": intg("uploaded file"), "stored_bytes": intg("encrypted original and columnar curves"), "key_version": intg(""), "created_at": dt("")}},
	"LogList":   listOf("WellLog"),
	"JobCreate": object([]string{"type"}, obj{"type": str("job type, e.g. decline-fit or petrophysics"), "params": obj{"type": "object"}}),
	"Job": obj{"type": "object", "properties": obj{"id": str(""), "tenant": str(""), "type": str(""), "params": obj{"type": "object"},
		"status":   obj{"type": "string", "enum": []string{"queued", "running", "succeeded", "failed", "cancelled"}},
		"attempts": intg(""), "max_attempts": intg(""), "progress": num("0 to 1"), "result": obj{"type": "object"}, "error": str(""),
		"run_at": dt("not before"), "lease_owner": str(""), "lease_until": dt(""), "cancel_requested": obj{"type": "boolean"},
		"created_by": str(""), "created_at": dt(""), "updated_at": dt(""), "finished_at": dt("")}},
	"JobList": listOf("Job"),
	"Forecast": obj{"type": "object", "properties": obj{"id": str(""), "well_id": str(""), "job_id": str(""), "phase": str(""), "unit": str("volume unit; rates per day"),
		"model": str(""), "qi": num("rate at start_date, per day"), "di_nominal_per_day": num(""), "di_effective_per_year": num("fraction per year"),
		"di_convention": str("secant or tangent"), "b": num(""), "dlim_nominal_per_day": num(""),
		"fit":        obj{"type": "object", "properties": obj{"rmse_log": num(""), "r2": num(""), "points_used": intg(""), "points_dropped": intg("")}},
		"start_date": dt(""), "abandonment_rate": num(""), "horizon_years": num(""), "cumulative_to_date": num(""), "eur": num(""), "remaining": num(""),
		"history": obj{"type": "array", "items": obj{"type": "object", "properties": obj{"date": str(""), "rate": num("")}}},
		"series":  obj{"type": "array", "items": obj{"type": "object", "properties": obj{"date": str(""), "rate": num("")}}},
		"notes":   obj{"type": "array", "items": obj{"type": "string"}}, "created_at": dt("")}},
	"ProductionImport": obj{"type": "object", "properties": obj{"import_id": str(""), "format": str("csv or xlsx"),
		"rows_read": intg(""), "rows_stored": intg(""), "wells": obj{"type": "array", "items": obj{"type": "object"}},
		"issues": obj{"type": "array", "items": obj{"type": "object", "properties": obj{"sheet": str(""), "row": intg("1-based, as a spreadsheet shows it"), "column": str(""), "kind": str(""), "message": str("")}}}}},
	"ProductionSeries": obj{"type": "object", "properties": obj{"well": str(""), "well_name": str(""), "period": str("day or month"), "phase": str(""), "unit": str("volume unit, e.g. Sm3"),
		"points": obj{"type": "array", "items": obj{"type": "object", "properties": obj{"date": str("YYYY-MM-DD"), "volume": obj{"type": "number", "nullable": true}, "on_stream_hours": obj{"type": "number", "nullable": true}}}}}},
	"CurveData": obj{"type": "object", "properties": obj{"log": str(""), "mnemonic": str(""), "unit": str(""),
		"index_mnemonic": str(""), "index_unit": str(""), "rows": intg(""),
		"index":  obj{"type": "array", "items": obj{"type": "number"}},
		"values": obj{"type": "array", "items": obj{"type": "number", "nullable": true}, "description": "NULL samples are null; text curves hold strings"}}},
	"UsageView": obj{"type": "object", "properties": obj{"tenant": str(""), "tier": str(""), "limits": ref("Limits"), "usage": obj{"type": "object", "properties": obj{
		"users": intg(""), "wells": intg(""), "api_tokens": intg(""), "storage_bytes": intg(""), "requests_today": intg("UTC day")}}}},
}

var wildcard = regexp.MustCompile(`\{([a-z]+)\}`)

// queryParams are the query parameters of routes beyond the path wildcards and the paging of
// lists, by "METHOD path".
var queryParams = map[string][]any{
	"POST /api/v1/production": {
		unitParam("oil_unit", "oil"), unitParam("gas_unit", "gas"), unitParam("water_unit", "water"),
		unitParam("water_injected_unit", "injected water"), unitParam("gas_injected_unit", "injected gas")},
}

// unitParam is a production import's unit parameter of one phase.
func unitParam(name, phase string) obj {
	return obj{"name": name, "in": "query", "schema": obj{"type": "string", "example": "Sm3"},
		"description": "unit of the " + phase + " volumes when the file declares none (a unit in the file wins); kept as given, never converted. " +
			"A re-import merges: a unit, volume or on-stream hours the file lacks keeps its stored value."}
}

// idempotencyParam is the Idempotency-Key header of the routes that take one.
var idempotencyParam = obj{"name": IdempotencyHeader, "in": "header", "required": false,
	"schema": obj{"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[ -~]+$"},
	"description": "Makes the request safe to retry (after a timeout, a dropped connection, a replica that died): a retry with the same key and the same " +
		"request — method, path, query, body, sent with the same credential — within 24 hours gets the first answer again (marked " + ReplayedHeader +
		": true) and creates nothing. Keys are per tenant (per operator on the control plane); 1-255 printable ASCII characters, e.g. a UUID; " +
		"invalid: 400. The same key with another request: 409 idempotency_key_reused; while the first request still runs: 409 idempotency_in_progress " +
		"with Retry-After. Kept answers: 2xx and 4xx but 408, 425 and 429; after a 5xx a retry runs again."}

// replayedHeader documents the Idempotent-Replayed header of an answer.
var replayedHeader = obj{"description": "true when this answer is the kept answer of an earlier request with the same Idempotency-Key",
	"schema": obj{"type": "string", "enum": []string{"true"}}}

// Document returns the OpenAPI 3.0 document of the routes.
func Document(routes []Route) obj {
	paths := obj{}
	for _, rt := range routes {
		item, _ := paths[rt.Path].(obj)
		if item == nil {
			item = obj{}
			paths[rt.Path] = item
		}
		op := obj{
			"summary":     rt.Summary,
			"operationId": operationID(rt),
			"tags":        []string{rt.Access.String()},
			"responses":   responses(rt),
		}
		var params []any
		for _, m := range wildcard.FindAllStringSubmatch(rt.Path, -1) {
			params = append(params, obj{"name": m[1], "in": "path", "required": true, "schema": obj{"type": "string"}})
		}
		if rt.Method == "GET" && strings.HasSuffix(rt.Response, "List") {
			params = append(params,
				obj{"name": "limit", "in": "query", "schema": obj{"type": "integer", "minimum": 1, "maximum": 500, "default": 50}},
				obj{"name": "cursor", "in": "query", "schema": obj{"type": "string"}, "description": "next_cursor of the previous page; malformed: 400"})
		}
		params = append(params, queryParams[rt.Method+" "+rt.Path]...)
		if rt.Idempotent() {
			params = append(params, idempotencyParam)
		}
		if params != nil {
			op["parameters"] = params
		}
		switch rt.Request {
		case "":
		case "ProductionFile":
			binary := obj{"type": "string", "format": "binary"}
			op["requestBody"] = obj{"required": true, "content": obj{
				"text/csv": obj{"schema": binary},
				"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": obj{"schema": binary}}}
		case "LASFile":
			op["parameters"] = append(params, obj{"name": "encoding", "in": "query", "schema": obj{"type": "string"},
				"description": "character encoding of the file (windows-1251, cp866, koi8-r, windows-1252, utf-8, utf-16le, …); detected when absent"})
			binary := obj{"type": "string", "format": "binary"}
			op["requestBody"] = obj{"required": true, "content": obj{
				"application/octet-stream": obj{"schema": binary},
				"multipart/form-data":      obj{"schema": obj{"type": "object", "properties": obj{"file": binary}}}}}
		default:
			op["requestBody"] = obj{"required": true, "content": obj{"application/json": obj{"schema": ref(rt.Request)}}}
		}
		switch rt.Access {
		case Public:
			op["security"] = []any{}
		case Tenant:
			op["description"] = "Needs a tenant credential with role " + string(rt.Role) + " or above."
		case Operator:
			op["description"] = "Control plane: needs a platform operator credential."
		case OperatorOrTenant:
			op["description"] = "Needs a platform operator credential, or a credential of this tenant with role " + string(rt.Role) + " or above."
		}
		item[strings.ToLower(rt.Method)] = op
	}
	return obj{
		"openapi": "3.0.3",
		"info": obj{"title": "Wellbase API", "version": Version,
			"description": "Multi-tenant well and production data. The tenant of a request is the tenant of its credential; a resource of another tenant is 404."},
		"paths":    paths,
		"security": []any{obj{"bearer": []string{}}, obj{"session": []string{}}},
		"components": obj{
			"schemas": schemas,
			"securitySchemes": obj{
				"bearer":  obj{"type": "http", "scheme": "bearer", "description": "API token (wbt_…), session token (wbs_…) or operator token (wbo_…)"},
				"session": obj{"type": "apiKey", "in": "cookie", "name": sessionCookie},
			},
		},
	}
}

func responses(rt Route) obj {
	ok := obj{"description": http.StatusText(rt.Status)}
	if rt.Response != "" {
		// Response names a JSON schema and/or media types, separated by "|".
		content := obj{}
		for _, r := range strings.Split(rt.Response, "|") {
			if strings.Contains(r, "/") {
				content[r] = obj{"schema": obj{"type": "string"}}
			} else {
				content["application/json"] = obj{"schema": ref(r)}
			}
		}
		ok["content"] = content
	}
	res := obj{itoa(rt.Status): ok}
	problem := func(desc string) obj {
		return obj{"description": desc, "content": obj{"application/problem+json": obj{"schema": ref("Problem")}}}
	}
	switch rt.Request {
	case "":
	case "LASFile":
		res["413"] = problem("file over the tenant's upload_bytes limit, or a header over 8 MiB once recorded")
		res["422"] = problem("not a readable LAS file (the message names the line), or over a limit of a log: 32768 curves, 256-byte mnemonics")
	case "ProductionFile":
		res["413"] = problem("file over the tenant's upload_bytes limit")
		res["422"] = problem("no row of the file can be read; the message names the first issues by row")
	default:
		res["400"] = problem("malformed JSON, unknown field or wrong type")
		res["413"] = problem("body over 1 MiB")
		res["422"] = problem("a value fails validation; field names it")
	}
	if rt.Access != Public {
		res["401"] = problem("no valid credential")
		res["403"] = problem("role too low, wrong plane, or tenant suspended")
	}
	if rt.Access == Tenant || rt.Access == OperatorOrTenant {
		res["429"] = problem("tenant rate limit reached; see Retry-After")
	}
	if strings.Contains(rt.Path, "{") {
		res["404"] = problem("no such resource in the caller's tenant")
	}
	if rt.Method == "GET" && strings.HasSuffix(rt.Response, "List") {
		res["400"] = problem("limit out of range or a malformed cursor; field names it")
	}
	if rt.Method == "GET" && strings.HasPrefix(rt.Path, "/api/v1/logs/{log}/") {
		res["409"] = problem("log_processing: the log's file is still being parsed (see Retry-After); conflict: its parse failed")
	}
	if rt.Idempotent() {
		ok["headers"] = obj{ReplayedHeader: replayedHeader}
		bad := "an invalid Idempotency-Key header (field Idempotency-Key)"
		if prev, ok := res["400"].(obj); ok {
			bad = prev["description"].(string) + "; or " + bad
		}
		res["400"] = problem(bad)
		res["409"] = problem("idempotency_key_reused: the Idempotency-Key was used for another request; idempotency_in_progress: a request with it " +
			"still runs (see Retry-After); conflict: the resource exists or changed meanwhile")
	}
	res["500"] = problem("internal error")
	return res
}

func operationID(rt Route) string {
	var b strings.Builder
	b.WriteString(strings.ToLower(rt.Method))
	for _, part := range strings.Split(strings.Trim(rt.Path, "/"), "/") {
		part = strings.Trim(part, "{}")
		part = strings.NewReplacer(".", "", "-", "").Replace(part)
		if part == "api" || part == "v1" || part == "" {
			continue
		}
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}

func (s *Server) openapi(w http.ResponseWriter, r *http.Request) error {
	s.docOnce.Do(func() { s.doc = Document(s.routes) })
	return writeJSON(w, http.StatusOK, s.doc)
}
