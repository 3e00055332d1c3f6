// Package storecopy copies a whole portail database from one store to
// another (SQLite to PostgreSQL, back, or SQLite to SQLite) through
// database/sql, keeping ids, and proves the copy by comparing a count and
// a checksum of every table on both sides.
//
// The target must be empty: no row in any table beyond those its
// migrations insert (the default sections of 0007 and the starting row
// of the change feed of 0005), which the source's rows replace. The copy
// and its check run in one transaction on the target, so a copy that
// fails, or whose checksums differ, leaves the target as it was.
package storecopy

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"portail/internal/store"
)

// Dialect is the SQL flavour of one side.
type Dialect int

const (
	SQLite Dialect = iota
	Postgres
)

func (d Dialect) String() string {
	if d == Postgres {
		return "postgres"
	}
	return "sqlite"
}

// Side is one end of a copy: an open, migrated database.
type Side struct {
	DB      *sql.DB
	Dialect Dialect
}

// table is a table of the schema, in the order that foreign keys allow
// inserting; seq names its generated key column, if any.
type table struct {
	name string
	seq  string
}

// tables lists every table that the migrations create, parents first.
// The copy refuses a schema with a table missing from this list, so that a
// new migration cannot leave one behind silently.
var tables = []table{
	{"pages", ""},
	{"sections", ""},
	{"footer_links", "id"},
	{"revisions", "id"},
	{"translations", ""},
	{"redirects", ""},
	{"publications", "id"},
	{"users", "id"},
	{"sessions", ""},
	{"audit", "id"},
	{"media", "id"},
	{"changes", "seq"},
	{"attempts", "id"},
	{"refusals", ""},
	{"offices", ""},
	{"policies", ""},
	{"org_units", ""},
}

// Tables returns the names of the copied tables, in copy order.
func Tables() []string {
	out := make([]string, len(tables))
	for i, t := range tables {
		out[i] = t.name
	}
	return out
}

// kind is how a column's values differ between the two dialects.
type kind int

const (
	kPlain kind = iota // text, integers, blobs: the same on both
	kTime              // SQLite: fixed-width text; PostgreSQL: timestamptz
	kDate              // SQLite: YYYY-MM-DD text; PostgreSQL: date
	kBool              // SQLite: 0/1; PostgreSQL: boolean
	// kJSON: SQLite: JSON text; PostgreSQL: jsonb, which keeps its own
	// spacing and key order. Both are read in the canonical form of
	// store.CanonicalJSON, the form the stores write, so that a copy to
	// PostgreSQL and back gives the same bytes.
	kJSON
)

// kinds names the columns that are not plain. A test checks it against the
// PostgreSQL schema's types.
var kinds = map[string]kind{
	"pages.review_by":           kDate,
	"pages.french_only":         kBool,
	"revisions.created_at":      kTime,
	"revisions.published_at":    kTime,
	"revisions.publish_at":      kTime,
	"revisions.returned_at":     kTime,
	"revisions.major":           kBool,
	"translations.updated_at":   kTime,
	"publications.published_at": kTime,
	"publications.updated":      kBool,
	"publications.scheduled":    kBool,
	"users.disabled":            kBool,
	"users.must_change":         kBool,
	"users.created_at":          kTime,
	"sessions.created_at":       kTime,
	"sessions.idle_until":       kTime,
	"sessions.expires_at":       kTime,
	"audit.at":                  kTime,
	"media.uploaded_at":         kTime,
	"media.published_at":        kTime,
	"changes.at":                kTime,
	"attempts.at":               kTime,
	"attempts.cleared":          kBool,
	"refusals.win":              kTime,
	"offices.updated_at":        kTime,
	"offices.doc":               kJSON,
	"policies.updated_at":       kTime,
	"policies.doc":              kJSON,
	"org_units.updated_at":      kTime,
	"org_units.doc":             kJSON,
}

// sqliteTime is the SQLite store's time format.
const sqliteTime = "2006-01-02T15:04:05.000000000Z"

