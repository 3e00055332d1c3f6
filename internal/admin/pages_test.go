package admin_test

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

	nethtml "golang.org/x/net/html"

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

// staff is a seeded harness with an editor, a reviewer and an admin
// signed in.
type staff struct {
	*harness
	editor, reviewer, admin *http.Cookie
}

// advance moves the clock and signs everyone in again, since sessions
// end after auth.IdleTimeout.
func (s *staff) advance(t *testing.T, d time.Duration) {
	t.Helper()
	s.clock.Advance(d)
	s.signIn(t)
}

func (s *staff) signIn(t *testing.T) {
	t.Helper()
	s.editor = admintest.Login(t, s.srv, "editor@example.org", admintest.Password)
	s.reviewer = admintest.Login(t, s.srv, "reviewer@example.org", admintest.Password)
	s.admin = admintest.Login(t, s.srv, "admin@example.org", admintest.Password)
}

func newStaff(t *testing.T, opts ...func(*server.Config)) *staff {
	t.Helper()
	h := newHarness(t, opts...)
	ctx := context.Background()
	if _, err := seed.Load(ctx, h.db); err != nil {
		t.Fatal(err)
	}
	if err := h.srv.Site.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	s := &staff{harness: h}
	for _, r := range []auth.Role{auth.Editor, auth.Reviewer, auth.Admin} {
		admintest.NewUser(t, h.db, string(r)+"@example.org", r)
	}
	s.signIn(t)
	return s
}

// editorForm reads the bilingual editor of page key as a browser would:
// the values it shows are the values it posts back.
func (s *staff) editorForm(t *testing.T, key string) url.Values {
	t.Helper()
	body := wantStatus(t, admintest.Get(s.srv, "/admin/pages/"+key, s.editor), http.StatusOK)
	return formValues(t, body, "editor-form")
}

// formValues returns the fields of the form whose class is class.
func formValues(t *testing.T, src, class string) url.Values {
	t.Helper()
	doc, err := nethtml.Parse(strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	v := url.Values{}
	var walk func(n *nethtml.Node, in bool)
	walk = func(n *nethtml.Node, in bool) {
		if n.Type == nethtml.ElementNode {
			a := map[string]string{}
			for _, at := range n.Attr {
				a[at.Key] = at.Val
			}
			if n.Data == "form" && strings.Contains(a["class"], class) {
				in = true
			}
			switch {
			case !in || a["name"] == "":
			case n.Data == "textarea":
				text := ""
				if n.FirstChild != nil {
					text = n.FirstChild.Data
				}
				v.Set(a["name"], text)
			case n.Data == "input" && a["type"] == "checkbox":
				if _, on := a["checked"]; on {
					v.Set(a["name"], a["value"])
				}
			case n.Data == "input":
				v.Set(a["name"], a["value"])
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, in)
		}
	}
	walk(doc, false)
	if len(v) == 0 {
		t.Fatalf("no form %q in\n%s", class, src)
	}
	return v
}

func (s *staff) newest(t *testing.T, key string, l lang.Lang) content.Revision {
	t.Helper()
	revs, err := s.db.Revisions(context.Background(), key, l)
	if err != nil || len(revs) == 0 {
		t.Fatalf("revisions of %s/%s: %v, %v", key, l, revs, err)
	}
	return revs[0]
}

func (s *staff) count(t *testing.T, key string, l lang.Lang) int {
	t.Helper()
	revs, err := s.db.Revisions(context.Background(), key, l)
	if err != nil {
		t.Fatal(err)
	}
	return len(revs)
}

func (s *staff) public(t *testing.T, path string) string {
	t.Helper()
	return wantStatus(t, admintest.Get(s.srv, path), http.StatusOK)
}

func revPath(id int64, step string) string {
	p := "/admin/revisions/" + strconv.FormatInt(id, 10)
	if step != "" {
		p += "/" + step
	}
	return p
}

func wantRedirect(t *testing.T, res *http.Response, prefix string) {
	t.Helper()
	body := readBody(t, res)
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), prefix) {
		t.Fatalf("status %d, Location %q, want 303 to %s\n%s", res.StatusCode, res.Header.Get("Location"), prefix, body)
	}
}

