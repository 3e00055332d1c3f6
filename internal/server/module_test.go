package server_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"portail/internal/lang"
	"portail/internal/server"
	"portail/internal/server/servertest"
	"portail/internal/site"
	"portail/internal/site/sitetest"
)

// A page backed by a module: editors keep its introduction, the module
// renders its data and owns the sub-pages below it, with the same chrome
// as any page; when the data changes without a revision, the page and its
// "Last update" follow.
func TestModulePageFollowsItsData(t *testing.T) {
	seeded := time.Date(2026, 7, 1, 16, 5, 0, 0, time.UTC)
	mod := sitetest.New(seeded.Add(-time.Hour), sitetest.Unit{Slug: "cabinet", Name: map[lang.Lang]string{lang.FR: "Cabinet de la ministre", lang.EN: "Minister's office"}})
	srv, _ := servertest.New(t, servertest.Options{
		Clock:  func() time.Time { return seeded },
		Config: server.Config{Modules: []site.Module{mod}},
	})

	res := get(t, srv, "/fr/ministere/organigramme")
	src := body(t, res)
	p := parse(t, src)
	if res.StatusCode != 200 || p.h1 != "Organigramme" || !strings.Contains(src, "Cabinet de la ministre") {
		t.Fatalf("page: %d, h1 %q, module part shown: %v", res.StatusCode, p.h1, strings.Contains(src, "Cabinet de la ministre"))
	}
	// The introduction (seeded at 12:05 Montréal) is newer than the data.
	if p.lastUpdate != "Dernière mise à jour : 2026-07-01 12:05" {
		t.Fatalf("last update = %q", p.lastUpdate)
	}

	// The data changes, with no revision. A module's store writes a
	// change record with its data, and the feed's refresh empties the
	// rendered pages; this module's data lives in memory, so the test
	// empties them itself.
	changed := seeded.Add(48 * time.Hour)
	mod.Set(changed,
		sitetest.Unit{Slug: "cabinet", Name: map[lang.Lang]string{lang.FR: "Cabinet de la ministre", lang.EN: "Minister's office"}},
		sitetest.Unit{Slug: "protocole", Name: map[lang.Lang]string{lang.FR: "Direction du protocole", lang.EN: "Protocol directorate"}})
	srv.Site.Purge()
	res = get(t, srv, "/fr/ministere/organigramme")
	src = body(t, res)
	p = parse(t, src)
	if !strings.Contains(src, "Direction du protocole") {
		t.Fatal("the page does not show the new data")
	}
	if p.lastUpdate != "Dernière mise à jour : 2026-07-03 12:05" {
		t.Fatalf("last update after the data changed = %q", p.lastUpdate)
	}
	if lm := res.Header.Get("Last-Modified"); lm != changed.Format(http.TimeFormat) {
		t.Fatalf("Last-Modified %q, want the data's time %q", lm, changed.Format(http.TimeFormat))
	}

	// A sub-page: the module's content in the chrome of its page.
	res = get(t, srv, "/en/department/organization-chart/protocole")
	src = body(t, res)
	p = parse(t, src)
	if res.StatusCode != 200 || p.h1 != "Protocol directorate" {
		t.Fatalf("sub-page: %d, h1 %q", res.StatusCode, p.h1)
	}
	if p.twin != "/fr/ministere/organigramme/protocole" || p.alternates["fr"] != testBase+p.twin || p.alternates["en"] != testBase+"/en/department/organization-chart/protocole" {
		t.Fatalf("twin %q, alternates %v", p.twin, p.alternates)
	}
	if !strings.Contains(src, `href="/en/department/organization-chart">Organization chart</a>`) {
		t.Fatal("the sub-page's breadcrumbs do not pass through its page")
	}
	if !strings.Contains(src, `aria-current="page">Department</a>`) {
		t.Fatal("the sub-page's section is not current in the navigation")
	}
	if p.lastUpdate != "Last update: 2026-07-03 12:05" {
		t.Fatalf("sub-page last update = %q", p.lastUpdate)
	}
	if res := get(t, srv, "/fr/ministere/organigramme/inconnue"); res.StatusCode != http.StatusNotFound {
		t.Fatalf("unknown sub-page: %d", res.StatusCode)
	}

	// The route table's one enumerator lists the sub-pages, so the
	// sitemap, the export and the crawls get them with no other edit.
	var urls []string
	for _, u := range srv.Site.URLs() {
		urls = append(urls, u.Path)
	}
	for _, want := range []string{"/fr/ministere/organigramme/protocole", "/en/department/organization-chart/cabinet", "/fr/ministere/mission"} {
		if !slices.Contains(urls, want) {
			t.Errorf("URLs() lacks %s", want)
		}
	}
}

