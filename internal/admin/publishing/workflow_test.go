package publishing_test

import (
	"context"
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
)

// Two editors open the same page. The first saves; the second, who
// changed French from the same revision, gets the editor back (409) with
// everything typed kept and the first one's change as a word diff, and
// nothing is written; saving that form again replaces the first change,
// deliberately. English, which the second left alone, now shows the
// first one's text and is not written again.
func TestTwoEditorsSaveTheSamePage(t *testing.T) {
	s := admintest.NewStaff(t)
	admintest.NewUser(t, s.DB, "editor2@example.org", auth.Editor)
	editor2 := admintest.Login(t, s.Srv, "editor2@example.org", admintest.Password)
	first, second := s.EditorForm(t, "mission"), s.EditorForm(t, "mission")

	first.Set("fr.body", first.Get("fr.body")+"\n\nLe Ministère ouvre une antenne à Dakar.")
	first.Set("en.title", "Mission and vision (2026)")
	admintest.WantRedirect(t, admintest.Post(s.Srv, "/admin/pages/mission", first, s.Editor), "/admin/pages/mission?saved")
	theirs, theirsEN := s.Newest(t, "mission", lang.FR), s.Newest(t, "mission", lang.EN)
	frCount, enCount := s.Count(t, "mission", lang.FR), s.Count(t, "mission", lang.EN)

	second.Set("fr.title", "Notre mission aujourd’hui")
	second.Set("fr.summary", "Notre mission, en bref.")
	body := admintest.WantStatus(t, admintest.Post(s.Srv, "/admin/pages/mission", second, editor2), http.StatusConflict)
	admintest.WantContains(t, body,
		"Français : une autre personne a enregistré une version pendant que vous écriviez.",
		`value="Notre mission aujourd’hui"`, "Notre mission, en bref.", // what was typed
		"Modifiée par Test editor",
		"Le Ministère ouvre une antenne à Dakar.</ins>", // their change, as a diff
		`href="#fr.base"`)
	admintest.WantSummaryTargets(t, s, editor2, body)
	if s.Count(t, "mission", lang.FR) != frCount || s.Count(t, "mission", lang.EN) != enCount {
		t.Fatal("a refused save wrote a revision")
	}
	if strings.Contains(body, `href="#en.base"`) {
		t.Error("English, which the second editor left alone, is reported as a conflict")
	}

	// The form shown again is based on their revisions: saving it is a
	// deliberate choice, and goes through.
	again := admintest.FormValues(t, body, "editor-form")
	if again.Get("fr.base") != strconv.FormatInt(theirs.ID, 10) || again.Get("fr.title") != "Notre mission aujourd’hui" {
		t.Fatalf("form shown again: French base %q, title %q", again.Get("fr.base"), again.Get("fr.title"))
	}
	if again.Get("en.base") != strconv.FormatInt(theirsEN.ID, 10) || again.Get("en.title") != "Mission and vision (2026)" {
		t.Fatalf("form shown again: English base %q, title %q, want theirs", again.Get("en.base"), again.Get("en.title"))
	}
	admintest.WantRedirect(t, admintest.Post(s.Srv, "/admin/pages/mission", again, editor2), "/admin/pages/mission?saved")
	if got := s.Newest(t, "mission", lang.FR); got.Title != "Notre mission aujourd’hui" || got.Author != "editor2@example.org" || strings.Contains(got.Body, "Dakar") {
		t.Fatalf("second save = %+v", got)
	}
	if got := s.Newest(t, "mission", lang.EN); got.ID != theirsEN.ID {
		t.Fatalf("English was written again: %+v", got)
	}
}