// The whole flow of issue 4: an editor writes, a reviewer publishes, the
// public page and its history change, the diff shows it, restore works.
func TestEditorWritesReviewerPublishes(t *testing.T) {
	s := newStaff(t)
	before := s.public(t, "/fr/ministere/mission")
	oldRev := s.newest(t, "mission", lang.FR)

	list := wantStatus(t, admintest.Get(s.srv, "/admin/pages", s.editor), http.StatusOK)
	wantContains(t, list, `href="/admin/pages/mission"`, `href="/admin/pages/new"`)

	f := s.editorForm(t, "mission")
	if f.Get("fr.title") != oldRev.Title || f.Get("en.path") != "department/mission" {
		t.Fatalf("editor shows %v", f)
	}
	f.Set("fr.body", f.Get("fr.body")+"\n\nLe Ministère soutient aussi la diplomatie culturelle.")
	f.Set("fr.major", "1")
	f.Set("fr.change_note", "Ajout de la diplomatie culturelle")
	f.Set("action", "submit")
	wantRedirect(t, admintest.Post(s.srv, "/admin/pages/mission", f, s.editor), "/admin/pages/mission?saved")

	rv := s.newest(t, "mission", lang.FR)
	if rv.ID == oldRev.ID || rv.State != content.Review || rv.Author != "editor@example.org" || !rv.Major {
		t.Fatalf("saved revision = %+v", rv)
	}
	if s.count(t, "mission", lang.EN) != 1 {
		t.Fatal("an unchanged English column must not get a revision")
	}
	if strings.Contains(s.public(t, "/fr/ministere/mission"), "diplomatie culturelle") {
		t.Fatal("a revision in review is public")
	}

	// The editor cannot publish; the reviewer can.
	res := admintest.Post(s.srv, revPath(rv.ID, "publish"), url.Values{"action": {"now"}}, s.editor)
	wantStatus(t, res, http.StatusForbidden)
	s.advance(t, 2*time.Hour)
	wantRedirect(t, admintest.Post(s.srv, revPath(rv.ID, "publish"), url.Values{"action": {"now"}}, s.reviewer), revPath(rv.ID, "")+"?published")

	after := s.public(t, "/fr/ministere/mission")
	wantContains(t, after, "diplomatie culturelle", "Dernière mise à jour : "+i18n.DateTime(s.clock.T))
	if before == after {
		t.Fatal("the public page did not change")
	}
	wantContains(t, s.public(t, "/fr/historique/ministere/mission"), "Ajout de la diplomatie culturelle", "Première publication")

	// History lists both revisions; the diff shows the change in words.
	hist := wantStatus(t, admintest.Get(s.srv, "/admin/pages/mission/fr/history", s.editor), http.StatusOK)
	wantContains(t, hist, revPath(oldRev.ID, ""), revPath(rv.ID, ""), "reviewer@example.org")
	diff := wantStatus(t, admintest.Get(s.srv, "/admin/pages/mission/fr/diff?from="+strconv.FormatInt(oldRev.ID, 10)+"&to="+strconv.FormatInt(rv.ID, 10), s.editor), http.StatusOK)
	_, diffBody, _ := strings.Cut(diff, `<div class="diff diff-body" lang="fr">`)
	if !strings.Contains(diffBody, "Le Ministère soutient aussi la diplomatie culturelle.</ins>") {
		t.Errorf("the diff does not show the inserted sentence:\n%s", diffBody)
	}
	if strings.Contains(diffBody, "<del>") {
		t.Errorf("nothing was deleted, yet the diff shows a deletion:\n%s", diffBody)
	}

	// Restore the old text as a new draft.
	wantRedirect(t, admintest.Post(s.srv, revPath(oldRev.ID, "restore"), nil, s.editor), "/admin/pages/mission?restored")
	restored := s.newest(t, "mission", lang.FR)
	if restored.State != content.Draft || restored.Body != oldRev.Body || restored.Author != "editor@example.org" || restored.ID == oldRev.ID {
		t.Fatalf("restored = %+v", restored)
	}
	if !strings.Contains(s.public(t, "/fr/ministere/mission"), "diplomatie culturelle") {
		t.Fatal("restoring must not change the public page before publication")
	}
	// The audit log names the reviewer (after the seed's first publication).
	es, _ := s.db.AuditLog(context.Background(), audit.Filter{Action: audit.PagePublish, Target: "mission/fr"})
	if len(es) != 2 || es[0].Actor != "reviewer@example.org" || es[1].Actor != seed.Publisher.Name {
		t.Fatalf("publish audit = %+v", es)
	}
}

