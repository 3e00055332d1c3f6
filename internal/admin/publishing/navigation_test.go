package publishing_test

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
	s := admintest.NewStaff(t)
	f := url.Values{
		"new.key": {"presse"}, "new.fr.label": {"Salle de presse"}, "new.en.label": {"Newsroom"}, "new.order": {"6"},
		"new.page": {"salle-de-presse"}, "new.fr.title": {"Salle de presse"}, "new.fr.path": {"salle-de-presse"},
		"new.en.title": {"Newsroom"}, "new.en.path": {"newsroom"},
	}
	admintest.WantRedirect(t, admintest.Post(s.Srv, "/admin/navigation/sections", f, s.Admin), "/admin/navigation?saved")
	page := admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/navigation?saved", s.Admin), http.StatusOK)
	admintest.WantContains(t, page, "Salle de presse (presse)", `value="Newsroom"`, "La navigation est enregistrée")
	if n, _ := s.DB.CountAudit(context.Background(), audit.Filter{Action: audit.NavSectionAdd}); n != 1 {
		t.Fatalf("%d audit entries", n)
	}
	// Not in the menu yet: its landing page is a draft.
	if strings.Contains(s.Public(t, "/fr/"), "Salle de presse") {
		t.Fatal("the menu shows a section whose landing page is not public")
	}
	for _, l := range lang.All {
		rv := s.Newest(t, "salle-de-presse", l)
		rv.ID, rv.Body = 0, "Les communiqués du Ministère."
		if l == lang.EN {
			rv.Body = "The department's news releases."
		}
		storetest.Publish(t, s.DB, rv)
	}
	if err := s.Srv.Site.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	admintest.WantContains(t, s.Public(t, "/fr/ministere/mission"), `<a href="/fr/salle-de-presse">Salle de presse</a>`)
	admintest.WantContains(t, s.Public(t, "/en/department/mission"), `<a href="/en/newsroom">Newsroom</a>`)
	// The home page shows it among the other sections.
	admintest.WantContains(t, s.Public(t, "/en/"), `<h3><a href="/en/newsroom">Newsroom</a></h3>`)
}

// A refused section keeps what was typed, says why at each field, and
// adds nothing.
func TestAddSectionRefused(t *testing.T) {
	s := admintest.NewStaff(t)
	f := url.Values{
		"new.key": {"Presse!"}, "new.fr.label": {"Salle de presse"}, "new.en.label": {""}, "new.order": {"6"},
		"new.page": {"mission"}, "new.fr.title": {"Salle de presse"}, "new.fr.path": {"historique/presse"},
		"new.en.title": {"Newsroom"}, "new.en.path": {"newsroom"},
	}
	body := admintest.WantStatus(t, admintest.Post(s.Srv, "/admin/navigation/sections", f, s.Admin), http.StatusUnprocessableEntity)
	admintest.WantContains(t, body, `value="Presse!"`, `id="new.key-error"`, `id="new.en.label-error"`, `id="new.fr.path-error"`, `href="#new.key"`)
	admintest.WantSummaryTargets(t, s, s.Admin, body)
	// The page key is taken: a conflict, on its field.
	f.Set("new.key", "presse")
	f.Set("new.en.label", "Newsroom")
	f.Set("new.fr.path", "salle-de-presse")
	body = admintest.WantStatus(t, admintest.Post(s.Srv, "/admin/navigation/sections", f, s.Admin), http.StatusConflict)
	admintest.WantContains(t, body, `id="new.page-error"`, `value="salle-de-presse"`)
	secs, err := s.DB.Sections(context.Background())
	if err != nil || len(secs) != 6 {
		t.Fatalf("%d sections after refusals, %v", len(secs), err)
	}
}

