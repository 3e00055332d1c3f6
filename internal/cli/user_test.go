package cli

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"portail/internal/auth"
	"portail/internal/store/sqlite"
)

// run runs the portail command with stdin and returns its output.
func run(t *testing.T, stdin string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errb bytes.Buffer
	env := Env{Args: args, Stdout: &out, Stderr: &errb}
	if stdin != "" {
		env.Stdin = strings.NewReader(stdin)
	}
	err = Run(context.Background(), env)
	return out.String(), errb.String(), err
}

func TestUserCommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "portail.db")
	if _, _, err := run(t, "", "migrate", "-db", db); err != nil {
		t.Fatal(err)
	}

	out, _, err := run(t, "", "user", "add", "-db", db, "-email", "Ed@Example.org", "-name", "Édith Rédactrice", "-role", "editor")
	if err != nil {
		t.Fatalf("user add: %v", err)
	}
	m := regexp.MustCompile(`one-time password: (\S+)`).FindStringSubmatch(out)
	if m == nil || len(m[1]) < auth.MinPasswordLen {
		t.Fatalf("no generated password in %q", out)
	}
	generated := m[1]

	out, _, err = run(t, "un mot de passe assez long\n", "user", "add", "-db", db, "-email", "rev@example.org", "-name", "Rémi", "-role", "reviewer", "-lang", "en")
	if err != nil {
		t.Fatalf("user add with stdin password: %v", err)
	}
	if strings.Contains(out, "one-time") || !strings.Contains(out, "stays until its holder changes it") {
		t.Fatalf("a password read from stdin was echoed, or its fate not said: %q", out)
	}
	out, _, err = run(t, "un autre mot de passe assez long\n", "user", "add", "-db", db, "-email", "acc@example.org", "-name", "Anne", "-role", "access-officer", "-must-change")
	if err != nil || !strings.Contains(out, "must be changed at first sign-in") {
		t.Fatalf("user add -must-change: %q, %v", out, err)
	}

	for _, tc := range []struct {
		name, stdin string
		args        []string
		want        string
	}{
		{"unknown role", "", []string{"-email", "x@example.org", "-name", "X", "-role", "chef"}, "-role: Choose one of the roles offered."},
		{"duplicate email", "", []string{"-email", "ED@example.org", "-name", "X", "-role", "editor"}, "-email: An account already uses this address."},
		{"empty fields", "", []string{"-role", "editor"}, "-email: This field is required."},
		{"look-alike address", "", []string{"-email", "\u0435d@example.org", "-name", "X", "-role", "editor"}, "-email: This address contains invisible or control characters"},
		{"short password", "court\n", []string{"-email", "y@example.org", "-name", "Y", "-role", "editor"}, "-password: The password must have at least 12 characters."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := run(t, tc.stdin, append([]string{"user", "add", "-db", db}, tc.args...)...)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error = %v, want it to say %q", err, tc.want)
			}
		})
	}

	out, _, err = run(t, "", "user", "list", "-db", db)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 4 || !strings.HasPrefix(lines[1], "acc@example.org") || !strings.Contains(lines[1], "must change password") ||
		!strings.HasPrefix(lines[2], "ed@example.org") || !strings.Contains(lines[2], "must change password") ||
		!strings.HasPrefix(lines[3], "rev@example.org") || !strings.Contains(lines[3], "active") {
		t.Fatalf("user list (refused adds must leave nothing):\n%s", out)
	}

	if _, _, err := run(t, "", "user", "disable", "-db", db, "-email", "rev@example.org"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := run(t, "", "user", "disable", "-db", db, "-email", "nobody@example.org"); err == nil {
		t.Fatal("disabling an unknown account succeeded")
	}
	if _, _, err := run(t, "", "user", "frobnicate", "-db", db); !errors.Is(err, ErrUsage) {
		t.Fatalf("unknown action: %v", err)
	}

	st, err := sqlite.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	rev, _ := st.UserByEmail(context.Background(), "rev@example.org")
	if !rev.Disabled || rev.Lang != "en" || rev.MustChangePassword {
		t.Fatalf("rev = %+v", rev)
	}
	ed, _ := st.UserByEmail(context.Background(), "ed@example.org")
	if ok, _ := auth.Verify(ed.PasswordHash, generated); !ok || !ed.MustChangePassword || ed.Role != auth.Editor {
		t.Fatalf("ed = %+v; the printed password must be the stored one", ed)
	}
}

func TestServeCreatesFirstAdminOnce(t *testing.T) {
	db := filepath.Join(t.TempDir(), "portail.db")
	log := serveOnce(t, db)
	m := regexp.MustCompile(`created the first administrator.*email=admin@localhost password=(\S+)`).FindStringSubmatch(log)
	if m == nil {
		t.Fatalf("no first administrator in the log:\n%s", log)
	}
	st, err := sqlite.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	u, err := st.UserByEmail(context.Background(), "admin@localhost")
	st.Close()
	if err != nil || u.Role != auth.Admin || !u.MustChangePassword {
		t.Fatalf("first admin = %+v, %v", u, err)
	}
	if ok, _ := auth.Verify(u.PasswordHash, m[1]); !ok {
		t.Fatal("the logged password does not sign in")
	}
	if log := serveOnce(t, db); strings.Contains(log, "first administrator") {
		t.Fatalf("a second start created another administrator:\n%s", log)
	}
}

// TestUserCommandsNeedAnExistingDatabase: a user subcommand pointed at a
// file that does not exist (no -db, run from the wrong folder) says so and
// creates nothing, instead of adding an account to a new database.
func TestUserCommandsNeedAnExistingDatabase(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "data", "portail.db")
	for _, args := range [][]string{
		{"user", "add", "-db", missing, "-email", "ed@example.org", "-name", "Ed", "-role", "editor"},
		{"user", "list", "-db", missing},
		{"user", "disable", "-db", missing, "-email", "ed@example.org"},
	} {
		_, _, err := run(t, "", args...)
		if err == nil || !strings.Contains(err.Error(), "no database at "+missing) || !strings.Contains(err.Error(), "-db PATH") {
			t.Errorf("%v: error %v, want one naming %s and -db", args[:2], err, missing)
		}
		if _, err := os.Stat(filepath.Dir(missing)); !errors.Is(err, fs.ErrNotExist) {
			t.Fatalf("%v created %s", args[:2], filepath.Dir(missing))
		}
	}
}
