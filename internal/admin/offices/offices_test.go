package offices_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"portail/internal/admin/admintest"
	"portail/internal/audit"
	"portail/internal/change"
	"portail/internal/lang"
	"portail/internal/office"
	"portail/internal/seed"
	"portail/internal/store"
)

// parisForm is the form of a new office, filled as a browser sends it
// (textareas with CRLF line breaks).
func parisForm() url.Values {
	return url.Values{
		"slug": {"paris"}, "version": {"0"}, "type": {"general-delegation"},
		"opened": {""}, "closed": {""}, "changes": {""},
		"fr.name": {"Délégation générale du Québec à Paris"}, "en.name": {"Québec Government Office in Paris"},
		"fr.city": {"Paris"}, "en.city": {"Paris"}, "country": {"FR"}, "region": {"europe"},
		"address":  {"66, rue Pergolèse\r\n75116 Paris"},
		"latitude": {"48.8566"}, "longitude": {"2.3522"}, "timezone": {"Europe/Paris"},
		"phone": {"+33 1 99 00 12 34"}, "email": {"paris@example.org"}, "website": {"https://www.example.org/paris"},
		"head_name": {"Nom à confirmer"}, "fr.head_title": {"Délégué général"}, "en.head_title": {"Delegate General"},
		"hours":                  {"mon-fri 09:30-13:00 14:00-17:30"},
		"closures":               {"2026-12-25 holiday Noël | Christmas Day;\r\n2027-01-01 holiday Jour de l’An | New Year’s Day"},
		"covers":                 {"MC"},
		"services.businesses.fr": {"Accompagnement des entreprises québécoises."},
		"services.businesses.en": {"Support for Québec businesses."},
		"sample":                 {"1"},
	}
}

// officeForm returns the values that the office form of page src posts,
// as a browser would send them.
func officeForm(t *testing.T, src, action string) url.Values {
	t.Helper()
	for _, f := range admintest.Forms(src) {
		if f.Action == action && f.Method == "post" {
			return f.Values()
		}
	}
	t.Fatalf("no form posting to %s in\n%s", action, src)
	return nil
}

func create(t *testing.T, s *admintest.Staff, f url.Values) {
	t.Helper()
	admintest.WantRedirect(t, admintest.Post(s.Srv, "/admin/offices/new", f, s.Admin), "/admin/offices/"+f.Get("slug")+"?saved")
}

func stored(t *testing.T, s *admintest.Staff, slug string) office.Office {
	t.Helper()
	o, err := s.DB.Office(context.Background(), slug)
	if err != nil {
		t.Fatalf("office %s: %v", slug, err)
	}
	return o
}

// auditCount counts the audit entries of action a that the test made:
// not the default content's.
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

// officeChanges returns the keys of the change feed's office records.
func officeChanges(t *testing.T, s *admintest.Staff) []string {
	t.Helper()
	since, _ := baselines.Load(s)
	cs, err := s.DB.ChangesSince(context.Background(), since.(int64), 1000)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, c := range cs {
		if c.Topic == change.Office {
			out = append(out, c.Key)
		}
	}
	return out
}

// An administrator adds an office: every field is stored as typed (line
// breaks as "\n"), with its audit entry and change record, and the list
// shows it with its status today and the time of its last update.
func TestCreateOffice(t *testing.T) {
	s := newStaff(t)
	list := admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/offices", s.Admin), http.StatusOK)
	admintest.WantContains(t, list, "Aucune représentation.", `href="/admin/offices/new"`, `href="/admin/offices/import"`,
		`href="/admin/offices/export.json"`, `href="/admin/offices/export.csv"`)

	create(t, s, parisForm())
	o := stored(t, s, "paris")
	if o.Version != 1 || o.Address != "66, rue Pergolèse\n75116 Paris" || len(o.Closures) != 2 || !o.Closures[0].Holiday ||
		o.Closures[1].Reason[lang.EN] != "New Year’s Day" || o.Hours.String() != "mon-fri 09:30-13:00 14:00-17:30" ||
		len(o.Covers) != 1 || o.Covers[0] != "MC" || !o.Sample || o.Head.Title[lang.EN] != "Delegate General" ||
		o.Services[office.Businesses][lang.EN] != "Support for Québec businesses." || o.Services[office.Culture] != nil {
		t.Fatalf("stored office: %+v", o)
	}
	if n := auditCount(t, s, audit.OfficeSave); n != 1 {
		t.Errorf("%d audit entries office.save, want 1", n)
	}
	if keys := officeChanges(t, s); len(keys) != 1 || keys[0] != "paris" {
		t.Errorf("office change records: %v, want [paris]", keys)
	}

	page := admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/offices/paris?saved", s.Admin), http.StatusOK)
	admintest.WantContains(t, page, "La représentation est enregistrée.", `value="Délégation générale du Québec à Paris"`,
		`lang="en"`, "2026-12-25 holiday Noël | Christmas Day;\n2027-01-01", `name="version" value="1"`,
		`<option value="FR" selected>France (FR)</option>`)
	list = admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/offices", s.Admin), http.StatusOK)
	// 14:00 UTC is 09:00 in Montréal.
	admintest.WantContains(t, list, `<a href="/admin/offices/paris" lang="fr">Délégation générale du Québec à Paris</a>`,
		"<td>France</td>", "<td>Délégation générale</td>", "<td>Ouverte</td>", "2026-03-02 09:00", "Données d’exemple")
}

