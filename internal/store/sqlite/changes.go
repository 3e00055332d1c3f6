package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"portail/internal/apperr"
	"portail/internal/change"
)

// appendChange records within tx that the public site changed: topic and
// key say what. Every write that changes public output calls it in its
// transaction, so the record exists exactly when the write committed. The
// record's time is at, or the previous record's when the clock is behind
// it (another instance's clock, a test's): times never go back, and a
// Last-Modified taken from them never does either.
func appendChange(ctx context.Context, tx *sql.Tx, at time.Time, topic change.Topic, key string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO changes (at, topic, key)
		SELECT max(?, COALESCE((SELECT at FROM changes ORDER BY seq DESC LIMIT 1), '')), ?, ?`,
		fmtTime(at), string(topic), key)
	return err
}

// appendWithdrawal appends a change.Page record within tx when revision id
// is public, that is, when withdrawing it changes the public site. Call it
// before the withdrawal.
func appendWithdrawal(ctx context.Context, tx *sql.Tx, at time.Time, id int64) error {
	var key string
	err := tx.QueryRowContext(ctx, `SELECT page_key FROM translations WHERE revision_id = ?`, id).Scan(&key)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	return appendChange(ctx, tx, at, change.Page, key)
}

func scanChange(sc scanner) (change.Change, error) {
	var c change.Change
	var at string
	err := sc.Scan(&c.Seq, &at, &c.Topic, &c.Key)
	c.At = parseTime(at)
	return c, err
}

// LastChange implements store.Changes.
func (d *DB) LastChange(ctx context.Context) (change.Change, error) {
	c, err := scanChange(d.db.QueryRowContext(ctx, `SELECT seq, at, topic, key FROM changes ORDER BY seq DESC LIMIT 1`))
	if errors.Is(err, sql.ErrNoRows) {
		return change.Change{}, nil
	}
	if err != nil {
		return change.Change{}, fmt.Errorf("sqlite: last change: %w", err)
	}
	return c, nil
}

// ChangesSince implements store.Changes.
func (d *DB) ChangesSince(ctx context.Context, seq int64, limit int) ([]change.Change, error) {
	if limit <= 0 {
		return nil, apperr.New(apperr.Invalid, "sqlite: changes since %d: limit %d", seq, limit)
	}
	out, err := queryAll(ctx, d.db, scanChange, `SELECT seq, at, topic, key FROM changes WHERE seq > ? ORDER BY seq LIMIT ?`, seq, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: changes since %d: %w", seq, err)
	}
	return out, nil
}
