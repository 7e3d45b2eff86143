// Package storetest is the conformance suite of the store port: every driver of wellbase.Store
// runs Run from its own tests and passes all of it, so that the application behaves the same on
// the embedded SQLite database and on MongoDB Atlas.
//
// # What a driver must do
//
//   - Return ENotFound for a missing record and EConflict for a duplicate key (a tenant ID, an
//     operator ID, a record ID within a tenant, a user's email within a tenant, a credential's
//     token hash anywhere, a data key version within a tenant).
//   - Scope every TenantStore method to its tenant: a record of another tenant is ENotFound,
//     exactly as if it did not exist, and lists and counts never include it. A record created
//     through a TenantStore belongs to that store's tenant whatever its TenantID field said.
//   - Return times in UTC, equal to the times stored to at least the millisecond.
//   - Order lists by ID (IDs from wellbase.NewID sort by creation time): tenants, users and wells
//     oldest first, credentials and audit events newest first. The cursor returned with a page is
//     the ID of its last item, or "" when no item follows; a page holds Page.Size() items at most.
//   - Honour the context: a cancelled context fails the call with an error that wraps
//     context.Canceled, and writes nothing.
//   - Be safe for concurrent use; tenant updates are atomic (no lost onboarding steps); of
//     requests claiming one Idempotency-Key at once, exactly one wins.
//
// The suite creates every ID and time itself; it does not ask a driver to fill them in.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/wellbase/wellbase"
)

// Run runs the conformance suite on the driver that open returns. open must return a new, empty
// store and register a t.Cleanup that closes it. Run calls open once per group of subtests
// (Tenant, User, Well, Isolation, …), twice for DumpLoad (a dump of one store loaded into
// another); the groups run in parallel.
func Run(t *testing.T, open func(t *testing.T) wellbase.Store) {
	groups := []struct {
		name string
		run  func(t *testing.T, s wellbase.Store)
	}{
		{"Ping", testPing},
		{"Tenant", testTenant},
		{"ListTenants", testListTenants},
		{"UpdateTenant", testUpdateTenant},
		{"Operator", testOperator},
		{"User", testUser},
		{"Credential", testCredential},
		{"Well", testWell},
		{"WellLog", testWellLog},
		{"Job", testJob},
		{"JobQueue", testJobQueue},
		{"Production", testProduction},
		{"Forecast", testForecast},
		{"DataKey", testDataKey},
		{"Audit", testAudit},
		{"Requests", testRequests},
		{"Offboarding", testOffboarding},
		{"ControlAudit", testControlAudit},
		{"Idempotency", testIdempotency},
		{"Isolation", testIsolation},
		{"Concurrency", testConcurrency},
		{"CanceledContext", testCanceledContext},
	}
	for _, g := range groups {
		t.Run(g.name, func(t *testing.T) {
			t.Parallel()
			g.run(t, open(t))
		})
	}
	t.Run("DumpLoad", func(t *testing.T) {
		t.Parallel()
		testDumpLoad(t, open(t), open(t))
	})
}

func testPing(t *testing.T, s wellbase.Store) {
	if err := s.Ping(t.Context()); err != nil {
		t.Fatalf("Ping: %v", err)
	}
}

// zone is the location of every time the suite stores: not UTC, so that the suite sees that
// drivers return UTC.
var zone = time.FixedZone("UTC+2", 2*60*60)

// now returns the current time at millisecond precision, the least a driver must keep, in zone.
func now() time.Time {
	return time.Now().Truncate(time.Millisecond).In(zone)
}

// newIDs returns n IDs from wellbase.NewID in ascending order: the order a driver must list their
// records in. (NewID is monotonic within a process; the sort keeps the suite from relying on it.)
func newIDs(prefix string, n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = wellbase.NewID(prefix)
	}
	slices.Sort(ids)
	return ids
}

func ptr[T any](v T) *T { return &v }

// cmpOpts compares stored records with the records read back: nil and empty slices and maps are
// equal (a driver need not keep the difference); times compare with time.Time.Equal.
var cmpOpts = []cmp.Option{cmpopts.EquateEmpty()}

// checkCode fails t unless err has the error code want ("" for no error).
func checkCode(t testing.TB, op string, err error, want string) {
	t.Helper()
	if got := wellbase.ErrorCode(err); got != want {
		t.Fatalf("%s: error code %q (%v), want %q", op, got, err, orNone(want))
	}
}

