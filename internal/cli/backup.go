package cli

import (
	"context"
	"fmt"
	"strings"

	"portail/internal/store/postgres"
	"portail/internal/store/sqlite"
)

// backuper backs up and restores the kind of store that a -db value
// names: SQLite copies its file with VACUUM INTO, PostgreSQL uses pg_dump
// and pg_restore.
type backuper interface {
	// backup writes a consistent copy of the live store into the new
	// file out, while servers read and write the store.
	backup(ctx context.Context, out string) error
	// restore loads the backup file from into the store, which must be
	// empty, after checking the backup's integrity and migrations.
	restore(ctx context.Context, from string) error
}

// backuperFor returns the backuper of the store that dsn names.
func backuperFor(dsn string) backuper {
	if isPostgres(dsn) {
		return postgresDB(dsn)
	}
	return sqliteFile(dsn)
}

func isPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// sqliteFile is a SQLite store's database file.
type sqliteFile string

func (f sqliteFile) backup(ctx context.Context, out string) error {
	return sqlite.Backup(ctx, string(f), out)
}

func (f sqliteFile) restore(ctx context.Context, from string) error {
	return sqlite.Restore(ctx, from, string(f))
}

// postgresDB is a PostgreSQL store's database URL.
type postgresDB string

func (d postgresDB) backup(ctx context.Context, out string) error {
	return postgres.Backup(ctx, string(d), out)
}

func (d postgresDB) restore(ctx context.Context, from string) error {
	return postgres.Restore(ctx, from, string(d))
}

// Interface guards.
var (
	_ backuper = sqliteFile("")
	_ backuper = postgresDB("")
)

func backupCmd(ctx context.Context, env Env, args []string) error {
	fs, dsn := flags(env, "backup")
	out := fs.String("out", "", "the backup file to write; it must not exist")
	if err := fs.Parse(args); err != nil {
		return ErrUsage
	}
	if *out == "" {
		fmt.Fprintln(env.Stderr, "portail backup: -out FILE is required")
		return ErrUsage
	}
	if err := backuperFor(*dsn).backup(ctx, *out); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "backed up %s into %s\n", *dsn, *out)
	return nil
}

func restoreCmd(ctx context.Context, env Env, args []string) error {
	fs, dsn := flags(env, "restore")
	from := fs.String("from", "", "the backup file to restore")
	if err := fs.Parse(args); err != nil {
		return ErrUsage
	}
	if *from == "" {
		fmt.Fprintln(env.Stderr, "portail restore: -from FILE is required")
		return ErrUsage
	}
	if err := backuperFor(*dsn).restore(ctx, *from); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "restored %s into %s; start serve on it\n", *from, *dsn)
	return nil
}
