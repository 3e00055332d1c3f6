package e2e

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"portail/internal/server"
	"portail/internal/server/servertest"
	"portail/internal/store/sqlite"
	"portail/internal/testenv"
)

// TestMain closes the shared browser once every test has run.
func TestMain(m *testing.M) {
	code := m.Run()
	if shared.stop != nil {
		shared.stop()
	}
	os.Exit(code)
}

// app is the whole server on its own fresh, seeded database.
type app struct {
	srv *server.Server
	db  *sqlite.DB
	ts  *httptest.Server

	session *http.Cookie // staff session, set by signIn
}

func newApp(t *testing.T) *app {
	t.Helper()
	// The product's own modules back their pages: the crawls reach the
	// directory's offices, the organization chart and the policy through
	// the route table.
	srv, db := servertest.New(t, servertest.Options{Config: server.Config{MaxUpload: maxUpload}})
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return &app{srv: srv, db: db, ts: ts}
}

// shared is the one headless Chromium of the test binary; every test opens
// its own tabs in it.
var shared struct {
	once sync.Once
	ctx  context.Context
	err  error
	stop func()
}

var errNoChromium = errors.New("chromium not installed: apt-get install chromium")

func startBrowser() {
	path, err := exec.LookPath("chromium")
	if err != nil {
		shared.err = errNoChromium
		return
	}
	dir, err := os.MkdirTemp("", "portail-e2e-chromium-")
	if err != nil {
		shared.err = err
		return
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.UserDataDir(dir),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	shared.stop = func() {
		cancelCtx()
		cancelAlloc()
		os.RemoveAll(dir)
	}
	if err := chromedp.Do(ctx); err != nil { // starts the browser
		shared.err = err
		return
	}
	shared.ctx = ctx
}

// tabTimeout bounds the life of one tab, so that a hung browser fails the
// test with a message instead of stalling until go test's own timeout.
const tabTimeout = 3 * time.Minute

// newTab returns a fresh tab of the shared browser, closed at the end of t.
// Each tab has its own browser context, so that cookies set or deleted in
// one (signing in or out) do not reach tabs running in parallel. It skips
// t when Chromium is not installed, and fails it in CI.
func newTab(t *testing.T) context.Context {
	t.Helper()
	shared.once.Do(startBrowser)
	if errors.Is(shared.err, errNoChromium) {
		testenv.Missing(t, shared.err.Error())
	}
	if shared.err != nil {
		t.Fatalf("starting chromium: %v", shared.err)
	}
	ctx, cancelTimeout := context.WithTimeout(shared.ctx, tabTimeout)
	tab, cancelTab := chromedp.NewContext(ctx, chromedp.WithNewBrowserContext())
	t.Cleanup(func() {
		cancelTab()
		cancelTimeout()
	})
	if err := chromedp.Do(tab); err != nil { // opens the tab
		t.Fatalf("opening a tab: %v", err)
	}
	return tab
}

// repoRoot returns the module root: the first parent of the working
// directory that holds go.mod.
func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the working directory")
		}
		dir = parent
	}
}

// npmFile returns the path of a file installed by npm ci, skipping t when
// it is missing (failing it in CI).
func npmFile(t *testing.T, rel string) string {
	t.Helper()
	p := filepath.Join(repoRoot(t), "node_modules", filepath.FromSlash(rel))
	if _, err := os.Stat(p); err != nil {
		testenv.Missing(t, filepath.Join("node_modules", rel)+" missing: run npm ci at the repository root (package.json pins the test tools)")
	}
	return p
}

// noRedirect makes an http.Client return redirects instead of following them.
func noRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
