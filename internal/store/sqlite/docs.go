package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"portail/internal/apperr"
	"portail/internal/office"
	"portail/internal/policy"
)

// docTable is a table of versioned JSON documents: the offices abroad,
// the policy's documents. Each row is a key, a version, the time of the
// last change and the document; a change or a deletion names the version
// it was made from, so that of two editors the second is told instead of
// erasing the first's change.
type docTable struct {
	name, key string // the table and its key column
	what      string // what a row is, for error messages ("office")
	max       int    // rows at most
	field     string // the problem field of the key ("slug")
	msgs      string // the prefix of the message keys ("form.office")
}

var (
	officesTable  = docTable{name: "offices", key: "slug", what: "office", max: office.MaxOffices, field: "slug", msgs: "form.office"}
	policiesTable = docTable{name: "policies", key: "id", what: "policy", max: policy.MaxDocuments, field: "id", msgs: "form.policy"}
)

// version returns the version of the row key within tx, or NotFound.
func (t docTable) version(ctx context.Context, tx *sql.Tx, key string) (int, error) {
	var v int
	err := tx.QueryRowContext(ctx, `SELECT version FROM `+t.name+` WHERE `+t.key+` = ?`, key).Scan(&v)
	return v, notFound(err, t.what)
}

// stale is the Conflict of a write made from a version that is no longer
// the row's.
func (t docTable) stale(key string, named, current int) error {
	return &apperr.Error{Kind: apperr.Conflict, Msg: fmt.Sprintf("%s %q is at version %d, not %d", t.what, key, current, named),
		Problems: map[string]string{"version": t.msgs + ".stale"}}
}

// save adds the document key at version 1 when version is 0, else
// replaces it if it is still at version, within tx.
func (t docTable) save(ctx context.Context, tx *sql.Tx, key string, version int, now time.Time, doc []byte) error {
	if version == 0 {
		return t.insert(ctx, tx, key, now, doc)
	}
	res, err := tx.ExecContext(ctx, `UPDATE `+t.name+` SET version = version + 1, updated_at = ?, doc = ? WHERE `+t.key+` = ? AND version = ?`,
		fmtTime(now), string(doc), key, version)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		current, err := t.version(ctx, tx, key)
		if err != nil {
			return err
		}
		return t.stale(key, version, current)
	}
	return nil
}

// insert adds the document key at version 1 within tx, unless the key
// is taken or the table holds max rows already. The transaction holds
// the write lock (_txlock=immediate): a key found free stays free until
// the insertion.
func (t docTable) insert(ctx context.Context, tx *sql.Tx, key string, now time.Time, doc []byte) error {
	if _, err := t.version(ctx, tx, key); err == nil {
		return &apperr.Error{Kind: apperr.Conflict, Msg: fmt.Sprintf("%s %q exists", t.what, key), Problems: map[string]string{t.field: t.msgs + ".duplicate"}}
	} else if !errors.Is(err, apperr.NotFound) {
		return err
	}
	var count int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM `+t.name).Scan(&count); err != nil {
		return err
	}
	if count >= t.max {
		return &apperr.Error{Kind: apperr.Invalid, Msg: "too many rows in " + t.name, Problems: map[string]string{t.field: t.msgs + ".too_many"}}
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO `+t.name+` (`+t.key+`, version, updated_at, doc) VALUES (?, 1, ?, ?)`, key, fmtTime(now), string(doc))
	return err
}

// remove deletes the row key within tx if it is still at version, and
// returns its document.
func (t docTable) remove(ctx context.Context, tx *sql.Tx, key string, version int) ([]byte, error) {
	var current int
	var doc string
	err := tx.QueryRowContext(ctx, `SELECT version, doc FROM `+t.name+` WHERE `+t.key+` = ?`, key).Scan(&current, &doc)
	if err != nil {
		return nil, notFound(err, t.what)
	}
	if current != version {
		return nil, t.stale(key, version, current)
	}
	_, err = tx.ExecContext(ctx, `DELETE FROM `+t.name+` WHERE `+t.key+` = ?`, key)
	return []byte(doc), err
}
