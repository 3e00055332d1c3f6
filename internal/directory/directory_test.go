package directory_test

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"portail/internal/assets"
	"portail/internal/audit"
	"portail/internal/lang"
	"portail/internal/office"
	"portail/internal/server"
	"portail/internal/server/servertest"
	"portail/internal/store/sqlite"
	"portail/internal/worldmap"
)

// clock is a settable clock shared by the store and the server.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.t = t }

func names(fr, en string) map[lang.Lang]string { return map[lang.Lang]string{lang.FR: fr, lang.EN: en} }

// fixtures is a small network: open, planned, closed and multilateral
// offices on three continents.
func fixtures() []office.Office {
	week, err := office.ParseWeek("mon-fri 09:00-12:00 13:00-17:00")
	if err != nil {
		panic(err)
	}
	return []office.Office{
		{Slug: "tokyo", Type: office.GeneralDelegation, Name: names("Délégation générale du Québec à Tokyo", "Québec Government Office in Tokyo"),
			City: names("Tokyo", "Tokyo"), Country: "JP", Region: office.AsiaPacific, Latitude: 35.68, Longitude: 139.74,
			TimeZone: "Asia/Tokyo", Address: "1-2-3 Akasaka\nMinato-ku", Phone: "+81 3 5555 0100", Email: "tokyo@example.org",
			Website: "https://example.org/tokyo", Head: office.Head{Name: "Nom, à confirmer", Title: names("Déléguée générale", "Delegate General")},
			Hours: week, Covers: []string{"KR"},
			Closures: []office.Closure{{From: office.Date{Year: 2026, Month: 12, Day: 29}, To: office.Date{Year: 2027, Month: 1, Day: 3}, Reason: names("Fêtes de fin d’année", "Year-end holidays")}},
			Services: map[office.Clientele]map[lang.Lang]string{office.Businesses: names("Prospection de marchés.", "Market prospecting.")}},
		{Slug: "paris", Type: office.GeneralDelegation, Name: names("Délégation générale du Québec à Paris", "Québec Government Office in Paris"),
			City: names("Paris", "Paris"), Country: "FR", Covers: []string{"MC"}, Region: office.Europe, Latitude: 48.87, Longitude: 2.28,
			TimeZone: "Europe/Paris", Address: "66, rue Pergolèse", Hours: week, Sample: true, Phone: "+33 1 00 00 00 00",
			Services: map[office.Clientele]map[lang.Lang]string{office.Culture: names("Diffusion des œuvres.", "Bringing works to audiences.")}},
		{Slug: "mexico", Type: office.GeneralDelegation, Name: names("Délégation générale du Québec à Mexico", "Québec Government Office in Mexico City"),
			City: names("Mexico", "Mexico City"), Country: "MX", Covers: []string{"CU"}, Region: office.Americas, Latitude: 19.43, Longitude: -99.13,
			TimeZone: "America/Mexico_City", Hours: week},
		{Slug: "stockholm", Type: office.Bureau, Opened: office.Date{Year: 2027, Month: 3, Day: 1}, Name: names("Bureau du Québec à Stockholm", "Québec Office in Stockholm"),
			City: names("Stockholm", "Stockholm"), Country: "SE", Region: office.Europe, Latitude: 59.33, Longitude: 18.07, TimeZone: "Europe/Stockholm"},
		{Slug: "havane", Type: office.Bureau, Closed: office.Date{Year: 2025, Month: 1, Day: 1}, Name: names("Bureau du Québec à La Havane", "Québec Office in Havana"),
			City: names("La Havane", "Havana"), Country: "CU", Region: office.Americas, Latitude: 23.13, Longitude: -82.38, TimeZone: "America/Havana"},
	}
}

