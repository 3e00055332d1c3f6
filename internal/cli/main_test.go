package cli

import (
	"os"
	"testing"

	"portail/internal/store/postgres/pgtest"
)

// pg is the PostgreSQL server of the tests that run a command on that
// store; it starts when the first of them asks for a database.
var pg = pgtest.New(nil)

func TestMain(m *testing.M) {
	code := m.Run()
	pg.Stop()
	os.Exit(code)
}
