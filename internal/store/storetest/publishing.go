package storetest

import (
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"portail/internal/apperr"
	"portail/internal/audit"
	"portail/internal/content"
	"portail/internal/lang"
	"portail/internal/store"
)

func publishingTests() []Test {
	return []Test{
		{"SaveEditSavesBothLanguagesAndReviewBy", testSaveEdit},
		{"SaveEditIsAllOrNothing", testSaveEditAtomic},
		{"PublishRecordsApproverReasonAndAudit", testApprove},
		{"PublishRefusalLeavesNothing", testApproveRefused},
		{"ScheduleWaitsForItsTime", testSchedule},
		{"ScheduleErrors", testScheduleErrors},
		{"ScheduledPublicationHappensOnce", testScheduledOnce},
		{"ScheduledPublicationCatchesUpAfterDowntime", testScheduledCatchUp},
		{"UnscheduleAndReturnCancelSchedule", testUnschedule},
		{"ArchiveWithdrawsAndAudits", testArchiveAudited},
		{"HistoryListsPublicationsNewestFirst", testHistory},
		{"ReviewByDate", testReviewBy},
		{"TranslationGapsMissingAndStale", testTranslationGaps},
		{"FrenchOnlyPagesAreNoGaps", testFrenchOnly},
		{"PendingIsNewestDraftOrReviewPerLanguage", testPending},
	}
}

// scheduler is who carries out scheduled publications.
var scheduler = content.Actor{Name: "scheduler"}

// inReview saves a revision and sends it to review.
func inReview(t *testing.T, s store.Store, r content.Revision) content.Revision {
	t.Helper()
	r.State = content.Review
	return mustSave(t, s, r)
}

func auditOf(t *testing.T, s store.Store, a audit.Action) []audit.Entry {
	t.Helper()
	es, err := s.AuditLog(ctx, audit.Filter{Action: a})
	if err != nil {
		t.Fatalf("AuditLog: %v", err)
	}
	return es
}

func schedule(t *testing.T, s store.Store, id int64, at time.Time) {
	t.Helper()
	mustStep(t, s, approver, id, content.Request{Action: content.ActSchedule, At: at})
}

func publishDue(s store.Store, id int64) (content.Revision, error) {
	return store.Step(ctx, s, scheduler, id, content.Request{Action: content.ActPublishDue}, audit.Origin{Actor: scheduler.Name})
}

func testApprove(t *testing.T, s store.Store, clock *Clock) {
	mustPage(t, s, "mission", content.SectionDepartment, 0)
	own := rev("mission", lang.FR, "ministere/mission", "Mission")
	own.Author = superuser.Name
	r := inReview(t, s, own)
	clock.Advance(time.Hour)
	got, err := step(s, superuser, r.ID, content.Request{Action: content.ActPublish, Reason: "Correction urgente"})
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != r.ID || got.State != content.Published || !got.PublishedAt.Equal(clock.T) ||
		got.Approved != (content.Approval{By: superuser.Name, Reason: "Correction urgente"}) {
		t.Fatalf("revision = %+v", got)
	}
	if read, _ := s.Revision(ctx, r.ID); read.State != content.Published || read.Approved != got.Approved {
		t.Fatalf("read back = %+v", read)
	}
	tr, _ := findTranslation(t, s, "mission", lang.FR)
	if tr.RevisionID != r.ID || !tr.Updated.Equal(clock.T) {
		t.Fatalf("translation = %+v", tr)
	}
	es := auditOf(t, s, audit.PagePublish)
	if len(es) != 1 || es[0].Actor != superuser.Name || es[0].IP != "192.0.2.1" || es[0].Target != "mission/fr" ||
		!strings.Contains(es[0].Detail, "Correction urgente") {
		t.Fatalf("audit = %+v", es)
	}
	h, err := s.History(ctx, "mission", lang.FR)
	if err != nil || len(h) != 1 || h[0].Reason != "Correction urgente" || h[0].By != superuser.Name || h[0].Scheduled {
		t.Fatalf("history = %+v, %v", h, err)
	}
}

