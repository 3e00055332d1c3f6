// Package storetest is the conformance suite that every store.Store
// implementation must pass. Backends call Run from their own tests.
package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"portail/internal/apperr"
	"portail/internal/audit"
	"portail/internal/content"
	"portail/internal/lang"
	"portail/internal/store"
)

// Clock is a settable clock that a backend under test must read for "now".
type Clock struct{ T time.Time }

// Now returns the clock's time.
func (c *Clock) Now() time.Time { return c.T }

// Advance moves the clock forward.
func (c *Clock) Advance(d time.Duration) { c.T = c.T.Add(d) }

// Opener returns a fresh, empty, migrated store that reads clock for the
// current time. It registers its own cleanup with t.
type Opener func(t *testing.T, clock *Clock) store.Store

// Test is one conformance test: it gets a fresh store and its clock.
type Test struct {
	Name string
	Fn   func(*testing.T, store.Store, *Clock)
}

// Run runs every conformance test against stores made by open. Each area
// of the store contract keeps its tests in its own file and list.
func Run(t *testing.T, open Opener) {
	for _, group := range [][]Test{
		pageTests(),
		accountTests(),
		attemptTests(),
		publishingTests(),
		navigationTests(),
		changeTests(),
		workflowTests(),
		mediaTests(),
		officeTests(),
		policyTests(),
		orgUnitTests(),
	} {
		for _, tc := range group {
			t.Run(tc.Name, func(t *testing.T) {
				clock := &Clock{T: time.Date(2026, 3, 2, 14, 30, 0, 0, time.UTC)}
				tc.Fn(t, open(t, clock), clock)
			})
		}
	}
}

func pageTests() []Test {
	return []Test{
		{"CreatePageAndGet", testCreatePage},
		{"CreatePageRejectsDuplicatesAndBadInput", testCreatePageErrors},
		{"ListPagesInNavigationOrder", testListPages},
		{"SaveRevisionAssignsIDAndTime", testSaveRevision},
		{"SaveRevisionErrors", testSaveRevisionErrors},
		{"RevisionsNewestFirstPerLanguage", testRevisions},
		{"RevisionsNumberedPerPageAndLanguage", testRevisionNumbers},
		{"PublishMakesTranslationPublic", testPublish},
		{"MinorChangeKeepsLastUpdate", testMinorChange},
		{"MajorChangeNeedsChangeNote", testMajorChangeNote},
		{"PathChangeLeavesRedirect", testPathChangeRedirect},
		{"PathConflictAcrossPages", testPathConflict},
		{"ReservePathShowsAsTranslationWithoutContent", testReservePath},
		{"ArchiveWithdrawsTranslation", testArchive},
		{"SubmitAndReturn", testSubmitReturn},
		{"NotFoundKinds", testNotFound},
	}
}

var ctx = context.Background()

func mustPage(t *testing.T, s store.Store, key string, sec content.Section, order int) {
	t.Helper()
	if err := s.CreatePage(ctx, content.Page{Key: key, Section: sec, Order: order}); err != nil {
		t.Fatalf("CreatePage(%q): %v", key, err)
	}
}

func rev(key string, l lang.Lang, path, title string) content.Revision {
	return content.Revision{PageKey: key, Lang: l, Path: path, Title: title, Body: "Corps **gras**", Author: "ed@example.org"}
}

func mustSave(t *testing.T, s store.Store, r content.Revision) content.Revision {
	t.Helper()
	got, err := s.SaveRevision(ctx, r)
	if err != nil {
		t.Fatalf("SaveRevision: %v", err)
	}
	return got
}

// The staff of the tests: the author of rev's revisions, another editor,
// a reviewer and an admin, with the origins the audit log records.
var (
	writer    = content.Actor{Name: "ed@example.org", Write: true}
	writer2   = content.Actor{Name: "ed2@example.org", Write: true}
	approver  = content.Actor{Name: "rev@example.org", Approve: true}
	superuser = content.Actor{Name: "adm@example.org", Admin: true}
)

func origin(a content.Actor) audit.Origin { return audit.Origin{Actor: a.Name, IP: "192.0.2.1"} }

// step takes a workflow step by a on revision id, deciding from what the
// store holds now.
func step(s store.Store, a content.Actor, id int64, req content.Request) (content.Revision, error) {
	return store.Step(ctx, s, a, id, req, origin(a))
}

