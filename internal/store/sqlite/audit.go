package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"portail/internal/audit"
)

// AppendAudit implements store.Audit.
func (d *DB) AppendAudit(ctx context.Context, e audit.Entry) (audit.Entry, error) {
	err := d.tx(ctx, func(tx *sql.Tx) error {
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
	add := func(cond string, arg any) {
		conds = append(conds, cond)
		args = append(args, arg)
	}
	if f.Actor != "" {
		add("actor = ?", f.Actor)
	}
	if f.Action != "" {
		add("action = ?", string(f.Action))
	}
	if f.Target != "" {
		add("target = ?", f.Target)
	}
	if f.IP != "" {
		add("ip = ?", f.IP)
	}
	if !f.Since.IsZero() {
		add("at >= ?", fmtTime(f.Since))
	}
	if !f.Until.IsZero() {
		add("at < ?", fmtTime(f.Until))
	}
	if paging && f.Before > 0 {
		add("id < ?", f.Before)
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
	out, err := queryAll(ctx, d.db, func(sc scanner) (audit.Entry, error) {
		var e audit.Entry
		var at string
		err := sc.Scan(&e.ID, &at, &e.Actor, &e.Action, &e.Target, &e.Detail, &e.IP)
		e.Time = parseTime(at)
		return e, err
	}, `SELECT id, at, actor, action, target, detail, ip FROM audit`+where+` ORDER BY id DESC LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: audit log: %w", err)
	}
	return out, nil
}

// CountAudit implements store.Audit.
func (d *DB) CountAudit(ctx context.Context, f audit.Filter) (int, error) {
	where, args := auditWhere(f, false)
	var n int
	if err := d.db.QueryRowContext(ctx, `SELECT count(*) FROM audit`+where, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("sqlite: count audit: %w", err)
	}
	return n, nil
}
