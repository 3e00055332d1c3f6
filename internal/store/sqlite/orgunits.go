package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"portail/internal/audit"
	"portail/internal/change"
	"portail/internal/orgchart"
	"portail/internal/store"
)

func scanOrgUnit(sc scanner) (orgchart.Unit, error) {
	var u orgchart.Unit
	var at, doc string
	if err := sc.Scan(&u.ID, &u.Version, &at, &doc); err != nil {
		return orgchart.Unit{}, err
	}
	u.Updated = parseTime(at)
	err := store.DecodeOrgUnitDoc([]byte(doc), &u)
	return u, err
}

const selectOrgUnits = `SELECT id, version, updated_at, doc FROM org_units`

// OrgUnits implements store.OrgUnits.
func (d *DB) OrgUnits(ctx context.Context) ([]orgchart.Unit, error) {
	out, err := queryAll(ctx, d.db, scanOrgUnit, selectOrgUnits+` ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: units: %w", err)
	}
	return out, nil
}

// OrgUnit implements store.OrgUnits.
func (d *DB) OrgUnit(ctx context.Context, id string) (orgchart.Unit, error) {
	u, err := scanOrgUnit(d.db.QueryRowContext(ctx, selectOrgUnits+` WHERE id = ?`, id))
	if err != nil {
		return orgchart.Unit{}, fmt.Errorf("sqlite: unit %q: %w", id, notFound(err, "unit"))
	}
	return u, nil
}

// SaveOrgUnit implements store.OrgUnits.
func (d *DB) SaveOrgUnit(ctx context.Context, u orgchart.Unit, o audit.Origin) (orgchart.Unit, error) {
	if err := u.Validate(); err != nil {
		return orgchart.Unit{}, fmt.Errorf("sqlite: unit %q: %w", u.ID, err)
	}
	doc, err := store.EncodeOrgUnitDoc(u)
	if err != nil {
		return orgchart.Unit{}, fmt.Errorf("sqlite: %w", err)
	}
	now := d.now().UTC()
	err = d.tx(ctx, func(tx *sql.Tx) error {
		// The whole chart, read under the write lock that the
		// transaction holds from its start (_txlock=immediate): no other
		// write can change it before this one commits.
		held, err := queryAll(ctx, tx, scanOrgUnit, selectOrgUnits+` ORDER BY id`)
		if err != nil {
			return err
		}
		if err := store.CheckOrgUnitSave(held, u); err != nil {
			return err
		}
		if u.Version == 0 {
			_, err = tx.ExecContext(ctx, `INSERT INTO org_units (id, version, updated_at, doc) VALUES (?, 1, ?, ?)`, u.ID, fmtTime(now), string(doc))
		} else {
			_, err = tx.ExecContext(ctx, `UPDATE org_units SET version = version + 1, updated_at = ?, doc = ? WHERE id = ?`,
				fmtTime(now), string(doc), u.ID)
		}
		if err != nil {
			return err
		}
		if err := appendChange(ctx, tx, now, change.OrgUnit, u.ID); err != nil {
			return err
		}
		_, err = d.appendAudit(ctx, tx, entry(o, audit.OrgUnitSave, u.ID, store.OrgUnitDetail(u, u.Version+1)))
		return err
	})
	if err != nil {
		return orgchart.Unit{}, fmt.Errorf("sqlite: unit %q: %w", u.ID, err)
	}
	u.Version++
	u.Updated = now
	return u, nil
}

// ReplaceOrgUnits implements store.OrgUnits.
func (d *DB) ReplaceOrgUnits(ctx context.Context, units []orgchart.Unit, o audit.Origin) error {
	now := d.now().UTC()
	err := d.tx(ctx, func(tx *sql.Tx) error {
		// The chart after an import is units, whatever the database
		// held: the check needs nothing from it, and is here so that
		// every write checks, in its transaction, the chart it commits.
		if err := orgchart.Check(units); err != nil {
			return err
		}
		held, err := queryAll(ctx, tx, scanOrgUnit, selectOrgUnits)
		if err != nil {
			return err
		}
		docs := make(map[string][]byte, len(held))
		for _, h := range held {
			// As EncodeOrgUnitDoc writes it today: a document stored
			// otherwise (by a copy, or an older shape) that says the
			// same compares equal.
			if docs[h.ID], err = store.EncodeOrgUnitDoc(h); err != nil {
				return err
			}
		}
		var added, changed, removed int
		for _, u := range units {
			doc, err := store.EncodeOrgUnitDoc(u)
			if err != nil {
				return err
			}
			old, ok := docs[u.ID]
			delete(docs, u.ID)
			switch {
			case !ok:
				_, err = tx.ExecContext(ctx, `INSERT INTO org_units (id, version, updated_at, doc) VALUES (?, 1, ?, ?)`, u.ID, fmtTime(now), string(doc))
				added++
			case string(old) != string(doc):
				_, err = tx.ExecContext(ctx, `UPDATE org_units SET version = version + 1, updated_at = ?, doc = ? WHERE id = ?`, fmtTime(now), string(doc), u.ID)
				changed++
			}
			if err != nil {
				return err
			}
		}
		for id := range docs {
			if _, err := tx.ExecContext(ctx, `DELETE FROM org_units WHERE id = ?`, id); err != nil {
				return err
			}
			removed++
		}
		if err := appendChange(ctx, tx, now, change.OrgUnit, "*"); err != nil {
			return err
		}
		_, err = d.appendAudit(ctx, tx, entry(o, audit.OrgUnitImport, "*", store.ImportDetail(added, changed, removed)))
		return err
	})
	if err != nil {
		return fmt.Errorf("sqlite: import units: %w", err)
	}
	return nil
}