func testApproveRefused(t *testing.T, s store.Store, _ *Clock) {
	mustPage(t, s, "mission", content.SectionDepartment, 0)
	r := rev("mission", lang.FR, "ministere/mission", "Mission")
	r.Major = true // without a change note
	saved := inReview(t, s, r)
	_, err := step(s, approver, saved.ID, content.Request{Action: content.ActPublish})
	wantKind(t, err, apperr.Invalid)
	// The store checks it too, whoever decided.
	tr := content.Transition{Action: content.ActPublish, Revision: saved.ID, PageKey: "mission", Lang: lang.FR,
		From: content.Review, To: content.Published, CheckPublic: true, Approval: content.Approval{By: approver.Name}}
	_, err = s.Apply(ctx, tr, origin(approver))
	wantKind(t, err, apperr.Invalid)
	tr.Revision = 424242
	_, err = s.Apply(ctx, tr, origin(approver))
	wantKind(t, err, apperr.NotFound)
	if es := auditOf(t, s, audit.PagePublish); len(es) != 0 {
		t.Fatalf("a refused publication was audited: %+v", es)
	}
	if h, _ := s.History(ctx, "mission", lang.FR); len(h) != 0 {
		t.Fatalf("a refused publication is in the history: %+v", h)
	}
	got, _ := s.Revision(ctx, saved.ID)
	if got.State != content.Review || !got.PublishedAt.IsZero() || got.Approved.By != "" {
		t.Fatalf("refused revision = %+v", got)
	}
}

func testSchedule(t *testing.T, s store.Store, clock *Clock) {
	mustPage(t, s, "mission", content.SectionDepartment, 0)
	r := inReview(t, s, rev("mission", lang.FR, "ministere/mission", "Mission"))
	at := clock.T.Add(2 * time.Hour)
	schedule(t, s, r.ID, at)
	list, err := s.Scheduled(ctx)
	if err != nil || len(list) != 1 || list[0].ID != r.ID || !list[0].PublishAt.Equal(at) || list[0].Approved.By != approver.Name {
		t.Fatalf("Scheduled = %+v, %v", list, err)
	}
	if es := auditOf(t, s, audit.PageSchedule); len(es) != 1 {
		t.Fatalf("schedule audit = %+v", es)
	}
	_, err = publishDue(s, r.ID)
	wantKind(t, err, apperr.Conflict) // not yet due
	if _, ok := findTranslation(t, s, "mission", lang.FR); ok {
		t.Fatal("published before its time")
	}
	clock.T = at
	if _, err := publishDue(s, r.ID); err != nil {
		t.Fatal(err)
	}
	tr, _ := findTranslation(t, s, "mission", lang.FR)
	if tr.RevisionID != r.ID || !tr.Updated.Equal(at) {
		t.Fatalf("translation = %+v", tr)
	}
	if list, _ := s.Scheduled(ctx); len(list) != 0 {
		t.Fatalf("still scheduled: %+v", list)
	}
	h, _ := s.History(ctx, "mission", lang.FR)
	if len(h) != 1 || !h[0].Scheduled || h[0].By != approver.Name {
		t.Fatalf("history = %+v: the approver is who scheduled, not the scheduler", h)
	}
	if es := auditOf(t, s, audit.PagePublish); len(es) != 1 || es[0].Actor != scheduler.Name || !strings.Contains(es[0].Detail, approver.Name) {
		t.Fatalf("publish audit = %+v", es)
	}
}

