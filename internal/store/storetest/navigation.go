package storetest

import (
	"fmt"
	"testing"

	"portail/internal/apperr"
	"portail/internal/audit"
	"portail/internal/change"
	"portail/internal/content"
	"portail/internal/lang"
	"portail/internal/store"
)

func navigationTests() []Test {
	return []Test{
		{"SectionsStartWithTheDefaultNavigation", testDefaultSections},
		{"SaveSectionChangesLabelsAndOrder", testSaveSection},
		{"SaveSectionErrors", testSaveSectionErrors},
		{"AddSectionWithItsLandingPage", testAddSection},
		{"AddSectionIsAllOrNothing", testAddSectionAtomic},
		{"AddSectionIsBounded", testAddSectionBounded},
		{"CreatePageNeedsAnExistingSection", testCreatePageSection},
		{"FooterLinksAddChangeDelete", testFooterLinks},
		{"FooterLinkErrors", testFooterLinkErrors},
	}
}

var admin = audit.Origin{Actor: "admin@example.org", IP: "192.0.2.1"}

func bi(fr, en string) map[lang.Lang]string { return map[lang.Lang]string{lang.FR: fr, lang.EN: en} }

func wantProblem(t *testing.T, err error, k apperr.Kind, field string) {
	t.Helper()
	wantKind(t, err, k)
	if apperr.ProblemsOf(err)[field] == "" {
		t.Fatalf("error %v has problems %v, want one on %q", err, apperr.ProblemsOf(err), field)
	}
}