func TestScheduledPublicationAppearsAfterItsTime(t *testing.T) {
	s := newStaff(t)
	f := s.editorForm(t, "mission")
	f.Set("fr.title", "Mission et vision du Ministère")
	f.Set("action", "submit")
	wantRedirect(t, admintest.Post(s.srv, "/admin/pages/mission", f, s.editor), "/admin/pages/mission?saved")
	rv := s.newest(t, "mission", lang.FR)

	at := s.clock.T.Add(90 * time.Minute)
	form := url.Values{"action": {"schedule"}, "publish_at": {at.In(i18n.Montreal).Format("2006-01-02T15:04")}}
	wantRedirect(t, admintest.Post(s.srv, revPath(rv.ID, "publish"), form, s.reviewer), revPath(rv.ID, "")+"?scheduled")
	wantContains(t, wantStatus(t, admintest.Get(s.srv, "/admin/scheduled", s.editor), http.StatusOK), "Mission et vision du Ministère", "En attente")

	// A time in the past is refused on the form.
	past := url.Values{"action": {"schedule"}, "publish_at": {s.clock.T.Add(-time.Hour).In(i18n.Montreal).Format("2006-01-02T15:04")}}
	other := s.newest(t, "mission", lang.EN)
	other.ID, other.State, other.Author, other.Title = 0, content.Review, "editor@example.org", "Mission (revised)"
	other, err := s.db.SaveRevision(context.Background(), other)
	if err != nil {
		t.Fatal(err)
	}
	wantContains(t, wantStatus(t, admintest.Post(s.srv, revPath(other.ID, "publish"), past, s.reviewer), http.StatusUnprocessableEntity),
		`aria-describedby="publish_at-hint publish_at-error"`, "Cette date est passée")

	sched := schedule.New(s.db, slog.New(slog.NewTextHandler(io.Discard, nil)), s.clock.Now)
	s.advance(t, 89*time.Minute)
	if n, _ := sched.Tick(context.Background()); n != 0 {
		t.Fatal("published before its time")
	}
	if strings.Contains(s.public(t, "/fr/ministere/mission"), "Mission et vision du Ministère") {
		t.Fatal("public before its time")
	}
	s.advance(t, time.Minute)
	if n, err := sched.Tick(context.Background()); n != 1 || err != nil {
		t.Fatalf("tick at its time: %d, %v", n, err)
	}
	// The publication reaches the public site through the change feed.
	if err := s.srv.Site.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	wantContains(t, s.public(t, "/fr/ministere/mission"), "Mission et vision du Ministère")
	wantContains(t, wantStatus(t, admintest.Get(s.srv, "/admin/scheduled", s.editor), http.StatusOK), "Aucune publication n&#39;est programmée.")

	// One the scheduler missed is flagged as overdue.
	f = s.editorForm(t, "mission")
	f.Set("fr.summary", "Résumé revu")
	f.Set("action", "submit")
	wantRedirect(t, admintest.Post(s.srv, "/admin/pages/mission", f, s.editor), "/admin/pages/mission?saved")
	late := s.newest(t, "mission", lang.FR)
	form.Set("publish_at", s.clock.T.Add(10*time.Minute).In(i18n.Montreal).Format("2006-01-02T15:04"))
	wantRedirect(t, admintest.Post(s.srv, revPath(late.ID, "publish"), form, s.reviewer), revPath(late.ID, ""))
	s.advance(t, 15*time.Minute)
	wantContains(t, wantStatus(t, admintest.Get(s.srv, "/admin/scheduled", s.reviewer), http.StatusOK), `class="overdue"`, "Publications en retard : 1")
}