// An editor who changed only English saves over nobody's French: the
// French they left alone is not written from their stale form, even though
// someone changed it meanwhile.
func TestStaleUntouchedLanguageNotWritten(t *testing.T) {
	s := admintest.NewStaff(t)
	admintest.NewUser(t, s.DB, "editor2@example.org", auth.Editor)
	editor2 := admintest.Login(t, s.Srv, "editor2@example.org", admintest.Password)
	first, second := s.EditorForm(t, "mission"), s.EditorForm(t, "mission")
	first.Set("fr.title", "Mission (nouveau titre)")
	admintest.WantRedirect(t, admintest.Post(s.Srv, "/admin/pages/mission", first, s.Editor), "/admin/pages/mission?saved")
	theirs := s.Newest(t, "mission", lang.FR)

	second.Set("en.title", "Mission (new title)")
	admintest.WantRedirect(t, admintest.Post(s.Srv, "/admin/pages/mission", second, editor2), "/admin/pages/mission?saved")
	if got := s.Newest(t, "mission", lang.FR); got.ID != theirs.ID {
		t.Fatalf("the untouched French was written again: %+v", got)
	}
	if got := s.Newest(t, "mission", lang.EN); got.Title != "Mission (new title)" {
		t.Fatalf("English = %+v", got)
	}
	// A base that is not a revision of this page and language is bad input.
	bad := s.EditorForm(t, "mission")
	bad.Set("fr.base", strconv.FormatInt(s.Newest(t, "mission", lang.EN).ID, 10))
	bad.Set("fr.title", "X")
	frCount := s.Count(t, "mission", lang.FR)
	body := admintest.WantStatus(t, admintest.Post(s.Srv, "/admin/pages/mission", bad, s.Editor), http.StatusUnprocessableEntity)
	admintest.WantContains(t, body, "La version de départ du formulaire n&#39;est pas une version de cette page.", `name="fr.base" value="0"`)
	admintest.WantSummaryTargets(t, s, s.Editor, body)
	if s.Count(t, "mission", lang.FR) != frCount {
		t.Fatal("an edit with a bad base was saved")
	}
}

// submit saves the editor's French with a new title and sends it to review.
func submit(t *testing.T, s *admintest.Staff, title string) content.Revision {
	t.Helper()
	f := s.EditorForm(t, "mission")
	f.Set("fr.title", title)
	f.Set("action", "submit")
	admintest.WantRedirect(t, admintest.Post(s.Srv, "/admin/pages/mission", f, s.Editor), "/admin/pages/mission?submitted=fr")
	return s.Newest(t, "mission", lang.FR)
}

// Publishing a revision older than the public one is refused: it would
// roll the page back while the public history claims the newer change.
// The revision page offers to restore it as a new draft instead.
func TestOlderRevisionPublishRefused(t *testing.T) {
	s := admintest.NewStaff(t)
	older := submit(t, s, "Mission (version A)")
	newer := submit(t, s, "Mission (version B)")
	admintest.WantRedirect(t, admintest.Post(s.Srv, admintest.RevPath(newer.ID, "publish"), url.Values{"action": {"now"}}, s.Reviewer), admintest.RevPath(newer.ID, "")+"?published")

	body := admintest.WantStatus(t, admintest.Post(s.Srv, admintest.RevPath(older.ID, "publish"), url.Values{"action": {"now"}}, s.Reviewer), http.StatusConflict)
	admintest.WantContains(t, body, "Une version plus récente de cette page est publiée", "La version n° "+strconv.Itoa(newer.Number)+", plus récente, est publiée.")
	if !strings.Contains(s.Public(t, "/fr/ministere/mission"), "Mission (version B)") {
		t.Fatal("the public page was rolled back")
	}
	if h, _ := s.DB.History(context.Background(), "mission", lang.FR); h[0].RevisionID != newer.ID {
		t.Fatalf("history = %+v", h[0])
	}
	if got, _ := s.DB.Revision(context.Background(), older.ID); got.State != content.Review {
		t.Fatalf("older revision = %s", got.State)
	}
	// Scheduling it is refused the same way.
	at := s.Clock.T.Add(time.Hour).In(i18n.Montreal).Format("2006-01-02T15:04")
	admintest.WantStatus(t, admintest.Post(s.Srv, admintest.RevPath(older.ID, "schedule"), url.Values{"publish_at": {at}}, s.Reviewer), http.StatusConflict)

	// The editor is offered the restore, and no publish form is shown.
	page := admintest.WantStatus(t, admintest.Get(s.Srv, admintest.RevPath(older.ID, ""), s.Editor), http.StatusOK)
	admintest.WantContains(t, page, `id="newer-public"`, `action="`+admintest.RevPath(older.ID, "restore")+`"`)
	page = admintest.WantStatus(t, admintest.Get(s.Srv, admintest.RevPath(older.ID, ""), s.Reviewer), http.StatusOK)
	if strings.Contains(page, `action="`+admintest.RevPath(older.ID, "publish")+`"`) {
		t.Error("the reviewer is offered to publish the older revision")
	}
	admintest.WantRedirect(t, admintest.Post(s.Srv, admintest.RevPath(older.ID, "restore"), nil, s.Editor), "/admin/pages/mission?restored")
	if got := s.Newest(t, "mission", lang.FR); got.Title != "Mission (version A)" || got.State != content.Draft || got.ID <= newer.ID {
		t.Fatalf("restored = %+v", got)
	}
}