func auditCount(t *testing.T, s store.Store, a audit.Action) int {
	t.Helper()
	n, err := s.CountAudit(ctx, audit.Filter{Action: a})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// A new database keeps the six sections that the code used to hold.
func testDefaultSections(t *testing.T, s store.Store, _ *Clock) {
	secs, err := s.Sections(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var keys []content.Section
	for _, sec := range secs {
		keys = append(keys, sec.Key)
	}
	want := []content.Section{content.SectionHome, content.SectionDepartment, content.SectionOffices, content.SectionPolicy, content.SectionServices, content.SectionAccess}
	if fmt.Sprint(keys) != fmt.Sprint(want) {
		t.Fatalf("sections %v, want %v", keys, want)
	}
	if secs[2].Label[lang.FR] != "Représentations à l’étranger" || secs[2].Label[lang.EN] != "Offices abroad" {
		t.Fatalf("labels %v", secs[2].Label)
	}
}

// wantNavChange checks that the feed moved by one navigation record.
func wantNavChange(t *testing.T, s store.Store, before change.Change, key string) {
	t.Helper()
	c := lastChange(t, s)
	if c.Seq <= before.Seq || c.Topic != change.Nav || c.Key != key {
		t.Fatalf("newest change %+v after %+v, want a nav change of %q", c, before, key)
	}
	if more, err := s.ChangesSince(ctx, before.Seq, 10); err != nil || len(more) != 1 {
		t.Fatalf("%d changes, want 1: %v", len(more), err)
	}
}

func testSaveSection(t *testing.T, s store.Store, _ *Clock) {
	mustPage(t, s, "a", content.SectionAccess, 0)
	mustPage(t, s, "d", content.SectionDepartment, 0)
	before := lastChange(t, s)
	err := s.SaveSection(ctx, content.NavSection{Key: content.SectionAccess, Order: 0, Label: bi("Accès", "Access")}, admin)
	if err != nil {
		t.Fatal(err)
	}
	wantNavChange(t, s, before, "access")
	secs, err := s.Sections(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Order ties are broken by key: access (0) before home (0).
	if secs[0].Key != content.SectionAccess || secs[0].Label[lang.EN] != "Access" {
		t.Fatalf("first section %+v", secs[0])
	}
	// Pages follow their sections' order.
	pages, err := s.ListPages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if pages[0].Key != "a" || pages[1].Key != "d" {
		t.Fatalf("pages in order %v", pages)
	}
	if n := auditCount(t, s, audit.NavSectionEdit); n != 1 {
		t.Fatalf("%d audit entries, want 1", n)
	}
}

func testSaveSectionErrors(t *testing.T, s store.Store, _ *Clock) {
	before := lastChange(t, s)
	defer func() {
		if c := lastChange(t, s); c != before {
			t.Errorf("refused changes moved the feed to %+v", c)
		}
	}()
	wantKind(t, s.SaveSection(ctx, content.NavSection{Key: "nowhere", Label: bi("X", "X")}, admin), apperr.NotFound)
	wantProblem(t, s.SaveSection(ctx, content.NavSection{Key: content.SectionAccess, Label: bi("", "X")}, admin), apperr.Invalid, "fr.label")
	wantProblem(t, s.SaveSection(ctx, content.NavSection{Key: content.SectionAccess, Order: -1, Label: bi("X", "X")}, admin), apperr.Invalid, "order")
	if n := auditCount(t, s, audit.NavSectionEdit); n != 0 {
		t.Fatalf("%d audit entries for refused changes", n)
	}
}

func newSection(key, page string) content.NewSection {
	return content.NewSection{
		Section: content.NavSection{Key: content.Section(key), Order: 6, Label: bi("Salle de presse", "Newsroom")},
		Landing: content.Page{Key: page, Section: content.Section(key)},
		Drafts: []content.Revision{
			{PageKey: page, Lang: lang.FR, Path: "salle-de-presse", Title: "Salle de presse", State: content.Draft, Author: admin.Actor},
			{PageKey: page, Lang: lang.EN, Path: "newsroom", Title: "Newsroom", State: content.Draft, Author: admin.Actor},
		},
	}
}

func testAddSection(t *testing.T, s store.Store, _ *Clock) {
	before := lastChange(t, s)
	if err := s.AddSection(ctx, newSection("news", "newsroom"), admin); err != nil {
		t.Fatal(err)
	}
	wantNavChange(t, s, before, "news")
	p, err := s.Page(ctx, "newsroom")
	if err != nil || p.Section != "news" {
		t.Fatalf("landing page %+v, %v", p, err)
	}
	for _, l := range lang.All {
		revs, err := s.Revisions(ctx, "newsroom", l)
		if err != nil || len(revs) != 1 || revs[0].State != content.Draft {
			t.Fatalf("%s drafts %+v, %v", l, revs, err)
		}
	}
	secs, _ := s.Sections(ctx)
	if last := secs[len(secs)-1]; last.Key != "news" || last.Label[lang.EN] != "Newsroom" {
		t.Fatalf("last section %+v", last)
	}
	if n := auditCount(t, s, audit.NavSectionAdd); n != 1 {
		t.Fatalf("%d audit entries, want 1", n)
	}
	wantProblem(t, s.AddSection(ctx, newSection("news", "other"), admin), apperr.Conflict, "key")
}

// A refused part leaves nothing behind: no section, no page, no draft.
func testAddSectionAtomic(t *testing.T, s store.Store, _ *Clock) {
	mustPage(t, s, "mission", content.SectionDepartment, 0)
	mustPublish(t, s, mustSave(t, s, rev("mission", lang.EN, "newsroom", "Mission")).ID)
	before := lastChange(t, s)
	wantProblem(t, s.AddSection(ctx, newSection("news", "newsroom"), admin), apperr.Conflict, "en.path")
	wantProblem(t, s.AddSection(ctx, newSection("news", "mission"), admin), apperr.Conflict, "page")
	n := newSection("news", "newsroom")
	n.Drafts[1].Title = ""
	wantProblem(t, s.AddSection(ctx, n, admin), apperr.Invalid, "en.title")
	wantKind(t, func() error { _, err := s.Page(ctx, "newsroom"); return err }(), apperr.NotFound)
	secs, _ := s.Sections(ctx)
	if len(secs) != 6 {
		t.Fatalf("%d sections after refusals, want 6", len(secs))
	}
	if n := auditCount(t, s, audit.NavSectionAdd); n != 0 {
		t.Fatalf("%d audit entries for refused additions", n)
	}
	if c := lastChange(t, s); c != before {
		t.Fatalf("refused additions moved the feed to %+v", c)
	}
}

func testAddSectionBounded(t *testing.T, s store.Store, _ *Clock) {
	for i := 6; i < content.MaxSections; i++ {
		n := newSection(fmt.Sprintf("s%d", i), fmt.Sprintf("p%d", i))
		for j := range n.Drafts {
			n.Drafts[j].Path += fmt.Sprint(i)
		}
		if err := s.AddSection(ctx, n, admin); err != nil {
			t.Fatal(err)
		}
	}
	wantProblem(t, s.AddSection(ctx, newSection("one-too-many", "p"), admin), apperr.Invalid, "section")
}

func testCreatePageSection(t *testing.T, s store.Store, _ *Clock) {
	wantProblem(t, s.CreatePage(ctx, content.Page{Key: "x", Section: "nowhere"}), apperr.Invalid, "section")
	if err := s.AddSection(ctx, newSection("news", "newsroom"), admin); err != nil {
		t.Fatal(err)
	}
	mustPage(t, s, "x", "news", 1)
}

func testFooterLinks(t *testing.T, s store.Store, _ *Clock) {
	links, err := s.FooterLinks(ctx)
	if err != nil || len(links) != 0 {
		t.Fatalf("footer %v, %v", links, err)
	}
	before := lastChange(t, s)
	a, err := s.SaveFooterLink(ctx, content.FooterLink{Order: 2, Label: bi("Québec.ca", "Québec.ca"), URL: bi("https://www.quebec.ca", "https://www.quebec.ca/en")}, admin)
	if err != nil || a.ID == 0 {
		t.Fatalf("add: %+v, %v", a, err)
	}
	wantNavChange(t, s, before, "footer")
	b, err := s.SaveFooterLink(ctx, content.FooterLink{Order: 1, Label: bi("Accès à l'information", "Access to information"), URL: bi("/fr/acces-information", "/en/access-to-information")}, admin)
	if err != nil {
		t.Fatal(err)
	}
	links, _ = s.FooterLinks(ctx)
	if len(links) != 2 || links[0].ID != b.ID || links[1].URL[lang.EN] != "https://www.quebec.ca/en" {
		t.Fatalf("footer %+v", links)
	}
	a.Label[lang.EN] = "Quebec.ca"
	a.Order = 0
	if _, err := s.SaveFooterLink(ctx, a, admin); err != nil {
		t.Fatal(err)
	}
	links, _ = s.FooterLinks(ctx)
	if links[0].ID != a.ID || links[0].Label[lang.EN] != "Quebec.ca" {
		t.Fatalf("after change %+v", links)
	}
	before = lastChange(t, s)
	if err := s.DeleteFooterLink(ctx, b.ID, admin); err != nil {
		t.Fatal(err)
	}
	wantNavChange(t, s, before, "footer")
	links, _ = s.FooterLinks(ctx)
	if len(links) != 1 {
		t.Fatalf("after delete %+v", links)
	}
	if n := auditCount(t, s, audit.NavFooterEdit) + auditCount(t, s, audit.NavFooterDel); n != 4 {
		t.Fatalf("%d audit entries, want 4", n)
	}
}

func testFooterLinkErrors(t *testing.T, s store.Store, _ *Clock) {
	ok := content.FooterLink{Label: bi("A", "A"), URL: bi("/fr/", "/en/")}
	for _, tc := range []struct {
		name, field string
		edit        func(*content.FooterLink)
	}{
		{"javascript", "fr.url", func(f *content.FooterLink) { f.URL[lang.FR] = "javascript:alert(1)" }},
		{"protocol-relative", "en.url", func(f *content.FooterLink) { f.URL[lang.EN] = "//evil.example" }},
		{"plain http", "en.url", func(f *content.FooterLink) { f.URL[lang.EN] = "http://example.org" }},
		{"relative", "fr.url", func(f *content.FooterLink) { f.URL[lang.FR] = "fr/x" }},
		{"no label", "en.label", func(f *content.FooterLink) { f.Label[lang.EN] = " " }},
	} {
		f := ok
		f.Label, f.URL = bi(ok.Label[lang.FR], ok.Label[lang.EN]), bi(ok.URL[lang.FR], ok.URL[lang.EN])
		tc.edit(&f)
		_, err := s.SaveFooterLink(ctx, f, admin)
		if !errorsIsProblem(err, apperr.Invalid, tc.field) {
			t.Errorf("%s: %v, want Invalid on %s", tc.name, err, tc.field)
		}
	}
	_, err := s.SaveFooterLink(ctx, content.FooterLink{ID: 999, Label: bi("A", "A"), URL: bi("/fr/", "/en/")}, admin)
	wantKind(t, err, apperr.NotFound)
	wantKind(t, s.DeleteFooterLink(ctx, 999, admin), apperr.NotFound)
	for i := 0; i < content.MaxFooter; i++ {
		if _, err := s.SaveFooterLink(ctx, ok, admin); err != nil {
			t.Fatal(err)
		}
	}
	_, err = s.SaveFooterLink(ctx, ok, admin)
	wantProblem(t, err, apperr.Invalid, "footer")
}

func errorsIsProblem(err error, k apperr.Kind, field string) bool {
	return err != nil && apperr.KindOf(err) == k && apperr.ProblemsOf(err)[field] != ""
}