func orNone(code string) string {
	if code == "" {
		return "no error"
	}
	return code
}

// checkEqual fails t if got differs from want, and if any time in got is not in UTC.
func checkEqual(t testing.TB, what string, got, want any, opts ...cmp.Option) {
	t.Helper()
	if diff := cmp.Diff(want, got, append(slices.Clip(cmpOpts), opts...)...); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", what, diff)
	}
	checkUTC(t, what, got)
}

// checkUTC fails t for every time.Time in v (structs, pointers, slices and maps of them) whose
// location is not UTC.
func checkUTC(t testing.TB, what string, v any) {
	t.Helper()
	var walk func(path string, v reflect.Value)
	walk = func(path string, v reflect.Value) {
		if v.Type() == reflect.TypeFor[time.Time]() {
			if tm := v.Interface().(time.Time); tm.Location() != time.UTC {
				t.Errorf("%s%s = %v is in %v, want UTC", what, path, tm, tm.Location())
			}
			return
		}
		switch v.Kind() {
		case reflect.Pointer, reflect.Interface:
			if !v.IsNil() {
				walk(path, v.Elem())
			}
		case reflect.Struct:
			for i := range v.NumField() {
				if v.Type().Field(i).IsExported() {
					walk(path+"."+v.Type().Field(i).Name, v.Field(i))
				}
			}
		case reflect.Slice, reflect.Array:
			for i := range v.Len() {
				walk(fmt.Sprintf("%s[%d]", path, i), v.Index(i))
			}
		}
	}
	walk("", reflect.ValueOf(v))
}

// listFunc is a list method of the port bound to its other arguments.
type listFunc[T any] func(ctx context.Context, page wellbase.Page) ([]T, string, error)

// testPaging checks that list returns exactly the records with IDs want (at least 3), in that
// order, in pages of any size, and that its cursors are the IDs of the last items. It runs
// subtests named after the page asked for.
func testPaging[T any](t *testing.T, list listFunc[T], id func(T) string, want []string) {
	t.Helper()
	if len(want) < 3 {
		t.Fatalf("testPaging needs 3 or more records, got %d", len(want))
	}
	ids := func(items []T) []string {
		out := make([]string, len(items))
		for i, it := range items {
			out[i] = id(it)
		}
		return out
	}
	last := len(want) - 1
	tests := []struct {
		name string
		page wellbase.Page
		want []string
		next string
	}{
		{"DefaultLimit", wellbase.Page{}, want, ""},
		{"ExactFit", wellbase.Page{Limit: len(want)}, want, ""},
		{"FirstPage", wellbase.Page{Limit: 1}, want[:1], want[0]},
		{"AfterFirst", wellbase.Page{Limit: 1, After: want[0]}, want[1:2], want[1]},
		{"LastPage", wellbase.Page{Limit: 2, After: want[last-1]}, want[last:], ""},
		{"AfterLast", wellbase.Page{Limit: 2, After: want[last]}, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			items, next, err := list(t.Context(), tt.page)
			checkCode(t, "list", err, "")
			checkEqual(t, "IDs", ids(items), tt.want)
			if next != tt.next {
				t.Errorf("next cursor = %q, want %q", next, tt.next)
			}
		})
	}
	t.Run("AllPages", func(t *testing.T) {
		var got []string
		page := wellbase.Page{Limit: 2}
		for range len(want) + 1 {
			items, next, err := list(t.Context(), page)
			checkCode(t, "list", err, "")
			if len(items) > page.Size() {
				t.Fatalf("page after %q has %d items, more than its limit %d", page.After, len(items), page.Size())
			}
			got = append(got, ids(items)...)
			if next == "" {
				break
			}
			if len(items) == 0 || next != id(items[len(items)-1]) {
				t.Fatalf("page after %q: next cursor %q, want the last item's ID", page.After, next)
			}
			page.After = next
		}
		checkEqual(t, "IDs of all pages", got, want)
	})
}

// checkCanceled fails t unless err is the error of a call with a cancelled context.
func checkCanceled(t testing.TB, op string, err error) {
	t.Helper()
	if !errors.Is(err, context.Canceled) {
		t.Errorf("%s with a cancelled context: error %v, want one wrapping context.Canceled", op, err)
	}
}
