package seed

import (
	"context"
	"path/filepath"
	"testing"

	"portail/internal/audit"
	"portail/internal/content"
	"portail/internal/lang"
	"portail/internal/policy"
	"portail/internal/store/sqlite"
)

func TestDocsAreValid(t *testing.T) {
	docs, err := Docs()
	if err != nil {
		t.Fatal(err)
	}
	for key, byLang := range docs {
		fr := byLang[lang.FR]
		// That the section exists is checked by loading (TestLoadIsIdempotent).
		if !content.ValidKey(fr.Section) {
			t.Errorf("%s: bad section %q", key, fr.Section)
		}
		for l, d := range byLang {
			if !content.ValidPath(d.Path) {
				t.Errorf("%s/%s: bad path %q", key, l, d.Path)
			}
			if d.Summary == "" || len(d.Body) < 100 {
				t.Errorf("%s/%s: summary or body missing", key, l)
			}
		}
	}
	if _, ok := docs["access"][lang.EN]; ok {
		t.Error("the access-to-information section ships French-only")
	}
}

func TestLoadIsIdempotent(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "p.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	n, err := Load(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	docs, _ := Docs()
	if n != len(docs) {
		t.Fatalf("created %d pages, want %d", n, len(docs))
	}
	n, err = Load(ctx, db)
	if err != nil || n != 0 {
		t.Fatalf("second load created %d, %v", n, err)
	}
	revs, _ := db.Revisions(ctx, "mission", lang.FR)
	if len(revs) != 1 {
		t.Fatalf("mission has %d French revisions after two loads", len(revs))
	}
}

func TestParseErrors(t *testing.T) {
	for _, src := range []string{"no front matter", "---\nkey: x\n", "---\ntitle: [\n---\n", "---\ntitle: T\n---\nbody"} {
		if _, err := Parse(lang.FR, []byte(src)); err == nil {
			t.Errorf("Parse(%q) accepted", src)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("---\nkey: a\ntitle: T\n---\nbody"))
	f.Add([]byte("---\n---\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := Parse(lang.FR, b)
		if err == nil && (d.Key == "" || d.Title == "") {
			t.Fatalf("accepted a doc without key or title: %+v", d)
		}
	})
}

// The default footer comes with the pages it links to, once: a footer
// that administrators emptied stays empty on the next start.
func TestLoadAddsTheDefaultFooterOnce(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "p.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := Load(ctx, db); err != nil {
		t.Fatal(err)
	}
	links, err := db.FooterLinks(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(links) != len(Footer) {
		t.Fatalf("footer has %d links, want %d", len(links), len(Footer))
	}
	docs, _ := Docs()
	paths := map[string]bool{}
	for _, byLang := range docs {
		for l, d := range byLang {
			paths["/"+string(l)+"/"+d.Path] = true
		}
	}
	for _, f := range links {
		for _, l := range lang.All {
			if u := f.URL[l]; !paths[u] && u != "https://www.quebec.ca" && u != "https://www.quebec.ca/en" {
				t.Errorf("footer link %q points to no seeded page", u)
			}
		}
	}
	for _, f := range links {
		if err := db.DeleteFooterLink(ctx, f.ID, audit.Origin{Actor: "admin"}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := Load(ctx, db); err != nil {
		t.Fatal(err)
	}
	if links, _ := db.FooterLinks(ctx); len(links) != 0 {
		t.Errorf("a second load brought back %d footer links the administrators removed", len(links))
	}
}

// The international policy's default documents are loaded once: another
// start changes nothing, and documents that staff deleted stay deleted.
func TestLoadAddsTheDefaultPoliciesOnce(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "p.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for range 2 {
		if _, err := Load(ctx, db); err != nil {
			t.Fatal(err)
		}
	}
	docs, err := db.Policies(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := policy.Defaults()
	if len(docs) != len(want) {
		t.Fatalf("%d documents, want the %d defaults", len(docs), len(want))
	}
	for i, d := range docs {
		if d.ID != want[i].ID || d.Version != 1 {
			t.Errorf("document %d: %s at version %d, want %s at version 1", i, d.ID, d.Version, want[i].ID)
		}
		if err := db.DeletePolicy(ctx, d.ID, d.Version, audit.Origin{Actor: "admin@example.org"}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := Load(ctx, db); err != nil {
		t.Fatal(err)
	}
	if docs, err := db.Policies(ctx); err != nil || len(docs) != 0 {
		t.Fatalf("after staff deleted them, the defaults came back: %d documents (%v)", len(docs), err)
	}
}

// staleReads is the store as a second instance sees it when it starts
// with a first on the same new database: it found no policy document
// and no trace of one before the first saved them.
type staleReads struct{ *sqlite.DB }

func (staleReads) Policies(context.Context) ([]policy.Document, error)   { return nil, nil }
func (staleReads) CountAudit(context.Context, audit.Filter) (int, error) { return 0, nil }

// Two instances starting on one new database both load the default
// content: the second's additions that the first made already are not
// errors, and nothing is loaded twice.
func TestLoadAfterAnotherInstance(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "portail.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := Load(ctx, db); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(ctx, staleReads{db}); err != nil {
		t.Fatalf("the second instance's load: %v", err)
	}
	docs, err := db.Policies(ctx)
	if err != nil || len(docs) != len(policy.Defaults()) {
		t.Fatalf("%d policy documents (%v), want %d", len(docs), err, len(policy.Defaults()))
	}
}