func TestNobodyApprovesTheirOwnChange(t *testing.T) {
	s := newStaff(t)
	ctx := context.Background()
	own := func(author string) content.Revision {
		r := s.newest(t, "mission", lang.FR)
		r.ID, r.Author, r.State, r.Title = 0, author, content.Review, "Mission ("+author+")"
		saved, err := s.db.SaveRevision(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		return saved
	}
	// A reviewer's own change: refused, even with a reason.
	rv := own("reviewer@example.org")
	page := wantStatus(t, admintest.Get(s.srv, revPath(rv.ID, ""), s.reviewer), http.StatusOK)
	if strings.Contains(page, `action="`+revPath(rv.ID, "publish")+`"`) {
		t.Error("the publish form is offered to the author")
	}
	body := wantStatus(t, admintest.Post(s.srv, revPath(rv.ID, "publish"), url.Values{"action": {"now"}, "reason": {"urgent"}}, s.reviewer), http.StatusForbidden)
	wantContains(t, body, "Vous ne pouvez pas approuver votre propre modification")
	if got, _ := s.db.Revision(ctx, rv.ID); got.State != content.Review {
		t.Fatalf("state = %s", got.State)
	}

	// An admin's own change needs a reason, which is recorded.
	ad := own("admin@example.org")
	body = wantStatus(t, admintest.Post(s.srv, revPath(ad.ID, "publish"), url.Values{"action": {"now"}}, s.admin), http.StatusUnprocessableEntity)
	wantContains(t, body, `id="reason-error"`, `aria-describedby="reason-hint reason-error"`)
	wantRedirect(t, admintest.Post(s.srv, revPath(ad.ID, "publish"), url.Values{"action": {"now"}, "reason": {"Correction juridique urgente"}}, s.admin), revPath(ad.ID, ""))
	h, _ := s.db.History(ctx, "mission", lang.FR)
	if h[0].RevisionID != ad.ID || h[0].By != "admin@example.org" || h[0].Reason != "Correction juridique urgente" {
		t.Fatalf("publication = %+v", h[0])
	}
	wantContains(t, wantStatus(t, admintest.Get(s.srv, "/admin/pages/mission/fr/history", s.reviewer), http.StatusOK), "Correction juridique urgente")
}

func TestAccessibilityChecksRefusePublishing(t *testing.T) {
	s := newStaff(t)
	f := s.editorForm(t, "mission")
	f.Set("fr.body", "## Carte\n\n![](carte.png)\n\nPour le formulaire, [cliquez ici](/fr/nous-joindre).\n\n#### Détail\n")
	f.Set("action", "submit")
	wantRedirect(t, admintest.Post(s.srv, "/admin/pages/mission", f, s.editor), "/admin/pages/mission?saved")
	rv := s.newest(t, "mission", lang.FR)
	// The editor is warned before anyone tries to publish.
	wantContains(t, wantStatus(t, admintest.Get(s.srv, "/admin/pages/mission", s.editor), http.StatusOK), "Problèmes d&#39;accessibilité")

	body := wantStatus(t, admintest.Post(s.srv, revPath(rv.ID, "publish"), url.Values{"action": {"now"}}, s.reviewer), http.StatusUnprocessableEntity)
	wantContains(t, body, "Publication refusée",
		"Ligne 3 : l&#39;image « carte.png » n&#39;a pas de texte de remplacement",
		"le texte du lien « cliquez ici » ne dit pas où il mène",
		"un niveau de titre est sauté (h2 → h4)")
	if strings.Contains(s.public(t, "/fr/ministere/mission"), "cliquez ici") {
		t.Fatal("refused content is public")
	}
	// Scheduling is refused too.
	at := s.clock.T.Add(time.Hour).In(i18n.Montreal).Format("2006-01-02T15:04")
	wantStatus(t, admintest.Post(s.srv, revPath(rv.ID, "publish"), url.Values{"action": {"schedule"}, "publish_at": {at}}, s.reviewer), http.StatusUnprocessableEntity)
	if list, _ := s.db.Scheduled(context.Background()); len(list) != 0 {
		t.Fatalf("refused content was scheduled: %+v", list)
	}
}

func TestSlugChangeKeepsOldURL(t *testing.T) {
	s := newStaff(t)
	f := s.editorForm(t, "mission")
	f.Set("fr.path", "ministere/notre-mission")
	f.Set("action", "submit")
	wantRedirect(t, admintest.Post(s.srv, "/admin/pages/mission", f, s.editor), "/admin/pages/mission?saved")
	rv := s.newest(t, "mission", lang.FR)
	wantRedirect(t, admintest.Post(s.srv, revPath(rv.ID, "publish"), url.Values{"action": {"now"}}, s.reviewer), revPath(rv.ID, ""))

	res := admintest.Get(s.srv, "/fr/ministere/mission")
	res.Body.Close()
	if res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != "/fr/ministere/notre-mission" {
		t.Fatalf("old URL: %d → %q, want 301 to the new one", res.StatusCode, res.Header.Get("Location"))
	}
	s.public(t, "/fr/ministere/notre-mission")
	// The English twin now links to the new French address.
	wantContains(t, s.public(t, "/en/department/mission"), `href="/fr/ministere/notre-mission"`)
}

func TestEditorBadInput(t *testing.T) {
	s := newStaff(t)
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
	frBefore, enBefore := s.count(t, "mission", lang.FR), s.count(t, "mission", lang.EN)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := s.editorForm(t, "mission")
			f.Set("fr.body", typed)
			for k, v := range tc.set {
				f.Set(k, v)
			}
			body := wantStatus(t, admintest.Post(s.srv, "/admin/pages/mission", f, s.editor), http.StatusUnprocessableEntity)
			wantContains(t, body, tc.msg, `id="`+tc.field+`-error"`, `href="#`+tc.field+`"`,
				"aria-invalid=\"true\"", "Un paragraphe tapé avec soin que l&#39;on ne doit pas perdre.")
			if !strings.Contains(body, tc.field+`-error" aria-invalid="true"`) && !strings.Contains(body, tc.field+`-error"`) {
				t.Errorf("error not tied to %s", tc.field)
			}
		})
	}
	if s.count(t, "mission", lang.FR) != frBefore || s.count(t, "mission", lang.EN) != enBefore {
		t.Fatal("a refused form saved a revision")
	}

	// New pages: a taken or malformed key is refused on the form.
	wantRedirect(t, admintest.Post(s.srv, "/admin/pages/new", url.Values{"key": {"evenements"}, "section": {"department"}, "order": {"5"}}, s.editor), "/admin/pages/evenements")
	for _, key := range []string{"evenements", "Mauvaise clé", "new"} {
		body := wantStatus(t, admintest.Post(s.srv, "/admin/pages/new", url.Values{"key": {key}, "section": {"department"}}, s.editor), http.StatusUnprocessableEntity)
		wantContains(t, body, `id="key-error"`)
	}
	// A new page needs its French title and address before anything is saved.
	f := s.editorForm(t, "evenements")
	f.Set("fr.body", typed)
	wantContains(t, wantStatus(t, admintest.Post(s.srv, "/admin/pages/evenements", f, s.editor), http.StatusUnprocessableEntity),
		`id="fr.title-error"`, `id="fr.path-error"`)
	if revs, _ := s.db.Revisions(context.Background(), "evenements", lang.FR); len(revs) != 0 {
		t.Fatal("an invalid new page was saved")
	}
}

