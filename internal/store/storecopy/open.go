package storecopy

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver

	"portail/internal/store/postgres"
	"portail/internal/store/sqlite"
)

// IsPostgres reports whether dsn names a PostgreSQL database rather than a
// SQLite file.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open opens the database that dsn names (a postgres:// URL or a SQLite
// file path) as a side of a copy, after applying its store's pending
// migrations, so that both sides are at the same schema. It loads no
// default content. close releases it.
func Open(ctx context.Context, dsn string) (s Side, close func() error, err error) {
	if IsPostgres(dsn) {
		db, err := postgres.Open(ctx, dsn)
		if err != nil {
			return Side{}, nil, err
		}
		db.Close()
		sdb, err := sql.Open("pgx", dsn)
		if err != nil {
			return Side{}, nil, fmt.Errorf("postgres: %w", err)
		}
		return Side{DB: sdb, Dialect: Postgres}, sdb.Close, nil
	}
	db, err := sqlite.Open(ctx, dsn)
	if err != nil {
		return Side{}, nil, err
	}
	return Side{DB: db.SQL(), Dialect: SQLite}, db.Close, nil
}
