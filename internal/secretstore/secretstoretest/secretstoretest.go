// Package secretstoretest is the conformance suite of secretstore.Store drivers: every driver
// runs the same cases (go-cloud's drivertest, in small).
package secretstoretest

import (
	"bytes"
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/secretstore"
)

// Harness returns a new, empty store for one subtest; the suite closes it. Subtests run in
// parallel, each with its own store.
type Harness func(t *testing.T) secretstore.Store

// Run runs the conformance cases on the stores h makes.
func Run(t *testing.T, h Harness) {
	cases := []struct {
		name string
		run  func(t *testing.T, ctx context.Context, s secretstore.Store)
	}{
		{"ErrNotFound", notFound},
		{"PutGetOverwrite", putGet},
		{"ListSortedAcrossPages", list},
		{"Delete", del},
		{"ErrInvalidName", invalidName},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			s := h(t)
			t.Cleanup(func() {
				if err := s.Close(); err != nil {
					t.Errorf("Close: %v", err)
				}
			})
			c.run(t, context.Background(), s)
		})
	}
}

// wantCode fails t unless err has code and, when it is not nil, names want in its message.
func wantCode(t *testing.T, op string, err error, code, want string) {
	t.Helper()
	if got := wellbase.ErrorCode(err); got != code {
		t.Errorf("%s: error %v, want code %q", op, err, code)
		return
	}
	if err != nil && !strings.Contains(wellbase.ErrorMessage(err), want) {
		t.Errorf("%s: message %q does not name %q", op, wellbase.ErrorMessage(err), want)
	}
}

func notFound(t *testing.T, ctx context.Context, s secretstore.Store) {
	_, err := s.Get(ctx, "database-url")
	wantCode(t, "Get", err, wellbase.ENotFound, "database-url")
	_, err = s.Stat(ctx, "database-url")
	wantCode(t, "Stat", err, wellbase.ENotFound, "database-url")
	wantCode(t, "Delete", s.Delete(ctx, "database-url"), wellbase.ENotFound, "database-url")
	list, err := s.List(ctx)
	if err != nil || len(list) != 0 {
		t.Errorf("List of an empty store = %v, %v", list, err)
	}
}

func putGet(t *testing.T, ctx context.Context, s secretstore.Store) {
	before := time.Now().Add(-5 * time.Minute)
	for i, v := range []string{"mongodb+srv://app:hunter2@cluster0.example/wellbase", "rotated: hunter3 ✓"} {
		if err := s.Put(ctx, "database-url", []byte(v)); err != nil {
			t.Fatalf("Put #%d: %v", i, err)
		}
		got, err := s.Get(ctx, "database-url")
		if err != nil || !bytes.Equal(got, []byte(v)) {
			t.Fatalf("Get after Put #%d = %q, %v", i, got, err)
		}
		info, err := s.Stat(ctx, "database-url")
		if err != nil || info.Name != "database-url" || info.Bytes != len(v) || info.UpdatedAt.Before(before) || info.UpdatedAt.After(time.Now().Add(5*time.Minute)) {
			t.Errorf("Stat after Put #%d = %+v, %v", i, info, err)
		}
	}
	if err := s.Put(ctx, "oidc/acme/client-secret", []byte("s3cr3t")); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Get(ctx, "oidc/acme/client-secret"); err != nil || string(got) != "s3cr3t" {
		t.Errorf("Get of a nested name = %q, %v", got, err)
	}
}

// list stores more secrets than one page of Parameter Store's GetParametersByPath (10), some
// with nested names.
func list(t *testing.T, ctx context.Context, s secretstore.Store) {
	want := map[string]int{}
	for i := range 23 {
		name := fmt.Sprintf("key-%02d", i)
		if i%5 == 0 {
			name = fmt.Sprintf("oidc/t%02d/client-secret", i)
		}
		if err := s.Put(ctx, name, bytes.Repeat([]byte("v"), i+1)); err != nil {
			t.Fatalf("Put %s: %v", name, err)
		}
		want[name] = i + 1
	}
	infos, err := s.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var names, wantNames []string
	for _, in := range infos {
		names = append(names, in.Name)
		if in.UpdatedAt.IsZero() || (in.Bytes != -1 && in.Bytes != want[in.Name]) {
			t.Errorf("List: %+v, want %d bytes (or -1) and a time", in, want[in.Name])
		}
	}
	for n := range want {
		wantNames = append(wantNames, n)
	}
	sort.Strings(wantNames)
	if diff := cmp.Diff(wantNames, names); diff != "" {
		t.Errorf("List names, sorted (-want +got):\n%s", diff)
	}
}

func del(t *testing.T, ctx context.Context, s secretstore.Store) {
	for _, n := range []string{"session-key", "database-url"} {
		if err := s.Put(ctx, n, []byte("value of "+n)); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Delete(ctx, "session-key"); err != nil {
		t.Fatal(err)
	}
	_, err := s.Get(ctx, "session-key")
	wantCode(t, "Get after Delete", err, wellbase.ENotFound, "session-key")
	wantCode(t, "second Delete", s.Delete(ctx, "session-key"), wellbase.ENotFound, "session-key")
	infos, err := s.List(ctx)
	if err != nil || len(infos) != 1 || infos[0].Name != "database-url" {
		t.Errorf("List after Delete = %+v, %v", infos, err)
	}
}

func invalidName(t *testing.T, ctx context.Context, s secretstore.Store) {
	const value = "hunter2-must-not-leak"
	for _, bad := range []string{"", "Database", "../x", "a b", "-x", "/abs", strings.Repeat("a", 129)} {
		err := s.Put(ctx, bad, []byte(value))
		wantCode(t, fmt.Sprintf("Put(%q)", bad), err, wellbase.EInvalid, "")
		if err != nil && strings.Contains(err.Error(), value) {
			t.Errorf("Put(%q) error repeats the value: %v", bad, err)
		}
		_, err = s.Get(ctx, bad)
		wantCode(t, fmt.Sprintf("Get(%q)", bad), err, wellbase.EInvalid, "")
		_, err = s.Stat(ctx, bad)
		wantCode(t, fmt.Sprintf("Stat(%q)", bad), err, wellbase.EInvalid, "")
		wantCode(t, fmt.Sprintf("Delete(%q)", bad), s.Delete(ctx, bad), wellbase.EInvalid, "")
	}
}
