package postgres

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"portail/internal/audit"
)

// AppendAudit implements store.Audit.
func (d *DB) AppendAudit(ctx context.Context, e audit.Entry) (audit.Entry, error) {
	err := d.tx(ctx, func(tx pgx.Tx) error {
		var err error
		e, err = d.appendAudit(ctx, tx, e)
		return err
	})
	if err != nil {
		return audit.Entry{}, err
	}
	return e, nil
}

// auditWhere returns the WHERE clause and arguments of f.
func auditWhere(f audit.Filter, paging bool) (string, []any) {
	var conds []string
	var args []any
	// cond has one placeholder, %d, numbered here.
	add := func(cond string, arg any) {
		args = append(args, arg)
		conds = append(conds, fmt.Sprintf(cond, len(args)))
	}
	if f.Actor != "" {
		add("actor = $%d", f.Actor)
	}
	if f.Action != "" {
		add("action = $%d", string(f.Action))
	}
	if f.Target != "" {
		add("target = $%d", f.Target)
	}
	if f.IP != "" {
		add("ip = $%d", f.IP)
	}
	if !f.Since.IsZero() {
		add("at >= $%d", pgTime(f.Since))
	}
	if !f.Until.IsZero() {
		add("at < $%d", pgTime(f.Until))
	}
	if paging && f.Before > 0 {
		add("id < $%d", f.Before)
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// AuditLog implements store.Audit.
func (d *DB) AuditLog(ctx context.Context, f audit.Filter) ([]audit.Entry, error) {
	where, args := auditWhere(f, true)
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	out, err := queryAll(ctx, d.pool, func(sc scanner) (audit.Entry, error) {
		var e audit.Entry
		var at pgtype.Timestamptz
		err := sc.Scan(&e.ID, &at, &e.Actor, &e.Action, &e.Target, &e.Detail, &e.IP)
		e.Time = utc(at)
		return e, err
	}, `SELECT id, at, actor, action, target, detail, ip FROM audit`+where+` ORDER BY id DESC LIMIT $`+strconv.Itoa(len(args)+1), append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("postgres: audit log: %w", err)
	}
	return out, nil
}

// CountAudit implements store.Audit.
func (d *DB) CountAudit(ctx context.Context, f audit.Filter) (int, error) {
	where, args := auditWhere(f, false)
	var n int
	if err := d.pool.QueryRow(ctx, `SELECT count(*) FROM audit`+where, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("postgres: count audit: %w", err)
	}
	return n, nil
}
