package postgres

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"portail/internal/apperr"
	"portail/internal/audit"
	"portail/internal/change"
	"portail/internal/lang"
	"portail/internal/media"
)

// SaveMedia implements store.Media.
func (d *DB) SaveMedia(ctx context.Context, f media.File, o audit.Origin) (media.File, error) {
	sum := sha256.Sum256(f.Data)
	if media.Sniff(f.Data) != f.Type || f.Size != int64(len(f.Data)) || f.SHA256 != hex.EncodeToString(sum[:]) || f.Name == "" {
		return media.File{}, &apperr.Error{Kind: apperr.Invalid, Msg: "postgres: media does not match its data", Problems: map[string]string{"file": "form.file.type"}}
	}
	f.Uploaded, f.By = d.clock(), o.Actor
	err := d.tx(ctx, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `INSERT INTO media (name, type, size, sha256, data, uploaded_at, uploaded_by) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
			f.Name, f.Type, f.Size, f.SHA256, f.Data, f.Uploaded, f.By).Scan(&f.ID)
		if err != nil {
			return err
		}
		_, err = d.appendAudit(ctx, tx, entry(o, audit.MediaUpload, strconv.FormatInt(f.ID, 10),
			fmt.Sprintf("%s %s %d %s", f.Name, f.Type, f.Size, f.SHA256)))
		return err
	})
	if err != nil {
		return media.File{}, fmt.Errorf("postgres: save media: %w", err)
	}
	return f, nil
}

// mediaColumns are the columns of a file without its data, in the order
// scanMedia reads them.
const mediaColumns = `id, name, type, size, sha256, uploaded_at, uploaded_by, published_at`

// scanMedia reads mediaColumns, then the data into f.Data when data is set.
func scanMedia(sc scanner, data bool) (media.File, error) {
	var f media.File
	var at, published pgtype.Timestamptz
	dest := []any{&f.ID, &f.Name, &f.Type, &f.Size, &f.SHA256, &at, &f.By, &published}
	if data {
		dest = append(dest, &f.Data)
	}
	err := sc.Scan(dest...)
	f.Uploaded, f.Published = utc(at), utc(published)
	return f, err
}

// MediaFile implements store.Media.
func (d *DB) MediaFile(ctx context.Context, id int64) (media.File, error) {
	f, err := scanMedia(d.pool.QueryRow(ctx, `SELECT `+mediaColumns+`, data FROM media WHERE id = $1`, id), true)
	if err != nil {
		return media.File{}, fmt.Errorf("postgres: media %d: %w", id, notFound(err, "media"))
	}
	return f, nil
}

// PublishedMedia implements store.Media.
func (d *DB) PublishedMedia(ctx context.Context, id int64) (media.File, error) {
	f, err := scanMedia(d.pool.QueryRow(ctx, `SELECT `+mediaColumns+`, data FROM media WHERE id = $1 AND published_at IS NOT NULL`, id), true)
	if err != nil {
		return media.File{}, fmt.Errorf("postgres: published media %d: %w", id, notFound(err, "media"))
	}
	return f, nil
}

// ListMedia implements store.Media.
func (d *DB) ListMedia(ctx context.Context) ([]media.File, error) {
	out, err := queryAll(ctx, d.pool, func(sc scanner) (media.File, error) { return scanMedia(sc, false) },
		`SELECT `+mediaColumns+` FROM media ORDER BY id DESC`)
	if err != nil {
		return nil, fmt.Errorf("postgres: media: %w", err)
	}
	return out, nil
}

// PublishMedia implements store.Media.
func (d *DB) PublishMedia(ctx context.Context, id int64, o audit.Origin) (media.File, error) {
	var f media.File
	err := d.tx(ctx, func(tx pgx.Tx) error {
		// Conditioned on the state the request saw: of two staff who
		// publish at once, one publishes and the other is told.
		res, err := tx.Exec(ctx, `UPDATE media SET published_at = $1 WHERE id = $2 AND published_at IS NULL`, d.clock(), id)
		if err != nil {
			return err
		}
		if f, err = scanMedia(tx.QueryRow(ctx, `SELECT `+mediaColumns+` FROM media WHERE id = $1`, id), false); err != nil {
			return notFound(err, "media")
		}
		if res.RowsAffected() == 0 {
			return apperr.New(apperr.Conflict, "media %d is already published", id)
		}
		// The file's public URLs now answer.
		if err := appendChange(ctx, tx, d.clock(), change.File, strconv.FormatInt(id, 10)); err != nil {
			return err
		}
		_, err = d.appendAudit(ctx, tx, entry(o, audit.MediaPublish, strconv.FormatInt(id, 10), f.Name))
		return err
	})
	if err != nil {
		return media.File{}, fmt.Errorf("postgres: publish media %d: %w", id, err)
	}
	return f, nil
}

// WithdrawMedia implements store.Media.
func (d *DB) WithdrawMedia(ctx context.Context, id int64, o audit.Origin) error {
	err := d.tx(ctx, func(tx pgx.Tx) error {
		var name string
		if err := tx.QueryRow(ctx, `SELECT name FROM media WHERE id = $1`, id).Scan(&name); err != nil {
			return notFound(err, "media")
		}
		res, err := tx.Exec(ctx, `UPDATE media SET published_at = NULL WHERE id = $1 AND published_at IS NOT NULL`, id)
		if err != nil {
			return err
		}
		if res.RowsAffected() == 0 {
			return apperr.New(apperr.Conflict, "media %d is not published", id)
		}
		// The file's public URLs now answer 404.
		if err := appendChange(ctx, tx, d.clock(), change.File, strconv.FormatInt(id, 10)); err != nil {
			return err
		}
		_, err = d.appendAudit(ctx, tx, entry(o, audit.MediaWithdraw, strconv.FormatInt(id, 10), name))
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: withdraw media %d: %w", id, err)
	}
	return nil
}

// DeleteMedia implements store.Media.
func (d *DB) DeleteMedia(ctx context.Context, id int64, o audit.Origin) ([]media.Use, error) {
	var uses []media.Use
	err := d.tx(ctx, func(tx pgx.Tx) error {
		f, err := scanMedia(tx.QueryRow(ctx, `SELECT `+mediaColumns+` FROM media WHERE id = $1`, id), false)
		if err != nil {
			return notFound(err, "media")
		}
		// Read in the deleting transaction, which is serializable: a
		// revision saved meanwhile that uses the file makes one of the
		// two run again, so no page can lose its file.
		all, err := mediaUses(ctx, tx)
		if err != nil {
			return err
		}
		if uses = all[id]; len(uses) > 0 {
			return apperr.New(apperr.Conflict, "media %d is used by %d pages", id, len(uses))
		}
		if _, err := tx.Exec(ctx, `DELETE FROM media WHERE id = $1`, id); err != nil {
			return err
		}
		// When the file was published, its public URLs now answer 404.
		if f.IsPublished() {
			if err := appendChange(ctx, tx, d.clock(), change.File, strconv.FormatInt(id, 10)); err != nil {
				return err
			}
		}
		_, err = d.appendAudit(ctx, tx, entry(o, audit.MediaDelete, strconv.FormatInt(id, 10),
			fmt.Sprintf("%s %s %d %s", f.Name, f.Type, f.Size, f.SHA256)))
		return err
	})
	if err != nil {
		return uses, fmt.Errorf("postgres: delete media %d: %w", id, err)
	}
	return nil, nil
}

// MediaUses implements store.Media.
func (d *DB) MediaUses(ctx context.Context) (map[int64][]media.Use, error) {
	uses, err := mediaUses(ctx, d.pool)
	if err != nil {
		return nil, fmt.Errorf("postgres: media uses: %w", err)
	}
	return uses, nil
}

// mediaUses reads the bodies of the revisions that are not archived and
// mention a file's path at all, newest first per page and language, and
// keeps for each file the newest of each page and language that refers
// to it (media.Refs decides).
func mediaUses(ctx context.Context, q querier) (map[int64][]media.Use, error) {
	rows, err := q.Query(ctx, `SELECT id, page_key, lang, title, body FROM revisions
		WHERE state <> 'archived' AND (strpos(body, '/fichiers/') > 0 OR strpos(body, '/files/') > 0 OR strpos(body, '/admin/media/') > 0)
		ORDER BY page_key, lang <> 'fr', id DESC`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64][]media.Use{}
	type seenKey struct {
		file int64
		page string
		lang lang.Lang
	}
	seen := map[seenKey]bool{}
	for rows.Next() {
		var u media.Use
		var body string
		if err := rows.Scan(&u.RevisionID, &u.PageKey, &u.Lang, &u.Title, &body); err != nil {
			return nil, err
		}
		for _, id := range media.Refs(body) {
			k := seenKey{id, u.PageKey, u.Lang}
			if !seen[k] {
				seen[k] = true
				out[id] = append(out[id], u)
			}
		}
	}
	return out, rows.Err()
}
