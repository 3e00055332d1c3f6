package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"portail/internal/office"
)

const officesUsage = `usage: portail offices import FILE.csv|FILE.json
           replaces the directory of offices abroad with the file's, after
           checking the whole file: on any problem, nothing is written
       portail offices export [-format json|csv] [-out FILE]
           writes the directory in the same formats (standard output
           without -out)
every form takes -db PATH (or PORTAIL_DB): the site's existing database
`

func officesCmd(ctx context.Context, env Env, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(env.Stderr, officesUsage)
		return ErrUsage
	}
	switch args[0] {
	case "import":
		return officesImport(ctx, env, args[1:])
	case "export":
		return officesExport(ctx, env, args[1:])
	}
	fmt.Fprintf(env.Stderr, "portail offices: unknown action %q\n\n%s", args[0], officesUsage)
	return ErrUsage
}

func officesImport(ctx context.Context, env Env, args []string) error {
	fs, dsn := flags(env, "offices import")
	if err := fs.Parse(args); err != nil {
		return ErrUsage
	}
	if fs.NArg() != 1 {
		fmt.Fprint(env.Stderr, officesUsage)
		return ErrUsage
	}
	name := fs.Arg(0)
	f, err := os.Open(name)
	if err != nil {
		return fmt.Errorf("portail offices import: %w", err)
	}
	defer f.Close()
	// The whole file is read and checked before the database is opened.
	offs, err := office.Read(filepath.Base(name), f)
	if fe, ok := errors.AsType[*office.FileError](err); ok {
		return fmt.Errorf("portail offices import: %s: nothing was imported:\n  %s", name, strings.Join(fe.Lines(), "\n  "))
	}
	if err != nil {
		return fmt.Errorf("portail offices import: %s: %w", name, err)
	}
	db, err := openExisting(ctx, "portail offices import", *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.ReplaceOffices(ctx, offs, cliOrigin()); err != nil {
		return problemsError("portail offices import", err)
	}
	fmt.Fprintf(env.Stdout, "imported %d offices from %s\n", len(offs), name)
	return nil
}

func officesExport(ctx context.Context, env Env, args []string) error {
	fs, dsn := flags(env, "offices export")
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
	write := office.WriteJSON
	switch f {
	case "json":
	case "csv":
		write = office.WriteCSV
	default:
		fmt.Fprintf(env.Stderr, "portail offices export: -format %q: give json or csv\n", f)
		return ErrUsage
	}
	db, err := openExisting(ctx, "portail offices export", *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	offs, err := db.Offices(ctx)
	if err != nil {
		return fmt.Errorf("portail offices export: %w", err)
	}
	if *out == "" {
		return write(env.Stdout, offs)
	}
	file, err := os.OpenFile(*out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fmt.Errorf("portail offices export: %w", err)
	}
	if err := write(file, offs); err != nil {
		file.Close()
		os.Remove(*out)
		return fmt.Errorf("portail offices export: %w", err)
	}
	if err := file.Close(); err != nil {
		return fmt.Errorf("portail offices export: %w", err)
	}
	fmt.Fprintf(env.Stderr, "exported %d offices to %s\n", len(offs), *out)
	return nil
}