// newDirectory returns a server whose directory holds the fixtures,
// on a clock set to now.
func newDirectory(t *testing.T, now time.Time) (*server.Server, *sqlite.DB, *clock) {
	t.Helper()
	c := &clock{t: now}
	srv, db := servertest.New(t, servertest.Options{Clock: c.Now})
	if err := db.ReplaceOffices(t.Context(), fixtures(), audit.Origin{Actor: "test"}); err != nil {
		t.Fatal(err)
	}
	if err := srv.Site.Sync(t.Context()); err != nil {
		t.Fatal(err)
	}
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

// A Tuesday afternoon in Tokyo: 2026-06-02 15:00 JST is 06:00 UTC.
var tuesday = time.Date(2026, 6, 2, 6, 0, 0, 0, time.UTC)

func TestListShowsOpenOfficesByRegion(t *testing.T) {
	srv, _, _ := newDirectory(t, tuesday)
	res, src := get(t, srv, "/fr/representations")
	if res.StatusCode != 200 {
		t.Fatalf("status %d", res.StatusCode)
	}
	for _, want := range []string{"Délégation générale du Québec à Tokyo", "Délégation générale du Québec à Paris", "Asie-Pacifique", "Amériques", "Europe",
		"3 représentations ouvertes", "Représentations annoncées", "Bureau du Québec à Stockholm", `href="/fr/representations/tokyo"`, "<svg"} {
		if !strings.Contains(src, want) {
			t.Errorf("the list lacks %q", want)
		}
	}
	if strings.Contains(src, "La Havane") {
		t.Error("the list shows an office closed since 2025")
	}
	if !strings.Contains(src, "données d’exemple") {
		t.Error("the list does not say that some details are sample data")
	}
	_, en := get(t, srv, "/en/offices-abroad")
	if !strings.Contains(en, "Québec Government Office in Mexico City") || !strings.Contains(en, "3 offices open") {
		t.Error("the English list lacks its offices")
	}
}

func TestListFilters(t *testing.T) {
	srv, _, _ := newDirectory(t, tuesday)
	for _, tc := range []struct {
		query string
		want  []string // slugs listed
	}{
		{"region=asia-pacific", []string{"tokyo"}},
		{"region=europe", []string{"paris"}},
		{"country=MX", []string{"mexico"}},
		{"type=general-delegation", []string{"mexico", "paris", "tokyo"}},
		{"clientele=culture", []string{"paris"}},
		{"q=MEXICO", []string{"mexico"}},
		{"q=japon", []string{"tokyo"}},                                 // the country's French name
		{"q=delegation+generale+du+quebec+a+paris", []string{"paris"}}, // accents do not matter
		{"date=2024-06-01", []string{"havane", "mexico", "paris", "tokyo"}},
		{"region=europe&type=bureau", nil},
	} {
		res, src := get(t, srv, "/fr/representations?"+tc.query)
		if res.StatusCode != 200 {
			t.Errorf("%s: status %d", tc.query, res.StatusCode)
			continue
		}
		got := listed(src)
		if strings.Join(got, " ") != strings.Join(tc.want, " ") {
			t.Errorf("%s: listed %v, want %v", tc.query, got, tc.want)
		}
	}
}

// listed returns the slugs of the open offices a list shows, sorted.
func listed(src string) []string {
	i := strings.Index(src, `id="offices-results"`)
	j := strings.Index(src, `id="offices-planned"`)
	if i < 0 {
		return nil
	}
	if j < 0 {
		j = len(src)
	}
	var out []string
	for _, m := range regexp.MustCompile(`<h4><a href="/fr/representations/([a-z-]+)">`).FindAllStringSubmatch(src[i:j], -1) {
		out = append(out, m[1])
	}
	sortStrings(out)
	return out
}

func sortStrings(s []string) {
	for i := range s {
		for j := i + 1; j < len(s); j++ {
			if s[j] < s[i] {
				s[i], s[j] = s[j], s[i]
			}
		}
	}
}

// Bad filters get a 400 page that says what is wrong next to each
// field, in the visitor's language, with what they typed kept.
func TestListBadFilters(t *testing.T) {
	srv, _, _ := newDirectory(t, tuesday)
	for _, tc := range []struct {
		path, field, message, kept string
	}{
		{"/fr/representations?region=mars", "f-region", "Choisissez une des valeurs de la liste.", ""},
		{"/en/offices-abroad?date=2024-13-45", "f-date", "Enter a date as YYYY-MM-DD", `value="2024-13-45"`},
		{"/fr/representations?serves=XX", "f-serves", "Choisissez un pays de la liste.", ""},
		{"/fr/representations?q=" + strings.Repeat("a", 150), "f-q", "Ce texte est trop long", `value="` + strings.Repeat("a", 100) + `"`},
		{"/en/offices-abroad?type=%3Cscript%3E", "f-type", "Choose one of the values in the list.", ""},
	} {
		res, src := get(t, srv, tc.path)
		if res.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 400", tc.path, res.StatusCode)
		}
		if !strings.Contains(src, `href="#`+tc.field+`"`) || !strings.Contains(src, tc.message) {
			t.Errorf("%s: the page does not link %s with %q", tc.path, tc.field, tc.message)
		}
		if !strings.Contains(src, `id="`+tc.field+`"`) || !strings.Contains(src, `aria-invalid="true"`) {
			t.Errorf("%s: the field %s is not marked invalid", tc.path, tc.field)
		}
		if tc.kept != "" && !strings.Contains(src, tc.kept) {
			t.Errorf("%s: what was typed is not kept (%s)", tc.path, tc.kept)
		}
		if strings.Contains(src, "<script>") {
			t.Errorf("%s: the typed value is not escaped", tc.path)
		}
	}
}

