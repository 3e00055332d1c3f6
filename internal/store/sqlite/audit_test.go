package sqlite

import (
	"context"
	"path/filepath"
	"testing"

	"portail/internal/audit"
)

// The store has no method that changes an audit entry; the triggers make
// sure that a statement run by hand cannot either.
func TestAuditIsAppendOnly(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "portail.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.AppendAudit(ctx, audit.Entry{Actor: "a@example.org", Action: audit.Login}); err != nil {
		t.Fatal(err)
	}
	for _, stmt := range []string{`UPDATE audit SET actor = 'someone else'`, `DELETE FROM audit`} {
		if _, err := db.SQL().ExecContext(ctx, stmt); err == nil {
			t.Errorf("%s succeeded", stmt)
		}
	}
	if es, _ := db.AuditLog(ctx, audit.Filter{}); len(es) != 1 || es[0].Actor != "a@example.org" {
		t.Fatalf("entries = %+v", es)
	}
}
