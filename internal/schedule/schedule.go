// Package schedule carries out scheduled publications: on each tick it
// publishes what has fallen due. Each publication appends to the store's
// change feed, which every instance's public site follows, so the
// scheduler needs no public site and may run on any instance.
package schedule

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"portail/internal/apperr"
	"portail/internal/audit"
	"portail/internal/content"
	"portail/internal/store"
)

// Store is what the scheduler needs of the store.
type Store interface {
	store.Stepper
	Scheduled(ctx context.Context) ([]content.Revision, error)
}

// Actor is who the audit log names for scheduled publications; the
// approver recorded at scheduling time stays on the publication.
const Actor = "scheduler"

// actor is the scheduler as the workflow sees it: it carries out
// publications that a reviewer approved, and nothing else.
var actor = content.Actor{Name: Actor}

// Every is how often serve ticks: a publication happens within a minute
// of its time.
const Every = 30 * time.Second

// Scheduler publishes scheduled revisions.
type Scheduler struct {
	store Store
	log   *slog.Logger
	now   func() time.Time
}

// New returns a scheduler reading now for the current time.
func New(s Store, log *slog.Logger, now func() time.Time) *Scheduler {
	return &Scheduler{store: s, log: log, now: now}
}

// Tick publishes every scheduled revision whose time has come and returns
// how many it published. A revision that cannot be published (its path
// was taken since, or a newer revision of its page was published) stays
// scheduled, is logged, and shows as overdue on the staff side.
func (s *Scheduler) Tick(ctx context.Context) (int, error) {
	list, err := s.store.Scheduled(ctx)
	if err != nil {
		return 0, err
	}
	now := s.now()
	var errs []error
	published := 0
	for _, r := range list {
		if r.PublishAt.After(now) {
			break // the list is soonest first
		}
		due := content.Request{Action: content.ActPublishDue}
		if _, err := store.Step(ctx, s.store, actor, r.ID, due, audit.Origin{Actor: Actor}); err != nil {
			// Conflict: another instance published it first, its path is
			// taken, or a newer revision is public; none is this process's
			// failure.
			s.log.Warn("scheduled publication failed", "revision", r.ID, "page", r.PageKey, "lang", r.Lang,
				"due", r.PublishAt, "overdue", r.Overdue(now), "err", err)
			if apperr.KindOf(err) == apperr.Internal {
				errs = append(errs, err)
			}
			continue
		}
		published++
		s.log.Info("scheduled publication", "revision", r.ID, "page", r.PageKey, "lang", r.Lang, "due", r.PublishAt)
	}
	return published, errors.Join(errs...)
}

// Run ticks at once, catching up on what fell due while the server was
// down, then every interval until ctx ends.
func (s *Scheduler) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if _, err := s.Tick(ctx); err != nil && ctx.Err() == nil {
			s.log.Error("scheduler", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
