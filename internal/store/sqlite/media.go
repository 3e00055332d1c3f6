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

// MediaFile implements store.Media.
func (d *DB) MediaFile(ctx context.Context, id int64) (media.File, error) {
	f := media.File{ID: id}
	var at string
	err := d.db.QueryRowContext(ctx, `SELECT name, type, size, sha256, data, uploaded_at, uploaded_by FROM media WHERE id = ?`, id).
		Scan(&f.Name, &f.Type, &f.Size, &f.SHA256, &f.Data, &at, &f.By)
	if err != nil {
		return media.File{}, fmt.Errorf("sqlite: media %d: %w", id, notFound(err, "media"))
	}
	f.Uploaded = parseTime(at)
	return f, nil
}

// ListMedia implements store.Media.
func (d *DB) ListMedia(ctx context.Context) ([]media.File, error) {
	out, err := queryAll(ctx, d.db, func(sc scanner) (media.File, error) {
		var f media.File
		var at string
		err := sc.Scan(&f.ID, &f.Name, &f.Type, &f.Size, &f.SHA256, &at, &f.By)
		f.Uploaded = parseTime(at)
		return f, err
	}, `SELECT id, name, type, size, sha256, uploaded_at, uploaded_by FROM media ORDER BY id DESC`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: media: %w", err)
	}
	return out, nil
}