// Labels and order are data: the public menu follows them.
func TestSectionLabelAndOrder(t *testing.T) {
	s := admintest.NewStaff(t)
	f := url.Values{"sec.offices.fr.label": {"Réseau à l'étranger"}, "sec.offices.en.label": {"Network abroad"}, "sec.offices.order": {"9"}}
	admintest.WantRedirect(t, admintest.Post(s.Srv, "/admin/navigation/sections/offices", f, s.Admin), "/admin/navigation?saved")
	page := s.Public(t, "/fr/ministere/mission")
	net, access := strings.Index(page, "Réseau à l&#39;étranger"), strings.Index(page, "Accès à l’information</a>")
	if net < 0 || access < 0 || net < access {
		t.Fatalf("menu order: offices at %d, access at %d", net, access)
	}
	// A bad order is refused on its field, the typed labels kept.
	f.Set("sec.offices.order", "-3")
	body := admintest.WantStatus(t, admintest.Post(s.Srv, "/admin/navigation/sections/offices", f, s.Admin), http.StatusUnprocessableEntity)
	admintest.WantContains(t, body, `id="sec.offices.order-error"`, `value="-3"`, `value="Network abroad"`)
	admintest.WantSummaryTargets(t, s, s.Admin, body)
	f = url.Values{"sec.nowhere.fr.label": {"Nulle part"}, "sec.nowhere.en.label": {"Nowhere"}, "sec.nowhere.order": {"1"}}
	admintest.WantStatus(t, admintest.Post(s.Srv, "/admin/navigation/sections/nowhere", f, s.Admin), http.StatusNotFound)
}

// Footer links are added, refused when their address is not the site's or
// https, and removed.
func TestFooterLinks(t *testing.T) {
	s := admintest.NewStaff(t)
	// Start from an empty footer, without the default content's links.
	seeded, err := s.DB.FooterLinks(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range seeded {
		if err := s.DB.DeleteFooterLink(context.Background(), f.ID, audit.Origin{Actor: "test"}); err != nil {
			t.Fatal(err)
		}
	}
	bad := url.Values{"foot.new.fr.label": {"Piège"}, "foot.new.fr.url": {"javascript:alert(1)"},
		"foot.new.en.label": {"Trap"}, "foot.new.en.url": {"//evil.example"}, "foot.new.order": {"1"}}
	body := admintest.WantStatus(t, admintest.Post(s.Srv, "/admin/navigation/footer", bad, s.Admin), http.StatusUnprocessableEntity)
	admintest.WantContains(t, body, `id="foot.new.fr.url-error"`, `id="foot.new.en.url-error"`, `value="javascript:alert(1)"`)
	admintest.WantSummaryTargets(t, s, s.Admin, body)

	good := url.Values{"foot.new.fr.label": {"Québec.ca"}, "foot.new.fr.url": {"https://www.quebec.ca"},
		"foot.new.en.label": {"Québec.ca"}, "foot.new.en.url": {"https://www.quebec.ca/en"}, "foot.new.order": {"1"}}
	admintest.WantRedirect(t, admintest.Post(s.Srv, "/admin/navigation/footer", good, s.Admin), "/admin/navigation?saved")
	links, err := s.DB.FooterLinks(context.Background())
	if err != nil || len(links) != 1 {
		t.Fatalf("footer %v, %v", links, err)
	}
	admintest.WantContains(t, s.Public(t, "/en/"), `<a href="https://www.quebec.ca/en">Québec.ca</a>`)

	id := links[0].ID
	del := "/admin/navigation/footer/" + strconv.FormatInt(id, 10) + "/delete"
	admintest.WantStatus(t, admintest.Post(s.Srv, del, nil, s.Editor), http.StatusForbidden)
	admintest.WantRedirect(t, admintest.Post(s.Srv, del, nil, s.Admin), "/admin/navigation?saved")
	admintest.WantStatus(t, admintest.Post(s.Srv, del, nil, s.Admin), http.StatusNotFound)
	if strings.Contains(s.Public(t, "/en/"), `href="https://www.quebec.ca/en"`) {
		t.Fatal("a removed footer link is still shown")
	}
}
