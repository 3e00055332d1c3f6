package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"

	"portail/internal/content"
	"portail/internal/lang"
	"portail/internal/site"
	"portail/internal/store"
	"portail/internal/store/postgres"
	"portail/internal/store/sqlite"
)

// crashChildDB, when set, makes TestCrashKeepsAcknowledgedPublishes act as
// the child process: it runs serve on that database until it is killed.
// crashChildArgs adds serve flags, separated by spaces.
const (
	crashChildDB   = "PORTAIL_CRASH_CHILD_DB"
	crashChildArgs = "PORTAIL_CRASH_CHILD_ARGS"
)

// The staff accounts of the crash test: an editor writes and sends to
// review, a reviewer publishes (nobody approves their own change).
const (
	crashEditor   = "redaction@example.org"
	crashReviewer = "revision@example.org"
	crashPassword = "une phrase de passe assez longue"
)

// TestCrashKeepsAcknowledgedPublishes is issue 3: a child process serving
// the site is killed with SIGKILL in the middle of a stream of staff
// publications, several times over; after each kill the database must be
// intact, every publication the staff side acknowledged must be there,
// and, once serve restarts, each page must show its acknowledged text.
//
// The child is this test binary re-executed to run the real serve on
// 127.0.0.1:0; it prints its address on stdout. Three staff workers
// publish at once, each in a loop: create a page (or take one of its own
// again), save a French revision and send it to review as the editor, read
// the revision's number from the editor, and publish it as the reviewer.
// A publication is acknowledged when its POST got the app's answer to a
// successful publication: 303 to /admin/revisions/ID?published, sent
// after the transaction committed. The kill comes after a random number
// of answers, so the other workers are mid-request, at any step.
//
// SIGKILL stands for a crash of the process (an out-of-memory kill, a
// panic in a C library); in WAL mode with synchronous=NORMAL a committed
// transaction survives that, though not necessarily a power cut.
//
// The same test runs on PostgreSQL, the child serving a database of the
// test server: what a crash of portail must not lose there is the same.
func TestCrashKeepsAcknowledgedPublishes(t *testing.T) {
	if dbPath := os.Getenv(crashChildDB); dbPath != "" {
		serveUntilKilled(dbPath, strings.Fields(os.Getenv(crashChildArgs)))
		return
	}
	if testing.Short() {
		t.Skip("crash test: skipped with -short")
	}
	t.Run("sqlite", func(t *testing.T) {
		crashRounds(t, filepath.Join(t.TempDir(), "crash.db"))
	})
	t.Run("postgres", func(t *testing.T) {
		crashRounds(t, pg.EmptyURL(t))
	})
}

// prepareCrashDB migrates and seeds db and adds the editor and reviewer
// accounts, as `portail migrate` and `portail user add` do, with the
// password on stdin, so that they need no password change.
func prepareCrashDB(t *testing.T, db string) {
	t.Helper()
	ctx := context.Background()
	if err := Run(ctx, Env{Args: []string{"migrate", "-db", db}, Stdout: io.Discard, Stderr: io.Discard}); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	for _, acc := range [][2]string{{crashEditor, "editor"}, {crashReviewer, "reviewer"}} {
		var out, errOut bytes.Buffer
		err := Run(ctx, Env{
			Args:  []string{"user", "add", "-db", db, "-email", acc[0], "-name", "Test " + acc[1], "-role", acc[1]},
			Stdin: strings.NewReader(crashPassword + "\n"), Stdout: &out, Stderr: &errOut,
		})
		if err != nil {
			t.Fatalf("user add %s: %v\n%s", acc[0], err, errOut.String())
		}
	}
}

func newLedger() *ledger {
	return &ledger{revs: map[int64]crashRev{}, last: map[string]int64{}, inflight: map[int64]bool{}}
}

// crashRounds is the crash test on the database db.
func crashRounds(t *testing.T, db string) {
	prepareCrashDB(t, db)
	l := newLedger()
	var editor, reviewer *http.Cookie
	const rounds = 10
	for round := range rounds {
		c := startCrashChild(t, db)
		if round == 0 {
			// Later rounds use these sessions too: they survive the crashes.
			editor, reviewer = c.signIn(t, crashEditor), c.signIn(t, crashReviewer)
		} else {
			l.checkPublic(t, c)
		}
		killAfter := 10 + rand.IntN(150)
		acked, answers := c.publishUntilKilled(t, l, round, killAfter, editor, reviewer)
		t.Logf("round %d: killed after %d answers, %d acknowledged publications (%d in all)", round, answers, acked, l.acked)
		if t.Failed() {
			return
		}
		l.checkDB(t, db)
		if t.Failed() {
			return
		}
	}
	c := startCrashChild(t, db)
	l.checkPublic(t, c)
	c.kill(t)
	if l.acked == 0 {
		t.Fatal("no publication was acknowledged: the test checked nothing")
	}
}