// The form shows an office as it is stored: posting it back unchanged
// changes nothing but the version, and a change reaches the store.
func TestEditOffice(t *testing.T) {
	s := newStaff(t)
	f := parisForm()
	f.Set("changes", "2024-06-01 delegation; 2026-01-01 general-delegation")
	f.Set("type", "bureau")
	f.Set("opened", "1961-10-05")
	f.Set("services.culture.fr", "Diffusion des artistes.")
	create(t, s, f)
	before := stored(t, s, "paris")

	page := admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/offices/paris", s.Admin), http.StatusOK)
	form := officeForm(t, page, "/admin/offices/paris")
	admintest.WantRedirect(t, admintest.Post(s.Srv, "/admin/offices/paris", form, s.Admin), "/admin/offices/paris?saved")
	after := stored(t, s, "paris")
	a, _ := store.EncodeOfficeDoc(before)
	b, _ := store.EncodeOfficeDoc(after)
	if string(a) != string(b) || after.Version != 2 {
		t.Fatalf("the form posted back unchanged changed the office:\n%s\n%s", a, b)
	}

	page = admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/offices/paris", s.Admin), http.StatusOK)
	form = officeForm(t, page, "/admin/offices/paris")
	form.Set("en.name", "Québec Government Office, Paris")
	form.Set("hours", "mon-thu 09:00-17:00; fri 09:00-13:00")
	form.Del("sample")
	admintest.WantRedirect(t, admintest.Post(s.Srv, "/admin/offices/paris", form, s.Admin), "/admin/offices/paris?saved")
	o := stored(t, s, "paris")
	if o.Version != 3 || o.Name[lang.EN] != "Québec Government Office, Paris" || o.Sample ||
		o.Hours.String() != "mon-thu 09:00-17:00; fri 09:00-13:00" || o.TypeOn(office.Date{Year: 2026, Month: 3, Day: 2}) != office.GeneralDelegation {
		t.Fatalf("edited office: %+v", o)
	}
	if n := auditCount(t, s, audit.OfficeSave); n != 3 {
		t.Errorf("%d audit entries office.save, want 3", n)
	}
	if keys := officeChanges(t, s); len(keys) != 3 {
		t.Errorf("office change records: %v, want 3", keys)
	}
}

