package publishing_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"portail/internal/admin/admintest"
	"portail/internal/audit"
	"portail/internal/auth"
	"portail/internal/content"
	"portail/internal/i18n"
	"portail/internal/lang"
	"portail/internal/schedule"
	"portail/internal/seed"
	"portail/internal/server"
	"portail/internal/site/sitetest"
)

// The whole flow of issue 4: an editor writes, a reviewer publishes, the
// public page and its history change, the diff shows it, restore works.
func TestEditorWritesReviewerPublishes(t *testing.T) {
	s := admintest.NewStaff(t)
	before := s.Public(t, "/fr/ministere/mission")
	oldRev := s.Newest(t, "mission", lang.FR)

	list := admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/pages", s.Editor), http.StatusOK)
	admintest.WantContains(t, list, `href="/admin/pages/mission"`, `href="/admin/pages/new"`)

	f := s.EditorForm(t, "mission")
	if f.Get("fr.title") != oldRev.Title || f.Get("en.path") != "department/mission" {
		t.Fatalf("editor shows %v", f)
	}
	f.Set("fr.body", f.Get("fr.body")+"\n\nLe Ministère soutient aussi la diplomatie culturelle.")
	f.Set("fr.major", "1")
	f.Set("fr.change_note", "Ajout de la diplomatie culturelle")
	f.Set("action", "submit")
	admintest.WantRedirect(t, admintest.Post(s.Srv, "/admin/pages/mission", f, s.Editor), "/admin/pages/mission?submitted")

	rv := s.Newest(t, "mission", lang.FR)
	if rv.ID == oldRev.ID || rv.State != content.Review || rv.Author != "editor@example.org" || !rv.Major {
		t.Fatalf("saved revision = %+v", rv)
	}
	if s.Count(t, "mission", lang.EN) != 1 {
		t.Fatal("an unchanged English column must not get a revision")
	}
	if strings.Contains(s.Public(t, "/fr/ministere/mission"), "diplomatie culturelle") {
		t.Fatal("a revision in review is public")
	}

	// The editor cannot publish; the reviewer can.
	res := admintest.Post(s.Srv, admintest.RevPath(rv.ID, "publish"), url.Values{"action": {"now"}}, s.Editor)
	admintest.WantStatus(t, res, http.StatusForbidden)
	s.Advance(t, 2*time.Hour)
	admintest.WantRedirect(t, admintest.Post(s.Srv, admintest.RevPath(rv.ID, "publish"), url.Values{"action": {"now"}}, s.Reviewer), admintest.RevPath(rv.ID, "")+"?published")

	after := s.Public(t, "/fr/ministere/mission")
	admintest.WantContains(t, after, "diplomatie culturelle", "Dernière mise à jour : "+i18n.DateTime(s.Clock.T))
	if before == after {
		t.Fatal("the public page did not change")
	}
	admintest.WantContains(t, s.Public(t, "/fr/historique/ministere/mission"), "Ajout de la diplomatie culturelle", "Première publication")

	// History lists both revisions; the diff shows the change in words.
	hist := admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/pages/mission/fr/history", s.Editor), http.StatusOK)
	admintest.WantContains(t, hist, admintest.RevPath(oldRev.ID, ""), admintest.RevPath(rv.ID, ""), "Test reviewer")
	diff := admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/pages/mission/fr/diff?from="+strconv.FormatInt(oldRev.ID, 10)+"&to="+strconv.FormatInt(rv.ID, 10), s.Editor), http.StatusOK)
	_, diffBody, _ := strings.Cut(diff, `<div class="diff diff-body" lang="fr">`)
	if !strings.Contains(diffBody, "Le Ministère soutient aussi la diplomatie culturelle.</ins>") {
		t.Errorf("the diff does not show the inserted sentence:\n%s", diffBody)
	}
	if strings.Contains(diffBody, "<del>") {
		t.Errorf("nothing was deleted, yet the diff shows a deletion:\n%s", diffBody)
	}

	// Restore the old text as a new draft.
	admintest.WantRedirect(t, admintest.Post(s.Srv, admintest.RevPath(oldRev.ID, "restore"), nil, s.Editor), "/admin/pages/mission?restored")
	restored := s.Newest(t, "mission", lang.FR)
	if restored.State != content.Draft || restored.Body != oldRev.Body || restored.Author != "editor@example.org" || restored.ID == oldRev.ID {
		t.Fatalf("restored = %+v", restored)
	}
	if !strings.Contains(s.Public(t, "/fr/ministere/mission"), "diplomatie culturelle") {
		t.Fatal("restoring must not change the public page before publication")
	}
	// The audit log names the reviewer (after the seed's first publication).
	es, _ := s.DB.AuditLog(context.Background(), audit.Filter{Action: audit.PagePublish, Target: "mission/fr"})
	if len(es) != 2 || es[0].Actor != "reviewer@example.org" || es[1].Actor != seed.Publisher.Name {
		t.Fatalf("publish audit = %+v", es)
	}
}

