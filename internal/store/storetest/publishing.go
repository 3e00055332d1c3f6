package storetest

import (
	"slices"
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
		{"ApproveRecordsApproverReasonAndAudit", testApprove},
		{"ApproveRefusalLeavesNothing", testApproveRefused},
		{"ScheduleWaitsForItsTime", testSchedule},
		{"ScheduleErrors", testScheduleErrors},
		{"ScheduledPublicationHappensOnce", testScheduledOnce},
		{"ScheduledPublicationCatchesUpAfterDowntime", testScheduledCatchUp},
		{"UnscheduleAndStateChangesCancelSchedule", testUnschedule},
		{"ArchiveWithdrawsAndAudits", testArchiveAudited},
		{"HistoryListsPublicationsNewestFirst", testHistory},
		{"ReviewByDate", testReviewBy},
		{"TranslationGapsMissingAndStale", testTranslationGaps},
		{"PendingIsNewestDraftOrReviewPerLanguage", testPending},
	}
}

var (
	reviewer = audit.Origin{Actor: "rev@example.org", IP: "192.0.2.1"}
	sched    = audit.Origin{Actor: "scheduler"}
)

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

func testApprove(t *testing.T, s store.Store, clock *Clock) {
	mustPage(t, s, "mission", content.SectionDepartment, 0)
	r := inReview(t, s, rev("mission", lang.FR, "ministere/mission", "Mission"))
	clock.Advance(time.Hour)
	tr, err := s.Approve(ctx, r.ID, "Correction urgente", reviewer)
	if err != nil {
		t.Fatal(err)
	}
	if tr.RevisionID != r.ID || !tr.Updated.Equal(clock.T) {
		t.Fatalf("translation = %+v", tr)
	}
	got, _ := s.Revision(ctx, r.ID)
	if got.State != content.Published || !got.PublishedAt.Equal(clock.T) ||
		got.Approved != (content.Approval{By: reviewer.Actor, Reason: "Correction urgente"}) {
		t.Fatalf("revision = %+v", got)
	}
	es := auditOf(t, s, audit.PagePublish)
	if len(es) != 1 || es[0].Actor != reviewer.Actor || es[0].IP != reviewer.IP || es[0].Target != "mission/fr" {
		t.Fatalf("audit = %+v", es)
	}
	h, err := s.History(ctx, "mission", lang.FR)
	if err != nil || len(h) != 1 || h[0].Reason != "Correction urgente" || h[0].By != reviewer.Actor || h[0].Scheduled {
		t.Fatalf("history = %+v, %v", h, err)
	}
}

func testApproveRefused(t *testing.T, s store.Store, _ *Clock) {
	mustPage(t, s, "mission", content.SectionDepartment, 0)
	r := rev("mission", lang.FR, "ministere/mission", "Mission")
	r.Major = true // without a change note
	saved := inReview(t, s, r)
	_, err := s.Approve(ctx, saved.ID, "", reviewer)
	wantKind(t, err, apperr.Invalid)
	_, err = s.Approve(ctx, 424242, "", reviewer)
	wantKind(t, err, apperr.NotFound)
	if es := auditOf(t, s, audit.PagePublish); len(es) != 0 {
		t.Fatalf("a refused publication was audited: %+v", es)
	}
	if h, _ := s.History(ctx, "mission", lang.FR); len(h) != 0 {
		t.Fatalf("a refused publication is in the history: %+v", h)
	}
	got, _ := s.Revision(ctx, saved.ID)
	if got.State != content.Review || !got.PublishedAt.IsZero() {
		t.Fatalf("refused revision = %+v", got)
	}
}

