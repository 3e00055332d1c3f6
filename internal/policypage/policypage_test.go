package policypage_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/net/html"

	"portail/internal/audit"
	"portail/internal/i18n"
	"portail/internal/lang"
	"portail/internal/policy"
	"portail/internal/policypage"
	"portail/internal/server"
	"portail/internal/server/servertest"
	"portail/internal/store/sqlite"
)

// clock is a settable clock shared by the store and the server.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.t = t }

var staff = audit.Origin{Actor: "admin@example.org"}

// 2026-07-01 12:05 in Montréal.
var seeded = time.Date(2026, 7, 1, 16, 5, 0, 0, time.UTC)

// newSite returns a server on the default content, the default policy
// documents included, on a clock set to now.
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

// doc is what the tests read of a page: its ids, its links to fragments
// of itself, its h1, h2 and h3 texts by id, and its "Last update".
type doc struct {
	ids        []string
	fragments  map[string][2]string // href "#x" → the link's accessible name and visible text
	headings   map[string]string    // id → visible text, for h2 and h3
	h1         string
	lastUpdate string
}

func parse(t *testing.T, src string) doc {
	t.Helper()
	root, err := html.Parse(strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	d := doc{fragments: map[string][2]string{}, headings: map[string]string{}}
	for n := range root.Descendants() {
		if n.Type != html.ElementNode {
			continue
		}
		id, href, class := attr(n, "id"), attr(n, "href"), attr(n, "class")
		if id != "" {
			d.ids = append(d.ids, id)
		}
		switch {
		case n.Data == "a" && strings.HasPrefix(href, "#"):
			d.fragments[href] = [2]string{textOf(n, "aria-hidden", "true"), textOf(n, "class", "visually-hidden")}
		case n.Data == "h1":
			d.h1 = textOf(n, "class", "visually-hidden")
		case (n.Data == "h2" || n.Data == "h3") && id != "":
			d.headings[id] = textOf(n, "class", "visually-hidden")
		case n.Data == "p" && class == "last-update":
			d.lastUpdate = textOf(n, "", "")
		}
	}
	return d
}

func attr(n *html.Node, name string) string {
	for _, a := range n.Attr {
		if a.Key == name {
			return a.Val
		}
	}
	return ""
}

// textOf returns the text of n, without the elements whose attribute
// key is val: aria-hidden="true" for what a screen reader says,
// class="visually-hidden" for what the eye sees.
func textOf(n *html.Node, key, val string) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && key != "" && attr(n, key) == val {
			return
		}
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return strings.Join(strings.Fields(b.String()), " ")
}

// wantUniqueIDs fails when an id appears twice on the page.
func wantUniqueIDs(t *testing.T, path string, d doc) {
	t.Helper()
	seen := map[string]bool{}
	for _, id := range d.ids {
		if seen[id] {
			t.Errorf("%s: id %q appears twice", path, id)
		}
		seen[id] = true
	}
}

// wantAnchor checks that the page has the element id and a link to it
// that shows "#" and whose accessible name is label.
func wantAnchor(t *testing.T, path string, d doc, id, label string) {
	t.Helper()
	if !slices.Contains(d.ids, id) {
		t.Errorf("%s: no element with id %q", path, id)
		return
	}
	if got, ok := d.fragments["#"+id]; !ok || got != [2]string{label, "#"} {
		t.Errorf("%s: link to #%s is named %q and shows %q (found: %v), want %q and \"#\"", path, id, got[0], got[1], ok, label)
	}
}

var words = map[lang.Lang]struct {
	path, doc, thrust, objective, measure   string
	docLabel, thrustLabel, objLabel, mLabel string
}{
	lang.FR: {"/fr/politique-internationale", "document", "axe", "objectif", "mesure",
		"Lien vers ce document", "Lien vers cette section", "Lien vers cet objectif", "Lien vers cette mesure"},
	lang.EN: {"/en/international-policy", "document", "thrust", "objective", "measure",
		"Link to this document", "Link to this section", "Link to this objective", "Link to this measure"},
}

