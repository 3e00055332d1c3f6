package e2e

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"portail/internal/admin/admintest"
	"portail/internal/apperr"
	"portail/internal/audit"
	"portail/internal/auth"
	"portail/internal/content"
	"portail/internal/lang"
	"portail/internal/media"
	"portail/internal/office"
	"portail/internal/server/servertest"
	"portail/internal/store"
	"portail/internal/store/storetest"
)

// target is one page state that the crawl visits.
type target struct {
	url    string // path and query on the test server
	status int    // the HTTP status the page must answer
	// post, when set, makes the state the answer to the form on the page
	// at url (see post): the crawl loads url, fills the form in and
	// submits it, and checks the page that comes back.
	post *post
	// marks must be in the page, each "#id" or ".class": for a form shown
	// again, its error summary and the message of each field in error. They
	// make sure that the state is the one meant: a form that stopped
	// showing its errors would otherwise pass every check.
	marks []string
}

// key identifies the state among the crawl's targets.
func (tg target) key() string {
	if tg.post != nil {
		return "POST " + tg.url + " " + tg.post.name
	}
	return tg.url
}

// name returns a file- and subtest-friendly name for the target's URL.
func (tg target) name() string {
	s := strings.Trim(tg.url, "/")
	if tg.post != nil {
		s = "post-" + tg.post.name
	}
	if s == "" {
		s = "root"
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-':
			return r
		}
		return '_'
	}, s)
}

// staff reports whether the target is on the staff side, which the crawl
// visits signed in.
func (tg target) staff() bool { return tg.url == "/admin" || strings.HasPrefix(tg.url, "/admin/") }

