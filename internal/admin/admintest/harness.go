package admintest

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"portail/internal/auth"
	"portail/internal/content"
	"portail/internal/lang"
	"portail/internal/seed"
	"portail/internal/server"
	"portail/internal/store/sqlite"
	"portail/internal/store/storetest"
	"strconv"
	"strings"
	"testing"
	"time"

	nethtml "golang.org/x/net/html"
)

// The staff side's test harness: the full server on a fresh database,
// staff signed in, and the checks its tests share.

// Harness is the full server on a fresh database with a settable clock
// that both the server and the store read.
type Harness struct {
	Srv   *server.Server
	DB    *sqlite.DB
	Path  string           // the database file
	Clock *storetest.Clock // 2026-03-02 14:00 UTC at the start
	opts  []func(*server.Config)
}

// NewHarness builds the Harness; opts change the server's configuration.
func NewHarness(t *testing.T, opts ...func(*server.Config)) *Harness {
	t.Helper()
	h := &Harness{Path: filepath.Join(t.TempDir(), "portail.db"), Clock: &storetest.Clock{T: time.Date(2026, 3, 2, 14, 0, 0, 0, time.UTC)}, opts: opts}
	h.Reopen(t)
	return h
}

// Reopen (re)opens the database and builds a new server on it, as a restart does.
func (h *Harness) Reopen(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, h.Path, sqlite.WithClock(h.Clock.Now))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	cfg := server.Config{Store: db, Now: h.Clock.Now, MaxUpload: 64 << 10}
	for _, o := range h.opts {
		o(&cfg)
	}
	srv, err := server.New(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() }) // before the database's
	h.Srv, h.DB = srv, db
}

// ReadBody returns the body of res.
func ReadBody(t *testing.T, res *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// WantStatus fails t unless res has status want, and returns its body.
func WantStatus(t *testing.T, res *http.Response, want int) string {
	t.Helper()
	body := ReadBody(t, res)
	if res.StatusCode != want {
		t.Fatalf("status %d, want %d\n%s", res.StatusCode, want, body)
	}
	return body
}

// WantContains fails t for each of subs that body lacks.
func WantContains(t *testing.T, body string, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if !strings.Contains(body, s) {
			t.Errorf("body lacks %q", s)
		}
	}
}

// Staff is a seeded Harness with an editor, a reviewer and an admin
// signed in.
type Staff struct {
	*Harness
	// The sessions of editor@, reviewer@ and admin@example.org.
	Editor, Reviewer, Admin *http.Cookie
}

// Advance moves the clock and signs everyone in again, since sessions
// end after auth.IdleTimeout.
func (s *Staff) Advance(t *testing.T, d time.Duration) {
	t.Helper()
	s.Clock.Advance(d)
	s.SignIn(t)
}

// SignIn signs the three accounts in again.
func (s *Staff) SignIn(t *testing.T) {
	t.Helper()
	s.Editor = Login(t, s.Srv, "editor@example.org", Password)
	s.Reviewer = Login(t, s.Srv, "reviewer@example.org", Password)
	s.Admin = Login(t, s.Srv, "admin@example.org", Password)
}

// NewStaff returns a harness loaded with the default content and its
// three accounts signed in.
func NewStaff(t *testing.T, opts ...func(*server.Config)) *Staff {
	t.Helper()
	h := NewHarness(t, opts...)
	ctx := context.Background()
	if _, err := seed.Load(ctx, h.DB); err != nil {
		t.Fatal(err)
	}
	if err := h.Srv.Site.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	s := &Staff{Harness: h}
	for _, r := range []auth.Role{auth.Editor, auth.Reviewer, auth.Admin} {
		NewUser(t, h.DB, string(r)+"@example.org", r)
	}
	s.SignIn(t)
	return s
}

// EditorForm reads the bilingual editor of page key as a browser would:
// the values it shows are the values it posts back.
func (s *Staff) EditorForm(t *testing.T, key string) url.Values {
	t.Helper()
	body := WantStatus(t, Get(s.Srv, "/admin/pages/"+key, s.Editor), http.StatusOK)
	return FormValues(t, body, "editor-form")
}

