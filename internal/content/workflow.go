package content

import (
	"strings"
	"time"

	"portail/internal/apperr"
	"portail/internal/lang"
)

// Actor is a staff member as the workflow sees them: a name, as recorded
// in Revision.Author, and what their role lets them do. The staff side
// fills it from the account's permissions, so that the rules below know
// nothing of accounts or sessions.
type Actor struct {
	Name    string
	Write   bool // may write drafts and send them to review (editor)
	Approve bool // may publish, schedule and send back (reviewer)
	Admin   bool // may do everything, approving their own change with a reason
}

// Action is a step of the editorial workflow that a staff member asks for.
type Action string

// Workflow actions.
const (
	ActSave       Action = "save"        // write new drafts (the editor's save; see Edit)
	ActSubmit     Action = "submit"      // draft → review
	ActReturn     Action = "return"      // review → draft: sent back to its author, with a comment
	ActPublish    Action = "publish"     // review → published, now
	ActSchedule   Action = "schedule"    // review, approved for publication at a set time
	ActUnschedule Action = "unschedule"  // cancel a scheduled publication
	ActPublishDue Action = "publish-due" // the scheduler carries out a scheduled publication
	ActArchive    Action = "archive"     // any state → archived; the public revision leaves the site
	ActRestore    Action = "restore"     // copy any revision as the newest draft
)

// Approval records who approved a publication and, when an admin approves
// their own change, the reason they gave.
type Approval struct {
	By     string
	Reason string
}

// Return records who sent a revision back to its author, when, and what
// they asked to change.
type Return struct {
	By      string
	At      time.Time
	Comment string
}

// MaxComment caps a return comment.
const MaxComment = 2000

// Publication is one publication of a revision: the public change history
// lists those that moved the page's "Last update".
type Publication struct {
	RevisionID int64
	PageKey    string
	Lang       lang.Lang
	At         time.Time
	Updated    bool // moved "Last update": a major change or the first publication
	ChangeNote string
	Approval
	Scheduled bool // carried out by the scheduler
}

// Request is a workflow step that a staff member asks for, with what the
// step comes with.
type Request struct {
	Action  Action
	Reason  string    // ActPublish, ActSchedule: an admin's reason to approve their own change
	At      time.Time // ActSchedule: when to publish
	Comment string    // ActReturn: what the author should change
	Note    string    // ActRestore: the new draft's note
}

// Transition is a workflow step that Decide allowed, as a value: what the
// store must still find when it applies the step, and what the step
// changes. The store applies it in one transaction and refuses it with
// Conflict when a condition no longer holds, so that of two requests
// decided from the same state only one wins. Stores apply the conditions
// and changes as given and never the rules that produced them.
type Transition struct {
	Action   Action
	Revision int64 // the revision the step is taken on
	PageKey  string
	Lang     lang.Lang

	// Conditions: the revision's state and scheduled time as decided from
	// (zero: not scheduled); with CheckPublic, the ID of the public
	// revision of its page and language as decided from (0: none); with
	// Due, the scheduled time has come by the store's clock.
	From          State
	FromPublishAt time.Time
	CheckPublic   bool
	Public        int64
	Due           bool

	// Changes: the revision's state, schedule (zero: none) and approval
	// after the step; Returned is written when its By is set (the store
	// sets At); the public translation is withdrawn when Withdraw is set;
	// Copy, when its PageKey is set, is appended as a new draft.
	To        State
	PublishAt time.Time
	Approval  Approval
	Returned  Return
	Withdraw  bool
	Copy      Revision
}