// serveUntilKilled runs serve on dbPath and prints its address on stdout.
// It exits when its stdin reaches EOF, which happens when the parent dies
// without killing it, so that no server outlives a failed test run.
func serveUntilKilled(dbPath string, flags []string) {
	go func() {
		io.Copy(io.Discard, os.Stdin)
		os.Exit(3)
	}()
	err := Run(context.Background(), Env{
		Args:   append([]string{"serve", "-addr", "127.0.0.1:0", "-db", dbPath}, flags...),
		Stdout: os.Stdout, Stderr: os.Stderr,
		Ready: func(addr string) { fmt.Printf("listening %s\n", addr) },
	})
	fmt.Fprintln(os.Stderr, "crash child: serve returned:", err)
	os.Exit(2)
}

// crashChild is a running child and an HTTP client for it that does not
// follow redirects, so that the app's answers are seen as they are.
type crashChild struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser // held open: the child exits when it closes
	done   chan error     // cmd.Wait's result
	stderr *bytes.Buffer  // read only once done has answered
	base   string
	client *http.Client
	killed atomic.Bool
}

// addrWriter is the child's stdout: it passes on the address that the
// child prints once it listens.
type addrWriter struct {
	mu   sync.Mutex
	buf  []byte
	addr chan string
}

func (a *addrWriter) Write(p []byte) (int, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.addr == nil {
		return len(p), nil
	}
	a.buf = append(a.buf, p...)
	for {
		line, rest, ok := bytes.Cut(a.buf, []byte("\n"))
		if !ok {
			return len(p), nil
		}
		a.buf = rest
		if addr, ok := strings.CutPrefix(string(line), "listening "); ok {
			a.addr <- addr
			a.addr, a.buf = nil, nil
			return len(p), nil
		}
	}
}

// startCrashChild starts a child serving db, with serve's flags, and
// waits until it listens.
func startCrashChild(t *testing.T, db string, flags ...string) *crashChild {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashKeepsAcknowledgedPublishes$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashChildDB+"="+db, crashChildArgs+"="+strings.Join(flags, " "))
	addr := make(chan string, 1)
	c := &crashChild{cmd: cmd, stderr: &bytes.Buffer{}, done: make(chan error, 1)}
	cmd.Stdout = &addrWriter{addr: addr}
	cmd.Stderr = c.stderr
	var err error
	if c.stdin, err = cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { c.done <- cmd.Wait() }()
	t.Cleanup(func() {
		if c.killed.CompareAndSwap(false, true) {
			cmd.Process.Kill()
			<-c.done
		}
	})
	select {
	case a := <-addr:
		c.base = "http://" + a
	case err := <-c.done:
		c.killed.Store(true)
		t.Fatalf("the child stopped before serving (%v):\n%s", err, tail(c.stderr.String()))
	}
	c.client = &http.Client{
		Transport: &http.Transport{MaxIdleConnsPerHost: 8},
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
	return c
}

// kill sends SIGKILL, if not sent yet, and checks that this is what ended
// the child, rather than a crash of its own.
func (c *crashChild) kill(t *testing.T) {
	t.Helper()
	if c.killed.CompareAndSwap(false, true) {
		c.cmd.Process.Kill() // SIGKILL
	}
	err := <-c.done
	c.client.CloseIdleConnections()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("child ended with %v, not by SIGKILL:\n%s", err, tail(c.stderr.String()))
	}
}

func tail(s string) string {
	if len(s) > 4000 {
		return "…" + s[len(s)-4000:]
	}
	return s
}

