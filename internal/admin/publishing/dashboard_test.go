package publishing_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	nethtml "golang.org/x/net/html"

	"portail/internal/admin/admintest"
	"portail/internal/auth"
	"portail/internal/content"
	"portail/internal/i18n"
	"portail/internal/lang"
	"portail/internal/office"
	"portail/internal/orgchart"
)

// todoView is what the dashboard says: each list's heading (with its
// count) and the rest of its text (the late items' flags), by list id.
type todoView struct {
	heading, text map[string]string
}

func dashboard(t *testing.T, s *admintest.Staff, who *http.Cookie) todoView {
	t.Helper()
	src := admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/", who), http.StatusOK)
	doc, err := nethtml.Parse(strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	v := todoView{heading: map[string]string{}, text: map[string]string{}}
	var walk func(n *nethtml.Node)
	walk = func(n *nethtml.Node) {
		for _, a := range n.Attr {
			switch {
			case a.Key == "id" && strings.HasPrefix(a.Val, "todo-"):
				v.heading[a.Val] = textContent(n)
			case a.Key == "aria-labelledby" && strings.HasPrefix(a.Val, "todo-"):
				v.text[a.Val] = textContent(n)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return v
}

func textContent(n *nethtml.Node) string {
	var b strings.Builder
	var walk func(n *nethtml.Node)
	walk = func(n *nethtml.Node) {
		if n.Type == nethtml.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return strings.Join(strings.Fields(b.String()), " ")
}

// want checks the dashboard's lists: want maps a list id to its heading,
// and a list not in want must not be shown.
func (v todoView) want(t *testing.T, who string, want map[string]string) {
	t.Helper()
	for id, h := range want {
		if v.heading[id] != h {
			t.Errorf("%s: list %s says %q, want %q", who, id, v.heading[id], h)
		}
	}
	for id := range v.heading {
		if _, ok := want[id]; !ok {
			t.Errorf("%s: list %s (%q) is shown", who, id, v.heading[id])
		}
	}
}

func (v todoView) wantText(t *testing.T, who, id string, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if !strings.Contains(v.text[id], s) {
			t.Errorf("%s: list %s lacks %q: %q", who, id, s, v.text[id])
		}
	}
}

func (v todoView) wantNoText(t *testing.T, who, id, sub string) {
	t.Helper()
	if strings.Contains(v.text[id], sub) {
		t.Errorf("%s: list %s says %q: %q", who, id, sub, v.text[id])
	}
}

// The dashboard is each account's to-do list, counted from real data:
// drafts, revisions to approve (never one's own), scheduled publications
// with the overdue ones flagged in words, pages due for review (by the
// injected clock) and translations to do; each list only for the roles
// that may open what it links to.
func TestDashboardToDoList(t *testing.T) {
	s := admintest.NewStaff(t)
	ctx := context.Background()
	admintest.NewUser(t, s.DB, "officer@example.org", auth.AccessOfficer)
	officer := admintest.Login(t, s.Srv, "officer@example.org", admintest.Password)
	gaps, err := s.DB.TranslationGaps(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tr := func(n int) string { return "Traductions à faire : " + strconv.Itoa(n) }
	rev := func(n int) string { return "Pages à revoir, date passée ou dans les 14 jours : " + strconv.Itoa(n) }
	sched := func(n int) string { return "Publications programmées : " + strconv.Itoa(n) }
	sent := func(n int) string { return "Mes envois en approbation : " + strconv.Itoa(n) }

	dashboard(t, s, s.Editor).want(t, "editor", map[string]string{
		"todo-drafts": "Mes brouillons : 0", "todo-sent": sent(0), "todo-scheduled": sched(0), "todo-reviews": rev(0), "todo-translations": tr(len(gaps)),
	})
	dashboard(t, s, s.Reviewer).want(t, "reviewer", map[string]string{
		"todo-approve": "Versions à approuver : 0", "todo-scheduled": sched(0), "todo-reviews": rev(0), "todo-translations": tr(len(gaps)),
	})
	// No publishing list for a role that may not open the pages.
	officerPage := admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/", officer), http.StatusOK)
	admintest.WantContains(t, officerPage, "Votre rôle n&#39;a pas de tâche de publication.")
	if strings.Contains(officerPage, `id="todo-`) || strings.Contains(officerPage, `href="/admin/pages`) {
		t.Error("the access officer's dashboard lists publishing work")
	}

	// The editor keeps a draft of one page and sends another to review;
	// the admin sends a change of their own.
	save := func(who *http.Cookie, key, title, action string) content.Revision {
		t.Helper()
		f := s.EditorForm(t, key)
		f.Set("fr.title", title)
		f.Set("action", action)
		admintest.WantRedirect(t, admintest.Post(s.Srv, "/admin/pages/"+key, f, who), "/admin/pages/"+key+"?")
		return s.Newest(t, key, lang.FR)
	}
	save(s.Editor, "mission", "Mission (brouillon)", "save")
	toSchedule := save(s.Editor, "orgchart", "Organigramme revu", "submit")
	save(s.Admin, "department", "Le Ministère (revu)", "submit")

	ed := dashboard(t, s, s.Editor)
	ed.want(t, "editor", map[string]string{"todo-drafts": "Mes brouillons : 1", "todo-sent": sent(1), "todo-scheduled": sched(0), "todo-reviews": rev(0), "todo-translations": tr(len(gaps))})
	ed.wantText(t, "editor", "todo-drafts", "Mission (brouillon)")
	rv := dashboard(t, s, s.Reviewer)
	rv.want(t, "reviewer", map[string]string{"todo-approve": "Versions à approuver : 2", "todo-scheduled": sched(0), "todo-reviews": rev(0), "todo-translations": tr(len(gaps))})
	rv.wantText(t, "reviewer", "todo-approve", "Organigramme revu", "Le Ministère (revu)", "de Test editor")
	ad := dashboard(t, s, s.Admin)
	// The administrator also sees the offices area's list and the
	// organization chart's: the default network's details, and some of
	// the default chart's units, are sample data.
	sampleUnits := 0
	for _, u := range orgchart.Defaults() {
		if u.Sample {
			sampleUnits++
		}
	}
	ad.want(t, "admin", map[string]string{"todo-approve": "Versions à approuver : 1", "todo-drafts": "Mes brouillons : 0", "todo-sent": sent(1),
		"todo-scheduled": sched(0), "todo-reviews": rev(0), "todo-translations": tr(len(gaps)),
		"todo-offices-sample":  "Représentations dont les coordonnées sont des données d’exemple : " + strconv.Itoa(len(office.Defaults())),
		"todo-orgunits-sample": "Unités de l’organigramme dont les données sont des exemples : " + strconv.Itoa(sampleUnits)})
	ad.wantNoText(t, "admin", "todo-approve", "Le Ministère (revu)")

	// A scheduled publication leaves the approval list; once the
	// scheduler has missed it, it is flagged in words.
	at := s.Clock.T.Add(30 * time.Minute).In(i18n.Montreal).Format("2006-01-02T15:04")
	admintest.WantRedirect(t, admintest.Post(s.Srv, admintest.RevPath(toSchedule.ID, "schedule"), url.Values{"publish_at": {at}}, s.Reviewer), admintest.RevPath(toSchedule.ID, ""))
	rv = dashboard(t, s, s.Reviewer)
	rv.want(t, "reviewer", map[string]string{"todo-approve": "Versions à approuver : 1", "todo-scheduled": sched(1), "todo-reviews": rev(0), "todo-translations": tr(len(gaps))})
	rv.wantNoText(t, "reviewer", "todo-scheduled", "retard")
	s.Advance(t, 35*time.Minute)
	rv = dashboard(t, s, s.Reviewer)
	rv.want(t, "reviewer", map[string]string{"todo-approve": "Versions à approuver : 1", "todo-scheduled": sched(1), "todo-reviews": rev(0), "todo-translations": tr(len(gaps))})
	rv.wantText(t, "reviewer", "todo-scheduled", "Publications en retard : 1", "Organigramme revu", "En retard")

	// Review-by dates, read in Montréal by the injected clock: one past,
	// one in ten days, one in twenty (not yet listed).
	today := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	for key, days := range map[string]int{"services": -1, "policy": 10, "offices": 20} {
		if err := s.DB.SetReviewBy(ctx, key, today.AddDate(0, 0, days)); err != nil {
			t.Fatal(err)
		}
	}
	ed = dashboard(t, s, s.Editor)
	if ed.heading["todo-reviews"] != rev(2) {
		t.Errorf("review-by: %q, want %q", ed.heading["todo-reviews"], rev(2))
	}
	ed.wantText(t, "editor", "todo-reviews", "Date de relecture dépassée : 1", "à revoir le 2026-03-01")
	s.Advance(t, 11*24*time.Hour)
	ed = dashboard(t, s, s.Editor)
	if ed.heading["todo-reviews"] != rev(3) {
		t.Errorf("review-by eleven days later: %q, want %q", ed.heading["todo-reviews"], rev(3))
	}
	ed.wantText(t, "editor", "todo-reviews", "Date de relecture dépassée : 2")

	// A major French change that is published leaves the English behind;
	// the draft it came from is no longer the editor's to do.
	f := s.EditorForm(t, "mission")
	f.Set("fr.major", "1")
	f.Set("fr.change_note", "Nouveau titre")
	f.Set("action", "submit")
	admintest.WantRedirect(t, admintest.Post(s.Srv, "/admin/pages/mission", f, s.Editor), "/admin/pages/mission?submitted")
	major := s.Newest(t, "mission", lang.FR)
	admintest.WantRedirect(t, admintest.Post(s.Srv, admintest.RevPath(major.ID, "publish"), url.Values{"action": {"now"}}, s.Reviewer), admintest.RevPath(major.ID, ""))
	ed = dashboard(t, s, s.Editor)
	if ed.heading["todo-drafts"] != "Mes brouillons : 0" || ed.heading["todo-translations"] != tr(len(gaps)+1) {
		t.Errorf("after publication: drafts %q, translations %q, want 0 and %d", ed.heading["todo-drafts"], ed.heading["todo-translations"], len(gaps)+1)
	}
	ed.wantText(t, "editor", "todo-translations", "Mission (brouillon)", "version anglaise antérieure à la mise à jour française")

	// In English for an account that works in English.
	admintest.WantStatus(t, admintest.Post(s.Srv, "/admin/lang", url.Values{"lang": {"en"}, "back": {"/admin/"}}, s.Admin), http.StatusSeeOther)
	ad = dashboard(t, s, s.Admin)
	if ad.heading["todo-approve"] != "Versions awaiting your approval: 0" || ad.heading["todo-scheduled"] != "Scheduled publications: 1" {
		t.Errorf("English dashboard: %v", ad.heading)
	}
	ad.wantText(t, "admin", "todo-scheduled", "Overdue publications: 1")
}

// A page that is French-only by design is not a translation to do: the
// seeded access section is not listed, and an editor sets or clears the
// flag in the editor.
func TestFrenchOnlyIsNoTranslationToDo(t *testing.T) {
	s := admintest.NewStaff(t)
	page := func() string {
		return admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/translations", s.Editor), http.StatusOK)
	}
	dash := dashboard(t, s, s.Editor)
	if strings.Contains(page(), "/admin/pages/access") || strings.Contains(dash.text["todo-translations"], "Accès à l") {
		t.Fatalf("the French-only access section is a translation to do:\n%s", dash.text["todo-translations"])
	}
	f := s.EditorForm(t, "access")
	if f.Get("french_only") != "1" {
		t.Fatalf("the editor does not show the seeded page as French-only: %v", f)
	}
	f.Del("french_only")
	admintest.WantRedirect(t, admintest.Post(s.Srv, "/admin/pages/access", f, s.Editor), "/admin/pages/access?saved")
	if n := s.Count(t, "access", lang.FR); n != 1 {
		t.Errorf("changing the flag wrote %d French versions, want the seeded one", n)
	}
	dashboard(t, s, s.Editor).wantText(t, "editor", "todo-translations", "Accès à l")
	f.Set("french_only", "1")
	admintest.WantRedirect(t, admintest.Post(s.Srv, "/admin/pages/access", f, s.Editor), "/admin/pages/access?saved")
	if strings.Contains(page(), "/admin/pages/access") {
		t.Fatal("checked again, the page is still a translation to do")
	}
}

// An editor's dashboard lists what she sent to review, until someone
// decides, and the drafts sent back to her with the reviewer's comment.
func TestDashboardSentAndReturned(t *testing.T) {
	s := admintest.NewStaff(t)
	f := s.EditorForm(t, "mission")
	f.Set("fr.title", "Mission envoyée")
	f.Set("action", "submit")
	admintest.WantRedirect(t, admintest.Post(s.Srv, "/admin/pages/mission", f, s.Editor), "/admin/pages/mission?")
	sent := s.Newest(t, "mission", lang.FR)

	ed := dashboard(t, s, s.Editor)
	if !strings.HasSuffix(ed.heading["todo-sent"], " : 1") {
		t.Errorf("sent list heading %q, want a count of 1", ed.heading["todo-sent"])
	}
	ed.wantText(t, "editor", "todo-sent", "Mission envoyée")
	if rv := dashboard(t, s, s.Reviewer); rv.heading["todo-sent"] != "" {
		t.Errorf("a reviewer, who does not write, has a sent list: %q", rv.heading["todo-sent"])
	}

	admintest.WantRedirect(t, admintest.Post(s.Srv, admintest.RevPath(sent.ID, "return"), url.Values{"comment": {"Précisez la date."}}, s.Reviewer), admintest.RevPath(sent.ID, ""))
	ed = dashboard(t, s, s.Editor)
	if !strings.HasSuffix(ed.heading["todo-sent"], " : 0") {
		t.Errorf("after the return, sent list heading %q, want 0", ed.heading["todo-sent"])
	}
	ed.wantText(t, "editor", "todo-drafts", "Mission envoyée", "Précisez la date.")
}
