package policies_test

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
	"portail/internal/policy"
	"portail/internal/seed"
	"portail/internal/store"
)

// outline is the structure of the test's document, one line per part,
// with CRLF line breaks as a browser sends a textarea's. Its lines:
// 1 thrust, 2 its text, 3 objective, 4 and 5 measures, 6 blank, 7 thrust,
// 8 objective, 9 measure.
var outline = strings.Join([]string{
	"# prosperite | Rendre le Québec plus prospère | Build a more prosperous Québec",
	"> Le Québec mise sur ses forces. | Québec builds on its strengths.",
	"## mobilite | Favoriser la mobilité | Foster mobility",
	"- recruter-talents | Recruter des talents | Recruit talent",
	"- accueillir-etudiants | Accueillir des étudiants | Welcome students",
	"",
	"# securite | Contribuer à un monde plus sûr | Contribute to a safer world",
	"  ## cybersecurite | Renforcer la cybersécurité | Strengthen cybersecurity",
	"    - centre-expertise | Soutenir un centre d’expertise | Support a centre of expertise",
}, "\r\n")

// outlineLine returns the outline with line n (from 1) replaced by s.
func outlineLine(n int, s string) string {
	ls := strings.Split(outline, "\r\n")
	ls[n-1] = s
	return strings.Join(ls, "\r\n")
}

// docForm is the form of a new document, filled as a browser sends it.
func docForm() url.Values {
	return url.Values{
		"id": {"politique-2025"}, "version": {"0"}, "kind": {"policy"},
		"title.fr": {"Le Québec dans le monde, 2025"}, "title.en": {"Québec in the world, 2025"},
		"summary.fr": {"Une politique renouvelée.\r\nDeuxième paragraphe."}, "summary.en": {"A renewed policy."},
		"launched": {"2025-01-15"}, "from_year": {"2025"}, "to_year": {"2035"},
		"budget.fr": {"120 M$ sur cinq ans"}, "budget.en": {"$120 million over five years"},
		"url":     {"https://www.quebec.ca/politique-internationale"},
		"outline": {outline},
	}
}

// policyForm returns the values that the form of page src posting to
// action sends, as a browser would send them.
func policyForm(t *testing.T, src, action string) url.Values {
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
	admintest.WantRedirect(t, admintest.Post(s.Srv, "/admin/policies/new", f, s.Admin), "/admin/policies/"+f.Get("id")+"?saved")
}

func stored(t *testing.T, s *admintest.Staff, id string) policy.Document {
	t.Helper()
	d, err := s.DB.Policy(context.Background(), id)
	if err != nil {
		t.Fatalf("document %s: %v", id, err)
	}
	return d
}

