package postgres

import (
	"context"
	"os"
	"testing"

	"portail/internal/store"
	"portail/internal/store/postgres/pgtest"
	"portail/internal/store/storetest"
)

// server is the PostgreSQL server of this test binary; each test gets a
// database of its own, a copy of a migrated template.
var server *pgtest.Server

func TestMain(m *testing.M) {
	server = pgtest.Start(func(ctx context.Context, url string) error {
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