// FormValues returns the fields of the form whose class is class.
func FormValues(t *testing.T, src, class string) url.Values {
	t.Helper()
	doc, err := nethtml.Parse(strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	v := url.Values{}
	var walk func(n *nethtml.Node, in bool)
	walk = func(n *nethtml.Node, in bool) {
		if n.Type == nethtml.ElementNode {
			a := map[string]string{}
			for _, at := range n.Attr {
				a[at.Key] = at.Val
			}
			if n.Data == "form" && strings.Contains(a["class"], class) {
				in = true
			}
			switch {
			case !in || a["name"] == "":
			case n.Data == "textarea":
				text := ""
				if n.FirstChild != nil {
					text = n.FirstChild.Data
				}
				v.Set(a["name"], text)
			case n.Data == "input" && a["type"] == "checkbox":
				if _, on := a["checked"]; on {
					v.Set(a["name"], a["value"])
				}
			case n.Data == "input":
				v.Set(a["name"], a["value"])
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, in)
		}
	}
	walk(doc, false)
	if len(v) == 0 {
		t.Fatalf("no form %q in\n%s", class, src)
	}
	return v
}

// Newest returns the newest revision of page key in language l.
func (s *Staff) Newest(t *testing.T, key string, l lang.Lang) content.Revision {
	t.Helper()
	revs, err := s.DB.Revisions(context.Background(), key, l)
	if err != nil || len(revs) == 0 {
		t.Fatalf("revisions of %s/%s: %v, %v", key, l, revs, err)
	}
	return revs[0]
}

// Count returns how many revisions page key has in language l.
func (s *Staff) Count(t *testing.T, key string, l lang.Lang) int {
	t.Helper()
	revs, err := s.DB.Revisions(context.Background(), key, l)
	if err != nil {
		t.Fatal(err)
	}
	return len(revs)
}

// Public returns the public page at path, which must answer 200.
func (s *Staff) Public(t *testing.T, path string) string {
	t.Helper()
	return WantStatus(t, Get(s.Srv, path), http.StatusOK)
}

// RevPath returns the staff URL of revision id, or of its workflow step.
func RevPath(id int64, step string) string {
	p := "/admin/revisions/" + strconv.FormatInt(id, 10)
	if step != "" {
		p += "/" + step
	}
	return p
}

// WantRedirect fails t unless res is a 303 to a URL starting with prefix.
func WantRedirect(t *testing.T, res *http.Response, prefix string) {
	t.Helper()
	body := ReadBody(t, res)
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), prefix) {
		t.Fatalf("status %d, Location %q, want 303 to %s\n%s", res.StatusCode, res.Header.Get("Location"), prefix, body)
	}
}

// SummaryLinks returns the href of each link of a page's error summary.
func SummaryLinks(t *testing.T, src string) []string {
	t.Helper()
	doc, err := nethtml.Parse(strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	var walk func(n *nethtml.Node, in bool)
	walk = func(n *nethtml.Node, in bool) {
		if n.Type == nethtml.ElementNode {
			for _, a := range n.Attr {
				switch {
				case a.Key == "class" && strings.Contains(a.Val, "error-summary"):
					in = true
				case in && n.Data == "a" && a.Key == "href":
					out = append(out, a.Val)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, in)
		}
	}
	walk(doc, false)
	return out
}

// HasID reports whether the page src has an element with that id.
func HasID(t *testing.T, src, id string) bool {
	t.Helper()
	doc, err := nethtml.Parse(strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	var find func(n *nethtml.Node) bool
	find = func(n *nethtml.Node) bool {
		for _, a := range n.Attr {
			if a.Key == "id" && a.Val == id {
				return true
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if find(c) {
				return true
			}
		}
		return false
	}
	return find(doc)
}

// WantSummaryTargets checks that every link of the error summary of page
// src leads to an element that exists: on src itself, or on the Staff
// page it names (opened as who).
func WantSummaryTargets(t *testing.T, s *Staff, who *http.Cookie, src string) {
	t.Helper()
	for _, href := range SummaryLinks(t, src) {
		path, frag, _ := strings.Cut(href, "#")
		target := src
		if path != "" {
			target = WantStatus(t, Get(s.Srv, path, who), http.StatusOK)
		}
		if frag == "" || !HasID(t, target, frag) {
			t.Errorf("the error summary links to %q, which does not exist", href)
		}
	}
}
