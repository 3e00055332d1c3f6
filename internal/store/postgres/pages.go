package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"portail/internal/apperr"
	"portail/internal/change"
	"portail/internal/content"
	"portail/internal/lang"
)

// CreatePage implements store.Pages.
func (d *DB) CreatePage(ctx context.Context, p content.Page) error {
	if !content.ValidKey(p.Key) {
		return apperr.New(apperr.Invalid, "postgres: page %q: bad key", p.Key)
	}
	err := d.tx(ctx, func(tx pgx.Tx) error {
		var one int
		err := tx.QueryRow(ctx, `SELECT 1 FROM sections WHERE key = $1`, string(p.Section)).Scan(&one)
		if errors.Is(err, pgx.ErrNoRows) {
			return &apperr.Error{Kind: apperr.Invalid, Msg: "no section " + string(p.Section), Problems: map[string]string{"section": "form.section.invalid"}}
		}
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO pages (key, section, sort, french_only) VALUES ($1, $2, $3, $4)`, p.Key, string(p.Section), p.Order, p.FrenchOnly)
		if isConstraint(err) {
			return apperr.New(apperr.Conflict, "page %q exists", p.Key)
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: create page %q: %w", p.Key, err)
	}
	return nil
}

// Page implements store.Pages.
func (d *DB) Page(ctx context.Context, key string) (content.Page, error) {
	p, err := scanPage(d.pool.QueryRow(ctx, `SELECT `+pageColumns+` FROM pages WHERE key = $1`, key))
	if err != nil {
		return content.Page{}, fmt.Errorf("postgres: page %q: %w", key, notFound(err, "page"))
	}
	return p, nil
}

// ListPages implements store.Pages.
func (d *DB) ListPages(ctx context.Context) ([]content.Page, error) {
	// In menu order of their sections, then their own.
	out, err := queryAll(ctx, d.pool, scanPage, `SELECT p.key, p.section, p.sort, p.review_by, p.french_only
		FROM pages p LEFT JOIN sections s ON s.key = p.section
		ORDER BY COALESCE(s.sort, 1000000), p.section, p.sort, p.key`)
	if err != nil {
		return nil, fmt.Errorf("postgres: pages: %w", err)
	}
	return out, nil
}

const pageColumns = `key, section, sort, review_by, french_only`

func scanPage(sc scanner) (content.Page, error) {
	var p content.Page
	var reviewBy pgtype.Date
	err := sc.Scan(&p.Key, &p.Section, &p.Order, &reviewBy, &p.FrenchOnly)
	if reviewBy.Valid {
		p.ReviewBy = time.Date(reviewBy.Time.Year(), reviewBy.Time.Month(), reviewBy.Time.Day(), 0, 0, 0, 0, time.UTC)
	}
	return p, err
}

// pathHolder returns the key of the page holding path in language l, or "".
func pathHolder(ctx context.Context, tx pgx.Tx, l lang.Lang, path string) (string, error) {
	var key string
	err := tx.QueryRow(ctx, `SELECT page_key FROM translations WHERE lang = $1 AND path = $2`, string(l), path).Scan(&key)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	return key, err
}

func pathTaken(path string) error {
	return &apperr.Error{Kind: apperr.Conflict, Msg: "path " + path + " is taken", Problems: map[string]string{"path": "form.path.taken"}}
}

func pageExists(ctx context.Context, tx pgx.Tx, key string) error {
	var one int
	err := tx.QueryRow(ctx, `SELECT 1 FROM pages WHERE key = $1`, key).Scan(&one)
	return notFound(err, "page "+key)
}

// ReservePath implements store.Pages.
func (d *DB) ReservePath(ctx context.Context, key string, l lang.Lang, path string) error {
	if !content.ValidPath(path) {
		return &apperr.Error{Kind: apperr.Invalid, Problems: map[string]string{"path": "form.path.invalid"}}
	}
	err := d.tx(ctx, func(tx pgx.Tx) error {
		if err := pageExists(ctx, tx, key); err != nil {
			return err
		}
		holder, err := pathHolder(ctx, tx, l, path)
		if err != nil {
			return err
		}
		if holder != "" && holder != key {
			return pathTaken(path)
		}
		if err := appendChange(ctx, tx, d.clock(), change.Page, key); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO translations (page_key, lang, path) VALUES ($1, $2, $3)
			ON CONFLICT (page_key, lang) DO UPDATE SET path = excluded.path`, key, string(l), path)
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: reserve %s %q: %w", l, path, err)
	}
	return nil
}

