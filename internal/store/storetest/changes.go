package storetest

import (
	"strconv"
	"sync"
	"testing"
	"time"

	"portail/internal/apperr"
	"portail/internal/change"
	"portail/internal/content"
	"portail/internal/lang"
	"portail/internal/store"
)

func changeTests() []Test {
	return []Test{
		{"ChangesStartEmptyOrAtAStartingPoint", testChangesStart},
		{"ChangesOnePerPublicWrite", testChangesOnePerPublicWrite},
		{"ChangesNoneForWritesThePublicDoesNotSee", testChangesNoneUnseen},
		{"ChangesNoneForRefusedWrites", testChangesNoneRefused},
		{"ChangesSinceRespectsSeqAndLimit", testChangesSince},
		{"ChangeTimesNeverGoBack", testChangeTimesMonotonic},
		{"ChangesOneForRacingScheduledPublications", testChangesScheduledOnce},
		{"ChangesOnePerFilePublicationOrWithdrawal", testChangesFiles},
	}
}

func lastChange(t *testing.T, s store.Store) change.Change {
	t.Helper()
	c, err := s.LastChange(ctx)
	if err != nil {
		t.Fatalf("LastChange: %v", err)
	}
	return c
}

// changesAfter returns every record after c.
func changesAfter(t *testing.T, s store.Store, c change.Change) []change.Change {
	t.Helper()
	cs, err := s.ChangesSince(ctx, c.Seq, 1000)
	if err != nil {
		t.Fatalf("ChangesSince(%d): %v", c.Seq, err)
	}
	return cs
}

// A new database has no record, or one starting point with no time: no
// public data has changed in it yet.
func testChangesStart(t *testing.T, s store.Store, _ *Clock) {
	c := lastChange(t, s)
	if c.Seq != 0 && (c.Topic != change.Start || !c.At.IsZero()) {
		t.Fatalf("fresh store's last change = %+v, want none or a start with no time", c)
	}
	if c.Seq == 0 && c != (change.Change{}) {
		t.Fatalf("no record must read as the zero Change, got %+v", c)
	}
}

func testChangesOnePerPublicWrite(t *testing.T, s store.Store, clock *Clock) {
	mustPage(t, s, "mission", content.SectionDepartment, 0)
	mustPage(t, s, "access", content.SectionAccess, 0)
	published := func() int64 {
		return mustPublish(t, s, mustSave(t, s, rev("mission", lang.FR, "ministere/mission", "Mission")).ID).RevisionID
	}
	for _, w := range []struct {
		name  string
		prep  func() int64 // what the write needs, before counting
		write func(id int64) error
		key   string
	}{
		{"Publish", func() int64 { return inReview(t, s, rev("mission", lang.FR, "ministere/mission", "Approuvée")).ID },
			func(id int64) error {
				_, err := step(s, approver, id, content.Request{Action: content.ActPublish})
				return err
			}, "mission"},
		{"PublishDue", func() int64 {
			r := inReview(t, s, rev("mission", lang.FR, "ministere/mission", "Programmée"))
			mustStep(t, s, approver, r.ID, content.Request{Action: content.ActSchedule, At: clock.T.Add(time.Minute)})
			clock.Advance(time.Minute)
			return r.ID
		}, func(id int64) error {
			_, err := step(s, scheduler, id, content.Request{Action: content.ActPublishDue})
			return err
		}, "mission"},
		{"ReservePath", func() int64 { return 0 },
			func(int64) error { return s.ReservePath(ctx, "access", lang.EN, "access-to-information") }, "access"},
		{"ArchivePublished", published,
			func(id int64) error {
				_, err := step(s, approver, id, content.Request{Action: content.ActArchive})
				return err
			}, "mission"},
	} {
		id := w.prep()
		clock.Advance(time.Minute)
		before := lastChange(t, s)
		if err := w.write(id); err != nil {
			t.Fatalf("%s: %v", w.name, err)
		}
		got := changesAfter(t, s, before)
		if len(got) != 1 {
			t.Fatalf("%s appended %d changes, want 1: %+v", w.name, len(got), got)
		}
		c := got[0]
		if c.Topic != change.Page || c.Key != w.key || !c.At.Equal(clock.T) || c.Seq <= before.Seq {
			t.Fatalf("%s appended %+v, want page %q at %v after seq %d", w.name, c, w.key, clock.T, before.Seq)
		}
		if last := lastChange(t, s); last != c {
			t.Fatalf("%s: LastChange = %+v, want %+v", w.name, last, c)
		}
	}
}

