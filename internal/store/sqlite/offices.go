package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"

	"portail/internal/audit"
	"portail/internal/change"
	"portail/internal/lang"
	"portail/internal/office"
	"portail/internal/store"
)

func scanOffice(sc scanner) (office.Office, error) {
	var o office.Office
	var at, doc string
	if err := sc.Scan(&o.Slug, &o.Version, &at, &doc); err != nil {
		return office.Office{}, err
	}
	o.Updated = parseTime(at)
	err := store.DecodeOfficeDoc([]byte(doc), &o)
	return o, err
}

// Offices implements store.Offices.
func (d *DB) Offices(ctx context.Context) ([]office.Office, error) {
	out, err := queryAll(ctx, d.db, scanOffice, `SELECT slug, version, updated_at, doc FROM offices ORDER BY slug`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: offices: %w", err)
	}
	return out, nil
}

// Office implements store.Offices.
func (d *DB) Office(ctx context.Context, slug string) (office.Office, error) {
	o, err := scanOffice(d.db.QueryRowContext(ctx, `SELECT slug, version, updated_at, doc FROM offices WHERE slug = ?`, slug))
	if err != nil {
		return office.Office{}, fmt.Errorf("sqlite: office %q: %w", slug, notFound(err, "office"))
	}
	return o, nil
}

// SaveOffice implements store.Offices.
func (d *DB) SaveOffice(ctx context.Context, f office.Office, o audit.Origin) (office.Office, error) {
	if err := f.Validate(); err != nil {
		return office.Office{}, fmt.Errorf("sqlite: office %q: %w", f.Slug, err)
	}
	doc, err := store.EncodeOfficeDoc(f)
	if err != nil {
		return office.Office{}, fmt.Errorf("sqlite: %w", err)
	}
	now := d.now().UTC()
	err = d.tx(ctx, func(tx *sql.Tx) error {
		if err := officesTable.save(ctx, tx, f.Slug, f.Version, now, doc); err != nil {
			return err
		}
		if err := appendChange(ctx, tx, now, change.Office, f.Slug); err != nil {
			return err
		}
		_, err := d.appendAudit(ctx, tx, entry(o, audit.OfficeSave, f.Slug, "version "+strconv.Itoa(f.Version+1)+": "+f.Name[lang.FR]))
		return err
	})
	if err != nil {
		return office.Office{}, fmt.Errorf("sqlite: office %q: %w", f.Slug, err)
	}
	f.Version++
	f.Updated = now
	return f, nil
}

// DeleteOffice implements store.Offices.
func (d *DB) DeleteOffice(ctx context.Context, slug string, version int, o audit.Origin) error {
	err := d.tx(ctx, func(tx *sql.Tx) error {
		doc, err := officesTable.remove(ctx, tx, slug, version)
		if err != nil {
			return err
		}
		var f office.Office
		if err := store.DecodeOfficeDoc(doc, &f); err != nil {
			return err
		}
		if err := appendChange(ctx, tx, d.now().UTC(), change.Office, slug); err != nil {
			return err
		}
		_, err = d.appendAudit(ctx, tx, entry(o, audit.OfficeDelete, slug, "version "+strconv.Itoa(version)+": "+f.Name[lang.FR]))
		return err
	})
	if err != nil {
		return fmt.Errorf("sqlite: delete office %q: %w", slug, err)
	}
	return nil
}

// ReplaceOffices implements store.Offices.
func (d *DB) ReplaceOffices(ctx context.Context, offs []office.Office, o audit.Origin) error {
	if err := store.CheckOffices(offs); err != nil {
		return fmt.Errorf("sqlite: import offices: %w", err)
	}
	docs := make([][]byte, len(offs))
	for i, f := range offs {
		var err error
		if docs[i], err = store.EncodeOfficeDoc(f); err != nil {
			return fmt.Errorf("sqlite: import offices: %w", err)
		}
	}
	now := d.now().UTC()
	err := d.tx(ctx, func(tx *sql.Tx) error {
		held, err := officeDocs(ctx, tx)
		if err != nil {
			return err
		}
		var added, changed, removed int
		for i, f := range offs {
			old, ok := held[f.Slug]
			delete(held, f.Slug)
			switch {
			case !ok:
				_, err = tx.ExecContext(ctx, `INSERT INTO offices (slug, version, updated_at, doc) VALUES (?, 1, ?, ?)`, f.Slug, fmtTime(now), string(docs[i]))
				added++
			case string(old) != string(docs[i]):
				_, err = tx.ExecContext(ctx, `UPDATE offices SET version = version + 1, updated_at = ?, doc = ? WHERE slug = ?`, fmtTime(now), string(docs[i]), f.Slug)
				changed++
			}
			if err != nil {
				return err
			}
		}
		for slug := range held {
			if _, err := tx.ExecContext(ctx, `DELETE FROM offices WHERE slug = ?`, slug); err != nil {
				return err
			}
			removed++
		}
		if err := appendChange(ctx, tx, now, change.Office, "*"); err != nil {
			return err
		}
		_, err = d.appendAudit(ctx, tx, entry(o, audit.OfficeImport, "*", store.ImportDetail(added, changed, removed)))
		return err
	})
	if err != nil {
		return fmt.Errorf("sqlite: import offices: %w", err)
	}
	return nil
}

// officeDocs returns the document of every office within tx, by slug, as
// EncodeOfficeDoc writes it today: a document stored otherwise (by a copy,
// or an older shape) that says the same compares equal.
func officeDocs(ctx context.Context, tx *sql.Tx) (map[string][]byte, error) {
	rows, err := tx.QueryContext(ctx, `SELECT slug, version, updated_at, doc FROM offices`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string][]byte{}
	for rows.Next() {
		f, err := scanOffice(rows)
		if err != nil {
			return nil, err
		}
		if out[f.Slug], err = store.EncodeOfficeDoc(f); err != nil {
			return nil, err
		}
	}
	return out, rows.Err()
}
