package server_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/net/html"

	"portail/internal/audit"
	"portail/internal/content"
	"portail/internal/lang"
	"portail/internal/server"
	"portail/internal/server/servertest"
	"portail/internal/store"
	"portail/internal/store/sqlite"
	"portail/internal/store/storetest"
)

// newServer returns the full handler on a fresh, seeded database.
func newServer(t testing.TB) (*server.Server, *sqlite.DB) {
	t.Helper()
	return servertest.New(t, servertest.Options{})
}

func get(t testing.TB, h http.Handler, path string, headers ...string) *http.Response {
	t.Helper()
	r := httptest.NewRequest("GET", path, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		r.Header.Set(headers[i], headers[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w.Result()
}

func body(t testing.TB, res *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// page is what a test reads off a rendered page.
type page struct {
	lang       string
	title      string
	twin       string            // href of the language switcher
	canonical  string            // href of the canonical link
	alternates map[string]string // hreflang → href
	lastUpdate string
	h1         string
}

func parse(t testing.TB, src string) page {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	p := page{alternates: map[string]string{}}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			a := map[string]string{}
			for _, at := range n.Attr {
				a[at.Key] = at.Val
			}
			switch {
			case n.Data == "html":
				p.lang = a["lang"]
			case n.Data == "title" && n.FirstChild != nil:
				p.title = n.FirstChild.Data
			case n.Data == "link" && a["rel"] == "canonical":
				p.canonical = a["href"]
			case n.Data == "link" && a["rel"] == "alternate":
				p.alternates[a["hreflang"]] = a["href"]
			case n.Data == "a" && strings.Contains(a["class"], "lang-switch"):
				p.twin = a["href"]
			case n.Data == "p" && strings.Contains(a["class"], "last-update") && n.FirstChild != nil:
				p.lastUpdate = n.FirstChild.Data
			case n.Data == "h1" && n.FirstChild != nil:
				p.h1 = n.FirstChild.Data
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return p
}

var lastUpdateRE = map[string]*regexp.Regexp{
	"fr": regexp.MustCompile(`^Dernière mise à jour : \d{4}-\d{2}-\d{2} \d{2}:\d{2}$`),
	"en": regexp.MustCompile(`^Last update: \d{4}-\d{2}-\d{2} \d{2}:\d{2}$`),
}

// testBase is the base URL of servers built without one.
const testBase = "http://localhost"

// The URL map of DESIGN.md that the skeleton serves, as French/English twins.
var urlMap = [][2]string{
	{"/fr/", "/en/"},
	{"/fr/ministere/mission", "/en/department/mission"},
	{"/fr/ministere/organigramme", "/en/department/organization-chart"},
	{"/fr/representations", "/en/offices-abroad"},
	{"/fr/politique-internationale", "/en/international-policy"},
	{"/fr/declaration-de-services", "/en/statement-of-services"},
	{"/fr/acces-information", "/en/access-to-information"},
}

func TestURLMapInBothLanguages(t *testing.T) {
	srv, _ := newServer(t)
	for _, pair := range urlMap {
		for i, path := range pair {
			l, twin := []string{"fr", "en"}[i], pair[1-i]
			t.Run(path, func(t *testing.T) {
				res := get(t, srv, path)
				if res.StatusCode != 200 {
					t.Fatalf("status %d", res.StatusCode)
				}
				p := parse(t, body(t, res))
				if p.lang != l {
					t.Errorf("lang = %q, want %q", p.lang, l)
				}
				if p.twin != twin {
					t.Errorf("twin link = %q, want %q", p.twin, twin)
				}
				if p.alternates["fr"] != testBase+pair[0] || p.alternates["en"] != testBase+pair[1] {
					t.Errorf("hreflang alternates = %v", p.alternates)
				}
				if p.alternates["x-default"] != testBase+pair[0] {
					t.Errorf("x-default = %q, want the French page", p.alternates["x-default"])
				}
				if p.canonical != testBase+path {
					t.Errorf("canonical = %q, want %q", p.canonical, testBase+path)
				}
				if !lastUpdateRE[l].MatchString(p.lastUpdate) {
					t.Errorf("last update line = %q", p.lastUpdate)
				}
				if p.h1 == "" {
					t.Error("no h1")
				}
			})
		}
	}
}

// Every page's twin link resolves, and the twin's twin is the page itself.
func TestTwinLinksResolveAndPointBack(t *testing.T) {
	srv, _ := newServer(t)
	paths := srv.Site.Paths()
	if len(paths) < 2*len(urlMap) {
		t.Fatalf("only %d public paths", len(paths))
	}
	for _, path := range paths {
		p := parse(t, body(t, get(t, srv, path)))
		res := get(t, srv, p.twin)
		if res.StatusCode != 200 {
			t.Errorf("%s: twin %s answers %d", path, p.twin, res.StatusCode)
			continue
		}
		if back := parse(t, body(t, res)).twin; back != path {
			t.Errorf("%s → %s → %s: twin does not point back", path, p.twin, back)
		}
	}
}

func TestFrenchOnlyFallback(t *testing.T) {
	srv, _ := newServer(t)
	res := get(t, srv, "/en/access-to-information")
	if res.StatusCode != 200 {
		t.Fatalf("status %d", res.StatusCode)
	}
	b := body(t, res)
	p := parse(t, b)
	if p.lang != "en" {
		t.Errorf("chrome language = %q, want en", p.lang)
	}
	if !strings.Contains(b, "This section is available only in French.") {
		t.Error("no French-only notice")
	}
	if !strings.Contains(b, "This section gives access to the documents that the Regulation") {
		t.Error("the notice does not say in English what the section holds")
	}
	if !strings.Contains(b, `href="/fr/acces-information"`) {
		t.Error("no link to the French page")
	}
	if !strings.Contains(b, `<h1 lang="fr">`) {
		t.Error("the French title must be marked lang=fr")
	}
	if !strings.Contains(b, `<li lang="fr"><span aria-current="page">`) {
		t.Error("the French title in the breadcrumbs must be marked lang=fr")
	}
	if strings.Contains(b, "Conformément à la Loi") {
		t.Error("the French body must not be shown in English chrome")
	}
	if !lastUpdateRE["en"].MatchString(p.lastUpdate) {
		t.Errorf("last update line = %q", p.lastUpdate)
	}
}

func TestRootRedirectsByAcceptLanguage(t *testing.T) {
	srv, _ := newServer(t)
	for _, c := range []struct{ header, want string }{
		{"", "/fr/"},
		{"fr-CA,fr;q=0.9,en;q=0.8", "/fr/"},
		{"en-US,en;q=0.9", "/en/"},
		{"de-DE", "/fr/"},
	} {
		res := get(t, srv, "/", "Accept-Language", c.header)
		if res.StatusCode != http.StatusFound || res.Header.Get("Location") != c.want {
			t.Errorf("Accept-Language %q: %d → %q, want 302 → %q", c.header, res.StatusCode, res.Header.Get("Location"), c.want)
		}
		if !strings.Contains(res.Header.Get("Vary"), "Accept-Language") {
			t.Errorf("Accept-Language %q: no Vary header", c.header)
		}
	}
}

func TestNotFoundAndMethodNotAllowed(t *testing.T) {
	srv, _ := newServer(t)
	for _, path := range []string{"/fr/nulle-part", "/en/nowhere", "/nowhere", "/fr/ministere/mission/x"} {
		res := get(t, srv, path)
		b := body(t, res)
		if res.StatusCode != 404 {
			t.Errorf("%s: status %d", path, res.StatusCode)
		}
		if !strings.Contains(b, "Page introuvable") || !strings.Contains(b, "Page not found") {
			t.Errorf("%s: the 404 page must be bilingual", path)
		}
	}
	r := httptest.NewRequest("POST", "/fr/ministere/mission", strings.NewReader("x=1"))
	w := httptest.NewRecorder()
	srv.ServeHTTP(w, r)
	if w.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST on a page: %d, want 405", w.Code)
	}
}

func TestTrailingSlashAndBareLanguage(t *testing.T) {
	srv, _ := newServer(t)
	for path, want := range map[string]string{
		"/fr":                     "/fr/",
		"/en":                     "/en/",
		"/fr/ministere/mission/":  "/fr/ministere/mission",
		"/en/department/mission/": "/en/department/mission",
	} {
		res := get(t, srv, path)
		if res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != want {
			t.Errorf("%s: %d → %q, want 301 → %q", path, res.StatusCode, res.Header.Get("Location"), want)
		}
	}
}

func TestConditionalRequests(t *testing.T) {
	srv, _ := newServer(t)
	res := get(t, srv, "/fr/ministere/mission")
	etag, lm := res.Header.Get("ETag"), res.Header.Get("Last-Modified")
	if etag == "" || lm == "" {
		t.Fatalf("ETag %q, Last-Modified %q", etag, lm)
	}
	if res := get(t, srv, "/fr/ministere/mission", "If-None-Match", etag); res.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match: %d", res.StatusCode)
	}
	if res := get(t, srv, "/fr/ministere/mission", "If-Modified-Since", lm); res.StatusCode != http.StatusNotModified {
		t.Errorf("If-Modified-Since: %d", res.StatusCode)
	}
	if res := get(t, srv, "/fr/ministere/mission", "Accept-Encoding", "gzip"); res.Header.Get("Content-Encoding") != "gzip" {
		t.Error("no gzip for a client that accepts it")
	}
}

// A publish shows at once: the cache is invalidated and Last update moves.
func TestPublishInvalidatesCache(t *testing.T) {
	srv, db := newServer(t)
	ctx := context.Background()
	before := get(t, srv, "/fr/ministere/mission")
	etag := before.Header.Get("ETag")
	storetest.Publish(t, db, content.Revision{PageKey: "mission", Lang: lang.FR, Path: "ministere/mission",
		Title: "Mission renouvelée", Body: "Nouveau texte.", Author: "test", Major: true, ChangeNote: "Nouvelle mission"})
	if err := srv.Site.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	after := get(t, srv, "/fr/ministere/mission", "If-None-Match", etag)
	if after.StatusCode != 200 {
		t.Fatalf("stale page after publish: %d", after.StatusCode)
	}
	if p := parse(t, body(t, after)); p.h1 != "Mission renouvelée" {
		t.Fatalf("h1 = %q", p.h1)
	}
}

// Last update comes from the data shown: a minor change keeps it.
func TestLastUpdateFromShownData(t *testing.T) {
	srv, _ := servertest.New(t, servertest.Options{Clock: func() time.Time {
		return time.Date(2026, 7, 1, 16, 5, 0, 0, time.UTC)
	}})
	p := parse(t, body(t, get(t, srv, "/fr/ministere/mission")))
	// 16:05 UTC in July is 12:05 in Montréal.
	if p.lastUpdate != "Dernière mise à jour : 2026-07-01 12:05" {
		t.Fatalf("last update = %q", p.lastUpdate)
	}
}

func TestHealth(t *testing.T) {
	srv, db := newServer(t)
	if res := get(t, srv, "/healthz"); res.StatusCode != 200 {
		t.Errorf("/healthz: %d", res.StatusCode)
	}
	if res := get(t, srv, "/readyz"); res.StatusCode != 200 {
		t.Errorf("/readyz: %d", res.StatusCode)
	}
	db.Close()
	if res := get(t, srv, "/readyz"); res.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("/readyz with a closed database: %d", res.StatusCode)
	}
}

func TestSecurityHeadersOnPages(t *testing.T) {
	srv, _ := newServer(t)
	for _, path := range []string{"/fr/", "/nowhere", "/"} {
		h := get(t, srv, path).Header
		csp := h.Get("Content-Security-Policy")
		if csp == "" || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("%s: CSP %q", path, csp)
		}
		if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") == "" {
			t.Errorf("%s: nosniff %q, referrer %q", path, h.Get("X-Content-Type-Options"), h.Get("Referrer-Policy"))
		}
	}
}