func count(t *testing.T, s *admintest.Staff) int {
	t.Helper()
	docs, err := s.DB.Policies(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return len(docs)
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

// policyChanges returns the keys of the change feed's policy records
// since the test began.
func policyChanges(t *testing.T, s *admintest.Staff) []string {
	t.Helper()
	since, _ := baselines.Load(s)
	cs, err := s.DB.ChangesSince(context.Background(), since.(int64), 1000)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, c := range cs {
		if c.Topic == change.Policy {
			out = append(out, c.Key)
		}
	}
	return out
}

// An administrator adds a document: every field is stored as typed, the
// outline as thrusts, objectives and measures, with its audit entry and
// change record; the list shows it in force today, and the public page
// shows it at once.
func TestCreatePolicy(t *testing.T) {
	s := newStaff(t)
	list := admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/policies", s.Admin), http.StatusOK)
	admintest.WantContains(t, list, "Aucun document", `href="/admin/policies/new"`)
	form := admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/policies/new", s.Admin), http.StatusOK)
	admintest.WantContains(t, form, `name="id"`, `name="outline"`, `id="outline-hint"`, "Exemple de plan")

	create(t, s, docForm())
	d := stored(t, s, "politique-2025")
	if d.Version != 1 || d.Kind != policy.Policy || d.Title[lang.EN] != "Québec in the world, 2025" ||
		d.Summary[lang.FR] != "Une politique renouvelée.\nDeuxième paragraphe." || d.Launched.String() != "2025-01-15" ||
		d.FromYear != 2025 || d.ToYear != 2035 || d.Budget[lang.FR] != "120 M$ sur cinq ans" ||
		d.URL != "https://www.quebec.ca/politique-internationale" || len(d.Thrusts) != 2 {
		t.Fatalf("stored document: %+v", d)
	}
	t0, t1 := d.Thrusts[0], d.Thrusts[1]
	if t0.ID != "prosperite" || t0.Text[lang.EN] != "Québec builds on its strengths." || len(t0.Objectives) != 1 ||
		len(t0.Objectives[0].Measures) != 2 || t0.Objectives[0].Measures[1].Text[lang.FR] != "Accueillir des étudiants" ||
		t1.Text[lang.FR] != "" || t1.Objectives[0].Measures[0].ID != "centre-expertise" {
		t.Fatalf("stored thrusts: %+v", d.Thrusts)
	}
	if n := auditCount(t, s, audit.PolicySave); n != 1 {
		t.Errorf("%d audit entries policy.save, want 1", n)
	}
	if keys := policyChanges(t, s); len(keys) != 1 || keys[0] != "politique-2025" {
		t.Errorf("policy change records: %v, want [politique-2025]", keys)
	}

	page := admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/policies/politique-2025?saved", s.Admin), http.StatusOK)
	admintest.WantContains(t, page, "Le document est enregistré.", `value="Le Québec dans le monde, 2025"`, `lang="en"`,
		`name="version" value="1"`, `<option value="policy" selected>Politique</option>`,
		// The outline as FormatOutline writes it: no indentation, a
		// blank line between thrusts.
		"&gt; Le Québec mise sur ses forces. | Québec builds on its strengths.\n## mobilite",
		"Welcome students\n\n# securite", "\n## cybersecurite | Renforcer la cybersécurité")
	list = admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/policies", s.Admin), http.StatusOK)
	// 14:00 UTC is 09:00 in Montréal.
	admintest.WantContains(t, list, `<a href="/admin/policies/politique-2025" lang="fr">Le Québec dans le monde, 2025</a>`,
		"<td>Politique</td>", "<td>2025-01-15</td>", ">En vigueur</span>", "Axes : 2 · objectifs : 2 · mesures : 3", "2026-03-02 09:00")

	pub := s.Public(t, "/fr/politique-internationale")
	admintest.WantContains(t, pub, "Le Québec dans le monde, 2025", "Soutenir un centre d’expertise")
}

// The form shows a document as it is stored: posting it back unchanged
// changes nothing but the version; a measure edited in the outline
// reaches the store, and the public page shows it after the save.
func TestEditPolicy(t *testing.T) {
	s := newStaff(t)
	create(t, s, docForm())
	before := stored(t, s, "politique-2025")
	s.Public(t, "/fr/politique-internationale") // cached as it was

	page := admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/policies/politique-2025", s.Admin), http.StatusOK)
	form := policyForm(t, page, "/admin/policies/politique-2025")
	admintest.WantRedirect(t, admintest.Post(s.Srv, "/admin/policies/politique-2025", form, s.Admin), "/admin/policies/politique-2025?saved")
	after := stored(t, s, "politique-2025")
	a, _ := store.EncodePolicyDoc(before)
	b, _ := store.EncodePolicyDoc(after)
	if string(a) != string(b) || after.Version != 2 {
		t.Fatalf("the form posted back unchanged changed the document:\n%s\n%s", a, b)
	}

	page = admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/policies/politique-2025", s.Admin), http.StatusOK)
	form = policyForm(t, page, "/admin/policies/politique-2025")
	form.Set("outline", strings.Replace(form.Get("outline"), "Soutenir un centre d’expertise", "Créer un centre d’expertise en cybersécurité", 1))
	form.Set("to_year", "")
	form.Set("from_year", "")
	admintest.WantRedirect(t, admintest.Post(s.Srv, "/admin/policies/politique-2025", form, s.Admin), "/admin/policies/politique-2025?saved")
	d := stored(t, s, "politique-2025")
	if d.Version != 3 || d.Thrusts[1].Objectives[0].Measures[0].Text[lang.FR] != "Créer un centre d’expertise en cybersécurité" ||
		d.FromYear != 0 || d.ToYear != 0 {
		t.Fatalf("edited document: %+v", d)
	}
	if n := auditCount(t, s, audit.PolicySave); n != 3 {
		t.Errorf("%d audit entries policy.save, want 3", n)
	}
	if keys := policyChanges(t, s); len(keys) != 3 {
		t.Errorf("policy change records: %v, want 3", keys)
	}
	pub := s.Public(t, "/fr/politique-internationale")
	admintest.WantContains(t, pub, "Créer un centre d’expertise en cybersécurité")
	if strings.Contains(pub, "Soutenir un centre d’expertise") {
		t.Error("the public page still shows the measure as it was")
	}
}

// Each kind of bad input gets the form back with a message at its field
// in the staff member's language, what was typed kept, a 4xx status and
// nothing written.
func TestPolicyBadInput(t *testing.T) {
	cases := []struct {
		name         string
		field, value string // the field set to value
		status       int
		message      string
		kept         string // how the page shows the typed value
	}{
		{"date that does not exist", "launched", "2025-02-30", http.StatusUnprocessableEntity,
			"Entrez une date sous la forme AAAA-MM-JJ.", `value="2025-02-30"`},
		{"date in another form", "launched", "15/01/2025", http.StatusUnprocessableEntity,
			"Entrez une date sous la forme AAAA-MM-JJ.", `value="15/01/2025"`},
		{"URL without https", "url", "http://www.quebec.ca/politique", http.StatusUnprocessableEntity,
			"Entrez une adresse https:// complète.", `value="http://www.quebec.ca/politique"`},
		{"URL that is not one", "url", "www.quebec.ca", http.StatusUnprocessableEntity,
			"Entrez une adresse https:// complète.", `value="www.quebec.ca"`},
		{"missing French title", "title.fr", "  ", http.StatusUnprocessableEntity,
			"Ce champ est obligatoire.", `name="title.fr" type="text" value="  "`},
		{"year that is not one", "from_year", "deux mille", http.StatusUnprocessableEntity,
			"Entrez une année à quatre chiffres.", `value="deux mille"`},
		{"end before start", "to_year", "2020", http.StatusUnprocessableEntity,
			"L’année de fin doit suivre l’année de début", `value="2020"`},
		{"no kind", "kind", "", http.StatusUnprocessableEntity,
			"Choisissez « politique » ou « mise à jour ».", `<option value="" selected>`},
		{"outline line without its English text", "outline", outlineLine(4, "- recruter-talents | Recruter des talents"), http.StatusUnprocessableEntity,
			"Ligne 4 : Écrivez l’identifiant, le texte français et le texte anglais, séparés par |", "- recruter-talents | Recruter des talents\r\n- accueillir"},
		{"outline line without a marker", "outline", outlineLine(8, "cybersecurite | Cyber | Cyber"), http.StatusUnprocessableEntity,
			"Ligne 8 : Commencez la ligne par #", "\r\ncybersecurite | Cyber | Cyber\r\n"},
		{"measure before any objective", "outline", outlineLine(3, ""), http.StatusUnprocessableEntity,
			"Ligne 4 : Une mesure (-) vient sous un objectif", "&gt; Le Québec mise sur ses forces."},
		{"ID used twice in the outline", "outline", outlineLine(9, "- recruter-talents | Soutenir un centre | Support a centre"), http.StatusUnprocessableEntity,
			"Ligne 9 : l’identifiant « recruter-talents » est déjà celui de la ligne 4.", "- recruter-talents | Soutenir un centre | Support a centre"},
		{"measure without its French text", "outline", outlineLine(5, "- accueillir-etudiants |  | Welcome students"), http.StatusUnprocessableEntity,
			"Ligne 5, texte français : Ce champ est obligatoire.", "- accueillir-etudiants |  | Welcome students"},
		{"outline ID that is not a slug", "outline", outlineLine(7, "# Sécurité | Contribuer | Contribute"), http.StatusUnprocessableEntity,
			"Ligne 7, identifiant : La clé ne doit contenir que", "# Sécurité | Contribuer | Contribute"},
		{"outline too long", "outline", strings.Repeat("- x | y | z\n", policy.MaxOutline/12+1), http.StatusUnprocessableEntity,
			"Ce texte est trop long.", "- x | y | z\n- x | y | z"},
		{"reserved ID", "id", "new", http.StatusUnprocessableEntity,
			"Cette clé est un mot réservé", `value="new"`},
		{"ID that is not a slug", "id", "Politique 2025", http.StatusUnprocessableEntity,
			"La clé ne doit contenir que des lettres minuscules", `value="Politique 2025"`},
		{"ID of another document", "id", "politique-2017", http.StatusConflict,
			"Cet identifiant est déjà utilisé : choisissez-en un autre.", `value="politique-2017"`},
	}
	s := newStaff(t)
	existing := docForm()
	existing.Set("id", "politique-2017")
	create(t, s, existing)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := docForm()
			f.Set(c.field, c.value)
			body := admintest.WantStatus(t, admintest.Post(s.Srv, "/admin/policies/new", f, s.Admin), c.status)
			admintest.WantContains(t, body, c.message, `id="`+c.field+`-error"`, `href="#`+c.field+`"`, c.kept,
				`value="Québec in the world, 2025"`, "A renewed policy.") // the rest kept too
			admintest.WantSummaryTargets(t, s, s.Admin, body)
			if n := count(t, s); n != 1 {
				t.Fatalf("%d documents after a refused form", n)
			}
		})
	}
	if n := auditCount(t, s, audit.PolicySave); n != 1 {
		t.Errorf("%d audit entries policy.save, want 1", n)
	}
	if keys := policyChanges(t, s); len(keys) != 1 {
		t.Errorf("policy change records: %v, want 1", keys)
	}
}

