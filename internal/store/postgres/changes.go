package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"portail/internal/apperr"
	"portail/internal/change"
)

// appendChange records within tx that the public site changed: topic and
// key say what. Every write that changes public output calls it in its
// transaction, so the record exists exactly when the write committed. The
// record's time is at, or the previous record's when the clock is behind
// it (another instance's clock, a test's): times never go back, and a
// Last-Modified taken from them never does either. Each append reads the
// newest record before writing its own, so two transactions appending at
// once conflict under SERIALIZABLE and one of them runs again: records
// commit in seq order, and a follower that has read up to a seq never
// misses a record that commits after it with a smaller one.
func appendChange(ctx context.Context, tx pgx.Tx, at time.Time, topic change.Topic, key string) error {
	// The notice goes out when the transaction commits, and not at all
	// when it rolls back.
	_, err := tx.Exec(ctx, `WITH c AS (INSERT INTO changes (at, topic, key)
			SELECT GREATEST($1::timestamptz, (SELECT at FROM changes ORDER BY seq DESC LIMIT 1)), $2, $3
			RETURNING seq)
		SELECT pg_notify('`+changesChannel+`', seq::text) FROM c`,
		pgTime(at), string(topic), key)
	return err
}

// changesChannel is the channel of the notices that appendChange sends.
const changesChannel = "portail_changes"

// ChangeNotices implements store.ChangeNotifier: it listens on its own
// connection, outside the pool, and listens again after losing it.
func (d *DB) ChangeNotices(ctx context.Context) <-chan struct{} {
	ch := make(chan struct{}, 1)
	go func() {
		wait := time.Second
		for {
			err := d.listen(ctx, ch)
			if ctx.Err() != nil {
				return
			}
			if err == nil {
				wait = time.Second
			}
			select {
			case <-ctx.Done():
				return
			case <-time.After(wait):
			}
			wait = min(2*wait, 30*time.Second)
		}
	}()
	return ch
}

// listen announces on ch every notice on changesChannel until the
// connection fails or ctx ends. It announces once when it starts
// listening, for the changes made while nobody was.
func (d *DB) listen(ctx context.Context, ch chan struct{}) error {
	conn, err := pgx.ConnectConfig(ctx, d.pool.Config().ConnConfig)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, `LISTEN `+changesChannel); err != nil {
		return err
	}
	for {
		select {
		case ch <- struct{}{}:
		default: // a notice is already waiting to be read
		}
		if _, err := conn.WaitForNotification(ctx); err != nil {
			return err
		}
	}
}

// appendWithdrawal appends a change.Page record within tx when revision id
// is public, that is, when withdrawing it changes the public site. Call it
// before the withdrawal.
func appendWithdrawal(ctx context.Context, tx pgx.Tx, at time.Time, id int64) error {
	var key string
	err := tx.QueryRow(ctx, `SELECT page_key FROM translations WHERE revision_id = $1`, id).Scan(&key)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	return appendChange(ctx, tx, at, change.Page, key)
}

func scanChange(sc scanner) (change.Change, error) {
	var c change.Change
	var at pgtype.Timestamptz
	err := sc.Scan(&c.Seq, &at, &c.Topic, &c.Key)
	c.At = utc(at)
	return c, err
}

// LastChange implements store.Changes.
func (d *DB) LastChange(ctx context.Context) (change.Change, error) {
	c, err := scanChange(d.pool.QueryRow(ctx, `SELECT seq, at, topic, key FROM changes ORDER BY seq DESC LIMIT 1`))
	if errors.Is(err, pgx.ErrNoRows) {
		return change.Change{}, nil
	}
	if err != nil {
		return change.Change{}, fmt.Errorf("postgres: last change: %w", err)
	}
	return c, nil
}

// ChangesSince implements store.Changes.
func (d *DB) ChangesSince(ctx context.Context, seq int64, limit int) ([]change.Change, error) {
	if limit <= 0 {
		return nil, apperr.New(apperr.Invalid, "postgres: changes since %d: limit %d", seq, limit)
	}
	out, err := queryAll(ctx, d.pool, scanChange, `SELECT seq, at, topic, key FROM changes WHERE seq > $1 ORDER BY seq LIMIT $2`, seq, limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: changes since %d: %w", seq, err)
	}
	return out, nil
}
