package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"sort"
	"strings"
	"text/tabwriter"

	"portail/internal/apperr"
	"portail/internal/audit"
	"portail/internal/auth"
	"portail/internal/i18n"
	"portail/internal/lang"
	"portail/internal/store"
)

const userUsage = `usage: portail user add -email E -name N -role ROLE [-lang fr|en] [-must-change]
           the password is read from stdin, else generated; a generated one
           must be changed at first sign-in, one from stdin only with -must-change
       portail user list
       portail user disable -email E
roles: admin, editor, reviewer, access-officer, service-analyst
every form takes -db PATH (or PORTAIL_DB): the site's existing database
`

// cliOrigin is who the audit log names for changes made on the command line.
func cliOrigin() audit.Origin { return audit.Origin{Actor: "cli"} }

func userCmd(ctx context.Context, env Env, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(env.Stderr, userUsage)
		return ErrUsage
	}
	switch args[0] {
	case "add":
		return userAdd(ctx, env, args[1:])
	case "list":
		return userList(ctx, env, args[1:])
	case "disable":
		return userDisable(ctx, env, args[1:])
	}
	fmt.Fprintf(env.Stderr, "portail user: unknown action %q\n\n%s", args[0], userUsage)
	return ErrUsage
}

// problemsError spells out a store error's field problems in English.
func problemsError(what string, err error) error {
	p := apperr.ProblemsOf(err)
	if len(p) == 0 {
		return fmt.Errorf("%s: %w", what, err)
	}
	cats, cerr := i18n.Load()
	if cerr != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	fields := make([]string, 0, len(p))
	for f := range p {
		fields = append(fields, f)
	}
	sort.Strings(fields)
	var b strings.Builder
	for _, f := range fields {
		fmt.Fprintf(&b, "\n  -%s: %s", f, cats[lang.EN].T(p[f]))
	}
	return fmt.Errorf("%s:%s", what, b.String())
}

// readPassword returns the first line of stdin when it is a pipe or a
// file, or "" when it is a terminal or empty.
func readPassword(in io.Reader) (string, error) {
	if in == nil {
		return "", nil
	}
	if f, ok := in.(*os.File); ok {
		st, err := f.Stat()
		if err != nil || st.Mode()&os.ModeCharDevice != 0 {
			return "", nil
		}
	}
	line, err := bufio.NewReader(in).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	return strings.TrimRight(line, "\r\n"), nil
}

func userAdd(ctx context.Context, env Env, args []string) error {
	fs, dsn := flags(env, "user add")
	email := fs.String("email", "", "email address (the login name)")
	name := fs.String("name", "", "full name")
	role := fs.String("role", "", "admin, editor, reviewer, access-officer or service-analyst")
	l := fs.String("lang", "fr", "staff side language: fr or en")
	mustChange := fs.Bool("must-change", false, "with a password from stdin: its holder must change it at first sign-in")
	if err := fs.Parse(args); err != nil {
		return ErrUsage
	}
	u := auth.User{Email: auth.NormalizeEmail(*email), Name: strings.TrimSpace(*name), Role: auth.Role(*role), Lang: lang.Lang(*l)}
	p := u.Validate()
	pw, err := readPassword(env.Stdin)
	if err != nil {
		return fmt.Errorf("portail user add: reading the password: %w", err)
	}
	generated := pw == ""
	// A generated password is printed here, so someone else saw it; one
	// from stdin is whatever the operator decided, and -must-change says so.
	u.MustChangePassword = generated || *mustChange
	if generated {
		pw = auth.NewPassword()
	} else {
		for k, v := range auth.CheckPassword("password", pw) {
			p.Add(k, v)
		}
	}
	if err := p.Err(); err != nil {
		return problemsError("portail user add", err)
	}
	db, err := openExisting(ctx, "portail user add", *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	u.PasswordHash = auth.Hash(pw)
	u, err = db.CreateUser(ctx, u, cliOrigin())
	if err != nil {
		return problemsError("portail user add", err)
	}
	fmt.Fprintf(env.Stdout, "created %s %s (id %d)\n", u.Role, u.Email, u.ID)
	switch {
	case generated:
		fmt.Fprintf(env.Stdout, "one-time password: %s\n(shown once; it must be changed at first sign-in)\n", pw)
	case u.MustChangePassword:
		fmt.Fprintln(env.Stdout, "the password read from stdin must be changed at first sign-in (-must-change)")
	default:
		fmt.Fprintln(env.Stdout, "the password read from stdin stays until its holder changes it (add -must-change to require a change at first sign-in)")
	}
	return nil
}

func userList(ctx context.Context, env Env, args []string) error {
	fs, dsn := flags(env, "user list")
	if err := fs.Parse(args); err != nil {
		return ErrUsage
	}
	db, err := openExisting(ctx, "portail user list", *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	users, err := db.Users(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "EMAIL\tNAME\tROLE\tLANG\tSTATE")
	for _, u := range users {
		state := "active"
		switch {
		case u.Disabled:
			state = "disabled"
		case u.MustChangePassword:
			state = "must change password"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", u.Email, u.Name, u.Role, u.Lang, state)
	}
	return tw.Flush()
}

func userDisable(ctx context.Context, env Env, args []string) error {
	fs, dsn := flags(env, "user disable")
	email := fs.String("email", "", "email address of the account")
	if err := fs.Parse(args); err != nil {
		return ErrUsage
	}
	if *email == "" {
		fmt.Fprint(env.Stderr, "portail user disable: -email is required\n")
		return ErrUsage
	}
	db, err := openExisting(ctx, "portail user disable", *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	u, err := db.UserByEmail(ctx, *email)
	if errors.Is(err, apperr.NotFound) {
		return fmt.Errorf("portail user disable: no account %s", auth.NormalizeEmail(*email))
	}
	if err != nil {
		return err
	}
	if err := db.DisableUser(ctx, u.ID, cliOrigin()); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "disabled %s; its sessions are ended\n", u.Email)
	return nil
}

// openExisting opens the database at path for a user subcommand, which
// never creates one: an account added to a new file in the wrong folder
// would be one nobody can sign in with.
func openExisting(ctx context.Context, cmd, path string) (store.Store, error) {
	if !strings.Contains(path, "://") {
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%s: there is no database at %s; give the site's with -db PATH (or PORTAIL_DB), or create one with portail migrate -db PATH", cmd, path)
		}
	}
	return openStore(ctx, path, slog.New(slog.DiscardHandler))
}

// firstAdmin creates an administrator on a database without accounts and
// logs its one-time password, which must be changed at first sign-in.
func firstAdmin(ctx context.Context, db store.Store, email string, log *slog.Logger) error {
	users, err := db.Users(ctx)
	if err != nil || len(users) > 0 {
		return err
	}
	pw := auth.NewPassword()
	u, err := db.CreateUser(ctx, auth.User{
		Email: email, Name: "Administrateur", Role: auth.Admin, Lang: lang.FR,
		MustChangePassword: true, PasswordHash: auth.Hash(pw),
	}, cliOrigin())
	if errors.Is(err, apperr.Conflict) {
		// Another instance starting on the same empty database created
		// it first: its log has the one-time password.
		log.Info("the first administrator was created by another instance", "email", email)
		return nil
	}
	if err != nil {
		return problemsError("portail: first administrator", err)
	}
	log.Warn("created the first administrator: sign in at /admin/login and change this one-time password",
		"email", u.Email, "password", pw)
	return nil
}