// Archiving a scheduled revision cancels its publication, which only
// someone who may publish decides: the editor who wrote it may not, nor
// take it back, and is not offered to.
func TestEditorCannotArchiveScheduledRevision(t *testing.T) {
	s := admintest.NewStaff(t)
	rv := submit(t, s, "Mission programmée")
	at := s.Clock.T.Add(time.Hour).In(i18n.Montreal).Format("2006-01-02T15:04")
	admintest.WantRedirect(t, admintest.Post(s.Srv, admintest.RevPath(rv.ID, "schedule"), url.Values{"publish_at": {at}}, s.Reviewer), admintest.RevPath(rv.ID, ""))

	page := admintest.WantStatus(t, admintest.Get(s.Srv, admintest.RevPath(rv.ID, ""), s.Editor), http.StatusOK)
	for _, step := range []string{"archive", "return", "unschedule"} {
		if strings.Contains(page, `action="`+admintest.RevPath(rv.ID, step)+`"`) {
			t.Errorf("the editor is offered %s", step)
		}
	}
	for _, step := range []string{"archive", "return"} {
		body := admintest.WantStatus(t, admintest.Post(s.Srv, admintest.RevPath(rv.ID, step), nil, s.Editor), http.StatusForbidden)
		admintest.WantContains(t, body, "Cette version est programmée pour publication")
	}
	if list, _ := s.DB.Scheduled(context.Background()); len(list) != 1 || list[0].ID != rv.ID {
		t.Fatalf("scheduled = %+v", list)
	}
	// Archiving asks first, saying that the schedule is cancelled.
	confirm := admintest.WantStatus(t, admintest.Post(s.Srv, admintest.RevPath(rv.ID, "archive"), nil, s.Reviewer), http.StatusOK)
	admintest.WantContains(t, confirm, `id="confirm"`, "Archiver cette version ?", "Sa publication programmée le", `name="confirm" value="1"`)
	if list, _ := s.DB.Scheduled(context.Background()); len(list) != 1 {
		t.Fatalf("the first click archived: scheduled = %+v", list)
	}
	admintest.WantRedirect(t, admintest.Post(s.Srv, admintest.RevPath(rv.ID, "archive"), url.Values{"confirm": {"1"}}, s.Reviewer), admintest.RevPath(rv.ID, "")+"?archived")
	if list, _ := s.DB.Scheduled(context.Background()); len(list) != 0 {
		t.Fatalf("still scheduled after the reviewer archived it: %+v", list)
	}
}

