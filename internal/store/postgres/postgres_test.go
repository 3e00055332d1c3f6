package postgres

import (
	"context"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"portail/internal/audit"
	"portail/internal/auth"
	"portail/internal/lang"
	"portail/internal/store"
	"portail/internal/store/postgres/pgtest"
	"portail/internal/store/storetest"
)

// server is the PostgreSQL server of this test binary; each test gets a
// database of its own, a copy of a migrated template.
var server *pgtest.Server

func TestMain(m *testing.M) {
	server = pgtest.New(func(ctx context.Context, url string) error {
		db, err := Open(ctx, url)
		if err != nil {
			return err
		}
		return db.Close()
	})
	code := m.Run()
	server.Stop()
	os.Exit(code)
}

// open opens a fresh, migrated database for t.
func open(t *testing.T, opts ...Option) *DB {
	t.Helper()
	db, err := Open(context.Background(), server.URL(t), opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T, clock *storetest.Clock) store.Store { return open(t, WithClock(clock.Now)) })
}

// The two dialects' migrations carry the same numbers, so that a
// database on either store is at the same version after the same
// release.
func TestMigrationNumbersMatchSQLite(t *testing.T) {
	numbers := func(names []string) []string {
		var out []string
		for _, n := range names {
			num, _, ok := strings.Cut(n, "_")
			if !ok || len(num) != 4 {
				t.Errorf("migration %s is not named NNNN_name.sql", n)
			}
			out = append(out, num)
		}
		return out
	}
	entries, err := os.ReadDir("../sqlite/migrations")
	if err != nil {
		t.Fatal(err)
	}
	var lite []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".sql") {
			lite = append(lite, e.Name())
		}
	}
	pg, err := migrationNames()
	if err != nil {
		t.Fatal(err)
	}
	if a, b := numbers(lite), numbers(pg); !slices.Equal(a, b) || len(a) == 0 {
		t.Fatalf("sqlite migrations %v, postgres migrations %v", a, b)
	}
}

// Instances that start together on an empty database apply each
// migration once, and all open.
func TestConcurrentOpenMigratesOnce(t *testing.T) {
	url := server.EmptyURL(t)
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Go(func() {
			db, err := Open(context.Background(), url)
			if err == nil {
				err = db.Ping(context.Background())
				db.Close()
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	db := open2(t, url)
	names, _ := migrationNames()
	var n, distinct int
	if err := db.pool.QueryRow(context.Background(), `SELECT count(*), count(DISTINCT name) FROM schema_migrations`).Scan(&n, &distinct); err != nil {
		t.Fatal(err)
	}
	if n != len(names) || distinct != n {
		t.Fatalf("schema_migrations has %d rows (%d distinct), want %d", n, distinct, len(names))
	}
}

func open2(t *testing.T, url string) *DB {
	t.Helper()
	db, err := Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// The store has no method that changes an audit entry; the triggers make
// sure that a statement run by hand cannot either.
func TestAuditIsAppendOnly(t *testing.T) {
	ctx := context.Background()
	db := open(t)
	if _, err := db.AppendAudit(ctx, audit.Entry{Actor: "a@example.org", Action: audit.Login}); err != nil {
		t.Fatal(err)
	}
	for _, stmt := range []string{`UPDATE audit SET actor = 'someone else'`, `DELETE FROM audit`, `TRUNCATE audit`} {
		if _, err := db.pool.Exec(ctx, stmt); err == nil {
			t.Errorf("%s succeeded", stmt)
		}
	}
	if es, _ := db.AuditLog(ctx, audit.Filter{}); len(es) != 1 || es[0].Actor != "a@example.org" {
		t.Fatalf("entries = %+v", es)
	}
}

// PostgreSQL keeps microseconds: the store truncates its clock, so that
// a time it returns on writing equals the one it reads back, whatever
// the clock's precision.
func TestTimesRoundTripAtClockPrecision(t *testing.T) {
	ctx := context.Background()
	at := time.Date(2026, 3, 2, 14, 30, 0, 123456789, time.FixedZone("EST", -5*3600))
	db := open(t, WithClock(func() time.Time { return at }))
	u, err := db.CreateUser(ctx, auth.User{Email: "ed@example.org", Name: "Ed", Role: auth.Editor, PasswordHash: "x"}, audit.Origin{Actor: "adm@example.org"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := db.User(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Created.Equal(u.Created) || got.Created.Location() != time.UTC || !u.Created.Equal(at.Truncate(time.Microsecond)) {
		t.Fatalf("created %v, read back %v, clock %v", u.Created, got.Created, at)
	}
}

func TestReopenKeepsDataAndSkipsApplied(t *testing.T) {
	ctx := context.Background()
	url := server.URL(t)
	db := open2(t, url)
	if err := db.CreatePage(ctx, storetest.Page("mission")); err != nil {
		t.Fatal(err)
	}
	db.Close()
	db = open2(t, url)
	if _, err := db.Page(ctx, "mission"); err != nil {
		t.Fatalf("page lost on reopen: %v", err)
	}
	if err := db.Ping(ctx); err != nil {
		t.Fatalf("Ping: %v", err)
	}
}

// A change committed by one instance is announced to another, which
// listens on its own connection.
func TestChangeNoticesReachOtherInstances(t *testing.T) {
	url := server.URL(t)
	a, b := open2(t, url), open2(t, url)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	notices := a.ChangeNotices(ctx)
	next := func(what string) {
		t.Helper()
		select {
		case <-notices:
		case <-time.After(10 * time.Second):
			t.Fatalf("no notice %s", what)
		}
	}
	next("when listening starts")
	if err := b.CreatePage(ctx, storetest.Page("mission")); err != nil {
		t.Fatal(err)
	}
	if err := b.ReservePath(ctx, "mission", lang.EN, "department/mission"); err != nil {
		t.Fatal(err)
	}
	next("after a change on the other instance")
}

// BenchmarkScale: go test -run '^$' -bench Scale ./internal/store/postgres
func BenchmarkScale(b *testing.B) {
	storetest.Scale(b, func(b *testing.B) store.Store {
		db, err := Open(context.Background(), server.URL(b))
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { db.Close() })
		return db
	})
}
