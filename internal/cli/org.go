package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"portail/internal/orgchart"
)

const orgUsage = `usage: portail org import FILE.csv|FILE.json
           replaces the organization chart with the file's units and
           periods, after checking the whole file and the chart it
           makes: on any problem, nothing is written
       portail org export [-format json|csv] [-out FILE]
           writes the chart in the same formats (standard output
           without -out)
every form takes -db PATH (or PORTAIL_DB): the site's existing database
`

func orgCmd(ctx context.Context, env Env, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(env.Stderr, orgUsage)
		return ErrUsage
	}
	switch args[0] {
	case "import":
		return orgImport(ctx, env, args[1:])
	case "export":
		return orgExport(ctx, env, args[1:])
	}
	fmt.Fprintf(env.Stderr, "portail org: unknown action %q\n\n%s", args[0], orgUsage)
	return ErrUsage
}

func orgImport(ctx context.Context, env Env, args []string) error {
	fs, dsn := flags(env, "org import")
	if err := fs.Parse(args); err != nil {
		return ErrUsage
	}
	if fs.NArg() != 1 {
		fmt.Fprint(env.Stderr, orgUsage)
		return ErrUsage
	}
	name := fs.Arg(0)
	f, err := os.Open(name)
	if err != nil {
		return fmt.Errorf("portail org import: %w", err)
	}
	defer f.Close()
	// The whole file is read and checked before the database is opened.
	units, err := orgchart.Read(filepath.Base(name), f)
	if fe, ok := errors.AsType[*orgchart.FileError](err); ok {
		return fmt.Errorf("portail org import: %s: nothing was imported:\n  %s", name, strings.Join(fe.Lines(), "\n  "))
	}
	if err != nil {
		return fmt.Errorf("portail org import: %s: %w", name, err)
	}
	db, err := openExisting(ctx, "portail org import", *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.ReplaceOrgUnits(ctx, units, cliOrigin()); err != nil {
		if ce, ok := errors.AsType[*orgchart.ChartError](err); ok {
			return fmt.Errorf("portail org import: %s: nothing was imported:\n  %s", name, strings.Join(ce.Lines(), "\n  "))
		}
		return problemsError("portail org import", err)
	}
	fmt.Fprintf(env.Stdout, "imported %d units from %s\n", len(units), name)
	return nil
}

func orgExport(ctx context.Context, env Env, args []string) error {
	fs, dsn := flags(env, "org export")
	format := fs.String("format", "", "json or csv (default: from -out's extension, else json)")
	out := fs.String("out", "", "the file to write; it must not exist (default: standard output)")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		return ErrUsage
	}
	f := *format
	if f == "" {
		f = strings.TrimPrefix(strings.ToLower(filepath.Ext(*out)), ".")
		if f != string(orgchart.CSV) {
			f = string(orgchart.JSON)
		}
	}
	write := orgchart.WriteJSON
	switch orgchart.Format(f) {
	case orgchart.JSON:
	case orgchart.CSV:
		write = orgchart.WriteCSV
	default:
		fmt.Fprintf(env.Stderr, "portail org export: -format %q: give json or csv\n", f)
		return ErrUsage
	}
	db, err := openExisting(ctx, "portail org export", *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	units, err := db.OrgUnits(ctx)
	if err != nil {
		return fmt.Errorf("portail org export: %w", err)
	}
	if *out == "" {
		return write(env.Stdout, units)
	}
	file, err := os.OpenFile(*out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fmt.Errorf("portail org export: %w", err)
	}
	if err := write(file, units); err != nil {
		file.Close()
		os.Remove(*out)
		return fmt.Errorf("portail org export: %w", err)
	}
	if err := file.Close(); err != nil {
		return fmt.Errorf("portail org export: %w", err)
	}
	fmt.Fprintf(env.Stderr, "exported %d units to %s\n", len(units), *out)
	return nil
}
