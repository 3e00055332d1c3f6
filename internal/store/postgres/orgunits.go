package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"portail/internal/apperr"
	"portail/internal/audit"
	"portail/internal/change"
	"portail/internal/orgchart"
	"portail/internal/store"
)

func scanOrgUnit(sc scanner) (orgchart.Unit, error) {
	var u orgchart.Unit
	var at pgtype.Timestamptz
	var doc []byte
	if err := sc.Scan(&u.ID, &u.Version, &at, &doc); err != nil {
		return orgchart.Unit{}, err
	}
	u.Updated = utc(at)
	err := store.DecodeOrgUnitDoc(doc, &u)
	return u, err
}

const selectOrgUnits = `SELECT id, version, updated_at, doc FROM org_units`

// OrgUnits implements store.OrgUnits.
func (d *DB) OrgUnits(ctx context.Context) ([]orgchart.Unit, error) {
	out, err := queryAll(ctx, d.pool, scanOrgUnit, selectOrgUnits+` ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("postgres: units: %w", err)
	}
	return out, nil
}

// OrgUnit implements store.OrgUnits.
func (d *DB) OrgUnit(ctx context.Context, id string) (orgchart.Unit, error) {
	u, err := scanOrgUnit(d.pool.QueryRow(ctx, selectOrgUnits+` WHERE id = $1`, id))
	if err != nil {
		return orgchart.Unit{}, fmt.Errorf("postgres: unit %q: %w", id, notFound(err, "unit"))
	}
	return u, nil
}

// SaveOrgUnit implements store.OrgUnits.
func (d *DB) SaveOrgUnit(ctx context.Context, u orgchart.Unit, o audit.Origin) (orgchart.Unit, error) {
	if err := u.Validate(); err != nil {
		return orgchart.Unit{}, fmt.Errorf("postgres: unit %q: %w", u.ID, err)
	}
	doc, err := store.EncodeOrgUnitDoc(u)
	if err != nil {
		return orgchart.Unit{}, fmt.Errorf("postgres: %w", err)
	}
	now := d.clock()
	err = d.tx(ctx, func(tx pgx.Tx) error {
		// The whole chart, read in the SERIALIZABLE transaction: of two
		// saves that each read the chart and change a unit the other
		// read (A moved under B, B under A), PostgreSQL refuses one,
		// which runs again, reads the other's change and is checked
		// against it.
		held, err := queryAll(ctx, tx, scanOrgUnit, selectOrgUnits+` ORDER BY id`)
		if err != nil {
			return err
		}
		if err := store.CheckOrgUnitSave(held, u); err != nil {
			return err
		}
		if u.Version == 0 {
			_, err = tx.Exec(ctx, `INSERT INTO org_units (id, version, updated_at, doc) VALUES ($1, 1, $2, $3)`, u.ID, now, doc)
			if isConstraint(err) {
				// Added by a concurrent transaction since the read.
				return &apperr.Error{Kind: apperr.Conflict, Msg: fmt.Sprintf("unit %q exists", u.ID),
					Problems: map[string]string{"id": "form.orgunit.duplicate"}}
			}
		} else {
			_, err = tx.Exec(ctx, `UPDATE org_units SET version = version + 1, updated_at = $1, doc = $2 WHERE id = $3`, now, doc, u.ID)
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
		return orgchart.Unit{}, fmt.Errorf("postgres: unit %q: %w", u.ID, err)
	}
	u.Version++
	u.Updated = now
	return u, nil
}

// ReplaceOrgUnits implements store.OrgUnits.
func (d *DB) ReplaceOrgUnits(ctx context.Context, units []orgchart.Unit, o audit.Origin) error {
	now := d.clock()
	err := d.tx(ctx, func(tx pgx.Tx) error {
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
			// JSONB gives the document back with its own spacing and key
			// order: it is read and written again to compare.
			if docs[h.ID], err = store.EncodeOrgUnitDoc(h); err != nil {
				return err
			}
		}
		// Counted afresh on each attempt of the transaction.
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
				_, err = tx.Exec(ctx, `INSERT INTO org_units (id, version, updated_at, doc) VALUES ($1, 1, $2, $3)`, u.ID, now, doc)
				added++
			case string(old) != string(doc):
				_, err = tx.Exec(ctx, `UPDATE org_units SET version = version + 1, updated_at = $1, doc = $2 WHERE id = $3`, now, doc, u.ID)
				changed++
			}
			if err != nil {
				return err
			}
		}
		for id := range docs {
			if _, err := tx.Exec(ctx, `DELETE FROM org_units WHERE id = $1`, id); err != nil {
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
		return fmt.Errorf("postgres: import units: %w", err)
	}
	return nil
}
