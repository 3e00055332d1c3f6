package admin_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"portail/internal/admin/admintest"
	"portail/internal/audit"
	"portail/internal/lang"
	"portail/internal/store/storetest"
)

// An administrator adds a newsroom section with its landing page in both
// languages; it shows in the public menu once the page is published.
func TestAddSectionWithLandingPage(t *testing.T) {
	s := newStaff(t)
	f := url.Values{
		"new.key": {"presse"}, "new.fr.label": {"Salle de presse"}, "new.en.label": {"Newsroom"}, "new.order": {"6"},
		"new.page": {"salle-de-presse"}, "new.fr.title": {"Salle de presse"}, "new.fr.path": {"salle-de-presse"},
		"new.en.title": {"Newsroom"}, "new.en.path": {"newsroom"},
	}
	wantRedirect(t, admintest.Post(s.srv, "/admin/navigation/sections", f, s.admin), "/admin/navigation?saved")
	page := wantStatus(t, admintest.Get(s.srv, "/admin/navigation?saved", s.admin), http.StatusOK)
	wantContains(t, page, "Salle de presse (presse)", `value="Newsroom"`, "La navigation est enregistrée")
	if n, _ := s.db.CountAudit(context.Background(), audit.Filter{Action: audit.NavSectionAdd}); n != 1 {
		t.Fatalf("%d audit entries", n)
	}
	// Not in the menu yet: its landing page is a draft.
	if strings.Contains(s.public(t, "/fr/"), "Salle de presse") {
		t.Fatal("the menu shows a section whose landing page is not public")
	}
	for _, l := range lang.All {
		rv := s.newest(t, "salle-de-presse", l)
		rv.ID, rv.Body = 0, "Les communiqués du Ministère."
		if l == lang.EN {
			rv.Body = "The department's news releases."
		}
		storetest.Publish(t, s.db, rv)
	}
	if err := s.srv.Site.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	wantContains(t, s.public(t, "/fr/ministere/mission"), `<a href="/fr/salle-de-presse">Salle de presse</a>`)
	wantContains(t, s.public(t, "/en/department/mission"), `<a href="/en/newsroom">Newsroom</a>`)
	// The home page shows it among the other sections.
	wantContains(t, s.public(t, "/en/"), `<h3><a href="/en/newsroom">Newsroom</a></h3>`)
}

// A refused section keeps what was typed, says why at each field, and
// adds nothing.
func TestAddSectionRefused(t *testing.T) {
	s := newStaff(t)
	f := url.Values{
		"new.key": {"Presse!"}, "new.fr.label": {"Salle de presse"}, "new.en.label": {""}, "new.order": {"6"},
		"new.page": {"mission"}, "new.fr.title": {"Salle de presse"}, "new.fr.path": {"historique/presse"},
		"new.en.title": {"Newsroom"}, "new.en.path": {"newsroom"},
	}
	body := wantStatus(t, admintest.Post(s.srv, "/admin/navigation/sections", f, s.admin), http.StatusUnprocessableEntity)
	wantContains(t, body, `value="Presse!"`, `id="new.key-error"`, `id="new.en.label-error"`, `id="new.fr.path-error"`, `href="#new.key"`)
	wantSummaryTargets(t, s, s.admin, body)
	// The page key is taken: a conflict, on its field.
	f.Set("new.key", "presse")
	f.Set("new.en.label", "Newsroom")
	f.Set("new.fr.path", "salle-de-presse")
	body = wantStatus(t, admintest.Post(s.srv, "/admin/navigation/sections", f, s.admin), http.StatusConflict)
	wantContains(t, body, `id="new.page-error"`, `value="salle-de-presse"`)
	secs, err := s.db.Sections(context.Background())
	if err != nil || len(secs) != 6 {
		t.Fatalf("%d sections after refusals, %v", len(secs), err)
	}
}

// Labels and order are data: the public menu follows them.
func TestSectionLabelAndOrder(t *testing.T) {
	s := newStaff(t)
	f := url.Values{"sec.offices.fr.label": {"Réseau à l'étranger"}, "sec.offices.en.label": {"Network abroad"}, "sec.offices.order": {"9"}}
	wantRedirect(t, admintest.Post(s.srv, "/admin/navigation/sections/offices", f, s.admin), "/admin/navigation?saved")
	page := s.public(t, "/fr/ministere/mission")
	net, access := strings.Index(page, "Réseau à l&#39;étranger"), strings.Index(page, "Accès à l&#39;information</a>")
	if net < 0 || access < 0 || net < access {
		t.Fatalf("menu order: offices at %d, access at %d", net, access)
	}
	// A bad order is refused on its field, the typed labels kept.
	f.Set("sec.offices.order", "-3")
	body := wantStatus(t, admintest.Post(s.srv, "/admin/navigation/sections/offices", f, s.admin), http.StatusUnprocessableEntity)
	wantContains(t, body, `id="sec.offices.order-error"`, `value="-3"`, `value="Network abroad"`)
	wantSummaryTargets(t, s, s.admin, body)
	f = url.Values{"sec.nowhere.fr.label": {"Nulle part"}, "sec.nowhere.en.label": {"Nowhere"}, "sec.nowhere.order": {"1"}}
	wantStatus(t, admintest.Post(s.srv, "/admin/navigation/sections/nowhere", f, s.admin), http.StatusNotFound)
}

// Footer links are added, refused when their address is not the site's or
// https, and removed.
func TestFooterLinks(t *testing.T) {
	s := newStaff(t)
	bad := url.Values{"foot.new.fr.label": {"Piège"}, "foot.new.fr.url": {"javascript:alert(1)"},
		"foot.new.en.label": {"Trap"}, "foot.new.en.url": {"//evil.example"}, "foot.new.order": {"1"}}
	body := wantStatus(t, admintest.Post(s.srv, "/admin/navigation/footer", bad, s.admin), http.StatusUnprocessableEntity)
	wantContains(t, body, `id="foot.new.fr.url-error"`, `id="foot.new.en.url-error"`, `value="javascript:alert(1)"`)
	wantSummaryTargets(t, s, s.admin, body)

	good := url.Values{"foot.new.fr.label": {"Québec.ca"}, "foot.new.fr.url": {"https://www.quebec.ca"},
		"foot.new.en.label": {"Québec.ca"}, "foot.new.en.url": {"https://www.quebec.ca/en"}, "foot.new.order": {"1"}}
	wantRedirect(t, admintest.Post(s.srv, "/admin/navigation/footer", good, s.admin), "/admin/navigation?saved")
	links, err := s.db.FooterLinks(context.Background())
	if err != nil || len(links) != 1 {
		t.Fatalf("footer %v, %v", links, err)
	}
	wantContains(t, s.public(t, "/en/"), `<a href="https://www.quebec.ca/en">Québec.ca</a>`)

	id := links[0].ID
	del := "/admin/navigation/footer/" + strconv.FormatInt(id, 10) + "/delete"
	wantStatus(t, admintest.Post(s.srv, del, nil, s.editor), http.StatusForbidden)
	wantRedirect(t, admintest.Post(s.srv, del, nil, s.admin), "/admin/navigation?saved")
	wantStatus(t, admintest.Post(s.srv, del, nil, s.admin), http.StatusNotFound)
	if strings.Contains(s.public(t, "/en/"), "quebec.ca/en") {
		t.Fatal("a removed footer link is still shown")
	}
}
