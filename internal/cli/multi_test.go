package cli

import (
	"context"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"portail/internal/audit"
	"portail/internal/content"
	"portail/internal/lang"
	"portail/internal/schedule"
	"portail/internal/site"
	"portail/internal/store"
	"portail/internal/store/postgres"
)

// TestTwoInstancesOnePostgres is issue 9's test of several instances: two
// serve processes, A and B, on one PostgreSQL database. A publication on
// A is served by B within a second (B follows the change feed with
// LISTEN/NOTIFY); a revision scheduled to fall due while both run, each
// ticking every 100 ms, is published once; and after A is killed with
// SIGKILL in the middle of a stream of publications, B goes on serving
// and every publication A acknowledged is in the database and on B.
func TestTwoInstancesOnePostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("two serve processes: skipped with -short")
	}
	ctx := context.Background()
	dsn := pg.EmptyURL(t)
	prepareCrashDB(t, dsn)
	a := startCrashChild(t, dsn, "-schedule-every", "100ms")
	b := startCrashChild(t, dsn, "-schedule-every", "100ms")
	// Sessions live in the database: one sign-in on A is good on B.
	editor, reviewer := a.signIn(t, crashEditor), a.signIn(t, crashReviewer)
	if status, _, _, err := b.do("GET", "/admin/", nil, editor); err != nil || status != http.StatusOK {
		t.Fatalf("B with A's session: %d, %v", status, err)
	}

	// A publishes; B serves it within a second.
	rv := crashRev{key: "multi-now", path: "ministere/multi-now", marker: "repere-multi-now-fin"}
	id := submitOver(t, a, editor, rv)
	idPath := "/admin/revisions/" + strconv.FormatInt(id, 10)
	if status, loc, body, err := a.do("POST", idPath+"/publish", url.Values{"action": {"now"}}, reviewer); err != nil || status != http.StatusSeeOther || loc != idPath+"?published" {
		t.Fatalf("publish on A: %d to %q, %v\n%s", status, loc, err, tail(body))
	}
	delay := waitServed(t, b, rv, 5*time.Second)
	t.Logf("published on A, served by B %v after A's answer", delay.Round(time.Millisecond))
	if delay > time.Second {
		t.Errorf("B served A's publication %v after it, more than a second", delay)
	}

	// A revision scheduled to fall due while both run is published once.
	db, err := postgres.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rv = crashRev{key: "multi-later", path: "ministere/multi-later", marker: "repere-multi-later-fin"}
	id = submitOver(t, a, editor, rv)
	due := time.Now().Add(500 * time.Millisecond)
	approver := content.Actor{Name: crashReviewer, Approve: true}
	if _, err := store.Step(ctx, db, approver, id, content.Request{Action: content.ActSchedule, At: due}, audit.Origin{Actor: crashReviewer}); err != nil {
		t.Fatalf("schedule: %v", err)
	}
	waitServed(t, b, rv, 5*time.Second)
	waitServed(t, a, rv, time.Second)
	t.Logf("scheduled publication served by A and B %v after it fell due", time.Since(due).Round(time.Millisecond))
	// A window of three ticks of each scheduler after the publication, for
	// a second one to show if the claim let it through.
	<-time.After(300 * time.Millisecond)
	if r, err := db.Revision(ctx, id); err != nil || r.State != content.Published {
		t.Errorf("scheduled revision %d: state %q, %v", id, r.State, err)
	}
	h, err := db.History(ctx, rv.key, lang.FR)
	if err != nil {
		t.Fatal(err)
	}
	if len(h) != 1 || h[0].RevisionID != id {
		t.Errorf("history of %s: %+v, want one publication of revision %d", rv.key, h, id)
	}
	if n, err := db.CountAudit(ctx, audit.Filter{Actor: schedule.Actor}); err != nil || n != 1 {
		t.Errorf("the audit log names the scheduler %d times (%v), want once", n, err)
	}

	// A dies mid-publication; B keeps serving every acknowledged one.
	l := newLedger()
	n, answers := a.publishUntilKilled(t, l, 0, 20+rand.IntN(100), editor, reviewer)
	t.Logf("A killed after %d answers, %d acknowledged publications", answers, n)
	if t.Failed() {
		return
	}
	if n == 0 {
		t.Fatal("no publication was acknowledged: the test checked nothing")
	}
	l.checkDB(t, dsn)
	for _, id := range l.last {
		waitServed(t, b, l.revs[id], 2*time.Second)
	}
	l.checkPublic(t, b)
	b.kill(t)
}

// submitOver creates the page of rv on c as the editor, saves a French
// revision carrying rv's marker, sends it to review, and returns its ID.
func submitOver(t *testing.T, c *crashChild, editor *http.Cookie, rv crashRev) int64 {
	t.Helper()
	form := url.Values{"key": {rv.key}, "section": {string(content.SectionDepartment)}, "order": {"500"}}
	if status, loc, body, err := c.do("POST", "/admin/pages/new", form, editor); err != nil || status != http.StatusSeeOther || loc != "/admin/pages/"+rv.key+"?created" {
		t.Fatalf("create %s: %d to %q, %v\n%s", rv.key, status, loc, err, tail(body))
	}
	form = url.Values{
		"fr.title": {"Page " + rv.key}, "fr.path": {rv.path}, "fr.summary": {"Résumé de " + rv.key},
		"fr.body": {"Texte de la page, version " + rv.marker + "."}, "action": {"submit"}, "fr.base": {"0"},
	}
	if status, loc, body, err := c.do("POST", "/admin/pages/"+rv.key, form, editor); err != nil || status != http.StatusSeeOther || loc != "/admin/pages/"+rv.key+"?submitted=fr" {
		t.Fatalf("submit %s: %d to %q, %v\n%s", rv.key, status, loc, err, tail(body))
	}
	_, _, page, err := c.do("GET", "/admin/pages/"+rv.key, nil, editor)
	m := revLink.FindStringSubmatch(page)
	if err != nil || m == nil {
		t.Fatalf("the editor of %s links no revision (%v)", rv.key, err)
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id
}

// waitServed asks c for the public page of rv every 10 ms until it shows
// rv's marker, and returns how long that took; it fails t after within.
func waitServed(t *testing.T, c *crashChild, rv crashRev, within time.Duration) time.Duration {
	t.Helper()
	start := time.Now()
	deadline := time.NewTimer(within)
	defer deadline.Stop()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	u := site.URL(lang.FR, rv.path)
	for {
		status, _, body, err := c.do("GET", u, nil, nil)
		if err == nil && status == http.StatusOK && strings.Contains(body, rv.marker) {
			return time.Since(start)
		}
		select {
		case <-deadline.C:
			t.Fatalf("%s did not serve %s within %v: status %d, %v", c.base, u, within, status, err)
			return 0
		case <-tick.C:
		}
	}
}
