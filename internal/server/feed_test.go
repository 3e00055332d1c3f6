package server_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"portail/internal/admin/admintest"
	"portail/internal/audit"
	"portail/internal/auth"
	"portail/internal/change"
	"portail/internal/content"
	"portail/internal/lang"
	"portail/internal/seed"
	"portail/internal/server"
	"portail/internal/store"
	"portail/internal/store/sqlite"
	"portail/internal/store/storetest"
)

// instance is one server process on a database file that others share.
type instance struct {
	srv *server.Server
	db  *sqlite.DB
}

// close stops the instance as a shutdown does: the server, then its
// database. The cleanups registered by open find both closed already.
func (in instance) close() {
	in.srv.Close()
	in.db.Close()
}

type instanceOpts struct {
	clock func() time.Time             // the store's and the server's; nil is time.Now
	wrap  func(*sqlite.DB) store.Store // stands between the server and the store
	log   *slog.Logger                 // nil discards
}

// openInstance starts an instance on the database file at path, opening
// its own connection to it as a separate process would. Loading the
// default content is idempotent: only the first instance does it.
func openInstance(t *testing.T, path string, o instanceOpts) instance {
	t.Helper()
	ctx := context.Background()
	var opts []sqlite.Option
	if o.clock != nil {
		opts = append(opts, sqlite.WithClock(o.clock))
	}
	db, err := sqlite.Open(ctx, path, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := seed.Load(ctx, db); err != nil {
		t.Fatal(err)
	}
	cfg := server.Config{Store: db, Now: o.clock, Log: o.log}
	if o.wrap != nil {
		cfg.Store = o.wrap(db)
	}
	srv, err := server.New(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() }) // before the database's
	return instance{srv: srv, db: db}
}

