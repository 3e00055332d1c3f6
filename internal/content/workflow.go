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
	ActSave       Action = "save"       // write a new draft (restore is a save)
	ActSubmit     Action = "submit"     // draft → review
	ActReturn     Action = "return"     // review → draft: sent back to its author
	ActPublish    Action = "publish"    // review → published, now or at a set time
	ActUnschedule Action = "unschedule" // cancel a scheduled publication
	ActArchive    Action = "archive"    // any state → archived
)

// Approval records who approved a publication and, when an admin approves
// their own change, the reason they gave.
type Approval struct {
	By     string
	Reason string
}

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

// Allow reports whether a may do act on revision r. reason is the
// justification an admin gives to publish their own change; it is ignored
// otherwise. It returns Forbidden when the role or the rule of the second
// pair of eyes forbids the step, and Invalid when the revision is not in a
// state the step starts from or the admin's reason is missing. The
// problems carry i18n keys under the "workflow" or "reason" field.
func Allow(a Actor, act Action, r Revision, reason string) error {
	write := a.Write || a.Admin
	approve := a.Approve || a.Admin
	switch act {
	case ActSave:
		if !write {
			return forbidden("workflow.forbidden")
		}
	case ActSubmit:
		if !write {
			return forbidden("workflow.forbidden")
		}
		if r.State != Draft {
			return wrongState()
		}
	case ActReturn:
		if !approve && !(write && r.Author == a.Name) {
			return forbidden("workflow.forbidden")
		}
		if r.State != Review {
			return wrongState()
		}
	case ActPublish:
		if !approve {
			return forbidden("workflow.forbidden")
		}
		if r.State != Review {
			return wrongState()
		}
		// A second pair of eyes: the author of a change does not approve
		// it, unless an admin says why (recorded with the publication).
		if r.Author == a.Name {
			if !a.Admin {
				return forbidden("workflow.self_approval")
			}
			if strings.TrimSpace(reason) == "" {
				return &apperr.Error{Kind: apperr.Invalid, Msg: "content: self-approval without a reason",
					Problems: map[string]string{"reason": "workflow.reason.required"}}
			}
		}
	case ActUnschedule:
		if !approve {
			return forbidden("workflow.forbidden")
		}
		if r.PublishAt.IsZero() {
			return wrongState()
		}
	case ActArchive:
		// Withdrawing a public page is a publication decision; shelving
		// an unpublished draft is the writer's.
		if r.State == Published && !approve || r.State != Published && !write && !approve {
			return forbidden("workflow.forbidden")
		}
		if r.State == Archived {
			return wrongState()
		}
	default:
		return &apperr.Error{Kind: apperr.Invalid, Msg: "content: unknown action " + string(act),
			Problems: map[string]string{"workflow": "workflow.unknown"}}
	}
	return nil
}

// ApprovalFor returns the approval that a's publishing of r records: the
// reason is kept only when a approves their own change.
func ApprovalFor(a Actor, r Revision, reason string) Approval {
	ap := Approval{By: a.Name}
	if r.Author == a.Name {
		ap.Reason = strings.TrimSpace(reason)
	}
	return ap
}

func forbidden(key string) error {
	return &apperr.Error{Kind: apperr.Forbidden, Msg: "content: " + key, Problems: map[string]string{"workflow": key}}
}

func wrongState() error {
	return &apperr.Error{Kind: apperr.Invalid, Msg: "content: wrong state for this step",
		Problems: map[string]string{"workflow": "workflow.state"}}
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
	ReviewBy  time.Time  // zero clears it
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
	return p.Err()
}