func testScheduleErrors(t *testing.T, s store.Store, clock *Clock) {
	mustPage(t, s, "mission", content.SectionDepartment, 0)
	draft := mustSave(t, s, rev("mission", lang.FR, "ministere/mission", "Mission"))
	_, err := step(s, approver, draft.ID, content.Request{Action: content.ActSchedule, At: clock.T.Add(time.Hour)})
	wantKind(t, err, apperr.Conflict)
	r := inReview(t, s, rev("mission", lang.FR, "ministere/mission", "Mission"))
	_, err = step(s, approver, r.ID, content.Request{Action: content.ActSchedule})
	wantKind(t, err, apperr.Invalid)
	_, err = step(s, approver, 424242, content.Request{Action: content.ActSchedule, At: clock.T})
	wantKind(t, err, apperr.NotFound)
	major := rev("mission", lang.FR, "ministere/mission", "Mission")
	major.Major = true
	m := inReview(t, s, major)
	_, err = step(s, approver, m.ID, content.Request{Action: content.ActSchedule, At: clock.T.Add(time.Hour)})
	wantKind(t, err, apperr.Invalid)
	if apperr.ProblemsOf(err)["change_note"] == "" {
		t.Fatalf("problems = %v, want change_note", apperr.ProblemsOf(err))
	}
	if list, _ := s.Scheduled(ctx); len(list) != 0 {
		t.Fatalf("refused schedules are listed: %+v", list)
	}
	_, err = publishDue(s, r.ID)
	wantKind(t, err, apperr.Conflict) // never scheduled
	_, err = publishDue(s, 424242)
	wantKind(t, err, apperr.NotFound)
}

func testScheduledOnce(t *testing.T, s store.Store, clock *Clock) {
	mustPage(t, s, "mission", content.SectionDepartment, 0)
	r := inReview(t, s, rev("mission", lang.FR, "ministere/mission", "Mission"))
	schedule(t, s, r.ID, clock.T)
	// Several schedulers (instances) see the item due at the same time.
	due := decide(t, s, scheduler, r.ID, content.Request{Action: content.ActPublishDue})
	const n = 8
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() { _, errs[i] = s.Apply(ctx, due, audit.Origin{Actor: scheduler.Name}) })
	}
	wg.Wait()
	if ok := winners(t, errs); ok != 1 {
		t.Fatalf("%d schedulers published, want exactly 1", ok)
	}
	if h, _ := s.History(ctx, "mission", lang.FR); len(h) != 1 {
		t.Fatalf("history has %d publications, want 1", len(h))
	}
	if es := auditOf(t, s, audit.PagePublish); len(es) != 1 {
		t.Fatalf("%d publish audit entries, want 1", len(es))
	}
}

func testScheduledCatchUp(t *testing.T, s store.Store, clock *Clock) {
	mustPage(t, s, "mission", content.SectionDepartment, 0)
	r := inReview(t, s, rev("mission", lang.FR, "ministere/mission", "Mission"))
	at := clock.T.Add(time.Hour)
	schedule(t, s, r.ID, at)
	// The server was down at that time; it comes back a day later.
	clock.Advance(25 * time.Hour)
	list, _ := s.Scheduled(ctx)
	if len(list) != 1 || !list[0].PublishAt.Before(clock.T) {
		t.Fatalf("overdue item not listed: %+v", list)
	}
	if _, err := publishDue(s, r.ID); err != nil {
		t.Fatal(err)
	}
	// "Last update" says when the page really changed, not when it was due.
	if tr, _ := findTranslation(t, s, "mission", lang.FR); !tr.Updated.Equal(clock.T) {
		t.Fatalf("updated %v, want %v", tr.Updated, clock.T)
	}
}

