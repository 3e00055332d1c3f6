package metrics

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"portail/internal/apperr"
	"portail/internal/audit"
	"portail/internal/content"
	"portail/internal/lang"
	"portail/internal/store"
	"portail/internal/store/sqlite"
)

// Publications by hand and scheduled ones are counted apart; other steps
// and refused publications are not counted.
func TestCountPublications(t *testing.T) {
	ctx := t.Context()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "p.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	m, err := New(prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	s, err := CountPublications(m.reg, db)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.CreatePage(ctx, content.Page{Key: "mission", Section: content.SectionDepartment}); err != nil {
		t.Fatal(err)
	}
	reviewer := content.Actor{Name: "rev@example.org", Approve: true}
	o := audit.Origin{Actor: reviewer.Name}
	saved, err := s.SaveRevision(ctx, content.Revision{PageKey: "mission", Lang: lang.FR, Path: "ministere/mission",
		Title: "Mission", Body: "Texte", Author: "ed@example.org", State: content.Review})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.Step(ctx, s, reviewer, saved.ID, content.Request{Action: content.ActPublish}, o); err != nil {
		t.Fatal(err)
	}
	// Publishing it again is refused by the workflow and counts nothing.
	if _, err := store.Step(ctx, s, reviewer, saved.ID, content.Request{Action: content.ActPublish}, o); apperr.KindOf(err) == apperr.Internal {
		t.Fatalf("second publish: %v", err)
	}
	if _, err := store.Step(ctx, s, reviewer, saved.ID, content.Request{Action: content.ActArchive}, o); err != nil {
		t.Fatal(err)
	}
	_, out := scrape(t, m)
	for _, want := range []string{
		`portail_publications_total{via="staff"} 1` + "\n",
		`portail_publications_total{via="schedule"} 0` + "\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("metrics lack %q:\n%s", want, out)
		}
	}
}