// SaveRevision implements store.Pages.
func (d *DB) SaveRevision(ctx context.Context, r content.Revision) (content.Revision, error) {
	if r.State == "" {
		r.State = content.Draft
	}
	if err := r.Validate(); err != nil {
		return content.Revision{}, err
	}
	if r.State != content.Draft && r.State != content.Review {
		return content.Revision{}, apperr.New(apperr.Invalid, "postgres: a revision is saved as draft or review, not %s", r.State)
	}
	r.Created = d.clock()
	err := d.tx(ctx, func(tx pgx.Tx) error {
		var err error
		r, err = insertRevision(ctx, tx, r)
		return err
	})
	if err != nil {
		return content.Revision{}, fmt.Errorf("postgres: save revision of %q: %w", r.PageKey, err)
	}
	return r, nil
}

// insertRevision appends r, already validated, within tx.
func insertRevision(ctx context.Context, tx pgx.Tx, r content.Revision) (content.Revision, error) {
	if err := pageExists(ctx, tx, r.PageKey); err != nil {
		return r, err
	}
	holder, err := pathHolder(ctx, tx, r.Lang, r.Path)
	if err != nil {
		return r, err
	}
	if holder != "" && holder != r.PageKey {
		return r, pathTaken(r.Path)
	}
	r.Created = pgTime(r.Created)
	err = tx.QueryRow(ctx, `INSERT INTO revisions
		(page_key, lang, path, title, summary, body, state, author, created_at, note, major, change_note)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
		r.PageKey, string(r.Lang), r.Path, r.Title, r.Summary, r.Body, string(r.State), r.Author,
		r.Created, r.Note, r.Major, r.ChangeNote).Scan(&r.ID)
	if err != nil {
		return r, err
	}
	err = tx.QueryRow(ctx, `SELECT COUNT(*) FROM revisions WHERE page_key = $1 AND lang = $2 AND id <= $3`,
		r.PageKey, string(r.Lang), r.ID).Scan(&r.Number)
	return r, err
}

const revisionColumns = `id, page_key, lang, path, title, summary, body, state, author, created_at, note, major, change_note,
	publish_at, published_at, approved_by, approval_reason, returned_by, returned_at, return_comment,
	(SELECT COUNT(*) FROM revisions n WHERE n.page_key = revisions.page_key AND n.lang = revisions.lang AND n.id <= revisions.id)`

func scanRevision(sc scanner) (content.Revision, error) {
	var r content.Revision
	var created, publishAt, publishedAt, returnedAt pgtype.Timestamptz
	err := sc.Scan(&r.ID, &r.PageKey, &r.Lang, &r.Path, &r.Title, &r.Summary, &r.Body, &r.State, &r.Author, &created, &r.Note, &r.Major, &r.ChangeNote,
		&publishAt, &publishedAt, &r.Approved.By, &r.Approved.Reason, &r.Returned.By, &returnedAt, &r.Returned.Comment, &r.Number)
	r.Created = utc(created)
	r.PublishAt = utc(publishAt)
	r.PublishedAt = utc(publishedAt)
	r.Returned.At = utc(returnedAt)
	return r, err
}

// revisionIn reads revision id within tx.
func revisionIn(ctx context.Context, tx pgx.Tx, id int64) (content.Revision, error) {
	r, err := scanRevision(tx.QueryRow(ctx, `SELECT `+revisionColumns+` FROM revisions WHERE id = $1`, id))
	return r, notFound(err, fmt.Sprintf("revision %d", id))
}

// Revision implements store.Pages.
func (d *DB) Revision(ctx context.Context, id int64) (content.Revision, error) {
	r, err := scanRevision(d.pool.QueryRow(ctx, `SELECT `+revisionColumns+` FROM revisions WHERE id = $1`, id))
	if err != nil {
		return content.Revision{}, fmt.Errorf("postgres: revision %d: %w", id, notFound(err, "revision"))
	}
	return r, nil
}

// Revisions implements store.Pages.
func (d *DB) Revisions(ctx context.Context, key string, l lang.Lang) ([]content.Revision, error) {
	out, err := queryAll(ctx, d.pool, scanRevision, `SELECT `+revisionColumns+` FROM revisions WHERE page_key = $1 AND lang = $2 ORDER BY id DESC`, key, string(l))
	if err != nil {
		return nil, fmt.Errorf("postgres: revisions of %q: %w", key, err)
	}
	return out, nil
}

// publish makes revision id public within tx and records the publication.
// It is the one code path of every publication: by hand, scheduled, seeded.
// The workflow's conditions (state, schedule, which revision is public)
// are checked by the caller, Apply, in the same transaction.
func publish(ctx context.Context, tx pgx.Tx, id int64, now time.Time, ap content.Approval, scheduled bool) (content.Revision, error) {
	r, err := revisionIn(ctx, tx, id)
	if err != nil {
		return r, err
	}
	r.State = content.Published
	if err := r.Validate(); err != nil {
		return r, err
	}
	holder, err := pathHolder(ctx, tx, r.Lang, r.Path)
	if err != nil {
		return r, err
	}
	if holder != "" && holder != r.PageKey {
		return r, pathTaken(r.Path)
	}
	var oldPath string
	var oldUpdated pgtype.Timestamptz
	err = tx.QueryRow(ctx, `SELECT path, updated_at FROM translations WHERE page_key = $1 AND lang = $2`, r.PageKey, string(r.Lang)).Scan(&oldPath, &oldUpdated)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
	case err != nil:
		return r, err
	case oldPath != r.Path:
		if _, err := tx.Exec(ctx, `INSERT INTO redirects (lang, path, page_key) VALUES ($1, $2, $3)
			ON CONFLICT (lang, path) DO UPDATE SET page_key = excluded.page_key`, string(r.Lang), oldPath, r.PageKey); err != nil {
			return r, err
		}
	}
	// A page's new path must not stay a redirect to somewhere else.
	if _, err := tx.Exec(ctx, `DELETE FROM redirects WHERE lang = $1 AND path = $2`, string(r.Lang), r.Path); err != nil {
		return r, err
	}
	updated := oldUpdated
	moved := r.Major || !oldUpdated.Valid
	if moved {
		updated = pgtype.Timestamptz{Time: now, Valid: true}
	}
	if _, err := tx.Exec(ctx, `INSERT INTO translations (page_key, lang, path, revision_id, updated_at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (page_key, lang) DO UPDATE SET path = excluded.path, revision_id = excluded.revision_id, updated_at = excluded.updated_at`,
		r.PageKey, string(r.Lang), r.Path, r.ID, updated); err != nil {
		return r, err
	}
	if _, err := tx.Exec(ctx, `UPDATE revisions SET state = 'published', published_at = $1, publish_at = NULL,
		approved_by = $2, approval_reason = $3 WHERE id = $4`, pgTime(now), ap.By, ap.Reason, id); err != nil {
		return r, err
	}
	if err := appendChange(ctx, tx, now, change.Page, r.PageKey); err != nil {
		return r, err
	}
	_, err = tx.Exec(ctx, `INSERT INTO publications (revision_id, page_key, lang, published_at, updated, change_note, approved_by, reason, scheduled)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		r.ID, r.PageKey, string(r.Lang), pgTime(now), moved, r.ChangeNote, ap.By, ap.Reason, scheduled)
	r.PublishedAt, r.PublishAt, r.Approved = now, time.Time{}, ap
	return r, err
}

// withdraw takes revision id off the public site: its page keeps its path
// in that language, with no content. It is the one code path of every
// withdrawal, and appends its change record (none when the revision was
// not the public one).
func withdraw(ctx context.Context, tx pgx.Tx, id int64, now time.Time) error {
	if err := appendWithdrawal(ctx, tx, now, id); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `UPDATE translations SET revision_id = NULL WHERE revision_id = $1`, id)
	return err
}