// Drafts, reviews, schedules and review-by dates are staff-side only.
func testChangesNoneUnseen(t *testing.T, s store.Store, clock *Clock) {
	mustPage(t, s, "mission", content.SectionDepartment, 0)
	old := mustPublish(t, s, mustSave(t, s, rev("mission", lang.FR, "ministere/mission", "Ancienne")).ID)
	mustPublish(t, s, mustSave(t, s, rev("mission", lang.FR, "ministere/mission", "Actuelle")).ID)
	before := lastChange(t, s)
	mustPage(t, s, "other", content.SectionDepartment, 1)
	draft := mustSave(t, s, rev("mission", lang.FR, "ministere/mission", "Brouillon"))
	if _, err := s.SaveEdit(ctx, content.Edit{PageKey: "mission", Revisions: []content.Revision{rev("mission", lang.EN, "department/mission", "Draft")}}); err != nil {
		t.Fatal(err)
	}
	mustStep(t, s, writer, draft.ID, content.Request{Action: content.ActSubmit})
	mustStep(t, s, approver, draft.ID, content.Request{Action: content.ActReturn, Comment: "À revoir."})
	r := inReview(t, s, rev("mission", lang.FR, "ministere/mission", "En revue"))
	mustStep(t, s, approver, r.ID, content.Request{Action: content.ActSchedule, At: clock.T.Add(time.Hour)})
	mustStep(t, s, approver, r.ID, content.Request{Action: content.ActUnschedule})
	if err := s.SetReviewBy(ctx, "mission", clock.T.AddDate(1, 0, 0)); err != nil {
		t.Fatal(err)
	}
	mustStep(t, s, writer, draft.ID, content.Request{Action: content.ActArchive})
	// A published revision that a newer one replaced is not public.
	mustStep(t, s, approver, old.RevisionID, content.Request{Action: content.ActArchive})
	if got := changesAfter(t, s, before); len(got) != 0 {
		t.Fatalf("writes the public does not see appended %+v", got)
	}
}

func testChangesNoneRefused(t *testing.T, s store.Store, clock *Clock) {
	mustPage(t, s, "mission", content.SectionDepartment, 0)
	mustPage(t, s, "other", content.SectionDepartment, 0)
	mustPublish(t, s, mustSave(t, s, rev("other", lang.FR, "ministere/autre", "Autre")).ID)
	noNote := rev("mission", lang.FR, "ministere/mission", "Majeure")
	noNote.Major = true
	major := mustSave(t, s, noNote)
	taken := mustSave(t, s, rev("mission", lang.FR, "ministere/pris", "Prise"))
	mustPublish(t, s, mustSave(t, s, rev("other", lang.FR, "ministere/pris", "Autre")).ID)
	later := inReview(t, s, rev("mission", lang.FR, "ministere/mission", "Plus tard"))
	mustStep(t, s, approver, later.ID, content.Request{Action: content.ActSchedule, At: clock.T.Add(time.Hour)})
	before := lastChange(t, s)
	wantKind(t, publishErr(s, major.ID), apperr.Invalid)
	wantKind(t, publishErr(s, taken.ID), apperr.Conflict)
	wantKind(t, publishErr(s, 424242), apperr.NotFound)
	_, err := step(s, scheduler, later.ID, content.Request{Action: content.ActPublishDue})
	if err == nil {
		t.Fatal("a publication not yet due was carried out")
	}
	wantKind(t, s.ReservePath(ctx, "mission", lang.FR, "ministere/pris"), apperr.Conflict)
	wantKind(t, s.ReservePath(ctx, "nope", lang.EN, "x"), apperr.NotFound)
	wantKind(t, s.ReservePath(ctx, "mission", lang.EN, "Bad Path"), apperr.Invalid)
	_, err = step(s, approver, 424242, content.Request{Action: content.ActArchive})
	wantKind(t, err, apperr.NotFound)
	if got := changesAfter(t, s, before); len(got) != 0 {
		t.Fatalf("refused writes appended %+v", got)
	}
}