// The page shows the policy in force and its update, every thrust,
// objective and measure with an anchor and a link to it, in both
// languages, with no id twice.
func TestPageShowsTheDocumentsInForce(t *testing.T) {
	srv, _, _ := newSite(t, seeded)
	for _, l := range lang.All {
		w := words[l]
		res, src := get(t, srv, w.path)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: status %d", w.path, res.StatusCode)
		}
		d := parse(t, src)
		wantUniqueIDs(t, w.path, d)
		checked := 0
		for _, pd := range policy.Defaults() {
			a := w.doc + "-" + pd.ID
			wantAnchor(t, w.path, d, a, w.docLabel)
			if got := d.headings[a]; got != pd.Title[l]+" #" {
				t.Errorf("%s: heading %s reads %q", w.path, a, got)
			}
			for _, th := range pd.Thrusts {
				a := w.thrust + "-" + pd.ID + "-" + th.ID
				wantAnchor(t, w.path, d, a, w.thrustLabel)
				if !strings.HasPrefix(d.headings[a], th.Title[l]) {
					t.Errorf("%s: thrust %s has heading %q, want %q", w.path, a, d.headings[a], th.Title[l])
				}
				for _, o := range th.Objectives {
					wantAnchor(t, w.path, d, w.objective+"-"+pd.ID+"-"+o.ID, w.objLabel)
					for _, m := range o.Measures {
						wantAnchor(t, w.path, d, w.measure+"-"+pd.ID+"-"+m.ID, w.mLabel)
						if !strings.Contains(src, html.EscapeString(m.Text[l])) {
							t.Errorf("%s: measure %s's text is missing", w.path, m.ID)
						}
						checked++
					}
				}
			}
		}
		if checked < 15 {
			t.Errorf("%s: checked only %d measures", w.path, checked)
		}
	}
	_, fr := get(t, srv, "/fr/politique-internationale")
	for _, want := range []string{
		`<h3 id="axe-politique-2017-prosperite">Rendre le Québec plus prospère`,
		`<li id="mesure-politique-2017-exception-culturelle">Défendre l’exception culturelle dans les accords commerciaux.`,
		"<dt>Lancement</dt><dd>2017-04-11</dd>", "<dt>Période couverte</dt><dd>de 2017 à 2027</dd>",
		"<dd>100 M$ sur cinq ans</dd>", `href="https://www.quebec.ca/en/government/policies-orientations/quebec-international-policy"`,
		"<dt>Statut</dt><dd>En vigueur</dd>", "<dt>Met à jour</dt><dd><a href=\"/fr/politique-internationale/politique-2017\">",
		// French spacing: no line starts with a colon.
		"Fondement 1\u00a0: l’affirmation identitaire", "Priorité 5\u00a0:", "Le Québec dans le monde\u00a0: s’investir",
	} {
		if !strings.Contains(fr, want) {
			t.Errorf("the French page lacks %q", want)
		}
	}
	// The policy comes before its update, and both after the editors'
	// introduction.
	intro := strings.Index(fr, "Son titre résume son intention")
	pol, vis := strings.Index(fr, `id="document-politique-2017"`), strings.Index(fr, `id="document-vision-2019"`)
	if intro < 0 || !(intro < pol && pol < vis) {
		t.Errorf("order: introduction at %d, policy at %d, update at %d", intro, pol, vis)
	}
	if strings.Contains(fr, `id="policy-history"`) {
		t.Error("the page shows earlier documents; every default is in force")
	}
	_, en := get(t, srv, "/en/international-policy")
	for _, want := range []string{"Build a more prosperous Québec", "<dd>$100 million over five years</dd>", "<dd>From 2017 to 2027</dd>", "<dd>In force</dd>"} {
		if !strings.Contains(en, want) {
			t.Errorf("the English page lacks %q", want)
		}
	}
}

// docAt returns a minimal valid document.
func docAt(id string, k policy.Kind, y int, m time.Month, d int) policy.Document {
	t := map[lang.Lang]string{lang.FR: "Titre " + id, lang.EN: "Title " + id}
	return policy.Document{ID: id, Kind: k, Title: t, Launched: policy.Date{Year: y, Month: m, Day: d},
		Thrusts: []policy.Thrust{{ID: "axe", Title: map[lang.Lang]string{lang.FR: "Axe de " + id, lang.EN: "Thrust of " + id}}}}
}

