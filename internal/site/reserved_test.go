package site

import (
	"net/http"
	"reflect"
	"testing"

	"portail/internal/lang"
	"portail/internal/web"
)

// The reserved segments come from the routes themselves: the site's own
// (the change history), and any route that a later feature adds under
// /fr/ or /en/, with or without a method or a trailing wildcard.
func TestReservedFollowsRoutes(t *testing.T) {
	var s Site
	mux := web.NewMux()
	s.Routes(mux)
	got, err := Reserved(mux.Patterns())
	if err != nil {
		t.Fatal(err)
	}
	want := map[lang.Lang][]string{lang.FR: {"historique", "historique/"}, lang.EN: {"history", "history/"}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("site routes reserve %v, want %v", got, want)
	}

	nop := http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})
	mux.Handle("GET /fr/recherche", nop)
	mux.Handle("GET /en/search/{q}", nop)
	mux.Handle("GET /fr/bureaux/{slug}/carte", nop)
	mux.Handle("POST /fr/recherche/avancee", nop)
	mux.Handle("GET /healthz", nop)
	mux.Handle("GET /francais/x", nop) // not under /fr/
	got, err = Reserved(mux.Patterns())
	if err != nil {
		t.Fatal(err)
	}
	// Exactly a path, or the subtree before a wildcard: never the
	// whole first segment, so that "recherche/avancee" leaves
	// "recherche/aide" to pages.
	want = map[lang.Lang][]string{
		lang.FR: {"bureaux/", "historique", "historique/", "recherche", "recherche/avancee"},
		lang.EN: {"history", "history/", "search/"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("with new routes: %v, want %v", got, want)
	}
	// Patterns without a method, or with a host, count too.
	got, err = Reserved([]string{"/en/feeds/", "example.org/fr/flux/{f}"})
	if err != nil {
		t.Fatal(err)
	}
	want = map[lang.Lang][]string{lang.FR: {"flux/"}, lang.EN: {"feeds", "feeds/"}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("without method: %v, want %v", got, want)
	}
}

// A route that takes any first segment would hide pages that no rule can
// foresee: the derivation refuses it, so the server does not start.
func TestReservedRefusesWildcardFirstSegment(t *testing.T) {
	for _, p := range []string{"GET /fr/{slug}/atom.xml", "GET /en/{$}", "/fr/"} {
		if got, err := Reserved([]string{"GET /fr/{path...}", p}); err == nil {
			t.Errorf("%q accepted: %v", p, got)
		}
	}
}

func TestPathReserved(t *testing.T) {
	r, err := Reserved([]string{
		"GET /fr/historique/{path...}", "GET /en/history/{path...}",
		"GET /fr/ministere/organigramme", "GET /en/department/organization-chart",
		"GET /fr/representations/{slug}", "GET /en/offices-abroad/{slug}",
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		l    lang.Lang
		path string
		want bool
	}{
		{lang.FR, "historique", true}, // ServeMux redirects it into the subtree
		{lang.FR, "historique/x", true},
		{lang.FR, "historiques/x", false},
		{lang.FR, "ministere/historique", false},
		{lang.FR, "history/x", false}, // English's, not French's
		{lang.EN, "history/x", true},
		{lang.EN, "", false},
		{lang.FR, "ministere/organigramme", true},
		{lang.FR, "ministere/mission", false}, // the route holds its path, not "ministere"
		{lang.FR, "ministere", false},
		{lang.FR, "ministere/organigramme/x", false},
		{lang.FR, "representations", false}, // the module's own page
		{lang.FR, "representations/paris", true},
		{lang.EN, "offices-abroad/paris/x", true},
		{lang.EN, "department/organization-chart", true},
	} {
		if got := PathReserved(r, tc.l, tc.path); got != tc.want {
			t.Errorf("PathReserved(%s, %q) = %v, want %v", tc.l, tc.path, got, tc.want)
		}
	}
}