func BenchmarkCachedPage(b *testing.B) {
	srv, _ := newServer(b)
	get(b, srv, "/fr/ministere/mission")
	r := httptest.NewRequest("GET", "/fr/ministere/mission", nil)
	for b.Loop() {
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, r)
		if w.Code != 200 {
			b.Fatal(w.Code)
		}
	}
}

func BenchmarkUncachedPage(b *testing.B) {
	srv, _ := newServer(b)
	r := httptest.NewRequest("GET", "/fr/ministere/mission", nil)
	for b.Loop() {
		b.StopTimer()
		srv.Site.Purge()
		b.StartTimer()
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, r)
		if w.Code != 200 {
			b.Fatal(w.Code)
		}
	}
}

func TestMetricsCountRequestsByRoute(t *testing.T) {
	srv, _ := newServer(t)
	get(t, srv, "/fr/ministere/mission")
	get(t, srv, "/fr/ministere/mission")
	get(t, srv, "/en/department/mission")
	get(t, srv, "/nowhere")
	w := httptest.NewRecorder()
	srv.Metrics.ServeHTTP(w, httptest.NewRequest("GET", "/metrics", nil))
	b := w.Body.String()
	if w.Code != 200 {
		t.Fatalf("/metrics: %d\n%s", w.Code, b)
	}
	for _, want := range []string{
		`portail_http_requests_total{code="200",method="GET",route="GET /fr/{path...}"} 2`,
		`portail_http_requests_total{code="200",method="GET",route="GET /en/{path...}"} 1`,
		`portail_http_requests_total{code="404",method="GET",route="GET /"} 1`,
		// The first request of each page misses the cache, the second hits.
		"portail_page_cache_hits_total 1\n",
		"portail_page_cache_misses_total 2\n",
		"portail_change_feed_behind 0\n",
		"portail_change_feed_lag_seconds 0\n",
		"portail_scheduled_overdue 0\n",
	} {
		if !strings.Contains(b, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}

// /metrics shows staff activity volumes: it is served on its own address
// (Server.Metrics, -metrics-addr), and the public handler does not know it.
func TestMetricsNotOnPublicHandler(t *testing.T) {
	srv, _ := newServer(t)
	for _, method := range []string{"GET", "HEAD"} {
		r := httptest.NewRequest(method, "/metrics", nil)
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, r)
		if w.Code != http.StatusNotFound || strings.Contains(w.Body.String(), "portail_http_requests_total") {
			t.Errorf("%s /metrics on the public handler: %d", method, w.Code)
		}
	}
}

// A scheduled publication past its time and grace shows as overdue, and
// a change this instance has not applied shows as lag: both are read
// from the store at scrape time.
func TestMetricsOverdueAndFeedLag(t *testing.T) {
	var nanos atomic.Int64 // the clock, read by the store and the metrics
	nanos.Store(time.Date(2026, 7, 1, 12, 0, 0, 0, time.UTC).UnixNano())
	now := func() time.Time { return time.Unix(0, nanos.Load()).UTC() }
	advance := func(d time.Duration) { nanos.Add(int64(d)) }
	srv, db := servertest.New(t, servertest.Options{Clock: now})
	// Not following the feed, so that the lag below stays until Sync.
	srv.Close()
	scrape := func() string {
		w := httptest.NewRecorder()
		srv.Metrics.ServeHTTP(w, httptest.NewRequest("GET", "/metrics", nil))
		return w.Body.String()
	}
	if b := scrape(); !strings.Contains(b, "portail_scheduled_overdue 0\n") || !strings.Contains(b, "portail_change_feed_behind 0\n") {
		t.Fatalf("before: %s", b)
	}
	ctx := t.Context()
	revs, err := db.Revisions(ctx, "mission", lang.FR)
	if err != nil {
		t.Fatal(err)
	}
	next := revs[0]
	next.ID, next.State, next.Author = 0, content.Review, "ed@example.org"
	next.Body += "\n\nUn ajout.\n"
	if next, err = db.SaveRevision(ctx, next); err != nil {
		t.Fatal(err)
	}
	reviewer := content.Actor{Name: "rev@example.org", Approve: true}
	if _, err := store.Step(ctx, db, reviewer, next.ID, content.Request{Action: content.ActSchedule, At: now().Add(time.Minute)},
		audit.Origin{Actor: reviewer.Name}); err != nil {
		t.Fatal(err)
	}
	advance(time.Minute + content.Grace + time.Second)
	if b := scrape(); !strings.Contains(b, "portail_scheduled_overdue 1\n") {
		t.Errorf("overdue not counted:\n%s", grepLines(b, "portail_scheduled"))
	}
	// Published straight through the store: this instance does not
	// follow the feed (closed) and has not synced, so it lags by one.
	if _, err := store.Step(ctx, db, content.Actor{Name: "scheduler"}, next.ID, content.Request{Action: content.ActPublishDue},
		audit.Origin{Actor: "scheduler"}); err != nil {
		t.Fatal(err)
	}
	advance(5 * time.Second)
	b := scrape()
	if !strings.Contains(b, "portail_change_feed_behind 1\n") || !strings.Contains(b, "portail_change_feed_lag_seconds 5\n") {
		t.Errorf("lag not shown:\n%s", grepLines(b, "portail_change_feed"))
	}
	if err := srv.Site.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if b := scrape(); !strings.Contains(b, "portail_change_feed_behind 0\n") || !strings.Contains(b, "portail_scheduled_overdue 0\n") {
		t.Errorf("after sync:\n%s", grepLines(b, "portail_"))
	}
}

func grepLines(s, prefix string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.HasPrefix(l, prefix) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// Canonical and hreflang links are absolute on the configured base URL,
// whatever host the request named: pages are cached, and a page
// rendered for one Host must not carry it to another.
func TestCanonicalAndAlternatesAreAbsoluteOnTheBaseURL(t *testing.T) {
	const base = "https://www.mrif.example"
	srv, _ := servertest.New(t, servertest.Options{Config: server.Config{BaseURL: base + "/"}})
	for _, host := range []string{"www.mrif.example", "attacker.example", "www.mrif.example"} {
		r := httptest.NewRequest("GET", "/en/department/mission", nil)
		r.Host = host
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, r)
		p := parse(t, w.Body.String())
		want := map[string]string{
			"fr":        base + "/fr/ministere/mission",
			"en":        base + "/en/department/mission",
			"x-default": base + "/fr/ministere/mission",
		}
		if len(p.alternates) != len(want) {
			t.Errorf("Host %s: alternates %v, want %v", host, p.alternates, want)
		}
		for l, u := range want {
			if p.alternates[l] != u {
				t.Errorf("Host %s: hreflang %s = %q, want %q", host, l, p.alternates[l], u)
			}
		}
		if p.canonical != base+"/en/department/mission" {
			t.Errorf("Host %s: canonical %q", host, p.canonical)
		}
	}
}

func TestParseBaseURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://www.mrif.gouv.qc.ca":  "https://www.mrif.gouv.qc.ca",
		"https://www.mrif.gouv.qc.ca/": "https://www.mrif.gouv.qc.ca",
		"http://localhost:8080":        "http://localhost:8080",
		"":                             "",
		"www.mrif.gouv.qc.ca":          "",
		"ftp://example.org":            "",
		"https://example.org/portail":  "",
		"https://example.org/?q=1":     "",
		"https://user@example.org":     "",
		"https://":                     "",
	} {
		got, err := server.ParseBaseURL(in)
		if want == "" && err == nil {
			t.Errorf("ParseBaseURL(%q) = %q, want an error", in, got)
		}
		if want != "" && (err != nil || got != want) {
			t.Errorf("ParseBaseURL(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	_, db := newServer(t)
	if srv, err := server.New(context.Background(), server.Config{Store: db, BaseURL: "example.org"}); err == nil {
		srv.Close()
		t.Error("server.New accepted a base URL without a scheme")
	}
}

// Browsers ask for /favicon.ico on every page, whatever the page links.
func TestFavicon(t *testing.T) {
	srv, _ := newServer(t)
	res := get(t, srv, "/favicon.ico")
	b := body(t, res)
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/vnd.microsoft.icon" || !strings.HasPrefix(b, "\x00\x00\x01\x00") {
		t.Fatalf("/favicon.ico: %d %q, %d bytes", res.StatusCode, res.Header.Get("Content-Type"), len(b))
	}
	src := body(t, get(t, srv, "/fr/"))
	m := regexp.MustCompile(`<link rel="icon" href="([^"]+)" type="image/svg\+xml">`).FindStringSubmatch(src)
	if m == nil {
		t.Fatal("no SVG icon link")
	}
	if res := get(t, srv, m[1]); res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/svg+xml" {
		t.Errorf("%s: %d %q", m[1], res.StatusCode, res.Header.Get("Content-Type"))
	}
}