func TestFinder(t *testing.T) {
	srv, _, _ := newDirectory(t, tuesday)
	for _, tc := range []struct {
		serves, want string
	}{
		{"JP", "Pour Japon, adressez-vous à :"},
		{"MC", "Délégation générale du Québec à Paris"},  // Paris covers Monaco
		{"CU", "Délégation générale du Québec à Mexico"}, // Havana is closed; Mexico covers Cuba
		{"PH", "Aucune représentation ne couvre Philippines. La plus proche est :"},
	} {
		res, src := get(t, srv, "/fr/representations?serves="+tc.serves)
		if res.StatusCode != 200 {
			t.Errorf("%s: status %d", tc.serves, res.StatusCode)
		}
		answer := src[strings.Index(src, `class="finder-answer"`):]
		answer = answer[:strings.Index(answer, "</div>")]
		if !strings.Contains(answer, tc.want) {
			t.Errorf("%s: the answer lacks %q:\n%s", tc.serves, tc.want, answer)
		}
	}
	_, src := get(t, srv, "/fr/representations?serves=PH")
	if !strings.Contains(src, `href="/fr/representations/tokyo">`) {
		t.Error("the nearest office to the Philippines is not Tokyo")
	}
}

// The office page says whether the office is open now, in its own time,
// and does not serve a stale answer from the cache when the clock moves.
func TestOfficeOpenNow(t *testing.T) {
	// 16:59 in Tokyo, a Tuesday.
	srv, _, c := newDirectory(t, time.Date(2026, 6, 2, 7, 59, 0, 0, time.UTC))
	res, src := get(t, srv, "/fr/representations/tokyo")
	if res.StatusCode != 200 {
		t.Fatalf("status %d", res.StatusCode)
	}
	if !strings.Contains(src, "Ouvert · ferme à 17\u00a0h (heure de Tokyo)") || !strings.Contains(src, "16\u00a0h\u00a059") {
		t.Fatalf("open now / local time not shown:\n%s", excerpt(src, "office-now"))
	}
	if res.Header.Get("Last-Modified") != "" {
		t.Error("a page that shows the local time has a Last-Modified")
	}
	c.Set(time.Date(2026, 6, 2, 8, 0, 0, 0, time.UTC)) // 17:00 in Tokyo
	_, src = get(t, srv, "/fr/representations/tokyo")
	if !strings.Contains(src, "Fermé · ouvre demain à 9\u00a0h (heure de Tokyo)") {
		t.Fatalf("a minute later the cached page still says open:\n%s", excerpt(src, "office-now"))
	}
	_, en := get(t, srv, "/en/offices-abroad/tokyo")
	if !strings.Contains(en, "Closed · opens tomorrow at 9\u00a0a.m. (Tokyo time)") {
		t.Fatalf("English:\n%s", excerpt(en, "office-now"))
	}
	// The list's cards follow too.
	_, list := get(t, srv, "/en/offices-abroad")
	if !strings.Contains(list, "Closed · opens tomorrow at 9\u00a0a.m. (Tokyo time)") {
		t.Error("the list's card for Tokyo does not say it is closed")
	}
}

