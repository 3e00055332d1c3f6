package server_test

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

	"golang.org/x/net/html"

	"portail/internal/admin/admintest"
	"portail/internal/auth"
	"portail/internal/media"
	"portail/internal/server"
	"portail/internal/server/servertest"
	"portail/internal/store/sqlite"
)

// secEnv is the whole server on a fresh seeded database, with its log
// captured so that a test can fail on an ERROR line.
type secEnv struct {
	srv *server.Server
	db  *sqlite.DB
	log *errorLog

	staffOnce sync.Once
	staff     *http.Cookie // an administrator's session, made by session
	forms     map[string]admintest.Form

	// A published image and PDF, so that the public file routes serve
	// something (see routeExamples).
	image, pdf media.File
}

// session returns the session cookie of an administrator, created and
// signed in on first use.
func (e *secEnv) session(t testing.TB) *http.Cookie {
	t.Helper()
	e.staffOnce.Do(func() {
		const email = "securite.admin@example.org"
		admintest.NewUser(t, e.db, email, auth.Admin)
		e.staff = admintest.Login(t, e.srv, email, admintest.Password)
	})
	if e.staff == nil {
		t.Fatal("no staff session: signing in failed earlier")
	}
	return e.staff
}

// selfForms returns the forms that staff pages show whose action is the
// page's own URL, by that URL: the forms that come back with what was
// typed when something is wrong (the editor, user-add, sign-in) and the
// filters of staff lists. It reads every staff GET route once, signed in
// as an administrator, so that a form added later is found without a new
// test.
func (e *secEnv) selfForms(t testing.TB) map[string]admintest.Form {
	t.Helper()
	if e.forms != nil {
		return e.forms
	}
	c := e.session(t)
	e.forms = map[string]admintest.Form{}
	for _, rt := range routes(t, e.srv) {
		if rt.method != http.MethodGet || !strings.HasPrefix(rt.path, "/admin") {
			continue
		}
		r := httptest.NewRequest(http.MethodGet, rt.example, nil)
		r.AddCookie(c)
		res, body := e.do(r)
		if res.StatusCode != http.StatusOK {
			continue
		}
		for _, f := range admintest.Forms(body) {
			if _, seen := e.forms[f.Action]; f.Action == rt.example && !seen {
				e.forms[f.Action] = f
			}
		}
	}
	return e.forms
}

// echoProblems lists the fields among names of the form posting to
// action in page that do not hold p, trimmed as forms trim what is typed,
// once the HTML parser has decoded the page: a payload that came back as
// markup, or did not come back, is a problem.
func echoProblems(page, action string, names []string, p string) []string {
	if len(names) == 0 {
		return nil
	}
	var form *admintest.Form
	for _, f := range admintest.Forms(page) {
		if f.Action == action {
			form = &f
			break
		}
	}
	if form == nil {
		return []string{"the page has no form posting to " + action}
	}
	got := map[string]string{}
	for _, fl := range form.Fields {
		got[fl.Name] = fl.Value
	}
	want := strings.TrimSpace(asText(p))
	var bad []string
	for _, name := range names {
		v, ok := got[name]
		switch {
		case !ok:
			bad = append(bad, fmt.Sprintf("field %s is not in the form shown again", name))
		case strings.TrimSpace(asText(v)) != want:
			bad = append(bad, fmt.Sprintf("field %s comes back holding %q, not the payload %q", name, v, p))
		}
	}
	return bad
}

// shownAsText reports whether page shows p, trimmed as forms trim what
// is typed, as text: in a text node or a value attribute, after the HTML
// parser has decoded it. A payload that shows up only as markup, or not
// at all, fails.
func shownAsText(page, p string) bool {
	want := asText(strings.TrimSpace(p))
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		return false
	}
	var walk func(*html.Node) bool
	walk = func(n *html.Node) bool {
		switch n.Type {
		case html.TextNode:
			if strings.Contains(asText(n.Data), want) {
				return true
			}
		case html.ElementNode:
			for _, a := range n.Attr {
				if a.Key == "value" && strings.Contains(asText(a.Val), want) {
					return true
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if walk(c) {
				return true
			}
		}
		return false
	}
	return walk(doc)
}

func newSecEnv(t testing.TB) *secEnv {
	t.Helper()
	log := &errorLog{}
	srv, db := servertest.New(t, servertest.Options{Config: server.Config{Log: slog.New(slog.NewTextHandler(log, nil))}})
	return &secEnv{srv: srv, db: db, log: log,
		image: saveFile(t, db, "Carte du réseau.png", filePNG, true),
		pdf:   saveFile(t, db, "Rapport annuel.pdf", filePDF, true)}
}

// do sends r to the server and returns the response with its body read.
func (e *secEnv) do(r *http.Request) (*http.Response, string) {
	w := httptest.NewRecorder()
	e.srv.ServeHTTP(w, r)
	res := w.Result()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

// noErrors fails t if the server logged at ERROR level.
func (e *secEnv) noErrors(t testing.TB) {
	t.Helper()
	for _, l := range e.log.lines() {
		t.Errorf("server logged an error: %s", l)
	}
}

// errorLog is an io.Writer for slog's text handler that keeps the ERROR
// lines (slog writes each record in one Write) and drops the rest.
type errorLog struct {
	mu     sync.Mutex
	errors []string
}

func (l *errorLog) Write(p []byte) (int, error) {
	if bytes.Contains(p, []byte("level=ERROR")) {
		l.mu.Lock()
		l.errors = append(l.errors, strings.TrimSpace(string(p)))
		l.mu.Unlock()
	}
	return len(p), nil
}

func (l *errorLog) lines() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.errors...)
}

