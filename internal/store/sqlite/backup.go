package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// Backup writes a consistent copy of the database file at path into out,
// while servers read and write it: VACUUM INTO reads the database in one
// read transaction, so the copy holds exactly what was committed when it
// began, and in WAL mode it blocks no writer. It does not migrate the
// database (a newer binary must not change one that an older server
// runs). It refuses an out that exists, and checks the copy's integrity.
func Backup(ctx context.Context, path, out string) error {
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("sqlite: backup: %w", err)
	}
	if _, err := os.Lstat(out); err == nil {
		return fmt.Errorf("sqlite: backup: %s already exists; give a new file", out)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("sqlite: backup: %w", err)
	}
	if fi, err := os.Stat(filepath.Dir(out)); err != nil || !fi.IsDir() {
		return fmt.Errorf("sqlite: backup: the folder of %s does not exist", out)
	}
	db, err := openRaw(path, "rw")
	if err != nil {
		return err
	}
	defer db.Close()
	if err := checkMigrations(ctx, db); err != nil {
		return fmt.Errorf("sqlite: backup %s: %w", path, err)
	}
	// Written under a temporary name and renamed, so that a backup that
	// failed half-way is never mistaken for one.
	part := out + ".part"
	os.Remove(part)
	if _, err := db.ExecContext(ctx, `VACUUM INTO ?`, part); err != nil {
		os.Remove(part)
		return fmt.Errorf("sqlite: backup: %w", err)
	}
	if err := Check(ctx, part); err != nil {
		os.Remove(part)
		return err
	}
	if err := syncFile(part); err != nil {
		os.Remove(part)
		return err
	}
	if err := os.Link(part, out); err != nil { // fails rather than replace an out made meanwhile
		os.Remove(part)
		return fmt.Errorf("sqlite: backup: %w", err)
	}
	return os.Remove(part)
}

// Restore copies the backup from into a new database file at path. It
// refuses a path that holds anything, and a backup that fails SQLite's
// integrity check or was made by a newer portail (a migration this one
// does not know); migrations the backup lacks are applied when the store
// opens it.
func Restore(ctx context.Context, from, path string) error {
	if err := Check(ctx, from); err != nil {
		return err
	}
	for _, p := range []string{path, path + "-wal"} {
		fi, err := os.Stat(p)
		if err == nil && (fi.Size() > 0 || p != path) {
			return fmt.Errorf("sqlite: restore: %s is not empty; restore into a new file, then point -db at it", p)
		}
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("sqlite: restore: %w", err)
		}
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return fmt.Errorf("sqlite: restore: %w", err)
	}
	src, err := openRaw(from, "ro")
	if err != nil {
		return err
	}
	defer src.Close()
	if _, err := src.ExecContext(ctx, `VACUUM INTO ?`, path); err != nil {
		return fmt.Errorf("sqlite: restore into %s: %w", path, err)
	}
	return syncFile(path)
}

// Check reports whether the file at path is a sound portail database:
// SQLite's integrity check passes and every migration it records is one
// this binary knows.
func Check(ctx context.Context, path string) error {
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("sqlite: %w", err)
	}
	db, err := openRaw(path, "ro")
	if err != nil {
		return err
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, `PRAGMA integrity_check`)
	if err != nil {
		return fmt.Errorf("sqlite: %s: %w", path, err)
	}
	var problems []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			rows.Close()
			return fmt.Errorf("sqlite: %s: %w", path, err)
		}
		if s != "ok" {
			problems = append(problems, s)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("sqlite: %s: %w", path, err)
	}
	if len(problems) > 0 {
		return fmt.Errorf("sqlite: %s fails the integrity check: %s", path, strings.Join(problems[:min(len(problems), 5)], "; "))
	}
	if err := checkMigrations(ctx, db); err != nil {
		return fmt.Errorf("sqlite: %s: %w", path, err)
	}
	return nil
}

// checkMigrations refuses a database that is not portail's, or that a
// newer portail migrated.
func checkMigrations(ctx context.Context, db *sql.DB) error {
	rows, err := db.QueryContext(ctx, `SELECT name FROM schema_migrations`)
	if err != nil {
		return fmt.Errorf("not a portail database (no migrations recorded): %w", err)
	}
	defer rows.Close()
	known, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	isKnown := map[string]bool{}
	for _, k := range known {
		isKnown[path.Base(k)] = true
	}
	var unknown []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return err
		}
		if !isKnown[name] {
			unknown = append(unknown, name)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(unknown) > 0 {
		return fmt.Errorf("made by a newer portail: migrations %v are unknown to this one", unknown)
	}
	return nil
}

// openRaw opens the file at path without creating or migrating it, in
// mode "ro" or "rw".
func openRaw(path, mode string) (*sql.DB, error) {
	q := url.Values{}
	q.Set("mode", mode)
	q.Add("_pragma", "busy_timeout(5000)")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	return db, nil
}

func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("sqlite: %w", err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return fmt.Errorf("sqlite: %w", err)
	}
	return nil
}
