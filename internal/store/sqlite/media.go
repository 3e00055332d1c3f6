package sqlite

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"strconv"

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
		return media.File{}, &apperr.Error{Kind: apperr.Invalid, Msg: "sqlite: media does not match its data", Problems: map[string]string{"file": "form.file.type"}}
	}
	f.Uploaded, f.By = d.now().UTC(), o.Actor
	err := d.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO media (name, type, size, sha256, data, uploaded_at, uploaded_by) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			f.Name, f.Type, f.Size, f.SHA256, f.Data, fmtTime(f.Uploaded), f.By)
		if err != nil {
			return err
		}
		if f.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		_, err = d.appendAudit(ctx, tx, entry(o, audit.MediaUpload, strconv.FormatInt(f.ID, 10),
			fmt.Sprintf("%s %s %d %s", f.Name, f.Type, f.Size, f.SHA256)))
		return err
	})
	if err != nil {
		return media.File{}, fmt.Errorf("sqlite: save media: %w", err)
	}
	return f, nil
}

// mediaColumns are the columns of a file without its data, in the order
// scanMedia reads them.
const mediaColumns = `id, name, type, size, sha256, uploaded_at, uploaded_by, published_at`

// scanMedia reads mediaColumns, then the data into f.Data when data is set.
func scanMedia(sc scanner, data bool) (media.File, error) {
	var f media.File
	var at string
	var published sql.NullString
	dest := []any{&f.ID, &f.Name, &f.Type, &f.Size, &f.SHA256, &at, &f.By, &published}
	if data {
		dest = append(dest, &f.Data)
	}
	err := sc.Scan(dest...)
	f.Uploaded, f.Published = parseTime(at), nullTime(published)
	return f, err
}

// MediaFile implements store.Media.
func (d *DB) MediaFile(ctx context.Context, id int64) (media.File, error) {
	f, err := scanMedia(d.db.QueryRowContext(ctx, `SELECT `+mediaColumns+`, data FROM media WHERE id = ?`, id), true)
	if err != nil {
		return media.File{}, fmt.Errorf("sqlite: media %d: %w", id, notFound(err, "media"))
	}
	return f, nil
}

// PublishedMedia implements store.Media.
func (d *DB) PublishedMedia(ctx context.Context, id int64) (media.File, error) {
	f, err := scanMedia(d.db.QueryRowContext(ctx, `SELECT `+mediaColumns+`, data FROM media WHERE id = ? AND published_at IS NOT NULL`, id), true)
	if err != nil {
		return media.File{}, fmt.Errorf("sqlite: published media %d: %w", id, notFound(err, "media"))
	}
	return f, nil
}

// ListMedia implements store.Media.
func (d *DB) ListMedia(ctx context.Context) ([]media.File, error) {
	out, err := queryAll(ctx, d.db, func(sc scanner) (media.File, error) { return scanMedia(sc, false) },
		`SELECT `+mediaColumns+` FROM media ORDER BY id DESC`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: media: %w", err)
	}
	return out, nil
}

// PublishMedia implements store.Media.
func (d *DB) PublishMedia(ctx context.Context, id int64, o audit.Origin) (media.File, error) {
	var f media.File
	err := d.tx(ctx, func(tx *sql.Tx) error {
		// Conditioned on the state the request saw: of two staff who
		// publish at once, one publishes and the other is told.
		res, err := tx.ExecContext(ctx, `UPDATE media SET published_at = ? WHERE id = ? AND published_at IS NULL`, fmtTime(d.now()), id)
		if err != nil {
			return err
		}
		if f, err = scanMedia(tx.QueryRowContext(ctx, `SELECT `+mediaColumns+` FROM media WHERE id = ?`, id), false); err != nil {
			return notFound(err, "media")
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.New(apperr.Conflict, "media %d is already published", id)
		}
		// The file's public URLs now answer.
		if err := appendChange(ctx, tx, d.now().UTC(), change.File, strconv.FormatInt(id, 10)); err != nil {
			return err
		}
		_, err = d.appendAudit(ctx, tx, entry(o, audit.MediaPublish, strconv.FormatInt(id, 10), f.Name))
		return err
	})
	if err != nil {
		return media.File{}, fmt.Errorf("sqlite: publish media %d: %w", id, err)
	}
	return f, nil
}