// A session that ends while an editor types: the post is answered with the
// sign-in form carrying what was typed, and nothing is saved until the
// editor signs in again and sends it.
func TestExpiredSessionMidEdit(t *testing.T) {
	s := newStaff(t)
	f := s.editorForm(t, "mission")
	f.Set("fr.body", "Texte écrit pendant une longue réunion.")
	before := s.count(t, "mission", lang.FR)
	s.clock.Advance(auth.IdleTimeout + time.Minute)
	res := admintest.Post(s.srv, "/admin/pages/mission", f, s.editor)
	body := wantStatus(t, res, http.StatusUnauthorized)
	wantContains(t, body, `name="carry.fr.body" value="Texte écrit pendant une longue réunion."`, `name="next" value="/admin/pages/mission"`)
	if s.count(t, "mission", lang.FR) != before {
		t.Fatal("saved without a session")
	}
	login := formValues(t, body, "admin-form")
	login.Set("email", "editor@example.org")
	login.Set("password", admintest.Password)
	res = admintest.Post(s.srv, "/admin/login", login)
	resume := wantStatus(t, res, http.StatusOK)
	var cookie *http.Cookie
	for _, c := range res.Cookies() {
		if c.Value != "" {
			cookie = c
		}
	}
	again := formValues(t, resume, "")
	again.Del("email")
	again.Del("password")
	wantRedirect(t, admintest.Post(s.srv, "/admin/pages/mission", again, cookie), "/admin/pages/mission?saved")
	if got := s.newest(t, "mission", lang.FR); got.Body != "Texte écrit pendant une longue réunion." {
		t.Fatalf("resumed save = %q", got.Body)
	}
}

