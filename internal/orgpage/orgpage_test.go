package orgpage_test

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"portail/internal/assets"
	"portail/internal/audit"
	"portail/internal/i18n"
	"portail/internal/lang"
	"portail/internal/orgchart"
	"portail/internal/orgsvg"
	"portail/internal/server"
	"portail/internal/server/servertest"
	"portail/internal/store/sqlite"
	"portail/internal/xmltest"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.t = t }

// montreal returns a time on the wall clock of Montréal.
func montreal(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, i18n.Montreal)
}

// newSite serves the default content, whose chart has a unit renamed on
// 2026-10-01 and one closed on 2026-11-01 (sample history).
func newSite(t *testing.T, now time.Time) (*server.Server, *sqlite.DB, *clock) {
	t.Helper()
	c := &clock{t: now}
	srv, db := servertest.New(t, servertest.Options{Clock: c.Now})
	return srv, db, c
}

func get(t *testing.T, h http.Handler, path string) (*http.Response, string) {
	t.Helper()
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
	res := w.Result()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, string(b)
}

var listed = regexp.MustCompile(`<li id="unite-([a-z0-9-]+)">`)

// ids returns the units the page's nested list shows.
func ids(src string) []string {
	var out []string
	for _, m := range listed.FindAllStringSubmatch(src, -1) {
		out = append(out, m[1])
	}
	slices.Sort(out)
	return out
}

// apiIDs returns the units the API gives for path.
func apiIDs(t *testing.T, h http.Handler, path string) []string {
	t.Helper()
	res, src := get(t, h, path)
	var doc struct {
		Date  string
		Units []struct {
			ID        string  `json:"id"`
			ParentID  *string `json:"parent_id"`
			ValidFrom string  `json:"valid_from"`
		}
	}
	if err := json.Unmarshal([]byte(src), &doc); err != nil || res.StatusCode != 200 {
		t.Fatalf("%s: %d %v", path, res.StatusCode, err)
	}
	var out []string
	roots := 0
	for _, u := range doc.Units {
		out = append(out, u.ID)
		if u.ParentID == nil {
			roots++
		}
	}
	if len(out) > 0 && roots != 1 {
		t.Errorf("%s: %d units without a parent", path, roots)
	}
	slices.Sort(out)
	return out
}

// The page's list, its drawn chart and the API show the same units, on
// today and on another day.
func TestPageAndAPIShowTheSameUnits(t *testing.T) {
	srv, _, _ := newSite(t, montreal(2026, 11, 30, 10, 0))
	for _, tc := range []struct{ page, api string }{
		{"/fr/ministere/organigramme", "/api/v1/org-units"},
		{"/en/department/organization-chart?date=2026-06-15", "/api/v1/org-units?date=2026-06-15"},
	} {
		res, src := get(t, srv, tc.page)
		if res.StatusCode != 200 {
			t.Fatalf("%s: %d", tc.page, res.StatusCode)
		}
		page, api := ids(src), apiIDs(t, srv, tc.api)
		if len(page) < 15 || !slices.Equal(page, api) {
			t.Errorf("%s lists %v\n%s gives %v", tc.page, page, tc.api, api)
		}
		// The drawn chart is well-formed XML with a box for every unit,
		// each named in full by its <title>.
		svg := regexp.MustCompile(`(?s)<svg.*?</svg>`).FindString(src)
		root, err := xmltest.Parse(svg)
		if err != nil {
			t.Fatalf("%s: the chart is not well-formed XML: %v", tc.page, err)
		}
		var titles []string
		for _, n := range root.All(func(n *xmltest.Node) bool { return n.Name == "title" }) {
			titles = append(titles, n.Text)
		}
		all := strings.Join(titles, "\n")
		for _, m := range regexp.MustCompile(`<h[3-6]>([^<]+)</h[3-6]>`).FindAllStringSubmatch(src[strings.Index(src, `class="orgtree"`):], -1) {
			if !strings.Contains(all, htmlUnescape(m[1])) {
				t.Errorf("%s: the drawn chart has no box named %q", tc.page, m[1])
			}
		}
	}
}

func htmlUnescape(s string) string {
	return strings.NewReplacer("&rsquo;", "’", "&#39;", "'", "&amp;", "&", "&lt;", "<", "&gt;", ">", "&#34;", `"`).Replace(s)
}