// A body's headings must not repeat an id of the page around it: the
// main element is "contenu", and "## Contenu" gave a second one.
func TestHeadingIDsUniqueInPage(t *testing.T) {
	srv, db := newServer(t)
	var src strings.Builder
	src.WriteString("Texte.\n\n[Aller au pied](#footer)\n\n")
	for _, h := range []string{"contenu", "footer", "sections", "notice-title", "status-title"} {
		fmt.Fprintf(&src, "## %s\n\nTexte.\n\n", h)
	}
	storetest.Publish(t, db, content.Revision{PageKey: "mission", Lang: lang.FR, Path: "ministere/mission",
		Title: "Mission", Body: src.String(), Author: "test"})
	if err := srv.Site.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	res := get(t, srv, "/fr/ministere/mission")
	page := body(t, res)
	seen := map[string]int{}
	for _, m := range regexp.MustCompile(`\sid="([^"]*)"`).FindAllStringSubmatch(page, -1) {
		seen[m[1]]++
	}
	if seen["h-contenu"] != 1 || seen["contenu"] != 1 {
		t.Fatalf("ids: %v", seen)
	}
	for id, n := range seen {
		if n > 1 {
			t.Errorf("id %q appears %d times", id, n)
		}
	}
	if !strings.Contains(page, `href="#h-footer"`) {
		t.Error("the in-page link does not lead to its heading")
	}
}
