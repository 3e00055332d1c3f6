package store

import (
	"context"
	"errors"
	"strconv"
	"time"

	"portail/internal/apperr"
	"portail/internal/audit"
	"portail/internal/content"
	"portail/internal/lang"
)

// Publishing keeps what the editorial workflow adds to pages: approvals,
// scheduled publication, the log of publications behind the public change
// history, review-by dates and the translation dashboard. The workflow's
// rules are content.Decide's: the store applies the transitions it
// decides, under the conditions it states, and never re-implements them.
// Each operation the audit log must show writes its entry in the same
// transaction, with o as who and from where.
type Publishing interface {
	// SaveEdit saves what the bilingual editor submits, in one
	// transaction: its revisions, with their IDs and creation time set,
	// its steps, and the page's review-by date and French-only flag. Nothing is saved unless
	// everything is. Per language, a revision whose fields are those of
	// its base (e.Bases) or of the newest revision is not written.
	// Returns the revisions written; NotFound for an unknown page; Invalid
	// with problems named "<lang>.<field>" (see content.Edit.Validate), or
	// for a base that is not a revision of that page and language;
	// Conflict with the problem "<lang>.base" when the base of a changed
	// language is no longer its newest revision (someone saved since), or
	// a step's revision is no longer in its state, and with "<lang>.path"
	// when another page holds a path.
	SaveEdit(ctx context.Context, e content.Edit) ([]content.Revision, error)

	// Apply carries out t, a transition that content.Decide returned, in
	// one transaction. It refuses it with Conflict (problem "workflow":
	// "workflow.changed") unless the revision is still in state t.From
	// with the scheduled time t.FromPublishAt, that time has come by the
	// store's clock when t.Due is set, and the public revision of its page
	// and language is still t.Public when t.CheckPublic is set. It then
	// writes t.To, t.PublishAt, t.Approval and t.Returned (at the store's
	// time); publishes the revision when t.To is Published (a major
	// revision moves the translation's Updated time to now; a path change
	// keeps the old path as a redirect); withdraws the translation when
	// t.Withdraw is set; appends t.Copy as a new draft; and writes the
	// audit entry that AuditEntry gives. It returns the revision after the
	// step, or the new draft of a restore.
	// Returns NotFound for an unknown revision; Invalid for a transition
	// that content.Transition.Validate refuses, or a revision that fails
	// content.Revision.Validate as published; Conflict with the problem
	// "path" when another page took the path since it was saved.
	Apply(ctx context.Context, t content.Transition, o audit.Origin) (content.Revision, error)

	// ApplyAll carries out every transition of ts as Apply does, in order,
	// in one transaction: all of them, or none when one is refused (the
	// French and English of a page published together, say). It returns
	// the revisions after the steps, in the order of ts.
	// Returns Invalid for an empty ts and the errors of Apply, for the
	// first transition refused.
	ApplyAll(ctx context.Context, ts []content.Transition, o audit.Origin) ([]content.Revision, error)

	// Scheduled returns the revisions waiting for their publication time,
	// soonest first, overdue ones included.
	Scheduled(ctx context.Context) ([]content.Revision, error)

	// Pending returns the newest revision of each page and language when
	// it is a draft or in review (scheduled ones included), oldest first:
	// the work in progress that the staff dashboard counts.
	Pending(ctx context.Context) ([]content.Revision, error)

	// History returns the publications of a page in one language, newest
	// first. The public change history shows those with Updated set.
	History(ctx context.Context, key string, l lang.Lang) ([]content.Publication, error)

	// SetReviewBy sets the date by which a page must be re-checked (only
	// its year, month and day count), or clears it with the zero time.
	// Returns NotFound.
	SetReviewBy(ctx context.Context, key string, date time.Time) error

	// TranslationGaps returns the pages with French content whose English
	// version has no content, or was published before the French source's
	// "Last update", in page order; pages that are French-only by design
	// (content.Page.FrenchOnly) are not gaps.
	TranslationGaps(ctx context.Context) ([]content.TranslationGap, error)
}

// Stepper is what Step needs of a store.
type Stepper interface {
	Revision(ctx context.Context, id int64) (content.Revision, error)
	Translation(ctx context.Context, key string, l lang.Lang) (content.Translation, error)
	Apply(ctx context.Context, t content.Transition, o audit.Origin) (content.Revision, error)
}

// Step takes a workflow step on revision id for a: it reads the revision
// and the public translation of its page, has content.Decide decide req
// from them, and has s apply the transition. It returns the revision after
// the step (the new draft of a restore) and the errors of Decide and Apply.
// The staff side, which shows the revision before deciding, calls Decide
// and Apply itself.
func Step(ctx context.Context, s Stepper, a content.Actor, id int64, req content.Request, o audit.Origin) (content.Revision, error) {
	r, err := s.Revision(ctx, id)
	if err != nil {
		return content.Revision{}, err
	}
	public, err := PublicOf(ctx, s, r)
	if err != nil {
		return content.Revision{}, err
	}
	t, err := content.Decide(a, req, r, public)
	if err != nil {
		return content.Revision{}, err
	}
	return s.Apply(ctx, t, o)
}

// PublicOf returns the public translation of r's page in r's language, or
// the zero Translation when it has none: what content.Decide is given.
func PublicOf(ctx context.Context, s Stepper, r content.Revision) (content.Translation, error) {
	t, err := s.Translation(ctx, r.PageKey, r.Lang)
	if errors.Is(err, apperr.NotFound) {
		return content.Translation{}, nil
	}
	return t, err
}

// AuditEntry returns the audit entry that applying t by o writes, and
// false for the steps the audit log does not show (submit, restore).
// Every backend writes this entry, so that the log reads the same on all.
func AuditEntry(t content.Transition, o audit.Origin) (audit.Entry, bool) {
	detail := "revision " + strconv.FormatInt(t.Revision, 10)
	if t.Approval.Reason != "" && (t.To == content.Published || t.Action == content.ActSchedule) {
		detail += "; reason: " + t.Approval.Reason
	}
	var a audit.Action
	switch t.Action {
	case content.ActPublish:
		a = audit.PagePublish
	case content.ActPublishDue:
		a = audit.PagePublish
		detail += "; scheduled at " + t.FromPublishAt.UTC().Format(time.RFC3339) + " by " + t.Approval.By
	case content.ActSchedule:
		a = audit.PageSchedule
		detail += "; at " + t.PublishAt.UTC().Format(time.RFC3339)
	case content.ActUnschedule:
		a = audit.PageUnschedule
	case content.ActArchive:
		a = audit.PageArchive
		detail += "; was " + string(t.From)
		if t.Withdraw {
			detail += ", withdrawn from the public site"
		}
	case content.ActReturn:
		a = audit.PageReturn
		if t.Returned.Comment != "" {
			detail += "; comment: " + t.Returned.Comment
		}
	default:
		return audit.Entry{}, false
	}
	return audit.Entry{Actor: o.Actor, IP: o.IP, Action: a, Target: t.PageKey + "/" + string(t.Lang), Detail: detail}, true
}
