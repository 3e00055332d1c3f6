package admin_test

import (
	"context"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"portail/internal/server"
	"portail/internal/store/sqlite"
	"portail/internal/store/storetest"
)

// harness is the full server on a fresh database with a settable clock
// that both the server and the store read.
type harness struct {
	srv   *server.Server
	db    *sqlite.DB
	path  string
	clock *storetest.Clock
	opts  []func(*server.Config)
}

// newHarness builds the harness; opts change the server's configuration.
func newHarness(t *testing.T, opts ...func(*server.Config)) *harness {
	t.Helper()
	h := &harness{path: filepath.Join(t.TempDir(), "portail.db"), clock: &storetest.Clock{T: time.Date(2026, 3, 2, 14, 0, 0, 0, time.UTC)}, opts: opts}
	h.open(t)
	return h
}

// open (re)opens the database and builds a new server on it, as a restart does.
func (h *harness) open(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, h.path, sqlite.WithClock(h.clock.Now))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	cfg := server.Config{Store: db, Now: h.clock.Now, MaxUpload: 64 << 10}
	for _, o := range h.opts {
		o(&cfg)
	}
	srv, err := server.New(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() }) // before the database's
	h.srv, h.db = srv, db
}

func readBody(t *testing.T, res *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func wantStatus(t *testing.T, res *http.Response, want int) string {
	t.Helper()
	body := readBody(t, res)
	if res.StatusCode != want {
		t.Fatalf("status %d, want %d\n%s", res.StatusCode, want, body)
	}
	return body
}

func wantContains(t *testing.T, body string, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if !strings.Contains(body, s) {
			t.Errorf("body lacks %q", s)
		}
	}
}
