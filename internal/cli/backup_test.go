package cli

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"portail/internal/apperr"
	"portail/internal/audit"
	"portail/internal/content"
	"portail/internal/lang"
	"portail/internal/store"
	"portail/internal/store/postgres"
	"portail/internal/store/sqlite"

	"github.com/jackc/pgx/v5"
)

// runCmd runs a portail command and returns its error and what it wrote.
func runCmd(args ...string) (string, error) {
	var out bytes.Buffer
	err := Run(context.Background(), Env{Args: args, Stdout: &out, Stderr: &out})
	return out.String(), err
}

// publishPage creates page key and publishes its French version through
// the store, as the staff side does.
func publishPage(ctx context.Context, s store.Store, key string) error {
	if err := s.CreatePage(ctx, content.Page{Key: key, Section: content.SectionDepartment}); err != nil {
		return err
	}
	r, err := s.SaveRevision(ctx, content.Revision{PageKey: key, Lang: lang.FR, Path: "ministere/" + key,
		Title: "Page " + key, Body: "Texte de " + key, Author: "ed@example.org", State: content.Review})
	if err != nil {
		return err
	}
	reviewer := content.Actor{Name: "rev@example.org", Approve: true}
	_, err = store.Step(ctx, s, reviewer, r.ID, content.Request{Action: content.ActPublish}, audit.Origin{Actor: reviewer.Name})
	return err
}