// extraStates are page states that no route pattern enumerates. Add a row
// when a feature brings a state worth checking: search with and without
// results, a form shown again with validation errors (a row with post), ...
var extraStates = []target{
	{url: "/fr/page-inexistante", status: http.StatusNotFound},        // 404 page, French chrome
	{url: "/en/no-such-page", status: http.StatusNotFound},            // 404 page, English chrome
	{url: "/en/access-to-information", status: http.StatusOK},         // French-only page: English chrome, notice
	{url: "/en/department/no-such-page", status: http.StatusNotFound}, // 404 under an existing section

	// Forms shown again with what went wrong.
	{url: "/admin/login", status: http.StatusUnauthorized, post: &post{
		name: "login-wrong-password", anonymous: true,
		fields: url.Values{"email": {adminEmail}, "password": {"pas le bon mot de passe"}},
	}, marks: []string{"#login-error"}},
	{url: "/admin/login", status: http.StatusUnprocessableEntity, post: &post{
		name: "login-empty", anonymous: true,
		fields: url.Values{"email": {""}, "password": {""}},
	}, marks: []string{".error-summary", "#email-error", "#password-error"}},
	{url: "/admin/users", status: http.StatusUnprocessableEntity, post: &post{
		name:   "user-add-invalid",
		fields: url.Values{"email": {"pas-une-adresse"}, "name": {""}, "password": {"court"}},
	}, marks: []string{".error-summary", "#email-error", "#name-error", "#password-error"}},
	{url: "/admin/pages/mission", status: http.StatusUnprocessableEntity, post: &post{
		name:   "editor-invalid",
		fields: url.Values{"fr.title": {""}, "fr.path": {"ministere/une mission"}},
	}, marks: []string{".error-summary", "#fr.title-error", "#fr.path-error"}},
	{url: "/admin/pages/new", status: http.StatusUnprocessableEntity, post: &post{
		name:   "page-new-invalid",
		fields: url.Values{"key": {"Une clé"}, "order": {"-1"}},
	}, marks: []string{".error-summary", "#key-error", "#order-error"}},
	{url: "/admin/navigation", status: http.StatusUnprocessableEntity, post: &post{
		name: "navigation-section-invalid", action: "/admin/navigation/sections",
		fields: url.Values{"new.key": {"Presse!"}, "new.fr.label": {""}, "new.fr.path": {"historique/presse"}},
	}, marks: []string{".error-summary", "#new.key-error", "#new.fr.label-error", "#new.fr.path-error"}},
	{url: "/admin/navigation", status: http.StatusUnprocessableEntity, post: &post{
		name: "navigation-footer-invalid", action: "/admin/navigation/footer",
		fields: url.Values{"foot.new.fr.url": {"javascript:alert(1)"}, "foot.new.en.label": {""}},
	}, marks: []string{".error-summary", "#foot.new.fr.url-error", "#foot.new.en.label-error"}},
	{url: "/admin/password", status: http.StatusUnprocessableEntity, post: &post{
		name:   "password-invalid",
		fields: url.Values{"current": {"pas le bon"}, "new": {"court"}, "confirm": {"autre"}},
	}, marks: []string{".error-summary", "#current-error", "#new-error", "#confirm-error"}},
	{url: "/admin/offices/new", status: http.StatusUnprocessableEntity, post: &post{
		name:   "office-new-invalid",
		fields: url.Values{"slug": {"Paris!"}, "fr.name": {""}, "latitude": {"91"}, "hours": {"lundi 9h"}},
	}, marks: []string{".error-summary", "#slug-error", "#fr.name-error", "#latitude-error", "#hours-error"}},
	{url: "/admin/offices/import", status: http.StatusUnprocessableEntity, post: &post{
		name: "office-import-wrong-type",
		file: &upload{field: "file", name: "offices.txt", typ: "text/plain", data: []byte("paris\n")},
	}, marks: []string{".error-summary", "#file-error"}},
	{url: "/admin/policies/new", status: http.StatusUnprocessableEntity, post: &post{
		name:   "policy-new-invalid",
		fields: url.Values{"id": {"Politique 2030"}, "title.fr": {""}, "url": {"http://www.quebec.ca"}, "outline": {"## orphelin | sans | axe"}},
	}, marks: []string{".error-summary", "#id-error", "#title.fr-error", "#url-error", "#outline-error"}},
	{url: "/admin/org-units/new", status: http.StatusUnprocessableEntity, post: &post{
		name:   "orgunit-new-invalid",
		fields: url.Values{"id": {"Une unité"}, "name.fr": {""}, "from": {"2026-02-30"}},
	}, marks: []string{".error-summary", "#id-error", "#name.fr-error", "#from-error"}},
	{url: "/admin/org-units/secteur-affaires-bilaterales", status: http.StatusUnprocessableEntity, post: &post{
		name: "orgunit-move-under-own-unit", action: "/admin/org-units/secteur-affaires-bilaterales/move",
		fields: url.Values{"move.parent": {"direction-europe"}},
	}, marks: []string{".error-summary", "#move.parent-error"}},
	{url: "/admin/org-units/import", status: http.StatusUnprocessableEntity, post: &post{
		name: "orgunit-import-wrong-type",
		file: &upload{field: "file", name: "organigramme.txt", typ: "text/plain", data: []byte("cabinet-ministre\n")},
	}, marks: []string{".error-summary", "#file-error"}},
	{url: "/admin/media", status: http.StatusUnprocessableEntity, post: &post{
		name: "media-wrong-type",
		file: &upload{field: "file", name: "notes.txt", typ: "text/plain", data: []byte("Bonjour.\n")},
	}, marks: []string{".error-summary", "#file-error"}},
	{url: "/admin/media", status: http.StatusRequestEntityTooLarge, post: &post{
		name: "media-too-large",
		file: &upload{field: "file", name: "rapport.pdf", typ: "application/pdf", data: append([]byte("%PDF-1.7\n"), make([]byte, maxUpload)...)},
	}, marks: []string{".error-summary", "#file-error"}},
	// A filter form is a GET form: its errors have a URL.
	{url: "/admin/audit?since=hier&until=2026-13-45", status: http.StatusUnprocessableEntity,
		marks: []string{".error-summary", "#since-error", "#until-error"}},
}

// examples gives the URLs to visit for the staff routes whose wildcards
// need the fixtures' values; servertest.Targets, the one enumerator of
// the server's URLs, gives every other route's (each public page and
// sub-page from the site's route table, DefaultWildcards elsewhere).
// {published} and {draft} stand for the IDs of the revisions that
// addFixtures leaves on the page "mission" in French, {editor} for the
// account it adds.
var examples = map[string][]string{
	"GET /admin/pages/{key}/{lang}/diff": {"/admin/pages/mission/fr/diff?from={published}&to={draft}"},
	"GET /admin/revisions/{id}":          {"/admin/revisions/{published}", "/admin/revisions/{draft}"},
	// The confirmations ask about another account than the one signed in.
	"GET /admin/users/{id}/disable": {"/admin/users/{editor}/disable"},
	"GET /admin/users/{id}/reset":   {"/admin/users/{editor}/reset"},
	// A unit of the default chart, with units under it.
	"GET /admin/org-units/{id}": {"/admin/org-units/secteur-affaires-bilaterales"},
}