// reviewRevision saves a new French revision of the mission page, in
// review, titled title, and returns it.
func reviewRevision(t *testing.T, db *sqlite.DB, title string) content.Revision {
	t.Helper()
	revs, err := db.Revisions(context.Background(), "mission", lang.FR)
	if err != nil || len(revs) == 0 {
		t.Fatalf("revisions of mission: %v, %v", revs, err)
	}
	r := revs[0]
	r.ID, r.Title, r.State, r.Author, r.Major, r.ChangeNote = 0, title, content.Review, "editor@example.org", false, ""
	saved, err := db.SaveRevision(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	return saved
}

func publishPath(id int64) string { return fmt.Sprintf("/admin/revisions/%d/publish", id) }

// waitForTitle polls h until path shows title as its h1, and returns how
// long that took; it fails the test after within. The wait is for a
// background follower, which nothing can signal to a test.
func waitForTitle(t *testing.T, h http.Handler, path, title string, within time.Duration) time.Duration {
	t.Helper()
	start := time.Now()
	deadline := start.Add(within)
	var last string
	for {
		res := get(t, h, path)
		last = fmt.Sprintf("status %d, h1 %q", res.StatusCode, parse(t, body(t, res)).h1)
		if res.StatusCode == http.StatusOK && strings.Contains(last, fmt.Sprintf("h1 %q", title)) {
			return time.Since(start)
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s still shows %s after %v, want h1 %q", path, last, within, title)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// A publication on one instance shows on another on the same database
// within a second, whether it is committed by the store directly or by the
// staff side of the first instance.
func TestOtherInstanceServesPublicationWithinASecond(t *testing.T) {
	path := filepath.Join(t.TempDir(), "portail.db")
	a := openInstance(t, path, instanceOpts{})
	b := openInstance(t, path, instanceOpts{})
	ctx := context.Background()
	const page = "/fr/ministere/mission"

	r := reviewRevision(t, a.db, "Mission publiée par le magasin")
	if _, err := store.Step(ctx, a.db, reviewer, r.ID, content.Request{Action: content.ActPublish}, audit.Origin{Actor: reviewer.Name}); err != nil {
		t.Fatal(err)
	}
	d := waitForTitle(t, b.srv, page, r.Title, time.Second)
	t.Logf("publication through the store: the other instance served it after %v", d)

	admintest.NewUser(t, a.db, "reviewer@example.org", auth.Reviewer)
	cookie := admintest.Login(t, a.srv, "reviewer@example.org", admintest.Password)
	r = reviewRevision(t, a.db, "Mission publiée par le personnel")
	res := admintest.Post(a.srv, publishPath(r.ID), url.Values{}, cookie)
	if want := fmt.Sprintf("/admin/revisions/%d?published", r.ID); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != want {
		t.Fatalf("publish: status %d, location %q, want 303 to %s", res.StatusCode, res.Header.Get("Location"), want)
	}
	// The instance that published shows it at once: the editor follows the
	// redirect and sees their change.
	if h1 := parse(t, body(t, get(t, a.srv, page))).h1; h1 != r.Title {
		t.Fatalf("the publishing instance shows %q right after publishing, want %q", h1, r.Title)
	}
	d = waitForTitle(t, b.srv, page, r.Title, time.Second)
	t.Logf("publication through the staff side: the other instance served it after %v", d)
}

// disconnecting is a store whose publication, once committed, makes the
// client go away and returns only when the request's context is done: a
// client that disconnects after the commit and before the answer.
type disconnecting struct {
	*sqlite.DB
	leave     atomic.Pointer[context.CancelFunc]
	cancelled chan bool // whether the server saw the client leave
}

func (s *disconnecting) Apply(ctx context.Context, t content.Transition, o audit.Origin) (content.Revision, error) {
	tr, err := s.DB.Apply(ctx, t, o)
	if cancel := s.leave.Load(); err == nil && cancel != nil && t.To == content.Published {
		(*cancel)()
		select {
		case <-ctx.Done():
			s.cancelled <- true
		case <-time.After(10 * time.Second):
			s.cancelled <- false
		}
	}
	return tr, err
}

// A client that disconnects while its publication is being made leaves
// every instance consistent with the database.
func TestPublishByClientThatDisconnects(t *testing.T) {
	path := filepath.Join(t.TempDir(), "portail.db")
	var spy *disconnecting
	a := openInstance(t, path, instanceOpts{wrap: func(db *sqlite.DB) store.Store {
		spy = &disconnecting{DB: db, cancelled: make(chan bool, 1)}
		return spy
	}})
	b := openInstance(t, path, instanceOpts{})
	admintest.NewUser(t, a.db, "reviewer@example.org", auth.Reviewer)
	cookie := admintest.Login(t, a.srv, "reviewer@example.org", admintest.Password)
	r := reviewRevision(t, a.db, "Mission publiée par un client parti")

	ts := httptest.NewServer(a.srv)
	defer ts.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	spy.leave.Store(&cancel)
	req, err := http.NewRequestWithContext(ctx, "POST", ts.URL+publishPath(r.ID), strings.NewReader(""))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(cookie)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if res, err := client.Do(req); !errors.Is(err, context.Canceled) {
		t.Fatalf("the client got %v, %v; want it to have left", res, err)
	}
	got, err := b.db.Revision(context.Background(), r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.State != content.Published {
		t.Fatalf("revision is %s, want published: the disconnection came after the commit", got.State)
	}
	select {
	case ok := <-spy.cancelled:
		if !ok {
			t.Fatal("the request's context was not cancelled: the test did not disconnect the client")
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the publication was not made")
	}
	for name, in := range map[string]instance{"publishing": a, "other": b} {
		d := waitForTitle(t, in.srv, "/fr/ministere/mission", r.Title, time.Second)
		t.Logf("%s instance served it after %v", name, d)
	}
}

// validators returns the ETag and Last-Modified that h sends for path.
func validators(t *testing.T, h http.Handler, path string) string {
	t.Helper()
	res := get(t, h, path)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("%s: status %d", path, res.StatusCode)
	}
	return res.Header.Get("ETag") + " " + res.Header.Get("Last-Modified")
}

var validatorPaths = []string{
	"/fr/", "/en/", "/fr/ministere/mission", "/en/department/mission",
	"/en/access-to-information", // the French-only notice
	"/fr/historique/ministere/mission",
}

// ETag and Last-Modified come from the data shown: every instance on a
// database sends the same ones, before and after a publication, and a
// restarted instance sends them again.
func TestValidatorsSameOnEveryInstanceAndAfterRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "portail.db")
	clock := &storetest.Clock{T: time.Date(2026, 3, 2, 14, 30, 0, 0, time.UTC)}
	a := openInstance(t, path, instanceOpts{clock: clock.Now})
	b := openInstance(t, path, instanceOpts{clock: clock.Now})
	ctx := context.Background()

	check := func(when string, want string, ins ...instance) map[string]string {
		t.Helper()
		seen := map[string]string{}
		for _, p := range validatorPaths {
			v := validators(t, ins[0].srv, p)
			if !strings.HasSuffix(v, " "+want) {
				t.Errorf("%s: %s sends %q, want Last-Modified %s", when, p, v, want)
			}
			for i, in := range ins[1:] {
				if w := validators(t, in.srv, p); w != v {
					t.Errorf("%s: %s: instance %d sends %q, the first %q", when, p, i+2, w, v)
				}
			}
			seen[p] = v
		}
		return seen
	}
	seeded := check("seeded", "Mon, 02 Mar 2026 14:30:00 GMT", a, b)

	clock.Advance(26 * time.Hour)
	r := reviewRevision(t, a.db, "Mission du lendemain")
	if _, err := store.Step(ctx, a.db, reviewer, r.ID, content.Request{Action: content.ActPublish}, audit.Origin{Actor: reviewer.Name}); err != nil {
		t.Fatal(err)
	}
	for _, in := range []instance{a, b} {
		if err := in.srv.Site.Sync(ctx); err != nil {
			t.Fatal(err)
		}
	}
	published := check("after a publication", "Tue, 03 Mar 2026 16:30:00 GMT", a, b)
	if seeded["/fr/ministere/mission"] == published["/fr/ministere/mission"] {
		t.Error("the published page kept its validators")
	}

	// A restart later, with a clock that has moved on: nothing changed,
	// so nothing moves.
	a.close()
	clock.Advance(72 * time.Hour)
	c := openInstance(t, path, instanceOpts{clock: clock.Now})
	restarted := check("after a restart", "Tue, 03 Mar 2026 16:30:00 GMT", c, b)
	for _, p := range validatorPaths {
		if restarted[p] != published[p] {
			t.Errorf("%s: %q after a restart, %q before", p, restarted[p], published[p])
		}
	}
	res := get(t, c.srv, "/fr/ministere/mission", "If-None-Match", strings.Fields(published["/fr/ministere/mission"])[0])
	if res.StatusCode != http.StatusNotModified {
		t.Errorf("a validator from before the restart: status %d, want 304", res.StatusCode)
	}
}

// failingPages is a store whose Translations fails while fail is set: the
// public site cannot be refreshed.
type failingPages struct {
	*sqlite.DB
	fail atomic.Bool
}

func (s *failingPages) Translations(ctx context.Context) ([]content.Translation, error) {
	if s.fail.Load() {
		return nil, errors.New("test: translations unavailable")
	}
	return s.DB.Translations(ctx)
}

// lockedBuffer is a log destination that goroutines share.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// A publication that committed is answered as done even when the public
// site cannot be refreshed; the site keeps serving what it had, and
// catches up once the store answers again.
func TestRefreshFailureDoesNotFailPublication(t *testing.T) {
	path := filepath.Join(t.TempDir(), "portail.db")
	var spy *failingPages
	var logs lockedBuffer
	a := openInstance(t, path, instanceOpts{
		log: slog.New(slog.NewTextHandler(&logs, nil)),
		wrap: func(db *sqlite.DB) store.Store {
			spy = &failingPages{DB: db}
			return spy
		}})
	admintest.NewUser(t, a.db, "reviewer@example.org", auth.Reviewer)
	cookie := admintest.Login(t, a.srv, "reviewer@example.org", admintest.Password)
	const page = "/fr/ministere/mission"
	before := parse(t, body(t, get(t, a.srv, page))).h1
	r := reviewRevision(t, a.db, "Mission publiée pendant une panne")

	spy.fail.Store(true)
	res := admintest.Post(a.srv, publishPath(r.ID), url.Values{}, cookie)
	if want := fmt.Sprintf("/admin/revisions/%d?published", r.ID); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != want {
		t.Fatalf("publish while the site cannot refresh: status %d, location %q, want 303 to %s\n%s",
			res.StatusCode, res.Header.Get("Location"), want, body(t, res))
	}
	if got, _ := a.db.Revision(context.Background(), r.ID); got.State != content.Published {
		t.Fatalf("revision is %s, want published", got.State)
	}
	if !strings.Contains(logs.String(), "test: translations unavailable") {
		t.Errorf("the failed refresh was not logged:\n%s", logs.String())
	}
	if h1 := parse(t, body(t, get(t, a.srv, page))).h1; h1 != before {
		t.Fatalf("while refreshing fails the site shows %q, want what it had: %q", h1, before)
	}
	spy.fail.Store(false)
	// The follower retries on its own, within its longest pause.
	d := waitForTitle(t, a.srv, page, r.Title, 15*time.Second)
	t.Logf("caught up %v after the store recovered", d)
}

// counting is a store that counts the follower's polls.
type counting struct {
	*sqlite.DB
	polls atomic.Int64
}

func (s *counting) ChangesSince(ctx context.Context, seq int64, limit int) ([]change.Change, error) {
	s.polls.Add(1)
	return s.DB.ChangesSince(ctx, seq, limit)
}

// The follower polls in the background until Close, which waits for it.
func TestCloseStopsTheFollower(t *testing.T) {
	var spy *counting
	in := openInstance(t, filepath.Join(t.TempDir(), "portail.db"), instanceOpts{wrap: func(db *sqlite.DB) store.Store {
		spy = &counting{DB: db}
		return spy
	}})
	deadline := time.Now().Add(5 * time.Second)
	for spy.polls.Load() < 2 {
		if time.Now().After(deadline) {
			t.Fatalf("%d polls in 5s: the follower is not running", spy.polls.Load())
		}
		time.Sleep(10 * time.Millisecond)
	}
	closed := make(chan struct{})
	go func() { in.srv.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not return: the follower did not stop")
	}
	in.srv.Close() // a second Close is harmless
}

// reviewer publishes what the tests put in review.
var reviewer = content.Actor{Name: "rev@example.org", Approve: true}
