// Package postgres is the store for several instances on one database:
// PostgreSQL through pgx and its pool. Every write runs in a SERIALIZABLE
// transaction, retried when PostgreSQL refuses it for a concurrent one, so
// that each business operation sees the database as SQLite's single
// writer does.
package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"path"
	"sort"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"

	"portail/internal/apperr"
	"portail/internal/store"
)

//go:embed migrations/*.sql
var migrations embed.FS

// DB is a PostgreSQL-backed store.Store.
type DB struct {
	pool *pgxpool.Pool
	now  func() time.Time
}

// Interface guard.
var _ store.Store = (*DB)(nil)

// Option configures a DB.
type Option func(*DB)

// WithClock replaces time.Now, for tests of time-dependent rules.
func WithClock(now func() time.Time) Option { return func(d *DB) { d.now = now } }

// Open connects to the database at url (postgres://…) and applies the
// pending migrations.
func Open(ctx context.Context, url string, opts ...Option) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	d := &DB{pool: pool, now: time.Now}
	for _, o := range opts {
		o(d)
	}
	if err := migrateUp(ctx, pool); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: %w", err)
	}
	return d, nil
}

// migrateLock is the advisory lock that the instances starting on one
// database take while they migrate: the first applies the migrations,
// the others wait, then find nothing left to do.
const migrateLock = 0x706f7274_61696c // "portail"

// migrateUp applies the embedded migrations that are not yet recorded in
// schema_migrations, each file in its own transaction, as SQLite's
// migrate.Up does, under migrateLock.
func migrateUp(ctx context.Context, pool *pgxpool.Pool) error {
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer conn.Release()
	// A session lock, on the connection that runs every migration.
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, int64(migrateLock)); err != nil {
		return fmt.Errorf("migrate: lock: %w", err)
	}
	defer conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, int64(migrateLock))
	if _, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY)`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	names, err := migrationNames()
	if err != nil {
		return err
	}
	for _, name := range names {
		var n int
		if err := conn.QueryRow(ctx, `SELECT count(*) FROM schema_migrations WHERE name = $1`, name).Scan(&n); err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		if n > 0 {
			continue
		}
		body, err := fs.ReadFile(migrations, path.Join("migrations", name))
		if err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		err = pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			// Without arguments, pgx sends the file as one simple query,
			// so a file holds several statements.
			if _, err := tx.Exec(ctx, string(body)); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `INSERT INTO schema_migrations (name) VALUES ($1)`, name)
			return err
		})
		if err != nil {
			return fmt.Errorf("migrate %s: %w", name, err)
		}
	}
	return nil
}

// migrationNames returns the names of the embedded migrations, in order.
func migrationNames() ([]string, error) {
	paths, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	names := make([]string, len(paths))
	for i, p := range paths {
		names[i] = path.Base(p)
	}
	sort.Strings(names)
	return names, nil
}

// Ping implements store.Store: the database answers and has no migration
// pending.
func (d *DB) Ping(ctx context.Context) error {
	names, err := migrationNames()
	if err != nil {
		return fmt.Errorf("postgres: %w", err)
	}
	var applied int
	if err := d.pool.QueryRow(ctx, `SELECT count(*) FROM schema_migrations`).Scan(&applied); err != nil {
		return fmt.Errorf("postgres: %w", err)
	}
	if n := len(names) - applied; n != 0 {
		return fmt.Errorf("postgres: %d migrations pending", n)
	}
	return nil
}

// Close implements store.Store.
func (d *DB) Close() error {
	d.pool.Close()
	return nil
}

// Pool returns the underlying pool, for backups, checks and metrics.
func (d *DB) Pool() *pgxpool.Pool { return d.pool }

// clock returns the store's current time as PostgreSQL keeps it: UTC, to
// the microsecond, so that what a method returns equals what it stored.
func (d *DB) clock() time.Time { return pgTime(d.now()) }

// pgTime is t as a timestamptz column keeps it. PostgreSQL would round
// the nanoseconds; truncating here keeps the value Go holds and the
// stored one equal.
func pgTime(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// nullTimeArg is t as a nullable column value.
func nullTimeArg(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return pgTime(t)
}

// utc returns a scanned timestamptz in UTC, as the SQLite store returns
// its times, or the zero time for NULL.
func utc(t pgtype.Timestamptz) time.Time {
	if !t.Valid {
		return time.Time{}
	}
	return t.Time.UTC()
}

// dateArg is a civil date (review-by) as a nullable date column value.
func dateArg(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.Format(time.DateOnly)
}

// isConstraint reports whether err is a unique violation.
func isConstraint(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}

// retryable reports whether PostgreSQL refused a transaction for a
// concurrent one (serialization failure, deadlock): run again, it sees
// the other's outcome.
func retryable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "40001" || pe.Code == "40P01")
}

func notFound(err error, what string) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return apperr.New(apperr.NotFound, "%s", what)
	}
	return err
}

// scanner is a pgx.Row or pgx.Rows.
type scanner interface{ Scan(...any) error }

// querier is the pool or a transaction.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// queryAll runs q and scans every row with scan.
func queryAll[T any](ctx context.Context, db querier, scan func(scanner) (T, error), q string, args ...any) ([]T, error) {
	rows, err := db.Query(ctx, q, args...)
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

// maxAttempts bounds the retries of a transaction. PostgreSQL's
// serializable isolation lets a retried transaction succeed once the one
// it conflicted with committed, so a few suffice even under contention.
const maxAttempts = 50

// tx runs fn in one SERIALIZABLE transaction, and again when PostgreSQL
// refuses it for a concurrent one. fn must therefore set, not accumulate,
// what it hands back.
func (d *DB) tx(ctx context.Context, fn func(pgx.Tx) error) error {
	for attempt := 1; ; attempt++ {
		err := pgx.BeginTxFunc(ctx, d.pool, pgx.TxOptions{IsoLevel: pgx.Serializable}, fn)
		if !retryable(err) || attempt == maxAttempts {
			return err
		}
		// A short random pause, so that the losers of a race do not
		// meet again at once.
		wait := time.Duration(rand.IntN(1<<min(attempt, 6))) * time.Millisecond
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
	}
}