// addFixtures adds what the examples need on top of the default content: a
// draft revision of the page "mission" in French. It also fills the staff
// lists that are empty on the default content, so that their tables are
// checked: mission's review-by date has passed, and its English version
// has a revision scheduled for next week; the file list has a published
// image that mission shows (wider than a phone, so that the 360 px check
// sees it scale down), a published PDF, and a file nobody published; the
// offices area has the office in Paris. It returns the values of the
// examples' placeholders.
func addFixtures(t *testing.T, a *app) *strings.Replacer {
	t.Helper()
	ctx := t.Context()
	img := addFile(t, a, "Carte du réseau.png", widePNG(t), true)
	addFile(t, a, "Rapport annuel 2025.pdf", []byte("%PDF-1.7\n%%EOF\n"), true)
	addFile(t, a, "Brouillon.pdf", []byte("%PDF-1.7\n% brouillon\n%%EOF\n"), false)
	shown, err := a.db.Revisions(ctx, "mission", lang.FR)
	if err != nil || len(shown) == 0 {
		t.Fatalf("the default content has no French revision of mission: %v", err)
	}
	withImage := shown[0]
	withImage.ID, withImage.Author = 0, "e2e"
	withImage.Body += "\n\n![Carte du réseau des représentations du Québec](" + img.PublicPath(lang.FR) + ")\n"
	storetest.Publish(t, a.db, withImage)
	if err := a.srv.Site.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	revs, err := a.db.Revisions(ctx, "mission", lang.FR)
	if err != nil || len(revs) == 0 {
		t.Fatalf("the default content has no French revision of mission: %v", err)
	}
	pub := revs[0]
	draft := pub
	draft.ID, draft.State, draft.Author = 0, content.Draft, "e2e"
	draft.Title += " (révision)"
	draft.Body += "\n\nUn paragraphe ajouté pour la révision.\n"
	draft, err = a.db.SaveRevision(ctx, draft)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.db.SetReviewBy(ctx, "mission", time.Now().AddDate(0, 0, -1)); err != nil {
		t.Fatal(err)
	}
	en, err := a.db.Revisions(ctx, "mission", lang.EN)
	if err != nil || len(en) == 0 {
		t.Fatalf("the default content has no English revision of mission: %v", err)
	}
	next := en[0]
	next.ID, next.State, next.Author = 0, content.Review, "e2e"
	next.Body += "\n\nA paragraph added for the scheduled revision.\n"
	if next, err = a.db.SaveRevision(ctx, next); err != nil {
		t.Fatal(err)
	}
	reviewer := content.Actor{Name: "reviewer.e2e@example.org", Approve: true}
	schedule := content.Request{Action: content.ActSchedule, At: time.Now().AddDate(0, 0, 7)}
	if _, err := store.Step(ctx, a.db, reviewer, next.ID, schedule, audit.Origin{Actor: reviewer.Name, IP: "127.0.0.1"}); err != nil {
		t.Fatal(err)
	}
	// The office that DefaultWildcards names, unless the default content
	// has it.
	if _, err := a.db.Office(ctx, "paris"); errors.Is(err, apperr.NotFound) {
		paris := office.Office{Slug: "paris", Type: office.GeneralDelegation,
			Name:    map[lang.Lang]string{lang.FR: "Délégation générale du Québec à Paris", lang.EN: "Québec Government Office in Paris"},
			City:    map[lang.Lang]string{lang.FR: "Paris", lang.EN: "Paris"},
			Country: "FR", Region: office.Europe, Latitude: 48.8566, Longitude: 2.3522, TimeZone: "Europe/Paris", Sample: true}
		if _, err := a.db.SaveOffice(ctx, paris, audit.Origin{Actor: "e2e", IP: "127.0.0.1"}); err != nil {
			t.Fatal(err)
		}
	} else if err != nil {
		t.Fatal(err)
	}
	editor := admintest.NewUser(t, a.db, "redaction.e2e@example.org", auth.Editor)
	return strings.NewReplacer("{published}", fmt.Sprint(pub.ID), "{draft}", fmt.Sprint(draft.ID), "{editor}", fmt.Sprint(editor.ID))
}