// The same problems on an existing document's form: 422, its values
// kept, the document unchanged.
func TestPolicyEditBadInput(t *testing.T) {
	s := newStaff(t)
	create(t, s, docForm())
	page := admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/policies/politique-2025", s.Admin), http.StatusOK)
	form := policyForm(t, page, "/admin/policies/politique-2025")
	form.Set("outline", outline+"\r\n## orphelin | sans | axe\r\n### trop | de | dièses")
	form.Set("title.en", "Québec in the world (2025)")
	body := admintest.WantStatus(t, admintest.Post(s.Srv, "/admin/policies/politique-2025", form, s.Admin), http.StatusUnprocessableEntity)
	admintest.WantContains(t, body, "Ligne 11 : Commencez la ligne par #", `id="outline-error"`, `value="Québec in the world (2025)"`,
		"### trop | de | dièses</textarea>")
	if d := stored(t, s, "politique-2025"); d.Version != 1 || d.Title[lang.EN] != "Québec in the world, 2025" {
		t.Fatalf("a refused form changed the document: %+v", d)
	}
	// A form whose hidden version is not one comes back as typed, with
	// the message, ready to be sent again from the stored version.
	form.Set("outline", outline)
	form.Set("version", `"><b>`)
	body = admintest.WantStatus(t, admintest.Post(s.Srv, "/admin/policies/politique-2025", form, s.Admin), http.StatusUnprocessableEntity)
	admintest.WantContains(t, body, "ne dit pas de quelle version", `value="Québec in the world (2025)"`)
	again := policyForm(t, body, "/admin/policies/politique-2025")
	if again.Get("version") != "1" {
		t.Fatalf("the form sent back starts from version %q, want the stored 1", again.Get("version"))
	}
	admintest.WantRedirect(t, admintest.Post(s.Srv, "/admin/policies/politique-2025", again, s.Admin), "/admin/policies/politique-2025?saved")
	if d := stored(t, s, "politique-2025"); d.Version != 2 || d.Title[lang.EN] != "Québec in the world (2025)" {
		t.Fatalf("document after the second save: %+v", d)
	}
}