func testSchedule(t *testing.T, s store.Store, clock *Clock) {
	mustPage(t, s, "mission", content.SectionDepartment, 0)
	r := inReview(t, s, rev("mission", lang.FR, "ministere/mission", "Mission"))
	at := clock.T.Add(2 * time.Hour)
	if err := s.Schedule(ctx, r.ID, at, "", reviewer); err != nil {
		t.Fatal(err)
	}
	list, err := s.Scheduled(ctx)
	if err != nil || len(list) != 1 || list[0].ID != r.ID || !list[0].PublishAt.Equal(at) || list[0].Approved.By != reviewer.Actor {
		t.Fatalf("Scheduled = %+v, %v", list, err)
	}
	if es := auditOf(t, s, audit.PageSchedule); len(es) != 1 {
		t.Fatalf("schedule audit = %+v", es)
	}
	_, err = s.PublishScheduled(ctx, r.ID, sched)
	wantKind(t, err, apperr.Conflict) // not yet due
	if _, ok := findTranslation(t, s, "mission", lang.FR); ok {
		t.Fatal("published before its time")
	}
	clock.T = at
	tr, err := s.PublishScheduled(ctx, r.ID, sched)
	if err != nil {
		t.Fatal(err)
	}
	if tr.RevisionID != r.ID || !tr.Updated.Equal(at) {
		t.Fatalf("translation = %+v", tr)
	}
	if list, _ := s.Scheduled(ctx); len(list) != 0 {
		t.Fatalf("still scheduled: %+v", list)
	}
	h, _ := s.History(ctx, "mission", lang.FR)
	if len(h) != 1 || !h[0].Scheduled || h[0].By != reviewer.Actor {
		t.Fatalf("history = %+v: the approver is who scheduled, not the scheduler", h)
	}
}

func testScheduleErrors(t *testing.T, s store.Store, clock *Clock) {
	mustPage(t, s, "mission", content.SectionDepartment, 0)
	draft := mustSave(t, s, rev("mission", lang.FR, "ministere/mission", "Mission"))
	wantKind(t, s.Schedule(ctx, draft.ID, clock.T.Add(time.Hour), "", reviewer), apperr.Invalid)
	r := inReview(t, s, rev("mission", lang.FR, "ministere/mission", "Mission"))
	wantKind(t, s.Schedule(ctx, r.ID, time.Time{}, "", reviewer), apperr.Invalid)
	wantKind(t, s.Schedule(ctx, 424242, clock.T, "", reviewer), apperr.NotFound)
	major := rev("mission", lang.FR, "ministere/mission", "Mission")
	major.Major = true
	m := inReview(t, s, major)
	err := s.Schedule(ctx, m.ID, clock.T.Add(time.Hour), "", reviewer)
	wantKind(t, err, apperr.Invalid)
	if apperr.ProblemsOf(err)["change_note"] == "" {
		t.Fatalf("problems = %v, want change_note", apperr.ProblemsOf(err))
	}
	if list, _ := s.Scheduled(ctx); len(list) != 0 {
		t.Fatalf("refused schedules are listed: %+v", list)
	}
	_, err = s.PublishScheduled(ctx, r.ID, sched)
	wantKind(t, err, apperr.Conflict) // never scheduled
	_, err = s.PublishScheduled(ctx, 424242, sched)
	wantKind(t, err, apperr.NotFound)
}

func testScheduledOnce(t *testing.T, s store.Store, clock *Clock) {
	mustPage(t, s, "mission", content.SectionDepartment, 0)
	r := inReview(t, s, rev("mission", lang.FR, "ministere/mission", "Mission"))
	if err := s.Schedule(ctx, r.ID, clock.T, "", reviewer); err != nil {
		t.Fatal(err)
	}
	// Several schedulers (instances) see the item due at the same time.
	const n = 8
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() { _, errs[i] = s.PublishScheduled(ctx, r.ID, sched) })
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case apperr.KindOf(err) != apperr.Conflict:
			t.Fatalf("racing scheduler: %v", err)
		}
	}
	if ok != 1 {
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
	if err := s.Schedule(ctx, r.ID, at, "", reviewer); err != nil {
		t.Fatal(err)
	}
	// The server was down at that time; it comes back a day later.
	clock.Advance(25 * time.Hour)
	list, _ := s.Scheduled(ctx)
	if len(list) != 1 || !list[0].PublishAt.Before(clock.T) {
		t.Fatalf("overdue item not listed: %+v", list)
	}
	tr, err := s.PublishScheduled(ctx, r.ID, sched)
	if err != nil {
		t.Fatal(err)
	}
	// "Last update" says when the page really changed, not when it was due.
	if !tr.Updated.Equal(clock.T) {
		t.Fatalf("updated %v, want %v", tr.Updated, clock.T)
	}
}