// Decide decides whether a may take the step req on revision r, given
// public, the public translation of r's page in r's language (the zero
// Translation when there is none), and returns the step as a Transition
// for the store to apply. Errors carry i18n keys under "workflow" (or the
// field at fault):
//   - Forbidden when the role, or the rule of the second pair of eyes,
//     forbids the step;
//   - Conflict when the revision is not in a state the step starts from,
//     or a newer revision of the page is public;
//   - Invalid when something the step needs is missing (an admin's
//     reason, a return comment, a time, a change note).
func Decide(a Actor, req Request, r Revision, public Translation) (Transition, error) {
	if public.RevisionID != 0 && (public.PageKey != r.PageKey || public.Lang != r.Lang) {
		return Transition{}, apperr.New(apperr.Internal, "content: public translation of %s/%s given for a revision of %s/%s",
			public.PageKey, public.Lang, r.PageKey, r.Lang)
	}
	write := a.Write || a.Admin
	approve := a.Approve || a.Admin
	own := r.Author == a.Name
	scheduled := !r.PublishAt.IsZero()
	isPublic := r.ID != 0 && public.RevisionID == r.ID
	// By default the step changes nothing: each case says what it does.
	t := Transition{
		Action: req.Action, Revision: r.ID, PageKey: r.PageKey, Lang: r.Lang,
		From: r.State, FromPublishAt: r.PublishAt,
		To: r.State, PublishAt: r.PublishAt, Approval: r.Approved,
	}
	switch req.Action {
	case ActSave:
		if !write {
			return Transition{}, forbidden("workflow.forbidden")
		}
		return Transition{Action: ActSave, To: Draft}, nil
	case ActSubmit:
		if !write {
			return Transition{}, forbidden("workflow.forbidden")
		}
		if r.State != Draft {
			return Transition{}, conflict("workflow.state")
		}
		t.To = Review
	case ActReturn:
		// A reviewer sends back; an author may take back their own change.
		if !approve && !(write && own) {
			return Transition{}, forbidden("workflow.forbidden")
		}
		if r.State != Review {
			return Transition{}, conflict("workflow.state")
		}
		// Sending back cancels a schedule, which is a reviewer's decision.
		if scheduled && !approve {
			return Transition{}, forbidden("workflow.scheduled")
		}
		comment := strings.TrimSpace(req.Comment)
		switch {
		case comment == "" && !own:
			return Transition{}, invalid("comment", "workflow.comment.required")
		case len(comment) > MaxComment:
			return Transition{}, invalid("comment", "form.too_long")
		}
		t.To, t.PublishAt, t.Approval = Draft, time.Time{}, Approval{}
		t.Returned = Return{By: a.Name, Comment: comment}
	case ActPublish, ActSchedule:
		if !approve {
			return Transition{}, forbidden("workflow.forbidden")
		}
		if r.State != Review {
			return Transition{}, conflict("workflow.state")
		}
		// A second pair of eyes: the author of a change does not approve
		// it, unless an admin says why (recorded with the publication).
		reason := ""
		if own {
			if !a.Admin {
				return Transition{}, forbidden("workflow.self_approval")
			}
			if reason = strings.TrimSpace(req.Reason); reason == "" {
				return Transition{}, invalid("reason", "workflow.reason.required")
			}
		}
		// Publishing an older revision would roll the public page back
		// while its change history still claims the newer change.
		if public.RevisionID > r.ID {
			return Transition{}, conflict("workflow.newer_public")
		}
		// The change note is checked now, not when nobody is there to fix it.
		pub := r
		pub.State = Published
		if err := pub.Validate(); err != nil {
			return Transition{}, err
		}
		t.Approval = Approval{By: a.Name, Reason: reason}
		t.CheckPublic, t.Public = true, public.RevisionID
		if req.Action == ActPublish {
			t.To, t.PublishAt = Published, time.Time{}
			break
		}
		if req.At.IsZero() {
			return Transition{}, invalid("publish_at", "form.required")
		}
		t.PublishAt = req.At.UTC()
	case ActUnschedule:
		if !approve {
			return Transition{}, forbidden("workflow.forbidden")
		}
		if r.State != Review || !scheduled {
			return Transition{}, conflict("workflow.not_scheduled")
		}
		t.PublishAt, t.Approval = time.Time{}, Approval{}
	case ActPublishDue:
		// The approval was given when it was scheduled; whoever carries
		// it out records it, not themselves.
		if r.State != Review || !scheduled {
			return Transition{}, conflict("workflow.not_scheduled")
		}
		if public.RevisionID > r.ID {
			return Transition{}, conflict("workflow.newer_public")
		}
		t.To, t.PublishAt, t.Due = Published, time.Time{}, true
		t.CheckPublic, t.Public = true, public.RevisionID
	case ActArchive:
		// Withdrawing a public page, and cancelling a scheduled
		// publication, are publication decisions; shelving an unpublished
		// draft is the writer's.
		switch {
		case scheduled && !approve:
			return Transition{}, forbidden("workflow.scheduled")
		case (r.State == Published || isPublic) && !approve, !write && !approve:
			return Transition{}, forbidden("workflow.forbidden")
		}
		if r.State == Archived {
			return Transition{}, conflict("workflow.state")
		}
		t.To, t.PublishAt = Archived, time.Time{}
		if r.State == Published {
			// Whether archiving withdraws the page depends on which
			// revision is public: the store checks it still is.
			t.CheckPublic, t.Public, t.Withdraw = true, public.RevisionID, isPublic
		}
	case ActRestore:
		if !write {
			return Transition{}, forbidden("workflow.forbidden")
		}
		t.Copy = Revision{
			PageKey: r.PageKey, Lang: r.Lang, Path: r.Path, Title: r.Title, Summary: r.Summary, Body: r.Body,
			State: Draft, Author: a.Name, Note: strings.TrimSpace(req.Note),
		}
		// The old flag and change note described the old change: the
		// restore is a new one, minor until its writer says otherwise.
	default:
		return Transition{}, invalid("workflow", "workflow.unknown")
	}
	return t, nil
}