func testUnschedule(t *testing.T, s store.Store, clock *Clock) {
	mustPage(t, s, "mission", content.SectionDepartment, 0)
	a := inReview(t, s, rev("mission", lang.FR, "ministere/mission", "A"))
	b := inReview(t, s, rev("mission", lang.FR, "ministere/mission", "B"))
	for _, r := range []content.Revision{a, b} {
		schedule(t, s, r.ID, clock.T.Add(time.Hour))
	}
	unschedule := decide(t, s, approver, a.ID, content.Request{Action: content.ActUnschedule})
	if _, err := s.Apply(ctx, unschedule, origin(approver)); err != nil {
		t.Fatal(err)
	}
	// The same request again, say from a second click, finds it done.
	_, err := s.Apply(ctx, unschedule, origin(approver))
	wantKind(t, err, apperr.Conflict)
	if apperr.ProblemsOf(err)["workflow"] != "workflow.changed" {
		t.Fatalf("problems = %v", apperr.ProblemsOf(err))
	}
	_, err = step(s, approver, a.ID, content.Request{Action: content.ActUnschedule})
	wantKind(t, err, apperr.Conflict)
	_, err = step(s, approver, 424242, content.Request{Action: content.ActUnschedule})
	wantKind(t, err, apperr.NotFound)
	// Sending b back to draft cancels its schedule too: it must be
	// approved again once it returns to review.
	mustStep(t, s, approver, b.ID, content.Request{Action: content.ActReturn, Comment: "Attendre l'annonce"})
	mustStep(t, s, writer, b.ID, content.Request{Action: content.ActSubmit})
	clock.Advance(2 * time.Hour)
	if list, _ := s.Scheduled(ctx); len(list) != 0 {
		t.Fatalf("still scheduled: %+v", list)
	}
	got, _ := s.Revision(ctx, a.ID)
	if got.State != content.Review || !got.PublishAt.IsZero() || got.Approved.By != "" {
		t.Fatalf("unscheduled revision = %+v", got)
	}
	if es := auditOf(t, s, audit.PageUnschedule); len(es) != 1 {
		t.Fatalf("unschedule audit = %+v", es)
	}
	_, err = publishDue(s, a.ID)
	wantKind(t, err, apperr.Conflict)
}

func testArchiveAudited(t *testing.T, s store.Store, _ *Clock) {
	mustPage(t, s, "mission", content.SectionDepartment, 0)
	r := inReview(t, s, rev("mission", lang.FR, "ministere/mission", "Mission"))
	mustStep(t, s, approver, r.ID, content.Request{Action: content.ActPublish})
	mustStep(t, s, approver, r.ID, content.Request{Action: content.ActArchive})
	if tr, ok := findTranslation(t, s, "mission", lang.FR); ok && tr.HasContent() {
		t.Fatalf("archived revision still public: %+v", tr)
	}
	if es := auditOf(t, s, audit.PageArchive); len(es) != 1 || es[0].Target != "mission/fr" {
		t.Fatalf("archive audit = %+v", es)
	}
	_, err := step(s, approver, 424242, content.Request{Action: content.ActArchive})
	wantKind(t, err, apperr.NotFound)
}

func testHistory(t *testing.T, s store.Store, clock *Clock) {
	mustPage(t, s, "mission", content.SectionDepartment, 0)
	first := mustPublish(t, s, mustSave(t, s, rev("mission", lang.FR, "ministere/mission", "Mission")).ID)
	clock.Advance(time.Hour)
	mustPublish(t, s, mustSave(t, s, rev("mission", lang.FR, "ministere/mission", "Mission (coquille)")).ID)
	clock.Advance(time.Hour)
	major := rev("mission", lang.FR, "ministere/mission", "Mission révisée")
	major.Major, major.ChangeNote = true, "Nouvelle vision"
	m := mustPublish(t, s, mustSave(t, s, major).ID)
	mustPublish(t, s, mustSave(t, s, rev("mission", lang.EN, "department/mission", "Mission")).ID)

	h, err := s.History(ctx, "mission", lang.FR)
	if err != nil {
		t.Fatal(err)
	}
	if len(h) != 3 {
		t.Fatalf("history = %+v, want 3 publications", h)
	}
	if h[0].RevisionID != m.RevisionID || !h[0].Updated || h[0].ChangeNote != "Nouvelle vision" || !h[0].At.Equal(clock.T) {
		t.Fatalf("newest = %+v", h[0])
	}
	if h[1].Updated {
		t.Fatalf("a minor change is not in the public history: %+v", h[1])
	}
	if !h[2].Updated || h[2].RevisionID != first.RevisionID || h[2].Lang != lang.FR {
		t.Fatalf("the first publication moves Last update: %+v", h[2])
	}
	if en, _ := s.History(ctx, "mission", lang.EN); len(en) != 1 {
		t.Fatalf("English history = %+v", en)
	}
	if none, err := s.History(ctx, "nope", lang.FR); err != nil || len(none) != 0 {
		t.Fatalf("unknown page history = %+v, %v", none, err)
	}
}

