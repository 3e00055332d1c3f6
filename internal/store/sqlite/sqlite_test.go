package sqlite

import (
	"context"
	"path/filepath"
	"testing"

	"portail/internal/store"
	"portail/internal/store/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T, clock *storetest.Clock) store.Store {
		db, err := Open(context.Background(), filepath.Join(t.TempDir(), "portail.db"), WithClock(clock.Now))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	})
}

func TestReopenKeepsDataAndSkipsApplied(t *testing.T) {
	path := filepath.Join(t.TempDir(), "portail.db")
	ctx := context.Background()
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.CreatePage(ctx, storetest.Page("mission")); err != nil {
		t.Fatal(err)
	}
	db.Close()
	db, err = Open(ctx, path)
	if err != nil {
		t.Fatalf("second open: %v", err)
	}
	defer db.Close()
	if _, err := db.Page(ctx, "mission"); err != nil {
		t.Fatalf("page lost on reopen: %v", err)
	}
	if err := db.Ping(ctx); err != nil {
		t.Fatalf("Ping: %v", err)
	}
	var fk int
	if err := db.SQL().QueryRow(`PRAGMA foreign_keys`).Scan(&fk); err != nil || fk != 1 {
		t.Fatalf("foreign_keys = %d, %v", fk, err)
	}
}

// BenchmarkScale: go test -run '^$' -bench Scale ./internal/store/sqlite
func BenchmarkScale(b *testing.B) {
	storetest.Scale(b, func(b *testing.B) store.Store {
		db, err := Open(context.Background(), filepath.Join(b.TempDir(), "portail.db"))
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { db.Close() })
		return db
	})
}