// querier is a *sql.DB or a *sql.Tx.
type querier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
	ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error)
}

// Progress is told how many rows of a table are copied so far, and once
// more with done set when the table is complete.
type Progress func(table string, rows int64, done bool)

// Sum is the count and checksum of one table.
type Sum struct {
	Table string
	Rows  int64
	SHA   string
}

// ErrNotEmpty is returned when the target holds data.
var ErrNotEmpty = errors.New("storecopy: the target database is not empty")

// Copy copies every table of src into dst in one transaction on dst, then
// compares both sides table by table before committing. It returns the
// sums of the tables (equal on both sides).
func Copy(ctx context.Context, src, dst Side, progress Progress) ([]Sum, error) {
	if progress == nil {
		progress = func(string, int64, bool) {}
	}
	// A consistent view of the source for the copy and its check.
	stx, err := src.DB.BeginTx(ctx, &sql.TxOptions{ReadOnly: src.Dialect == Postgres, Isolation: isolation(src.Dialect)})
	if err != nil {
		return nil, fmt.Errorf("storecopy: source: %w", err)
	}
	defer stx.Rollback()
	dtx, err := dst.DB.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("storecopy: target: %w", err)
	}
	defer dtx.Rollback()

	if err := checkSchema(ctx, stx, src.Dialect, dtx, dst.Dialect); err != nil {
		return nil, err
	}
	if err := checkEmpty(ctx, dtx); err != nil {
		return nil, err
	}
	// The rows that the target's migrations inserted give way to the
	// source's.
	for _, t := range []string{"sections", "changes"} {
		if _, err := dtx.ExecContext(ctx, `DELETE FROM `+t); err != nil {
			return nil, fmt.Errorf("storecopy: clear %s: %w", t, err)
		}
	}
	for _, t := range tables {
		if err := copyTable(ctx, t, stx, src.Dialect, dtx, dst.Dialect, progress); err != nil {
			return nil, err
		}
	}
	srcSums, err := Sums(ctx, stx, src.Dialect)
	if err != nil {
		return nil, fmt.Errorf("storecopy: source: %w", err)
	}
	dstSums, err := Sums(ctx, dtx, dst.Dialect)
	if err != nil {
		return nil, fmt.Errorf("storecopy: target: %w", err)
	}
	if err := Compare(srcSums, dstSums); err != nil {
		return nil, err
	}
	if err := dtx.Commit(); err != nil {
		return nil, fmt.Errorf("storecopy: commit: %w", err)
	}
	return dstSums, nil
}

func isolation(d Dialect) sql.IsolationLevel {
	if d == Postgres {
		return sql.LevelRepeatableRead
	}
	return sql.LevelDefault
}

// Compare reports every table whose count or checksum differs.
func Compare(a, b []Sum) error {
	var diffs []string
	bm := map[string]Sum{}
	for _, s := range b {
		bm[s.Table] = s
	}
	for _, s := range a {
		o, ok := bm[s.Table]
		switch {
		case !ok:
			diffs = append(diffs, s.Table+": missing on the target")
		case s.Rows != o.Rows:
			diffs = append(diffs, fmt.Sprintf("%s: %d rows on the source, %d on the target", s.Table, s.Rows, o.Rows))
		case s.SHA != o.SHA:
			diffs = append(diffs, fmt.Sprintf("%s: %d rows on both sides but their checksums differ", s.Table, s.Rows))
		}
	}
	if len(a) != len(b) {
		diffs = append(diffs, fmt.Sprintf("%d tables on the source, %d on the target", len(a), len(b)))
	}
	if diffs != nil {
		return fmt.Errorf("storecopy: the copy differs from the source:\n  %s", strings.Join(diffs, "\n  "))
	}
	return nil
}

