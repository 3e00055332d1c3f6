package sqlite

import (
	"context"
	"database/sql"
	"io/fs"
	"path/filepath"
	"testing"
	"testing/fstest"

	"portail/internal/store/migrate"
)

// openBefore creates a database with the migrations numbered below first
// applied, as a database made before migration first was, and returns its
// path and a raw handle, for the tests of what first does to old data.
func openBefore(t *testing.T, first string) (string, *sql.DB) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "portail.db")
	old := fstest.MapFS{}
	names, _ := fs.Glob(migrations, "migrations/*.sql")
	for _, n := range names {
		if filepath.Base(n) < first {
			b, _ := migrations.ReadFile(n)
			old[n] = &fstest.MapFile{Data: b}
		}
	}
	raw, err := sql.Open("sqlite", "file:"+path+"?_pragma=foreign_keys(1)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	if err := migrate.Up(context.Background(), raw, old, "migrations", "?"); err != nil {
		t.Fatal(err)
	}
	return path, raw
}