func excerpt(src, near string) string {
	i := strings.Index(src, near)
	if i < 0 {
		return "(" + near + " not found)"
	}
	return src[i:min(len(src), i+400)]
}

func TestOfficePage(t *testing.T) {
	srv, db, _ := newDirectory(t, tuesday)
	_, src := get(t, srv, "/fr/representations/tokyo")
	for _, want := range []string{"<h1>Délégation générale du Québec à Tokyo</h1>", "1-2-3 Akasaka<br>Minato-ku", `href="tel:&#43;81355550100"`,
		`href="mailto:tokyo@example.org"`, "Corée du Sud", "Prospection de marchés.", "du 2026-12-29 au 2027-01-03 — fermeture exceptionnelle : Fêtes de fin d’année", `href="/fr/representations/tokyo/vcard"`,
		`hreflang="en"`, "Lundi"} {
		if !strings.Contains(src, want) {
			t.Errorf("the office page lacks %q", want)
		}
	}
	ld := jsonLD(t, src)
	if ld["@type"] != "GovernmentOffice" || ld["telephone"] != "+81 3 5555 0100" || ld["openingHoursSpecification"] == nil {
		t.Errorf("JSON-LD: %v", ld)
	}
	// Sample details are not given to search engines as facts.
	_, paris := get(t, srv, "/fr/representations/paris")
	if ld := jsonLD(t, paris); ld["telephone"] != nil || ld["openingHoursSpecification"] != nil {
		t.Errorf("the JSON-LD of an office with sample data states its details: %v", ld)
	}
	if !strings.Contains(paris, "Données d’exemple") {
		t.Error("the office page does not say its details are sample data")
	}
	_, planned := get(t, srv, "/en/offices-abroad/stockholm")
	if !strings.Contains(planned, "Opening on 2027-03-01") || strings.Contains(planned, "office-now") {
		t.Error("a planned office's page does not say when it opens, or says whether it is open now")
	}
	// An office announced with no date yet opens, in the data, on
	// 9999-12-31: the pages say the date is to be confirmed.
	seattle := office.Office{Slug: "seattle", Type: office.Delegation, Opened: office.Date{Year: 9999, Month: 12, Day: 31},
		Name: names("Délégation du Québec à Seattle", "Québec Government Office in Seattle"), City: names("Seattle", "Seattle"),
		Country: "US", Region: office.Americas, Latitude: 47.6, Longitude: -122.33, TimeZone: "America/Los_Angeles"}
	if _, err := db.SaveOffice(t.Context(), seattle, audit.Origin{Actor: "test"}); err != nil {
		t.Fatal(err)
	}
	srv.Site.Sync(t.Context())
	_, sea := get(t, srv, "/en/offices-abroad/seattle")
	_, list := get(t, srv, "/en/offices-abroad")
	if !strings.Contains(sea, "Opening announced, date to be confirmed") || strings.Contains(sea+list, "9999") {
		t.Error("an office announced with no date shows 9999-12-31")
	}
	for _, p := range []string{"/fr/representations/nowhere", "/fr/representations/BAD", "/en/offices-abroad/tokyo/nothing"} {
		if res, _ := get(t, srv, p); res.StatusCode != 404 {
			t.Errorf("%s: %d, want 404", p, res.StatusCode)
		}
	}
}