// checkSchema checks that both sides have the same migrations applied and
// the tables of the list, with the same columns, and no other table.
func checkSchema(ctx context.Context, s querier, sd Dialect, d querier, dd Dialect) error {
	sm, err := migrations(ctx, s)
	if err != nil {
		return fmt.Errorf("storecopy: source: %w", err)
	}
	dm, err := migrations(ctx, d)
	if err != nil {
		return fmt.Errorf("storecopy: target: %w", err)
	}
	if !slices.Equal(sm, dm) {
		return fmt.Errorf("storecopy: the two databases are at different migrations (source %v, target %v): upgrade both first", sm, dm)
	}
	for _, side := range []struct {
		q querier
		d Dialect
	}{{s, sd}, {d, dd}} {
		names, err := tableNames(ctx, side.q, side.d)
		if err != nil {
			return err
		}
		for _, n := range names {
			if n != "schema_migrations" && !slices.Contains(Tables(), n) {
				return fmt.Errorf("storecopy: the %s database has a table %s that the copy does not know", side.d, n)
			}
		}
	}
	for _, t := range tables {
		sc, err := columns(ctx, s, sd, t.name)
		if err != nil {
			return err
		}
		dc, err := columns(ctx, d, dd, t.name)
		if err != nil {
			return err
		}
		if !sameSet(sc, dc) {
			return fmt.Errorf("storecopy: table %s has columns %v on the source and %v on the target", t.name, sc, dc)
		}
	}
	return nil
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

func migrations(ctx context.Context, q querier) ([]string, error) {
	return strings1(ctx, q, `SELECT name FROM schema_migrations ORDER BY name`)
}

func tableNames(ctx context.Context, q querier, d Dialect) ([]string, error) {
	if d == Postgres {
		return strings1(ctx, q, `SELECT table_name FROM information_schema.tables
			WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`)
	}
	return strings1(ctx, q, `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
}

// columns returns the columns of table, in their order in the schema.
func columns(ctx context.Context, q querier, d Dialect, table string) ([]string, error) {
	var cols []string
	var err error
	if d == Postgres {
		cols, err = strings1(ctx, q, `SELECT column_name FROM information_schema.columns
			WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`, table)
	} else {
		cols, err = strings1(ctx, q, `SELECT name FROM pragma_table_info(?) ORDER BY cid`, table)
	}
	if err == nil && len(cols) == 0 {
		err = fmt.Errorf("no table %s", table)
	}
	if err != nil {
		return nil, fmt.Errorf("storecopy: %s: %w", d, err)
	}
	return cols, nil
}

func strings1(ctx context.Context, q querier, query string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// checkEmpty refuses a target with any row beyond what its migrations
// insert: the default sections, and the change feed's starting row.
func checkEmpty(ctx context.Context, q querier) error {
	var held []string
	for _, t := range tables {
		where := ""
		switch t.name {
		case "sections":
			continue
		case "changes":
			where = ` WHERE topic <> 'start'`
		}
		var n int64
		if err := q.QueryRowContext(ctx, `SELECT count(*) FROM `+t.name+where).Scan(&n); err != nil {
			return fmt.Errorf("storecopy: target: %w", err)
		}
		if n > 0 {
			held = append(held, fmt.Sprintf("%s (%d)", t.name, n))
		}
	}
	if held != nil {
		return fmt.Errorf("%w: it holds %s; copy into a new database", ErrNotEmpty, strings.Join(held, ", "))
	}
	return nil
}

// copyTable copies the rows of t and sets the target's key sequence to
// the source's.
func copyTable(ctx context.Context, t table, s querier, sd Dialect, d querier, dd Dialect, progress Progress) error {
	cols, err := columns(ctx, s, sd, t.name)
	if err != nil {
		return err
	}
	ph := make([]string, len(cols))
	for i := range ph {
		ph[i] = "?"
		if dd == Postgres {
			ph[i] = "$" + strconv.Itoa(i+1)
		}
	}
	ins := `INSERT INTO ` + t.name + ` (` + quoteCols(cols) + `) VALUES (` + strings.Join(ph, ", ") + `)`
	rows, err := s.QueryContext(ctx, `SELECT `+quoteCols(cols)+` FROM `+t.name)
	if err != nil {
		return fmt.Errorf("storecopy: read %s: %w", t.name, err)
	}
	defer rows.Close()
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var n int64
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return fmt.Errorf("storecopy: read %s: %w", t.name, err)
		}
		args := make([]any, len(cols))
		for i, c := range cols {
			v, err := canon(kinds[t.name+"."+c], vals[i])
			if err != nil {
				return fmt.Errorf("storecopy: %s.%s of row %d: %w", t.name, c, n+1, err)
			}
			args[i] = encode(dd, kinds[t.name+"."+c], v)
		}
		if _, err := d.ExecContext(ctx, ins, args...); err != nil {
			return fmt.Errorf("storecopy: write %s row %d: %w", t.name, n+1, err)
		}
		n++
		if n%500 == 0 {
			progress(t.name, n, false)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("storecopy: read %s: %w", t.name, err)
	}
	rows.Close()
	if t.seq != "" {
		pos, err := seqPos(ctx, s, sd, t)
		if err != nil {
			return fmt.Errorf("storecopy: source sequence of %s: %w", t.name, err)
		}
		if err := setSeq(ctx, d, dd, t, pos); err != nil {
			return fmt.Errorf("storecopy: target sequence of %s: %w", t.name, err)
		}
	}
	progress(t.name, n, true)
	return nil
}

func quoteCols(cols []string) string {
	q := make([]string, len(cols))
	for i, c := range cols {
		q[i] = `"` + c + `"`
	}
	return strings.Join(q, ", ")
}

// seqPos returns the last value that t's key sequence handed out (0 if
// none), which may exceed the largest key when rows were deleted.
func seqPos(ctx context.Context, q querier, d Dialect, t table) (int64, error) {
	var pos sql.NullInt64
	var err error
	if d == Postgres {
		var seq string
		if err = q.QueryRowContext(ctx, `SELECT pg_get_serial_sequence($1, $2)`, t.name, t.seq).Scan(&seq); err != nil {
			return 0, err
		}
		err = q.QueryRowContext(ctx, `SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM `+seq).Scan(&pos)
	} else {
		err = q.QueryRowContext(ctx, `SELECT seq FROM sqlite_sequence WHERE name = ?`, t.name).Scan(&pos)
		if errors.Is(err, sql.ErrNoRows) {
			err = nil
		}
	}
	var max sql.NullInt64
	if err == nil {
		err = q.QueryRowContext(ctx, `SELECT max(`+t.seq+`) FROM `+t.name).Scan(&max)
	}
	return Max(pos.Int64, max.Int64), err
}

// Max is the larger of a and b.
func Max(a, b int64) int64 {
	if a > b {
		return a
	}
	return b
}

// setSeq makes t's key sequence hand out pos+1 next.
func setSeq(ctx context.Context, q querier, d Dialect, t table, pos int64) error {
	if d == Postgres {
		_, err := q.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence($1, $2), $3, $4)`, t.name, t.seq, Max(pos, 1), pos > 0)
		return err
	}
	res, err := q.ExecContext(ctx, `UPDATE sqlite_sequence SET seq = ? WHERE name = ?`, pos, t.name)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 && pos > 0 {
		_, err = q.ExecContext(ctx, `INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)`, t.name, pos)
	}
	return err
}