// skipRoutes are the GET routes that serve no HTML page, so that neither
// axe nor the HTML checker has anything to look at. An entry ending in "/"
// covers every path under it.
var skipRoutes = []struct{ path, why string }{
	{"/healthz", "liveness probe, plain text"},
	{"/readyz", "readiness probe, plain text"},
	{"/assets/", "fingerprinted CSS and images"},
	{"/admin/media/", "uploaded files, served as they are"},
	{"/fichiers/", "published files, served as they are"},
	{"/files/", "published files, served as they are"},
	{"/api/", "JSON API"},
	{"/sitemap.xml", "XML sitemap"},
	{"/robots.txt", "plain text"},
	{"/favicon.ico", "site icon"},
}

// nonHTMLExt are the extensions of routes that serve files, not pages:
// feeds (RSS, Atom, JSON Feed), sitemaps and open-data exports.
var nonHTMLExt = []string{".xml", ".rss", ".atom", ".json", ".txt", ".csv", ".ics"}

// nonHTMLLeaf are the last segments of routes that serve a file under a
// page: an office's contact card.
var nonHTMLLeaf = []string{"/vcard"}

func skipReason(path string) string {
	for _, s := range skipRoutes {
		if path == s.path || strings.HasSuffix(s.path, "/") && strings.HasPrefix(path, s.path) {
			return s.why
		}
	}
	for _, ext := range nonHTMLExt {
		if strings.HasSuffix(path, ext) {
			return "feed or data file (" + ext + ")"
		}
	}
	for _, leaf := range nonHTMLLeaf {
		if strings.HasSuffix(path, leaf) {
			return "file under a page (" + leaf + ")"
		}
	}
	return ""
}

// crawlTargets lists every page state to check: each URL that the one
// enumerator of the server's URLs (servertest.Targets) gives for a GET
// route, the pages they redirect to, and extraStates. It signs in as an
// administrator when staff routes exist.
func crawlTargets(t *testing.T, a *app) []target {
	t.Helper()
	var out []target
	seen := map[string]bool{}
	add := func(tg target) {
		if !seen[tg.key()] {
			seen[tg.key()] = true
			out = append(out, tg)
		}
	}
	fill := addFixtures(t, a)
	v := servertest.Values{Examples: map[string][]string{}}
	for p, urls := range examples {
		for _, u := range urls {
			v.Examples[p] = append(v.Examples[p], fill.Replace(u))
		}
	}
	all, err := servertest.Targets(a.srv, v)
	if err != nil {
		t.Fatal(err)
	}
	var probes []target // probed below, with the status each must end with
	for _, tg := range all {
		if tg.Method != "" && tg.Method != http.MethodGet || skipReason(tg.Path) != "" {
			continue
		}
		if strings.HasPrefix(tg.Path, "/admin") {
			a.signIn(t)
		}
		want := http.StatusOK
		if tg.Pattern == "GET /" {
			want = http.StatusNotFound // the catch-all's bilingual 404 page
		}
		probes = append(probes, target{url: tg.URL, status: want})
	}

	// Follow redirects to the page they lead to, and make sure that what
	// they serve is HTML, with the status expected.
	for _, p := range probes {
		u := p.url
		for hops := 0; ; hops++ {
			if hops == 5 {
				t.Errorf("%s: too many redirects", u)
				break
			}
			res := a.get(t, u)
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode >= 300 && res.StatusCode < 400 {
				loc, err := url.Parse(res.Header.Get("Location"))
				if err != nil || loc.Host != "" && "http://"+loc.Host != a.ts.URL {
					t.Errorf("%s redirects off the site, to %q", u, res.Header.Get("Location"))
					break
				}
				u = loc.RequestURI()
				if !strings.HasPrefix(u, "/") {
					t.Errorf("%s: relative redirect %q", u, res.Header.Get("Location"))
					break
				}
				continue
			}
			if ct, _, _ := mime.ParseMediaType(res.Header.Get("Content-Type")); ct != "text/html" {
				t.Errorf("%s serves %q, not a page: add it to skipRoutes in e2e/pages_test.go with the reason", u, ct)
				break
			}
			if res.StatusCode != p.status {
				t.Errorf("%s (from %s): %d, want %d", u, p.url, res.StatusCode, p.status)
			}
			add(target{url: u, status: p.status})
			break
		}
	}
	for _, tg := range extraStates {
		if tg.staff() {
			a.signIn(t)
		}
		add(tg)
	}
	if len(out) == 0 {
		t.Fatal("the route table gave no page to visit")
	}
	return out
}