// replaceDocs makes the store hold exactly docs.
func replaceDocs(t *testing.T, db *sqlite.DB, docs ...policy.Document) {
	t.Helper()
	ctx := context.Background()
	old, err := db.Policies(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range old {
		if err := db.DeletePolicy(ctx, d.ID, d.Version, staff); err != nil {
			t.Fatal(err)
		}
	}
	for _, d := range docs {
		if _, err := db.SavePolicy(ctx, d, staff); err != nil {
			t.Fatal(err)
		}
	}
}

// What is in force follows the clock: nothing before the first policy,
// then the policy, then the policy and its update; a new policy moves
// them to the history, with pages of their own that say so. Documents
// launched later stay hidden until their day, and the cached page
// expires on that day.
func TestInForceFollowsTheClock(t *testing.T) {
	srv, db, c := newSite(t, time.Date(2016, 1, 1, 17, 0, 0, 0, time.UTC))
	replaceDocs(t, db,
		docAt("politique-2017", policy.Policy, 2017, 4, 11),
		docAt("vision-2019", policy.Update, 2019, 11, 29),
		docAt("politique-2030", policy.Policy, 2030, 3, 1))
	if err := srv.Site.Sync(t.Context()); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		at      time.Time
		shown   []string // documents in force, in order
		history []string // earlier documents, newest first
		hidden  []string // documents not launched yet: no page
	}{
		{"before 2017", time.Date(2016, 1, 1, 17, 0, 0, 0, time.UTC), nil, nil, []string{"politique-2017", "vision-2019", "politique-2030"}},
		// 2017-04-11 00:30 in Montréal is still 2017-04-10 in UTC: the
		// department's day decides.
		{"launch day in Montréal", time.Date(2017, 4, 11, 4, 30, 0, 0, time.UTC), []string{"politique-2017"}, nil, []string{"vision-2019", "politique-2030"}},
		{"between", time.Date(2018, 6, 1, 16, 0, 0, 0, time.UTC), []string{"politique-2017"}, nil, []string{"vision-2019", "politique-2030"}},
		{"after 2019", time.Date(2026, 6, 1, 16, 0, 0, 0, time.UTC), []string{"politique-2017", "vision-2019"}, nil, []string{"politique-2030"}},
		{"a new policy", time.Date(2030, 3, 1, 5, 0, 0, 0, time.UTC), []string{"politique-2030"}, []string{"vision-2019", "politique-2017"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// No purge: a page cached on an earlier day expires at the
			// next launch.
			c.Set(tc.at)
			res, src := get(t, srv, "/fr/politique-internationale")
			if res.StatusCode != http.StatusOK {
				t.Fatalf("status %d", res.StatusCode)
			}
			d := parse(t, src)
			wantUniqueIDs(t, tc.name, d)
			var shown []string
			for _, id := range d.ids {
				if id, ok := strings.CutPrefix(id, "document-"); ok {
					shown = append(shown, id)
				}
			}
			if !slices.Equal(shown, tc.shown) {
				t.Errorf("in force %v, want %v", shown, tc.shown)
			}
			if (tc.shown == nil) != strings.Contains(src, "Aucune politique internationale n’est en vigueur.") {
				t.Errorf("the notice that no policy is in force is wrong (shown: %v)", shown)
			}
			var history []string
			if i := strings.Index(src, `id="policy-history"`); i >= 0 {
				for _, part := range strings.Split(src[i:], `<a href="/fr/politique-internationale/`)[1:] {
					history = append(history, part[:strings.Index(part, `"`)])
				}
			}
			if !slices.Equal(history, tc.history) {
				t.Errorf("history %v, want %v", history, tc.history)
			}
			for _, id := range tc.history {
				res, src := get(t, srv, "/fr/politique-internationale/"+id)
				if res.StatusCode != http.StatusOK || !strings.Contains(src, "Ce document n’est plus en vigueur.") {
					t.Errorf("%s: status %d, or its page does not say it is no longer in force", id, res.StatusCode)
				}
			}
			for _, id := range tc.shown {
				res, src := get(t, srv, "/fr/politique-internationale/"+id)
				if res.StatusCode != http.StatusOK || !strings.Contains(src, "<dd>En vigueur</dd>") || strings.Contains(src, "n’est plus en vigueur") {
					t.Errorf("%s: status %d, or its page does not say it is in force", id, res.StatusCode)
				}
			}
			for _, id := range tc.hidden {
				if strings.Contains(src, "Titre "+id) {
					t.Errorf("%s is shown before its launch", id)
				}
				if res, _ := get(t, srv, "/fr/politique-internationale/"+id); res.StatusCode != http.StatusNotFound {
					t.Errorf("%s has a page before its launch: %d", id, res.StatusCode)
				}
			}
			_, body := get(t, srv, "/api/v1/policies")
			var got struct{ Policies []struct{ ID string } }
			if err := json.Unmarshal([]byte(body), &got); err != nil {
				t.Fatal(err)
			}
			if len(got.Policies) != len(tc.shown)+len(tc.history) {
				t.Errorf("the API lists %d documents, want %d", len(got.Policies), len(tc.shown)+len(tc.history))
			}
		})
	}
}