// canon turns a value as either driver returns it into the one form that
// both sides share: nil, int64, string, []byte, bool, a UTC time to the
// microsecond (PostgreSQL's precision), or JSON as canonical text.
func canon(k kind, v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch k {
	case kTime:
		switch x := v.(type) {
		case time.Time:
			return x.UTC().Truncate(time.Microsecond), nil
		case string:
			t, err := time.Parse(sqliteTime, x)
			if err != nil {
				return nil, fmt.Errorf("not a time: %q", x)
			}
			return t.UTC().Truncate(time.Microsecond), nil
		}
	case kDate:
		switch x := v.(type) {
		case time.Time:
			return x.Format(time.DateOnly), nil
		case string:
			if _, err := time.Parse(time.DateOnly, x); err != nil {
				return nil, fmt.Errorf("not a date: %q", x)
			}
			return x, nil
		}
	case kBool:
		switch x := v.(type) {
		case bool:
			return x, nil
		case int64:
			if x == 0 || x == 1 {
				return x == 1, nil
			}
		}
	case kJSON:
		var b []byte
		switch x := v.(type) {
		case string:
			b = []byte(x)
		case []byte:
			b = x
		default:
			return nil, fmt.Errorf("unexpected value %#v (%T)", v, v)
		}
		c, err := store.CanonicalJSON(b)
		if err != nil {
			return nil, fmt.Errorf("not JSON: %w", err)
		}
		return string(c), nil
	default:
		switch x := v.(type) {
		case int64, string:
			return x, nil
		case int32:
			return int64(x), nil
		case int:
			return int64(x), nil
		case []byte:
			return bytes.Clone(x), nil
		}
	}
	return nil, fmt.Errorf("unexpected value %#v (%T)", v, v)
}

