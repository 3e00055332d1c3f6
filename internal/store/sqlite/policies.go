package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"portail/internal/apperr"
	"portail/internal/audit"
	"portail/internal/change"
	"portail/internal/lang"
	"portail/internal/policy"
	"portail/internal/store"
)

func scanPolicy(sc scanner) (policy.Document, error) {
	var d policy.Document
	var at, doc string
	if err := sc.Scan(&d.ID, &d.Version, &at, &doc); err != nil {
		return policy.Document{}, err
	}
	d.Updated = parseTime(at)
	err := store.DecodePolicyDoc([]byte(doc), &d)
	return d, err
}

// Policies implements store.Policies.
func (d *DB) Policies(ctx context.Context) ([]policy.Document, error) {
	out, err := queryAll(ctx, d.db, scanPolicy, `SELECT id, version, updated_at, doc FROM policies`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: policies: %w", err)
	}
	store.SortPolicies(out)
	return out, nil
}

// Policy implements store.Policies.
func (d *DB) Policy(ctx context.Context, id string) (policy.Document, error) {
	p, err := scanPolicy(d.db.QueryRowContext(ctx, `SELECT id, version, updated_at, doc FROM policies WHERE id = ?`, id))
	if err != nil {
		return policy.Document{}, fmt.Errorf("sqlite: policy %q: %w", id, notFound(err, "policy"))
	}
	return p, nil
}

// policyVersion returns the version of the document id within tx, or
// NotFound.
func policyVersion(ctx context.Context, tx *sql.Tx, id string) (int, error) {
	var v int
	err := tx.QueryRowContext(ctx, `SELECT version FROM policies WHERE id = ?`, id).Scan(&v)
	return v, notFound(err, "policy")
}

// stalePolicy is the Conflict of a write named from a version that is no
// longer the document's.
func stalePolicy(id string, named, current int) error {
	return &apperr.Error{Kind: apperr.Conflict, Msg: fmt.Sprintf("policy %q is at version %d, not %d", id, current, named),
		Problems: map[string]string{"version": "form.policy.stale"}}
}

// SavePolicy implements store.Policies.
func (d *DB) SavePolicy(ctx context.Context, p policy.Document, o audit.Origin) (policy.Document, error) {
	if err := p.Validate(); err != nil {
		return policy.Document{}, fmt.Errorf("sqlite: policy %q: %w", p.ID, err)
	}
	doc, err := store.EncodePolicyDoc(p)
	if err != nil {
		return policy.Document{}, fmt.Errorf("sqlite: %w", err)
	}
	now := d.now().UTC()
	err = d.tx(ctx, func(tx *sql.Tx) error {
		if p.Version == 0 {
			if err := addPolicy(ctx, tx, p.ID, now, doc); err != nil {
				return err
			}
		} else {
			// Conditioned on the version the editor started from: of two
			// editors, the second is told instead of erasing the first.
			res, err := tx.ExecContext(ctx, `UPDATE policies SET version = version + 1, updated_at = ?, doc = ? WHERE id = ? AND version = ?`,
				fmtTime(now), string(doc), p.ID, p.Version)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				v, err := policyVersion(ctx, tx, p.ID)
				if err != nil {
					return err
				}
				return stalePolicy(p.ID, p.Version, v)
			}
		}
		if err := appendChange(ctx, tx, now, change.Policy, p.ID); err != nil {
			return err
		}
		_, err := d.appendAudit(ctx, tx, entry(o, audit.PolicySave, p.ID, "version "+strconv.Itoa(p.Version+1)+": "+p.Title[lang.FR]))
		return err
	})
	if err != nil {
		return policy.Document{}, fmt.Errorf("sqlite: policy %q: %w", p.ID, err)
	}
	p.Version++
	p.Updated = now
	return p, nil
}

// addPolicy inserts a new document at version 1 within tx, unless its ID
// is taken or the store holds policy.MaxDocuments already.
func addPolicy(ctx context.Context, tx *sql.Tx, id string, now time.Time, doc []byte) error {
	if _, err := policyVersion(ctx, tx, id); err == nil {
		return &apperr.Error{Kind: apperr.Conflict, Msg: fmt.Sprintf("policy %q exists", id), Problems: map[string]string{"id": "form.policy.duplicate"}}
	} else if !errors.Is(err, apperr.NotFound) {
		return err
	}
	var count int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM policies`).Scan(&count); err != nil {
		return err
	}
	if count >= policy.MaxDocuments {
		return &apperr.Error{Kind: apperr.Invalid, Msg: "too many policy documents", Problems: map[string]string{"id": "form.policy.too_many"}}
	}
	// The transaction holds the write lock (_txlock=immediate): the ID
	// found free stays free until the insertion.
	_, err := tx.ExecContext(ctx, `INSERT INTO policies (id, version, updated_at, doc) VALUES (?, 1, ?, ?)`, id, fmtTime(now), string(doc))
	return err
}

// DeletePolicy implements store.Policies.
func (d *DB) DeletePolicy(ctx context.Context, id string, version int, o audit.Origin) error {
	err := d.tx(ctx, func(tx *sql.Tx) error {
		p, err := scanPolicy(tx.QueryRowContext(ctx, `SELECT id, version, updated_at, doc FROM policies WHERE id = ?`, id))
		if err != nil {
			return notFound(err, "policy")
		}
		if p.Version != version {
			return stalePolicy(id, version, p.Version)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM policies WHERE id = ?`, id); err != nil {
			return err
		}
		if err := appendChange(ctx, tx, d.now().UTC(), change.Policy, id); err != nil {
			return err
		}
		_, err = d.appendAudit(ctx, tx, entry(o, audit.PolicyDelete, id, "version "+strconv.Itoa(version)+": "+p.Title[lang.FR]))
		return err
	})
	if err != nil {
		return fmt.Errorf("sqlite: delete policy %q: %w", id, err)
	}
	return nil
}
