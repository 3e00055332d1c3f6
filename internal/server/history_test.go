package server_test

import (
	"context"
	"strings"
	"testing"

	"portail/internal/audit"
	"portail/internal/content"
	"portail/internal/lang"
	"portail/internal/store"
)

// Each public page links to its change history, which lists the date and
// change note of each major change, in both languages.
func TestPublicChangeHistory(t *testing.T) {
	srv, db := newServer(t)
	ctx := context.Background()

	for path, history := range map[string]string{
		"/fr/ministere/mission":  "/fr/historique/ministere/mission",
		"/en/department/mission": "/en/history/department/mission",
		"/fr/":                   "/fr/historique/",
	} {
		if b := body(t, get(t, srv, path)); !strings.Contains(b, `href="`+history+`"`) {
			t.Errorf("%s does not link to %s", path, history)
		}
		res := get(t, srv, history)
		if res.StatusCode != 200 {
			t.Fatalf("%s: status %d", history, res.StatusCode)
		}
		b := body(t, res)
		if !strings.Contains(b, "Première publication") && !strings.Contains(b, "First publication") {
			t.Errorf("%s lacks the first publication:\n%s", history, b)
		}
	}

	// A minor change stays out of the public history; a major one is
	// listed with its note.
	reviewer := content.Actor{Name: "rev@example.org", Approve: true}
	revs, _ := db.Revisions(ctx, "mission", lang.FR)
	cur := revs[0]
	minor := cur
	minor.ID, minor.Title, minor.State, minor.Author = 0, "Mission et vision", content.Review, "ed@example.org"
	m, err := db.SaveRevision(ctx, minor)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.Step(ctx, db, reviewer, m.ID, content.Request{Action: content.ActPublish}, audit.Origin{Actor: reviewer.Name}); err != nil {
		t.Fatal(err)
	}
	major := minor
	major.Body += "\n\nUn nouveau paragraphe."
	major.Major, major.ChangeNote = true, "Ajout d'un paragraphe sur la Francophonie"
	mj, err := db.SaveRevision(ctx, major)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.Step(ctx, db, reviewer, mj.ID, content.Request{Action: content.ActPublish}, audit.Origin{Actor: reviewer.Name}); err != nil {
		t.Fatal(err)
	}
	if err := srv.Site.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	b := body(t, get(t, srv, "/fr/historique/ministere/mission"))
	if strings.Count(b, "<tr><td>") != 2 || !strings.Contains(b, "Ajout d&#39;un paragraphe sur la Francophonie") {
		t.Fatalf("history after a minor and a major change:\n%s", b)
	}
	if i, j := strings.Index(b, "Ajout d&#39;un"), strings.Index(b, "Première publication"); i > j {
		t.Error("the history must list the newest change first")
	}
	if p := parse(t, b); p.twin != "/en/history/department/mission" || p.alternates["en"] != testBase+"/en/history/department/mission" {
		t.Errorf("history twin = %q, alternates %v", p.twin, p.alternates)
	}

	for _, path := range []string{"/fr/historique/nulle-part", "/en/history/access-to-information"} {
		if res := get(t, srv, path); res.StatusCode != 404 {
			t.Errorf("%s: status %d, want 404", path, res.StatusCode)
		}
	}
}