func jsonLD(t *testing.T, src string) map[string]any {
	t.Helper()
	m := regexp.MustCompile(`(?s)<script type="application/ld\+json">(.*?)</script>`).FindStringSubmatch(src)
	if m == nil {
		t.Fatal("no JSON-LD")
	}
	var out map[string]any
	if err := json.Unmarshal([]byte(m[1]), &out); err != nil {
		t.Fatalf("JSON-LD does not parse: %v\n%s", err, m[1])
	}
	return out
}

func TestVCard(t *testing.T) {
	srv, _, _ := newDirectory(t, tuesday)
	res, card := get(t, srv, "/fr/representations/tokyo/vcard")
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/vcard") {
		t.Fatalf("%d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	if !strings.HasPrefix(card, "BEGIN:VCARD\r\nVERSION:4.0\r\n") || !strings.HasSuffix(card, "END:VCARD\r\n") {
		t.Fatalf("not a vCard:\n%s", card)
	}
	unfolded := strings.ReplaceAll(card, "\r\n ", "")
	for _, want := range []string{"FN:Délégation générale du Québec à Tokyo\r\n", "ADR;TYPE=work:;;1-2-3 Akasaka\\, Minato-ku;Tokyo;;;Japon\r\n",
		"TEL;VALUE=uri;TYPE=work,voice:tel:+81355550100\r\n", "EMAIL;TYPE=work:tokyo@example.org\r\n", "NOTE:Responsable : Nom\\, à confirmer\r\n", "TZ:Asia/Tokyo\r\n"} {
		if !strings.Contains(unfolded, want) {
			t.Errorf("the vCard lacks %q", want)
		}
	}
	for _, line := range strings.Split(card, "\r\n") {
		if len(line) > 75 {
			t.Errorf("line longer than 75 octets: %q", line)
		}
	}
	// An unknown office's card: the site's bilingual 404 page.
	if res, src := get(t, srv, "/en/offices-abroad/nowhere/vcard"); res.StatusCode != 404 || !strings.Contains(src, `<html lang="en">`) {
		t.Errorf("unknown office's vCard: %d, not the site's 404 page", res.StatusCode)
	}
}

