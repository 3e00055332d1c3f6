package content

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"portail/internal/apperr"
	"portail/internal/lang"
)

var (
	editor   = Actor{Name: "ed", Write: true}
	editor2  = Actor{Name: "ed2", Write: true}
	reviewer = Actor{Name: "rev", Approve: true}
	admin    = Actor{Name: "adm", Admin: true}
	nobody   = Actor{Name: "x"}
	at       = time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
)

// situation is a revision by "ed" and the public translation of its page.
type situation struct {
	r      Revision
	public Translation
}

func situations() map[string]situation {
	base := Revision{ID: 10, PageKey: "mission", Lang: lang.FR, Path: "ministere/mission", Title: "Mission", Author: "ed"}
	with := func(s State, publishAt time.Time, approved string) Revision {
		r := base
		r.State, r.PublishAt, r.Approved = s, publishAt, Approval{By: approved}
		return r
	}
	pub := func(id int64) Translation {
		return Translation{PageKey: "mission", Lang: lang.FR, Path: "ministere/mission", RevisionID: id}
	}
	return map[string]situation{
		"draft":      {with(Draft, time.Time{}, ""), pub(9)},
		"review":     {with(Review, time.Time{}, ""), pub(9)},
		"scheduled":  {with(Review, at, "rev"), pub(9)},
		"public":     {with(Published, time.Time{}, "rev"), pub(10)},
		"superseded": {with(Published, time.Time{}, "rev"), pub(11)},
		"archived":   {with(Archived, time.Time{}, ""), Translation{}},
	}
}

// TestDecideMatrix decides every action in every state for every role.
// Each cell lists the outcome for the author (an editor), another editor,
// a reviewer, an admin and an account with no publishing role: o allowed,
// F forbidden, C conflict (wrong state).
func TestDecideMatrix(t *testing.T) {
	states := []string{"draft", "review", "scheduled", "public", "superseded", "archived"}
	actors := []Actor{editor, editor2, reviewer, admin, nobody}
	matrix := []struct {
		req   Request
		cells [6]string
	}{
		{Request{Action: ActSubmit}, [6]string{"ooFoF", "CCFCF", "CCFCF", "CCFCF", "CCFCF", "CCFCF"}},
		{Request{Action: ActReturn, Comment: "À revoir"}, [6]string{"CFCCF", "oFooF", "FFooF", "CFCCF", "CFCCF", "CFCCF"}},
		{Request{Action: ActPublish}, [6]string{"FFCCF", "FFooF", "FFooF", "FFCCF", "FFCCF", "FFCCF"}},
		{Request{Action: ActSchedule, At: at}, [6]string{"FFCCF", "FFooF", "FFooF", "FFCCF", "FFCCF", "FFCCF"}},
		{Request{Action: ActUnschedule}, [6]string{"FFCCF", "FFCCF", "FFooF", "FFCCF", "FFCCF", "FFCCF"}},
		{Request{Action: ActPublishDue}, [6]string{"CCCCC", "CCCCC", "ooooo", "CCCCC", "CCCCC", "CCCCC"}},
		{Request{Action: ActArchive}, [6]string{"ooooF", "ooooF", "FFooF", "FFooF", "FFooF", "CCCCF"}},
		{Request{Action: ActRestore, Note: "copie"}, [6]string{"ooFoF", "ooFoF", "ooFoF", "ooFoF", "ooFoF", "ooFoF"}},
		{Request{Action: ActSave}, [6]string{"ooFoF", "ooFoF", "ooFoF", "ooFoF", "ooFoF", "ooFoF"}},
	}
	sits := situations()
	checked := 0
	for _, row := range matrix {
		for i, state := range states {
			sit := sits[state]
			for j, a := range actors {
				want := row.cells[i][j]
				name := fmt.Sprintf("%s/%s/%s", row.req.Action, state, a.Name)
				tr, err := Decide(a, row.req, sit.r, sit.public)
				checked++
				switch want {
				case 'o':
					if err != nil {
						t.Errorf("%s: refused: %v", name, err)
					} else if err := tr.Validate(); row.req.Action != ActSave && err != nil {
						t.Errorf("%s: Decide gave a transition that Validate refuses: %v", name, err)
					}
				case 'F':
					if !errors.Is(err, apperr.Forbidden) {
						t.Errorf("%s: error = %v, want forbidden", name, err)
					}
				case 'C':
					if !errors.Is(err, apperr.Conflict) {
						t.Errorf("%s: error = %v, want conflict", name, err)
					}
				default:
					t.Fatalf("%s: bad cell %q", name, want)
				}
				if err != nil && apperr.ProblemsOf(err)["workflow"] == "" {
					t.Errorf("%s: refusal without a workflow message: %v", name, err)
				}
			}
		}
	}
	if checked != len(matrix)*len(states)*len(actors) {
		t.Fatalf("checked %d cells", checked)
	}
}

