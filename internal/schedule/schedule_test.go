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

// signalling is the store, telling on published each revision that a
// scheduler published.
type signalling struct {
	*sqlite.DB
	published chan int64
}

func (s signalling) Apply(ctx context.Context, t content.Transition, o audit.Origin) (content.Revision, error) {
	r, err := s.DB.Apply(ctx, t, o)
	if err == nil && t.Action == content.ActPublishDue {
		s.published <- t.Revision
	}
	return r, err
}

var (
	ctx      = context.Background()
	rev      = audit.Origin{Actor: "rev@example.org"}
	reviewer = content.Actor{Name: "rev@example.org", Approve: true}
	discard  = slog.New(slog.NewTextHandler(io.Discard, nil))
)

func setup(t *testing.T) (*sqlite.DB, *storetest.Clock, *Scheduler) {
	t.Helper()
	clock := &storetest.Clock{T: time.Date(2026, 6, 1, 13, 0, 0, 0, time.UTC)}
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "p.db"), sqlite.WithClock(clock.Now))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, clock, New(db, discard, clock.Now)
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
	db, clock, s := setup(t)
	schedule(t, db, "soon", "soon", clock.T.Add(10*time.Minute))
	schedule(t, db, "later", "later", clock.T.Add(24*time.Hour))

	if n, err := s.Tick(ctx); n != 0 || err != nil {
		t.Fatalf("before its time: published %d, %v", n, err)
	}
	clock.Advance(10 * time.Minute)
	before, err := db.LastChange(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := s.Tick(ctx); n != 1 || err != nil {
		t.Fatalf("at its time: published %d, %v", n, err)
	}
	if !public(t, db, "soon") || public(t, db, "later") {
		t.Fatalf("soon public %v, later public %v", public(t, db, "soon"), public(t, db, "later"))
	}
	// The public sites of every instance learn of it from the change feed.
	if cs, err := db.ChangesSince(ctx, before.Seq, 10); err != nil || len(cs) != 1 || cs[0].Key != "soon" {
		t.Fatalf("changes after the tick: %+v, %v", cs, err)
	}
	if n, _ := s.Tick(ctx); n != 0 {
		t.Fatalf("second tick published %d again", n)
	}
}

func TestRunCatchesUpOnStart(t *testing.T) {
	db, clock, _ := setup(t)
	r := schedule(t, db, "missed", "missed", clock.T.Add(time.Hour))
	clock.Advance(48 * time.Hour) // the server was down when it fell due
	store := signalling{DB: db, published: make(chan int64, 1)}
	s := New(store, discard, clock.Now)
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { s.Run(runCtx, time.Hour); close(done) }()
	// Run ticks once before waiting for the ticker: that first tick must
	// publish. The hour-long ticker cannot tick here.
	select {
	case id := <-store.published:
		if id != r.ID {
			t.Fatalf("published revision %d, want %d", id, r.ID)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the first tick did not publish the missed revision")
	}
	cancel()
	<-done
	if !public(t, db, "missed") {
		t.Fatal("missed publication not caught up")
	}
}

func TestFailedPublicationStaysScheduledAndOverdue(t *testing.T) {
	db, clock, s := setup(t)
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
	if n, err := s.Tick(ctx); n != 0 || err != nil {
		t.Fatalf("tick: %d, %v", n, err)
	}
	list, _ := db.Scheduled(ctx)
	if len(list) != 1 || list[0].ID != r.ID || !list[0].Overdue(clock.Now()) {
		t.Fatalf("scheduled = %+v, want the failed one, overdue", list)
	}
}