// Each kind of bad input gets the form back with a message at its field
// in the staff member's language, what was typed kept, a 4xx status and
// nothing written.
func TestOfficeBadInput(t *testing.T) {
	cases := []struct {
		name         string
		field, value string // the field set to value
		status       int
		message      string
		kept         string // how the page shows the typed value
	}{
		{"bad country", "country", "XX", http.StatusUnprocessableEntity,
			"Entrez un code de pays ISO 3166-1 à deux lettres", `<option value="XX" selected>XX</option>`},
		{"unknown zone", "timezone", "Europe/Atlantis", http.StatusUnprocessableEntity,
			"Entrez un fuseau horaire IANA", `value="Europe/Atlantis"`},
		{"latitude out of range", "latitude", "91.5", http.StatusUnprocessableEntity,
			"Entrez une latitude entre -90 et 90.", `value="91.5"`},
		{"malformed hours", "hours", "mon-fri 9h-17h", http.StatusUnprocessableEntity,
			"Écrivez les heures sous la forme", `value="mon-fri 9h-17h"`},
		{"malformed closures", "closures", "2026-12-25 fête Noël | Christmas", http.StatusUnprocessableEntity,
			"Écrivez chaque fermeture sous la forme", "2026-12-25 fête Noël | Christmas</textarea>"},
		{"missing required name", "fr.name", " ", http.StatusUnprocessableEntity,
			"Ce champ est obligatoire.", `value="Québec Government Office in Paris"`},
		{"country served twice", "covers", "MC mc", http.StatusUnprocessableEntity,
			"Chaque pays servi doit être un code ISO 3166-1", `value="MC mc"`},
		{"malformed type change", "changes", "2024-06-01", http.StatusUnprocessableEntity,
			"Écrivez chaque changement sous la forme", `value="2024-06-01"`},
		{"closing before opening", "closed", "1950-01-01", http.StatusUnprocessableEntity,
			"La date de fermeture doit suivre la date d’ouverture.", `value="1950-01-01"`},
		{"reserved slug", "slug", "import", http.StatusUnprocessableEntity,
			"Cette clé est un mot réservé", `value="import"`},
		{"duplicate slug", "slug", "quebec", http.StatusConflict,
			"Cette clé est déjà utilisée par une autre représentation.", `value="quebec"`},
		{"hours text too long", "hours", strings.Repeat("mon 09:00-17:00;", 40), http.StatusUnprocessableEntity,
			"Ce texte est trop long.", `value="mon 09:00-17:00;mon`},
	}
	s := newStaff(t)
	existing := parisForm()
	existing.Set("slug", "quebec")
	create(t, s, existing)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := parisForm()
			f.Set("opened", "1961-10-05")
			f.Set(c.field, c.value)
			body := admintest.WantStatus(t, admintest.Post(s.Srv, "/admin/offices/new", f, s.Admin), c.status)
			admintest.WantContains(t, body, c.message, `id="`+c.field+`-error"`, `href="#`+c.field+`"`, c.kept,
				`value="Paris"`, "Support for Québec businesses.") // the rest kept too
			admintest.WantSummaryTargets(t, s, s.Admin, body)
			offs, err := s.DB.Offices(context.Background())
			if err != nil || len(offs) != 1 {
				t.Fatalf("%d offices after a refused form, %v", len(offs), err)
			}
		})
	}
	if n := auditCount(t, s, audit.OfficeSave); n != 1 {
		t.Errorf("%d audit entries office.save, want 1", n)
	}
}

// The same problems on an existing office's form: 422, its values kept,
// the office unchanged.
func TestOfficeEditBadInput(t *testing.T) {
	s := newStaff(t)
	create(t, s, parisForm())
	page := admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/offices/paris", s.Admin), http.StatusOK)
	form := officeForm(t, page, "/admin/offices/paris")
	form.Set("longitude", "181")
	form.Set("en.city", "Paris (France)")
	body := admintest.WantStatus(t, admintest.Post(s.Srv, "/admin/offices/paris", form, s.Admin), http.StatusUnprocessableEntity)
	admintest.WantContains(t, body, "Entrez une longitude entre -180 et 180.", `id="longitude-error"`, `value="181"`, `value="Paris (France)"`)
	if o := stored(t, s, "paris"); o.Version != 1 || o.City[lang.EN] != "Paris" {
		t.Fatalf("a refused form changed the office: %+v", o)
	}
	// A form whose hidden version is not one comes back as typed, with
	// the message, ready to be sent again from the stored version.
	form.Set("longitude", "2.35")
	form.Set("version", `"><b>`)
	body = admintest.WantStatus(t, admintest.Post(s.Srv, "/admin/offices/paris", form, s.Admin), http.StatusUnprocessableEntity)
	admintest.WantContains(t, body, "ne dit pas de quelle version", `value="Paris (France)"`)
	again := officeForm(t, body, "/admin/offices/paris")
	if again.Get("version") != "1" {
		t.Fatalf("the form sent back starts from version %q, want the stored 1", again.Get("version"))
	}
	admintest.WantRedirect(t, admintest.Post(s.Srv, "/admin/offices/paris", again, s.Admin), "/admin/offices/paris?saved")
}