func TestAPI(t *testing.T) {
	srv, _, _ := newDirectory(t, tuesday)
	res, src := get(t, srv, "/api/v1/offices")
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("%d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	var doc struct {
		Offices []struct {
			Slug, Type, Status, City, Country, Region, Timezone string
			Name, URL                                           map[string]string
			Latitude, Longitude                                 float64
			Clienteles, Covers                                  []string
		}
	}
	if err := json.Unmarshal([]byte(src), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Offices) != 5 {
		t.Fatalf("%d offices", len(doc.Offices))
	}
	byslug := map[string]int{}
	for i, o := range doc.Offices {
		byslug[o.Slug] = i
	}
	tk := doc.Offices[byslug["tokyo"]]
	if tk.Type != "general-delegation" || tk.Status != "open" || tk.Name["en"] != "Québec Government Office in Tokyo" || tk.Country != "JP" ||
		tk.Timezone != "Asia/Tokyo" || tk.URL["fr"] != "/fr/representations/tokyo" || len(tk.Clienteles) != 1 || tk.Covers[0] != "KR" {
		t.Errorf("tokyo: %+v", tk)
	}
	if s := doc.Offices[byslug["stockholm"]].Status; s != "planned" {
		t.Errorf("stockholm's status %q", s)
	}
	var old struct {
		Offices []struct{ Slug, Status string }
	}
	_, src = get(t, srv, "/api/v1/offices?date=2024-06-01")
	if err := json.Unmarshal([]byte(src), &old); err != nil {
		t.Fatal(err)
	}
	status := map[string]string{}
	for _, o := range old.Offices {
		status[o.Slug] = o.Status
	}
	if status["havane"] != "open" || status["stockholm"] != "planned" {
		t.Errorf("statuses on 2024-06-01: %v", status)
	}

	res, src = get(t, srv, "/api/v1/offices.csv")
	rows, err := csv.NewReader(strings.NewReader(src)).ReadAll()
	if err != nil || res.Header.Get("Content-Type") != "text/csv; charset=utf-8" || len(rows) != 6 || rows[0][0] != "slug" {
		t.Fatalf("CSV: %v, %d rows, %s", err, len(rows), res.Header.Get("Content-Type"))
	}

	res, src = get(t, srv, "/api/v1/offices.geojson")
	var fc struct {
		Type     string
		Features []struct {
			Type     string
			Geometry struct {
				Type        string
				Coordinates []float64
			}
			Properties map[string]any
		}
	}
	if err := json.Unmarshal([]byte(src), &fc); err != nil || res.Header.Get("Content-Type") != "application/geo+json" {
		t.Fatalf("GeoJSON: %v %s", err, res.Header.Get("Content-Type"))
	}
	if fc.Type != "FeatureCollection" || len(fc.Features) != 5 {
		t.Fatalf("GeoJSON: %s with %d features", fc.Type, len(fc.Features))
	}
	for _, f := range fc.Features {
		c := f.Geometry.Coordinates
		// RFC 7946 §3.1.1: longitude first, then latitude.
		if f.Type != "Feature" || f.Geometry.Type != "Point" || len(c) != 2 || c[0] < -180 || c[0] > 180 || c[1] < -90 || c[1] > 90 {
			t.Errorf("feature %v", f)
		}
		if f.Properties["slug"] == "tokyo" && (c[0] != 139.74 || c[1] != 35.68) {
			t.Errorf("tokyo at %v: longitude and latitude swapped?", c)
		}
	}

	for path, code := range map[string]string{"/api/v1/offices?date=2024-02-30": "bad_date", "/api/v1/nothing": "not_found"} {
		res, src := get(t, srv, path)
		var e struct {
			Error struct{ Code, Message string }
		}
		if err := json.Unmarshal([]byte(src), &e); err != nil || e.Error.Code != code || e.Error.Message == "" || res.StatusCode/100 != 4 {
			t.Errorf("%s: %d %s", path, res.StatusCode, src)
		}
	}
}

// "Last update" on the list and the office's page follows the data:
// a change to an office, written with its change record, reaches the
// public pages through the change feed.
func TestLastUpdateFollowsTheData(t *testing.T) {
	srv, db, c := newDirectory(t, tuesday)
	get(t, srv, "/fr/representations") // cached
	c.Set(time.Date(2026, 6, 10, 15, 30, 0, 0, time.UTC))
	o, err := db.Office(t.Context(), "mexico")
	if err != nil {
		t.Fatal(err)
	}
	o.Name[lang.FR] = "Délégation générale du Québec à Mexico (nouveau nom)"
	if _, err := db.SaveOffice(t.Context(), o, audit.Origin{Actor: "test"}); err != nil {
		t.Fatal(err)
	}
	if err := srv.Site.Sync(t.Context()); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/fr/representations", "/fr/representations/mexico"} {
		_, src := get(t, srv, p)
		if !strings.Contains(src, "(nouveau nom)") || !strings.Contains(src, "Dernière mise à jour : 2026-06-10 11:30") {
			t.Errorf("%s does not follow the change: %s", p, excerpt(src, "Dernière mise à jour"))
		}
	}
}

// The site's stylesheet carries the map's rules as the map package
// gives them.
func TestStylesheetHasTheMapsRules(t *testing.T) {
	a, err := assets.New()
	if err != nil {
		t.Fatal(err)
	}
	css, _, ok := a.Body("site.css")
	if !ok {
		t.Fatal("no site.css")
	}
	if !strings.Contains(string(css), worldmap.CSS) {
		t.Fatal("site.css lacks worldmap.CSS, or an older copy of it: copy it again")
	}
}