func testUnschedule(t *testing.T, s store.Store, clock *Clock) {
	mustPage(t, s, "mission", content.SectionDepartment, 0)
	a := inReview(t, s, rev("mission", lang.FR, "ministere/mission", "A"))
	b := inReview(t, s, rev("mission", lang.FR, "ministere/mission", "B"))
	for _, r := range []content.Revision{a, b} {
		if err := s.Schedule(ctx, r.ID, clock.T.Add(time.Hour), "", reviewer); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Unschedule(ctx, a.ID, reviewer); err != nil {
		t.Fatal(err)
	}
	wantKind(t, s.Unschedule(ctx, a.ID, reviewer), apperr.Conflict)
	wantKind(t, s.Unschedule(ctx, 424242, reviewer), apperr.NotFound)
	// Sending b back to draft cancels its schedule too: it must be
	// approved again once it returns to review.
	if err := s.SetState(ctx, b.ID, content.Draft); err != nil {
		t.Fatal(err)
	}
	if err := s.SetState(ctx, b.ID, content.Review); err != nil {
		t.Fatal(err)
	}
	clock.Advance(2 * time.Hour)
	if list, _ := s.Scheduled(ctx); len(list) != 0 {
		t.Fatalf("still scheduled: %+v", list)
	}
	got, _ := s.Revision(ctx, a.ID)
	if got.State != content.Review || !got.PublishAt.IsZero() {
		t.Fatalf("unscheduled revision = %+v", got)
	}
	if es := auditOf(t, s, audit.PageUnschedule); len(es) != 1 {
		t.Fatalf("unschedule audit = %+v", es)
	}
}

func testArchiveAudited(t *testing.T, s store.Store, _ *Clock) {
	mustPage(t, s, "mission", content.SectionDepartment, 0)
	r := inReview(t, s, rev("mission", lang.FR, "ministere/mission", "Mission"))
	if _, err := s.Approve(ctx, r.ID, "", reviewer); err != nil {
		t.Fatal(err)
	}
	if err := s.Archive(ctx, r.ID, reviewer); err != nil {
		t.Fatal(err)
	}
	if tr, ok := findTranslation(t, s, "mission", lang.FR); ok && tr.HasContent() {
		t.Fatalf("archived revision still public: %+v", tr)
	}
	if es := auditOf(t, s, audit.PageArchive); len(es) != 1 || es[0].Target != "mission/fr" {
		t.Fatalf("archive audit = %+v", es)
	}
	wantKind(t, s.Archive(ctx, 424242, reviewer), apperr.NotFound)
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
	if err := s.SetState(ctx, archived.ID, content.Archived); err != nil {
		t.Fatal(err)
	}
	// A revision in review that a newer draft supersedes is not pending:
	// the newest one is.
	inReview(t, s, rev("superseded", lang.FR, "remplacee", "Remplacée"))
	newer := mustSave(t, s, rev("superseded", lang.FR, "remplacee", "Plus récente"))
	// A scheduled revision is still in review.
	scheduled := inReview(t, s, rev("published", lang.EN, "published", "Published"))
	if err := s.Schedule(ctx, scheduled.ID, clock.Now().Add(time.Hour), "", reviewer); err != nil {
		t.Fatal(err)
	}

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
