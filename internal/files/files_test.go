package files

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/wellbase/wellbase"
)

func TestTenantPrefix(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "files")
	s, err := Open(ctx, "file://"+dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for range 2 { // idempotent
		if err := s.CreateTenantPrefix(ctx, "acme"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "tenants", "acme", markerKey)); err != nil {
		t.Errorf("marker not written under tenants/acme/: %v", err)
	}
	if ok, err := s.TenantPrefixExists(ctx, "acme"); !ok || err != nil {
		t.Errorf("TenantPrefixExists(acme) = %v, %v", ok, err)
	}
	if ok, err := s.TenantPrefixExists(ctx, "globex"); ok || err != nil {
		t.Errorf("TenantPrefixExists(globex) = %v, %v", ok, err)
	}
	for _, bad := range []string{"..", "../acme", "Acme", "a", "acme/x"} {
		if err := s.CreateTenantPrefix(ctx, bad); wellbase.ErrorCode(err) != wellbase.EInvalid {
			t.Errorf("CreateTenantPrefix(%q) = %v, want invalid", bad, err)
		}
	}
}