// WithdrawMedia implements store.Media.
func (d *DB) WithdrawMedia(ctx context.Context, id int64, o audit.Origin) error {
	err := d.tx(ctx, func(tx *sql.Tx) error {
		var name string
		if err := tx.QueryRowContext(ctx, `SELECT name FROM media WHERE id = ?`, id).Scan(&name); err != nil {
			return notFound(err, "media")
		}
		res, err := tx.ExecContext(ctx, `UPDATE media SET published_at = NULL WHERE id = ? AND published_at IS NOT NULL`, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.New(apperr.Conflict, "media %d is not published", id)
		}
		// The file's public URLs now answer 404.
		if err := appendChange(ctx, tx, d.now().UTC(), change.File, strconv.FormatInt(id, 10)); err != nil {
			return err
		}
		_, err = d.appendAudit(ctx, tx, entry(o, audit.MediaWithdraw, strconv.FormatInt(id, 10), name))
		return err
	})
	if err != nil {
		return fmt.Errorf("sqlite: withdraw media %d: %w", id, err)
	}
	return nil
}

// DeleteMedia implements store.Media.
func (d *DB) DeleteMedia(ctx context.Context, id int64, o audit.Origin) ([]media.Use, error) {
	var uses []media.Use
	err := d.tx(ctx, func(tx *sql.Tx) error {
		f, err := scanMedia(tx.QueryRowContext(ctx, `SELECT `+mediaColumns+` FROM media WHERE id = ?`, id), false)
		if err != nil {
			return notFound(err, "media")
		}
		// Read in the deleting transaction, which holds the write lock
		// (_txlock=immediate): no revision can start using the file
		// between this check and the deletion.
		all, err := mediaUses(ctx, tx)
		if err != nil {
			return err
		}
		if uses = all[id]; len(uses) > 0 {
			return apperr.New(apperr.Conflict, "media %d is used by %d pages", id, len(uses))
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM media WHERE id = ?`, id); err != nil {
			return err
		}
		// When the file was published, its public URLs now answer 404.
		if f.IsPublished() {
			if err := appendChange(ctx, tx, d.now().UTC(), change.File, strconv.FormatInt(id, 10)); err != nil {
				return err
			}
		}
		_, err = d.appendAudit(ctx, tx, entry(o, audit.MediaDelete, strconv.FormatInt(id, 10),
			fmt.Sprintf("%s %s %d %s", f.Name, f.Type, f.Size, f.SHA256)))
		return err
	})
	if err != nil {
		return uses, fmt.Errorf("sqlite: delete media %d: %w", id, err)
	}
	return nil, nil
}

// MediaUses implements store.Media.
func (d *DB) MediaUses(ctx context.Context) (map[int64][]media.Use, error) {
	uses, err := mediaUses(ctx, d.db)
	if err != nil {
		return nil, fmt.Errorf("sqlite: media uses: %w", err)
	}
	return uses, nil
}

// querier is a *sql.DB or a *sql.Tx.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// mediaUses reads the bodies of the revisions that are not archived and
// mention a file's path at all, newest first per page and language, and
// keeps for each file the newest of each page and language that refers
// to it (media.Refs decides).
func mediaUses(ctx context.Context, q querier) (map[int64][]media.Use, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, page_key, lang, title, body FROM revisions
		WHERE state <> 'archived' AND (instr(body, '/fichiers/') > 0 OR instr(body, '/files/') > 0 OR instr(body, '/admin/media/') > 0)
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
