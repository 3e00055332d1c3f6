package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"portail/internal/store/sqlite"
)

// backuper backs up and restores the kind of store that a -db value
// names. SQLite copies its file with VACUUM INTO; the PostgreSQL store
// will implement it with pg_dump and pg_restore.
type backuper interface {
	// backup writes a consistent copy of the live store into the new
	// file out, while servers read and write the store.
	backup(ctx context.Context, out string) error
	// restore loads the backup file from into the store, which must be
	// empty, after checking the backup's integrity and migrations.
	restore(ctx context.Context, from string) error
}

// backuperFor returns the backuper of the store that dsn names.
func backuperFor(dsn string) (backuper, error) {
	if isPostgres(dsn) {
		return nil, errors.New("portail: backup and restore of PostgreSQL come with the PostgreSQL store (pg_dump); use a SQLite file path")
	}
	return sqliteFile(dsn), nil
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

// Interface guard.
var _ backuper = sqliteFile("")

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
	b, err := backuperFor(*dsn)
	if err != nil {
		return err
	}
	if err := b.backup(ctx, *out); err != nil {
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
	b, err := backuperFor(*dsn)
	if err != nil {
		return err
	}
	if err := b.restore(ctx, *from); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "restored %s into %s; start serve on it\n", *from, *dsn)
	return nil
}
