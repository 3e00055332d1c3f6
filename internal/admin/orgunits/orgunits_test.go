package orgunits_test

import (
	"cmp"
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/net/html"

	"portail/internal/admin/admintest"
	"portail/internal/audit"
	"portail/internal/auth"
	"portail/internal/change"
	"portail/internal/lang"
	"portail/internal/orgchart"
	"portail/internal/seed"
)

// The tests work on the department's default chart, which every seeded
// database holds: the harness's day is 2026-03-02 in Montréal, when the
// minister's office is the top, the deputy minister under it, the
// sectors under the deputy minister and the directorates under them.

// newStaff returns the staff harness, with the default chart, and
// remembers its last change record, so that unitChanges lists the
// test's own.
func newStaff(t *testing.T) *admintest.Staff {
	t.Helper()
	s := admintest.NewStaff(t)
	last, err := s.DB.LastChange(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	baselines.Store(s, last.Seq)
	return s
}

// baselines holds, per harness, the last change record before the test
// began.
var baselines sync.Map

// unitChanges returns the keys of the change feed's records of the chart
// since the test began.
func unitChanges(t *testing.T, s *admintest.Staff) []string {
	t.Helper()
	since, _ := baselines.Load(s)
	cs, err := s.DB.ChangesSince(context.Background(), since.(int64), 1000)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, c := range cs {
		if c.Topic == change.OrgUnit {
			out = append(out, c.Key)
		}
	}
	return out
}

// auditCount counts the audit entries of action a that staff made: not
// the default content's.
func auditCount(t *testing.T, s *admintest.Staff, a audit.Action) int {
	t.Helper()
	es, err := s.DB.AuditLog(context.Background(), audit.Filter{Action: a, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range es {
		if e.Actor != seed.Publisher.Name {
			n++
		}
	}
	return n
}

func stored(t *testing.T, s *admintest.Staff, id string) orgchart.Unit {
	t.Helper()
	u, err := s.DB.OrgUnit(context.Background(), id)
	if err != nil {
		t.Fatalf("unit %s: %v", id, err)
	}
	return u
}

// periods writes a unit's periods as "[from, to) parent name; …".
func periods(u orgchart.Unit) string {
	var s []string
	for _, p := range u.Periods {
		s = append(s, "["+p.From.String()+", "+p.To.String()+") "+p.Parent+" "+p.Name[lang.FR])
	}
	return strings.Join(s, "; ")
}

// form returns the values that the form of page src posting to action
// sends, as a browser would send them.
func form(t *testing.T, src, action string) url.Values {
	t.Helper()
	for _, f := range admintest.Forms(src) {
		if f.Action == action && f.Method == "post" {
			return f.Values()
		}
	}
	t.Fatalf("no form posting to %s in\n%s", action, src)
	return nil
}

// unitPage returns the staff page of unit id.
func unitPage(t *testing.T, s *admintest.Staff, id string) string {
	t.Helper()
	return admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/org-units/"+id, s.Admin), http.StatusOK)
}

// operate posts the form of operation op on unit id's page, with set
// changed, as cookie's account.
func operate(t *testing.T, s *admintest.Staff, cookie *http.Cookie, page, id, op string, set map[string]string) *http.Response {
	t.Helper()
	action := "/admin/org-units/" + id + "/" + op
	f := form(t, page, action)
	for k, v := range set {
		f.Set(k, v)
	}
	return admintest.Post(s.Srv, action, f, cookie)
}

// depth returns how many lists the link to href is in, on page src: 0
// when there is no such link.
func depth(t *testing.T, src, href string) int {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	var walk func(n *html.Node, lists int)
	walk = func(n *html.Node, lists int) {
		if n.Type == html.ElementNode {
			if n.Data == "ul" {
				lists++
			}
			for _, a := range n.Attr {
				if n.Data == "a" && a.Key == "href" && a.Val == href {
					found = lists
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, lists)
		}
	}
	walk(doc, 0)
	return found
}

// The list shows the chart as of today, each unit in the list of the
// unit above it, with its kind, its head and the time of its last
// update, and links to each unit's page, to adding one, to the import
// and to the exports.
func TestList(t *testing.T) {
	s := newStaff(t)
	list := admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/org-units", s.Admin), http.StatusOK)
	admintest.WantContains(t, list, "Au 2026-03-02 (aujourd’hui) : 21 unités",
		`<a href="/admin/org-units/sous-ministre" lang="fr">Bureau du sous-ministre</a> (SM) · Sous-ministre · Nom à confirmer / To be confirmed, Sous-ministre`,
		`<a href="/admin/org-units/direction-protocole" lang="fr">Direction du protocole</a>`, "Données d’exemple",
		`href="/admin/org-units/new"`, `href="/admin/org-units/import"`,
		`href="/admin/org-units/export.json"`, `href="/admin/org-units/export.csv"`,
		`<a href="/admin/org-units" aria-current="page">Organigramme</a>`)
	for href, want := range map[string]int{
		"/admin/org-units/cabinet-ministre":               1,
		"/admin/org-units/sous-ministre":                  2,
		"/admin/org-units/secteur-coordination-protocole": 3,
		"/admin/org-units/direction-protocole":            4,
	} {
		if got := depth(t, list, href); got != want {
			t.Errorf("%s is in %d lists, want %d", href, got, want)
		}
	}
}

// dc is the form of a new directorate under the bilateral affairs
// sector, as a browser sends it.
func dc() url.Values {
	return url.Values{
		"id": {"direction-arctique"}, "kind": {"directorate"}, "parent": {"secteur-affaires-bilaterales"},
		"from": {"2026-04-01"}, "name.fr": {"Direction de l’Arctique"}, "name.en": {"Arctic Directorate"},
		"acronym": {"DA"}, "head.name": {"Nom à confirmer"}, "head.title.fr": {"Directrice"}, "head.title.en": {"Director"},
		"phone": {"418 649-2300"}, "email": {"arctique@example.org"}, "order": {"50"},
	}
}

// An administrator adds a unit: its first period is stored as typed,
// with its audit entry and change record, and its page shows it.
func TestCreate(t *testing.T) {
	s := newStaff(t)
	page := admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/org-units/new", s.Admin), http.StatusOK)
	admintest.WantContains(t, page, `name="from" type="date" value="2026-03-02"`,
		`<option value="secteur-affaires-bilaterales">`, `<option value="directorate">Direction</option>`)
	admintest.WantRedirect(t, admintest.Post(s.Srv, "/admin/org-units/new", dc(), s.Admin), "/admin/org-units/direction-arctique?saved")
	u := stored(t, s, "direction-arctique")
	p := u.Periods[0]
	if u.Version != 1 || u.Sample || len(u.Periods) != 1 || p.From.String() != "2026-04-01" || !p.To.IsZero() ||
		p.Parent != "secteur-affaires-bilaterales" || p.Kind != orgchart.Directorate || p.Name[lang.EN] != "Arctic Directorate" ||
		p.Acronym != "DA" || p.Head.Title[lang.FR] != "Directrice" || p.Phone != "418 649-2300" || p.Email != "arctique@example.org" || p.Order != 50 {
		t.Fatalf("stored unit: %+v", u)
	}
	if n := auditCount(t, s, audit.OrgUnitSave); n != 1 {
		t.Errorf("%d audit entries orgunit.save, want 1", n)
	}
	if keys := unitChanges(t, s); len(keys) != 1 || keys[0] != "direction-arctique" {
		t.Errorf("change records: %v, want [direction-arctique]", keys)
	}
	page = admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/org-units/direction-arctique?saved", s.Admin), http.StatusOK)
	admintest.WantContains(t, page, "Le changement est enregistré.", "Unité : Direction de l’Arctique",
		"L’unité n’existe pas encore : elle commence le 2026-04-01.",
		`<td>2026-04-01</td>`, `<a href="/admin/org-units/secteur-affaires-bilaterales" lang="fr">Secteur des affaires bilatérales</a>`,
		`<span lang="en">Arctic Directorate</span>`, "Nom à confirmer, Directrice")
	// Not in today's chart: listed apart.
	list := admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/org-units", s.Admin), http.StatusOK)
	admintest.WantContains(t, list, "Unités absentes de l’organigramme d’aujourd’hui, fermées ou à venir (1)", "depuis le 2026-04-01")
}

// Each kind of bad input on the new unit's form gets the form back with
// a message at its field, in the staff member's language, what was typed
// kept, a 4xx status and nothing written.
func TestCreateBadInput(t *testing.T) {
	cases := []struct {
		name, field, value string
		status             int
		message, kept      string
		at                 string // the field that shows the message, if not field
	}{
		{"malformed ID", "id", "Direction Arctique", http.StatusUnprocessableEntity,
			"La clé ne doit contenir que des lettres minuscules", `value="Direction Arctique"`, ""},
		{"reserved ID", "id", "import", http.StatusUnprocessableEntity, "Cette clé est un mot réservé", `value="import"`, ""},
		{"ID taken", "id", "direction-europe", http.StatusConflict,
			"Cet identifiant est déjà utilisé par une autre unité.", `value="direction-europe"`, ""},
		{"no kind", "kind", "", http.StatusUnprocessableEntity, "Choisissez un type d’unité de la liste.", `<option value="" selected>— Choisir —</option>`, ""},
		{"unknown parent", "parent", "direction-inconnue", http.StatusUnprocessableEntity,
			"L’unité supérieure indiquée n’existe pas.", `<option value="direction-inconnue" selected>direction-inconnue</option>`, ""},
		{"second top", "parent", "", http.StatusUnprocessableEntity,
			"Une seule unité peut être au sommet de l’organigramme", `<option value="" selected>(aucune : sommet de l’organigramme)</option>`, ""},
		{"parent not there yet", "from", "2023-06-01", http.StatusUnprocessableEntity,
			"L’unité supérieure n’existe pas pendant toute la période", `value="2023-06-01"`, "parent"},
		{"not a day", "from", "2026-02-30", http.StatusUnprocessableEntity, "Entrez une date sous la forme AAAA-MM-JJ.", `value="2026-02-30"`, ""},
		{"French name missing", "name.fr", " ", http.StatusUnprocessableEntity, "Ce champ est obligatoire.", `value="Arctic Directorate"`, ""},
		{"bad phone", "phone", "téléphone", http.StatusUnprocessableEntity, "Entrez un numéro de téléphone", `value="téléphone"`, ""},
		{"bad order", "order", "premier", http.StatusUnprocessableEntity, "Entrez un nombre entier.", `value="premier"`, ""},
		{"order out of range", "order", "10001", http.StatusUnprocessableEntity, "Entrez un nombre entier de 0 à 10 000.", `value="10001"`, ""},
	}
	s := newStaff(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := dc()
			f.Set(c.field, c.value)
			body := admintest.WantStatus(t, admintest.Post(s.Srv, "/admin/org-units/new", f, s.Admin), c.status)
			at := cmp.Or(c.at, c.field)
			admintest.WantContains(t, body, c.message, `id="`+at+`-error"`, `href="#`+at+`"`, c.kept,
				`value="Arctic Directorate"`, `value="arctique@example.org"`) // the rest kept too
			admintest.WantSummaryTargets(t, s, s.Admin, body)
		})
	}
	if n := auditCount(t, s, audit.OrgUnitSave); n != 0 {
		t.Errorf("%d audit entries orgunit.save after refused forms", n)
	}
	if keys := unitChanges(t, s); len(keys) != 0 {
		t.Errorf("change records after refused forms: %v", keys)
	}
}

// Each operation of a unit's page changes the unit from its effective
// date, with one audit entry and one change record, and says so; a form
// sent back unchanged writes nothing.
func TestOperations(t *testing.T) {
	cases := []struct {
		op, id string
		set    map[string]string
		check  func(u orgchart.Unit) bool
	}{
		{"move", "direction-protocole", map[string]string{"move.parent": "secteur-affaires-bilaterales"}, func(u orgchart.Unit) bool {
			return periods(u) == "[2024-01-01, 2026-03-02) secteur-coordination-protocole Direction du protocole; "+
				"[2026-03-02, ) secteur-affaires-bilaterales Direction du protocole"
		}},
		{"rename", "direction-europe", map[string]string{"rename.on": "2026-04-01", "rename.name.fr": "Direction de l’Europe et de l’Eurasie",
			"rename.name.en": "Europe and Eurasia Directorate", "rename.acronym": "DEE"}, func(u orgchart.Unit) bool {
			last := u.Periods[1]
			return periods(u) == "[2024-01-01, 2026-04-01) secteur-affaires-bilaterales Direction de l’Europe; "+
				"[2026-04-01, ) secteur-affaires-bilaterales Direction de l’Europe et de l’Eurasie" &&
				last.Name[lang.EN] == "Europe and Eurasia Directorate" && last.Acronym == "DEE"
		}},
		{"head", "sous-ministre", map[string]string{"head.name": "A. Tremblay", "head.title.fr": "Sous-ministre", "head.title.en": "Deputy Minister"},
			func(u orgchart.Unit) bool {
				return len(u.Periods) == 2 && u.Periods[0].Head.Name == "Nom à confirmer / To be confirmed" &&
					u.Periods[1].From.String() == "2026-03-02" && u.Periods[1].Head.Name == "A. Tremblay"
			}},
		{"contact", "direction-communications", map[string]string{"contact.phone": "418 649-2300, poste 12",
			"contact.email": "communications@example.org", "contact.order": "5"}, func(u orgchart.Unit) bool {
			p := u.Periods[len(u.Periods)-1]
			return len(u.Periods) == 2 && p.Phone == "418 649-2300, poste 12" && p.Email == "communications@example.org" && p.Order == 5
		}},
		{"close", "bureau-reforme-reseau", map[string]string{"close.on": "2026-06-01"}, func(u orgchart.Unit) bool {
			return periods(u) == "[2024-04-01, 2026-06-01) secteur-affaires-bilaterales Bureau de projet de la réforme du réseau"
		}},
		{"sample", "direction-europe", map[string]string{"sample": ""}, func(u orgchart.Unit) bool { return !u.Sample }},
	}
	s := newStaff(t)
	for i, c := range cases {
		t.Run(c.op, func(t *testing.T) {
			page := unitPage(t, s, c.id)
			before := stored(t, s, c.id)
			admintest.WantRedirect(t, operate(t, s, s.Admin, page, c.id, c.op, c.set), "/admin/org-units/"+c.id+"?saved")
			u := stored(t, s, c.id)
			if u.Version != before.Version+1 || !c.check(u) {
				t.Fatalf("after %s: version %d, %s (%+v)", c.op, u.Version, periods(u), u)
			}
			if n := auditCount(t, s, audit.OrgUnitSave); n != i+1 {
				t.Errorf("%d audit entries orgunit.save, want %d", n, i+1)
			}
			if keys := unitChanges(t, s); len(keys) != i+1 || keys[i] != c.id {
				t.Errorf("change records: %v, want %s last", keys, c.id)
			}
			admintest.WantContains(t, unitPage(t, s, c.id+"?saved"), "Le changement est enregistré.")
		})
	}
	// The move form sent back as the page shows it changes nothing.
	page := unitPage(t, s, "direction-protocole")
	admintest.WantRedirect(t, operate(t, s, s.Admin, page, "direction-protocole", "move", nil), "/admin/org-units/direction-protocole?unchanged")
	if u := stored(t, s, "direction-protocole"); u.Version != 2 {
		t.Errorf("an unchanged form wrote version %d", u.Version)
	}
	if n := auditCount(t, s, audit.OrgUnitSave); n != len(cases) {
		t.Errorf("%d audit entries orgunit.save, want %d", n, len(cases))
	}
	// A closed unit is no longer in today's chart once its day has come;
	// the list shows it apart.
	s.Advance(t, 100*24*time.Hour)
	list := admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/org-units", s.Admin), http.StatusOK)
	admintest.WantContains(t, list, "du 2024-04-01 au 2026-06-01 (exclu)")
}

// unitUnchanged fails t unless unit id is still at version and no staff
// member saved a unit.
func unitUnchanged(t *testing.T, s *admintest.Staff, id string, version int) {
	t.Helper()
	if u := stored(t, s, id); u.Version != version {
		t.Errorf("a refused operation wrote %s: version %d, %s", id, u.Version, periods(u))
	}
	if n := auditCount(t, s, audit.OrgUnitSave); n != 0 {
		t.Errorf("%d audit entries orgunit.save after a refused operation", n)
	}
	if keys := unitChanges(t, s); len(keys) != 0 {
		t.Errorf("change records after a refused operation: %v", keys)
	}
}

// Moving a unit under one of its own units is refused on the move form,
// saying which unit is under which, with what was typed kept, 422, and
// nothing written: under its child, and under a unit further down.
func TestMoveUnderOwnDescendant(t *testing.T) {
	s := newStaff(t)
	for _, c := range []struct{ id, parent, message string }{
		{"secteur-affaires-bilaterales", "direction-europe",
			"« Direction de l’Europe » relève de « Secteur des affaires bilatérales » : une unité ne peut pas être placée sous une de ses propres unités."},
		{"sous-ministre", "direction-protocole",
			"« Direction du protocole » relève de « Bureau du sous-ministre » : une unité ne peut pas être placée sous une de ses propres unités."},
	} {
		page := unitPage(t, s, c.id)
		res := operate(t, s, s.Admin, page, c.id, "move", map[string]string{"move.parent": c.parent, "move.on": "2026-05-04"})
		body := admintest.WantStatus(t, res, http.StatusUnprocessableEntity)
		admintest.WantContains(t, body, c.message, `id="move.parent-error"`, `href="#move.parent"`,
			`<option value="`+c.parent+`" selected>`, `name="move.on" type="date" value="2026-05-04"`)
		admintest.WantSummaryTargets(t, s, s.Admin, body)
		if f := form(t, body, "/admin/org-units/"+c.id+"/move"); f.Get("move.parent") != c.parent {
			t.Errorf("the form sent back moves %s under %q", c.id, f.Get("move.parent"))
		}
		unitUnchanged(t, s, c.id, 1)
	}
	// In English for an account that reads English.
	admintest.WantRedirect(t, admintest.Post(s.Srv, "/admin/lang", url.Values{"lang": {"en"}, "back": {"/admin/"}}, s.Admin), "/admin/")
	page := unitPage(t, s, "secteur-affaires-bilaterales")
	body := admintest.WantStatus(t, operate(t, s, s.Admin, page, "secteur-affaires-bilaterales", "move",
		map[string]string{"move.parent": "direction-etats-unis"}), http.StatusUnprocessableEntity)
	admintest.WantContains(t, body, "“Direction des États-Unis” is under “Secteur des affaires bilatérales”: a unit cannot be placed under one of its own units.")
}

// Closing a unit that still has units under it is refused on the close
// form, naming them; nothing is written.
func TestCloseWithChildren(t *testing.T) {
	s := newStaff(t)
	page := unitPage(t, s, "secteur-coordination-protocole")
	body := admintest.WantStatus(t, operate(t, s, s.Admin, page, "secteur-coordination-protocole", "close",
		map[string]string{"close.on": "2026-05-01"}), http.StatusUnprocessableEntity)
	admintest.WantContains(t, body, "Des unités relèvent encore de celle-ci le 2026-05-01 ou après : « Direction du protocole ». Déplacez-les ou fermez-les d’abord.",
		`id="close.on-error"`, `name="close.on" type="date" value="2026-05-01"`)
	admintest.WantSummaryTargets(t, s, s.Admin, body)
	unitUnchanged(t, s, "secteur-coordination-protocole", 1)
	// Once the directorate is moved, the sector closes.
	page = unitPage(t, s, "direction-protocole")
	admintest.WantRedirect(t, operate(t, s, s.Admin, page, "direction-protocole", "move",
		map[string]string{"move.parent": "secteur-affaires-bilaterales", "move.on": "2026-05-01"}), "/admin/org-units/direction-protocole?saved")
	page = unitPage(t, s, "secteur-coordination-protocole")
	admintest.WantRedirect(t, operate(t, s, s.Admin, page, "secteur-coordination-protocole", "close",
		map[string]string{"close.on": "2026-05-01"}), "/admin/org-units/secteur-coordination-protocole?saved")
}

// A date on which the unit does not exist, or that is not a date, is
// refused on the operation's form, its values kept; the other fields
// are checked all the same.
func TestBadDate(t *testing.T) {
	s := newStaff(t)
	cases := []struct {
		name, id, op string
		set          map[string]string
		problems     map[string]string // field → message
	}{
		{"before the unit exists", "direction-europe", "rename",
			map[string]string{"rename.on": "2023-12-31", "rename.name.fr": "Direction de l’Europe centrale"},
			map[string]string{"rename.on": "L’unité n’existe pas à cette date"}},
		{"after it closed", "bureau-reforme-reseau", "head",
			map[string]string{"head.on": "2026-11-01", "head.name": "A. Tremblay"},
			map[string]string{"head.on": "L’unité n’existe pas à cette date"}},
		{"closing on its first day", "bureau-reforme-reseau", "close",
			map[string]string{"close.on": "2024-04-01"},
			map[string]string{"close.on": "L’unité n’existe pas à cette date"}},
		{"not a day", "direction-europe", "contact",
			map[string]string{"contact.on": "2026-02-30", "contact.phone": "418 649-2300"},
			map[string]string{"contact.on": "Entrez une date sous la forme AAAA-MM-JJ."}},
		{"no date, and no name", "direction-europe", "rename",
			map[string]string{"rename.on": "", "rename.name.fr": ""},
			map[string]string{"rename.on": "Ce champ est obligatoire.", "rename.name.fr": "Ce champ est obligatoire."}},
		{"a date, and a bad email", "direction-europe", "contact",
			map[string]string{"contact.email": "europe(at)example.org"},
			map[string]string{"contact.email": "Entrez une adresse courriel valide"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			page := unitPage(t, s, c.id)
			body := admintest.WantStatus(t, operate(t, s, s.Admin, page, c.id, c.op, c.set), http.StatusUnprocessableEntity)
			for field, msg := range c.problems {
				admintest.WantContains(t, body, msg, `id="`+field+`-error"`)
			}
			for field, v := range c.set {
				if got := form(t, body, "/admin/org-units/"+c.id+"/"+c.op).Get(field); got != v {
					t.Errorf("%s: the form shows %q, want %q as typed", field, got, v)
				}
			}
			admintest.WantSummaryTargets(t, s, s.Admin, body)
			unitUnchanged(t, s, c.id, 1)
		})
	}
}

// Two administrators open the same unit's page. The second one's change,
// from the version both started from, gets the page back (409) with
// what they typed, the message that someone else saved, the other
// version's periods and who saved it; nothing is written. Sending the
// form again applies the change to the other version.
func TestStaleVersion(t *testing.T) {
	s := newStaff(t)
	page := unitPage(t, s, "direction-europe")
	admintest.WantRedirect(t, operate(t, s, s.Admin, page, "direction-europe", "rename",
		map[string]string{"rename.name.fr": "Direction de l’Europe et de l’Eurasie"}), "/admin/org-units/direction-europe?saved")

	body := admintest.WantStatus(t, operate(t, s, s.Admin, page, "direction-europe", "head",
		map[string]string{"head.name": "B. Gagnon"}), http.StatusConflict)
	admintest.WantContains(t, body, "Une autre personne a modifié cette unité depuis que vous avez ouvert la page.",
		`href="#theirs"`, "Version 2, enregistrée le 2026-03-02 09:00 par Test admin",
		"Direction de l’Europe et de l’Eurasie", `value="B. Gagnon"`, `name="version" value="2"`)
	admintest.WantSummaryTargets(t, s, s.Admin, body)
	if u := stored(t, s, "direction-europe"); u.Version != 2 || u.Periods[len(u.Periods)-1].Head.Name == "B. Gagnon" {
		t.Fatalf("a stale change was written: %+v", u)
	}

	admintest.WantRedirect(t, operate(t, s, s.Admin, body, "direction-europe", "head", nil), "/admin/org-units/direction-europe?saved")
	u := stored(t, s, "direction-europe")
	last := u.Periods[len(u.Periods)-1]
	if u.Version != 3 || last.Head.Name != "B. Gagnon" || last.Name[lang.FR] != "Direction de l’Europe et de l’Eurasie" {
		t.Fatalf("after sending again: %+v", u)
	}

	// A form whose hidden version is not one comes back, to be sent
	// again from the stored version.
	page = unitPage(t, s, "direction-europe")
	f := form(t, page, "/admin/org-units/direction-europe/contact")
	f.Set("version", `"><b>`)
	f.Set("contact.phone", "418 649-2300")
	body = admintest.WantStatus(t, admintest.Post(s.Srv, "/admin/org-units/direction-europe/contact", f, s.Admin), http.StatusUnprocessableEntity)
	admintest.WantContains(t, body, "ne dit pas de quelle version", `value="418 649-2300"`)
	again := form(t, body, "/admin/org-units/direction-europe/contact")
	if again.Get("version") != "3" {
		t.Fatalf("the form sent back starts from version %q, want the stored 3", again.Get("version"))
	}
	admintest.WantRedirect(t, admintest.Post(s.Srv, "/admin/org-units/direction-europe/contact", again, s.Admin), "/admin/org-units/direction-europe?saved")
}

// race posts the requests at once and returns their statuses.
func race(s *admintest.Staff, reqs ...func() *http.Response) []int {
	statuses := make([]int, len(reqs))
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i, req := range reqs {
		wg.Go(func() {
			<-start
			res := req()
			res.Body.Close()
			statuses[i] = res.StatusCode
		})
	}
	close(start)
	wg.Wait()
	return statuses
}

// oneEach reports whether statuses are a and b, in either order.
func oneEach(statuses []int, a, b int) bool {
	return len(statuses) == 2 && (statuses[0] == a && statuses[1] == b || statuses[0] == b && statuses[1] == a)
}

// secondAdmin signs in a second administrator.
func secondAdmin(t *testing.T, s *admintest.Staff) *http.Cookie {
	t.Helper()
	admintest.NewUser(t, s.DB, "admin2@example.org", auth.Admin)
	return admintest.Login(t, s.Srv, "admin2@example.org", admintest.Password)
}

// Two administrators change the same unit from the same version at the
// same time: exactly one change is written, the other is told (409).
func TestSameUnitRace(t *testing.T) {
	s := newStaff(t)
	other := secondAdmin(t, s)
	for round := range 5 {
		page := unitPage(t, s, "direction-europe")
		before := stored(t, s, "direction-europe")
		rename := form(t, page, "/admin/org-units/direction-europe/rename")
		rename.Set("rename.acronym", "DE"+string(rune('A'+round)))
		head := form(t, page, "/admin/org-units/direction-europe/head")
		head.Set("head.name", "Personne "+string(rune('A'+round)))
		statuses := race(s,
			func() *http.Response {
				return admintest.Post(s.Srv, "/admin/org-units/direction-europe/rename", rename, s.Admin)
			},
			func() *http.Response {
				return admintest.Post(s.Srv, "/admin/org-units/direction-europe/head", head, other)
			})
		if !oneEach(statuses, http.StatusSeeOther, http.StatusConflict) {
			t.Fatalf("round %d: statuses %v, want one 303 and one 409", round, statuses)
		}
		if u := stored(t, s, "direction-europe"); u.Version != before.Version+1 {
			t.Fatalf("round %d: version %d after the race, want %d", round, u.Version, before.Version+1)
		}
	}
}

// Two administrators at once: one moves A under B, the other B under A,
// each fine alone. At most one is written, and the chart never holds a
// cycle: the store checks the whole chart in the transaction that
// writes.
func TestCrossedMovesRace(t *testing.T) {
	s := newStaff(t)
	other := secondAdmin(t, s)
	const a, b = "direction-etats-unis", "direction-europe"
	moved := 0
	for round := range 8 {
		pageA, pageB := unitPage(t, s, a), unitPage(t, s, b)
		aUnderB := form(t, pageA, "/admin/org-units/"+a+"/move")
		aUnderB.Set("move.parent", b)
		bUnderA := form(t, pageB, "/admin/org-units/"+b+"/move")
		bUnderA.Set("move.parent", a)
		statuses := race(s,
			func() *http.Response { return admintest.Post(s.Srv, "/admin/org-units/"+a+"/move", aUnderB, s.Admin) },
			func() *http.Response { return admintest.Post(s.Srv, "/admin/org-units/"+b+"/move", bUnderA, other) })
		if !oneEach(statuses, http.StatusSeeOther, http.StatusUnprocessableEntity) {
			t.Fatalf("round %d: statuses %v, want one 303 and one 422", round, statuses)
		}
		units, err := s.DB.OrgUnits(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if err := orgchart.Check(units); err != nil {
			t.Fatalf("round %d: the chart after the race: %v", round, err)
		}
		// Put the one moved back, for the next round.
		id := a
		if statuses[1] == http.StatusSeeOther {
			id = b
		}
		moved++
		page := unitPage(t, s, id)
		admintest.WantRedirect(t, operate(t, s, s.Admin, page, id, "move",
			map[string]string{"move.parent": "secteur-affaires-bilaterales"}), "/admin/org-units/"+id+"?")
	}
	if n := auditCount(t, s, audit.OrgUnitSave); n != 2*moved {
		t.Errorf("%d audit entries orgunit.save, want %d", n, 2*moved)
	}
}

// Editors and reviewers do not reach the area.
func TestAdminOnly(t *testing.T) {
	s := newStaff(t)
	page := unitPage(t, s, "direction-europe")
	move := form(t, page, "/admin/org-units/direction-europe/move")
	move.Set("move.parent", "secteur-services-ministere")
	for _, who := range []*http.Cookie{s.Editor, s.Reviewer} {
		admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/org-units", who), http.StatusForbidden)
		admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/org-units/direction-europe", who), http.StatusForbidden)
		admintest.WantStatus(t, admintest.Post(s.Srv, "/admin/org-units/direction-europe/move", move, who), http.StatusForbidden)
		admintest.WantStatus(t, admintest.Post(s.Srv, "/admin/org-units/new", dc(), who), http.StatusForbidden)
	}
	unitUnchanged(t, s, "direction-europe", 1)
	if _, err := s.DB.OrgUnit(context.Background(), "direction-arctique"); err == nil {
		t.Error("a refused request added a unit")
	}
	dash := admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/", s.Editor), http.StatusOK)
	if strings.Contains(dash, "/admin/org-units") {
		t.Error("the editor's dashboard or navigation links to the organization chart's area")
	}
}

// A rename from today shows on the public chart in both languages as
// soon as the staff member is told it is saved.
func TestPublicPageShowsRename(t *testing.T) {
	s := newStaff(t)
	page := unitPage(t, s, "direction-europe")
	admintest.WantRedirect(t, operate(t, s, s.Admin, page, "direction-europe", "rename", map[string]string{
		"rename.name.fr": "Direction de l’Europe et de l’Eurasie", "rename.name.en": "Europe and Eurasia Directorate",
	}), "/admin/org-units/direction-europe?saved")
	admintest.WantContains(t, s.Public(t, "/fr/ministere/organigramme"), "Direction de l’Europe et de l’Eurasie")
	admintest.WantContains(t, s.Public(t, "/en/department/organization-chart"), "Europe and Eurasia Directorate")
}

// The administrator's dashboard lists the units whose data are still
// sample data, and the list goes once none is.
func TestDashboardListsSampleUnits(t *testing.T) {
	s := newStaff(t)
	dash := admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/", s.Admin), http.StatusOK)
	admintest.WantContains(t, dash, "Unités de l’organigramme dont les données sont des exemples : 10",
		`<a href="/admin/org-units/direction-europe" lang="fr">Direction de l’Europe</a>`, `<a href="/admin/org-units">Tout l’organigramme</a>`)
	if strings.Contains(dash, `href="/admin/org-units/sous-ministre"`) {
		t.Error("the dashboard lists a unit whose data are not sample data")
	}
	units, err := s.DB.OrgUnits(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range units {
		if !u.Sample {
			continue
		}
		page := unitPage(t, s, u.ID)
		admintest.WantRedirect(t, operate(t, s, s.Admin, page, u.ID, "sample", map[string]string{"sample": ""}), "/admin/org-units/"+u.ID+"?saved")
	}
	dash = admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/", s.Admin), http.StatusOK)
	if strings.Contains(dash, "todo-orgunits-sample") {
		t.Error("the dashboard lists sample units when there are none")
	}
	if dash := admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/", s.Editor), http.StatusOK); strings.Contains(dash, "todo-orgunits-sample") {
		t.Error("the editor's dashboard lists sample units")
	}
}