// encode turns a canonical value into what the dialect stores.
func encode(d Dialect, k kind, v any) any {
	if v == nil || d == Postgres {
		return v
	}
	switch x := v.(type) {
	case time.Time:
		return x.Format(sqliteTime)
	case bool:
		if x {
			return int64(1)
		}
		return int64(0)
	}
	return v
}

// Sums returns the count and checksum of every copied table, and of the
// applied migrations (schema_migrations). A table's checksum is the
// SHA-256 of the sorted SHA-256s of its rows, each row rendered in the
// canonical form of canon, so that it does not depend on the dialect or on
// the order in which rows come.
func Sums(ctx context.Context, q querier, d Dialect) ([]Sum, error) {
	var out []Sum
	for _, t := range append(slices.Clone(tables), table{name: "schema_migrations"}) {
		cols, err := columns(ctx, q, d, t.name)
		if err != nil {
			return nil, err
		}
		// Columns by name, so that their order in the schema does not
		// matter.
		slices.Sort(cols)
		s, err := sum(ctx, q, t.name, cols)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

func sum(ctx context.Context, q querier, name string, cols []string) (Sum, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+quoteCols(cols)+` FROM `+name)
	if err != nil {
		return Sum{}, fmt.Errorf("%s: %w", name, err)
	}
	defer rows.Close()
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var digests [][sha256.Size]byte
	var b strings.Builder
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return Sum{}, fmt.Errorf("%s: %w", name, err)
		}
		b.Reset()
		for i, c := range cols {
			v, err := canon(kinds[name+"."+c], vals[i])
			if err != nil {
				return Sum{}, fmt.Errorf("%s.%s: %w", name, c, err)
			}
			b.WriteString(c)
			b.WriteByte('=')
			render(&b, v)
			b.WriteByte('\x1f')
		}
		digests = append(digests, sha256.Sum256([]byte(b.String())))
	}
	if err := rows.Err(); err != nil {
		return Sum{}, fmt.Errorf("%s: %w", name, err)
	}
	slices.SortFunc(digests, func(x, y [sha256.Size]byte) int { return bytes.Compare(x[:], y[:]) })
	h := sha256.New()
	for _, d := range digests {
		h.Write(d[:])
	}
	return Sum{Table: name, Rows: int64(len(digests)), SHA: hex.EncodeToString(h.Sum(nil))}, nil
}

// render writes a canonical value: times in UTC to the microsecond,
// booleans as 0/1, strings quoted, blobs in hex.
func render(b *strings.Builder, v any) {
	switch x := v.(type) {
	case nil:
		b.WriteString("NULL")
	case int64:
		b.WriteString(strconv.FormatInt(x, 10))
	case string:
		b.WriteString(strconv.Quote(x))
	case []byte:
		b.WriteString("x'" + hex.EncodeToString(x) + "'")
	case bool:
		if x {
			b.WriteString("1")
		} else {
			b.WriteString("0")
		}
	case time.Time:
		b.WriteString(x.UTC().Format("2006-01-02T15:04:05.000000Z"))
	}
}