// A workflow button has no fields, but its URL answers POST only: after the
// session ends and the editor signs in again, it is offered to send again
// rather than followed as a link.
func TestExpiredSessionOnFieldlessButton(t *testing.T) {
	s := newStaff(t)
	f := s.editorForm(t, "mission")
	f.Set("fr.body", f.Get("fr.body")+"\n\nAjout.")
	wantRedirect(t, admintest.Post(s.srv, "/admin/pages/mission", f, s.editor), "/admin/pages/mission?saved")
	rv := s.newest(t, "mission", lang.FR)
	s.clock.Advance(auth.IdleTimeout + time.Minute)
	body := wantStatus(t, admintest.Post(s.srv, revPath(rv.ID, "submit"), url.Values{}, s.editor), http.StatusUnauthorized)
	login := formValues(t, body, "admin-form")
	login.Set("email", "editor@example.org")
	login.Set("password", admintest.Password)
	res := admintest.Post(s.srv, "/admin/login", login)
	resume := wantStatus(t, res, http.StatusOK)
	wantContains(t, resume, `action="`+revPath(rv.ID, "submit")+`"`)
	var cookie *http.Cookie
	for _, c := range res.Cookies() {
		if c.Value != "" {
			cookie = c
		}
	}
	again := admintest.Post(s.srv, revPath(rv.ID, "submit"), formValues(t, resume, ""), cookie)
	if again.StatusCode != http.StatusSeeOther {
		t.Fatalf("sending the button again: status %d", again.StatusCode)
	}
	if got, _ := s.db.Revision(context.Background(), rv.ID); got.State != content.Review {
		t.Fatalf("state after resend = %s, want review", got.State)
	}
}

func TestDashboards(t *testing.T) {
	s := newStaff(t)
	// The access page is French-only: the translation dashboard lists it.
	tr := wantStatus(t, admintest.Get(s.srv, "/admin/translations", s.editor), http.StatusOK)
	wantContains(t, tr, `href="/admin/pages/access#en.title"`, "Aucune version anglaise")
	if strings.Contains(tr, `href="/admin/pages/mission#en.title"`) {
		t.Fatal("an up-to-date translation is listed")
	}
	// A major French change makes the English stale.
	f := s.editorForm(t, "mission")
	f.Set("fr.body", f.Get("fr.body")+"\n\nNouveau.")
	f.Set("fr.major", "1")
	f.Set("fr.change_note", "Nouveau paragraphe")
	f.Set("review_by", s.clock.T.AddDate(0, 0, 10).Format("2006-01-02"))
	f.Set("action", "submit")
	wantRedirect(t, admintest.Post(s.srv, "/admin/pages/mission", f, s.editor), "/admin/pages/mission?saved")
	s.advance(t, time.Minute)
	rv := s.newest(t, "mission", lang.FR)
	wantRedirect(t, admintest.Post(s.srv, revPath(rv.ID, "publish"), url.Values{"action": {"now"}}, s.reviewer), revPath(rv.ID, ""))
	wantContains(t, wantStatus(t, admintest.Get(s.srv, "/admin/translations", s.editor), http.StatusOK),
		`href="/admin/pages/mission#en.title"`, "avant la mise à jour française")

	// The review-by date shows on the dashboard, flagged once past.
	reviews := wantStatus(t, admintest.Get(s.srv, "/admin/reviews", s.editor), http.StatusOK)
	wantContains(t, reviews, `href="/admin/pages/mission"`, "Bientôt")
	s.advance(t, 12*24*time.Hour)
	wantContains(t, wantStatus(t, admintest.Get(s.srv, "/admin/reviews", s.editor), http.StatusOK), "Date dépassée")

	// Filters of the page list.
	list := wantStatus(t, admintest.Get(s.srv, "/admin/pages?missing=en", s.editor), http.StatusOK)
	wantContains(t, list, `href="/admin/pages/access"`)
	if strings.Contains(list, `href="/admin/pages/mission"`) {
		t.Error("missing=en lists a page that has English")
	}
	list = wantStatus(t, admintest.Get(s.srv, "/admin/pages?section=offices", s.editor), http.StatusOK)
	if strings.Contains(list, `href="/admin/pages/mission"`) || !strings.Contains(list, `href="/admin/pages/offices"`) {
		t.Error("section filter")
	}
}

func TestPreviewUsesPublicTemplate(t *testing.T) {
	s := newStaff(t)
	f := s.editorForm(t, "mission")
	f.Set("en.body", "## Preview heading\n\nNot saved <script>alert(1)</script> text.")
	body := wantStatus(t, admintest.Post(s.srv, "/admin/pages/mission/preview/en", f, s.editor), http.StatusOK)
	wantContains(t, body, `<html lang="en">`, `<h2 id="preview-heading">Preview heading</h2>`, `class="site-header"`, `<meta name="robots" content="noindex">`)
	if strings.Contains(body, "<script>") {
		t.Fatal("preview is not sanitised")
	}
	if strings.Contains(s.public(t, "/en/department/mission"), "Preview heading") || s.count(t, "mission", lang.EN) != 1 {
		t.Fatal("preview saved or published something")
	}
	// A body past the limits is not handed to the Markdown parser.
	f.Set("en.body", strings.Repeat("[a](", content.MaxBrackets+1))
	wantStatus(t, admintest.Post(s.srv, "/admin/pages/mission/preview/en", f, s.editor), http.StatusUnprocessableEntity)
}