// A backup taken while writers publish holds every publication
// acknowledged before it began and none acknowledged after it ended, and
// restores into a database that passes its integrity check, on each store.
func TestBackupUnderWriteLoadAndRestore(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		dir := t.TempDir()
		dsn := filepath.Join(dir, "portail.db")
		db, err := sqlite.Open(t.Context(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		target := filepath.Join(dir, "restored", "portail.db")
		testBackupUnderLoad(t, db, dsn, filepath.Join(dir, "backup.db"), target, func(t *testing.T) store.Store {
			rdb, err := sqlite.Open(t.Context(), target)
			if err != nil {
				t.Fatal(err)
			}
			var check string
			if err := rdb.SQL().QueryRowContext(t.Context(), `PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
				t.Fatalf("integrity_check of the restored database: %q, %v", check, err)
			}
			return rdb
		})
	})
	t.Run("postgres", func(t *testing.T) {
		dsn := pg.URL(t)
		db, err := postgres.Open(t.Context(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		target := pg.EmptyURL(t)
		testBackupUnderLoad(t, db, dsn, filepath.Join(t.TempDir(), "backup.pgdump"), target, func(t *testing.T) store.Store {
			rdb, err := postgres.Open(t.Context(), target)
			if err != nil {
				t.Fatal(err)
			}
			checkIndexes(t, rdb)
			return rdb
		})
	})
}

// checkIndexes runs PostgreSQL's amcheck on every B-tree index of the
// store's schema, with heapallindexed: each index agrees with its table.
func checkIndexes(t *testing.T, db *postgres.DB) {
	ctx := t.Context()
	if _, err := db.Pool().Exec(ctx, `CREATE EXTENSION IF NOT EXISTS amcheck`); err != nil {
		t.Fatalf("amcheck: %v", err)
	}
	var n int
	err := db.Pool().QueryRow(ctx, `
		SELECT count(bt_index_check(c.oid, true))
		FROM pg_index i
		JOIN pg_class c ON c.oid = i.indexrelid
		JOIN pg_am am ON am.oid = c.relam
		WHERE am.amname = 'btree' AND c.relnamespace = current_schema()::regnamespace`).Scan(&n)
	if err != nil {
		t.Fatalf("amcheck of the restored database: %v", err)
	}
	if n == 0 {
		t.Fatal("amcheck checked no index")
	}
	t.Logf("amcheck: %d indexes agree with their tables", n)
}

// testBackupUnderLoad publishes from three writers into db (whose -db is
// dsn), backs it up into out in their midst, restores the backup into
// target, and checks with the store that open returns on it which
// publications the backup holds.
func testBackupUnderLoad(t *testing.T, db store.Store, dsn, out, target string, open func(*testing.T) store.Store) {
	ctx := t.Context()
	var (
		mu    sync.Mutex
		acked []string // publications acknowledged, in order
		errs  []error
	)
	ackc := make(chan struct{}, 1) // a signal per acknowledgement, dropped when full
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := range 3 {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				key := fmt.Sprintf("p%d-%d", w, i)
				if err := publishPage(ctx, db, key); err != nil {
					mu.Lock()
					errs = append(errs, fmt.Errorf("%s: %w", key, err))
					mu.Unlock()
					return
				}
				mu.Lock()
				acked = append(acked, key)
				mu.Unlock()
				select {
				case ackc <- struct{}{}:
				default:
				}
			}
		})
	}
	ackedNow := func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), acked...)
	}
	for len(ackedNow()) < 30 {
		<-ackc
	}
	before := ackedNow()
	msg, err := runCmd("backup", "-db", dsn, "-out", out)
	after := ackedNow()
	if err != nil {
		close(stop)
		wg.Wait()
		t.Fatalf("backup: %v\n%s", err, msg)
	}
	// Writers go on after the backup: a publication acknowledged now
	// committed after the backup's snapshot.
	for n := len(after); len(ackedNow()) < n+3; {
		<-ackc
	}
	later := ackedNow()[len(after):]
	close(stop)
	wg.Wait()
	if len(errs) > 0 {
		t.Fatalf("writers failed: %v", errs)
	}

	if msg, err := runCmd("restore", "-from", out, "-db", target); err != nil {
		t.Fatalf("restore: %v\n%s", err, msg)
	}
	rdb := open(t)
	defer rdb.Close()
	has := func(key string) bool {
		tr, err := rdb.Translation(ctx, key, lang.FR)
		if err != nil && apperr.KindOf(err) != apperr.NotFound {
			t.Fatal(err)
		}
		return err == nil && tr.RevisionID != 0
	}
	for _, key := range before {
		if !has(key) {
			t.Errorf("%s was acknowledged before the backup began but is not in it", key)
		}
	}
	for _, key := range later {
		if has(key) {
			t.Errorf("%s was acknowledged after the backup ended but is in it", key)
		}
	}
	t.Logf("%d publications before the backup, %d during it, %d checked after", len(before), len(after)-len(before), len(later))
}

// backup never overwrites, restore only fills an empty store, and a
// backup that is damaged, not portail's, or from a newer portail is
// refused before anything is copied.
func TestBackupAndRestoreRefuse(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "portail.db")
	if msg, err := runCmd("migrate", "-db", dbPath); err != nil {
		t.Fatalf("migrate: %v\n%s", err, msg)
	}
	good := filepath.Join(dir, "good.db")
	if msg, err := runCmd("backup", "-db", dbPath, "-out", good); err != nil {
		t.Fatalf("backup: %v\n%s", err, msg)
	}
	// A damaged copy: the good one with a stretch of its pages zeroed.
	body, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	damaged := filepath.Join(dir, "damaged.db")
	bad := append([]byte(nil), body...)
	clear(bad[len(bad)/2 : len(bad)/2+8192])
	if err := os.WriteFile(damaged, bad, 0o600); err != nil {
		t.Fatal(err)
	}
	// A SQLite file that is not a portail database.
	foreign := filepath.Join(dir, "foreign.db")
	if _, err := runCmd("backup", "-db", dbPath, "-out", foreign); err != nil {
		t.Fatal(err)
	}
	newer := filepath.Join(dir, "newer.db")
	if _, err := runCmd("backup", "-db", dbPath, "-out", newer); err != nil {
		t.Fatal(err)
	}
	for file, sql := range map[string]string{
		foreign: `DROP TABLE schema_migrations`,
		newer:   `INSERT INTO schema_migrations (name) VALUES ('9999_from_the_future.sql')`,
	} {
		d, err := sqlite.Open(ctx, filepath.Join(dir, "scratch.db"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := d.SQL().ExecContext(ctx, `ATTACH DATABASE ? AS other`, file); err != nil {
			t.Fatal(err)
		}
		if _, err := d.SQL().ExecContext(ctx, strings.Replace(sql, "schema_migrations", "other.schema_migrations", 1)); err != nil {
			t.Fatal(err)
		}
		d.Close()
	}

	goodBefore, _ := os.ReadFile(good)
	for _, tc := range []struct {
		name string
		args []string
		want string // one of these, split at "|"
	}{
		{"backup over a file", []string{"backup", "-db", dbPath, "-out", good}, "already exists"},
		{"backup of no database", []string{"backup", "-db", filepath.Join(dir, "none.db"), "-out", filepath.Join(dir, "x.db")}, "no such file"},
		{"restore into a store in use", []string{"restore", "-from", good, "-db", dbPath}, "is not empty"},
		{"restore a damaged file", []string{"restore", "-from", damaged, "-db", filepath.Join(dir, "r1.db")}, "malformed|integrity check"},
		{"restore a foreign file", []string{"restore", "-from", foreign, "-db", filepath.Join(dir, "r2.db")}, "not a portail database"},
		{"restore a newer portail's", []string{"restore", "-from", newer, "-db", filepath.Join(dir, "r3.db")}, "newer portail"},
	} {
		msg, err := runCmd(tc.args...)
		t.Logf("%s: %v", tc.name, err)
		if err == nil || !slices.ContainsFunc(strings.Split(tc.want, "|"), func(w string) bool { return strings.Contains(err.Error(), w) }) {
			t.Errorf("%s: %v (want %q)\n%s", tc.name, err, tc.want, msg)
		}
	}
	if now, _ := os.ReadFile(good); !bytes.Equal(now, goodBefore) {
		t.Error("a refused backup changed the existing file")
	}
	for _, f := range []string{"r1.db", "r2.db", "r3.db", "x.db", "none.db"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err == nil {
			t.Errorf("a refused command left %s behind", f)
		}
	}
	if _, err := runCmd("user", "list", "-db", dbPath); err != nil {
		t.Errorf("the store in use after a refused restore: %v", err)
	}
}

// On PostgreSQL too, backup never overwrites and refuses a database that
// a newer portail migrated, and restore refuses a database that holds
// anything and a file that pg_restore cannot read, leaving the target
// empty.
func TestPostgresBackupAndRestoreRefuse(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	live := pg.URL(t)
	db, err := postgres.Open(ctx, live)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	good := filepath.Join(dir, "good.pgdump")
	if msg, err := runCmd("backup", "-db", live, "-out", good); err != nil {
		t.Fatalf("backup: %v\n%s", err, msg)
	}
	body, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	damaged := filepath.Join(dir, "damaged.pgdump")
	if err := os.WriteFile(damaged, body[:len(body)/2], 0o600); err != nil {
		t.Fatal(err)
	}
	sqliteFile := filepath.Join(dir, "portail.db")
	if msg, err := runCmd("migrate", "-db", sqliteFile); err != nil {
		t.Fatalf("migrate: %v\n%s", err, msg)
	}
	newer := pg.URL(t)
	ndb, err := postgres.Open(ctx, newer)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ndb.Pool().Exec(ctx, `INSERT INTO schema_migrations (name) VALUES ('9999_from_the_future.sql')`); err != nil {
		t.Fatal(err)
	}
	ndb.Close()

	target := pg.EmptyURL(t)
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"backup over a file", []string{"backup", "-db", live, "-out", good}, "already exists"},
		{"backup of a newer portail's", []string{"backup", "-db", newer, "-out", filepath.Join(dir, "n.pgdump")}, "newer portail"},
		{"restore into a store in use", []string{"restore", "-from", good, "-db", live}, "not empty"},
		{"restore a damaged file", []string{"restore", "-from", damaged, "-db", target}, "not a backup that pg_restore can read"},
		{"restore a SQLite file", []string{"restore", "-from", sqliteFile, "-db", target}, "not a backup that pg_restore can read"},
	} {
		msg, err := runCmd(tc.args...)
		t.Logf("%s: %v", tc.name, err)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v (want %q)\n%s", tc.name, err, tc.want, msg)
		}
	}
	if now, _ := os.ReadFile(good); !bytes.Equal(now, body) {
		t.Error("a refused backup changed the existing file")
	}
	if _, err := os.Stat(filepath.Join(dir, "n.pgdump")); err == nil {
		t.Error("a refused backup left its file behind")
	}
	conn, err := pgx.Connect(ctx, target)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var tables int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()`).Scan(&tables); err != nil || tables != 0 {
		t.Errorf("the target after refused restores holds %d tables (%v), want none", tables, err)
	}
	if msg, err := runCmd("restore", "-from", good, "-db", target); err != nil {
		t.Fatalf("restore into the empty target after the refusals: %v\n%s", err, msg)
	}
	if _, err := runCmd("user", "list", "-db", target); err != nil {
		t.Errorf("the restored store: %v", err)
	}
}