func testChangesSince(t *testing.T, s store.Store, clock *Clock) {
	before := lastChange(t, s)
	for _, key := range []string{"a", "b", "c"} {
		mustPage(t, s, key, content.SectionDepartment, 0)
		clock.Advance(time.Second)
		mustPublish(t, s, mustSave(t, s, rev(key, lang.FR, "ministere/"+key, key)).ID)
	}
	all := changesAfter(t, s, before)
	if len(all) != 3 {
		t.Fatalf("3 publications appended %d changes", len(all))
	}
	for i, c := range all {
		if c.Key != []string{"a", "b", "c"}[i] || (i > 0 && c.Seq <= all[i-1].Seq) {
			t.Fatalf("changes = %+v, want a, b, c in strictly increasing order", all)
		}
	}
	if last := lastChange(t, s); last != all[2] {
		t.Fatalf("LastChange = %+v, want %+v", last, all[2])
	}
	first, err := s.ChangesSince(ctx, before.Seq, 2)
	if err != nil || len(first) != 2 || first[0] != all[0] || first[1] != all[1] {
		t.Fatalf("ChangesSince(limit 2) = %+v, %v, want the two oldest", first, err)
	}
	rest, err := s.ChangesSince(ctx, all[1].Seq, 10)
	if err != nil || len(rest) != 1 || rest[0] != all[2] {
		t.Fatalf("ChangesSince(second) = %+v, %v, want the third", rest, err)
	}
	if none := changesAfter(t, s, all[2]); len(none) != 0 {
		t.Fatalf("ChangesSince(newest) = %+v", none)
	}
	for _, limit := range []int{0, -1} {
		_, err := s.ChangesSince(ctx, 0, limit)
		wantKind(t, err, apperr.Invalid)
	}
}

// A change's time serves as Last-Modified: it must not go back when the
// clock of the next writer (another instance) is behind.
func testChangeTimesMonotonic(t *testing.T, s store.Store, clock *Clock) {
	mustPage(t, s, "mission", content.SectionDepartment, 0)
	mustPublish(t, s, mustSave(t, s, rev("mission", lang.FR, "ministere/mission", "Un")).ID)
	first := lastChange(t, s)
	clock.Advance(-time.Hour)
	mustPublish(t, s, mustSave(t, s, rev("mission", lang.FR, "ministere/mission", "Deux")).ID)
	second := lastChange(t, s)
	if second.Seq <= first.Seq || second.At.Before(first.At) {
		t.Fatalf("after a clock going back: %+v then %+v", first, second)
	}
	clock.Advance(2 * time.Hour)
	mustPublish(t, s, mustSave(t, s, rev("mission", lang.FR, "ministere/mission", "Trois")).ID)
	if third := lastChange(t, s); !third.At.Equal(clock.T) {
		t.Fatalf("third change at %v, want %v", third.At, clock.T)
	}
}

func testChangesScheduledOnce(t *testing.T, s store.Store, clock *Clock) {
	mustPage(t, s, "mission", content.SectionDepartment, 0)
	r := inReview(t, s, rev("mission", lang.FR, "ministere/mission", "Mission"))
	mustStep(t, s, approver, r.ID, content.Request{Action: content.ActSchedule, At: clock.T.Add(time.Minute)})
	clock.Advance(time.Minute)
	before := lastChange(t, s)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() { step(s, scheduler, r.ID, content.Request{Action: content.ActPublishDue}) })
	}
	wg.Wait()
	if got := changesAfter(t, s, before); len(got) != 1 || got[0].Key != "mission" {
		t.Fatalf("racing schedulers appended %+v, want one change", got)
	}
}

// Publishing and withdrawing a file change what its public URLs answer;
// deleting an unpublished file changes nothing public.
func testChangesFiles(t *testing.T, s store.Store, _ *Clock) {
	f := mustMedia(t, s, "Carte.png", 1)
	key := strconv.FormatInt(f.ID, 10)
	for _, w := range []struct {
		name  string
		write func() error
		want  int
	}{
		{"publish", func() error { _, err := s.PublishMedia(ctx, f.ID, by); return err }, 1},
		{"publish again", func() error { _, err := s.PublishMedia(ctx, f.ID, by); return err }, 0},
		{"withdraw", func() error { return s.WithdrawMedia(ctx, f.ID, by) }, 1},
		{"delete unpublished", func() error { _, err := s.DeleteMedia(ctx, f.ID, by); return err }, 0},
	} {
		before := lastChange(t, s)
		err := w.write()
		if w.want == 1 && err != nil {
			t.Fatalf("%s: %v", w.name, err)
		}
		got := changesAfter(t, s, before)
		if len(got) != w.want || w.want == 1 && (got[0].Topic != change.File || got[0].Key != key) {
			t.Fatalf("%s appended %+v, want %d file change of %s", w.name, got, w.want, key)
		}
	}
}