func TestScheduledPublicationAppearsAfterItsTime(t *testing.T) {
	s := admintest.NewStaff(t)
	f := s.EditorForm(t, "mission")
	f.Set("fr.title", "Mission et vision du Ministère")
	f.Set("action", "submit")
	admintest.WantRedirect(t, admintest.Post(s.Srv, "/admin/pages/mission", f, s.Editor), "/admin/pages/mission?submitted")
	rv := s.Newest(t, "mission", lang.FR)

	at := s.Clock.T.Add(90 * time.Minute)
	form := url.Values{"publish_at": {at.In(i18n.Montreal).Format("2006-01-02T15:04")}}
	admintest.WantRedirect(t, admintest.Post(s.Srv, admintest.RevPath(rv.ID, "schedule"), form, s.Reviewer), admintest.RevPath(rv.ID, "")+"?scheduled")
	admintest.WantContains(t, admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/scheduled", s.Editor), http.StatusOK), "Mission et vision du Ministère", "En attente")

	// A time in the past is refused on the form.
	past := url.Values{"publish_at": {s.Clock.T.Add(-time.Hour).In(i18n.Montreal).Format("2006-01-02T15:04")}}
	other := s.Newest(t, "mission", lang.EN)
	other.ID, other.State, other.Author, other.Title = 0, content.Review, "editor@example.org", "Mission (revised)"
	other, err := s.DB.SaveRevision(context.Background(), other)
	if err != nil {
		t.Fatal(err)
	}
	admintest.WantContains(t, admintest.WantStatus(t, admintest.Post(s.Srv, admintest.RevPath(other.ID, "schedule"), past, s.Reviewer), http.StatusUnprocessableEntity),
		`aria-describedby="publish_at-hint publish_at-error"`, "Cette date est passée")

	sched := schedule.New(s.DB, slog.New(slog.NewTextHandler(io.Discard, nil)), s.Clock.Now)
	s.Advance(t, 89*time.Minute)
	if n, _ := sched.Tick(context.Background()); n != 0 {
		t.Fatal("published before its time")
	}
	if strings.Contains(s.Public(t, "/fr/ministere/mission"), "Mission et vision du Ministère") {
		t.Fatal("public before its time")
	}
	s.Advance(t, time.Minute)
	if n, err := sched.Tick(context.Background()); n != 1 || err != nil {
		t.Fatalf("tick at its time: %d, %v", n, err)
	}
	// The publication reaches the public site through the change feed.
	if err := s.Srv.Site.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	admintest.WantContains(t, s.Public(t, "/fr/ministere/mission"), "Mission et vision du Ministère")
	admintest.WantContains(t, admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/scheduled", s.Editor), http.StatusOK), "Aucune publication n&#39;est programmée.")

	// One the scheduler missed is flagged as overdue.
	f = s.EditorForm(t, "mission")
	f.Set("fr.summary", "Résumé revu")
	f.Set("action", "submit")
	admintest.WantRedirect(t, admintest.Post(s.Srv, "/admin/pages/mission", f, s.Editor), "/admin/pages/mission?submitted")
	late := s.Newest(t, "mission", lang.FR)
	form.Set("publish_at", s.Clock.T.Add(10*time.Minute).In(i18n.Montreal).Format("2006-01-02T15:04"))
	admintest.WantRedirect(t, admintest.Post(s.Srv, admintest.RevPath(late.ID, "schedule"), form, s.Reviewer), admintest.RevPath(late.ID, ""))
	s.Advance(t, 15*time.Minute)
	admintest.WantContains(t, admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/scheduled", s.Reviewer), http.StatusOK), `class="overdue"`, "Publications en retard : 1")
}

func TestNobodyApprovesTheirOwnChange(t *testing.T) {
	s := admintest.NewStaff(t)
	ctx := context.Background()
	own := func(author string) content.Revision {
		r := s.Newest(t, "mission", lang.FR)
		r.ID, r.Author, r.State, r.Title = 0, author, content.Review, "Mission ("+author+")"
		saved, err := s.DB.SaveRevision(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		return saved
	}
	// A reviewer's own change: refused, even with a reason.
	rv := own("reviewer@example.org")
	page := admintest.WantStatus(t, admintest.Get(s.Srv, admintest.RevPath(rv.ID, ""), s.Reviewer), http.StatusOK)
	if strings.Contains(page, `action="`+admintest.RevPath(rv.ID, "publish")+`"`) {
		t.Error("the publish form is offered to the author")
	}
	body := admintest.WantStatus(t, admintest.Post(s.Srv, admintest.RevPath(rv.ID, "publish"), url.Values{"action": {"now"}, "reason": {"urgent"}}, s.Reviewer), http.StatusForbidden)
	admintest.WantContains(t, body, "Vous ne pouvez pas approuver votre propre modification")
	if got, _ := s.DB.Revision(ctx, rv.ID); got.State != content.Review {
		t.Fatalf("state = %s", got.State)
	}

	// An admin's own change needs a reason, which is recorded.
	ad := own("admin@example.org")
	body = admintest.WantStatus(t, admintest.Post(s.Srv, admintest.RevPath(ad.ID, "publish"), url.Values{"action": {"now"}}, s.Admin), http.StatusUnprocessableEntity)
	admintest.WantContains(t, body, `id="reason-error"`, `aria-describedby="reason-hint reason-error"`)
	admintest.WantRedirect(t, admintest.Post(s.Srv, admintest.RevPath(ad.ID, "publish"), url.Values{"action": {"now"}, "reason": {"Correction juridique urgente"}}, s.Admin), admintest.RevPath(ad.ID, ""))
	h, _ := s.DB.History(ctx, "mission", lang.FR)
	if h[0].RevisionID != ad.ID || h[0].By != "admin@example.org" || h[0].Reason != "Correction juridique urgente" {
		t.Fatalf("publication = %+v", h[0])
	}
	admintest.WantContains(t, admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/pages/mission/fr/history", s.Reviewer), http.StatusOK), "Correction juridique urgente")
}

func TestAccessibilityChecksRefusePublishing(t *testing.T) {
	s := admintest.NewStaff(t)
	f := s.EditorForm(t, "mission")
	f.Set("fr.body", "## Carte\n\n![](carte.png)\n\nPour le formulaire, [cliquez ici](/fr/nous-joindre).\n\n#### Détail\n")
	f.Set("action", "submit")
	admintest.WantRedirect(t, admintest.Post(s.Srv, "/admin/pages/mission", f, s.Editor), "/admin/pages/mission?submitted")
	rv := s.Newest(t, "mission", lang.FR)
	// The editor is warned before anyone tries to publish.
	admintest.WantContains(t, admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/pages/mission", s.Editor), http.StatusOK), "Problèmes d&#39;accessibilité")

	body := admintest.WantStatus(t, admintest.Post(s.Srv, admintest.RevPath(rv.ID, "publish"), url.Values{"action": {"now"}}, s.Reviewer), http.StatusUnprocessableEntity)
	admintest.WantContains(t, body, "Publication refusée",
		"Ligne 3 : l&#39;image « carte.png » n&#39;a pas de texte de remplacement",
		"le texte du lien « cliquez ici » ne dit pas où il mène",
		"un niveau de titre est sauté (h2 → h4)")
	if strings.Contains(s.Public(t, "/fr/ministere/mission"), "cliquez ici") {
		t.Fatal("refused content is public")
	}
	// Scheduling is refused too.
	at := s.Clock.T.Add(time.Hour).In(i18n.Montreal).Format("2006-01-02T15:04")
	admintest.WantStatus(t, admintest.Post(s.Srv, admintest.RevPath(rv.ID, "schedule"), url.Values{"publish_at": {at}}, s.Reviewer), http.StatusUnprocessableEntity)
	if list, _ := s.DB.Scheduled(context.Background()); len(list) != 0 {
		t.Fatalf("refused content was scheduled: %+v", list)
	}
}

func TestSlugChangeKeepsOldURL(t *testing.T) {
	s := admintest.NewStaff(t)
	f := s.EditorForm(t, "mission")
	f.Set("fr.path", "ministere/notre-mission")
	f.Set("action", "submit")
	admintest.WantRedirect(t, admintest.Post(s.Srv, "/admin/pages/mission", f, s.Editor), "/admin/pages/mission?submitted")
	rv := s.Newest(t, "mission", lang.FR)
	admintest.WantRedirect(t, admintest.Post(s.Srv, admintest.RevPath(rv.ID, "publish"), url.Values{"action": {"now"}}, s.Reviewer), admintest.RevPath(rv.ID, ""))

	res := admintest.Get(s.Srv, "/fr/ministere/mission")
	res.Body.Close()
	if res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != "/fr/ministere/notre-mission" {
		t.Fatalf("old URL: %d → %q, want 301 to the new one", res.StatusCode, res.Header.Get("Location"))
	}
	s.Public(t, "/fr/ministere/notre-mission")
	// The English twin now links to the new French address.
	admintest.WantContains(t, s.Public(t, "/en/department/mission"), `href="/fr/ministere/notre-mission"`)
}

func TestEditorBadInput(t *testing.T) {
	s := admintest.NewStaff(t)
	typed := "Un paragraphe tapé avec soin que l'on ne doit pas perdre."
	cases := []struct {
		name  string
		set   map[string]string
		field string
		msg   string
	}{
		{"empty title", map[string]string{"fr.title": "  "}, "fr.title", "Ce champ est obligatoire."},
		{"slug with spaces", map[string]string{"fr.path": "ministere/notre mission"}, "fr.path", "L&#39;adresse ne doit contenir"},
		{"duplicate slug", map[string]string{"en.path": "department"}, "en.path", "déjà utilisée par une autre page"},
		{"major change without note", map[string]string{"en.major": "1", "en.change_note": ""}, "en.change_note", "exige une note de modification publique"},
		{"bad review date", map[string]string{"review_by": "demain"}, "review_by", "AAAA-MM-JJ"},
		// A date input cannot hold "demain": it comes back as text.
		{"bad review date kept as text", map[string]string{"review_by": "demain"}, "review_by", `type="text" value="demain"`},
		{"empty English title with English text", map[string]string{"en.title": ""}, "en.title", "Ce champ est obligatoire."},
	}
	frBefore, enBefore := s.Count(t, "mission", lang.FR), s.Count(t, "mission", lang.EN)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := s.EditorForm(t, "mission")
			f.Set("fr.body", typed)
			for k, v := range tc.set {
				f.Set(k, v)
			}
			body := admintest.WantStatus(t, admintest.Post(s.Srv, "/admin/pages/mission", f, s.Editor), http.StatusUnprocessableEntity)
			admintest.WantContains(t, body, tc.msg, `id="`+tc.field+`-error"`, `href="#`+tc.field+`"`,
				"aria-invalid=\"true\"", "Un paragraphe tapé avec soin que l&#39;on ne doit pas perdre.")
			if !strings.Contains(body, tc.field+`-error" aria-invalid="true"`) && !strings.Contains(body, tc.field+`-error"`) {
				t.Errorf("error not tied to %s", tc.field)
			}
		})
	}
	if s.Count(t, "mission", lang.FR) != frBefore || s.Count(t, "mission", lang.EN) != enBefore {
		t.Fatal("a refused form saved a revision")
	}

	// New pages: a taken or malformed key is refused on the form.
	admintest.WantRedirect(t, admintest.Post(s.Srv, "/admin/pages/new", url.Values{"key": {"evenements"}, "section": {"department"}, "order": {"5"}}, s.Editor), "/admin/pages/evenements")
	for _, key := range []string{"evenements", "Mauvaise clé", "new"} {
		body := admintest.WantStatus(t, admintest.Post(s.Srv, "/admin/pages/new", url.Values{"key": {key}, "section": {"department"}}, s.Editor), http.StatusUnprocessableEntity)
		admintest.WantContains(t, body, `id="key-error"`)
	}
	// A new page needs its French title and address before anything is saved.
	f := s.EditorForm(t, "evenements")
	f.Set("fr.body", typed)
	admintest.WantContains(t, admintest.WantStatus(t, admintest.Post(s.Srv, "/admin/pages/evenements", f, s.Editor), http.StatusUnprocessableEntity),
		`id="fr.title-error"`, `id="fr.path-error"`)
	if revs, _ := s.DB.Revisions(context.Background(), "evenements", lang.FR); len(revs) != 0 {
		t.Fatal("an invalid new page was saved")
	}
}

// A session that ends while an editor types: the post is answered with the
// sign-in form carrying what was typed, and nothing is saved until the
// editor signs in again and sends it.
func TestExpiredSessionMidEdit(t *testing.T) {
	s := admintest.NewStaff(t)
	f := s.EditorForm(t, "mission")
	f.Set("fr.body", "Texte écrit pendant une longue réunion.")
	before := s.Count(t, "mission", lang.FR)
	s.Clock.Advance(auth.IdleTimeout + time.Minute)
	res := admintest.Post(s.Srv, "/admin/pages/mission", f, s.Editor)
	body := admintest.WantStatus(t, res, http.StatusUnauthorized)
	admintest.WantContains(t, body, `name="carry.fr.body" value="Texte écrit pendant une longue réunion."`, `name="next" value="/admin/pages/mission"`)
	if s.Count(t, "mission", lang.FR) != before {
		t.Fatal("saved without a session")
	}
	login := admintest.FormValues(t, body, "admin-form")
	login.Set("email", "editor@example.org")
	login.Set("password", admintest.Password)
	res = admintest.Post(s.Srv, "/admin/login", login)
	resume := admintest.WantStatus(t, res, http.StatusOK)
	var cookie *http.Cookie
	for _, c := range res.Cookies() {
		if c.Value != "" {
			cookie = c
		}
	}
	again := admintest.FormValues(t, resume, "")
	again.Del("email")
	again.Del("password")
	admintest.WantRedirect(t, admintest.Post(s.Srv, "/admin/pages/mission", again, cookie), "/admin/pages/mission?saved")
	if got := s.Newest(t, "mission", lang.FR); got.Body != "Texte écrit pendant une longue réunion." {
		t.Fatalf("resumed save = %q", got.Body)
	}
}

// A workflow button has no fields, but its URL answers POST only: after the
// session ends and the editor signs in again, it is offered to send again
// rather than followed as a link.
func TestExpiredSessionOnFieldlessButton(t *testing.T) {
	s := admintest.NewStaff(t)
	f := s.EditorForm(t, "mission")
	f.Set("fr.body", f.Get("fr.body")+"\n\nAjout.")
	admintest.WantRedirect(t, admintest.Post(s.Srv, "/admin/pages/mission", f, s.Editor), "/admin/pages/mission?saved")
	rv := s.Newest(t, "mission", lang.FR)
	s.Clock.Advance(auth.IdleTimeout + time.Minute)
	body := admintest.WantStatus(t, admintest.Post(s.Srv, admintest.RevPath(rv.ID, "submit"), url.Values{}, s.Editor), http.StatusUnauthorized)
	login := admintest.FormValues(t, body, "admin-form")
	login.Set("email", "editor@example.org")
	login.Set("password", admintest.Password)
	res := admintest.Post(s.Srv, "/admin/login", login)
	resume := admintest.WantStatus(t, res, http.StatusOK)
	admintest.WantContains(t, resume, `action="`+admintest.RevPath(rv.ID, "submit")+`"`)
	var cookie *http.Cookie
	for _, c := range res.Cookies() {
		if c.Value != "" {
			cookie = c
		}
	}
	again := admintest.Post(s.Srv, admintest.RevPath(rv.ID, "submit"), admintest.FormValues(t, resume, ""), cookie)
	if again.StatusCode != http.StatusSeeOther {
		t.Fatalf("sending the button again: status %d", again.StatusCode)
	}
	if got, _ := s.DB.Revision(context.Background(), rv.ID); got.State != content.Review {
		t.Fatalf("state after resend = %s, want review", got.State)
	}
}

func TestDashboards(t *testing.T) {
	s := admintest.NewStaff(t)
	// The access page is French-only by design, and the rest is
	// translated: the translation dashboard lists nothing.
	tr := admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/translations", s.Editor), http.StatusOK)
	if strings.Contains(tr, `href="/admin/pages/access#en.title"`) || strings.Contains(tr, `href="/admin/pages/mission#en.title"`) {
		t.Fatal("a French-only page or an up-to-date translation is listed")
	}
	// A major French change makes the English stale.
	f := s.EditorForm(t, "mission")
	f.Set("fr.body", f.Get("fr.body")+"\n\nNouveau.")
	f.Set("fr.major", "1")
	f.Set("fr.change_note", "Nouveau paragraphe")
	f.Set("review_by", s.Clock.T.AddDate(0, 0, 10).Format("2006-01-02"))
	f.Set("action", "submit")
	admintest.WantRedirect(t, admintest.Post(s.Srv, "/admin/pages/mission", f, s.Editor), "/admin/pages/mission?submitted")
	s.Advance(t, time.Minute)
	rv := s.Newest(t, "mission", lang.FR)
	admintest.WantRedirect(t, admintest.Post(s.Srv, admintest.RevPath(rv.ID, "publish"), url.Values{"action": {"now"}}, s.Reviewer), admintest.RevPath(rv.ID, ""))
	admintest.WantContains(t, admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/translations", s.Editor), http.StatusOK),
		`href="/admin/pages/mission#en.title"`, "avant la mise à jour française")

	// The review-by date shows on the dashboard, flagged once past.
	reviews := admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/reviews", s.Editor), http.StatusOK)
	admintest.WantContains(t, reviews, `href="/admin/pages/mission"`, "Bientôt")
	s.Advance(t, 12*24*time.Hour)
	admintest.WantContains(t, admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/reviews", s.Editor), http.StatusOK), "Date dépassée")

	// Filters of the page list.
	list := admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/pages?missing=en", s.Editor), http.StatusOK)
	admintest.WantContains(t, list, `href="/admin/pages/access"`)
	if strings.Contains(list, `href="/admin/pages/mission"`) {
		t.Error("missing=en lists a page that has English")
	}
	list = admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/pages?section=offices", s.Editor), http.StatusOK)
	if strings.Contains(list, `href="/admin/pages/mission"`) || !strings.Contains(list, `href="/admin/pages/offices"`) {
		t.Error("section filter")
	}
}

func TestPreviewUsesPublicTemplate(t *testing.T) {
	s := admintest.NewStaff(t)
	f := s.EditorForm(t, "mission")
	f.Set("en.body", "## Preview heading\n\nNot saved <script>alert(1)</script> text.")
	body := admintest.WantStatus(t, admintest.Post(s.Srv, "/admin/pages/mission/preview/en", f, s.Editor), http.StatusOK)
	admintest.WantContains(t, body, `<html lang="en">`, `<h2 id="h-preview-heading">Preview heading</h2>`, `<header class="piv">`, `<meta name="robots" content="noindex">`)
	if strings.Contains(body, "<script>") {
		t.Fatal("preview is not sanitised")
	}
	if strings.Contains(s.Public(t, "/en/department/mission"), "Preview heading") || s.Count(t, "mission", lang.EN) != 1 {
		t.Fatal("preview saved or published something")
	}
	// A body past the limits is not handed to the Markdown parser.
	f.Set("en.body", strings.Repeat("[a](", content.MaxBrackets+1))
	admintest.WantStatus(t, admintest.Post(s.Srv, "/admin/pages/mission/preview/en", f, s.Editor), http.StatusUnprocessableEntity)
}

// A page at a path that a public route holds would never be shown: the
// change history's subtree (/fr/historique/…), a module's sub-pages
// (/fr/ministere/organigramme/{slug}). Its path is refused on the form,
// with the held paths, read from the server's routes, in the field's
// help. A route holds its path or subtree only: the rest of "ministere/"
// stays free.
func TestPagePathReservedByRoute(t *testing.T) {
	s := admintest.NewStaff(t, withOrgChartModule)
	typed := "Un paragraphe tapé avec soin."
	frBefore, enBefore := s.Count(t, "mission", lang.FR), s.Count(t, "mission", lang.EN)
	for _, tc := range []struct{ field, path string }{
		{"fr.path", "historique/x"},
		{"fr.path", "historique"},
		{"en.path", "history/department/mission"},
		{"fr.path", "ministere/organigramme/mission"},
		{"en.path", "department/organization-chart/mission"},
	} {
		f := s.EditorForm(t, "mission")
		f.Set("fr.body", typed)
		f.Set(tc.field, tc.path)
		body := admintest.WantStatus(t, admintest.Post(s.Srv, "/admin/pages/mission", f, s.Editor), http.StatusUnprocessableEntity)
		admintest.WantContains(t, body, "Cette adresse est prise par une page propre au site",
			`id="`+tc.field+`-error"`, `href="#`+tc.field+`"`, `value="`+tc.path+`"`, typed,
			`aria-describedby="`+tc.field+`-hint `+tc.field+`-error" aria-invalid="true"`)
		admintest.WantSummaryTargets(t, s, s.Editor, body)
	}
	if s.Count(t, "mission", lang.FR) != frBefore || s.Count(t, "mission", lang.EN) != enBefore {
		t.Fatal("a refused path was saved")
	}
	help := admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/pages/mission", s.Editor), http.StatusOK)
	admintest.WantContains(t, help, "Adresses prises par le site : historique, historique/, ministere/organigramme/, politique-internationale/, representations/ (",
		"Adresses prises par le site : department/organization-chart/, history, history/, international-policy/, offices-abroad/ (")

	// A word that only starts like a held one, one held in the other
	// language, or a sibling of a route's path, is fine.
	for _, tc := range []struct{ field, path string }{
		{"fr.path", "history/mission"},
		{"fr.path", "ministere/mission-et-vision"},
		{"en.path", "department/organization-chart-history"},
	} {
		f := s.EditorForm(t, "mission")
		f.Set(tc.field, tc.path)
		admintest.WantRedirect(t, admintest.Post(s.Srv, "/admin/pages/mission", f, s.Editor), "/admin/pages/mission?saved")
	}
}

// withOrgChartModule backs the organization chart with a module, whose
// sub-pages live under the page's path.
func withOrgChartModule(c *server.Config) {
	c.Modules = append(c.Modules, sitetest.New(time.Date(2026, 1, 5, 12, 0, 0, 0, time.UTC),
		sitetest.Unit{Slug: "cabinet", Name: map[lang.Lang]string{lang.FR: "Cabinet", lang.EN: "Office"}}))
}

// A page that a module backs keeps its path: the module's sub-pages live
// under it. Its introduction is edited as any page's.
func TestModulePagePathIsFixed(t *testing.T) {
	s := admintest.NewStaff(t, withOrgChartModule)
	before := s.Count(t, "orgchart", lang.FR)
	f := s.EditorForm(t, "orgchart")
	f.Set("fr.path", "ministere/structure")
	body := admintest.WantStatus(t, admintest.Post(s.Srv, "/admin/pages/orgchart", f, s.Editor), http.StatusUnprocessableEntity)
	admintest.WantContains(t, body, "L&#39;adresse de cette page est fixe", `id="fr.path-error"`, `value="ministere/structure"`)
	if s.Count(t, "orgchart", lang.FR) != before {
		t.Fatal("the module page was moved")
	}
	f = s.EditorForm(t, "orgchart")
	f.Set("fr.body", "Une nouvelle introduction.")
	admintest.WantRedirect(t, admintest.Post(s.Srv, "/admin/pages/orgchart", f, s.Editor), "/admin/pages/orgchart?saved")
	if s.Count(t, "orgchart", lang.FR) != before+1 {
		t.Fatal("the module page's introduction was not saved")
	}
}

// A revision saved at a path before a route took it (here written to the
// store directly) is not published, nor restored, and the refusal points
// to the editor's field.
func TestPublishRefusesReservedPath(t *testing.T) {
	s := admintest.NewStaff(t)
	rv := s.Newest(t, "mission", lang.FR)
	rv.ID, rv.Path, rv.State, rv.Author = 0, "historique/mission", content.Review, "editor@example.org"
	rv, err := s.DB.SaveRevision(context.Background(), rv)
	if err != nil {
		t.Fatal(err)
	}
	body := admintest.WantStatus(t, admintest.Post(s.Srv, admintest.RevPath(rv.ID, "publish"), url.Values{"action": {"now"}}, s.Reviewer), http.StatusUnprocessableEntity)
	admintest.WantContains(t, body, "Cette adresse est prise par une page propre au site", `href="/admin/pages/mission#fr.path"`)
	admintest.WantSummaryTargets(t, s, s.Reviewer, body)
	s.Public(t, "/fr/ministere/mission") // 200: not moved (a path change leaves a 301)
	before := s.Count(t, "mission", lang.FR)
	admintest.WantStatus(t, admintest.Post(s.Srv, admintest.RevPath(rv.ID, "restore"), nil, s.Editor), http.StatusUnprocessableEntity)
	if s.Count(t, "mission", lang.FR) != before {
		t.Fatal("a revision at a reserved path was restored")
	}
}

// The key "new" would give a page whose editor, /admin/pages/new, is the
// creation form: it is refused with a message that says so.
func TestPageKeyNewRefused(t *testing.T) {
	s := admintest.NewStaff(t)
	body := admintest.WantStatus(t, admintest.Post(s.Srv, "/admin/pages/new", url.Values{"key": {"new"}, "section": {"department"}, "order": {"3"}}, s.Editor), http.StatusUnprocessableEntity)
	admintest.WantContains(t, body, "Cette clé est un mot réservé des adresses de l&#39;espace du personnel",
		`id="key-error"`, `href="#key"`, `aria-invalid="true"`, `value="new"`, `value="3"`)
	admintest.WantSummaryTargets(t, s, s.Editor, body)
	if _, err := s.DB.Page(context.Background(), "new"); err == nil {
		t.Fatal("page new was created")
	}
}

// When another page took the path after the draft was saved, publishing
// is refused, and the error summary leads to the editor's path field of
// that language, not to a field the revision page does not have.
func TestPublishPathTakenLinksToEditor(t *testing.T) {
	s := admintest.NewStaff(t)
	for _, key := range []string{"mission", "accessibility"} {
		f := s.EditorForm(t, key)
		f.Set("en.path", "department/shared")
		f.Set("action", "submit")
		admintest.WantRedirect(t, admintest.Post(s.Srv, "/admin/pages/"+key, f, s.Editor), "/admin/pages/"+key+"?submitted")
	}
	first, second := s.Newest(t, "accessibility", lang.EN), s.Newest(t, "mission", lang.EN)
	admintest.WantRedirect(t, admintest.Post(s.Srv, admintest.RevPath(first.ID, "publish"), url.Values{"action": {"now"}}, s.Reviewer), admintest.RevPath(first.ID, ""))
	body := admintest.WantStatus(t, admintest.Post(s.Srv, admintest.RevPath(second.ID, "publish"), url.Values{"action": {"now"}}, s.Reviewer), http.StatusUnprocessableEntity)
	admintest.WantContains(t, body, "Cette adresse est déjà utilisée par une autre page.", `href="/admin/pages/mission#en.path"`)
	if links := admintest.SummaryLinks(t, body); len(links) != 1 {
		t.Fatalf("error summary links %v, want the editor's field", links)
	}
	admintest.WantSummaryTargets(t, s, s.Reviewer, body)
}

// After a major change is published, the editor starts the next revision
// minor with empty notes, and a restore does not copy them either.
func TestNextRevisionStartsMinor(t *testing.T) {
	s := admintest.NewStaff(t)
	f := s.EditorForm(t, "mission")
	f.Set("fr.body", f.Get("fr.body")+"\n\nUne phrase nouvelle.")
	f.Set("fr.major", "1")
	f.Set("fr.change_note", "Ajout d’une phrase")
	f.Set("fr.note", "Demandé par la direction")
	f.Set("action", "submit")
	admintest.WantRedirect(t, admintest.Post(s.Srv, "/admin/pages/mission", f, s.Editor), "/admin/pages/mission?")
	major := s.Newest(t, "mission", lang.FR)
	admintest.WantRedirect(t, admintest.Post(s.Srv, admintest.RevPath(major.ID, "publish"), nil, s.Reviewer), admintest.RevPath(major.ID, "")+"?published")

	f = s.EditorForm(t, "mission")
	if f.Has("fr.major") || f.Get("fr.change_note") != "" || f.Get("fr.note") != "" {
		t.Fatalf("the editor pre-fills the published change's flag and notes: major=%q note=%q internal=%q", f.Get("fr.major"), f.Get("fr.change_note"), f.Get("fr.note"))
	}
	admintest.WantRedirect(t, admintest.Post(s.Srv, "/admin/pages/mission", f, s.Editor), "/admin/pages/mission?unchanged")
	if n := s.Newest(t, "mission", lang.FR); n.ID != major.ID {
		t.Fatalf("an untouched form wrote revision %d", n.ID)
	}
	f.Set("fr.body", strings.Replace(f.Get("fr.body"), "Une phrase nouvelle.", "Une phrase neuve.", 1))
	admintest.WantRedirect(t, admintest.Post(s.Srv, "/admin/pages/mission", f, s.Editor), "/admin/pages/mission?saved")
	if fix := s.Newest(t, "mission", lang.FR); fix.Major || fix.ChangeNote != "" || fix.Note != "" {
		t.Fatalf("a one-word fix was saved as %+v", fix)
	}

	admintest.WantRedirect(t, admintest.Post(s.Srv, admintest.RevPath(major.ID, "restore"), nil, s.Editor), "/admin/pages/mission?restored")
	if c := s.Newest(t, "mission", lang.FR); c.Major || c.ChangeNote != "" || c.Body != major.Body {
		t.Fatalf("the restored copy = %+v, want the old text, minor, no change note", c)
	}
}

// "Save and send for review" says what happened: which languages went to
// review, or that nothing was saved and nothing sent.
func TestSaveAndSubmitSaysWhatHappened(t *testing.T) {
	s := admintest.NewStaff(t)
	post := func(f url.Values, action, wantLoc string) string {
		t.Helper()
		f.Set("action", action)
		res := admintest.Post(s.Srv, "/admin/pages/mission", f, s.Editor)
		admintest.WantRedirect(t, res, wantLoc)
		return admintest.WantStatus(t, admintest.Get(s.Srv, res.Header.Get("Location"), s.Editor), http.StatusOK)
	}
	f := s.EditorForm(t, "mission")
	admintest.WantContains(t, post(f, "submit", "/admin/pages/mission?unchanged&unsubmitted"),
		"Rien n’a changé : aucune version n’a été enregistrée. Aucun brouillon n’était à envoyer en approbation : rien n’a été envoyé.")
	f = s.EditorForm(t, "mission")
	f.Set("fr.title", "Mission (brouillon)")
	admintest.WantContains(t, post(f, "save", "/admin/pages/mission?saved"), "Brouillon enregistré")
	// The unchanged draft is sent as it is.
	f = s.EditorForm(t, "mission")
	f.Set("en.title", "Mission (draft)")
	body := post(f, "submit", "/admin/pages/mission?submitted=fr,en")
	admintest.WantContains(t, body, "Enregistré et envoyé en approbation : français, anglais.")
	if strings.Contains(body, "Brouillon enregistré") {
		t.Error("a submission reads as a draft saved")
	}
	// Both are in review now: nothing left to send.
	admintest.WantContains(t, post(s.EditorForm(t, "mission"), "submit", "/admin/pages/mission?unchanged&unsubmitted"), "rien n’a été envoyé")
}

// Versions are numbered per page and language, as people count them (the
// ID stays in URLs), and authors are named by their account's name, or by
// their email when no account has it.
func TestVersionNumbersAndAuthorNames(t *testing.T) {
	s := admintest.NewStaff(t)
	admintest.WantRedirect(t, admintest.Post(s.Srv, "/admin/pages/new", url.Values{"key": {"nouvelle"}, "section": {"department"}}, s.Editor), "/admin/pages/nouvelle?created")
	f := s.EditorForm(t, "nouvelle")
	f.Set("fr.title", "Nouvelle page")
	f.Set("fr.path", "ministere/nouvelle")
	f.Set("fr.body", "Texte.")
	admintest.WantRedirect(t, admintest.Post(s.Srv, "/admin/pages/nouvelle", f, s.Editor), "/admin/pages/nouvelle?saved")
	rv := s.Newest(t, "nouvelle", lang.FR)
	if rv.ID <= 1 {
		t.Fatalf("the test needs revisions of other pages first: ID %d", rv.ID)
	}
	page := admintest.WantStatus(t, admintest.Get(s.Srv, admintest.RevPath(rv.ID, ""), s.Editor), http.StatusOK)
	admintest.WantContains(t, page, "<title>Version n° 1 : Nouvelle page", "Test editor")
	if strings.Contains(page, "Version n° "+strconv.FormatInt(rv.ID, 10)) || strings.Contains(page, ">editor@example.org") {
		t.Error("the revision page shows the internal ID or the author's email")
	}
	admintest.WantContains(t, admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/pages/nouvelle", s.Editor), http.StatusOK), "Version n° 1</a>")

	gone := rv
	gone.ID, gone.Title, gone.Author = 0, "Par un compte disparu", "gone@example.org"
	gone, err := s.DB.SaveRevision(context.Background(), gone)
	if err != nil {
		t.Fatal(err)
	}
	page = admintest.WantStatus(t, admintest.Get(s.Srv, admintest.RevPath(gone.ID, ""), s.Editor), http.StatusOK)
	admintest.WantContains(t, page, "Version n° 2 : Par un compte disparu", "gone@example.org")
}

// The page list leads each row with the page's title, linking to its
// editor; the internal key comes second, and a French-only page says so.
func TestPageListLeadsWithTitle(t *testing.T) {
	s := admintest.NewStaff(t)
	list := admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/pages", s.Editor), http.StatusOK)
	title := s.Newest(t, "mission", lang.FR).Title
	admintest.WantContains(t, list, `<th scope="row"><a href="/admin/pages/mission" lang="fr">`+title+`</a>`, "clé : mission", "En français seulement, par choix")
	if strings.Contains(list, `<a href="/admin/pages/mission">mission</a>`) {
		t.Error("the list still leads with the key")
	}
}
