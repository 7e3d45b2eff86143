package httpapi

import (
	"net/http"
	"regexp"
	"sort"
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

// extend returns a copy of the object schema base with more properties: one schema per shape,
// without allOf, so that a validator holding responses to their documented properties (the
// API tests do) sees every property in one place.
func extend(base obj, more obj) obj {
	out := obj{}
	for k, v := range base {
		out[k] = v
	}
	props := obj{}
	for k, v := range base["properties"].(obj) {
		props[k] = v
	}
	for k, v := range more {
		props[k] = v
	}
	out["properties"] = props
	return out
}

func enum(desc string, values ...string) obj {
	return obj{"type": "string", "enum": values, "description": desc}
}

func object(required []string, props obj) obj {
	o := obj{"type": "object", "properties": props, "additionalProperties": false}
	if len(required) > 0 {
		o["required"] = required
	}
	return o
}

// displayUnitSchema is the display spelling of a LAS unit (logplot.DisplayUnit).
var displayUnitSchema = str("the unit as pages and plots spell it: OHMM → ohm·m, US/F → µs/ft, G/CC → g/cm3, GAPI → gAPI; an unknown unit as written")

// Schemas that others extend.
var (
	tenantSchema = obj{"type": "object", "properties": obj{
		"id": str("slug: 3-40 of [a-z0-9-]"), "name": str(""), "tier": obj{"type": "string", "enum": []string{"basic", "standard", "premium"}},
		"status": obj{"type": "string", "enum": []string{"provisioning", "active", "suspended", "offboarding", "deleted"},
			"description": "offboarding while its data is deleted; deleted: the ID is kept as a tombstone"}, "admin_email": str(""),
		"limits": ref("LimitOverrides"), "settings": obj{"type": "object"}, "onboarding": obj{"type": "array", "items": obj{"type": "object"}},
		"created_at": dt(""), "updated_at": dt("")}}
	tokenSchema = obj{"type": "object", "properties": obj{"id": str(""), "kind": str("api"), "tenant": str(""), "user_id": str(""), "name": str(""),
		"prefix": str("first characters of the token"), "created_at": dt(""), "expires_at": dt(""), "revoked_at": dt("")}}
	wellLogSchema = obj{"type": "object", "properties": obj{"id": str(""), "tenant": str(""), "well_id": str(""), "file_name": str(""),
		"status": obj{"type": "string", "enum": []string{"ready", "processing", "failed"}}, "error": str(""),
		"version": str("LAS version: 1.2, 2.0 or 3.0"), "wrap": obj{"type": "boolean"}, "null": num("the file's NULL value"),
		"encoding": str("character encoding the file was read as (UTF-8, Windows-1252, Windows-1251, IBM866, …), detected or as given by ?encoding="), "well": obj{"type": "object", "additionalProperties": obj{"type": "string"}, "description": "~W items by mnemonic"},
		"index": obj{"type": "object", "properties": obj{"mnemonic": str(""), "unit": str("as the file writes it"), "display_unit": displayUnitSchema, "start": num(""), "stop": num(""), "step": num("regular step from the data; 0 if irregular")}},
		"rows":  intg(""), "curves": obj{"type": "array", "items": ref("Curve")},
		"warnings":   obj{"type": "array", "items": obj{"type": "object", "properties": obj{"line": intg(""), "message": str("")}}},
		"size_bytes": intg("uploaded file"), "stored_bytes": intg("encrypted original and columnar curves"), "key_version": intg(""), "created_at": dt("")}}
)

// schemas are the OpenAPI components; route Request and Response fields name them.
var schemas = obj{
	"Problem": obj{"type": "object", "description": "RFC 9457 problem details", "properties": obj{
		"type": str("URI of the problem type"), "title": str("HTTP status text"), "status": intg("HTTP status"),
		"detail": str("what went wrong, for people"), "code": obj{"type": "string", "enum": []string{
			"bad_request", "invalid", "too_large", "unauthorized", "forbidden", "tenant_suspended", "not_found", "conflict", "log_processing", "idempotency_in_progress", "idempotency_key_reused", "limit_exceeded", "unavailable", "internal"}},
		"field": str("the input field at fault"), "request_id": str("the request's ID, as in the logs")}},
	"Health": obj{"type": "object", "required": []string{"status"}, "properties": obj{"status": enum("ok (healthz) or ready (readyz)", "ok", "ready"),
		"database": enum("readyz: the database answers", "ok"), "files": enum("readyz: the file store answers (when the server stores well logs)", "ok")}},
	"Limits": obj{"type": "object", "properties": obj{
		"requests_per_second": num("sustained API request rate"), "burst": intg("requests allowed at once"),
		"storage_bytes": intg("stored file bytes"), "max_users": intg("users"), "concurrent_jobs": intg("jobs at once"),
		"upload_bytes": intg("bytes of one uploaded file")}},
	"Tenant":     tenantSchema,
	"TenantView": extend(tenantSchema, obj{"effective_limits": ref("Limits")}),
	"TenantList": listOf("TenantView"),
	"OnboardRequest": object([]string{"id", "name", "admin_email"}, obj{
		"id": str("tenant slug"), "name": str("display name"), "tier": obj{"type": "string", "enum": []string{"basic", "standard", "premium"}, "default": "standard"},
		"admin_email": obj{"type": "string", "format": "email"}}),
	"OnboardResult": obj{"type": "object", "properties": obj{
		"tenant": ref("TenantView"), "admin_token": str("the first owner's API token, shown once"),
		"onboarding": obj{"type": "object", "properties": obj{"duration_ms": num("whole saga"), "resumed": obj{"type": "boolean"},
			"steps": obj{"type": "array", "items": obj{"type": "object", "properties": obj{"name": str(""), "duration_ms": num(""), "status": str("done or already_done")}}}}}}},
	"TenantPatch": object(nil, obj{"name": str(""), "tier": obj{"type": "string", "enum": []string{"basic", "standard", "premium"}},
		"limits": ref("LimitOverrides")}),
	"LimitOverrides": object(nil, obj{
		"requests_per_second": num("sustained API request rate"), "burst": intg("requests allowed at once"),
		"storage_bytes": intg("stored file bytes"), "max_users": intg("users"), "concurrent_jobs": intg("jobs at once"),
		"upload_bytes": intg("bytes of one uploaded file")}),
	"LoginRequest": object([]string{"tenant", "email", "password"}, obj{"tenant": str(""), "email": str(""), "password": obj{"type": "string", "format": "password"}}),
	"Session":      obj{"type": "object", "properties": obj{"token": str("session token; also set as the HttpOnly cookie wellbase_session"), "expires_at": dt(""), "tenant": str(""), "user": ref("User")}},
	"Me":           obj{"type": "object", "properties": obj{"tenant": obj{"type": "object"}, "user": ref("User"), "role": str(""), "credential": obj{"type": "object"}}},
	"User": obj{"type": "object", "properties": obj{"id": str(""), "tenant": str(""), "email": str(""),
		"role": obj{"type": "string", "enum": []string{"owner", "admin", "engineer", "viewer"}}, "created_at": dt("")}},
	"UserCreate": object([]string{"email", "role"}, obj{"email": obj{"type": "string", "format": "email"},
		"role":     obj{"type": "string", "enum": []string{"owner", "admin", "engineer", "viewer"}},
		"password": obj{"type": "string", "format": "password", "minLength": 12, "description": "optional: without it the user signs in with tokens only"}}),
	"UserList":     listOf("User"),
	"Token":        tokenSchema,
	"TokenCreate":  object([]string{"name"}, obj{"name": str(""), "expires_in_days": obj{"type": "integer", "minimum": 1, "maximum": 365, "default": 90}}),
	"TokenCreated": extend(tokenSchema, obj{"token": str("the secret, shown only in this answer")}),
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
	"Curve": obj{"type": "object", "properties": obj{"mnemonic": str(""), "unit": str("as the file writes it (US/F, OHMM)"), "description": str("as the file writes it"),
		"display_unit": displayUnitSchema, "label": str("the description without the LAS curve ordinal (\"1  DEPTH\" → DEPTH)"),
		"draw_unit":   str("the unit the log plot and viewer draw the curve in, when they convert it (K/M3 density → g/cm3); absent: drawn in display_unit"),
		"draw_factor": num("factor from unit to draw_unit (0.001 for K/M3 → g/cm3); absent with draw_unit"),
		"kind":        obj{"type": "string", "enum": []string{"number", "text"}}, "count": intg("non-null samples"),
		"min": num(""), "max": num(""), "mean": num("")}},
	"WellLog":         wellLogSchema,
	"WellLogAccepted": extend(wellLogSchema, obj{"job_id": str("the log-parse job that reads the file; GET /api/v1/logs/{log} shows the log when it is done")}),
	"LogList":         listOf("WellLog"),
	"LASCheck": obj{"type": "object", "description": "what `wellbase las check --json` prints for the file", "properties": obj{
		"file": str("the file name"), "version": str("1.2, 2.0 or 3.0"), "wrap": obj{"type": "boolean"},
		"encoding": str("character encoding the text was decoded from"), "encoding_detected": obj{"type": "boolean"},
		"null": num("~W NULL value"), "well": obj{"type": "object", "additionalProperties": obj{"type": "string"}},
		"index": obj{"type": "object", "properties": obj{"mnemonic": str(""), "unit": str("as the file writes it"), "display_unit": displayUnitSchema, "start": num(""), "stop": num(""), "step": num("0 when irregular")}},
		"rows":  intg(""), "curves": obj{"type": "array", "items": ref("Curve")},
		"sections": obj{"type": "array", "items": obj{"type": "object"}},
		"warnings": obj{"type": "array", "items": obj{"type": "object", "properties": obj{"line": intg(""), "message": str("")}}}}},
	"Job": obj{"type": "object", "properties": obj{"id": str(""), "tenant": str(""), "type": str(""), "params": obj{"type": "object"},
		"status":   obj{"type": "string", "enum": []string{"queued", "running", "succeeded", "failed", "cancelled"}},
		"attempts": intg(""), "max_attempts": intg(""), "progress": num("0 to 1"), "result": obj{"type": "object"}, "error": str(""),
		"run_at": dt("not before"), "lease_owner": str(""), "lease_until": dt(""), "cancel_requested": obj{"type": "boolean"},
		"created_by": str(""), "created_at": dt(""), "updated_at": dt(""), "finished_at": dt("")}},
	"JobList": listOf("Job"),
	"Forecast": obj{"type": "object", "properties": obj{"id": str(""), "tenant": str(""), "well_id": str(""), "job_id": str("the decline-fit job that made it"),
		"phase": enum("", "oil", "gas", "water"), "unit": str("volume unit of the well's production (e.g. Sm3); rates are this unit per day"),
		"model": enum("the Arps model fitted", "exponential", "harmonic", "hyperbolic", "modified-hyperbolic"),
		"qi":    num("initial rate, at start_date: unit per day"), "di_nominal_per_day": num("initial nominal decline, 1/day (× 365.25 for 1/yr)"),
		"di_effective_per_year": num("initial effective decline, fraction per year, in the convention di_convention"),
		"di_convention":         enum("secant effective (hyperbolic family) or tangent effective (exponential)", "secant", "tangent"),
		"b":                     num("Arps hyperbolic exponent: 0 exponential, 1 harmonic"), "dlim_nominal_per_day": num("terminal nominal decline of a modified hyperbolic, 1/day; absent: none"),
		"fit": obj{"type": "object", "properties": obj{"rmse_log": num("root mean square of the ln(rate) residuals"), "r2": num("coefficient of determination"),
			"points_used": intg(""), "points_dropped": intg("zero and shut-in rates left out")}},
		"start_date":       dt("first point of the decline (t = 0)"),
		"abandonment_rate": num("economic limit the forecast runs to, unit per day; 0: none"), "horizon_years": num("forecast length after the last production, years"),
		"cumulative_to_date": num("volume produced to the last production date, in unit"), "eur": num("estimated ultimate recovery: cumulative_to_date + remaining, in unit"),
		"remaining": num("volume forecast after the last production date, in unit"),
		"history":   obj{"type": "array", "items": obj{"type": "object", "properties": obj{"date": str("YYYY-MM-DD"), "rate": num("unit per day")}}, "description": "the rates fitted"},
		"series":    obj{"type": "array", "items": obj{"type": "object", "properties": obj{"date": str("YYYY-MM-DD"), "rate": num("unit per day")}}, "description": "the forecast, monthly, to the abandonment rate or the horizon"},
		"notes":     obj{"type": "array", "items": obj{"type": "string"}}, "created_at": dt("")}},
	"ProductionImport": obj{"type": "object", "properties": obj{"import_id": str(""), "format": enum("the format read", "csv", "xlsx"),
		"rows_read": intg("data rows read, all sheets"), "rows_stored": intg("records stored (inserted or merged)"),
		"wells": obj{"type": "array", "items": obj{"type": "object", "properties": obj{
			"id": str("the Wellbase well the rows went to"), "name": str(""), "uwi": str(""), "code": str("the file's well code (official code, UWI or name)"),
			"created": obj{"type": "boolean", "description": "the well was made by this import"},
			"names":   obj{"type": "array", "items": obj{"type": "string"}, "description": "the spellings of the well's name in the file"},
			"sheets":  obj{"type": "array", "items": obj{"type": "string"}},
			"periods": obj{"type": "array", "items": obj{"type": "object", "properties": obj{
				"period": enum("", "day", "month"), "rows": intg("records"), "first": dt("first record date"), "last": dt("last record date"),
				"totals": obj{"type": "array", "items": obj{"type": "object", "properties": obj{
					"phase": enum("", phases...), "unit": str("volume unit, \"\" if none"), "volume": num("sum of the volumes, in unit"), "count": intg("non-blank values summed")}}}}}}}}},
		"issues":         obj{"type": "array", "items": obj{"type": "object", "properties": obj{"sheet": str(""), "row": intg("1-based, as a spreadsheet shows it"), "column": str(""), "kind": str(""), "message": str("")}}},
		"issues_omitted": intg("issues beyond the first ones listed"),
		"issue_counts":   obj{"type": "object", "nullable": true, "additionalProperties": obj{"type": "integer"}, "description": "issues by kind; null when none"},
		"sheets": obj{"type": "array", "items": obj{"type": "object", "properties": obj{
			"name": str("sheet name (\"\" for CSV)"), "header_row": intg("1-based; 0 when the sheet was skipped"), "units_row": intg("row of units under the header"),
			"period": enum("period of rows without a period cell", "day", "month"), "period_from": str("what decided the period"),
			"columns": obj{"type": "array", "items": obj{"type": "object", "properties": obj{"index": intg("0-based"), "header": str("as written"),
				"field": str("the field it fills: date, well, oil, gas, water, on_stream_hours, …"), "unit": str(""), "unit_from": str("header, units row, option, sheet <name>")}}},
			"ignored":   obj{"type": "array", "items": obj{"type": "string"}, "description": "header cells not used"},
			"rows_read": intg(""), "records": intg(""), "skipped": str("why the sheet was skipped")}}}}},
	"ProductionSeries": obj{"type": "object", "properties": obj{"well": str(""), "well_name": str(""), "period": str("day or month"), "phase": str(""), "unit": str("volume unit, e.g. Sm3"),
		"points": obj{"type": "array", "items": obj{"type": "object", "properties": obj{"date": str("YYYY-MM-DD"), "volume": obj{"type": "number", "nullable": true}, "on_stream_hours": obj{"type": "number", "nullable": true}}}}}},
	"CurveData": obj{"type": "object", "properties": obj{"log": str(""), "mnemonic": str(""), "unit": str(""),
		"index_mnemonic": str(""), "index_unit": str(""), "rows": intg("samples in index and values"),
		"source_rows": intg("with ?max_points=: the samples before thinning"), "max_points": intg("with ?max_points=: as asked"),
		"index":  obj{"type": "array", "items": obj{"type": "number"}},
		"values": obj{"type": "array", "items": obj{"type": "number", "nullable": true}, "description": "NULL samples are null; text curves hold strings"}}},
	"UsageView": obj{"type": "object", "properties": obj{"tenant": str(""), "tier": str(""), "limits": ref("Limits"), "usage": obj{"type": "object", "properties": obj{
		"users": intg(""), "wells": intg(""), "api_tokens": intg(""), "storage_bytes": intg(""), "requests_today": intg("UTC day")}}}},
}

var wildcard = regexp.MustCompile(`\{([a-z]+)\}`)

// query is a query parameter.
func query(name string, schema obj, desc string) obj {
	return obj{"name": name, "in": "query", "schema": schema, "description": desc}
}

// The query parameters several routes share.
var (
	topParam = query("top", obj{"type": "number"},
		"shallowest index value to read, in the log's index unit (e.g. M for depth): samples with index ≥ top; default the first")
	baseParam = query("base", obj{"type": "number"},
		"deepest index value to read, in the log's index unit: samples with index ≤ base; default the last. top above base is 422")
	periodParam = query("period", obj{"type": "string", "enum": []string{"day", "month"}, "default": "day"},
		"the records to read: daily or monthly volumes")
	fromParam = query("from", obj{"type": "string", "format": "date"}, "first date, YYYY-MM-DD (inclusive); default the first record")
	toParam   = query("to", obj{"type": "string", "format": "date"}, "last date, YYYY-MM-DD (inclusive); default the last record")
	phases    = []string{"oil", "gas", "water", "water_injected", "gas_injected"}
)

// queryParams are the query parameters of routes beyond the path wildcards and the paging of
// lists, by "METHOD path". The API tests send every request through a validator that fails on
// a query parameter the document does not declare for its route.
var queryParams = map[string][]any{
	"POST /api/v1/logs": {
		query("well", obj{"type": "string"}, "ID of the well the log belongs to; default: the well with the file's UWI/API number, else its WELL name, else a new well made from its ~W section"),
		query("name", obj{"type": "string"}, "file name to record; default: the multipart part's file name, else the Content-Disposition filename, else upload.las"),
		query("encoding", obj{"type": "string"}, "character encoding of the file (windows-1251, cp866, koi8-r, windows-1252, utf-8, utf-16le, …); detected when absent"),
	},
	"POST /api/v1/las/check": {
		query("name", obj{"type": "string"}, "file name to report; default: the multipart part's file name, else the Content-Disposition filename, else upload.las"),
		query("encoding", obj{"type": "string"}, "character encoding of the file; detected when absent"),
	},
	"GET /api/v1/logs/{log}/curves/{mnemonic}": {topParam, baseParam,
		query("format", obj{"type": "string", "enum": []string{"json", "csv", "f64"}, "default": "json"},
			"json: CurveData (NULL samples null); csv: index and curve columns, NULL samples empty; f64: binary, little-endian IEEE 754 float64, "+
				"the index's rows then the curve's (NULL samples NaN), Wellbase-Rows and Wellbase-Columns headers give the shape "+
				"(numpy: frombuffer(body, '<f8').reshape(2, rows)); text curves are 422. Without ?format=, Accept: application/octet-stream asks for f64, "+
				"text/csv for csv. Answers carry a strong ETag and Cache-Control: private, no-cache; If-None-Match with it answers 304. "+
				"gzip with Accept-Encoding: gzip when the server runs with --curve-gzip"),
		query("max_points", obj{"type": "integer", "minimum": 3, "maximum": 10000000},
			"thin the curve (after top/base) to at most this many points for display, by Largest-Triangle-Three-Buckets "+
				"(Steinarsson 2013, ch. 4): first and last samples and the peaks kept; NULL gaps kept as one null sample at the start of each gap, never bridged. "+
				"The JSON answer then has rows (points returned), source_rows and max_points; text curves are 422")},
	"GET /api/v1/logs/{log}/data": {
		query("format", obj{"type": "string", "enum": []string{"csv", "las"}, "default": "csv"}, "csv: every curve, one row per index value; las: the whole log rewritten as LAS 2.0 (top and base do not apply)"),
		topParam, baseParam},
	"GET /api/v1/logs/{log}/plot.svg": {
		query("curves", obj{"type": "array", "items": obj{"type": "string"}, "maxItems": 16}, "mnemonics of the curves to plot, comma-separated (e.g. GR,RDEP,DEN,NEU), one track each, at most 16; default one curve of each known family (gamma ray, caliper, deep/medium/shallow resistivity, density, neutron, PEF, sonic) in file order, up to 8, else the first 8 numeric curves. "+
			"Plots carry a strong ETag; If-None-Match with it answers 304"),
		topParam, baseParam},
	"POST /api/v1/production": {
		query("format", obj{"type": "string", "enum": []string{"csv", "xlsx"}}, "the file's format; default from the Content-Type"),
		unitParam("oil_unit", "oil"), unitParam("gas_unit", "gas"), unitParam("water_unit", "water"),
		unitParam("water_injected_unit", "injected water"), unitParam("gas_injected_unit", "injected gas")},
	"GET /api/v1/wells/{well}/production": {periodParam,
		query("phase", obj{"type": "string", "enum": phases, "default": "oil"}, "the volumes to read"), fromParam, toParam},
	"GET /api/v1/wells/{well}/production/plot.svg": {periodParam,
		query("phase", obj{"type": "array", "items": obj{"type": "string", "enum": phases}, "minItems": 1, "maxItems": len(phases), "default": []string{"oil"}},
			"the phases to plot, comma-separated (e.g. oil,gas,water): one rate curve each on a shared time axis; liquids (oil, water) on the left rate axis, gas on a second axis at the right"),
		fromParam, toParam,
		query("scale", obj{"type": "string", "enum": []string{"log", "linear"}, "default": "log"},
			"the rate axes: logarithmic over whole decades (declines read as slopes, the oil–gas gap as the GOR), or linear from 0 (shut-in zeros drawn)")},
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

// moreResponses are answers of routes beyond their success status and the errors every route of
// their kind has (see responses), by "METHOD path".
var moreResponses = map[string]obj{
	"POST /api/v1/logs": {"202": obj{"description": "a file over 64 MiB: stored at once and read by a log-parse job; the log is processing until it is done",
		"content": obj{"application/json": obj{"schema": ref("WellLogAccepted")}}},
		"404": problemResponse("?well= names no well of the tenant")},
	"GET /api/v1/tenants/{tenant}/exports/{job}": {
		"202": obj{"description": "the export job is still queued or running", "content": obj{"application/json": obj{"schema": ref("Job")}}},
		"409": problemResponse("the export job failed or was cancelled; the message says why")},
	"GET /readyz": {"503": problemResponse("a dependency does not answer; the message names it")},
	"GET /api/v1/wells/{well}/production/plot.svg": {
		"422": problemResponse("no volumes of the phases asked for, or phases in more units than a chart's two rate axes; field phase")},
	"GET /api/v1/forecasts/{forecast}/plot.svg": {"422": problemResponse("the forecast has no positive rate to plot")},
	"POST /api/v1/login": {
		"401": problemResponse("unknown tenant, user or password (one answer for all three)"),
		"403": problemResponse("tenant_suspended: the tenant is suspended"),
		"429": problemResponse("too many failed sign-ins for this email; see Retry-After")},
	"POST /api/v1/logout": {"400": problemResponse("the credential is not a session (revoke an API token with DELETE /api/v1/tokens/{token})")},
}

func problemResponse(desc string) obj {
	return obj{"description": desc, "content": obj{"application/problem+json": obj{"schema": ref("Problem")}}}
}

// Document returns the OpenAPI 3.0 document of the routes; jobTypes are the job types POST
// /api/v1/jobs accepts, each with the schema of its params.
func Document(routes []Route, jobTypes map[string]JobType) obj {
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
				obj{"name": "limit", "in": "query", "schema": obj{"type": "integer", "minimum": 1, "maximum": 500, "default": 50}, "description": "items per page"},
				obj{"name": "cursor", "in": "query", "schema": obj{"type": "string"}, "description": "next_cursor of the previous page; malformed: 400"})
		}
		for _, p := range queryParams[rt.Method+" "+rt.Path] {
			p := p.(obj)
			if p["schema"].(obj)["type"] == "array" {
				p = extendParam(p, obj{"style": "form", "explode": false})
			}
			params = append(params, p)
		}
		if rt.Idempotent() {
			params = append(params, idempotencyParam)
		}
		if params != nil {
			op["parameters"] = params
		}
		binary := obj{"type": "string", "format": "binary"}
		switch rt.Request {
		case "":
		case "ProductionFile":
			op["requestBody"] = obj{"required": true, "content": obj{
				"text/csv": obj{"schema": binary},
				"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": obj{"schema": binary}}}
		case "LASFile":
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
	components := obj{}
	for k, v := range schemas {
		components[k] = v
	}
	for k, v := range jobSchemas(jobTypes) {
		components[k] = v
	}
	return obj{
		"openapi": "3.0.3",
		"info": obj{"title": "Wellbase API", "version": Version,
			"description": "Multi-tenant well and production data. The tenant of a request is the tenant of its credential; a resource of another tenant is 404."},
		"paths":    paths,
		"security": []any{obj{"bearer": []string{}}, obj{"session": []string{}}},
		"components": obj{
			"schemas": components,
			"securitySchemes": obj{
				"bearer":  obj{"type": "http", "scheme": "bearer", "description": "API token (wbt_…), session token (wbs_…) or operator token (wbo_…)"},
				"session": obj{"type": "apiKey", "in": "cookie", "name": sessionCookie},
			},
		},
	}
}

func extendParam(p, more obj) obj {
	out := obj{}
	for k, v := range p {
		out[k] = v
	}
	for k, v := range more {
		out[k] = v
	}
	return out
}

// jobSchemas returns the JobCreate schema, one of a request per job type in jobTypes (chosen
// by its "type"), and each type's request and params schemas: <Type>Job and <Type>Params with
// Type in CamelCase (DeclineFitJob, DeclineFitParams).
func jobSchemas(jobTypes map[string]JobType) obj {
	names := make([]string, 0, len(jobTypes))
	for n := range jobTypes {
		names = append(names, n)
	}
	sort.Strings(names)
	out := obj{}
	var variants []any
	mapping := obj{}
	for _, n := range names {
		base := camel(n)
		params := jobTypes[n].Params
		if params == nil {
			params = obj{"type": "object"}
		}
		out[base+"Params"] = params
		out[base+"Job"] = object([]string{"type"}, obj{
			"type":   obj{"type": "string", "enum": []string{n}},
			"params": ref(base + "Params")})
		variants = append(variants, ref(base+"Job"))
		mapping[n] = "#/components/schemas/" + base + "Job"
	}
	out["JobCreate"] = obj{"description": "a job to queue: its type and the params of that type", "oneOf": variants,
		"discriminator": obj{"propertyName": "type", "mapping": mapping}}
	return out
}

// camel returns "DeclineFit" for "decline-fit".
func camel(s string) string {
	var b strings.Builder
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == '-' || r == '_' }) {
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
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
	problem := problemResponse
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
	if len(queryParams[rt.Method+" "+rt.Path]) > 0 {
		if _, ok := res["400"]; !ok {
			res["400"] = problem("a malformed query parameter (not a number, not a date, not one of its values); field names it")
		}
	}
	if rt.Method == "GET" && strings.HasPrefix(rt.Path, "/api/v1/logs/{log}/") {
		res["409"] = problem("log_processing: the log's file is still being parsed (see Retry-After); conflict: its parse failed")
		res["422"] = problem("the request cannot be served from this log (top below base, an index that is not monotonic, a text curve to plot); field names it")
	}
	if rt.Method != "GET" && rt.Access != Public {
		if _, ok := res["409"]; !ok {
			res["409"] = problem("conflict with the resource's state (it exists already, or is in a state that refuses the change)")
		}
	}
	for code, r := range moreResponses[rt.Method+" "+rt.Path] {
		res[code] = r
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
	if _, ok := res["503"]; !ok {
		res["503"] = problem("a dependency (database, file store, key service) does not answer, or the feature is not configured here")
	}
	if rt.Method == "GET" && (rt.Path == "/api/v1/logs/{log}/curves/{mnemonic}" || rt.Path == "/api/v1/logs/{log}/plot.svg") {
		res["304"] = obj{"description": "If-None-Match named the answer's ETag: the client's copy is current"}
	}
	if !exempt(rt) {
		d := res["503"].(obj)["description"].(string)
		res["503"] = problem(d + "; or the server is at capacity (load shedding, see Retry-After)")
		if rt.Access == Tenant || rt.Access == OperatorOrTenant {
			res["429"] = problem("tenant rate limit reached, or the tenant holds over half of what the server runs at once while others wait, or runs its most plots/exports at once; see Retry-After")
		}
	}
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
	s.docOnce.Do(func() { s.doc = Document(s.routes, s.jobTypes) })
	return writeJSON(w, http.StatusOK, s.doc)
}