// Validate checks that t is a step of the workflow's state machine, so
// that a store refuses a transition that no decision could produce (an
// archived revision published, say) even from a caller that skipped
// Decide. It returns Invalid.
func (t Transition) Validate() error {
	bad := func(why string) error {
		return apperr.New(apperr.Invalid, "content: %s of revision %d from %s to %s: %s", t.Action, t.Revision, t.From, t.To, why)
	}
	if t.Revision <= 0 {
		return bad("no revision")
	}
	fromReview := t.From == Review
	keeps := t.To == t.From
	var ok bool
	switch t.Action {
	case ActSubmit:
		ok = t.From == Draft && t.To == Review && t.PublishAt.IsZero()
	case ActReturn:
		ok = fromReview && t.To == Draft && t.PublishAt.IsZero() && t.Returned.By != ""
	case ActPublish:
		ok = fromReview && t.To == Published && t.CheckPublic && t.Approval.By != ""
	case ActSchedule:
		ok = fromReview && keeps && !t.PublishAt.IsZero() && t.CheckPublic && t.Approval.By != ""
	case ActUnschedule:
		ok = fromReview && keeps && !t.FromPublishAt.IsZero() && t.PublishAt.IsZero()
	case ActPublishDue:
		ok = fromReview && t.To == Published && !t.FromPublishAt.IsZero() && t.Due && t.CheckPublic
	case ActArchive:
		ok = t.From != Archived && t.To == Archived && t.PublishAt.IsZero() && (!t.Withdraw || t.From == Published && t.CheckPublic && t.Public == t.Revision)
	case ActRestore:
		ok = keeps && t.Copy.PageKey == t.PageKey && t.Copy.Lang == t.Lang && t.Copy.State == Draft
	}
	switch {
	case !ok:
		return bad("not a step of the workflow")
	case t.Withdraw && t.Action != ActArchive:
		return bad("only archiving withdraws")
	case t.Copy.PageKey != "" && t.Action != ActRestore:
		return bad("only restoring copies")
	case t.Returned.By != "" && t.Action != ActReturn:
		return bad("only returning records a return")
	}
	return nil
}

func forbidden(key string) error {
	return &apperr.Error{Kind: apperr.Forbidden, Msg: "content: " + key, Problems: map[string]string{"workflow": key}}
}

func conflict(key string) error {
	return &apperr.Error{Kind: apperr.Conflict, Msg: "content: " + key, Problems: map[string]string{"workflow": key}}
}

func invalid(field, key string) error {
	return &apperr.Error{Kind: apperr.Invalid, Msg: "content: " + key, Problems: map[string]string{field: key}}
}

// TranslationGap is a page whose English version is missing, or older
// than the last major change of its French source.
type TranslationGap struct {
	PageKey     string
	Section     Section
	FRPath      string
	FRTitle     string
	FRUpdated   time.Time // the French source's "Last update"
	ENPath      string    // "" when English has not even a reserved path
	ENTitle     string
	ENPublished time.Time // zero when English has no content
}

// Missing reports whether English has no content at all (as opposed to
// content older than the French source).
func (g TranslationGap) Missing() bool { return g.ENPublished.IsZero() }