// do sends a request with the session cookie and returns the status, the
// Location header and the body.
func (c *crashChild) do(method, path string, form url.Values, cookie *http.Cookie) (int, string, string, error) {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, c.base+path, body)
	if err != nil {
		return 0, "", "", err
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if cookie != nil {
		req.AddCookie(cookie)
	}
	res, err := c.client.Do(req)
	if err != nil {
		return 0, "", "", err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return res.StatusCode, res.Header.Get("Location"), string(b), err
}

// signIn signs in over HTTP and returns the session cookie.
func (c *crashChild) signIn(t *testing.T, email string) *http.Cookie {
	t.Helper()
	req, _ := http.NewRequest("POST", c.base+"/admin/login",
		strings.NewReader(url.Values{"email": {email}, "password": {crashPassword}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := c.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/admin/" {
		t.Fatalf("sign-in as %s: %d to %q, want 303 to /admin/", email, res.StatusCode, res.Header.Get("Location"))
	}
	for _, ck := range res.Cookies() {
		if ck.Name == "portail_session" && ck.Value != "" {
			return ck
		}
	}
	t.Fatalf("sign-in as %s set no session cookie", email)
	return nil
}

// crashRev is a revision the test saved: its page, public path and the
// marker that only its body holds.
type crashRev struct {
	key, path, marker string
}

// ledger is what the parent knows: every revision it saved, the last
// acknowledged publication of each page, and the publications sent but
// not answered when the child died, which may or may not have happened.
type ledger struct {
	mu       sync.Mutex
	revs     map[int64]crashRev
	last     map[string]int64 // page key → last acknowledged revision
	ackedIDs []int64
	inflight map[int64]bool
	acked    int
}

// revLink is the newest French revision in the editor's status column,
// the first revision link of the page.
var revLink = regexp.MustCompile(`href="/admin/revisions/(\d+)"`)

// publishUntilKilled runs three workers against the child and kills it
// after killAfter answers. It returns the publications acknowledged in
// this round and the number of answers.
func (c *crashChild) publishUntilKilled(t *testing.T, l *ledger, round, killAfter int, editor, reviewer *http.Cookie) (int, int) {
	t.Helper()
	var answers atomic.Int64
	kill := func() {
		if c.killed.CompareAndSwap(false, true) {
			c.cmd.Process.Kill() // SIGKILL
		}
	}
	var fmu sync.Mutex
	var failures []string
	fail := func(format string, args ...any) {
		fmu.Lock()
		defer fmu.Unlock()
		failures = append(failures, fmt.Sprintf(format, args...))
	}
	// step sends one request and checks the answer; it reports false when
	// the worker must stop (the child is gone, or the answer was wrong).
	step := func(method, path string, form url.Values, cookie *http.Cookie, want int, wantLoc string) (string, bool) {
		status, loc, body, err := c.do(method, path, form, cookie)
		if err != nil {
			if !c.killed.Load() {
				fail("%s %s: %v", method, path, err)
			}
			return "", false
		}
		if status != want || loc != wantLoc {
			fail("%s %s: %d to %q, want %d to %q\n%s", method, path, status, loc, want, wantLoc, tail(body))
			return "", false
		}
		if answers.Add(1) == int64(killAfter) {
			kill()
		}
		return body, true
	}
	worker := func(w int) {
		var mine []string
		// The newest French revision of each of its pages: the base that
		// the editor form carries, so that the save is not refused as
		// overwriting a revision the worker has not seen.
		base := map[string]int64{}
		for i := 0; ; i++ {
			if c.killed.Load() {
				return
			}
			var key string
			if len(mine) > 0 && rand.IntN(3) == 0 {
				key = mine[rand.IntN(len(mine))] // a new revision of a published page
			} else {
				key = fmt.Sprintf("crash-%d-%d-%d", round, w, i)
				form := url.Values{"key": {key}, "section": {string(content.SectionDepartment)}, "order": {strconv.Itoa(100 + i)}}
				if _, ok := step("POST", "/admin/pages/new", form, editor, http.StatusSeeOther, "/admin/pages/"+key+"?created"); !ok {
					return
				}
			}
			rv := crashRev{key: key, path: "ministere/" + key, marker: fmt.Sprintf("repere-%d-%d-%d-fin", round, w, i)}
			form := url.Values{
				"fr.title": {"Page " + key}, "fr.path": {rv.path}, "fr.summary": {"Résumé de " + key},
				"fr.body": {"Texte de la page, version " + rv.marker + ".\n\n" + strings.Repeat("Une phrase de plus. ", 40)},
				"action":  {"submit"}, "fr.base": {strconv.FormatInt(base[key], 10)},
			}
			if _, ok := step("POST", "/admin/pages/"+key, form, editor, http.StatusSeeOther, "/admin/pages/"+key+"?submitted=fr"); !ok {
				return
			}
			page, ok := step("GET", "/admin/pages/"+key, nil, editor, http.StatusOK, "")
			if !ok {
				return
			}
			m := revLink.FindStringSubmatch(page)
			if m == nil {
				fail("the editor of %s links no revision", key)
				return
			}
			id, _ := strconv.ParseInt(m[1], 10, 64)
			base[key] = id
			l.mu.Lock()
			if _, seen := l.revs[id]; seen {
				l.mu.Unlock()
				fail("the editor of %s shows revision %d, saved before", key, id)
				return
			}
			l.revs[id] = rv
			l.inflight[id] = true
			l.mu.Unlock()
			idPath := "/admin/revisions/" + strconv.FormatInt(id, 10)
			if _, ok := step("POST", idPath+"/publish", url.Values{"action": {"now"}}, reviewer, http.StatusSeeOther, idPath+"?published"); !ok {
				return
			}
			l.mu.Lock()
			delete(l.inflight, id)
			l.last[key] = id
			l.ackedIDs = append(l.ackedIDs, id)
			l.acked++
			l.mu.Unlock()
			if !slices.Contains(mine, key) {
				mine = append(mine, key)
			}
		}
	}
	before := l.acked
	var wg sync.WaitGroup
	for w := range 3 {
		wg.Go(func() { worker(w) })
	}
	wg.Wait()
	// When every worker stopped on a failure, the kill has not come yet.
	c.kill(t)
	for _, f := range failures {
		t.Errorf("round %d: %s", round, f)
	}
	if len(failures) > 0 {
		t.Logf("child's log:\n%s", tail(c.stderr.String()))
	}
	return l.acked - before, int(answers.Load())
}

// checkDB reopens the database as the next start would and checks it:
// intact, every acknowledged revision published and in its page's
// history, each page showing its last acknowledged revision (or a later
// one whose publication was under way at the kill), and no translation
// pointing at a revision that is not published. The publications that
// were under way are settled: those that happened count from now on.
func (l *ledger) checkDB(t *testing.T, dsn string) {
	t.Helper()
	ctx := context.Background()
	var db store.Store
	var err error
	if isPostgres(dsn) {
		// The server outlives the child: there is nothing to recover, and
		// the foreign keys are the database's to enforce.
		db, err = postgres.Open(ctx, dsn)
	} else {
		db, err = openSQLiteChecked(t, dsn)
	}
	if err != nil {
		t.Fatalf("reopening after the crash: %v", err)
	}
	defer db.Close()

	ts, err := db.Translations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	public := map[string]int64{} // page key → French revision shown
	for _, tr := range ts {
		if tr.RevisionID == 0 {
			continue
		}
		if r, err := db.Revision(ctx, tr.RevisionID); err != nil || r.State != content.Published {
			t.Errorf("translation %s/%s shows revision %d in state %q (%v)", tr.Lang, tr.Path, tr.RevisionID, r.State, err)
		}
		if tr.Lang == lang.FR {
			public[tr.PageKey] = tr.RevisionID
		}
	}
	for _, id := range l.ackedIDs {
		rv := l.revs[id]
		r, err := db.Revision(ctx, id)
		if err != nil || r.State != content.Published {
			t.Errorf("acknowledged revision %d of %s: state %q, %v", id, rv.key, r.State, err)
			continue
		}
		h, err := db.History(ctx, rv.key, lang.FR)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, p := range h {
			found = found || p.RevisionID == id
		}
		if !found {
			t.Errorf("acknowledged revision %d is not in the history of %s", id, rv.key)
		}
	}
	for key, id := range l.last {
		if got := public[key]; got != id && !(l.inflight[got] && got > id) {
			t.Errorf("page %s shows revision %d; the last acknowledged is %d", key, got, id)
		}
	}
	// Settle the publications that were under way.
	for id := range l.inflight {
		rv := l.revs[id]
		if public[rv.key] == id {
			l.last[rv.key] = id
		}
		delete(l.inflight, id)
	}
}

// openSQLiteChecked opens the SQLite database at path and checks its
// integrity and foreign keys.
func openSQLiteChecked(t *testing.T, path string) (store.Store, error) {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		return nil, err
	}
	var integrity string
	if err := db.SQL().QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&integrity); err != nil || integrity != "ok" {
		db.Close()
		t.Fatalf("integrity_check: %q, %v", integrity, err)
	}
	rows, err := db.SQL().QueryContext(ctx, "PRAGMA foreign_key_check")
	if err != nil {
		db.Close()
		t.Fatal(err)
	}
	if rows.Next() {
		t.Error("foreign_key_check reports dangling references")
	}
	rows.Close()
	return db, nil
}

// checkPublic fetches the public page of every page with an acknowledged
// publication from a freshly started server and looks for the marker of
// the revision it must show.
func (l *ledger) checkPublic(t *testing.T, c *crashChild) {
	t.Helper()
	for key, id := range l.last {
		rv := l.revs[id]
		u := site.URL(lang.FR, rv.path)
		status, _, body, err := c.do("GET", u, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		if status != http.StatusOK || !strings.Contains(body, rv.marker) {
			t.Errorf("GET %s (page %s, revision %d): status %d, marker %q present: %v", u, key, id, status, rv.marker, strings.Contains(body, rv.marker))
		}
	}
}