// The rules the matrix does not show: who approves their own change, what
// a step needs, which message says why, and what the transitions carry.
func TestDecideRules(t *testing.T) {
	sits := situations()
	review, scheduled := sits["review"], sits["scheduled"]
	own := func(s situation, author string) situation {
		s.r.Author = author
		return s
	}
	older := review
	older.public.RevisionID = 12 // a newer revision is public
	major := review
	major.r.Major = true
	long := strings.Repeat("x", MaxComment+1)

	cases := []struct {
		name string
		a    Actor
		req  Request
		s    situation
		kind error // nil when allowed
		key  string
	}{
		{"reviewer cannot publish own change", reviewer, Request{Action: ActPublish}, own(review, "rev"), apperr.Forbidden, "workflow.self_approval"},
		{"reviewer's reason does not help", reviewer, Request{Action: ActPublish, Reason: "urgent"}, own(review, "rev"), apperr.Forbidden, "workflow.self_approval"},
		{"reviewer cannot schedule own change", reviewer, Request{Action: ActSchedule, At: at}, own(review, "rev"), apperr.Forbidden, "workflow.self_approval"},
		{"admin needs a reason for own change", admin, Request{Action: ActPublish, Reason: "  "}, own(review, "adm"), apperr.Invalid, "workflow.reason.required"},
		{"admin publishes own change with a reason", admin, Request{Action: ActPublish, Reason: "Correction urgente"}, own(review, "adm"), nil, ""},
		{"publishing an older revision", reviewer, Request{Action: ActPublish}, older, apperr.Conflict, "workflow.newer_public"},
		{"scheduling an older revision", reviewer, Request{Action: ActSchedule, At: at}, older, apperr.Conflict, "workflow.newer_public"},
		{"a due publication older than the public one", nobody, Request{Action: ActPublishDue}, situation{scheduled.r, older.public}, apperr.Conflict, "workflow.newer_public"},
		{"schedule needs a time", reviewer, Request{Action: ActSchedule}, review, apperr.Invalid, "form.required"},
		{"a major change needs its note to be published", reviewer, Request{Action: ActPublish}, major, apperr.Invalid, "form.change_note.required"},
		{"a reviewer sends back with a comment only", reviewer, Request{Action: ActReturn, Comment: " "}, review, apperr.Invalid, "workflow.comment.required"},
		{"a comment has a limit", reviewer, Request{Action: ActReturn, Comment: long}, review, apperr.Invalid, "form.too_long"},
		{"the author takes back without a comment", editor, Request{Action: ActReturn}, review, nil, ""},
		{"the author cannot take back a scheduled change", editor, Request{Action: ActReturn}, scheduled, apperr.Forbidden, "workflow.scheduled"},
		{"archiving a scheduled revision needs approve", editor, Request{Action: ActArchive}, scheduled, apperr.Forbidden, "workflow.scheduled"},
		{"unschedule needs a schedule", reviewer, Request{Action: ActUnschedule}, review, apperr.Conflict, "workflow.not_scheduled"},
		{"unknown action", admin, Request{Action: "delete"}, review, apperr.Invalid, "workflow.unknown"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Decide(tc.a, tc.req, tc.s.r, tc.s.public)
			if tc.kind == nil {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if !errors.Is(err, tc.kind) {
				t.Fatalf("error = %v, want %v", err, tc.kind)
			}
			found := false
			for _, k := range apperr.ProblemsOf(err) {
				found = found || k == tc.key
			}
			if !found {
				t.Fatalf("problems = %v, want %s", apperr.ProblemsOf(err), tc.key)
			}
		})
	}
	if _, err := Decide(admin, Request{Action: ActPublish}, review.r, Translation{PageKey: "other", Lang: lang.FR, RevisionID: 3}); err == nil {
		t.Fatal("a public translation of another page was accepted")
	}
}