const translationQuery = `SELECT t.page_key, p.section, p.sort, t.lang, t.path, COALESCE(t.revision_id, 0),
	COALESCE(r.title, ''), COALESCE(r.summary, ''), COALESCE(r.body, ''), t.updated_at
	FROM translations t JOIN pages p ON p.key = t.page_key LEFT JOIN revisions r ON r.id = t.revision_id`

func scanTranslation(sc scanner) (content.Translation, error) {
	var t content.Translation
	var updated pgtype.Timestamptz
	err := sc.Scan(&t.PageKey, &t.Section, &t.Order, &t.Lang, &t.Path, &t.RevisionID, &t.Title, &t.Summary, &t.Body, &updated)
	t.Updated = utc(updated)
	return t, err
}

// Translation implements store.Pages.
func (d *DB) Translation(ctx context.Context, key string, l lang.Lang) (content.Translation, error) {
	t, err := scanTranslation(d.pool.QueryRow(ctx, translationQuery+` WHERE t.page_key = $1 AND t.lang = $2`, key, string(l)))
	if err != nil {
		return content.Translation{}, fmt.Errorf("postgres: translation %s/%s: %w", key, l, notFound(err, "translation"))
	}
	return t, nil
}

// Translations implements store.Pages.
func (d *DB) Translations(ctx context.Context) ([]content.Translation, error) {
	out, err := queryAll(ctx, d.pool, scanTranslation, translationQuery)
	if err != nil {
		return nil, fmt.Errorf("postgres: translations: %w", err)
	}
	return out, nil
}

// Redirect implements store.Pages.
func (d *DB) Redirect(ctx context.Context, l lang.Lang, path string) (string, error) {
	var key string
	err := d.pool.QueryRow(ctx, `SELECT page_key FROM redirects WHERE lang = $1 AND path = $2`, string(l), path).Scan(&key)
	if err != nil {
		return "", fmt.Errorf("postgres: redirect %s %q: %w", l, path, notFound(err, "redirect"))
	}
	return key, nil
}
