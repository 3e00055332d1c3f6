// Package pgtest gives tests a real PostgreSQL server: an existing one
// named by PORTAIL_TEST_POSTGRES, or one that it initialises in a
// temporary folder with the installed binaries and stops at the end. Each
// test gets its own database, cloned from a prepared template.
package pgtest

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"portail/internal/testenv"
)

// Server is a PostgreSQL server for the tests of one test binary.
type Server struct {
	admin    string // URL of the maintenance database
	template string // name of the prepared template database
	prefix   string // of the databases this binary creates
	dir      string // the data folder of a server started here, or ""
	bin      string
	asUser   string // the account that runs the server, when started as root
	next     atomic.Int64
	err      error // why there is no server

	prepare func(ctx context.Context, url string) error
	once    sync.Once
	started time.Duration
}

// New returns the server the tests of a binary use: PORTAIL_TEST_POSTGRES
// when it is set, else a new one in a temporary folder. It starts when a
// test first asks for a database, so a binary whose PostgreSQL tests do
// not run pays nothing. prepare is run once on the template database
// that every test's database copies (to apply the migrations, say). When
// there is no server, tests learn why from URL, which stops them as
// testenv.Missing says. Call Stop at the end, after m.Run.
func New(prepare func(ctx context.Context, url string) error) *Server {
	return &Server{prepare: prepare}
}

// start starts the server, once.
func (s *Server) start() {
	s.once.Do(func() {
		t0 := time.Now()
		s.startNow()
		s.started = time.Since(t0)
	})
}

func (s *Server) startNow() {
	s.prefix = "portail_test_" + strconv.Itoa(os.Getpid())
	s.template = s.prefix + "_template"
	prepare := s.prepare
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if u := os.Getenv("PORTAIL_TEST_POSTGRES"); u != "" {
		s.admin = u
	} else if s.err = s.initdb(ctx); s.err != nil {
		s.Stop()
		return
	}
	if s.err = s.exec(ctx, `CREATE DATABASE `+pgx.Identifier{s.template}.Sanitize()); s.err != nil {
		s.Stop()
		return
	}
	if prepare != nil {
		if err := prepare(ctx, s.url(s.template)); err != nil {
			s.err = fmt.Errorf("pgtest: prepare the template: %w", err)
			s.Stop()
		}
	}
}

// Started returns how long the server took to start (initdb, start,
// template), or 0 when no test asked for it.
func (s *Server) Started() time.Duration { return s.started }

// errMissing marks a machine without PostgreSQL, as opposed to a server
// that failed.
var errMissing = errors.New("pgtest: PostgreSQL is not installed (apt-get install postgresql), and PORTAIL_TEST_POSTGRES is not set")

// initdb initialises and starts a server listening only on a unix socket
// in a temporary folder.
func (s *Server) initdb(ctx context.Context) error {
	bins, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	sort.Strings(bins) // the newest version last, while versions have two digits
	if len(bins) > 0 {
		s.bin = filepath.Dir(bins[len(bins)-1])
	} else if p, err := exec.LookPath("initdb"); err == nil {
		s.bin = filepath.Dir(p)
	} else {
		return errMissing
	}
	dir, err := os.MkdirTemp("", "pgtest")
	if err != nil {
		return err
	}
	s.dir = dir
	// initdb refuses to run as root: the server runs as postgres.
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			return fmt.Errorf("pgtest: running as root and there is no postgres account to run the server: %w", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			return err
		}
		s.asUser = "postgres"
	}
	data := filepath.Join(dir, "data")
	if out, err := s.run(ctx, "initdb", "-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync"); err != nil {
		return fmt.Errorf("pgtest: initdb: %w\n%s", err, out)
	}
	// No durability: a test server's data dies with it.
	opts := "-k " + dir + " -c listen_addresses= -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
	if out, err := s.run(ctx, "pg_ctl", "-D", data, "-o", opts, "-l", filepath.Join(dir, "log"), "-w", "start"); err != nil {
		log, _ := os.ReadFile(filepath.Join(dir, "log"))
		return fmt.Errorf("pgtest: pg_ctl start: %w\n%s\n%s", err, out, log)
	}
	s.admin = (&url.URL{Scheme: "postgres", User: url.User("postgres"), Path: "/postgres",
		RawQuery: url.Values{"host": {dir}}.Encode()}).String()
	return nil
}

// run runs one of the server's programs, as its account.
func (s *Server) run(ctx context.Context, prog string, args ...string) ([]byte, error) {
	name := filepath.Join(s.bin, prog)
	if s.asUser != "" {
		args = append([]string{"-u", s.asUser, "--", name}, args...)
		name = "runuser"
	}
	return exec.CommandContext(ctx, name, args...).CombinedOutput()
}

// exec runs one statement on the maintenance database.
func (s *Server) exec(ctx context.Context, sql string) error {
	conn, err := pgx.Connect(ctx, s.admin)
	if err != nil {
		return fmt.Errorf("pgtest: %w", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql); err != nil {
		return fmt.Errorf("pgtest: %s: %w", sql, err)
	}
	return nil
}

// url returns the URL of database name on the server.
func (s *Server) url(name string) string {
	u, err := url.Parse(s.admin)
	if err != nil {
		return s.admin
	}
	u.Path = "/" + name
	return u.String()
}

// URL returns the URL of a new database for t, a copy of the template,
// dropped when t ends. Without a server, it stops t as testenv.Missing
// does: a skip on a developer's machine, a failure in CI.
func (s *Server) URL(t testing.TB) string {
	t.Helper()
	s.need(t)
	return s.create(t, s.template)
}

// EmptyURL is URL without the template: the database is empty, for
// tests of what happens on a first start.
func (s *Server) EmptyURL(t testing.TB) string {
	t.Helper()
	s.need(t)
	return s.create(t, "template0")
}

// need starts the server, or stops t when there is none.
func (s *Server) need(t testing.TB) {
	t.Helper()
	s.start()
	if s.err != nil {
		if errors.Is(s.err, errMissing) {
			testenv.Missing(t, s.err.Error())
		}
		t.Fatal(s.err)
	}
}

// create creates a database for t, a copy of template, dropped when t
// ends, and returns its URL.
func (s *Server) create(t testing.TB, template string) string {
	t.Helper()
	name := s.prefix + "_" + strconv.FormatInt(s.next.Add(1), 10)
	ctx := context.Background()
	if err := s.exec(ctx, `CREATE DATABASE `+pgx.Identifier{name}.Sanitize()+` TEMPLATE `+pgx.Identifier{template}.Sanitize()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		// FORCE ends the connections a failed test left open.
		if err := s.exec(ctx, `DROP DATABASE IF EXISTS `+pgx.Identifier{name}.Sanitize()+` WITH (FORCE)`); err != nil {
			t.Error(err)
		}
	})
	return s.url(name)
}

// Stop drops the template of an existing server, or stops the server
// started here and removes its folder.
func (s *Server) Stop() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if s.dir == "" {
		if s.admin != "" {
			s.exec(ctx, `DROP DATABASE IF EXISTS `+pgx.Identifier{s.template}.Sanitize()+` WITH (FORCE)`)
		}
		return
	}
	if _, err := os.Stat(filepath.Join(s.dir, "data", "postmaster.pid")); err == nil {
		s.run(ctx, "pg_ctl", "-D", filepath.Join(s.dir, "data"), "-m", "immediate", "-w", "stop")
	}
	os.RemoveAll(s.dir)
	s.dir = ""
}