// An English-speaking administrator reads the outline's problems in
// English, with their line.
func TestPolicyOutlineProblemInEnglish(t *testing.T) {
	s := newStaff(t)
	res := admintest.Post(s.Srv, "/admin/lang", url.Values{"lang": {"en"}, "back": {"/admin/"}}, s.Admin)
	res.Body.Close()
	f := docForm()
	f.Set("outline", outlineLine(5, "- accueillir-etudiants | Accueillir des étudiants |"))
	body := admintest.WantStatus(t, admintest.Post(s.Srv, "/admin/policies/new", f, s.Admin), http.StatusUnprocessableEntity)
	admintest.WantContains(t, body, "Line 5, English text: This field is required.")
	f.Set("outline", outlineLine(2, "> Texte"))
	body = admintest.WantStatus(t, admintest.Post(s.Srv, "/admin/policies/new", f, s.Admin), http.StatusUnprocessableEntity)
	admintest.WantContains(t, body, "Line 2: Write the French text and the English text, separated by |.")
}

// Two administrators edit the same document. The second one's save, from
// the version both started from, gets the form back (409) with what they
// typed, the message that someone else saved, and the other version's
// values; nothing is written. Saving that form again replaces the other
// version, deliberately.
func TestPolicyStaleVersion(t *testing.T) {
	s := newStaff(t)
	create(t, s, docForm())
	page := admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/policies/politique-2025", s.Admin), http.StatusOK)
	first, second := policyForm(t, page, "/admin/policies/politique-2025"), policyForm(t, page, "/admin/policies/politique-2025")

	first.Set("outline", strings.Replace(first.Get("outline"), "Recruit talent", "Recruit talent abroad", 1))
	admintest.WantRedirect(t, admintest.Post(s.Srv, "/admin/policies/politique-2025", first, s.Admin), "/admin/policies/politique-2025?saved")

	second.Set("title.en", "Québec on the world stage, 2025")
	body := admintest.WantStatus(t, admintest.Post(s.Srv, "/admin/policies/politique-2025", second, s.Admin), http.StatusConflict)
	admintest.WantContains(t, body, "Une autre personne a enregistré ce document pendant que vous le modifiiez.",
		`href="#theirs"`, `name="version" value="2"`,
		// What was typed, and their version where it differs.
		`value="Québec on the world stage, 2025"`,
		"Version 2, enregistrée le 2026-03-02 09:00 par Test admin", `<dd lang="en">Québec in the world, 2025</dd>`,
		`<pre class="outline-text">`, "Recruit talent abroad")
	admintest.WantSummaryTargets(t, s, s.Admin, body)
	if d := stored(t, s, "politique-2025"); d.Version != 2 || d.Title[lang.EN] != "Québec in the world, 2025" {
		t.Fatalf("a stale save was written: %+v", d)
	}

	again := policyForm(t, body, "/admin/policies/politique-2025")
	admintest.WantRedirect(t, admintest.Post(s.Srv, "/admin/policies/politique-2025", again, s.Admin), "/admin/policies/politique-2025?saved")
	d := stored(t, s, "politique-2025")
	if d.Version != 3 || d.Title[lang.EN] != "Québec on the world stage, 2025" || d.Thrusts[0].Objectives[0].Measures[0].Text[lang.EN] != "Recruit talent" {
		t.Fatalf("second save: %+v", d)
	}
}

