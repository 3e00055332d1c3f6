package cli

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"portail/internal/lang"
	"portail/internal/store/postgres"
	"portail/internal/store/sqlite"
)

// serveOnce starts serve on a free loopback port, checks that the site
// answers, then stops it the way SIGTERM does (context cancel).
func serveOnce(t *testing.T, dbPath string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	addrc := make(chan string, 1)
	var stderr bytes.Buffer
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, Env{
			Args:   []string{"serve", "-addr", "127.0.0.1:0"},
			Getenv: func(k string) string { return map[string]string{"PORTAIL_DB": dbPath}[k] },
			Stdout: &bytes.Buffer{}, Stderr: &stderr,
			Ready: func(addr string) { addrc <- addr },
		})
	}()
	var addr string
	select {
	case addr = <-addrc:
	case err := <-done:
		t.Fatalf("serve stopped before listening: %v\n%s", err, stderr.String())
	}
	for _, path := range []string{"/readyz", "/fr/ministere/mission", "/en/department/mission"} {
		res, err := http.Get("http://" + addr + path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 200 {
			t.Errorf("%s: %d", path, res.StatusCode)
		}
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("graceful shutdown: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop after its context was cancelled")
	}
	return stderr.String()
}

func TestServeCreatesSeedsAndReusesDatabase(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "sub", "portail.db")
	first := serveOnce(t, dbPath)
	if !strings.Contains(first, "loaded default content") {
		t.Errorf("first start did not seed:\n%s", first)
	}
	second := serveOnce(t, dbPath)
	if strings.Contains(second, "loaded default content") {
		t.Errorf("second start seeded again:\n%s", second)
	}
	db, err := sqlite.Open(context.Background(), dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	revs, err := db.Revisions(context.Background(), "mission", lang.FR)
	if err != nil || len(revs) != 1 {
		t.Fatalf("mission has %d French revisions after two starts (%v)", len(revs), err)
	}
}

func TestMigrateAndUsage(t *testing.T) {
	var out, errOut bytes.Buffer
	env := Env{Stdout: &out, Stderr: &errOut}
	env.Args = []string{"migrate", "-db", filepath.Join(t.TempDir(), "m.db")}
	if err := Run(context.Background(), env); err != nil {
		t.Fatalf("migrate: %v\n%s", err, errOut.String())
	}
	if !strings.Contains(out.String(), "up to date") {
		t.Errorf("migrate printed %q", out.String())
	}
	env.Args = []string{"frobnicate"}
	if err := Run(context.Background(), env); !errors.Is(err, ErrUsage) {
		t.Errorf("unknown command: %v", err)
	}
	env.Args = []string{"serve", "-nope"}
	if err := Run(context.Background(), env); !errors.Is(err, ErrUsage) {
		t.Errorf("unknown flag: %v", err)
	}
	env.Args = []string{"migrate", "-db", "postgres://localhost:port/x"}
	if err := Run(context.Background(), env); err == nil {
		t.Error("a malformed postgres URL was accepted")
	}
}

// migrate -db postgres://… prepares an empty PostgreSQL database, and
// serve runs on it, seeding once.
func TestMigrateThenServeOnPostgres(t *testing.T) {
	url := pg.EmptyURL(t)
	var out, errOut bytes.Buffer
	if err := Run(context.Background(), Env{Args: []string{"migrate", "-db", url}, Stdout: &out, Stderr: &errOut}); err != nil {
		t.Fatalf("migrate: %v\n%s", err, errOut.String())
	}
	if !strings.Contains(errOut.String(), "loaded default content") {
		t.Errorf("migrate did not seed:\n%s", errOut.String())
	}
	if second := serveOnce(t, url); strings.Contains(second, "loaded default content") {
		t.Errorf("serve seeded again:\n%s", second)
	}
	// Its pool's figures are on the metrics address.
	on := startServe(t, nil, "-db", url, "-metrics-addr", "127.0.0.1:0")
	_, body := httpGet(t, "http://"+on.metrics+"/metrics")
	on.stop()
	for _, want := range []string{`portail_db_pool_connections{state="idle"}`, `portail_db_pool_connections{state="in_use"}`,
		"portail_db_pool_max_connections", "portail_db_pool_acquires_total"} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics on PostgreSQL lack %s", want)
		}
	}
	db, err := postgres.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if revs, err := db.Revisions(context.Background(), "mission", lang.FR); err != nil || len(revs) != 1 {
		t.Fatalf("mission has %d French revisions after migrate and serve (%v)", len(revs), err)
	}
}

