package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"

	"portail/internal/store/storecopy"
)

// copyCmd copies a whole database into another, empty one, possibly of
// the other store: copy -from DB -to DB.
func copyCmd(ctx context.Context, env Env, args []string) error {
	fs := flag.NewFlagSet("portail copy", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	from := fs.String("from", "", "the database to copy: SQLite file path, or postgres://… URL")
	to := fs.String("to", "", "the empty database to copy into: SQLite file path, or postgres://… URL")
	if err := fs.Parse(args); err != nil {
		return ErrUsage
	}
	if *from == "" || *to == "" || fs.NArg() > 0 {
		fmt.Fprintln(env.Stderr, "portail copy: -from DB and -to DB are required")
		return ErrUsage
	}
	if *from == *to {
		return errors.New("portail copy: -from and -to name the same database")
	}
	if !storecopy.IsPostgres(*from) {
		// Opening a SQLite path creates the file: a mistyped source
		// would look like an empty database.
		if _, err := os.Stat(*from); err != nil {
			return fmt.Errorf("portail copy: %w", err)
		}
	}
	src, closeSrc, err := storecopy.Open(ctx, *from)
	if err != nil {
		return err
	}
	defer closeSrc()
	dst, closeDst, err := storecopy.Open(ctx, *to)
	if err != nil {
		return err
	}
	defer closeDst()

	sums, err := storecopy.Copy(ctx, src, dst, progress(env.Stdout))
	if err != nil {
		return fmt.Errorf("portail copy: nothing was copied: %w", err)
	}
	var rows int64
	for _, s := range sums {
		rows += s.Rows
	}
	fmt.Fprintf(env.Stdout, "copied %d rows of %d tables from %s to %s; counts and checksums match\n",
		rows, len(sums), redact(*from), redact(*to))
	return nil
}

// progress reports each table's rows: on a terminal, one line per table
// that counts up as rows go; elsewhere, a plain line when a table is done.
func progress(w io.Writer) storecopy.Progress {
	if isTerminal(w) {
		return func(table string, n int64, done bool) {
			fmt.Fprintf(w, "\r%-14s %9d rows", table, n)
			if done {
				fmt.Fprintln(w)
			}
		}
	}
	return func(table string, n int64, done bool) {
		if done {
			fmt.Fprintf(w, "%s: %d rows\n", table, n)
		}
	}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// redact hides the password of a postgres:// URL.
func redact(dsn string) string {
	if !storecopy.IsPostgres(dsn) {
		return dsn
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return "a PostgreSQL database"
	}
	return u.Redacted()
}