// A document's own page: its title as the h1, its thrusts as h2, the same
// anchors as on the policy's page.
func TestDocumentPage(t *testing.T) {
	srv, _, _ := newSite(t, seeded)
	for _, l := range lang.All {
		w := words[l]
		path := w.path + "/politique-2017"
		res, src := get(t, srv, path)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: status %d", path, res.StatusCode)
		}
		d := parse(t, src)
		wantUniqueIDs(t, path, d)
		p := policy.Defaults()[0]
		if d.h1 != p.Title[l] {
			t.Errorf("%s: h1 %q", path, d.h1)
		}
		a := w.thrust + "-politique-2017-" + p.Thrusts[1].ID
		wantAnchor(t, path, d, a, w.thrustLabel)
		if !strings.Contains(src, `<h2 id="`+a+`">`) {
			t.Errorf("%s: thrust %s is not an h2", path, a)
		}
		wantAnchor(t, path, d, w.measure+"-politique-2017-"+p.Thrusts[0].Objectives[0].Measures[0].ID, w.mLabel)
	}
	for _, path := range []string{"/fr/politique-internationale/inconnu", "/en/international-policy/Politique-2017", "/fr/politique-internationale/politique-2017/x"} {
		if res, _ := get(t, srv, path); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", path, res.StatusCode)
		}
	}
}

// "Last update" is the latest of the introduction's and the documents':
// a saved change shows on every instance that follows the change feed.
func TestLastUpdateFollowsTheData(t *testing.T) {
	srv, db, c := newSite(t, seeded)
	for l, want := range map[lang.Lang]string{lang.FR: "Dernière mise à jour : 2026-07-01 12:05", lang.EN: "Last update: 2026-07-01 12:05"} {
		if _, src := get(t, srv, words[l].path); parse(t, src).lastUpdate != want {
			t.Fatalf("%s: last update %q, want %q", l, parse(t, src).lastUpdate, want)
		}
	}
	changed := seeded.Add(48 * time.Hour)
	c.Set(changed)
	d, err := db.Policy(t.Context(), "vision-2019")
	if err != nil {
		t.Fatal(err)
	}
	d.Budget = map[lang.Lang]string{lang.FR: "Budget de démonstration", lang.EN: "Sample budget"}
	if _, err := db.SavePolicy(t.Context(), d, staff); err != nil {
		t.Fatal(err)
	}
	if err := srv.Site.Sync(t.Context()); err != nil {
		t.Fatal(err)
	}
	for l, want := range map[lang.Lang]string{lang.FR: "Dernière mise à jour : 2026-07-03 12:05", lang.EN: "Last update: 2026-07-03 12:05"} {
		res, src := get(t, srv, words[l].path)
		if got := parse(t, src).lastUpdate; got != want {
			t.Errorf("%s: last update after the change %q, want %q", l, got, want)
		}
		if !strings.Contains(src, map[lang.Lang]string{lang.FR: "Budget de démonstration", lang.EN: "Sample budget"}[l]) {
			t.Errorf("%s: the page does not show the change", l)
		}
		if lm := res.Header.Get("Last-Modified"); lm != changed.Format(http.TimeFormat) {
			t.Errorf("%s: Last-Modified %q, want %q", l, lm, changed.Format(http.TimeFormat))
		}
		// The updated document's own page too; the other's stays.
		_, src = get(t, srv, words[l].path+"/vision-2019")
		if got := parse(t, src).lastUpdate; got != want {
			t.Errorf("%s: the document's page: last update %q, want %q", l, got, want)
		}
	}
}

