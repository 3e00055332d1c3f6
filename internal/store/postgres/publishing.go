package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"portail/internal/apperr"
	"portail/internal/audit"
	"portail/internal/content"
	"portail/internal/lang"
	"portail/internal/store"
)

// errChanged refuses a transition whose conditions no longer hold:
// another request changed the revision, or the public page, since the
// decision was made.
func errChanged(id int64) error {
	return &apperr.Error{Kind: apperr.Conflict, Msg: fmt.Sprintf("revision %d changed since the decision", id),
		Problems: map[string]string{"workflow": "workflow.changed"}}
}

// Apply implements store.Publishing.
func (d *DB) Apply(ctx context.Context, t content.Transition, o audit.Origin) (content.Revision, error) {
	if err := t.Validate(); err != nil {
		return content.Revision{}, fmt.Errorf("postgres: apply: %w", err)
	}
	now := d.clock()
	var out content.Revision
	err := d.tx(ctx, func(tx pgx.Tx) error {
		var err error
		out, err = apply(ctx, tx, t, now)
		if err != nil {
			return err
		}
		if e, ok := store.AuditEntry(t, o); ok {
			_, err = d.appendAudit(ctx, tx, e)
		}
		return err
	})
	if err != nil {
		return content.Revision{}, fmt.Errorf("postgres: %s %d: %w", t.Action, t.Revision, err)
	}
	return out, nil
}