// Two administrators edit the same office. The second one's save, from
// the version both started from, gets the form back (409) with what they
// typed, the message that someone else saved, and the other version's
// values; nothing is written. Saving that form again replaces the other
// version, deliberately.
func TestOfficeStaleVersion(t *testing.T) {
	s := newStaff(t)
	create(t, s, parisForm())
	page := admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/offices/paris", s.Admin), http.StatusOK)
	first, second := officeForm(t, page, "/admin/offices/paris"), officeForm(t, page, "/admin/offices/paris")

	first.Set("phone", "+33 1 40 67 85 00")
	admintest.WantRedirect(t, admintest.Post(s.Srv, "/admin/offices/paris", first, s.Admin), "/admin/offices/paris?saved")

	second.Set("en.name", "Québec Office in Paris")
	body := admintest.WantStatus(t, admintest.Post(s.Srv, "/admin/offices/paris", second, s.Admin), http.StatusConflict)
	admintest.WantContains(t, body, "Une autre personne a enregistré cette représentation pendant que vous la modifiiez.",
		`href="#theirs"`, `name="version" value="2"`,
		// What was typed, and their version where it differs.
		`value="Québec Office in Paris"`,
		"Version 2, enregistrée le 2026-03-02 09:00 par Test admin", "&#43;33 1 40 67 85 00", `<dd lang="en">Québec Government Office in Paris</dd>`)
	admintest.WantSummaryTargets(t, s, s.Admin, body)
	if o := stored(t, s, "paris"); o.Version != 2 || o.Name[lang.EN] != "Québec Government Office in Paris" {
		t.Fatalf("a stale save was written: %+v", o)
	}

	again := officeForm(t, body, "/admin/offices/paris")
	admintest.WantRedirect(t, admintest.Post(s.Srv, "/admin/offices/paris", again, s.Admin), "/admin/offices/paris?saved")
	if o := stored(t, s, "paris"); o.Version != 3 || o.Name[lang.EN] != "Québec Office in Paris" || o.Phone != "+33 1 99 00 12 34" {
		t.Fatalf("second save: %+v", o)
	}
}

// Two editors post edits from the same version at the same time: exactly
// one is saved, the other is told (409).
func TestOfficeEditorsRace(t *testing.T) {
	s := newStaff(t)
	create(t, s, parisForm())
	page := admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/offices/paris", s.Admin), http.StatusOK)
	statuses := make([]int, 2)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range statuses {
		f := officeForm(t, page, "/admin/offices/paris")
		f.Set("phone", "+33 1 00 00 00 0"+string(rune('0'+i)))
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			res := admintest.Post(s.Srv, "/admin/offices/paris", f, s.Admin)
			res.Body.Close()
			statuses[i] = res.StatusCode
		}()
	}
	close(start)
	wg.Wait()
	saved, refused := 0, 0
	for _, st := range statuses {
		switch st {
		case http.StatusSeeOther:
			saved++
		case http.StatusConflict:
			refused++
		}
	}
	if saved != 1 || refused != 1 {
		t.Fatalf("statuses %v, want one 303 and one 409", statuses)
	}
	if o := stored(t, s, "paris"); o.Version != 2 {
		t.Fatalf("version %d after the race, want 2", o.Version)
	}
}