// The chart as of a day: a unit shows on the days of its periods, under
// the name it had then, and a bad day is a 400 that says so on the form.
func TestChartAsOfADay(t *testing.T) {
	srv, _, _ := newSite(t, montreal(2026, 11, 30, 10, 0))
	_, before := get(t, srv, "/fr/ministere/organigramme?date=2026-09-30")
	_, after := get(t, srv, "/fr/ministere/organigramme?date=2026-10-01")
	// The list of the chart, not the recent changes below it.
	list := func(src string) string { return src[:strings.Index(src, `id="org-changes-title"`)] }
	before, after = list(before), list(after)
	if !strings.Contains(before, "Direction de l’Asie et de l’Océanie") || strings.Contains(before, "Direction de l’Indo-Pacifique") {
		t.Error("on 2026-09-30 the directorate does not have its old name")
	}
	if !strings.Contains(after, "Direction de l’Indo-Pacifique") || strings.Contains(after, "Direction de l’Asie et de l’Océanie") {
		t.Error("on 2026-10-01, the day of the rename, the directorate does not have its new name")
	}
	if !strings.Contains(after, "Organigramme au 2026-10-01") {
		t.Error("the page does not state the day it shows")
	}
	// Closed on 2026-11-01: its last day is 2026-10-31.
	if !slices.Contains(ids(after), "bureau-reforme-reseau") {
		t.Error("a unit is missing on a day it existed")
	}
	if _, on := get(t, srv, "/fr/ministere/organigramme?date=2026-11-01"); slices.Contains(ids(on), "bureau-reforme-reseau") {
		t.Error("a unit shows on the day it closed")
	}
	if _, early := get(t, srv, "/en/department/organization-chart?date=1999-01-01"); !strings.Contains(early, "No unit existed on that day.") {
		t.Error("a day before the chart's first does not say so")
	}
	res, bad := get(t, srv, "/en/department/organization-chart?date=2026-02-30")
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(bad, "Enter a date as YYYY-MM-DD") ||
		!strings.Contains(bad, `value="2026-02-30"`) || !strings.Contains(bad, `aria-invalid="true"`) {
		t.Errorf("a bad day: %d, message or typed value missing", res.StatusCode)
	}
	if res, _ := get(t, srv, "/api/v1/org-units?date=tomorrow"); res.StatusCode != http.StatusBadRequest {
		t.Errorf("the API with a bad day: %d", res.StatusCode)
	}
}

// The page lists the units that changed in the last 90 days, and drops
// them as they age.
func TestRecentChanges(t *testing.T) {
	srv, _, c := newSite(t, montreal(2026, 11, 30, 10, 0))
	_, src := get(t, srv, "/fr/ministere/organigramme")
	changes := src[strings.Index(src, `id="org-changes-title"`):]
	for _, want := range []string{"2026-10-01", "Direction de l’Indo-Pacifique</a> : changement de nom", "2026-11-01", "Bureau de projet de la réforme du réseau : abolition"} {
		if !strings.Contains(changes, want) {
			t.Errorf("the recent changes lack %q", want)
		}
	}
	if strings.Contains(changes, "2026-04-01") {
		t.Error("a change older than 90 days is listed")
	}
	// A day later than 90 days after both: the list empties. Today's page
	// expires at midnight, so the cached one is not served.
	c.Set(montreal(2027, 3, 1, 10, 0))
	_, src = get(t, srv, "/fr/ministere/organigramme")
	if !strings.Contains(src, "Aucun changement.") {
		t.Error("changes older than 90 days are still listed")
	}
}

// Today's chart changes at midnight, when a period begins: the page
// cached the day before is not served after it.
func TestTodayChangesAtMidnight(t *testing.T) {
	srv, _, c := newSite(t, montreal(2026, 10, 31, 23, 59))
	if _, src := get(t, srv, "/fr/ministere/organigramme"); !slices.Contains(ids(src), "bureau-reforme-reseau") {
		t.Fatal("the unit is missing on its last day")
	}
	c.Set(montreal(2026, 11, 1, 0, 0))
	if _, src := get(t, srv, "/fr/ministere/organigramme"); slices.Contains(ids(src), "bureau-reforme-reseau") {
		t.Fatal("after midnight the cached page still shows a unit closed that day")
	}
}

func TestCSV(t *testing.T) {
	srv, _, _ := newSite(t, montreal(2026, 11, 30, 10, 0))
	res, src := get(t, srv, "/api/v1/org-units.csv")
	rows, err := csv.NewReader(strings.NewReader(src)).ReadAll()
	if err != nil || res.Header.Get("Content-Type") != "text/csv; charset=utf-8" {
		t.Fatalf("%v %s", err, res.Header.Get("Content-Type"))
	}
	if rows[0][0] != "id" || rows[0][1] != "parent_id" || len(rows)-1 != len(apiIDs(t, srv, "/api/v1/org-units")) {
		t.Fatalf("header %v, %d rows", rows[0], len(rows))
	}
}

// "Last update" follows the data: a unit saved reaches the page through
// the change feed.
func TestLastUpdateFollowsTheData(t *testing.T) {
	srv, db, c := newSite(t, montreal(2026, 11, 30, 10, 0))
	get(t, srv, "/fr/ministere/organigramme")
	c.Set(montreal(2026, 12, 2, 9, 15))
	u, err := db.OrgUnit(t.Context(), "direction-protocole")
	if err != nil {
		t.Fatal(err)
	}
	u, err = orgchart.Rename(u, map[lang.Lang]string{lang.FR: "Direction du protocole et des visites", lang.EN: "Protocol and Visits Directorate"}, "", orgchart.Date{Year: 2026, Month: 12, Day: 1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.SaveOrgUnit(t.Context(), u, audit.Origin{Actor: "test"}); err != nil {
		t.Fatal(err)
	}
	if err := srv.Site.Sync(t.Context()); err != nil {
		t.Fatal(err)
	}
	_, src := get(t, srv, "/fr/ministere/organigramme")
	if !strings.Contains(src, "Direction du protocole et des visites") || !strings.Contains(src, "Dernière mise à jour : 2026-12-02 09:15") {
		t.Error("the page does not follow the saved unit")
	}
}

// The site's stylesheet carries the drawn chart's rules as orgsvg gives
// them.
func TestStylesheetHasTheChartsRules(t *testing.T) {
	a, err := assets.New()
	if err != nil {
		t.Fatal(err)
	}
	css, _, ok := a.Body("site.css")
	if !ok || !strings.Contains(string(css), orgsvg.CSS) {
		t.Fatal("site.css lacks orgsvg.CSS, or an older copy of it: copy it again")
	}
}