// ApplyAll implements store.Publishing.
func (d *DB) ApplyAll(ctx context.Context, ts []content.Transition, o audit.Origin) ([]content.Revision, error) {
	if len(ts) == 0 {
		return nil, apperr.New(apperr.Invalid, "postgres: apply: no transition")
	}
	for _, t := range ts {
		if err := t.Validate(); err != nil {
			return nil, fmt.Errorf("postgres: apply: %w", err)
		}
	}
	now := d.clock()
	var out []content.Revision
	err := d.tx(ctx, func(tx pgx.Tx) error {
		out = out[:0]
		for _, t := range ts {
			r, err := apply(ctx, tx, t, now)
			if err != nil {
				return fmt.Errorf("%s %d: %w", t.Action, t.Revision, err)
			}
			if e, ok := store.AuditEntry(t, o); ok {
				if _, err := d.appendAudit(ctx, tx, e); err != nil {
					return err
				}
			}
			out = append(out, r)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: apply all: %w", err)
	}
	return out, nil
}

// apply carries out t within tx: first its conditions, in the statement
// that claims the revision, then its changes. It is the one code path of
// every workflow transition.
func apply(ctx context.Context, tx pgx.Tx, t content.Transition, now time.Time) (content.Revision, error) {
	cond := `id = $5 AND state = $6 AND publish_at IS NOT DISTINCT FROM $7::timestamptz`
	args := []any{string(t.To), nullTimeArg(t.PublishAt), t.Approval.By, t.Approval.Reason,
		t.Revision, string(t.From), nullTimeArg(t.FromPublishAt)}
	if t.Due {
		cond += ` AND publish_at <= $8`
		args = append(args, now)
	}
	res, err := tx.Exec(ctx, `UPDATE revisions SET state = $1, publish_at = $2, approved_by = $3, approval_reason = $4 WHERE `+cond, args...)
	if err != nil {
		return content.Revision{}, err
	}
	if res.RowsAffected() != 1 {
		if _, err := revisionIn(ctx, tx, t.Revision); err != nil {
			return content.Revision{}, err // NotFound
		}
		return content.Revision{}, errChanged(t.Revision)
	}
	if t.CheckPublic {
		var public pgtype.Int8
		err := tx.QueryRow(ctx, `SELECT revision_id FROM translations WHERE page_key = $1 AND lang = $2`, t.PageKey, string(t.Lang)).Scan(&public)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return content.Revision{}, err
		}
		if public.Int64 != t.Public {
			return content.Revision{}, errChanged(t.Revision)
		}
	}
	if t.Returned.By != "" {
		if _, err := tx.Exec(ctx, `UPDATE revisions SET returned_by = $1, returned_at = $2, return_comment = $3 WHERE id = $4`,
			t.Returned.By, pgTime(now), t.Returned.Comment, t.Revision); err != nil {
			return content.Revision{}, err
		}
	}
	if t.To == content.Published {
		if _, err := publish(ctx, tx, t.Revision, now, t.Approval, t.Due); err != nil {
			return content.Revision{}, err
		}
	}
	if t.Withdraw {
		if err := withdraw(ctx, tx, t.Revision, now); err != nil {
			return content.Revision{}, err
		}
	}
	if t.Copy.PageKey != "" {
		c := t.Copy
		c.ID, c.Created = 0, now
		if err := c.Validate(); err != nil {
			return content.Revision{}, err
		}
		return insertRevision(ctx, tx, c)
	}
	return revisionIn(ctx, tx, t.Revision)
}

// Scheduled implements store.Publishing.
func (d *DB) Scheduled(ctx context.Context) ([]content.Revision, error) {
	out, err := queryAll(ctx, d.pool, scanRevision, `SELECT `+revisionColumns+` FROM revisions
		WHERE publish_at IS NOT NULL AND state = 'review' ORDER BY publish_at, id`)
	if err != nil {
		return nil, fmt.Errorf("postgres: scheduled: %w", err)
	}
	return out, nil
}

// Pending implements store.Publishing.
func (d *DB) Pending(ctx context.Context) ([]content.Revision, error) {
	out, err := queryAll(ctx, d.pool, scanRevision, `SELECT `+revisionColumns+` FROM revisions
		WHERE state IN ('draft', 'review')
		AND id = (SELECT MAX(n.id) FROM revisions n WHERE n.page_key = revisions.page_key AND n.lang = revisions.lang)
		ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("postgres: pending: %w", err)
	}
	return out, nil
}

// History implements store.Publishing.
func (d *DB) History(ctx context.Context, key string, l lang.Lang) ([]content.Publication, error) {
	out, err := queryAll(ctx, d.pool, func(sc scanner) (content.Publication, error) {
		var p content.Publication
		var at pgtype.Timestamptz
		err := sc.Scan(&p.RevisionID, &p.PageKey, &p.Lang, &at, &p.Updated, &p.ChangeNote, &p.By, &p.Reason, &p.Scheduled)
		p.At = utc(at)
		return p, err
	}, `SELECT revision_id, page_key, lang, published_at, updated, change_note, approved_by, reason, scheduled
		FROM publications WHERE page_key = $1 AND lang = $2 ORDER BY id DESC`, key, string(l))
	if err != nil {
		return nil, fmt.Errorf("postgres: history of %q: %w", key, err)
	}
	return out, nil
}

// SetReviewBy implements store.Publishing.
func (d *DB) SetReviewBy(ctx context.Context, key string, date time.Time) error {
	res, err := d.pool.Exec(ctx, `UPDATE pages SET review_by = $1 WHERE key = $2`, dateArg(date), key)
	if err != nil {
		return fmt.Errorf("postgres: review-by of %q: %w", key, err)
	}
	if res.RowsAffected() == 0 {
		return apperr.New(apperr.NotFound, "postgres: page %q", key)
	}
	return nil
}

// TranslationGaps implements store.Publishing.
func (d *DB) TranslationGaps(ctx context.Context) ([]content.TranslationGap, error) {
	out, err := queryAll(ctx, d.pool, func(sc scanner) (content.TranslationGap, error) {
		var g content.TranslationGap
		var frUpdated, enPublished pgtype.Timestamptz
		err := sc.Scan(&g.PageKey, &g.Section, &g.FRPath, &g.FRTitle, &frUpdated, &g.ENPath, &g.ENTitle, &enPublished)
		g.FRUpdated, g.ENPublished = utc(frUpdated), utc(enPublished)
		return g, err
	}, `SELECT p.key, p.section, fr.path, rf.title, fr.updated_at,
			COALESCE(en.path, ''), COALESCE(re.title, ''), re.published_at
		FROM pages p
		JOIN translations fr ON fr.page_key = p.key AND fr.lang = 'fr'
		JOIN revisions rf ON rf.id = fr.revision_id
		LEFT JOIN translations en ON en.page_key = p.key AND en.lang = 'en'
		LEFT JOIN revisions re ON re.id = en.revision_id
		WHERE NOT p.french_only AND (re.id IS NULL OR re.published_at < fr.updated_at)`)
	if err != nil {
		return nil, fmt.Errorf("postgres: translation gaps: %w", err)
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
		return nil, fmt.Errorf("postgres: edit of %q: %w", e.PageKey, err)
	}
	now := d.clock()
	var out []content.Revision
	err := d.tx(ctx, func(tx pgx.Tx) error {
		out = nil // this may be a retry
		if err := pageExists(ctx, tx, e.PageKey); err != nil {
			return err
		}
		// First every language's base, so that a refusal names them all.
		var write []content.Revision
		stale := map[string]string{}
		for _, r := range e.Revisions {
			how, err := saveOutcome(ctx, tx, r, e.Bases[r.Lang])
			if err != nil {
				return err
			}
			switch how {
			case content.Stale:
				stale[string(r.Lang)+".base"] = "form.base.stale"
			case content.Write:
				write = append(write, r)
			}
		}
		if len(stale) > 0 {
			return &apperr.Error{Kind: apperr.Conflict, Msg: "saved since the editor was opened", Problems: stale}
		}
		for _, r := range write {
			r.Created = now
			saved, err := insertRevision(ctx, tx, r)
			if err != nil {
				return perLang(r.Lang, err)
			}
			out = append(out, saved)
		}
		for _, t := range e.Steps {
			if _, err := apply(ctx, tx, t, now); err != nil {
				if apperr.KindOf(err) == apperr.Conflict {
					return &apperr.Error{Kind: apperr.Conflict, Msg: string(t.Lang), Err: err,
						Problems: map[string]string{string(t.Lang) + ".base": "workflow.changed"}}
				}
				return err
			}
		}
		_, err := tx.Exec(ctx, `UPDATE pages SET review_by = $1, french_only = $2 WHERE key = $3`, dateArg(e.ReviewBy), e.FrenchOnly, e.PageKey)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: edit of %q: %w", e.PageKey, err)
	}
	return out, nil
}

// perLang names the field problems of err after language l, as the
// editor's fields are named.
func perLang(l lang.Lang, err error) error {
	p := apperr.ProblemsOf(err)
	if p == nil {
		return err
	}
	q := map[string]string{}
	for f, k := range p {
		q[string(l)+"."+f] = k
	}
	return &apperr.Error{Kind: apperr.KindOf(err), Msg: string(l), Problems: q, Err: err}
}

// saveOutcome reads, within tx, the base of r (0: none) and the newest
// revision of its page and language, and returns what content.SaveOutcome
// says saving r does.
func saveOutcome(ctx context.Context, tx pgx.Tx, r content.Revision, base int64) (content.Outcome, error) {
	var b content.Revision
	if base != 0 {
		var err error
		b, err = revisionIn(ctx, tx, base)
		if errors.Is(err, apperr.NotFound) || err == nil && (b.PageKey != r.PageKey || b.Lang != r.Lang) {
			return 0, &apperr.Error{Kind: apperr.Invalid, Msg: fmt.Sprintf("base %d is not a revision of %s/%s", base, r.PageKey, r.Lang),
				Problems: map[string]string{string(r.Lang) + ".base": "form.base.invalid"}}
		}
		if err != nil {
			return 0, err
		}
	}
	newest, err := scanRevision(tx.QueryRow(ctx, `SELECT `+revisionColumns+` FROM revisions
		WHERE page_key = $1 AND lang = $2 ORDER BY id DESC LIMIT 1`, r.PageKey, string(r.Lang)))
	if errors.Is(err, pgx.ErrNoRows) {
		newest, err = content.Revision{}, nil
	}
	if err != nil {
		return 0, err
	}
	return content.SaveOutcome(r, b, newest), nil
}
