package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"portail/internal/audit"
	"portail/internal/office"
	"portail/internal/orgchart"
	"portail/internal/store"
)

// dataFiles is structured data that the command line imports and exports
// whole, as CSV or JSON: the offices abroad, the organization chart.
type dataFiles[T any] struct {
	cmd   string // the command ("offices")
	what  string // what the rows are, plural ("units")
	usage string
	// read checks a whole file; its problems come as an error with
	// Lines, one problem a line.
	read                func(name string, r io.Reader) ([]T, error)
	writeJSON, writeCSV func(w io.Writer, rows []T) error
	load                func(ctx context.Context, s store.Store) ([]T, error)
	// replace makes the store hold exactly rows, all or nothing.
	replace func(ctx context.Context, s store.Store, rows []T, o audit.Origin) error
}

var officeFiles = dataFiles[office.Office]{
	cmd: "offices", what: "offices",
	usage: `usage: portail offices import FILE.csv|FILE.json
           replaces the directory of offices abroad with the file's, after
           checking the whole file: on any problem, nothing is written
       portail offices export [-format json|csv] [-out FILE]
           writes the directory in the same formats (standard output
           without -out)
every form takes -db PATH (or PORTAIL_DB): the site's existing database
`,
	read: office.Read, writeJSON: office.WriteJSON, writeCSV: office.WriteCSV,
	load: func(ctx context.Context, s store.Store) ([]office.Office, error) { return s.Offices(ctx) },
	replace: func(ctx context.Context, s store.Store, rows []office.Office, o audit.Origin) error {
		return s.ReplaceOffices(ctx, rows, o)
	},
}

var orgFiles = dataFiles[orgchart.Unit]{
	cmd: "org", what: "units",
	usage: `usage: portail org import FILE.csv|FILE.json
           replaces the organization chart with the file's units and
           periods, after checking the whole file and the chart it
           makes: on any problem, nothing is written
       portail org export [-format json|csv] [-out FILE]
           writes the chart in the same formats (standard output
           without -out)
every form takes -db PATH (or PORTAIL_DB): the site's existing database
`,
	read: orgchart.Read, writeJSON: orgchart.WriteJSON, writeCSV: orgchart.WriteCSV,
	load: func(ctx context.Context, s store.Store) ([]orgchart.Unit, error) { return s.OrgUnits(ctx) },
	replace: func(ctx context.Context, s store.Store, rows []orgchart.Unit, o audit.Origin) error {
		return s.ReplaceOrgUnits(ctx, rows, o)
	},
}

// lined is an error that lists its problems a line each: a file's
// (office.FileError, orgchart.FileError) or a chart's (orgchart.ChartError).
type lined interface {
	error
	Lines() []string
}

func (d dataFiles[T]) run(ctx context.Context, env Env, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(env.Stderr, d.usage)
		return ErrUsage
	}
	switch args[0] {
	case "import":
		return d.importFile(ctx, env, args[1:])
	case "export":
		return d.export(ctx, env, args[1:])
	}
	fmt.Fprintf(env.Stderr, "portail %s: unknown action %q\n\n%s", d.cmd, args[0], d.usage)
	return ErrUsage
}

func (d dataFiles[T]) importFile(ctx context.Context, env Env, args []string) error {
	cmd := "portail " + d.cmd + " import"
	fs, dsn := flags(env, d.cmd+" import")
	if err := fs.Parse(args); err != nil {
		return ErrUsage
	}
	if fs.NArg() != 1 {
		fmt.Fprint(env.Stderr, d.usage)
		return ErrUsage
	}
	name := fs.Arg(0)
	f, err := os.Open(name)
	if err != nil {
		return fmt.Errorf("%s: %w", cmd, err)
	}
	defer f.Close()
	refused := func(err error) error {
		if le, ok := errors.AsType[lined](err); ok {
			return fmt.Errorf("%s: %s: nothing was imported:\n  %s", cmd, name, strings.Join(le.Lines(), "\n  "))
		}
		return nil
	}
	// The whole file is read and checked before the database is opened.
	rows, err := d.read(filepath.Base(name), f)
	if err != nil {
		if r := refused(err); r != nil {
			return r
		}
		return fmt.Errorf("%s: %s: %w", cmd, name, err)
	}
	db, err := openExisting(ctx, cmd, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := d.replace(ctx, db, rows, cliOrigin()); err != nil {
		if r := refused(err); r != nil {
			return r
		}
		return problemsError(cmd, err)
	}
	fmt.Fprintf(env.Stdout, "imported %d %s from %s\n", len(rows), d.what, name)
	return nil
}

func (d dataFiles[T]) export(ctx context.Context, env Env, args []string) error {
	cmd := "portail " + d.cmd + " export"
	fs, dsn := flags(env, d.cmd+" export")
	format := fs.String("format", "", "json or csv (default: from -out's extension, else json)")
	out := fs.String("out", "", "the file to write; it must not exist (default: standard output)")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		return ErrUsage
	}
	f := *format
	if f == "" {
		f = strings.TrimPrefix(strings.ToLower(filepath.Ext(*out)), ".")
		if f != "csv" {
			f = "json"
		}
	}
	write := d.writeJSON
	switch f {
	case "json":
	case "csv":
		write = d.writeCSV
	default:
		fmt.Fprintf(env.Stderr, "%s: -format %q: give json or csv\n", cmd, f)
		return ErrUsage
	}
	db, err := openExisting(ctx, cmd, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	rows, err := d.load(ctx, db)
	if err != nil {
		return fmt.Errorf("%s: %w", cmd, err)
	}
	if *out == "" {
		return write(env.Stdout, rows)
	}
	file, err := os.OpenFile(*out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fmt.Errorf("%s: %w", cmd, err)
	}
	if err := write(file, rows); err != nil {
		file.Close()
		os.Remove(*out)
		return fmt.Errorf("%s: %w", cmd, err)
	}
	if err := file.Close(); err != nil {
		return fmt.Errorf("%s: %w", cmd, err)
	}
	fmt.Fprintf(env.Stderr, "exported %d %s to %s\n", len(rows), d.what, *out)
	return nil
}
