package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"portail/internal/apperr"
	"portail/internal/audit"
	"portail/internal/change"
	"portail/internal/lang"
	"portail/internal/policy"
	"portail/internal/store"
)

func scanPolicy(sc scanner) (policy.Document, error) {
	var d policy.Document
	var at pgtype.Timestamptz
	var doc []byte
	if err := sc.Scan(&d.ID, &d.Version, &at, &doc); err != nil {
		return policy.Document{}, err
	}
	d.Updated = utc(at)
	err := store.DecodePolicyDoc(doc, &d)
	return d, err
}

// Policies implements store.Policies.
func (d *DB) Policies(ctx context.Context) ([]policy.Document, error) {
	out, err := queryAll(ctx, d.pool, scanPolicy, `SELECT id, version, updated_at, doc FROM policies`)
	if err != nil {
		return nil, fmt.Errorf("postgres: policies: %w", err)
	}
	store.SortPolicies(out)
	return out, nil
}

// Policy implements store.Policies.
func (d *DB) Policy(ctx context.Context, id string) (policy.Document, error) {
	p, err := scanPolicy(d.pool.QueryRow(ctx, `SELECT id, version, updated_at, doc FROM policies WHERE id = $1`, id))
	if err != nil {
		return policy.Document{}, fmt.Errorf("postgres: policy %q: %w", id, notFound(err, "policy"))
	}
	return p, nil
}

// policyVersion returns the version of the document id within tx, or
// NotFound.
func policyVersion(ctx context.Context, tx pgx.Tx, id string) (int, error) {
	var v int
	err := tx.QueryRow(ctx, `SELECT version FROM policies WHERE id = $1`, id).Scan(&v)
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
		return policy.Document{}, fmt.Errorf("postgres: policy %q: %w", p.ID, err)
	}
	doc, err := store.EncodePolicyDoc(p)
	if err != nil {
		return policy.Document{}, fmt.Errorf("postgres: %w", err)
	}
	now := d.clock()
	err = d.tx(ctx, func(tx pgx.Tx) error {
		if p.Version == 0 {
			if err := addPolicy(ctx, tx, p.ID, now, doc); err != nil {
				return err
			}
		} else {
			// Conditioned on the version the editor started from: of two
			// editors, the second is told instead of erasing the first.
			res, err := tx.Exec(ctx, `UPDATE policies SET version = version + 1, updated_at = $1, doc = $2 WHERE id = $3 AND version = $4`,
				now, doc, p.ID, p.Version)
			if err != nil {
				return err
			}
			if res.RowsAffected() == 0 {
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
		return policy.Document{}, fmt.Errorf("postgres: policy %q: %w", p.ID, err)
	}
	p.Version++
	p.Updated = now
	return p, nil
}

// addPolicy inserts a new document at version 1 within tx, unless its ID
// is taken or the store holds policy.MaxDocuments already.
func addPolicy(ctx context.Context, tx pgx.Tx, id string, now time.Time, doc []byte) error {
	taken := &apperr.Error{Kind: apperr.Conflict, Msg: fmt.Sprintf("policy %q exists", id), Problems: map[string]string{"id": "form.policy.duplicate"}}
	if _, err := policyVersion(ctx, tx, id); err == nil {
		return taken
	} else if !errors.Is(err, apperr.NotFound) {
		return err
	}
	// Serializable: of two additions that both counted one place left,
	// one runs again and counts none.
	var count int
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM policies`).Scan(&count); err != nil {
		return err
	}
	if count >= policy.MaxDocuments {
		return &apperr.Error{Kind: apperr.Invalid, Msg: "too many policy documents", Problems: map[string]string{"id": "form.policy.too_many"}}
	}
	_, err := tx.Exec(ctx, `INSERT INTO policies (id, version, updated_at, doc) VALUES ($1, 1, $2, $3)`, id, now, doc)
	if isConstraint(err) {
		// Added by a concurrent transaction since the check.
		return taken
	}
	return err
}

// DeletePolicy implements store.Policies.
func (d *DB) DeletePolicy(ctx context.Context, id string, version int, o audit.Origin) error {
	err := d.tx(ctx, func(tx pgx.Tx) error {
		p, err := scanPolicy(tx.QueryRow(ctx, `SELECT id, version, updated_at, doc FROM policies WHERE id = $1`, id))
		if err != nil {
			return notFound(err, "policy")
		}
		if p.Version != version {
			return stalePolicy(id, version, p.Version)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM policies WHERE id = $1`, id); err != nil {
			return err
		}
		if err := appendChange(ctx, tx, d.clock(), change.Policy, id); err != nil {
			return err
		}
		_, err = d.appendAudit(ctx, tx, entry(o, audit.PolicyDelete, id, "version "+strconv.Itoa(version)+": "+p.Title[lang.FR]))
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: delete policy %q: %w", id, err)
	}
	return nil
}