// Grace is how late a scheduled publication may be carried out before the
// staff side flags it as overdue: the scheduler runs about twice a minute.
const Grace = time.Minute

// Overdue reports whether r is scheduled and should have been published
// by now.
func (r Revision) Overdue(now time.Time) bool {
	return !r.PublishAt.IsZero() && r.State == Review && now.Sub(r.PublishAt) > Grace
}

// Edit is what the bilingual editor saves at once: a new revision for
// each language whose fields changed, and the page's review-by date.
type Edit struct {
	PageKey   string
	Revisions []Revision // at most one per language, each a draft or in review
	// Bases holds, for each language of Revisions, the ID of the revision
	// the writer started from (0 or absent: none). A language whose fields
	// are those of its base, or of its newest revision, is not written
	// (nothing changed); one whose base is no longer its newest revision
	// is refused, so that nobody overwrites a change they have not seen.
	Bases map[lang.Lang]int64
	// Steps are sendings to review (ActSubmit) of unchanged drafts, taken
	// in the save's transaction.
	Steps      []Transition
	ReviewBy   time.Time // zero clears it
	FrenchOnly bool      // the page's flag (content.Page.FrenchOnly), as the editor sets it
}

// Validate checks every revision of e; a revision's problems are named
// "<lang>.<field>" (e.g. "en.path"), as the editor's fields are.
func (e Edit) Validate() error {
	p := apperr.Problems{}
	seen := map[lang.Lang]bool{}
	for _, r := range e.Revisions {
		if r.PageKey != e.PageKey || seen[r.Lang] {
			return apperr.New(apperr.Invalid, "content: an edit holds one revision per language of its page")
		}
		seen[r.Lang] = true
		if r.State != Draft && r.State != Review {
			return apperr.New(apperr.Invalid, "content: a revision is saved as draft or review, not %s", r.State)
		}
		for f, k := range apperr.ProblemsOf(r.Validate()) {
			p.Add(string(r.Lang)+"."+f, k)
		}
	}
	for _, t := range e.Steps {
		if t.Action != ActSubmit || t.PageKey != e.PageKey {
			return apperr.New(apperr.Invalid, "content: an edit only sends its page's drafts to review")
		}
		if err := t.Validate(); err != nil {
			return err
		}
	}
	return p.Err()
}

// Outcome is what saving one language of an edit does.
type Outcome int

// Outcomes of saving one language of an edit.
const (
	Unchanged Outcome = iota // nothing to write: its text is its base's, or already the newest's
	Write                    // a new revision, on top of the newest one
	Stale                    // refused: changed from a revision that is no longer the newest
)

// SaveOutcome says what saving r does, given base, the revision its writer
// started from, and newest, the newest revision of its page and language
// (zero Revisions for none), as the store reads them in the save's
// transaction. A language nobody touched is not written even when someone
// saved it since; one that was touched is refused then, so that nobody
// overwrites a change they have not seen.
func SaveOutcome(r, base, newest Revision) Outcome {
	switch {
	case base.ID != 0 && (r.SameText(base) || r.SameText(base.Successor())):
		return Unchanged
	case newest.ID != 0 && (r.SameText(newest) || r.SameText(newest.Successor())):
		return Unchanged // saved already: the same form sent twice
	case newest.ID != base.ID:
		return Stale
	}
	return Write
}

// SameText reports whether r and o say the same thing in every field the
// editor shows, so that saving r over o writes no new revision.
func (r Revision) SameText(o Revision) bool {
	return r.Title == o.Title && r.Path == o.Path && r.Summary == o.Summary && r.Body == o.Body &&
		r.Major == o.Major && r.ChangeNote == o.ChangeNote && r.Note == o.Note
}

// Successor returns what the next revision written on top of r starts
// from, as the editor fills its form: r's text and, while r is a draft or
// in review (the change still being written), its flag and notes. Once r
// is published or archived its flag and notes described its own change:
// the next one starts minor with empty notes, so that a one-word fix is
// not published as another major change with the old note.
func (r Revision) Successor() Revision {
	if r.State == Published || r.State == Archived {
		r.Major, r.ChangeNote, r.Note = false, "", ""
	}
	return r
}
