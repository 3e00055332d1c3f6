package postgres

import (
	"context"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

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
		if err := policiesTable.save(ctx, tx, p.ID, p.Version, now, doc); err != nil {
			return err
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

// DeletePolicy implements store.Policies.
func (d *DB) DeletePolicy(ctx context.Context, id string, version int, o audit.Origin) error {
	err := d.tx(ctx, func(tx pgx.Tx) error {
		doc, err := policiesTable.remove(ctx, tx, id, version)
		if err != nil {
			return err
		}
		var p policy.Document
		if err := store.DecodePolicyDoc(doc, &p); err != nil {
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
