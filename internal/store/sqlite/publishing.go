package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"time"

	"portail/internal/apperr"
	"portail/internal/audit"
	"portail/internal/content"
	"portail/internal/lang"
)

func pageTarget(r content.Revision) string { return r.PageKey + "/" + string(r.Lang) }

func revisionDetail(id int64, reason string) string {
	d := "revision " + strconv.FormatInt(id, 10)
	if reason != "" {
		d += "; reason: " + reason
	}
	return d
}

// Approve implements store.Publishing.
func (d *DB) Approve(ctx context.Context, id int64, reason string, o audit.Origin) (content.Translation, error) {
	now := d.now().UTC()
	err := d.tx(ctx, func(tx *sql.Tx) error {
		r, err := publish(ctx, tx, id, now, content.Approval{By: o.Actor, Reason: reason}, false)
		if err != nil {
			return err
		}
		_, err = d.appendAudit(ctx, tx, entry(o, audit.PagePublish, pageTarget(r), revisionDetail(id, reason)))
		return err
	})
	if err != nil {
		return content.Translation{}, fmt.Errorf("sqlite: approve %d: %w", id, err)
	}
	return d.translation(ctx, id)
}

// Schedule implements store.Publishing.
func (d *DB) Schedule(ctx context.Context, id int64, at time.Time, reason string, o audit.Origin) error {
	if at.IsZero() {
		return &apperr.Error{Kind: apperr.Invalid, Msg: "sqlite: schedule without a time", Problems: map[string]string{"publish_at": "form.required"}}
	}
	err := d.tx(ctx, func(tx *sql.Tx) error {
		r, err := scanRevision(tx.QueryRowContext(ctx, `SELECT `+revisionColumns+` FROM revisions WHERE id = ?`, id))
		if err != nil {
			return notFound(err, "revision")
		}
		if r.State != content.Review {
			return &apperr.Error{Kind: apperr.Invalid, Msg: "sqlite: only a revision in review is scheduled",
				Problems: map[string]string{"workflow": "workflow.state"}}
		}
		// The change note is checked now, not when nobody is there to fix it.
		r.State = content.Published
		if err := r.Validate(); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE revisions SET publish_at = ?, approved_by = ?, approval_reason = ? WHERE id = ?`,
			fmtTime(at), o.Actor, reason, id); err != nil {
			return err
		}
		_, err = d.appendAudit(ctx, tx, entry(o, audit.PageSchedule, pageTarget(r), revisionDetail(id, reason)+"; at "+fmtTime(at)))
		return err
	})
	if err != nil {
		return fmt.Errorf("sqlite: schedule %d: %w", id, err)
	}
	return nil
}

// Unschedule implements store.Publishing.
func (d *DB) Unschedule(ctx context.Context, id int64, o audit.Origin) error {
	err := d.tx(ctx, func(tx *sql.Tx) error {
		r, err := scanRevision(tx.QueryRowContext(ctx, `SELECT `+revisionColumns+` FROM revisions WHERE id = ?`, id))
		if err != nil {
			return notFound(err, "revision")
		}
		if r.PublishAt.IsZero() {
			return apperr.New(apperr.Conflict, "revision %d is not scheduled", id)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE revisions SET publish_at = NULL, approved_by = '', approval_reason = '' WHERE id = ?`, id); err != nil {
			return err
		}
		_, err = d.appendAudit(ctx, tx, entry(o, audit.PageUnschedule, pageTarget(r), revisionDetail(id, "")))
		return err
	})
	if err != nil {
		return fmt.Errorf("sqlite: unschedule %d: %w", id, err)
	}
	return nil
}

// Scheduled implements store.Publishing.
func (d *DB) Scheduled(ctx context.Context) ([]content.Revision, error) {
	out, err := queryAll(ctx, d.db, scanRevision, `SELECT `+revisionColumns+` FROM revisions
		WHERE publish_at IS NOT NULL AND state = 'review' ORDER BY publish_at, id`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: scheduled: %w", err)
	}
	return out, nil
}

