package sqlite

import (
	"context"
	"strings"
	"testing"

	"portail/internal/lang"
)

// Pages published before migration 0003 get their public history: the
// first publication and each major change move "Last update".
func TestMigration0003BackfillsHistory(t *testing.T) {
	ctx := context.Background()
	path, raw := openBefore(t, "0003")
	for _, q := range []string{
		`INSERT INTO pages (key, section) VALUES ('mission', 'department')`,
		`INSERT INTO revisions (page_key, lang, path, title, state, author, created_at, major, change_note, published_at)
		 VALUES ('mission', 'fr', 'm', 'Un', 'published', 'a', '2026-01-01T00:00:00.000000000Z', 0, '', '2026-01-01T00:00:00.000000000Z'),
		        ('mission', 'fr', 'm', 'Deux', 'published', 'a', '2026-01-02T00:00:00.000000000Z', 0, '', '2026-01-02T00:00:00.000000000Z'),
		        ('mission', 'fr', 'm', 'Trois', 'published', 'a', '2026-01-03T00:00:00.000000000Z', 1, 'Refonte', '2026-01-03T00:00:00.000000000Z'),
		        ('mission', 'fr', 'm', 'Quatre', 'draft', 'a', '2026-01-04T00:00:00.000000000Z', 1, 'Brouillon', NULL)`,
	} {
		if _, err := raw.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	raw.Close()

	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	h, err := db.History(ctx, "mission", lang.FR)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range h {
		s := p.At.Format("01-02")
		if p.Updated {
			s += " updated " + p.ChangeNote
		}
		got = append(got, s)
	}
	want := "01-03 updated Refonte|01-02|01-01 updated "
	if strings.Join(got, "|") != want {
		t.Fatalf("history = %q, want %q", strings.Join(got, "|"), want)
	}
}

// Pages that reserved an English path for the "available only in French"
// notice, with no English revision, are French-only by design after
// migration 0009; a page whose English is merely missing is not.
func TestMigration0009MarksFrenchOnly(t *testing.T) {
	ctx := context.Background()
	path, raw := openBefore(t, "0009")
	for _, q := range []string{
		`INSERT INTO pages (key, section) VALUES ('acces', 'access'), ('mission', 'department'), ('draft', 'department')`,
		`INSERT INTO translations (page_key, lang, path) VALUES ('acces', 'en', 'access'), ('draft', 'en', 'draft')`,
		`INSERT INTO revisions (page_key, lang, path, title, state, author, created_at)
		 VALUES ('draft', 'en', 'draft', 'Draft', 'draft', 'a', '2026-01-04T00:00:00.000000000Z')`,
	} {
		if _, err := raw.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	raw.Close()

	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for key, want := range map[string]bool{"acces": true, "mission": false, "draft": false} {
		if p, err := db.Page(ctx, key); err != nil || p.FrenchOnly != want {
			t.Errorf("page %s = %+v, %v; want FrenchOnly %v", key, p, err, want)
		}
	}
}
