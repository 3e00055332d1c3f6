package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"portail/internal/apperr"
	"portail/internal/audit"
	"portail/internal/auth"
)

// refusalsKept is how long the counts of refused attempts are kept.
const refusalsKept = 30 * 24 * time.Hour

// BeginAttempt implements store.Accounts. The transaction takes SQLite's
// write lock at its start (_txlock=immediate), so the count and the new
// row are one step: concurrent attempts are counted one after the other.
func (d *DB) BeginAttempt(ctx context.Context, account, ip string, l auth.Limits, refused audit.Entry) (int64, bool, error) {
	if account == "" || l.Window <= 0 || l.PerPair <= 0 || l.PerAddress <= 0 || l.PerAccount <= 0 {
		return 0, false, apperr.New(apperr.Invalid, "sqlite: attempt: no account or no limits")
	}
	addr := auth.LimitAddress(ip)
	var id int64
	var allowed bool
	err := d.tx(ctx, func(tx *sql.Tx) error {
		now := d.now().UTC()
		since := fmtTime(now.Add(-l.Window))
		if _, err := tx.ExecContext(ctx, `DELETE FROM attempts WHERE at <= ?`, since); err != nil {
			return err
		}
		var f auth.Failures
		err := tx.QueryRowContext(ctx, `SELECT
				(SELECT count(*) FROM attempts WHERE account = ?1 AND ip = ?2 AND cleared = 0),
				(SELECT count(*) FROM attempts WHERE ip = ?2),
				(SELECT count(*) FROM attempts WHERE account = ?1 AND cleared = 0)`,
			account, addr).Scan(&f.Pair, &f.Address, &f.Account)
		if err != nil {
			return err
		}
		if allowed = l.Allows(f); allowed {
			res, err := tx.ExecContext(ctx, `INSERT INTO attempts (at, account, ip) VALUES (?, ?, ?)`, fmtTime(now), account, addr)
			if err != nil {
				return err
			}
			id, err = res.LastInsertId()
			return err
		}
		window := fmtTime(now.Truncate(l.Window))
		if _, err := tx.ExecContext(ctx, `DELETE FROM refusals WHERE win < ?`, fmtTime(now.Add(-refusalsKept))); err != nil {
			return err
		}
		var n int
		err = tx.QueryRowContext(ctx, `INSERT INTO refusals (ip, win, n) VALUES (?, ?, 1)
			ON CONFLICT (ip, win) DO UPDATE SET n = n + 1 RETURNING n`, addr, window).Scan(&n)
		if err != nil || n > 1 {
			return err
		}
		_, err = d.appendAudit(ctx, tx, refused)
		return err
	})
	if err != nil {
		return 0, false, fmt.Errorf("sqlite: begin attempt: %w", err)
	}
	return id, allowed, nil
}

// EndAttempt implements store.Accounts.
func (d *DB) EndAttempt(ctx context.Context, id int64, ok bool, failed audit.Entry) error {
	err := d.tx(ctx, func(tx *sql.Tx) error {
		var account string
		if err := tx.QueryRowContext(ctx, `SELECT account FROM attempts WHERE id = ?`, id).Scan(&account); err != nil {
			return notFound(err, "attempt")
		}
		if !ok {
			_, err := d.appendAudit(ctx, tx, failed)
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM attempts WHERE id = ?`, id); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE attempts SET cleared = 1 WHERE account = ?`, account)
		return err
	})
	if err != nil {
		return fmt.Errorf("sqlite: end attempt %d: %w", id, err)
	}
	return nil
}

// Refusals implements store.Accounts.
func (d *DB) Refusals(ctx context.Context, ip string, since time.Time) (int, error) {
	var n int
	err := d.db.QueryRowContext(ctx, `SELECT coalesce(sum(n), 0) FROM refusals WHERE ip = ? AND win >= ?`,
		auth.LimitAddress(ip), fmtTime(since)).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("sqlite: refusals: %w", err)
	}
	return n, nil
}
