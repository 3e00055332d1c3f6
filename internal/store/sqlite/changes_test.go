package sqlite

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"portail/internal/audit"
	"portail/internal/change"
	"portail/internal/content"
	"portail/internal/lang"
	"portail/internal/store"
	"portail/internal/store/storetest"
)

// The change record shares the publication's transaction: when a later
// statement of that transaction fails, the record goes with it.
func TestChangeRolledBackWithItsWrite(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "portail.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.CreatePage(ctx, storetest.Page("mission")); err != nil {
		t.Fatal(err)
	}
	r, err := db.SaveRevision(ctx, content.Revision{PageKey: "mission", Lang: lang.FR, Path: "m", Title: "Mission", Author: "a", State: content.Review})
	if err != nil {
		t.Fatal(err)
	}
	before, err := db.LastChange(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// The publication's own row is written after its change record.
	if _, err := db.SQL().ExecContext(ctx, `CREATE TRIGGER fail_publication BEFORE INSERT ON publications
		BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Step(ctx, db, content.Actor{Name: "rev@example.org", Approve: true}, r.ID, content.Request{Action: content.ActPublish}, audit.Origin{Actor: "rev@example.org"}); err == nil || !strings.Contains(err.Error(), "refused by the test") {
		t.Fatalf("publishing = %v, want the trigger's error", err)
	}
	after, err := db.ChangesSince(ctx, before.Seq, 10)
	if err != nil || len(after) != 0 {
		t.Fatalf("a rolled-back publication left changes %+v, %v", after, err)
	}
	if _, err := db.SQL().ExecContext(ctx, `DROP TRIGGER fail_publication`); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Step(ctx, db, content.Actor{Name: "rev@example.org", Approve: true}, r.ID, content.Request{Action: content.ActPublish}, audit.Origin{Actor: "rev@example.org"}); err != nil {
		t.Fatal(err)
	}
	if after, _ := db.ChangesSince(ctx, before.Seq, 10); len(after) != 1 {
		t.Fatalf("the publication appended %+v, want one change (positive control)", after)
	}
}

// A database that predates the feed gets one starting record, timed at its
// newest publication, so that every instance on it agrees on where it is.
func TestMigration0005StartsTheFeedAtTheNewestPublication(t *testing.T) {
	ctx := context.Background()
	path, raw := openBefore(t, "0005")
	for _, q := range []string{
		`INSERT INTO pages (key, section) VALUES ('mission', 'department')`,
		`INSERT INTO revisions (page_key, lang, path, title, state, author, created_at, published_at)
		 VALUES ('mission', 'fr', 'm', 'Un', 'published', 'a', '2026-01-01T00:00:00.000000000Z', '2026-01-01T10:00:00.000000000Z'),
		        ('mission', 'fr', 'm', 'Deux', 'published', 'a', '2026-01-02T00:00:00.000000000Z', '2026-01-02T10:00:00.000000000Z')`,
		`INSERT INTO publications (revision_id, page_key, lang, published_at, updated)
		 VALUES (1, 'mission', 'fr', '2026-01-01T10:00:00.000000000Z', 1), (2, 'mission', 'fr', '2026-01-02T10:00:00.000000000Z', 0)`,
	} {
		if _, err := raw.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	raw.Close()

	var seen []change.Change
	for range 2 { // two instances opening the same file, one after the other
		db, err := Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		c, err := db.LastChange(ctx)
		db.Close()
		if err != nil {
			t.Fatal(err)
		}
		seen = append(seen, c)
	}
	want := change.Change{Seq: seen[0].Seq, At: time.Date(2026, 1, 2, 10, 0, 0, 0, time.UTC), Topic: change.Start}
	if seen[0].Seq == 0 || seen[0] != want || seen[1] != want {
		t.Fatalf("starting points %+v, want both %+v", seen, want)
	}
}