// Pending implements store.Publishing.
func (d *DB) Pending(ctx context.Context) ([]content.Revision, error) {
	out, err := queryAll(ctx, d.db, scanRevision, `SELECT `+revisionColumns+` FROM revisions r
		WHERE state IN ('draft', 'review')
		AND id = (SELECT MAX(n.id) FROM revisions n WHERE n.page_key = r.page_key AND n.lang = r.lang)
		ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: pending: %w", err)
	}
	return out, nil
}

// PublishScheduled implements store.Publishing.
func (d *DB) PublishScheduled(ctx context.Context, id int64, o audit.Origin) (content.Translation, error) {
	now := d.now().UTC()
	err := d.tx(ctx, func(tx *sql.Tx) error {
		r, err := scanRevision(tx.QueryRowContext(ctx, `SELECT `+revisionColumns+` FROM revisions WHERE id = ?`, id))
		if err != nil {
			return notFound(err, "revision")
		}
		// Claiming the schedule and publishing share the transaction: a
		// second scheduler finds publish_at cleared and does nothing.
		res, err := tx.ExecContext(ctx, `UPDATE revisions SET publish_at = NULL
			WHERE id = ? AND state = 'review' AND publish_at IS NOT NULL AND publish_at <= ?`, id, fmtTime(now))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return apperr.New(apperr.Conflict, "revision %d is not due", id)
		}
		if _, err := publish(ctx, tx, id, now, r.Approved, true); err != nil {
			return err
		}
		_, err = d.appendAudit(ctx, tx, entry(o, audit.PagePublish, pageTarget(r),
			revisionDetail(id, r.Approved.Reason)+"; scheduled at "+fmtTime(r.PublishAt)+" by "+r.Approved.By))
		return err
	})
	if err != nil {
		return content.Translation{}, fmt.Errorf("sqlite: publish scheduled %d: %w", id, err)
	}
	return d.translation(ctx, id)
}

// Archive implements store.Publishing.
func (d *DB) Archive(ctx context.Context, id int64, o audit.Origin) error {
	err := d.tx(ctx, func(tx *sql.Tx) error {
		r, err := scanRevision(tx.QueryRowContext(ctx, `SELECT `+revisionColumns+` FROM revisions WHERE id = ?`, id))
		if err != nil {
			return notFound(err, "revision")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE revisions SET state = 'archived', publish_at = NULL WHERE id = ?`, id); err != nil {
			return err
		}
		if err := appendWithdrawal(ctx, tx, d.now().UTC(), id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE translations SET revision_id = NULL WHERE revision_id = ?`, id); err != nil {
			return err
		}
		_, err = d.appendAudit(ctx, tx, entry(o, audit.PageArchive, pageTarget(r), revisionDetail(id, "")+"; was "+string(r.State)))
		return err
	})
	if err != nil {
		return fmt.Errorf("sqlite: archive %d: %w", id, err)
	}
	return nil
}

// History implements store.Publishing.
func (d *DB) History(ctx context.Context, key string, l lang.Lang) ([]content.Publication, error) {
	out, err := queryAll(ctx, d.db, func(sc scanner) (content.Publication, error) {
		var p content.Publication
		var at string
		err := sc.Scan(&p.RevisionID, &p.PageKey, &p.Lang, &at, &p.Updated, &p.ChangeNote, &p.By, &p.Reason, &p.Scheduled)
		p.At = parseTime(at)
		return p, err
	}, `SELECT revision_id, page_key, lang, published_at, updated, change_note, approved_by, reason, scheduled
		FROM publications WHERE page_key = ? AND lang = ? ORDER BY id DESC`, key, string(l))
	if err != nil {
		return nil, fmt.Errorf("sqlite: history of %q: %w", key, err)
	}
	return out, nil
}

// SetReviewBy implements store.Publishing.
func (d *DB) SetReviewBy(ctx context.Context, key string, date time.Time) error {
	var v sql.NullString
	if !date.IsZero() {
		v = sql.NullString{String: date.Format(dateFormat), Valid: true}
	}
	res, err := d.db.ExecContext(ctx, `UPDATE pages SET review_by = ? WHERE key = ?`, v, key)
	if err != nil {
		return fmt.Errorf("sqlite: review-by of %q: %w", key, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return apperr.New(apperr.NotFound, "sqlite: page %q", key)
	}
	return nil
}

// TranslationGaps implements store.Publishing.
func (d *DB) TranslationGaps(ctx context.Context) ([]content.TranslationGap, error) {
	out, err := queryAll(ctx, d.db, func(sc scanner) (content.TranslationGap, error) {
		var g content.TranslationGap
		var frUpdated, enPublished sql.NullString
		err := sc.Scan(&g.PageKey, &g.Section, &g.FRPath, &g.FRTitle, &frUpdated, &g.ENPath, &g.ENTitle, &enPublished)
		g.FRUpdated, g.ENPublished = nullTime(frUpdated), nullTime(enPublished)
		return g, err
	}, `SELECT p.key, p.section, fr.path, rf.title, fr.updated_at,
			COALESCE(en.path, ''), COALESCE(re.title, ''), re.published_at
		FROM pages p
		JOIN translations fr ON fr.page_key = p.key AND fr.lang = 'fr'
		JOIN revisions rf ON rf.id = fr.revision_id
		LEFT JOIN translations en ON en.page_key = p.key AND en.lang = 'en'
		LEFT JOIN revisions re ON re.id = en.revision_id
		WHERE re.id IS NULL OR re.published_at < fr.updated_at`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: translation gaps: %w", err)
	}
	pages, err := d.ListPages(ctx)
	if err != nil {
		return nil, err
	}
	rank := map[string]int{}
	for i, p := range pages {
		rank[p.Key] = i
	}
	slices.SortStableFunc(out, func(a, b content.TranslationGap) int { return rank[a.PageKey] - rank[b.PageKey] })
	return out, nil
}

// SaveEdit implements store.Publishing.
func (d *DB) SaveEdit(ctx context.Context, e content.Edit) ([]content.Revision, error) {
	e.Revisions = slices.Clone(e.Revisions)
	for i := range e.Revisions {
		if e.Revisions[i].State == "" {
			e.Revisions[i].State = content.Draft
		}
	}
	if err := e.Validate(); err != nil {
		return nil, fmt.Errorf("sqlite: edit of %q: %w", e.PageKey, err)
	}
	now := d.now().UTC()
	out := make([]content.Revision, 0, len(e.Revisions))
	err := d.tx(ctx, func(tx *sql.Tx) error {
		if err := pageExists(ctx, tx, e.PageKey); err != nil {
			return err
		}
		for _, r := range e.Revisions {
			r.Created = now
			saved, err := insertRevision(ctx, tx, r)
			if err != nil {
				if p := apperr.ProblemsOf(err); p != nil {
					q := map[string]string{}
					for f, k := range p {
						q[string(r.Lang)+"."+f] = k
					}
					return &apperr.Error{Kind: apperr.KindOf(err), Msg: string(r.Lang), Problems: q, Err: err}
				}
				return err
			}
			out = append(out, saved)
		}
		var reviewBy sql.NullString
		if !e.ReviewBy.IsZero() {
			reviewBy = sql.NullString{String: e.ReviewBy.Format(dateFormat), Valid: true}
		}
		_, err := tx.ExecContext(ctx, `UPDATE pages SET review_by = ? WHERE key = ?`, reviewBy, e.PageKey)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("sqlite: edit of %q: %w", e.PageKey, err)
	}
	return out, nil
}