func testReviewBy(t *testing.T, s store.Store, _ *Clock) {
	mustPage(t, s, "mission", content.SectionDepartment, 0)
	date := time.Date(2026, 9, 30, 0, 0, 0, 0, time.UTC)
	if err := s.SetReviewBy(ctx, "mission", date); err != nil {
		t.Fatal(err)
	}
	p, _ := s.Page(ctx, "mission")
	if !p.ReviewBy.Equal(date) {
		t.Fatalf("ReviewBy = %v, want %v", p.ReviewBy, date)
	}
	ps, _ := s.ListPages(ctx)
	if len(ps) != 1 || !ps[0].ReviewBy.Equal(date) {
		t.Fatalf("ListPages = %+v", ps)
	}
	if err := s.SetReviewBy(ctx, "mission", time.Time{}); err != nil {
		t.Fatal(err)
	}
	if p, _ := s.Page(ctx, "mission"); !p.ReviewBy.IsZero() {
		t.Fatalf("cleared ReviewBy = %v", p.ReviewBy)
	}
	wantKind(t, s.SetReviewBy(ctx, "nope", date), apperr.NotFound)
}

func testTranslationGaps(t *testing.T, s store.Store, clock *Clock) {
	for i, k := range []string{"done", "missing", "reserved", "stale", "draft-only"} {
		mustPage(t, s, k, content.SectionDepartment, i)
	}
	pub := func(key string, l lang.Lang, major bool) {
		r := rev(key, l, "p-"+key, "T "+key)
		if major {
			r.Major, r.ChangeNote = true, "Changement"
		}
		mustPublish(t, s, mustSave(t, s, r).ID)
	}
	pub("done", lang.FR, false)
	pub("done", lang.EN, false)
	pub("missing", lang.FR, false)
	pub("reserved", lang.FR, false)
	if err := s.ReservePath(ctx, "reserved", lang.EN, "p-reserved"); err != nil {
		t.Fatal(err)
	}
	pub("stale", lang.FR, false)
	pub("stale", lang.EN, false)
	mustSave(t, s, rev("draft-only", lang.FR, "p-draft", "Brouillon"))
	clock.Advance(time.Hour)
	pub("stale", lang.FR, true) // a major French change after the English
	clock.Advance(time.Hour)
	pub("done", lang.FR, false) // a minor French change does not make English stale

	gaps, err := s.TranslationGaps(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(gaps) != 3 {
		t.Fatalf("gaps = %+v, want missing, reserved, stale", gaps)
	}
	want := []struct {
		key     string
		missing bool
		enPath  string
	}{{"missing", true, ""}, {"reserved", true, "p-reserved"}, {"stale", false, "p-stale"}}
	for i, w := range want {
		g := gaps[i]
		if g.PageKey != w.key || g.Missing() != w.missing || g.ENPath != w.enPath || g.FRTitle != "T "+w.key || g.FRPath != "p-"+w.key {
			t.Errorf("gap %d = %+v, want %+v", i, g, w)
		}
	}
	if g := gaps[2]; !g.FRUpdated.After(g.ENPublished) {
		t.Errorf("stale gap dates: %+v", g)
	}
	// Publishing the English catches up.
	pub("stale", lang.EN, false)
	if gaps, _ := s.TranslationGaps(ctx); len(gaps) != 2 {
		t.Fatalf("after the English update, gaps = %+v", gaps)
	}
}

func testSaveEdit(t *testing.T, s store.Store, clock *Clock) {
	mustPage(t, s, "mission", content.SectionDepartment, 0)
	date := time.Date(2027, 1, 15, 0, 0, 0, 0, time.UTC)
	fr, en := rev("mission", lang.FR, "ministere/mission", "Mission"), rev("mission", lang.EN, "department/mission", "Mission")
	fr.State, en.State = content.Draft, content.Review
	saved, err := s.SaveEdit(ctx, content.Edit{PageKey: "mission", Revisions: []content.Revision{fr, en}, ReviewBy: date})
	if err != nil {
		t.Fatal(err)
	}
	if len(saved) != 2 || saved[0].ID == 0 || saved[1].ID == 0 || saved[0].Lang != lang.FR || !saved[1].Created.Equal(clock.T) {
		t.Fatalf("saved = %+v", saved)
	}
	if got, _ := s.Revision(ctx, saved[1].ID); got.State != content.Review || got.Title != "Mission" {
		t.Fatalf("English revision = %+v", got)
	}
	if p, _ := s.Page(ctx, "mission"); !p.ReviewBy.Equal(date) {
		t.Fatalf("review-by = %v", p.ReviewBy)
	}
	// An edit of one language leaves the other alone and may clear the date.
	if _, err := s.SaveEdit(ctx, content.Edit{PageKey: "mission", Revisions: []content.Revision{fr}}); err != nil {
		t.Fatal(err)
	}
	if revs, _ := s.Revisions(ctx, "mission", lang.EN); len(revs) != 1 {
		t.Fatalf("English revisions = %d, want 1", len(revs))
	}
	if p, _ := s.Page(ctx, "mission"); !p.ReviewBy.IsZero() {
		t.Fatalf("review-by not cleared: %v", p.ReviewBy)
	}
	_, err = s.SaveEdit(ctx, content.Edit{PageKey: "nope", Revisions: []content.Revision{rev("nope", lang.FR, "x", "X")}})
	wantKind(t, err, apperr.NotFound)
}

func testSaveEditAtomic(t *testing.T, s store.Store, _ *Clock) {
	mustPage(t, s, "mission", content.SectionDepartment, 0)
	mustPage(t, s, "other", content.SectionDepartment, 0)
	mustPublish(t, s, mustSave(t, s, rev("other", lang.EN, "department/taken", "Other")).ID)
	date := time.Date(2027, 1, 15, 0, 0, 0, 0, time.UTC)

	// The English path is another page's: the valid French is not saved either.
	fr, en := rev("mission", lang.FR, "ministere/mission", "Mission"), rev("mission", lang.EN, "department/taken", "Mission")
	fr.State, en.State = content.Draft, content.Draft
	_, err := s.SaveEdit(ctx, content.Edit{PageKey: "mission", Revisions: []content.Revision{fr, en}, ReviewBy: date})
	wantKind(t, err, apperr.Conflict)
	if p := apperr.ProblemsOf(err); p["en.path"] != "form.path.taken" {
		t.Fatalf("problems = %v, want en.path", p)
	}
	// Bad fields are named per language.
	badFR, badEN := fr, en
	badFR.Title, badEN.Path = " ", "avec espace"
	_, err = s.SaveEdit(ctx, content.Edit{PageKey: "mission", Revisions: []content.Revision{badFR, badEN}})
	wantKind(t, err, apperr.Invalid)
	if p := apperr.ProblemsOf(err); p["fr.title"] != "form.required" || p["en.path"] != "form.path.invalid" {
		t.Fatalf("problems = %v", p)
	}
	// Two revisions of one language, or a published one, are refused.
	_, err = s.SaveEdit(ctx, content.Edit{PageKey: "mission", Revisions: []content.Revision{fr, fr}})
	wantKind(t, err, apperr.Invalid)
	pub := fr
	pub.State = content.Published
	_, err = s.SaveEdit(ctx, content.Edit{PageKey: "mission", Revisions: []content.Revision{pub}})
	wantKind(t, err, apperr.Invalid)

	for _, l := range lang.All {
		if revs, _ := s.Revisions(ctx, "mission", l); len(revs) != 0 {
			t.Fatalf("refused edits left %d %s revisions", len(revs), l)
		}
	}
	if p, _ := s.Page(ctx, "mission"); !p.ReviewBy.IsZero() {
		t.Fatalf("refused edit set review-by %v", p.ReviewBy)
	}
}

func testPending(t *testing.T, s store.Store, clock *Clock) {
	if got, err := s.Pending(ctx); err != nil || len(got) != 0 {
		t.Fatalf("Pending on an empty store = %v, %v", got, err)
	}
	for i, key := range []string{"draft", "review", "published", "archived", "superseded"} {
		mustPage(t, s, key, content.SectionDepartment, i)
	}
	draft := mustSave(t, s, rev("draft", lang.FR, "brouillon", "Brouillon"))
	enDraft := mustSave(t, s, rev("draft", lang.EN, "draft", "Draft"))
	mustSave(t, s, rev("review", lang.FR, "revision", "Ancienne"))
	review := inReview(t, s, rev("review", lang.FR, "revision", "En révision"))
	mustPublish(t, s, mustSave(t, s, rev("published", lang.FR, "publiee", "Publiée")).ID)
	archived := mustSave(t, s, rev("archived", lang.FR, "archivee", "Archivée"))
	mustStep(t, s, writer, archived.ID, content.Request{Action: content.ActArchive})
	// A revision in review that a newer draft supersedes is not pending:
	// the newest one is.
	inReview(t, s, rev("superseded", lang.FR, "remplacee", "Remplacée"))
	newer := mustSave(t, s, rev("superseded", lang.FR, "remplacee", "Plus récente"))
	// A scheduled revision is still in review.
	scheduled := inReview(t, s, rev("published", lang.EN, "published", "Published"))
	schedule(t, s, scheduled.ID, clock.Now().Add(time.Hour))

	got, err := s.Pending(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []int64{draft.ID, enDraft.ID, review.ID, newer.ID, scheduled.ID}
	var ids []int64
	for _, r := range got {
		ids = append(ids, r.ID)
	}
	if !slices.Equal(ids, want) {
		t.Fatalf("Pending = ids %v, want %v", ids, want)
	}
	if got[2].State != content.Review || got[2].Title != "En révision" || got[4].PublishAt.IsZero() {
		t.Fatalf("Pending does not carry the revisions' fields: %+v", got)
	}
}

// A page that is French-only by design keeps its flag, which SaveEdit
// sets and clears, and is not a translation gap.
func testFrenchOnly(t *testing.T, s store.Store, _ *Clock) {
	if err := s.CreatePage(ctx, content.Page{Key: "acces", Section: content.SectionAccess, FrenchOnly: true}); err != nil {
		t.Fatal(err)
	}
	mustPage(t, s, "mission", content.SectionDepartment, 1)
	mustPublish(t, s, mustSave(t, s, rev("acces", lang.FR, "acces", "Accès")).ID)
	mustPublish(t, s, mustSave(t, s, rev("mission", lang.FR, "mission", "Mission")).ID)
	keys := func() []string {
		t.Helper()
		gaps, err := s.TranslationGaps(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, g := range gaps {
			out = append(out, g.PageKey)
		}
		slices.Sort(out)
		return out
	}
	if p, err := s.Page(ctx, "acces"); err != nil || !p.FrenchOnly {
		t.Fatalf("Page = %+v, %v: the flag is lost", p, err)
	}
	if got := keys(); !slices.Equal(got, []string{"mission"}) {
		t.Fatalf("gaps = %v, want only mission", got)
	}
	for _, on := range []bool{false, true} {
		if _, err := s.SaveEdit(ctx, content.Edit{PageKey: "acces", FrenchOnly: on}); err != nil {
			t.Fatal(err)
		}
		if p, _ := s.Page(ctx, "acces"); p.FrenchOnly != on {
			t.Fatalf("after SaveEdit(FrenchOnly: %v), page = %+v", on, p)
		}
		want := []string{"mission"}
		if !on {
			want = []string{"acces", "mission"}
		}
		if got := keys(); !slices.Equal(got, want) {
			t.Errorf("French-only %v: gaps = %v, want %v", on, got, want)
		}
		ps, _ := s.ListPages(ctx)
		if i := slices.IndexFunc(ps, func(p content.Page) bool { return p.Key == "acces" }); i < 0 || ps[i].FrenchOnly != on {
			t.Errorf("ListPages does not carry the flag: %+v", ps)
		}
	}
}