// A module's page answers its query (filters from a plain GET form),
// shows a bad one as a 400 page, and keeps only the bare page in the
// cache; the other pages ignore a query and are served from the cache.
func TestModulePageQuery(t *testing.T) {
	mod := sitetest.New(time.Date(2026, 7, 1, 16, 5, 0, 0, time.UTC),
		sitetest.Unit{Slug: "cabinet", Name: map[lang.Lang]string{lang.FR: "Cabinet de la ministre", lang.EN: "Minister's office"}},
		sitetest.Unit{Slug: "protocole", Name: map[lang.Lang]string{lang.FR: "Direction du protocole", lang.EN: "Protocol directorate"}})
	srv, _ := servertest.New(t, servertest.Options{Config: server.Config{Modules: []site.Module{mod}}})

	src := body(t, get(t, srv, "/fr/ministere/organigramme?unit=protocole"))
	if !strings.Contains(src, "Direction du protocole") || strings.Contains(src, "Cabinet de la ministre") {
		t.Fatal("the filtered page does not show just the unit asked for")
	}
	res := get(t, srv, "/fr/ministere/organigramme?unit=%3Cb%3Einconnue")
	src = body(t, res)
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(src, "&lt;b&gt;inconnue?") {
		t.Fatalf("bad filter: %d, shown: %v", res.StatusCode, strings.Contains(src, "&lt;b&gt;inconnue?"))
	}
	if res := get(t, srv, "/fr/ministere/organigramme?unit="+strings.Repeat("x", site.MaxQuery)); res.StatusCode != http.StatusRequestURITooLong {
		t.Fatalf("an over-long query: %d", res.StatusCode)
	}
	// The bare page is rendered once, then cached; filtered views never
	// replace it.
	before := mod.Renders()
	for range 3 {
		if src := body(t, get(t, srv, "/fr/ministere/organigramme")); !strings.Contains(src, "Cabinet de la ministre") {
			t.Fatal("the bare page lost a unit after a filtered view")
		}
	}
	if n := mod.Renders() - before; n != 1 {
		t.Fatalf("the bare page was rendered %d times in three requests, want once", n)
	}
	// A page without a module ignores the query: the cached page.
	a := get(t, srv, "/fr/ministere/mission")
	b := get(t, srv, "/fr/ministere/mission?utm_source=x")
	if a.StatusCode != 200 || b.StatusCode != 200 || a.Header.Get("ETag") != b.Header.Get("ETag") {
		t.Fatalf("a query on a plain page: %d/%d, ETags %q %q", a.StatusCode, b.StatusCode, a.Header.Get("ETag"), b.Header.Get("ETag"))
	}
}

// A part that goes stale by the clock alone (an office's "open now") is
// rendered again once it expires, without any change of data.
func TestModulePartExpires(t *testing.T) {
	mod := sitetest.New(time.Date(2026, 7, 1, 16, 5, 0, 0, time.UTC),
		sitetest.Unit{Slug: "cabinet", Name: map[lang.Lang]string{lang.FR: "Cabinet de la ministre", lang.EN: "Minister's office"}})
	srv, _ := servertest.New(t, servertest.Options{Config: server.Config{Modules: []site.Module{mod}}})
	mod.SetExpires(time.Now().Add(time.Hour))
	for range 2 {
		res := get(t, srv, "/en/department/organization-chart")
		// Its "Last update" is the data's, older than what the clock
		// changed: validated by ETag only.
		if res.Header.Get("Last-Modified") != "" || res.Header.Get("ETag") == "" {
			t.Fatalf("an expiring page has Last-Modified %q and ETag %q", res.Header.Get("Last-Modified"), res.Header.Get("ETag"))
		}
	}
	if n := mod.Renders(); n != 1 {
		t.Fatalf("a part valid for an hour was rendered %d times, want once", n)
	}
	mod.SetExpires(time.Now().Add(-time.Second)) // stale as soon as it is made
	srv.Site.Purge()
	for range 2 {
		get(t, srv, "/en/department/organization-chart")
	}
	if n := mod.Renders(); n != 3 {
		t.Fatalf("an expired part was rendered %d times in all, want 3: it was served stale from the cache", n)
	}
}

// routedModule adds a route of its own to the test module: a unit's name
// as text.
type routedModule struct{ *sitetest.Module }

func (m routedModule) Routes() []site.Route {
	return []site.Route{{
		Name:  "unit-text",
		Paths: map[lang.Lang]string{lang.FR: "/fr/ministere/organigramme/{slug}/texte", lang.EN: "/en/department/organization-chart/{slug}/text"},
		Handler: func(l lang.Lang) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/plain; charset=utf-8")
				w.Write([]byte(string(l) + ":" + r.PathValue("slug")))
			})
		},
		URLs: func(l lang.Lang) []string {
			if l == lang.FR {
				return []string{"/fr/ministere/organigramme/cabinet/texte"}
			}
			return []string{"/en/department/organization-chart/cabinet/text"}
		},
	}}
}

// A module's own routes join the route table: registered in both
// languages and listed by the one enumerator.
func TestModuleRoutes(t *testing.T) {
	mod := routedModule{sitetest.New(time.Date(2026, 7, 1, 16, 5, 0, 0, time.UTC),
		sitetest.Unit{Slug: "cabinet", Name: map[lang.Lang]string{lang.FR: "Cabinet", lang.EN: "Office"}})}
	srv, _ := servertest.New(t, servertest.Options{Config: server.Config{Modules: []site.Module{mod}}})
	if got := body(t, get(t, srv, "/en/department/organization-chart/cabinet/text")); got != "en:cabinet" {
		t.Fatalf("the module's route answered %q", got)
	}
	var found bool
	for _, u := range srv.Site.URLs() {
		found = found || u.Route == "unit-text" && u.Path == "/fr/ministere/organigramme/cabinet/texte"
	}
	if !found {
		t.Fatal("URLs() does not list the module's route")
	}
}
