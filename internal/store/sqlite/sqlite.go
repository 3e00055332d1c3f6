// Package sqlite is the embedded store: pure-Go SQLite (modernc.org/sqlite)
// in WAL mode with foreign keys on.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"portail/internal/apperr"
	"portail/internal/store"
	"portail/internal/store/migrate"
)

//go:embed migrations/*.sql
var migrations embed.FS

// DB is a SQLite-backed store.Store.
type DB struct {
	db  *sql.DB
	now func() time.Time
}

// Interface guard.
var _ store.Store = (*DB)(nil)

// Option configures a DB.
type Option func(*DB)

// WithClock replaces time.Now, for tests of time-dependent rules.
func WithClock(now func() time.Time) Option { return func(d *DB) { d.now = now } }

// Open opens (creating if needed) the database file at path and applies the
// pending migrations.
func Open(ctx context.Context, path string, opts ...Option) (*DB, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("sqlite: %w", err)
		}
	}
	// Pragmas are per connection, so they go in the DSN, which the driver
	// applies to every connection of the pool.
	q := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "foreign_keys(1)", "busy_timeout(5000)", "synchronous(FULL)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	sdb, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	d := &DB{db: sdb, now: time.Now}
	for _, o := range opts {
		o(d)
	}
	if err := migrate.Up(ctx, sdb, migrations, "migrations", "?"); err != nil {
		sdb.Close()
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	return d, nil
}

// Ping implements store.Store.
func (d *DB) Ping(ctx context.Context) error {
	n, err := migrate.Pending(ctx, d.db, migrations, "migrations")
	if err != nil {
		return fmt.Errorf("sqlite: %w", err)
	}
	if n != 0 {
		return fmt.Errorf("sqlite: %d migrations pending", n)
	}
	return nil
}

// Close implements store.Store.
func (d *DB) Close() error { return d.db.Close() }

// SQL returns the underlying handle, for backup and integrity checks.
func (d *DB) SQL() *sql.DB { return d.db }

// timeFormat is fixed-width so that stored times sort as text.
const timeFormat = "2006-01-02T15:04:05.000000000Z"

// dateFormat stores civil dates (review-by).
const dateFormat = "2006-01-02"

func fmtTime(t time.Time) string { return t.UTC().Format(timeFormat) }

func parseTime(s string) time.Time {
	t, _ := time.Parse(timeFormat, s)
	return t
}

func nullTime(s sql.NullString) time.Time {
	if !s.Valid {
		return time.Time{}
	}
	return parseTime(s.String)
}

// isConstraint reports whether err is a SQLite constraint violation.
func isConstraint(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_CONSTRAINT
}

func notFound(err error, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return apperr.New(apperr.NotFound, "%s", what)
	}
	return err
}

// scanner is a *sql.Row or *sql.Rows.
type scanner interface{ Scan(...any) error }

// queryAll runs q, on the database or in a transaction, and scans every
// row with scan.
func queryAll[T any](ctx context.Context, db querier, scan func(scanner) (T, error), q string, args ...any) ([]T, error) {
	rows, err := db.QueryContext(ctx, q, args...)
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

// tx runs fn in one transaction.
func (d *DB) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}
