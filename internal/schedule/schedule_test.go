package schedule

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"portail/internal/audit"
	"portail/internal/content"
	"portail/internal/lang"
	"portail/internal/store"
	"portail/internal/store/sqlite"
	"portail/internal/store/storetest"
)

// counter counts invalidations, standing in for the public site; when
// invalidated is set, each invalidation is also signalled on it.
type counter struct {
	n           int
	invalidated chan struct{}
}

func (c *counter) Invalidate(context.Context) error {
	c.n++
	if c.invalidated != nil {
		c.invalidated <- struct{}{}
	}
	return nil
}

var (
	ctx      = context.Background()
	rev      = audit.Origin{Actor: "rev@example.org"}
	reviewer = content.Actor{Name: "rev@example.org", Approve: true}
)

func setup(t *testing.T) (*sqlite.DB, *storetest.Clock, *counter, *Scheduler) {
	t.Helper()
	clock := &storetest.Clock{T: time.Date(2026, 6, 1, 13, 0, 0, 0, time.UTC)}
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "p.db"), sqlite.WithClock(clock.Now))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	c := &counter{}
	return db, clock, c, New(db, c, slog.New(slog.NewTextHandler(io.Discard, nil)), clock.Now)
}

func schedule(t *testing.T, db *sqlite.DB, key, path string, at time.Time) content.Revision {
	t.Helper()
	if err := db.CreatePage(ctx, storetest.Page(key)); err != nil {
		t.Fatal(err)
	}
	r, err := db.SaveRevision(ctx, content.Revision{PageKey: key, Lang: lang.FR, Path: path, Title: key, Author: "ed@example.org", State: content.Review})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.Step(ctx, db, reviewer, r.ID, content.Request{Action: content.ActSchedule, At: at}, rev); err != nil {
		t.Fatal(err)
	}
	return r
}

func public(t *testing.T, db *sqlite.DB, key string) bool {
	t.Helper()
	ts, err := db.Translations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, tr := range ts {
		if tr.PageKey == key && tr.HasContent() {
			return true
		}
	}
	return false
}

func TestTickPublishesWhatIsDueOnce(t *testing.T) {
	db, clock, site, s := setup(t)
	schedule(t, db, "soon", "soon", clock.T.Add(10*time.Minute))
	schedule(t, db, "later", "later", clock.T.Add(24*time.Hour))

	if n, err := s.Tick(ctx); n != 0 || err != nil || site.n != 0 {
		t.Fatalf("before its time: published %d, %v, %d invalidations", n, err, site.n)
	}
	clock.Advance(10 * time.Minute)
	if n, err := s.Tick(ctx); n != 1 || err != nil {
		t.Fatalf("at its time: published %d, %v", n, err)
	}
	if !public(t, db, "soon") || public(t, db, "later") || site.n != 1 {
		t.Fatalf("soon public %v, later public %v, %d invalidations", public(t, db, "soon"), public(t, db, "later"), site.n)
	}
	if n, _ := s.Tick(ctx); n != 0 || site.n != 1 {
		t.Fatalf("second tick published %d again", n)
	}
}

func TestRunCatchesUpOnStart(t *testing.T) {
	db, clock, site, s := setup(t)
	schedule(t, db, "missed", "missed", clock.T.Add(time.Hour))
	clock.Advance(48 * time.Hour) // the server was down when it fell due
	site.invalidated = make(chan struct{}, 1)
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { s.Run(runCtx, time.Hour); close(done) }()
	// Run ticks once before waiting for the ticker: that first tick must
	// publish and refresh the site. The hour-long ticker cannot tick here.
	select {
	case <-site.invalidated:
	case <-time.After(30 * time.Second):
		t.Fatal("the first tick did not publish the missed revision")
	}
	cancel()
	<-done
	if !public(t, db, "missed") || site.n != 1 {
		t.Fatalf("missed publication not caught up: public %v, %d invalidations", public(t, db, "missed"), site.n)
	}
}

func TestFailedPublicationStaysScheduledAndOverdue(t *testing.T) {
	db, clock, site, s := setup(t)
	r := schedule(t, db, "late", "shared", clock.T.Add(time.Minute))
	// Another page takes the path before the time comes.
	if err := db.CreatePage(ctx, storetest.Page("other")); err != nil {
		t.Fatal(err)
	}
	o, err := db.SaveRevision(ctx, content.Revision{PageKey: "other", Lang: lang.FR, Path: "shared", Title: "Autre", Author: "ed@example.org", State: content.Review})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.Step(ctx, db, reviewer, o.ID, content.Request{Action: content.ActPublish}, rev); err != nil {
		t.Fatal(err)
	}
	clock.Advance(5 * time.Minute)
	if n, err := s.Tick(ctx); n != 0 || err != nil || site.n != 0 {
		t.Fatalf("tick: %d, %v, %d invalidations", n, err, site.n)
	}
	list, _ := db.Scheduled(ctx)
	if len(list) != 1 || list[0].ID != r.ID || !list[0].Overdue(clock.Now()) {
		t.Fatalf("scheduled = %+v, want the failed one, overdue", list)
	}
}
