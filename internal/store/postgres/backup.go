package postgres

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/jackc/pgx/v5"
)

// Backups of a PostgreSQL store use the server's own tools, pg_dump and
// pg_restore (Debian: postgresql-client, of a major version no older
// than the server's). pg_dump reads the whole database in one snapshot,
// so a backup holds exactly what was committed when it began, and it
// blocks no writer. The backup is pg_dump's custom format (-Fc),
// compressed, which pg_restore reads.

// errNoTools says what a backup of PostgreSQL needs.
var errNoTools = errors.New("postgres: backup and restore need pg_dump and pg_restore (Debian: apt-get install postgresql-client, of the server's major version or newer)")

// tool returns the path of a PostgreSQL client program: the one on
// PATH, else the newest one installed under /usr/lib/postgresql.
func tool(name string) (string, error) {
	if p, err := exec.LookPath(name); err == nil {
		return p, nil
	}
	found, _ := filepath.Glob("/usr/lib/postgresql/*/bin/" + name)
	sort.Strings(found)
	if len(found) == 0 {
		return "", errNoTools
	}
	return found[len(found)-1], nil
}

// runTool runs a client program against the database at dsn. The
// password travels in PGPASSWORD rather than on the command line, where
// other accounts of the machine could read it.
func runTool(ctx context.Context, name, dsn string, args ...string) ([]byte, error) {
	path, err := tool(name)
	if err != nil {
		return nil, err
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	env := os.Environ()
	if u.User != nil {
		if pw, ok := u.User.Password(); ok {
			env = append(env, "PGPASSWORD="+pw)
			u.User = url.User(u.User.Username())
		}
	}
	cmd := exec.CommandContext(ctx, path, append(args, "--dbname="+u.String())...)
	cmd.Env = env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return out, fmt.Errorf("postgres: %s: %w: %s", name, err, strings.TrimSpace(stderr.String()))
	}
	return out, nil
}

// Backup writes a consistent copy of the database at dsn into the new
// file out, while servers read and write it. It refuses an out that
// exists and a database that is not portail's or that a newer portail
// migrated, and checks that pg_restore can read the copy.
func Backup(ctx context.Context, dsn, out string) error {
	if _, err := os.Lstat(out); err == nil {
		return fmt.Errorf("postgres: backup: %s already exists; give a new file", out)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("postgres: backup: %w", err)
	}
	if fi, err := os.Stat(filepath.Dir(out)); err != nil || !fi.IsDir() {
		return fmt.Errorf("postgres: backup: the folder of %s does not exist", out)
	}
	if _, err := tool("pg_dump"); err != nil {
		return err
	}
	if err := checkDatabase(ctx, dsn); err != nil {
		return fmt.Errorf("postgres: backup: %w", err)
	}
	// Written under a temporary name and renamed, so that a backup that
	// failed half-way is never mistaken for one.
	part := out + ".part"
	os.Remove(part)
	if _, err := runTool(ctx, "pg_dump", dsn, "--format=custom", "--no-owner", "--no-privileges", "--file="+part); err != nil {
		os.Remove(part)
		return err
	}
	if _, err := migrationsIn(ctx, part); err != nil {
		os.Remove(part)
		return err
	}
	if err := syncFile(part); err != nil {
		os.Remove(part)
		return err
	}
	if err := os.Link(part, out); err != nil { // fails rather than replace an out made meanwhile
		os.Remove(part)
		return fmt.Errorf("postgres: backup: %w", err)
	}
	return os.Remove(part)
}

// Restore loads the backup from into the database at dsn, which must
// hold no table: a new database made with createdb. It refuses a backup
// that pg_restore cannot read, that is not portail's, or that a newer
// portail made, before writing anything; the restore runs in one
// transaction, so a failure leaves the database empty. Migrations the
// backup lacks are applied when the store opens it.
func Restore(ctx context.Context, from, dsn string) error {
	if _, err := os.Stat(from); err != nil {
		return fmt.Errorf("postgres: restore: %w", err)
	}
	names, err := migrationsIn(ctx, from)
	if err != nil {
		return err
	}
	if err := knownMigrations(names); err != nil {
		return fmt.Errorf("postgres: restore %s: %w", from, err)
	}
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return fmt.Errorf("postgres: restore: %w", err)
	}
	var tables int
	err = conn.QueryRow(ctx, `SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()`).Scan(&tables)
	conn.Close(ctx)
	if err != nil {
		return fmt.Errorf("postgres: restore: %w", err)
	}
	if tables > 0 {
		return fmt.Errorf("postgres: restore: the database is not empty (%d tables); restore into a new database (createdb), then point -db at it", tables)
	}
	_, err = runTool(ctx, "pg_restore", dsn, "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", from)
	return err
}

// migrationsIn returns the migrations that the backup file records,
// reading the file with pg_restore: a file it cannot read, or with no
// schema_migrations table, is refused.
func migrationsIn(ctx context.Context, file string) ([]string, error) {
	path, err := tool("pg_restore")
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, path, "--data-only", "--table=schema_migrations", "--file=-", file)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("postgres: %s is not a backup that pg_restore can read: %s", file, strings.TrimSpace(stderr.String()))
	}
	// The table's rows are the lines between its COPY and "\.".
	var names []string
	inCopy := false
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "COPY ") && strings.Contains(line, "schema_migrations"):
			inCopy = true
		case inCopy && line == `\.`:
			inCopy = false
		case inCopy:
			names = append(names, line)
		}
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("postgres: %s is not a portail database (no migrations recorded)", file)
	}
	return names, nil
}

// checkDatabase refuses a database that is not portail's, or that a
// newer portail migrated.
func checkDatabase(ctx context.Context, dsn string) error {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, `SELECT name FROM schema_migrations`)
	if err != nil {
		return fmt.Errorf("not a portail database (no migrations recorded): %w", err)
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return err
	}
	return knownMigrations(names)
}

// knownMigrations refuses names holding a migration this binary does not
// know: a newer portail made them.
func knownMigrations(names []string) error {
	known, err := migrationNames()
	if err != nil {
		return err
	}
	var unknown []string
	for _, n := range names {
		if !slices.Contains(known, n) {
			unknown = append(unknown, n)
		}
	}
	if len(unknown) > 0 {
		return fmt.Errorf("made by a newer portail: migrations %v are unknown to this one", unknown)
	}
	return nil
}

func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("postgres: %w", err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return fmt.Errorf("postgres: %w", err)
	}
	return nil
}