// What each transition asks the store to check and to change.
func TestDecideTransitions(t *testing.T) {
	sits := situations()
	decide := func(a Actor, req Request, s situation) Transition {
		t.Helper()
		tr, err := Decide(a, req, s.r, s.public)
		if err != nil {
			t.Fatal(err)
		}
		if err := tr.Validate(); err != nil {
			t.Fatal(err)
		}
		return tr
	}
	review, scheduled, public, superseded := sits["review"], sits["scheduled"], sits["public"], sits["superseded"]

	p := decide(admin, Request{Action: ActPublish, Reason: "ignored: not own"}, scheduled)
	if p.From != Review || !p.FromPublishAt.Equal(at) || p.To != Published || !p.PublishAt.IsZero() ||
		!p.CheckPublic || p.Public != 9 || p.Approval != (Approval{By: "adm"}) || p.Due {
		t.Errorf("publish = %+v", p)
	}
	ownAdmin := review
	ownAdmin.r.Author = "adm"
	if p := decide(admin, Request{Action: ActPublish, Reason: " Urgence "}, ownAdmin); p.Approval != (Approval{By: "adm", Reason: "Urgence"}) {
		t.Errorf("own approval = %+v", p.Approval)
	}
	montreal := time.FixedZone("EST", -5*3600)
	s := decide(reviewer, Request{Action: ActSchedule, At: at.In(montreal)}, review)
	if s.To != Review || !s.PublishAt.Equal(at) || s.PublishAt.Location() != time.UTC || s.Approval.By != "rev" {
		t.Errorf("schedule = %+v", s)
	}
	u := decide(reviewer, Request{Action: ActUnschedule}, scheduled)
	if !u.FromPublishAt.Equal(at) || !u.PublishAt.IsZero() || u.Approval != (Approval{}) || u.To != Review {
		t.Errorf("unschedule = %+v", u)
	}
	d := decide(nobody, Request{Action: ActPublishDue}, scheduled)
	if !d.Due || d.To != Published || d.Approval.By != "rev" || !d.CheckPublic {
		t.Errorf("due publication = %+v: it records who scheduled it", d)
	}
	r := decide(reviewer, Request{Action: ActReturn, Comment: " Précisez la date. "}, scheduled)
	if r.To != Draft || !r.PublishAt.IsZero() || r.Returned != (Return{By: "rev", Comment: "Précisez la date."}) {
		t.Errorf("return = %+v", r)
	}
	if w := decide(reviewer, Request{Action: ActArchive}, public); !w.Withdraw || !w.CheckPublic || w.Public != 10 {
		t.Errorf("archiving the public revision = %+v", w)
	}
	if w := decide(reviewer, Request{Action: ActArchive}, superseded); w.Withdraw || !w.CheckPublic || w.Public != 11 {
		t.Errorf("archiving a superseded revision = %+v: it must not withdraw the newer one", w)
	}
	if w := decide(editor, Request{Action: ActArchive}, review); w.Withdraw || w.CheckPublic {
		t.Errorf("archiving a draft in review = %+v: the public page does not matter", w)
	}
	c := decide(editor2, Request{Action: ActRestore, Note: "Restauration"}, superseded)
	if c.To != Published || c.Copy.State != Draft || c.Copy.Author != "ed2" || c.Copy.Body != superseded.r.Body || c.Copy.ID != 0 || c.Copy.Note != "Restauration" {
		t.Errorf("restore = %+v", c)
	}
}