// -trusted-proxies reaches the server: HTTPS that ended at a trusted
// proxy gets Strict-Transport-Security, the same header from an address
// that is not trusted does not, and a malformed list is a usage error.
func TestServeTrustedProxies(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "portail.db")
	hsts := func(env map[string]string, args ...string) bool {
		t.Helper()
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		addrc := make(chan string, 1)
		done := make(chan error, 1)
		var stderr bytes.Buffer
		go func() {
			done <- Run(ctx, Env{
				Args:   append([]string{"serve", "-addr", "127.0.0.1:0", "-db", dbPath}, args...),
				Getenv: func(k string) string { return env[k] },
				Stdout: &bytes.Buffer{}, Stderr: &stderr,
				Ready: func(addr string) { addrc <- addr },
			})
		}()
		var addr string
		select {
		case addr = <-addrc:
		case err := <-done:
			t.Fatalf("serve: %v\n%s", err, stderr.String())
		}
		req, _ := http.NewRequest("GET", "http://"+addr+"/healthz", nil)
		req.Header.Set("X-Forwarded-Proto", "https")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		cancel()
		if err := <-done; err != nil {
			t.Fatalf("serve: %v", err)
		}
		return res.Header.Get("Strict-Transport-Security") != ""
	}
	if hsts(nil) {
		t.Error("HSTS on plain HTTP with no trusted proxy")
	}
	if hsts(nil, "-trusted-proxies", "192.0.2.0/24") {
		t.Error("HSTS because an untrusted peer said https")
	}
	if !hsts(nil, "-trusted-proxies", "192.0.2.0/24, 127.0.0.0/8") {
		t.Error("no HSTS for HTTPS that ended at a trusted proxy (flag)")
	}
	if !hsts(map[string]string{"PORTAIL_TRUSTED_PROXIES": "127.0.0.1"}) {
		t.Error("no HSTS for HTTPS that ended at a trusted proxy (environment)")
	}
	for _, bad := range []string{"nonsense", "10.0.0.0/33", "10.0.0.0/8;127.0.0.0/8"} {
		var errOut bytes.Buffer
		err := Run(context.Background(), Env{Args: []string{"serve", "-db", dbPath, "-trusted-proxies", bad}, Stdout: &bytes.Buffer{}, Stderr: &errOut})
		if !errors.Is(err, ErrUsage) || !strings.Contains(errOut.String(), "-trusted-proxies") {
			t.Errorf("-trusted-proxies %q: %v, %q", bad, err, errOut.String())
		}
	}
}

// Two instances starting together on one empty PostgreSQL database both
// come up: one migrates, seeds and creates the first administrator, the
// other finds them done.
func TestTwoInstancesStartTogetherOnPostgres(t *testing.T) {
	url := pg.EmptyURL(t)
	var wg sync.WaitGroup
	runs := make([]running, 2)
	for i := range runs {
		wg.Go(func() { runs[i] = startServe(t, nil, "-db", url) })
	}
	wg.Wait()
	for _, r := range runs {
		if res, _ := httpGet(t, "http://"+r.addr+"/fr/ministere/mission"); res.StatusCode != 200 {
			t.Errorf("%s: %d", r.addr, res.StatusCode)
		}
	}
	logs := runs[0].stop() + runs[1].stop()
	if n := strings.Count(logs, "created the first administrator"); n != 1 {
		t.Errorf("the first administrator was created %d times:\n%s", n, logs)
	}
	db, err := postgres.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if users, err := db.Users(context.Background()); err != nil || len(users) != 1 {
		t.Fatalf("%d accounts (%v), want the one first administrator", len(users), err)
	}
	if revs, err := db.Revisions(context.Background(), "mission", lang.FR); err != nil || len(revs) != 1 {
		t.Fatalf("mission has %d French revisions (%v), want one: seeded once", len(revs), err)
	}
}
