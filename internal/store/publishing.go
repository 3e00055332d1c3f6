package store

import (
	"context"
	"time"

	"portail/internal/audit"
	"portail/internal/content"
	"portail/internal/lang"
)

// Publishing keeps what the editorial workflow adds to pages: approvals,
// scheduled publication, the log of publications behind the public change
// history, review-by dates and the translation dashboard. The workflow's
// rules (who may approve what) are content.Allow's; the store records.
// Each operation the audit log must show writes its entry in the same
// transaction, with o as who and from where.
type Publishing interface {
	// SaveEdit saves what the bilingual editor submits, in one
	// transaction: its revisions, with their IDs and creation time set, and
	// the page's review-by date. Nothing is saved unless everything is.
	// Returns NotFound for an unknown page, Invalid with problems named
	// "<lang>.<field>" (see content.Edit.Validate), or Conflict with the
	// problem "<lang>.path" when another page holds a path.
	SaveEdit(ctx context.Context, e content.Edit) ([]content.Revision, error)

	// Approve publishes revision id at once, as Publish does, recording
	// o.Actor as its approver and reason (the admin's justification for
	// approving their own change; empty otherwise).
	// Returns what Publish returns.
	Approve(ctx context.Context, id int64, reason string, o audit.Origin) (content.Translation, error)

	// Schedule approves revision id, which must be in review, for
	// publication at the time at, recording o.Actor and reason as Approve
	// does. Returns NotFound, or Invalid when the revision is not in
	// review or at is zero.
	Schedule(ctx context.Context, id int64, at time.Time, reason string, o audit.Origin) error

	// Unschedule cancels the scheduled publication of revision id, which
	// stays in review. Returns NotFound, or Conflict when it is not
	// scheduled (any more).
	Unschedule(ctx context.Context, id int64, o audit.Origin) error

	// Scheduled returns the revisions waiting for their publication time,
	// soonest first, overdue ones included.
	Scheduled(ctx context.Context) ([]content.Revision, error)

	// Pending returns the newest revision of each page and language when
	// it is a draft or in review (scheduled ones included), oldest first:
	// the work in progress that the staff dashboard counts.
	Pending(ctx context.Context) ([]content.Revision, error)

	// PublishScheduled publishes revision id if it is scheduled and its
	// time has come by the store's clock, clearing the schedule in the
	// same transaction: however many schedulers race, it is published
	// once. Returns NotFound, Conflict when it is not (or no longer)
	// scheduled or not yet due, or what Publish returns.
	PublishScheduled(ctx context.Context, id int64, o audit.Origin) (content.Translation, error)

	// Archive moves revision id to archived, withdrawing it from the
	// public site if it is the published one. Returns NotFound.
	Archive(ctx context.Context, id int64, o audit.Origin) error

	// History returns the publications of a page in one language, newest
	// first. The public change history shows those with Updated set.
	History(ctx context.Context, key string, l lang.Lang) ([]content.Publication, error)

	// SetReviewBy sets the date by which a page must be re-checked (only
	// its year, month and day count), or clears it with the zero time.
	// Returns NotFound.
	SetReviewBy(ctx context.Context, key string, date time.Time) error

	// TranslationGaps returns the pages with French content whose English
	// version has no content, or was published before the French source's
	// "Last update", in page order.
	TranslationGaps(ctx context.Context) ([]content.TranslationGap, error)
}
