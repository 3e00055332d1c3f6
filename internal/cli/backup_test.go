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
	"portail/internal/store/sqlite"
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
// restores into a database that passes the integrity check.
func TestBackupUnderWriteLoadAndRestore(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "portail.db")
	db, err := sqlite.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

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
	out := filepath.Join(dir, "backup.db")
	before := ackedNow()
	msg, err := runCmd("backup", "-db", dbPath, "-out", out)
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

	restored := filepath.Join(dir, "restored", "portail.db")
	if msg, err := runCmd("restore", "-from", out, "-db", restored); err != nil {
		t.Fatalf("restore: %v\n%s", err, msg)
	}
	rdb, err := sqlite.Open(ctx, restored)
	if err != nil {
		t.Fatal(err)
	}
	defer rdb.Close()
	var check string
	if err := rdb.SQL().QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check of the restored database: %q, %v", check, err)
	}
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
		{"restore PostgreSQL", []string{"restore", "-from", good, "-db", "postgres://localhost/portail"}, "pg_dump"},
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
