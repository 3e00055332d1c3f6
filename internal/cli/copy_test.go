package cli

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"portail/internal/store/storecopy"
)

// copy moves a migrated SQLite database to PostgreSQL and back, printing a
// line per table when its output is not a terminal, and refuses a target
// that holds data.
func TestCopyCommand(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "portail.db")
	if out, err := runCmd("migrate", "-db", src); err != nil {
		t.Fatalf("migrate: %v\n%s", err, out)
	}
	pgURL := pg.URL(t)
	out, err := runCmd("copy", "-from", src, "-to", pgURL)
	if err != nil {
		t.Fatalf("copy to PostgreSQL: %v\n%s", err, out)
	}
	for _, table := range storecopy.Tables() {
		if !strings.Contains(out, "\n"+table+": ") && !strings.HasPrefix(out, table+": ") {
			t.Errorf("no progress line for %s:\n%s", table, out)
		}
	}
	if strings.Contains(out, "\r") || !strings.Contains(out, "counts and checksums match") {
		t.Errorf("output:\n%s", out)
	}
	back := filepath.Join(dir, "back.db")
	if out, err := runCmd("copy", "-from", pgURL, "-to", back); err != nil {
		t.Fatalf("copy back: %v\n%s", err, out)
	}
	out, err = runCmd("copy", "-from", back, "-to", pgURL)
	if err == nil || !errors.Is(err, storecopy.ErrNotEmpty) {
		t.Fatalf("copy into a populated database: %v\n%s", err, out)
	}
	if _, err := runCmd("copy", "-from", filepath.Join(dir, "absent.db"), "-to", filepath.Join(dir, "new.db")); err == nil {
		t.Fatal("copy from a missing file succeeded")
	}
	if _, err := runCmd("copy", "-from", src); !errors.Is(err, ErrUsage) {
		t.Fatalf("copy without -to: %v", err)
	}
}