// get fetches path from the test server without following redirects,
// signed in for staff paths.
func (a *app) get(t *testing.T, path string) *http.Response {
	t.Helper()
	return a.do(t, http.MethodGet, path, nil, "", (target{url: path}).staff())
}

// signIn gets a staff session once per app.
func (a *app) signIn(t *testing.T) {
	t.Helper()
	if a.session == nil {
		a.session = loginAsAdmin(t, a)
	}
}

// loginAsAdmin creates an administrator in the app's store, signs in
// through the real POST /admin/login and returns the session cookie that
// the crawl sends with every /admin request, in the browser and in plain
// HTTP. It fails t when sign-in does not work.
func loginAsAdmin(t *testing.T, a *app) *http.Cookie {
	t.Helper()
	admintest.NewUser(t, a.db, adminEmail, auth.Admin)
	return admintest.Login(t, a.srv, adminEmail, admintest.Password)
}

// adminEmail is the address of the administrator the crawl signs in as.
const adminEmail = "admin.e2e@example.org"

// TestCrawlTargets checks the enumeration itself: both home pages, a page
// in each language, the French-only notice and the 404 pages are visited.
func TestCrawlTargets(t *testing.T) {
	a := newApp(t)
	got := map[string]int{}
	posts := 0
	for _, tg := range crawlTargets(t, a) {
		if tg.post != nil {
			posts++
			continue
		}
		got[tg.url] = tg.status
	}
	if posts == 0 {
		t.Error("the crawl submits no form: the states of forms shown again with their errors are missing")
	}
	for u, status := range map[string]int{
		"/fr/":                      200,
		"/en/":                      200,
		"/fr/ministere/mission":     200,
		"/en/department/mission":    200,
		"/en/access-to-information": 200,
		"/fr/page-inexistante":      404,
		"/page-inexistante":         404,
		// A module's page and sub-pages, which no test lists: the
		// route table gives them to the crawl.
		"/fr/ministere/organigramme":                200,
		"/fr/representations/tokyo":                 200,
		"/en/offices-abroad/tokyo":                  200,
		"/fr/historique/ministere/organigramme":     200,
		"/en/history/department/organization-chart": 200,
	} {
		if s, ok := got[u]; !ok || s != status {
			t.Errorf("%s: in crawl %v with status %d, want status %d", u, ok, s, status)
		}
	}
	for u := range got {
		if skipReason(u) != "" {
			t.Errorf("%s is crawled but skipRoutes leaves it out", u)
		}
	}
}

// addFile stores data as a file named name, published when publish says so.
func addFile(t *testing.T, a *app, name string, data []byte, publish bool) media.File {
	t.Helper()
	ctx := t.Context()
	f, ok := media.New(name, data)
	if !ok {
		t.Fatalf("media.New(%q) refused the data", name)
	}
	by := audit.Origin{Actor: "e2e", IP: "127.0.0.1"}
	f, err := a.db.SaveMedia(ctx, f, by)
	if err != nil {
		t.Fatal(err)
	}
	if publish {
		if _, err := a.db.PublishMedia(ctx, f.ID, by); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

// widePNG returns a real 1200 × 400 PNG image.
func widePNG(t *testing.T) []byte {
	t.Helper()
	m := image.NewRGBA(image.Rect(0, 0, 1200, 400))
	for y := range 400 {
		for x := range 1200 {
			m.Set(x, y, color.RGBA{R: 0x09, G: 0x57, B: uint8(x / 8), A: 0xff})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, m); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
