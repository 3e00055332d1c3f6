package storetest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"portail/internal/apperr"
	"portail/internal/audit"
	"portail/internal/content"
	"portail/internal/lang"
	"portail/internal/store"
)

// workflowTests check that the store applies a decided transition only
// while the state it was decided from holds, in one transaction: a step
// that another request overtook is refused with Conflict, and of racing
// requests exactly one wins.
func workflowTests() []Test {
	return []Test{
		{"PublishOfArchivedOrReturnedRevisionRefused", testPublishOvertaken},
		{"FabricatedTransitionRefused", testFabricated},
		{"ArchiveOfPublishedThenRepublishedRevision", testArchiveRepublished},
		{"UnscheduleOfNotScheduledRefused", testUnscheduleNotScheduled},
		{"OlderRevisionPublishRefused", testOlderPublish},
		{"ReturnCommentKept", testReturnComment},
		{"RestoreAppendsDraft", testRestore},
		{"SaveEditStaleBaseRefused", testSaveEditStale},
		{"SaveEditUnchangedLanguageNotWritten", testSaveEditUnchanged},
		{"SaveEditSubmitsUnchangedDraft", testSaveEditSteps},
		{"RacingPublishAndArchiveOneWins", testRacePublishArchive},
		{"RacingPublishAndWithdrawOneWins", testRaceWithdraw},
		{"RacingSavesOneWins", testRaceSave},
		{"ApplyAllIsAllOrNothing", testApplyAll},
		{"RacingApplyAllAndArchiveOneWins", testRaceApplyAll},
	}
}

// winners counts the nil errors of racing requests and fails on any
// error other than Conflict.
func winners(t *testing.T, errs []error) int {
	t.Helper()
	ok := 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case apperr.KindOf(err) != apperr.Conflict:
			t.Fatalf("racing request: %v, want success or conflict", err)
		}
	}
	return ok
}

