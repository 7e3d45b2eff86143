package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	sqlitedriver "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/wellbase/wellbase"
)

// timeLayout is how times are stored: UTC, fixed width, nanoseconds, so that text order is time
// order (for years 0001 to 9999).
const timeLayout = "2006-01-02T15:04:05.000000000Z"

// formatTime returns t as stored.
func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

// parseTime reads a stored time, in UTC.
func parseTime(s string) (time.Time, error) {
	t, err := time.Parse(timeLayout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("stored time %q: %w", s, err)
	}
	return t, nil
}

// parseTimes parses each stored time src[i] into dst[i].
func parseTimes(dst []*time.Time, src ...string) error {
	for i, s := range src {
		t, err := parseTime(s)
		if err != nil {
			return err
		}
		*dst[i] = t
	}
	return nil
}

// scanner is a *sql.Row or *sql.Rows.
type scanner interface {
	Scan(dest ...any) error
}

// queryList runs query on db and returns its rows, each read by scan.
func queryList[T any](ctx context.Context, db *sql.DB, scan func(scanner) (T, error), query string, args ...any) ([]T, error) {
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// pageSQL returns the end of the query of one page of a list ordered by the column id, oldest
// first or (desc) newest first, and its arguments: the cursor condition, to follow the query's
// WHERE conditions, then the order and a limit of one row more than the page, which tells whether
// another page follows.
func pageSQL(page wellbase.Page, desc bool) (string, []any) {
	limit := page.Size() + 1
	switch {
	case page.After == "" && desc:
		return " ORDER BY id DESC LIMIT ?", []any{limit}
	case page.After == "":
		return " ORDER BY id LIMIT ?", []any{limit}
	case desc:
		return " AND id < ? ORDER BY id DESC LIMIT ?", []any{page.After, limit}
	default:
		return " AND id > ? ORDER BY id LIMIT ?", []any{page.After, limit}
	}
}

// pageOf cuts the rows of a page query (up to page.Size()+1) to the page and returns it with the
// cursor of the next page: the ID of its last item, or "" if no row follows.
func pageOf[T any](rows []T, page wellbase.Page, id func(T) string) ([]T, string) {
	if len(rows) <= page.Size() {
		return rows, ""
	}
	rows = rows[:page.Size()]
	return rows, id(rows[len(rows)-1])
}

// isConflict reports whether err is the violation of a primary key or unique index.
func isConflict(err error) bool {
	var e *sqlitedriver.Error
	if !errors.As(err, &e) {
		return false
	}
	return e.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY || e.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE
}

// isBusy reports whether err is SQLITE_BUSY, of any extended code: the database is locked.
func isBusy(err error) bool {
	var e *sqlitedriver.Error
	return errors.As(err, &e) && e.Code()&0xff == sqlite3.SQLITE_BUSY
}

// violates reports whether err is the violation of a unique index on column ("table.column").
// SQLite names the columns in the message: "UNIQUE constraint failed: users.tenant_id, users.email".
func violates(err error, column string) bool {
	return isConflict(err) && strings.Contains(err.Error(), column)
}

// notFound returns the ENotFound error of a missing resource: "well wel_… not found".
func notFound(resource, id string) error {
	return wellbase.Errorf(wellbase.ENotFound, "%s %s not found", resource, id)
}

// wrap returns err wrapped with the operation op, or nil.
func wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("sqlite: %s: %w", op, err)
}
