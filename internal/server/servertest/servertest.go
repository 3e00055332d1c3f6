// Package servertest builds the whole server on a fresh SQLite database
// loaded with the default content, for tests of any package.
package servertest

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"portail/internal/seed"
	"portail/internal/server"
	"portail/internal/store/sqlite"
)

// Options tune New. Config.Store is set by New; Config.Now defaults to Clock.
type Options struct {
	Config server.Config
	Clock  func() time.Time // read by the store and the server; nil is time.Now
}

// New returns the server and its database, closed when t ends (the
// server first: it follows the database's change feed).
func New(t testing.TB, o Options) (*server.Server, *sqlite.DB) {
	t.Helper()
	ctx := context.Background()
	var opts []sqlite.Option
	if o.Clock != nil {
		opts = append(opts, sqlite.WithClock(o.Clock))
		if o.Config.Now == nil {
			o.Config.Now = o.Clock
		}
	}
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "portail.db"), opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := seed.Load(ctx, db); err != nil {
		t.Fatal(err)
	}
	o.Config.Store = db
	srv, err := server.New(ctx, o.Config)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv, db
}
