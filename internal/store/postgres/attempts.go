package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"portail/internal/apperr"
	"portail/internal/audit"
	"portail/internal/auth"
)

// refusalsKept is how long the counts of refused attempts are kept.
const refusalsKept = 30 * 24 * time.Hour

// BeginAttempt implements store.Accounts. The count and the new row are
// one serializable transaction: of concurrent attempts that count the
// same rows, PostgreSQL lets one commit and the others run again, so they
// are counted one after the other.
func (d *DB) BeginAttempt(ctx context.Context, account, ip string, l auth.Limits, refused audit.Entry) (int64, bool, error) {
	if account == "" || l.Window <= 0 || l.PerPair <= 0 || l.PerAddress <= 0 || l.PerAccount <= 0 {
		return 0, false, apperr.New(apperr.Invalid, "postgres: attempt: no account or no limits")
	}
	addr := auth.LimitAddress(ip)
	var id int64
	var allowed bool
	err := d.tx(ctx, func(tx pgx.Tx) error {
		now := d.clock()
		since := now.Add(-l.Window)
		if _, err := tx.Exec(ctx, `DELETE FROM attempts WHERE at <= $1`, since); err != nil {
			return err
		}
		var f auth.Failures
		err := tx.QueryRow(ctx, `SELECT
				(SELECT count(*) FROM attempts WHERE account = $1 AND ip = $2 AND NOT cleared),
				(SELECT count(*) FROM attempts WHERE ip = $2),
				(SELECT count(*) FROM attempts WHERE account = $1 AND NOT cleared)`,
			account, addr).Scan(&f.Pair, &f.Address, &f.Account)
		if err != nil {
			return err
		}
		if allowed = l.Allows(f); allowed {
			return tx.QueryRow(ctx, `INSERT INTO attempts (at, account, ip) VALUES ($1, $2, $3) RETURNING id`, now, account, addr).Scan(&id)
		}
		window := now.Truncate(l.Window)
		if _, err := tx.Exec(ctx, `DELETE FROM refusals WHERE win < $1`, now.Add(-refusalsKept)); err != nil {
			return err
		}
		var n int
		err = tx.QueryRow(ctx, `INSERT INTO refusals (ip, win, n) VALUES ($1, $2, 1)
			ON CONFLICT (ip, win) DO UPDATE SET n = refusals.n + 1 RETURNING n`, addr, window).Scan(&n)
		if err != nil || n > 1 {
			return err
		}
		_, err = d.appendAudit(ctx, tx, refused)
		return err
	})
	if err != nil {
		return 0, false, fmt.Errorf("postgres: begin attempt: %w", err)
	}
	return id, allowed, nil
}

// EndAttempt implements store.Accounts.
func (d *DB) EndAttempt(ctx context.Context, id int64, ok bool, failed audit.Entry) error {
	err := d.tx(ctx, func(tx pgx.Tx) error {
		var account string
		if err := tx.QueryRow(ctx, `SELECT account FROM attempts WHERE id = $1`, id).Scan(&account); err != nil {
			return notFound(err, "attempt")
		}
		if !ok {
			_, err := d.appendAudit(ctx, tx, failed)
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM attempts WHERE id = $1`, id); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `UPDATE attempts SET cleared = true WHERE account = $1`, account)
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: end attempt %d: %w", id, err)
	}
	return nil
}

// Refusals implements store.Accounts.
func (d *DB) Refusals(ctx context.Context, ip string, since time.Time) (int, error) {
	var n int
	err := d.pool.QueryRow(ctx, `SELECT coalesce(sum(n), 0) FROM refusals WHERE ip = $1 AND win >= $2`,
		auth.LimitAddress(ip), pgTime(since)).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("postgres: refusals: %w", err)
	}
	return n, nil
}
