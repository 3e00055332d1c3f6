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