// summaryLinks returns the href of each link of a page's error summary.
func summaryLinks(t *testing.T, src string) []string {
	t.Helper()
	doc, err := nethtml.Parse(strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	var walk func(n *nethtml.Node, in bool)
	walk = func(n *nethtml.Node, in bool) {
		if n.Type == nethtml.ElementNode {
			for _, a := range n.Attr {
				switch {
				case a.Key == "class" && strings.Contains(a.Val, "error-summary"):
					in = true
				case in && n.Data == "a" && a.Key == "href":
					out = append(out, a.Val)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, in)
		}
	}
	walk(doc, false)
	return out
}

// hasID reports whether the page src has an element with that id.
func hasID(t *testing.T, src, id string) bool {
	t.Helper()
	doc, err := nethtml.Parse(strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	var find func(n *nethtml.Node) bool
	find = func(n *nethtml.Node) bool {
		for _, a := range n.Attr {
			if a.Key == "id" && a.Val == id {
				return true
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if find(c) {
				return true
			}
		}
		return false
	}
	return find(doc)
}

// wantSummaryTargets checks that every link of the error summary of page
// src leads to an element that exists: on src itself, or on the staff
// page it names (opened as who).
func wantSummaryTargets(t *testing.T, s *staff, who *http.Cookie, src string) {
	t.Helper()
	for _, href := range summaryLinks(t, src) {
		path, frag, _ := strings.Cut(href, "#")
		target := src
		if path != "" {
			target = wantStatus(t, admintest.Get(s.srv, path, who), http.StatusOK)
		}
		if frag == "" || !hasID(t, target, frag) {
			t.Errorf("the error summary links to %q, which does not exist", href)
		}
	}
}

// A page at a path that a public route holds would never be shown: the
// change history's subtree (/fr/historique/…), a module's sub-pages
// (/fr/ministere/organigramme/{slug}). Its path is refused on the form,
// with the held paths, read from the server's routes, in the field's
// help. A route holds its path or subtree only: the rest of "ministere/"
// stays free.
func TestPagePathReservedByRoute(t *testing.T) {
	s := newStaff(t, withOrgChartModule)
	typed := "Un paragraphe tapé avec soin."
	frBefore, enBefore := s.count(t, "mission", lang.FR), s.count(t, "mission", lang.EN)
	for _, tc := range []struct{ field, path string }{
		{"fr.path", "historique/x"},
		{"fr.path", "historique"},
		{"en.path", "history/department/mission"},
		{"fr.path", "ministere/organigramme/mission"},
		{"en.path", "department/organization-chart/mission"},
	} {
		f := s.editorForm(t, "mission")
		f.Set("fr.body", typed)
		f.Set(tc.field, tc.path)
		body := wantStatus(t, admintest.Post(s.srv, "/admin/pages/mission", f, s.editor), http.StatusUnprocessableEntity)
		wantContains(t, body, "Cette adresse est prise par une page propre au site",
			`id="`+tc.field+`-error"`, `href="#`+tc.field+`"`, `value="`+tc.path+`"`, typed,
			`aria-describedby="`+tc.field+`-hint `+tc.field+`-error" aria-invalid="true"`)
		wantSummaryTargets(t, s, s.editor, body)
	}
	if s.count(t, "mission", lang.FR) != frBefore || s.count(t, "mission", lang.EN) != enBefore {
		t.Fatal("a refused path was saved")
	}
	help := wantStatus(t, admintest.Get(s.srv, "/admin/pages/mission", s.editor), http.StatusOK)
	wantContains(t, help, "Adresses prises par le site : historique, historique/, ministere/organigramme/ (",
		"Adresses prises par le site : department/organization-chart/, history, history/ (")

	// A word that only starts like a held one, one held in the other
	// language, or a sibling of a route's path, is fine.
	for _, tc := range []struct{ field, path string }{
		{"fr.path", "history/mission"},
		{"fr.path", "ministere/mission-et-vision"},
		{"en.path", "department/organization-chart-history"},
	} {
		f := s.editorForm(t, "mission")
		f.Set(tc.field, tc.path)
		wantRedirect(t, admintest.Post(s.srv, "/admin/pages/mission", f, s.editor), "/admin/pages/mission?saved")
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
	s := newStaff(t, withOrgChartModule)
	before := s.count(t, "orgchart", lang.FR)
	f := s.editorForm(t, "orgchart")
	f.Set("fr.path", "ministere/structure")
	body := wantStatus(t, admintest.Post(s.srv, "/admin/pages/orgchart", f, s.editor), http.StatusUnprocessableEntity)
	wantContains(t, body, "L&#39;adresse de cette page est fixe", `id="fr.path-error"`, `value="ministere/structure"`)
	if s.count(t, "orgchart", lang.FR) != before {
		t.Fatal("the module page was moved")
	}
	f = s.editorForm(t, "orgchart")
	f.Set("fr.body", "Une nouvelle introduction.")
	wantRedirect(t, admintest.Post(s.srv, "/admin/pages/orgchart", f, s.editor), "/admin/pages/orgchart?saved")
	if s.count(t, "orgchart", lang.FR) != before+1 {
		t.Fatal("the module page's introduction was not saved")
	}
}

// A revision saved at a path before a route took it (here written to the
// store directly) is not published, nor restored, and the refusal points
// to the editor's field.
func TestPublishRefusesReservedPath(t *testing.T) {
	s := newStaff(t)
	rv := s.newest(t, "mission", lang.FR)
	rv.ID, rv.Path, rv.State, rv.Author = 0, "historique/mission", content.Review, "editor@example.org"
	rv, err := s.db.SaveRevision(context.Background(), rv)
	if err != nil {
		t.Fatal(err)
	}
	body := wantStatus(t, admintest.Post(s.srv, revPath(rv.ID, "publish"), url.Values{"action": {"now"}}, s.reviewer), http.StatusUnprocessableEntity)
	wantContains(t, body, "Cette adresse est prise par une page propre au site", `href="/admin/pages/mission#fr.path"`)
	wantSummaryTargets(t, s, s.reviewer, body)
	s.public(t, "/fr/ministere/mission") // 200: not moved (a path change leaves a 301)
	before := s.count(t, "mission", lang.FR)
	wantStatus(t, admintest.Post(s.srv, revPath(rv.ID, "restore"), nil, s.editor), http.StatusUnprocessableEntity)
	if s.count(t, "mission", lang.FR) != before {
		t.Fatal("a revision at a reserved path was restored")
	}
}

// The key "new" would give a page whose editor, /admin/pages/new, is the
// creation form: it is refused with a message that says so.
func TestPageKeyNewRefused(t *testing.T) {
	s := newStaff(t)
	body := wantStatus(t, admintest.Post(s.srv, "/admin/pages/new", url.Values{"key": {"new"}, "section": {"department"}, "order": {"3"}}, s.editor), http.StatusUnprocessableEntity)
	wantContains(t, body, "Cette clé est un mot réservé des adresses de l&#39;espace du personnel",
		`id="key-error"`, `href="#key"`, `aria-invalid="true"`, `value="new"`, `value="3"`)
	wantSummaryTargets(t, s, s.editor, body)
	if _, err := s.db.Page(context.Background(), "new"); err == nil {
		t.Fatal("page new was created")
	}
}

// When another page took the path after the draft was saved, publishing
// is refused, and the error summary leads to the editor's path field of
// that language, not to a field the revision page does not have.
func TestPublishPathTakenLinksToEditor(t *testing.T) {
	s := newStaff(t)
	for _, key := range []string{"mission", "orgchart"} {
		f := s.editorForm(t, key)
		f.Set("en.path", "department/shared")
		f.Set("action", "submit")
		wantRedirect(t, admintest.Post(s.srv, "/admin/pages/"+key, f, s.editor), "/admin/pages/"+key+"?saved")
	}
	first, second := s.newest(t, "orgchart", lang.EN), s.newest(t, "mission", lang.EN)
	wantRedirect(t, admintest.Post(s.srv, revPath(first.ID, "publish"), url.Values{"action": {"now"}}, s.reviewer), revPath(first.ID, ""))
	body := wantStatus(t, admintest.Post(s.srv, revPath(second.ID, "publish"), url.Values{"action": {"now"}}, s.reviewer), http.StatusUnprocessableEntity)
	wantContains(t, body, "Cette adresse est déjà utilisée par une autre page.", `href="/admin/pages/mission#en.path"`)
	if links := summaryLinks(t, body); len(links) != 1 {
		t.Fatalf("error summary links %v, want the editor's field", links)
	}
	wantSummaryTargets(t, s, s.reviewer, body)
}