// wantState checks a revision's state in the store.
func wantState(t *testing.T, s store.Store, id int64, want content.State) content.Revision {
	t.Helper()
	r, err := s.Revision(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if r.State != want {
		t.Fatalf("revision %d is %s, want %s", id, r.State, want)
	}
	return r
}

// wantPublic checks which revision the public view shows for mission/fr
// (0: none).
func wantPublic(t *testing.T, s store.Store, want int64) {
	t.Helper()
	tr, _ := findTranslation(t, s, "mission", lang.FR)
	if tr.RevisionID != want {
		t.Fatalf("public revision = %d, want %d", tr.RevisionID, want)
	}
}

func wantChanged(t *testing.T, err error) {
	t.Helper()
	wantKind(t, err, apperr.Conflict)
	if k := apperr.ProblemsOf(err)["workflow"]; k != "workflow.changed" {
		t.Fatalf("problems = %v, want workflow.changed", apperr.ProblemsOf(err))
	}
}

// A publication decided while the revision was in review is refused once
// someone archived it, or sent it back to draft, in between.
func testPublishOvertaken(t *testing.T, s store.Store, _ *Clock) {
	mustPage(t, s, "mission", content.SectionDepartment, 0)
	for _, overtake := range []struct {
		by    content.Actor
		req   content.Request
		state content.State
	}{
		{writer, content.Request{Action: content.ActArchive}, content.Archived},
		{approver, content.Request{Action: content.ActReturn, Comment: "Non"}, content.Draft},
	} {
		r := inReview(t, s, rev("mission", lang.FR, "ministere/mission", "Mission"))
		publish := decide(t, s, approver, r.ID, content.Request{Action: content.ActPublish})
		mustStep(t, s, overtake.by, r.ID, overtake.req)
		_, err := s.Apply(ctx, publish, origin(approver))
		wantChanged(t, err)
		wantState(t, s, r.ID, overtake.state)
		wantPublic(t, s, 0)
		// And Decide, asked again, refuses too.
		_, err = step(s, approver, r.ID, content.Request{Action: content.ActPublish})
		wantKind(t, err, apperr.Conflict)
	}
	if h, _ := s.History(ctx, "mission", lang.FR); len(h) != 0 {
		t.Fatalf("refused publications are in the history: %+v", h)
	}
	if es := auditOf(t, s, audit.PagePublish); len(es) != 0 {
		t.Fatalf("refused publications were audited: %+v", es)
	}
}

// A caller that skips Decide cannot publish an archived or draft revision
// by writing the transition itself: the store checks it is a step of the
// workflow, and that the revision is in the state it claims.
func testFabricated(t *testing.T, s store.Store, _ *Clock) {
	mustPage(t, s, "mission", content.SectionDepartment, 0)
	archived := mustSave(t, s, rev("mission", lang.FR, "ministere/mission", "Archivée"))
	mustStep(t, s, writer, archived.ID, content.Request{Action: content.ActArchive})
	draft := mustSave(t, s, rev("mission", lang.FR, "ministere/mission", "Brouillon"))
	for _, tc := range []struct {
		id   int64
		from content.State
		want apperr.Kind
	}{
		{archived.ID, content.Archived, apperr.Invalid},
		{archived.ID, content.Review, apperr.Conflict},
		{draft.ID, content.Draft, apperr.Invalid},
		{draft.ID, content.Review, apperr.Conflict},
	} {
		tr := content.Transition{Action: content.ActPublish, Revision: tc.id, PageKey: "mission", Lang: lang.FR,
			From: tc.from, To: content.Published, CheckPublic: true, Approval: content.Approval{By: approver.Name}}
		_, err := s.Apply(ctx, tr, origin(approver))
		wantKind(t, err, tc.want)
	}
	wantState(t, s, archived.ID, content.Archived)
	wantState(t, s, draft.ID, content.Draft)
	wantPublic(t, s, 0)
}

// Withdrawing revision a, decided while a was public, is refused once b
// has replaced it: archiving a now would not withdraw what the reviewer
// meant to withdraw. Decided again, it archives a and leaves b public.
func testArchiveRepublished(t *testing.T, s store.Store, _ *Clock) {
	mustPage(t, s, "mission", content.SectionDepartment, 0)
	a := inReview(t, s, rev("mission", lang.FR, "ministere/mission", "A"))
	mustStep(t, s, approver, a.ID, content.Request{Action: content.ActPublish})
	withdraw := decide(t, s, approver, a.ID, content.Request{Action: content.ActArchive})
	if !withdraw.Withdraw {
		t.Fatalf("archiving the public revision does not withdraw it: %+v", withdraw)
	}
	b := inReview(t, s, rev("mission", lang.FR, "ministere/mission", "B"))
	mustStep(t, s, approver, b.ID, content.Request{Action: content.ActPublish})
	_, err := s.Apply(ctx, withdraw, origin(approver))
	wantChanged(t, err)
	wantState(t, s, a.ID, content.Published)
	wantPublic(t, s, b.ID)

	mustStep(t, s, approver, a.ID, content.Request{Action: content.ActArchive})
	wantState(t, s, a.ID, content.Archived)
	wantPublic(t, s, b.ID)
}

func testUnscheduleNotScheduled(t *testing.T, s store.Store, clock *Clock) {
	mustPage(t, s, "mission", content.SectionDepartment, 0)
	r := inReview(t, s, rev("mission", lang.FR, "ministere/mission", "Mission"))
	_, err := step(s, approver, r.ID, content.Request{Action: content.ActUnschedule})
	wantKind(t, err, apperr.Conflict)
	if apperr.ProblemsOf(err)["workflow"] != "workflow.not_scheduled" {
		t.Fatalf("problems = %v", apperr.ProblemsOf(err))
	}
	// Written by hand from a state that is not the store's.
	tr := content.Transition{Action: content.ActUnschedule, Revision: r.ID, PageKey: "mission", Lang: lang.FR,
		From: content.Review, FromPublishAt: clock.T, To: content.Review}
	_, err = s.Apply(ctx, tr, origin(approver))
	wantChanged(t, err)
	if es := auditOf(t, s, audit.PageUnschedule); len(es) != 0 {
		t.Fatalf("a refused unschedule was audited: %+v", es)
	}
}

// An older revision still in review does not roll the public page back,
// whether refused when decided, when applied (a newer one was published
// in between), or when its scheduled time comes.
func testOlderPublish(t *testing.T, s store.Store, clock *Clock) {
	mustPage(t, s, "mission", content.SectionDepartment, 0)
	older := inReview(t, s, rev("mission", lang.FR, "ministere/mission", "Ancienne"))
	late := decide(t, s, approver, older.ID, content.Request{Action: content.ActPublish})
	schedule(t, s, older.ID, clock.T.Add(time.Hour))
	newer := rev("mission", lang.FR, "ministere/mission", "Nouvelle")
	newer.Major, newer.ChangeNote = true, "Nouvelle version"
	n := inReview(t, s, newer)
	mustStep(t, s, approver, n.ID, content.Request{Action: content.ActPublish})

	_, err := step(s, approver, older.ID, content.Request{Action: content.ActPublish})
	wantKind(t, err, apperr.Conflict)
	if apperr.ProblemsOf(err)["workflow"] != "workflow.newer_public" {
		t.Fatalf("problems = %v, want workflow.newer_public", apperr.ProblemsOf(err))
	}
	late.FromPublishAt = clock.T.Add(time.Hour) // as scheduled: only the public page changed
	_, err = s.Apply(ctx, late, origin(approver))
	wantChanged(t, err)
	clock.Advance(2 * time.Hour)
	_, err = publishDue(s, older.ID)
	wantKind(t, err, apperr.Conflict)

	wantPublic(t, s, n.ID)
	wantState(t, s, older.ID, content.Review)
	h, _ := s.History(ctx, "mission", lang.FR)
	if len(h) != 1 || h[0].RevisionID != n.ID {
		t.Fatalf("history = %+v", h)
	}
	// Restored as a new draft, its text can be published again.
	copy := mustStep(t, s, writer, older.ID, content.Request{Action: content.ActRestore})
	mustPublish(t, s, copy.ID)
	wantPublic(t, s, copy.ID)
}

func testReturnComment(t *testing.T, s store.Store, clock *Clock) {
	mustPage(t, s, "mission", content.SectionDepartment, 0)
	r := inReview(t, s, rev("mission", lang.FR, "ministere/mission", "Mission"))
	clock.Advance(time.Hour)
	got := mustStep(t, s, approver, r.ID, content.Request{Action: content.ActReturn, Comment: "Précisez la date de l'entente."})
	want := content.Return{By: approver.Name, At: clock.T, Comment: "Précisez la date de l'entente."}
	if got.State != content.Draft || got.Returned != want {
		t.Fatalf("returned = %+v", got)
	}
	// Kept on the revision, in the pending work, and once it moves on.
	clock.Advance(time.Hour)
	mustStep(t, s, writer, r.ID, content.Request{Action: content.ActSubmit})
	if read, _ := s.Revision(ctx, r.ID); read.Returned != want {
		t.Fatalf("read back = %+v", read.Returned)
	}
	if p, _ := s.Pending(ctx); len(p) != 1 || p[0].Returned != want {
		t.Fatalf("pending = %+v", p)
	}
	if es := auditOf(t, s, audit.PageReturn); len(es) != 1 || es[0].Actor != approver.Name {
		t.Fatalf("return audit = %+v", es)
	}
	// A reviewer says why; without a comment nothing is written.
	_, err := step(s, approver, r.ID, content.Request{Action: content.ActReturn})
	wantKind(t, err, apperr.Invalid)
	wantState(t, s, r.ID, content.Review)
}

func testRestore(t *testing.T, s store.Store, clock *Clock) {
	mustPage(t, s, "mission", content.SectionDepartment, 0)
	mustPage(t, s, "other", content.SectionDepartment, 0)
	old := mustSave(t, s, rev("mission", lang.FR, "ministere/mission", "Ancienne"))
	mustStep(t, s, writer, old.ID, content.Request{Action: content.ActArchive})
	clock.Advance(time.Hour)
	c := mustStep(t, s, writer2, old.ID, content.Request{Action: content.ActRestore, Note: "Restauration"})
	if c.ID == old.ID || c.State != content.Draft || c.Author != writer2.Name || c.Title != "Ancienne" ||
		c.Note != "Restauration" || !c.Created.Equal(clock.T) {
		t.Fatalf("restored = %+v", c)
	}
	wantState(t, s, old.ID, content.Archived)
	// A path another page took since is refused, and nothing is added.
	mustPublish(t, s, mustSave(t, s, rev("other", lang.FR, "ministere/mission", "Autre")).ID)
	_, err := step(s, writer2, old.ID, content.Request{Action: content.ActRestore})
	wantKind(t, err, apperr.Conflict)
	if revs, _ := s.Revisions(ctx, "mission", lang.FR); len(revs) != 2 {
		t.Fatalf("%d revisions after a refused restore, want 2", len(revs))
	}
}

// edit is the editor's save of mission in French (and English when en is
// set) from the given bases.
func edit(fr, en *content.Revision, bases map[lang.Lang]int64) content.Edit {
	e := content.Edit{PageKey: "mission", Bases: bases}
	for _, r := range []*content.Revision{fr, en} {
		if r != nil {
			e.Revisions = append(e.Revisions, *r)
		}
	}
	return e
}

// Two editors open the page on the same revisions; the second to save,
// who changed French, is refused (nothing of either language is written)
// and may save again from the newest revision, deliberately.
func testSaveEditStale(t *testing.T, s store.Store, _ *Clock) {
	mustPage(t, s, "mission", content.SectionDepartment, 0)
	fr1 := mustSave(t, s, rev("mission", lang.FR, "ministere/mission", "Mission"))
	en1 := mustSave(t, s, rev("mission", lang.EN, "department/mission", "Mission"))
	bases := map[lang.Lang]int64{lang.FR: fr1.ID, lang.EN: en1.ID}

	first := rev("mission", lang.FR, "ministere/mission", "Mission (première)")
	saved, err := s.SaveEdit(ctx, edit(&first, nil, bases))
	if err != nil || len(saved) != 1 {
		t.Fatalf("first save = %+v, %v", saved, err)
	}
	second := rev("mission", lang.FR, "ministere/mission", "Mission (seconde)")
	secondEN := rev("mission", lang.EN, "department/mission", "Mission (second)")
	_, err = s.SaveEdit(ctx, edit(&second, &secondEN, bases))
	wantKind(t, err, apperr.Conflict)
	if p := apperr.ProblemsOf(err); p["fr.base"] != "form.base.stale" || p["en.base"] != "" {
		t.Fatalf("problems = %v, want fr.base only", p)
	}
	if revs, _ := s.Revisions(ctx, "mission", lang.FR); len(revs) != 2 || revs[0].ID != saved[0].ID {
		t.Fatalf("French revisions = %+v", revs)
	}
	if revs, _ := s.Revisions(ctx, "mission", lang.EN); len(revs) != 1 {
		t.Fatalf("the English of a refused edit was written: %d revisions", len(revs))
	}
	// No base where there is a revision is stale too.
	_, err = s.SaveEdit(ctx, edit(&second, nil, nil))
	wantKind(t, err, apperr.Conflict)
	// A base of another page or language is refused.
	_, err = s.SaveEdit(ctx, edit(&second, nil, map[lang.Lang]int64{lang.FR: en1.ID}))
	wantKind(t, err, apperr.Invalid)
	_, err = s.SaveEdit(ctx, edit(&second, nil, map[lang.Lang]int64{lang.FR: 424242}))
	wantKind(t, err, apperr.Invalid)

	bases[lang.FR] = saved[0].ID
	again, err := s.SaveEdit(ctx, edit(&second, &secondEN, bases))
	if err != nil || len(again) != 2 || again[0].Title != "Mission (seconde)" {
		t.Fatalf("saving again from the newest = %+v, %v", again, err)
	}
}

// A language whose fields are those of its base is not written, even when
// someone changed it since: only what the writer changed is saved. Nor is
// one whose fields are those of its newest revision (a second click).
func testSaveEditUnchanged(t *testing.T, s store.Store, _ *Clock) {
	mustPage(t, s, "mission", content.SectionDepartment, 0)
	fr1 := mustSave(t, s, rev("mission", lang.FR, "ministere/mission", "Mission"))
	en1 := mustSave(t, s, rev("mission", lang.EN, "department/mission", "Mission"))
	bases := map[lang.Lang]int64{lang.FR: fr1.ID, lang.EN: en1.ID}
	theirs := rev("mission", lang.FR, "ministere/mission", "Leur mission")
	theirs.Author = writer2.Name
	fr2 := mustSave(t, s, theirs)

	mine := rev("mission", lang.EN, "department/mission", "My mission")
	stale := rev("mission", lang.FR, "ministere/mission", "Mission") // as fr1, untouched
	saved, err := s.SaveEdit(ctx, edit(&stale, &mine, bases))
	if err != nil || len(saved) != 1 || saved[0].Lang != lang.EN {
		t.Fatalf("saved = %+v, %v, want the English only", saved, err)
	}
	if revs, _ := s.Revisions(ctx, "mission", lang.FR); len(revs) != 2 || revs[0].ID != fr2.ID || revs[0].Title != "Leur mission" {
		t.Fatalf("the untouched French overwrote theirs: %+v", revs)
	}
	// The same form sent again writes nothing.
	again, err := s.SaveEdit(ctx, edit(&stale, &mine, bases))
	if err != nil || len(again) != 0 {
		t.Fatalf("second click = %+v, %v", again, err)
	}
	if revs, _ := s.Revisions(ctx, "mission", lang.EN); len(revs) != 2 {
		t.Fatalf("English revisions = %d, want 2", len(revs))
	}
}

// Sending an unchanged draft to review with the save is one transaction:
// refused when someone sent it (or moved it) since.
func testSaveEditSteps(t *testing.T, s store.Store, _ *Clock) {
	mustPage(t, s, "mission", content.SectionDepartment, 0)
	fr := mustSave(t, s, rev("mission", lang.FR, "ministere/mission", "Mission"))
	en := mustSave(t, s, rev("mission", lang.EN, "department/mission", "Mission"))
	submitFR := decide(t, s, writer, fr.ID, content.Request{Action: content.ActSubmit})
	changed := rev("mission", lang.EN, "department/mission", "Mission, changed")
	changed.State = content.Review
	e := edit(nil, &changed, map[lang.Lang]int64{lang.EN: en.ID})
	e.Steps = []content.Transition{submitFR}
	if _, err := s.SaveEdit(ctx, e); err != nil {
		t.Fatal(err)
	}
	wantState(t, s, fr.ID, content.Review)

	// The same step again, with a new English change: French is no
	// longer a draft, so neither is written.
	newest := newestOf(t, s, "mission", lang.EN)
	again := rev("mission", lang.EN, "department/mission", "Mission, changed again")
	e = edit(nil, &again, map[lang.Lang]int64{lang.EN: newest.ID})
	e.Steps = []content.Transition{submitFR}
	_, err := s.SaveEdit(ctx, e)
	wantKind(t, err, apperr.Conflict)
	if p := apperr.ProblemsOf(err); p["fr.base"] != "workflow.changed" {
		t.Fatalf("problems = %v, want fr.base", p)
	}
	if got := newestOf(t, s, "mission", lang.EN); got.ID != newest.ID {
		t.Fatalf("the English of a refused edit was written: %+v", got)
	}
}

// newestOf returns the newest revision of a page in one language.
func newestOf(t *testing.T, s store.Store, key string, l lang.Lang) content.Revision {
	t.Helper()
	revs, err := s.Revisions(ctx, key, l)
	if err != nil || len(revs) == 0 {
		t.Fatalf("revisions of %s/%s: %v, %v", key, l, revs, err)
	}
	return revs[0]
}

// racers is how many requests race in the tests below.
const racers = 16

// race runs fn(i) for i in [0, n) at once and returns their errors.
func race(n int, fn func(i int) error) []error {
	errs := make([]error, n)
	var start, wg sync.WaitGroup
	start.Add(1)
	for i := range n {
		wg.Go(func() {
			start.Wait()
			errs[i] = fn(i)
		})
	}
	start.Done()
	wg.Wait()
	return errs
}

// Half the racers publish a revision in review, half archive it, all
// decided from the same state: one wins, and the public view says what
// the revision's state says.
func testRacePublishArchive(t *testing.T, s store.Store, _ *Clock) {
	mustPage(t, s, "mission", content.SectionDepartment, 0)
	r := inReview(t, s, rev("mission", lang.FR, "ministere/mission", "Mission"))
	publish := decide(t, s, approver, r.ID, content.Request{Action: content.ActPublish})
	archive := decide(t, s, approver, r.ID, content.Request{Action: content.ActArchive})
	errs := race(racers, func(i int) error {
		tr := publish
		if i%2 == 1 {
			tr = archive
		}
		_, err := s.Apply(ctx, tr, origin(approver))
		return err
	})
	if n := winners(t, errs); n != 1 {
		t.Fatalf("%d requests won, want 1", n)
	}
	got, _ := s.Revision(ctx, r.ID)
	tr, _ := findTranslation(t, s, "mission", lang.FR)
	h, _ := s.History(ctx, "mission", lang.FR)
	switch got.State {
	case content.Published:
		if tr.RevisionID != r.ID || len(h) != 1 {
			t.Fatalf("published, yet public = %+v, history = %+v", tr, h)
		}
	case content.Archived:
		if tr.HasContent() || len(h) != 0 {
			t.Fatalf("archived, yet public = %+v, history = %+v", tr, h)
		}
	default:
		t.Fatalf("state = %s", got.State)
	}
	if n := len(auditOf(t, s, audit.PagePublish)) + len(auditOf(t, s, audit.PageArchive)); n != 1 {
		t.Fatalf("%d audit entries, want 1", n)
	}
}

// Revision a is public. Half the racers withdraw it, half publish b in
// its place, all decided while a was public: one wins.
func testRaceWithdraw(t *testing.T, s store.Store, _ *Clock) {
	mustPage(t, s, "mission", content.SectionDepartment, 0)
	a := inReview(t, s, rev("mission", lang.FR, "ministere/mission", "A"))
	mustStep(t, s, approver, a.ID, content.Request{Action: content.ActPublish})
	b := inReview(t, s, rev("mission", lang.FR, "ministere/mission", "B"))
	withdraw := decide(t, s, approver, a.ID, content.Request{Action: content.ActArchive})
	replace := decide(t, s, approver, b.ID, content.Request{Action: content.ActPublish})
	errs := race(racers, func(i int) error {
		tr := withdraw
		if i%2 == 1 {
			tr = replace
		}
		_, err := s.Apply(ctx, tr, origin(approver))
		return err
	})
	if n := winners(t, errs); n != 1 {
		t.Fatalf("%d requests won, want 1", n)
	}
	ra, _ := s.Revision(ctx, a.ID)
	rb, _ := s.Revision(ctx, b.ID)
	tr, _ := findTranslation(t, s, "mission", lang.FR)
	switch {
	case ra.State == content.Archived && rb.State == content.Review:
		if tr.HasContent() {
			t.Fatalf("a withdrawn, yet public = %+v", tr)
		}
	case ra.State == content.Published && rb.State == content.Published:
		if tr.RevisionID != b.ID {
			t.Fatalf("b published, yet public = %+v", tr)
		}
	default:
		t.Fatalf("states a %s, b %s", ra.State, rb.State)
	}
}

// Sixteen editors save the page from the same base: one is written, the
// others are told someone saved first.
func testRaceSave(t *testing.T, s store.Store, _ *Clock) {
	mustPage(t, s, "mission", content.SectionDepartment, 0)
	base := mustSave(t, s, rev("mission", lang.FR, "ministere/mission", "Mission"))
	errs := race(racers, func(i int) error {
		r := rev("mission", lang.FR, "ministere/mission", fmt.Sprintf("Mission %d", i))
		_, err := s.SaveEdit(ctx, edit(&r, nil, map[lang.Lang]int64{lang.FR: base.ID}))
		if err != nil && apperr.ProblemsOf(err)["fr.base"] != "form.base.stale" {
			return fmt.Errorf("problems %v: %w", apperr.ProblemsOf(err), err)
		}
		return err
	})
	if n := winners(t, errs); n != 1 {
		t.Fatalf("%d saves won, want 1", n)
	}
	if revs, _ := s.Revisions(ctx, "mission", lang.FR); len(revs) != 2 {
		t.Fatalf("%d revisions, want the base and one save", len(revs))
	}
}

// bothInReview saves the French and English of page mission in review and
// returns the decisions to publish each, taken from that state.
func bothInReview(t *testing.T, s store.Store) (fr, en content.Revision, pubFR, pubEN content.Transition) {
	t.Helper()
	mustPage(t, s, "mission", content.SectionDepartment, 0)
	fr = inReview(t, s, rev("mission", lang.FR, "ministere/mission", "Mission"))
	en = inReview(t, s, rev("mission", lang.EN, "department/mission", "Mission"))
	pubFR = decide(t, s, approver, fr.ID, content.Request{Action: content.ActPublish})
	pubEN = decide(t, s, approver, en.ID, content.Request{Action: content.ActPublish})
	return fr, en, pubFR, pubEN
}

// Both languages published together, or neither: a refused transition
// leaves the other one unapplied, with no publication and no audit entry.
func testApplyAll(t *testing.T, s store.Store, _ *Clock) {
	fr, en, pubFR, pubEN := bothInReview(t, s)
	_, err := s.ApplyAll(ctx, nil, origin(approver))
	wantKind(t, err, apperr.Invalid)

	// The English was sent back since the decision: nothing is published.
	mustStep(t, s, approver, en.ID, content.Request{Action: content.ActReturn, Comment: "Non"})
	_, err = s.ApplyAll(ctx, []content.Transition{pubFR, pubEN}, origin(approver))
	wantKind(t, err, apperr.Conflict)
	wantState(t, s, fr.ID, content.Review)
	if tr, ok := findTranslation(t, s, "mission", lang.FR); ok && tr.HasContent() {
		t.Fatalf("the French went public alone: %+v", tr)
	}
	if h, _ := s.History(ctx, "mission", lang.FR); len(h) != 0 {
		t.Fatalf("history = %+v after a refusal", h)
	}
	if n := len(auditOf(t, s, audit.PagePublish)); n != 0 {
		t.Fatalf("%d publication audit entries after a refusal", n)
	}

	// Both in review again: both go public, each audited.
	en2 := inReview(t, s, rev("mission", lang.EN, "department/mission", "Mission 2"))
	pubEN = decide(t, s, approver, en2.ID, content.Request{Action: content.ActPublish})
	out, err := s.ApplyAll(ctx, []content.Transition{pubFR, pubEN}, origin(approver))
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 2 || out[0].ID != fr.ID || out[1].ID != en2.ID || out[0].State != content.Published || out[1].State != content.Published {
		t.Fatalf("ApplyAll returned %+v", out)
	}
	for _, l := range lang.All {
		if tr, ok := findTranslation(t, s, "mission", l); !ok || !tr.HasContent() {
			t.Errorf("%s is not public after ApplyAll", l)
		}
	}
	if n := len(auditOf(t, s, audit.PagePublish)); n != 2 {
		t.Fatalf("%d publication audit entries, want 2", n)
	}
}

// Half the racers publish both languages together, half archive the
// English, all decided from the same state: one wins, and the French is
// public exactly when the English is.
func testRaceApplyAll(t *testing.T, s store.Store, _ *Clock) {
	fr, en, pubFR, pubEN := bothInReview(t, s)
	archive := decide(t, s, approver, en.ID, content.Request{Action: content.ActArchive})
	errs := race(racers, func(i int) error {
		if i%2 == 1 {
			_, err := s.Apply(ctx, archive, origin(approver))
			return err
		}
		_, err := s.ApplyAll(ctx, []content.Transition{pubFR, pubEN}, origin(approver))
		return err
	})
	if n := winners(t, errs); n != 1 {
		t.Fatalf("%d requests won, want 1", n)
	}
	gotFR, _ := s.Revision(ctx, fr.ID)
	gotEN, _ := s.Revision(ctx, en.ID)
	trFR, _ := findTranslation(t, s, "mission", lang.FR)
	switch {
	case gotEN.State == content.Published && gotFR.State == content.Published && trFR.RevisionID == fr.ID:
	case gotEN.State == content.Archived && gotFR.State == content.Review && !trFR.HasContent():
	default:
		t.Fatalf("French %s (public %d), English %s: one went without the other", gotFR.State, trFR.RevisionID, gotEN.State)
	}
}