// A reviewer sends a change back with a comment, which its author sees on
// the dashboard, the revision page and the editor.
func TestReturnCommentShownToAuthor(t *testing.T) {
	s := admintest.NewStaff(t)
	rv := submit(t, s, "Mission (à revoir)")
	body := admintest.WantStatus(t, admintest.Post(s.Srv, admintest.RevPath(rv.ID, "return"), url.Values{"comment": {"  "}}, s.Reviewer), http.StatusUnprocessableEntity)
	admintest.WantContains(t, body, "Dites à l&#39;auteur ce qu&#39;il faut changer.", `id="comment-error"`)
	admintest.WantSummaryTargets(t, s, s.Reviewer, body)
	if got, _ := s.DB.Revision(context.Background(), rv.ID); got.State != content.Review {
		t.Fatalf("returned without a comment: %s", got.State)
	}
	comment := "Précisez la date de l'entente avec la Bavière."
	admintest.WantRedirect(t, admintest.Post(s.Srv, admintest.RevPath(rv.ID, "return"), url.Values{"comment": {comment}}, s.Reviewer), admintest.RevPath(rv.ID, "")+"?returned")

	escaped := "Précisez la date de l&#39;entente avec la Bavière."
	d := dashboard(t, s, s.Editor)
	d.want(t, "editor", map[string]string{"todo-drafts": "Mes brouillons : 1", "todo-sent": d.heading["todo-sent"], "todo-scheduled": "Publications programmées : 0",
		"todo-reviews": "Pages à revoir, date passée ou dans les 14 jours : 0", "todo-translations": d.heading["todo-translations"]})
	d.wantText(t, "editor", "todo-drafts", "Mission (à revoir)", "Renvoyée par Test reviewer : « "+comment+" »")
	admintest.WantContains(t, admintest.WantStatus(t, admintest.Get(s.Srv, admintest.RevPath(rv.ID, ""), s.Editor), http.StatusOK), `id="returned"`, escaped, "Test reviewer")
	admintest.WantContains(t, admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/pages/mission", s.Editor), http.StatusOK), escaped)
	// Another editor's dashboard does not list it.
	admintest.NewUser(t, s.DB, "editor2@example.org", auth.Editor)
	other := dashboard(t, s, admintest.Login(t, s.Srv, "editor2@example.org", admintest.Password))
	other.wantNoText(t, "editor2", "todo-drafts", comment)
}

// "Publish now" refuses a date rather than ignoring it: scheduling is its
// own form, and the date typed is kept for it.
func TestPublishNowWithDateRefused(t *testing.T) {
	s := admintest.NewStaff(t)
	rv := submit(t, s, "Mission datée")
	page := admintest.WantStatus(t, admintest.Get(s.Srv, admintest.RevPath(rv.ID, ""), s.Reviewer), http.StatusOK)
	dated := map[string]bool{}
	for _, f := range admintest.Forms(page) {
		for _, fd := range f.Fields {
			dated[f.Action] = dated[f.Action] || fd.Name == "publish_at"
		}
	}
	if dated[admintest.RevPath(rv.ID, "publish")] || !dated[admintest.RevPath(rv.ID, "schedule")] {
		t.Errorf("forms with a date field: %v, want only the schedule form", dated)
	}
	at := s.Clock.T.Add(time.Hour).In(i18n.Montreal).Format("2006-01-02T15:04")
	body := admintest.WantStatus(t, admintest.Post(s.Srv, admintest.RevPath(rv.ID, "publish"), url.Values{"publish_at": {at}}, s.Reviewer), http.StatusUnprocessableEntity)
	admintest.WantContains(t, body, "« Publier maintenant » ne prend pas de date", `value="`+at+`"`)
	admintest.WantSummaryTargets(t, s, s.Reviewer, body)
	if got, _ := s.DB.Revision(context.Background(), rv.ID); got.State != content.Review || !got.PublishAt.IsZero() {
		t.Fatalf("after the refusal the revision is %s, scheduled %v", got.State, got.PublishAt)
	}
}

// Withdrawing the public version asks for confirmation on a page of its
// own, without JavaScript; only the confirmed post withdraws.
func TestWithdrawAsksFirst(t *testing.T) {
	s := admintest.NewStaff(t)
	public := s.Newest(t, "mission", lang.FR)
	body := admintest.WantStatus(t, admintest.Post(s.Srv, admintest.RevPath(public.ID, "archive"), nil, s.Reviewer), http.StatusOK)
	admintest.WantContains(t, body, "Retirer cette page du site public ?", "Oui, retirer du site public", `href="`+admintest.RevPath(public.ID, "")+`"`)
	s.Public(t, "/fr/ministere/mission")
	admintest.WantRedirect(t, admintest.Post(s.Srv, admintest.RevPath(public.ID, "archive"), url.Values{"confirm": {"1"}}, s.Reviewer), admintest.RevPath(public.ID, "")+"?archived")
	admintest.WantStatus(t, admintest.Get(s.Srv, "/fr/ministere/mission"), http.StatusNotFound)
}

// A reviewer publishes the French and English of a page together, in one
// step: both go public, or, when the other language changed since she
// looked, neither.
func TestPublishBothLanguages(t *testing.T) {
	s := admintest.NewStaff(t)
	f := s.EditorForm(t, "mission")
	f.Set("fr.title", "Mission (fr revue)")
	f.Set("en.title", "Mission (en revised)")
	f.Set("action", "submit")
	admintest.WantRedirect(t, admintest.Post(s.Srv, "/admin/pages/mission", f, s.Editor), "/admin/pages/mission?submitted=fr,en")
	fr, en := s.Newest(t, "mission", lang.FR), s.Newest(t, "mission", lang.EN)

	page := admintest.WantStatus(t, admintest.Get(s.Srv, admintest.RevPath(fr.ID, ""), s.Reviewer), http.StatusOK)
	both := admintest.FormValues(t, page, "publish-both-form")
	if both.Get("other") != strconv.FormatInt(en.ID, 10) {
		t.Fatalf("publish-both form = %v, want other=%d", both, en.ID)
	}
	if edPage := admintest.WantStatus(t, admintest.Get(s.Srv, admintest.RevPath(fr.ID, ""), s.Editor), http.StatusOK); strings.Contains(edPage, "publish-both") {
		t.Error("an editor is offered to publish both")
	}

	// The English changed since the page was shown: nothing is published.
	g := s.EditorForm(t, "mission")
	g.Set("en.title", "Mission (en revised again)")
	g.Set("action", "submit")
	admintest.WantRedirect(t, admintest.Post(s.Srv, "/admin/pages/mission", g, s.Editor), "/admin/pages/mission?submitted=en")
	body := admintest.WantStatus(t, admintest.Post(s.Srv, admintest.RevPath(fr.ID, "publish-both"), both, s.Reviewer), http.StatusConflict)
	admintest.WantContains(t, body, "La version de l’autre langue a changé")
	if got, _ := s.DB.Revision(context.Background(), fr.ID); got.State != content.Review {
		t.Fatalf("the French went out alone: %s", got.State)
	}

	page = admintest.WantStatus(t, admintest.Get(s.Srv, admintest.RevPath(fr.ID, ""), s.Reviewer), http.StatusOK)
	both = admintest.FormValues(t, page, "publish-both-form")
	admintest.WantRedirect(t, admintest.Post(s.Srv, admintest.RevPath(fr.ID, "publish-both"), both, s.Reviewer), admintest.RevPath(fr.ID, "")+"?published_both")
	admintest.WantContains(t, s.Public(t, "/fr/ministere/mission"), "Mission (fr revue)")
	admintest.WantContains(t, s.Public(t, "/en/department/mission"), "Mission (en revised again)")
	if n := len(auditEntries(t, s, audit.PagePublish)); n < 2 {
		t.Errorf("%d publication audit entries, want one per language", n)
	}
}

func auditEntries(t *testing.T, s *admintest.Staff, a audit.Action) []audit.Entry {
	t.Helper()
	es, err := s.DB.AuditLog(context.Background(), audit.Filter{Action: a})
	if err != nil {
		t.Fatal(err)
	}
	return es
}