// route is one registered mux pattern with a URL that reaches it.
type route struct {
	pattern string
	method  string // "" when the pattern accepts every method
	path    string // the pattern's path with wildcards left in
	example string // a URL path the pattern serves
}

// get reports whether the route answers GET.
func (rt route) get() bool { return rt.method == "" || rt.method == http.MethodGet }

// stateChanging reports whether the route accepts a method that changes
// state. A pattern without a method accepts POST too.
func (rt route) stateChanging() bool {
	switch rt.method {
	case "", http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
		return true
	}
	return false
}

// requestMethod is the method a test uses to reach the route.
func (rt route) requestMethod() string {
	if rt.method == "" {
		return http.MethodPost
	}
	return rt.method
}

// inject returns a URL path for the route with p (escaped as a browser
// would) where the route's wildcards are, or appended as a last segment
// when it has none.
func (rt route) inject(p string) string {
	esc := url.PathEscape(p)
	path := strings.ReplaceAll(rt.path, "{$}", "")
	if wildcard.MatchString(path) {
		return wildcard.ReplaceAllLiteralString(path, esc)
	}
	return strings.TrimSuffix(path, "/") + "/" + esc
}

var wildcard = regexp.MustCompile(`\{[^}]*\}`)

// routes lists the patterns registered on srv's mux with one URL each,
// from the one enumerator of the server's URLs, failing t for a pattern it
// cannot reach.
func routes(t testing.TB, srv *server.Server) []route {
	t.Helper()
	targets, err := servertest.Targets(srv, servertest.Values{})
	if err != nil {
		t.Error(err)
	}
	var out []route
	seen := map[string]bool{}
	for _, tg := range targets {
		if !seen[tg.Pattern] {
			seen[tg.Pattern] = true
			out = append(out, route{pattern: tg.Pattern, method: tg.Method, path: tg.Path, example: tg.URL})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].pattern < out[j].pattern })
	return out
}

// routeOf is the route of pattern, reached at example.
func routeOf(pattern, example string) route {
	rt := route{pattern: pattern, path: pattern, example: example}
	if m, p, ok := strings.Cut(pattern, " "); ok {
		rt.method, rt.path = m, p
	}
	return rt
}

// assetURL returns the stylesheet URL that the French home page links to.
func assetURL(t testing.TB, e *secEnv) string {
	t.Helper()
	res, body := e.do(httptest.NewRequest("GET", "/fr/", nil))
	if res.StatusCode != 200 {
		t.Fatalf("GET /fr/: %d", res.StatusCode)
	}
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var href string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "link" {
			var rel, h string
			for _, a := range n.Attr {
				switch a.Key {
				case "rel":
					rel = a.Val
				case "href":
					h = a.Val
				}
			}
			if rel == "stylesheet" && href == "" {
				href = h
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if !strings.HasPrefix(href, "/assets/") {
		t.Fatalf("home page links no stylesheet under /assets/ (found %q)", href)
	}
	return href
}

// titleText returns the text of the document's <title>.
func titleText(body string) string {
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		return ""
	}
	var out string
	var walk func(*html.Node) bool
	walk = func(n *html.Node) bool {
		if n.Type == html.ElementNode && n.Data == "title" {
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				out += c.Data
			}
			return true
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if walk(c) {
				return true
			}
		}
		return false
	}
	walk(doc)
	return out
}

// tableCounts returns the row count of every table in the database, so
// that a test can check an attack changed nothing (and dropped nothing).
func tableCounts(t testing.TB, db *sqlite.DB) map[string]int {
	t.Helper()
	rows, err := db.SQL().Query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		names = append(names, n)
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	for _, n := range names {
		var c int
		if err := db.SQL().QueryRow(fmt.Sprintf(`SELECT count(*) FROM %q`, n)).Scan(&c); err != nil {
			t.Fatal(err)
		}
		counts[n] = c
	}
	return counts
}