// The open data: every document launched so far, both languages, nested.
func TestAPI(t *testing.T) {
	srv, _, _ := newSite(t, seeded)
	res, body := get(t, srv, "/api/v1/policies")
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/json" || res.Header.Get("Access-Control-Allow-Origin") != "*" {
		t.Fatalf("status %d, headers %v", res.StatusCode, res.Header)
	}
	var raw map[string][]map[string]any
	if err := json.Unmarshal([]byte(body), &raw); err != nil {
		t.Fatal(err)
	}
	docs := raw["policies"]
	if len(docs) != 2 {
		t.Fatalf("%d documents", len(docs))
	}
	var keys []string
	for k := range docs[0] {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if want := "budget from_year id in_force kind launched page summary thrusts title to_year url"; strings.Join(keys, " ") != want {
		t.Errorf("a document's fields: %v, want %s", keys, want)
	}

	var got struct {
		Policies []struct {
			ID, Kind, Launched string
			Title, Budget      map[string]string
			FromYear           *int    `json:"from_year"`
			ToYear             *int    `json:"to_year"`
			URL                *string `json:"url"`
			InForce            bool    `json:"in_force"`
			Page               map[string]string
			Thrusts            []struct {
				ID          string
				Title, Text map[string]string
				Objectives  []struct {
					ID       string
					Text     map[string]string
					Measures []struct {
						ID   string
						Text map[string]string
					}
				}
			}
		}
	}
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatal(err)
	}
	p, v := got.Policies[0], got.Policies[1]
	if p.ID != "politique-2017" || p.Kind != "policy" || p.Launched != "2017-04-11" || !p.InForce ||
		p.FromYear == nil || *p.FromYear != 2017 || p.ToYear == nil || *p.ToYear != 2027 || p.URL == nil ||
		p.Title["fr"] != "Le Québec dans le monde : s’investir, agir, prospérer" || p.Budget["en"] != "$100 million over five years" ||
		p.Page["fr"] != "/fr/politique-internationale/politique-2017" || p.Page["en"] != "/en/international-policy/politique-2017" {
		t.Errorf("the 2017 policy: %+v", p)
	}
	if len(p.Thrusts) != 3 || p.Thrusts[0].Title["en"] != "Build a more prosperous Québec" ||
		p.Thrusts[0].Objectives[0].Measures[0].ID == "" || p.Thrusts[0].Objectives[0].Measures[0].Text["fr"] == "" {
		t.Errorf("the 2017 policy's thrusts: %+v", p.Thrusts)
	}
	if v.ID != "vision-2019" || v.Kind != "update" || !v.InForce || v.FromYear != nil || v.URL != nil || len(v.Thrusts) != 8 {
		t.Errorf("the 2019 vision: %+v", v)
	}
	// Empty lists are lists, not null.
	if !strings.Contains(body, `"objectives": []`) {
		t.Error("a thrust with no objective is not given an empty list")
	}
	// Conditional requests, as the other endpoints.
	req := httptest.NewRequest("GET", "/api/v1/policies", nil)
	req.Header.Set("If-None-Match", res.Header.Get("ETag"))
	w := httptest.NewRecorder()
	srv.ServeHTTP(w, req)
	if w.Code != http.StatusNotModified {
		t.Errorf("conditional request: %d", w.Code)
	}
}

type failing struct{}

func (failing) Policies(context.Context) ([]policy.Document, error) {
	return nil, errors.New("the database is down")
}

func TestAPIErrorIsJSON(t *testing.T) {
	h := policypage.New(failing{}, i18n.MustLoad(), nil).APIEndpoints()[0].Handler
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/api/v1/policies", nil))
	var got struct {
		Error struct{ Code, Message string }
	}
	if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if w.Code != http.StatusInternalServerError || got.Error.Code != "internal" || strings.Contains(got.Error.Message, "down") {
		t.Fatalf("%d %+v", w.Code, got)
	}
}

// A text given in one language only shows in that language, marked as
// such, on the other language's page.
func TestOptionalTextsFallBackMarked(t *testing.T) {
	srv, db, _ := newSite(t, seeded)
	d := docAt("politique-2017", policy.Policy, 2017, 4, 11)
	d.Budget = map[lang.Lang]string{lang.FR: "100 M$ sur cinq ans"}
	d.Summary = map[lang.Lang]string{lang.FR: "Résumé <en> français"}
	replaceDocs(t, db, d)
	if err := srv.Site.Sync(t.Context()); err != nil {
		t.Fatal(err)
	}
	_, src := get(t, srv, "/en/international-policy")
	for _, want := range []string{`<dd lang="fr">100 M$ sur cinq ans</dd>`, `lang="fr">Résumé &lt;en&gt; français</p>`} {
		if !strings.Contains(src, want) {
			t.Errorf("the English page lacks %q", want)
		}
	}
	if strings.Contains(src, "<dt>Full document</dt>") || strings.Contains(src, "<dt>Period covered</dt>") {
		t.Error("the page shows facts the document does not state")
	}
}
