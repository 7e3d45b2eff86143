// Package sqlitetest opens throwaway SQLite stores for other packages' tests: a real database
// in the test's temp dir, closed when the test ends.
package sqlitetest

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/wellbase/wellbase/internal/sqlite"
)

// Open returns a new, empty store in tb.TempDir(); it is closed by tb.Cleanup.
func Open(tb testing.TB) *sqlite.DB {
	tb.Helper()
	return OpenIn(tb, tb.TempDir())
}

// OpenIn returns the store at dir/wellbase.db (dir shared with a root key or files, say); it is
// closed by tb.Cleanup.
func OpenIn(tb testing.TB, dir string) *sqlite.DB {
	tb.Helper()
	db, err := sqlite.Open(context.Background(), "sqlite://"+filepath.ToSlash(filepath.Join(dir, "wellbase.db")))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}