// Transitions that no decision produces are refused, whoever builds them.
func TestTransitionValidate(t *testing.T) {
	for name, tr := range map[string]Transition{
		"no revision":           {Action: ActSubmit, From: Draft, To: Review},
		"publish archived":      {Action: ActPublish, Revision: 1, From: Archived, To: Published, CheckPublic: true, Approval: Approval{By: "x"}},
		"publish draft":         {Action: ActPublish, Revision: 1, From: Draft, To: Published, CheckPublic: true, Approval: Approval{By: "x"}},
		"publish unchecked":     {Action: ActPublish, Revision: 1, From: Review, To: Published, Approval: Approval{By: "x"}},
		"publish unapproved":    {Action: ActPublish, Revision: 1, From: Review, To: Published, CheckPublic: true},
		"due, not scheduled":    {Action: ActPublishDue, Revision: 1, From: Review, To: Published, Due: true, CheckPublic: true},
		"withdraw a draft":      {Action: ActArchive, Revision: 1, From: Draft, To: Archived, Withdraw: true},
		"withdraw another":      {Action: ActArchive, Revision: 1, From: Published, To: Archived, Withdraw: true, CheckPublic: true, Public: 2},
		"submit withdraws":      {Action: ActSubmit, Revision: 1, From: Draft, To: Review, Withdraw: true},
		"return without return": {Action: ActReturn, Revision: 1, From: Review, To: Draft},
		"unschedule nothing":    {Action: ActUnschedule, Revision: 1, From: Review, To: Review},
		"unknown":               {Action: "delete", Revision: 1, From: Draft, To: Archived},
	} {
		if err := tr.Validate(); !errors.Is(err, apperr.Invalid) {
			t.Errorf("%s: Validate = %v, want invalid", name, err)
		}
	}
}

func TestSameText(t *testing.T) {
	a := Revision{ID: 1, Title: "T", Path: "p", Body: "b", State: Draft, Author: "ed"}
	b := a
	b.ID, b.State, b.Author = 2, Review, "rev"
	if !a.SameText(b) {
		t.Fatal("revisions that differ only in ID, state and author differ")
	}
	b.Note = "n"
	if a.SameText(b) {
		t.Fatal("a different note is the same text")
	}
}

func TestSaveOutcome(t *testing.T) {
	base := Revision{ID: 5, Title: "Mission"}
	theirs := Revision{ID: 6, Title: "Leur mission"}
	mine := Revision{Title: "Ma mission"}
	for _, tc := range []struct {
		name            string
		r, base, newest Revision
		want            Outcome
	}{
		{"changed from the newest", mine, base, base, Write},
		{"untouched", base, base, base, Unchanged},
		{"untouched, though someone saved since", Revision{Title: "Mission"}, base, theirs, Unchanged},
		{"changed from an older revision", mine, base, theirs, Stale},
		{"a first revision", mine, Revision{}, Revision{}, Write},
		{"a first revision, but someone saved one", mine, Revision{}, theirs, Stale},
		{"the same form sent twice", theirs, base, theirs, Unchanged},
	} {
		if got := SaveOutcome(tc.r, tc.base, tc.newest); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

// A new revision is a new change: once its predecessor has gone public,
// it starts minor with empty notes, and a restore never copies the old
// flag and notes (a one-word fix was published as another major change).
func TestNewRevisionStartsMinor(t *testing.T) {
	old := Revision{ID: 3, PageKey: "mission", Lang: "fr", Path: "m", Title: "T", Body: "b", State: Published,
		Major: true, ChangeNote: "Nouvelle mission", Note: "demandé par la direction", Author: "ed"}
	for _, st := range []State{Published, Archived} {
		r := old
		r.State = st
		if n := r.Successor(); n.Major || n.ChangeNote != "" || n.Note != "" || n.Body != r.Body || n.Title != r.Title {
			t.Errorf("successor of a %s revision = %+v, want its text, minor, no notes", st, n)
		}
	}
	for _, st := range []State{Draft, Review} {
		r := old
		r.State = st
		if n := r.Successor(); !n.Major || n.ChangeNote != r.ChangeNote || n.Note != r.Note {
			t.Errorf("successor of a %s = %+v: the change being written keeps its flag and notes", st, n)
		}
	}
	c, err := Decide(Actor{Name: "ed2", Write: true}, Request{Action: ActRestore, Note: "Restauration"}, old, Translation{})
	if err != nil {
		t.Fatal(err)
	}
	if c.Copy.Major || c.Copy.ChangeNote != "" || c.Copy.Note != "Restauration" {
		t.Errorf("restored copy = %+v, want minor, no change note, the restore's note", c.Copy)
	}
	// The editor's form, filled from the successor, is still "unchanged".
	form := old.Successor()
	form.ID = 0
	if got := SaveOutcome(form, old, old); got != Unchanged {
		t.Errorf("the untouched form of a published major revision: %v, want Unchanged", got)
	}
}