// Deleting asks first, refuses a stale version (showing the current one
// to confirm again), and then deletes, with its audit entry and change
// record.
func TestDeleteOffice(t *testing.T) {
	s := newStaff(t)
	create(t, s, parisForm())
	page := admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/offices/paris", s.Admin), http.StatusOK)
	del := officeForm(t, page, "/admin/offices/paris/delete")

	ask := admintest.WantStatus(t, admintest.Post(s.Srv, "/admin/offices/paris/delete", del, s.Admin), http.StatusOK)
	admintest.WantContains(t, ask, "Supprimer « Délégation générale du Québec à Paris » ?", `name="confirm" value="1"`)
	confirm := officeForm(t, ask, "/admin/offices/paris/delete")

	// Someone saves meanwhile.
	edit := officeForm(t, page, "/admin/offices/paris")
	edit.Set("phone", "+33 1 40 67 85 00")
	admintest.WantRedirect(t, admintest.Post(s.Srv, "/admin/offices/paris", edit, s.Admin), "/admin/offices/paris?saved")

	stale := admintest.WantStatus(t, admintest.Post(s.Srv, "/admin/offices/paris/delete", confirm, s.Admin), http.StatusConflict)
	admintest.WantContains(t, stale, "Cette représentation a changé depuis que vous l’avez ouverte : elle n’a pas été supprimée.")
	if o := stored(t, s, "paris"); o.Version != 2 {
		t.Fatalf("office after a stale delete: %+v", o)
	}
	if n := auditCount(t, s, audit.OfficeDelete); n != 0 {
		t.Fatalf("%d audit entries office.delete after a stale delete", n)
	}

	again := officeForm(t, stale, "/admin/offices/paris/delete")
	if again.Get("version") != "2" {
		t.Fatalf("the confirmation asks about version %q, want 2", again.Get("version"))
	}
	admintest.WantRedirect(t, admintest.Post(s.Srv, "/admin/offices/paris/delete", again, s.Admin), "/admin/offices?deleted")
	if _, err := s.DB.Office(context.Background(), "paris"); err == nil {
		t.Fatal("the office is still there")
	}
	if n := auditCount(t, s, audit.OfficeDelete); n != 1 {
		t.Errorf("%d audit entries office.delete, want 1", n)
	}
	if keys := officeChanges(t, s); len(keys) != 3 {
		t.Errorf("office change records: %v, want 3 (add, edit, delete)", keys)
	}
	list := admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/offices?deleted", s.Admin), http.StatusOK)
	admintest.WantContains(t, list, "La représentation est supprimée.", "Aucune représentation.")
	admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/offices/paris", s.Admin), http.StatusNotFound)
}

// Editors and reviewers do not reach the offices area.
func TestOfficesAdminOnly(t *testing.T) {
	s := newStaff(t)
	for _, who := range []*http.Cookie{s.Editor, s.Reviewer} {
		admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/offices", who), http.StatusForbidden)
		admintest.WantStatus(t, admintest.Post(s.Srv, "/admin/offices/new", parisForm(), who), http.StatusForbidden)
		admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/offices/export.json", who), http.StatusForbidden)
	}
	if offs, _ := s.DB.Offices(context.Background()); len(offs) != 0 {
		t.Fatal("a refused request added an office")
	}
	dash := admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/", s.Editor), http.StatusOK)
	if strings.Contains(dash, "/admin/offices") {
		t.Error("the editor's dashboard or navigation links to the offices area")
	}
}

// The administrator's dashboard lists the offices that still show sample
// data.
func TestDashboardListsSampleOffices(t *testing.T) {
	s := newStaff(t)
	create(t, s, parisForm())
	f := parisForm()
	f.Set("slug", "quebec")
	f.Del("sample")
	create(t, s, f)
	dash := admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/", s.Admin), http.StatusOK)
	admintest.WantContains(t, dash, "Représentations dont les coordonnées sont des données d’exemple : 1",
		`<a href="/admin/offices/paris" lang="fr">`, `<a href="/admin/offices">Représentations</a>`)
	if strings.Contains(dash, `href="/admin/offices/quebec"`) {
		t.Error("the dashboard lists an office that shows no sample data")
	}
	// Once no office shows sample data, the list goes.
	page := admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/offices/paris", s.Admin), http.StatusOK)
	form := officeForm(t, page, "/admin/offices/paris")
	form.Del("sample")
	admintest.WantRedirect(t, admintest.Post(s.Srv, "/admin/offices/paris", form, s.Admin), "/admin/offices/paris?saved")
	dash = admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/", s.Admin), http.StatusOK)
	if strings.Contains(dash, "todo-offices-sample") {
		t.Error("the dashboard lists sample offices when there are none")
	}
}

// newStaff returns the staff harness with an empty directory: the tests
// build the offices they need. The default network is removed under the
// store, leaving no audit entry or change record that the tests count.
func newStaff(t *testing.T) *admintest.Staff {
	t.Helper()
	s := admintest.NewStaff(t)
	ctx := context.Background()
	if _, err := s.DB.SQL().ExecContext(ctx, `DELETE FROM offices`); err != nil {
		t.Fatal(err)
	}
	last, err := s.DB.LastChange(ctx)
	if err != nil {
		t.Fatal(err)
	}
	baselines.Store(s, last.Seq)
	return s
}

// baselines holds, per harness, the last change record before the test
// began, so that officeChanges lists the test's own.
var baselines sync.Map