func mustStep(t *testing.T, s store.Store, a content.Actor, id int64, req content.Request) content.Revision {
	t.Helper()
	r, err := step(s, a, id, req)
	if err != nil {
		t.Fatalf("%s %d by %s: %v", req.Action, id, a.Name, err)
	}
	return r
}

// decide decides req by a on revision id from what the store holds now,
// without applying it: a request that another one may overtake.
func decide(t *testing.T, s store.Store, a content.Actor, id int64, req content.Request) content.Transition {
	t.Helper()
	r, err := s.Revision(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	public, err := store.PublicOf(ctx, s, r)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := content.Decide(a, req, r, public)
	if err != nil {
		t.Fatalf("decide %s %d by %s: %v", req.Action, id, a.Name, err)
	}
	return tr
}

// publishErr sends revision id to review if it is a draft, then has the
// reviewer publish it.
func publishErr(s store.Store, id int64) error {
	r, err := s.Revision(ctx, id)
	if err != nil {
		return err
	}
	if r.State == content.Draft {
		if _, err := step(s, writer, id, content.Request{Action: content.ActSubmit}); err != nil {
			return err
		}
	}
	_, err = step(s, approver, id, content.Request{Action: content.ActPublish})
	return err
}

// mustPublish publishes revision id (see publishErr) and returns its
// public translation.
func mustPublish(t *testing.T, s store.Store, id int64) content.Translation {
	t.Helper()
	if err := publishErr(s, id); err != nil {
		t.Fatalf("publish %d: %v", id, err)
	}
	r, _ := s.Revision(ctx, id)
	tr, err := s.Translation(ctx, r.PageKey, r.Lang)
	if err != nil || tr.RevisionID != id {
		t.Fatalf("after publishing %d, translation = %+v, %v", id, tr, err)
	}
	return tr
}

func wantKind(t *testing.T, err error, k apperr.Kind) {
	t.Helper()
	if !errors.Is(err, k) {
		t.Fatalf("error = %v, want kind %v", err, k)
	}
}

func findTranslation(t *testing.T, s store.Store, key string, l lang.Lang) (content.Translation, bool) {
	t.Helper()
	ts, err := s.Translations(ctx)
	if err != nil {
		t.Fatalf("Translations: %v", err)
	}
	for _, tr := range ts {
		if tr.PageKey == key && tr.Lang == l {
			return tr, true
		}
	}
	return content.Translation{}, false
}

func testCreatePage(t *testing.T, s store.Store, _ *Clock) {
	mustPage(t, s, "mission", content.SectionDepartment, 2)
	p, err := s.Page(ctx, "mission")
	if err != nil {
		t.Fatal(err)
	}
	if p.Section != content.SectionDepartment || p.Order != 2 {
		t.Fatalf("Page = %+v", p)
	}
}

func testCreatePageErrors(t *testing.T, s store.Store, _ *Clock) {
	mustPage(t, s, "mission", content.SectionDepartment, 0)
	wantKind(t, s.CreatePage(ctx, content.Page{Key: "mission", Section: content.SectionDepartment}), apperr.Conflict)
	wantKind(t, s.CreatePage(ctx, content.Page{Key: "Bad Key", Section: content.SectionDepartment}), apperr.Invalid)
	wantKind(t, s.CreatePage(ctx, content.Page{Key: "ok", Section: "nowhere"}), apperr.Invalid)
}

func testListPages(t *testing.T, s store.Store, _ *Clock) {
	mustPage(t, s, "access", content.SectionAccess, 0)
	mustPage(t, s, "mission", content.SectionDepartment, 2)
	mustPage(t, s, "department", content.SectionDepartment, 1)
	mustPage(t, s, "home", content.SectionHome, 0)
	ps, err := s.ListPages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, p := range ps {
		keys = append(keys, p.Key)
	}
	want := []string{"home", "department", "mission", "access"}
	if len(keys) != len(want) {
		t.Fatalf("keys = %v, want %v", keys, want)
	}
	for i := range want {
		if keys[i] != want[i] {
			t.Fatalf("keys = %v, want %v", keys, want)
		}
	}
}

func testSaveRevision(t *testing.T, s store.Store, clock *Clock) {
	mustPage(t, s, "mission", content.SectionDepartment, 0)
	r := mustSave(t, s, rev("mission", lang.FR, "ministere/mission", "Mission"))
	if r.ID == 0 || r.State != content.Draft || !r.Created.Equal(clock.T) {
		t.Fatalf("saved = %+v, want an ID, draft, created at %v", r, clock.T)
	}
	got, err := s.Revision(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Title != "Mission" || got.Body != r.Body || got.Author != r.Author || !got.Created.Equal(clock.T) {
		t.Fatalf("read back %+v", got)
	}
	if _, ok := findTranslation(t, s, "mission", lang.FR); ok {
		t.Fatal("a draft must not be public")
	}
}

func testSaveRevisionErrors(t *testing.T, s store.Store, _ *Clock) {
	mustPage(t, s, "mission", content.SectionDepartment, 0)
	_, err := s.SaveRevision(ctx, rev("nope", lang.FR, "x", "X"))
	wantKind(t, err, apperr.NotFound)
	bad := rev("mission", lang.FR, "avec espace", "")
	_, err = s.SaveRevision(ctx, bad)
	wantKind(t, err, apperr.Invalid)
	if p := apperr.ProblemsOf(err); p["path"] == "" || p["title"] == "" {
		t.Fatalf("problems = %v, want path and title", p)
	}
	pub := rev("mission", lang.FR, "x", "X")
	pub.State = content.Published
	_, err = s.SaveRevision(ctx, pub)
	wantKind(t, err, apperr.Invalid)
	revs, _ := s.Revisions(ctx, "mission", lang.FR)
	if len(revs) != 0 {
		t.Fatalf("refused saves left %d revisions", len(revs))
	}
}

func testRevisions(t *testing.T, s store.Store, clock *Clock) {
	mustPage(t, s, "mission", content.SectionDepartment, 0)
	a := mustSave(t, s, rev("mission", lang.FR, "ministere/mission", "Un"))
	clock.Advance(time.Minute)
	b := mustSave(t, s, rev("mission", lang.FR, "ministere/mission", "Deux"))
	mustSave(t, s, rev("mission", lang.EN, "department/mission", "One"))
	revs, err := s.Revisions(ctx, "mission", lang.FR)
	if err != nil {
		t.Fatal(err)
	}
	if len(revs) != 2 || revs[0].ID != b.ID || revs[1].ID != a.ID {
		t.Fatalf("revisions = %+v", revs)
	}
}

func testPublish(t *testing.T, s store.Store, clock *Clock) {
	mustPage(t, s, "mission", content.SectionDepartment, 3)
	r := mustSave(t, s, rev("mission", lang.FR, "ministere/mission", "Mission"))
	clock.Advance(time.Hour)
	tr := mustPublish(t, s, r.ID)
	if tr.Path != "ministere/mission" || tr.Title != "Mission" || tr.RevisionID != r.ID || !tr.HasContent() {
		t.Fatalf("translation = %+v", tr)
	}
	if !tr.Updated.Equal(clock.T) || tr.Section != content.SectionDepartment || tr.Order != 3 {
		t.Fatalf("translation = %+v, want updated %v", tr, clock.T)
	}
	got, _ := s.Revision(ctx, r.ID)
	if got.State != content.Published {
		t.Fatalf("state = %s", got.State)
	}
	if _, ok := findTranslation(t, s, "mission", lang.EN); ok {
		t.Fatal("English must not appear when only French is published")
	}
}

func testMinorChange(t *testing.T, s store.Store, clock *Clock) {
	mustPage(t, s, "mission", content.SectionDepartment, 0)
	first := mustPublish(t, s, mustSave(t, s, rev("mission", lang.FR, "ministere/mission", "Mission")).ID)
	clock.Advance(24 * time.Hour)
	minor := rev("mission", lang.FR, "ministere/mission", "Mission (coquille)")
	tr := mustPublish(t, s, mustSave(t, s, minor).ID)
	if !tr.Updated.Equal(first.Updated) || tr.Title != "Mission (coquille)" {
		t.Fatalf("minor change: updated %v (was %v), title %q", tr.Updated, first.Updated, tr.Title)
	}
	clock.Advance(24 * time.Hour)
	major := rev("mission", lang.FR, "ministere/mission", "Mission révisée")
	major.Major, major.ChangeNote = true, "Nouvelle vision"
	tr = mustPublish(t, s, mustSave(t, s, major).ID)
	if !tr.Updated.Equal(clock.T) {
		t.Fatalf("major change: updated %v, want %v", tr.Updated, clock.T)
	}
}

func testMajorChangeNote(t *testing.T, s store.Store, _ *Clock) {
	mustPage(t, s, "mission", content.SectionDepartment, 0)
	r := rev("mission", lang.FR, "ministere/mission", "Mission")
	r.Major = true
	saved := mustSave(t, s, r)
	wantKind(t, publishErr(s, saved.ID), apperr.Invalid)
	if _, ok := findTranslation(t, s, "mission", lang.FR); ok {
		t.Fatal("a refused publish must leave nothing public")
	}
}

func testPathChangeRedirect(t *testing.T, s store.Store, _ *Clock) {
	mustPage(t, s, "mission", content.SectionDepartment, 0)
	mustPublish(t, s, mustSave(t, s, rev("mission", lang.FR, "ministere/mission", "Mission")).ID)
	mustPublish(t, s, mustSave(t, s, rev("mission", lang.FR, "ministere/notre-mission", "Mission")).ID)
	key, err := s.Redirect(ctx, lang.FR, "ministere/mission")
	if err != nil || key != "mission" {
		t.Fatalf("Redirect = %q, %v", key, err)
	}
	_, err = s.Redirect(ctx, lang.EN, "ministere/mission")
	wantKind(t, err, apperr.NotFound)
	// Moving back removes the redirect that would now loop.
	mustPublish(t, s, mustSave(t, s, rev("mission", lang.FR, "ministere/mission", "Mission")).ID)
	_, err = s.Redirect(ctx, lang.FR, "ministere/mission")
	wantKind(t, err, apperr.NotFound)
}

func testPathConflict(t *testing.T, s store.Store, _ *Clock) {
	mustPage(t, s, "a", content.SectionDepartment, 0)
	mustPage(t, s, "b", content.SectionDepartment, 0)
	mustPublish(t, s, mustSave(t, s, rev("a", lang.FR, "ministere/x", "A")).ID)
	_, err := s.SaveRevision(ctx, rev("b", lang.FR, "ministere/x", "B"))
	wantKind(t, err, apperr.Conflict)
	if apperr.ProblemsOf(err)["path"] != "form.path.taken" {
		t.Fatalf("problems = %v", apperr.ProblemsOf(err))
	}
	// The same path in the other language is free.
	mustSave(t, s, rev("b", lang.EN, "ministere/x", "B"))
	// A path taken between save and publish is refused at publish.
	r := mustSave(t, s, rev("b", lang.FR, "ministere/y", "B"))
	mustPublish(t, s, mustSave(t, s, rev("a", lang.FR, "ministere/y", "A")).ID)
	err = publishErr(s, r.ID)
	wantKind(t, err, apperr.Conflict)
	if apperr.ProblemsOf(err)["path"] != "form.path.taken" {
		t.Fatalf("problems = %v", apperr.ProblemsOf(err))
	}
	if got, _ := s.Revision(ctx, r.ID); got.State != content.Review {
		t.Fatalf("a refused publication left the revision %s", got.State)
	}
}

func testReservePath(t *testing.T, s store.Store, _ *Clock) {
	mustPage(t, s, "access", content.SectionAccess, 0)
	mustPage(t, s, "other", content.SectionAccess, 0)
	if err := s.ReservePath(ctx, "access", lang.EN, "access-to-information"); err != nil {
		t.Fatal(err)
	}
	tr, ok := findTranslation(t, s, "access", lang.EN)
	if !ok || tr.HasContent() || tr.Path != "access-to-information" {
		t.Fatalf("reserved translation = %+v, %v", tr, ok)
	}
	wantKind(t, s.ReservePath(ctx, "other", lang.EN, "access-to-information"), apperr.Conflict)
	wantKind(t, s.ReservePath(ctx, "nope", lang.EN, "x"), apperr.NotFound)
	wantKind(t, s.ReservePath(ctx, "access", lang.EN, "Bad Path"), apperr.Invalid)
}

func testArchive(t *testing.T, s store.Store, _ *Clock) {
	mustPage(t, s, "mission", content.SectionDepartment, 0)
	r := mustSave(t, s, rev("mission", lang.FR, "ministere/mission", "Mission"))
	mustPublish(t, s, r.ID)
	mustStep(t, s, approver, r.ID, content.Request{Action: content.ActArchive})
	tr, ok := findTranslation(t, s, "mission", lang.FR)
	if !ok || tr.HasContent() || tr.Path != "ministere/mission" {
		t.Fatalf("archived revision still public, or the path lost: %+v", tr)
	}
}

// Submitting and returning move a revision between draft and review, and
// the store says NotFound and Invalid as documented.
func testSubmitReturn(t *testing.T, s store.Store, _ *Clock) {
	mustPage(t, s, "mission", content.SectionDepartment, 0)
	r := mustSave(t, s, rev("mission", lang.FR, "ministere/mission", "Mission"))
	if got := mustStep(t, s, writer, r.ID, content.Request{Action: content.ActSubmit}); got.State != content.Review || got.ID != r.ID {
		t.Fatalf("submitted = %+v", got)
	}
	if got := mustStep(t, s, writer, r.ID, content.Request{Action: content.ActReturn}); got.State != content.Draft {
		t.Fatalf("taken back = %+v", got)
	}
	_, err := s.Apply(ctx, content.Transition{Action: content.ActSubmit, Revision: 424242, From: content.Draft, To: content.Review}, origin(writer))
	wantKind(t, err, apperr.NotFound)
	_, err = s.Apply(ctx, content.Transition{}, origin(writer))
	wantKind(t, err, apperr.Invalid)
}

func testNotFound(t *testing.T, s store.Store, _ *Clock) {
	_, err := s.Page(ctx, "nope")
	wantKind(t, err, apperr.NotFound)
	_, err = s.Revision(ctx, 424242)
	wantKind(t, err, apperr.NotFound)
	_, err = s.Translation(ctx, "nope", lang.FR)
	wantKind(t, err, apperr.NotFound)
	_, err = step(s, approver, 424242, content.Request{Action: content.ActPublish})
	wantKind(t, err, apperr.NotFound)
}

// Publish saves r in review and has a reviewer publish it, for the tests
// of other packages that need public content. It returns the saved
// revision.
func Publish(t testing.TB, s store.Store, r content.Revision) content.Revision {
	t.Helper()
	r.State = content.Review
	saved, err := s.SaveRevision(ctx, r)
	if err != nil {
		t.Fatalf("saving %s/%s %q: %v", r.PageKey, r.Lang, r.Title, err)
	}
	if saved.Author == approver.Name {
		t.Fatalf("storetest.Publish: %s cannot approve their own change", approver.Name)
	}
	if _, err := step(s, approver, saved.ID, content.Request{Action: content.ActPublish}); err != nil {
		t.Fatalf("publishing %s/%s %q: %v", r.PageKey, r.Lang, r.Title, err)
	}
	return saved
}

// Page returns a valid page for backend-specific tests.
func Page(key string) content.Page {
	return content.Page{Key: key, Section: content.SectionDepartment}
}

// Revisions are numbered per page and language, from 1, whatever the
// other pages' revisions: the number people see, not the internal ID.
func testRevisionNumbers(t *testing.T, s store.Store, _ *Clock) {
	mustPage(t, s, "a", content.SectionDepartment, 0)
	mustPage(t, s, "b", content.SectionDepartment, 1)
	a1 := mustSave(t, s, rev("a", lang.FR, "a", "A1"))
	b1 := mustSave(t, s, rev("b", lang.FR, "b", "B1"))
	a2 := mustSave(t, s, rev("a", lang.FR, "a", "A2"))
	ae1 := mustSave(t, s, rev("a", lang.EN, "a", "A1 en"))
	for _, c := range []struct {
		r    content.Revision
		want int
	}{{a1, 1}, {b1, 1}, {a2, 2}, {ae1, 1}} {
		if c.r.Number != c.want {
			t.Errorf("saved %s: number %d, want %d", c.r.Title, c.r.Number, c.want)
		}
		if got, err := s.Revision(ctx, c.r.ID); err != nil || got.Number != c.want {
			t.Errorf("Revision(%s) = number %d, %v; want %d", c.r.Title, got.Number, err, c.want)
		}
	}
	revs, _ := s.Revisions(ctx, "a", lang.FR)
	if len(revs) != 2 || revs[0].Number != 2 || revs[1].Number != 1 {
		t.Errorf("Revisions numbers: %+v", revs)
	}
	pending, _ := s.Pending(ctx)
	for _, p := range pending {
		if p.Number == 0 {
			t.Errorf("Pending revision %d has no number", p.ID)
		}
	}
}