// Two editors post edits from the same version at the same time: exactly
// one is saved, the other is told (409).
func TestPolicyEditorsRace(t *testing.T) {
	s := newStaff(t)
	create(t, s, docForm())
	page := admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/policies/politique-2025", s.Admin), http.StatusOK)
	statuses := make([]int, 2)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range statuses {
		f := policyForm(t, page, "/admin/policies/politique-2025")
		f.Set("budget.fr", "Budget "+string(rune('A'+i)))
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			res := admintest.Post(s.Srv, "/admin/policies/politique-2025", f, s.Admin)
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
	if d := stored(t, s, "politique-2025"); d.Version != 2 {
		t.Fatalf("version %d after the race, want 2", d.Version)
	}
	if n := auditCount(t, s, audit.PolicySave); n != 2 {
		t.Errorf("%d audit entries policy.save, want 2", n)
	}
}

// Deleting asks first (saying that the document is in force), refuses a
// stale version (showing the current one to confirm again), and then
// deletes, with its audit entry and change record; the public page no
// longer shows it.
func TestDeletePolicy(t *testing.T) {
	s := newStaff(t)
	create(t, s, docForm())
	page := admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/policies/politique-2025", s.Admin), http.StatusOK)
	del := policyForm(t, page, "/admin/policies/politique-2025/delete")

	ask := admintest.WantStatus(t, admintest.Post(s.Srv, "/admin/policies/politique-2025/delete", del, s.Admin), http.StatusOK)
	admintest.WantContains(t, ask, "Supprimer « Le Québec dans le monde, 2025 » ?", `name="confirm" value="1"`,
		"Ce document est en vigueur aujourd’hui.", "Axes : 2 · objectifs : 2 · mesures : 3")
	confirm := policyForm(t, ask, "/admin/policies/politique-2025/delete")

	// Someone saves meanwhile.
	edit := policyForm(t, page, "/admin/policies/politique-2025")
	edit.Set("budget.en", "$125 million")
	admintest.WantRedirect(t, admintest.Post(s.Srv, "/admin/policies/politique-2025", edit, s.Admin), "/admin/policies/politique-2025?saved")

	stale := admintest.WantStatus(t, admintest.Post(s.Srv, "/admin/policies/politique-2025/delete", confirm, s.Admin), http.StatusConflict)
	admintest.WantContains(t, stale, "Ce document a changé depuis que vous l’avez ouvert : il n’a pas été supprimé.")
	if d := stored(t, s, "politique-2025"); d.Version != 2 {
		t.Fatalf("document after a stale delete: %+v", d)
	}
	if n := auditCount(t, s, audit.PolicyDelete); n != 0 {
		t.Fatalf("%d audit entries policy.delete after a stale delete", n)
	}

	again := policyForm(t, stale, "/admin/policies/politique-2025/delete")
	if again.Get("version") != "2" {
		t.Fatalf("the confirmation asks about version %q, want 2", again.Get("version"))
	}
	admintest.WantRedirect(t, admintest.Post(s.Srv, "/admin/policies/politique-2025/delete", again, s.Admin), "/admin/policies?deleted")
	if n := count(t, s); n != 0 {
		t.Fatal("the document is still there")
	}
	if n := auditCount(t, s, audit.PolicyDelete); n != 1 {
		t.Errorf("%d audit entries policy.delete, want 1", n)
	}
	if keys := policyChanges(t, s); len(keys) != 3 {
		t.Errorf("policy change records: %v, want 3 (add, edit, delete)", keys)
	}
	list := admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/policies?deleted", s.Admin), http.StatusOK)
	admintest.WantContains(t, list, "Le document est supprimé.", "Aucun document")
	admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/policies/politique-2025", s.Admin), http.StatusNotFound)
	if pub := s.Public(t, "/fr/politique-internationale"); strings.Contains(pub, "Le Québec dans le monde, 2025") {
		t.Error("the public page still shows the deleted document")
	}
	// A deletion without a version is refused before anything is asked.
	create(t, s, docForm())
	admintest.WantStatus(t, admintest.Post(s.Srv, "/admin/policies/politique-2025/delete", url.Values{"confirm": {"1"}}, s.Admin), http.StatusUnprocessableEntity)
	if n := count(t, s); n != 1 {
		t.Fatal("a deletion without a version deleted the document")
	}
}

// Editors and reviewers do not reach the policy's area.
func TestPoliciesAdminOnly(t *testing.T) {
	s := newStaff(t)
	create(t, s, docForm())
	for _, who := range []*http.Cookie{s.Editor, s.Reviewer} {
		admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/policies", who), http.StatusForbidden)
		admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/policies/politique-2025", who), http.StatusForbidden)
		f := docForm()
		f.Set("id", "politique-2026")
		admintest.WantStatus(t, admintest.Post(s.Srv, "/admin/policies/new", f, who), http.StatusForbidden)
		f = docForm()
		f.Set("version", "1")
		f.Set("title.fr", "Changé")
		admintest.WantStatus(t, admintest.Post(s.Srv, "/admin/policies/politique-2025", f, who), http.StatusForbidden)
		admintest.WantStatus(t, admintest.Post(s.Srv, "/admin/policies/politique-2025/delete", url.Values{"version": {"1"}, "confirm": {"1"}}, who), http.StatusForbidden)
	}
	if d := stored(t, s, "politique-2025"); d.Version != 1 || count(t, s) != 1 {
		t.Fatalf("a refused request changed the documents: %+v", d)
	}
	dash := admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/", s.Editor), http.StatusOK)
	if strings.Contains(dash, "/admin/policies") {
		t.Error("the editor's dashboard or navigation links to the policy's area")
	}
}

// The administrator's dashboard says when no policy is in force, and
// when the one in force covers years that are over; otherwise it says
// nothing of the policy.
func TestDashboardPolicies(t *testing.T) {
	s := newStaff(t)
	dash := admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/", s.Admin), http.StatusOK)
	admintest.WantContains(t, dash, "Politique internationale à revoir : 1", "Aucune politique n’est en vigueur aujourd’hui",
		`<a href="/admin/policies">Politique internationale</a>`)

	f := docForm()
	f.Set("to_year", "2025")
	create(t, s, f)
	dash = admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/", s.Admin), http.StatusOK)
	admintest.WantContains(t, dash, "Politique internationale à revoir : 1", `<a href="/admin/policies/politique-2025" lang="fr">`,
		"la période qu’il couvre a pris fin en 2025")

	page := admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/policies/politique-2025", s.Admin), http.StatusOK)
	form := policyForm(t, page, "/admin/policies/politique-2025")
	form.Set("to_year", "2030")
	admintest.WantRedirect(t, admintest.Post(s.Srv, "/admin/policies/politique-2025", form, s.Admin), "/admin/policies/politique-2025?saved")
	dash = admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/", s.Admin), http.StatusOK)
	if strings.Contains(dash, "todo-policies") {
		t.Error("the dashboard warns about a policy in force within its period")
	}
}

// The default documents are shown by the form as they are stored, and
// saved back unchanged: the outline loses nothing of them.
func TestDefaultDocumentsRoundTrip(t *testing.T) {
	s := admintest.NewStaff(t)
	for _, d := range policy.Defaults() {
		before := stored(t, s, d.ID)
		page := admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/policies/"+d.ID, s.Admin), http.StatusOK)
		form := policyForm(t, page, "/admin/policies/"+d.ID)
		admintest.WantRedirect(t, admintest.Post(s.Srv, "/admin/policies/"+d.ID, form, s.Admin), "/admin/policies/"+d.ID+"?saved")
		after := stored(t, s, d.ID)
		a, _ := store.EncodePolicyDoc(before)
		b, _ := store.EncodePolicyDoc(after)
		if string(a) != string(b) || after.Version != before.Version+1 {
			t.Errorf("%s: the form posted back unchanged changed the document:\n%s\n%s", d.ID, a, b)
		}
	}
}

// newStaff returns the staff harness with no policy document: the tests
// build the ones they need. The default documents are removed under the
// store, leaving no audit entry or change record that the tests count.
func newStaff(t *testing.T) *admintest.Staff {
	t.Helper()
	s := admintest.NewStaff(t)
	ctx := context.Background()
	if _, err := s.DB.SQL().ExecContext(ctx, `DELETE FROM policies`); err != nil {
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
// began, so that policyChanges lists the test's own.
var baselines sync.Map
