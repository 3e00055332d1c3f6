package sqlite

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"portail/internal/audit"
	"portail/internal/auth"
	"portail/internal/store/storetest"
)

// Sessions abandoned without a sign-out do not pile up: each sign-in
// sweeps the expired ones.
func TestExpiredSessionsAreSwept(t *testing.T) {
	ctx := context.Background()
	clock := &storetest.Clock{T: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	db, err := Open(ctx, filepath.Join(t.TempDir(), "portail.db"), WithClock(clock.Now))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	u, err := db.CreateUser(ctx, auth.User{Email: "a@example.org", Name: "A", Role: auth.Editor, PasswordHash: "h"}, audit.Origin{Actor: "test"})
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		_, s := auth.NewSession(u.ID, clock.T)
		if err := db.CreateSession(ctx, s, audit.Origin{}); err != nil {
			t.Fatal(err)
		}
	}
	clock.Advance(auth.IdleTimeout)
	_, s := auth.NewSession(u.ID, clock.T)
	if err := db.CreateSession(ctx, s, audit.Origin{}); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.SQL().QueryRowContext(ctx, `SELECT count(*) FROM sessions`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("sessions left = %d, %v; want only the live one", n, err)
	}
}
