package servertest

import (
	"fmt"
	"regexp"
	"strings"

	"portail/internal/lang"
	"portail/internal/server"
)

// Target is one URL that reaches a route registered on the server.
type Target struct {
	Pattern string // as registered on the mux
	Method  string // "" when the pattern accepts every method
	Path    string // the pattern's path, wildcards left in
	URL     string // a request path that reaches it
}

// Values fill the wildcards of the routes outside the public route table,
// by wildcard name; Examples give the URLs of a pattern outright.
type Values struct {
	Wildcards map[string]string
	Examples  map[string][]string
}

// DefaultWildcards name things that exist in the default content: the
// first account, the page "mission", French, the office in Paris (where
// the default content has no offices, its staff form answers 404), the
// international policy of 2017.
var DefaultWildcards = map[string]string{"id": "1", "key": "mission", "lang": "fr", "slug": "paris", "doc": "politique-2017"}

var wildcard = regexp.MustCompile(`\{[^}]*\}`)

// Targets is the one enumerator of the server's URLs, behind every crawl
// of the tests (accessibility, HTML validity, XSS, security, roles). For
// each pattern registered on srv's mux, in registration order, it lists
// the URLs that reach it: v.Examples' when given; for the public routes,
// the URLs that the site's route table serves now (every page, every
// module's sub-page); otherwise the pattern's path with its wildcards
// filled from v.Wildcards, then DefaultWildcards. It fails on a pattern
// it cannot reach, so that no route escapes the crawls.
func Targets(srv *server.Server, v Values) ([]Target, error) {
	public := map[string][]string{}
	for _, p := range srv.Site.Patterns() {
		public[p] = nil // a route that serves nothing yet is crawled when it does
	}
	for _, u := range srv.Site.URLs() {
		public[u.Pattern] = append(public[u.Pattern], u.Path)
	}
	examples := map[string][]string{
		// The catch-all answers the bilingual 404 page.
		"GET /": {"/page-inexistante"},
		// The fingerprinted stylesheet.
		"GET /assets/": {srv.Engine.Page(lang.FR).CSS},
	}
	for p, urls := range v.Examples {
		examples[p] = urls
	}
	var out []Target
	var missing []string
	for _, pat := range srv.Mux.Patterns() {
		t := Target{Pattern: pat, Path: pat}
		if m, p, ok := strings.Cut(pat, " "); ok {
			t.Method, t.Path = m, strings.TrimSpace(p)
		}
		urls, ok := examples[pat]
		if !ok {
			urls, ok = public[pat]
		}
		if !ok {
			u, gap := fill(t.Path, v.Wildcards)
			if gap != "" {
				missing = append(missing, pat+" ("+gap+")")
				continue
			}
			urls = []string{u}
		}
		for _, u := range urls {
			t.URL = u
			out = append(out, t)
		}
	}
	if len(missing) > 0 {
		return out, fmt.Errorf("servertest: no value for the wildcards of %s: add one to Values", strings.Join(missing, ", "))
	}
	return out, nil
}

// fill replaces path's wildcards by their values; gap names the first
// wildcard without one.
func fill(path string, values map[string]string) (url, gap string) {
	url = wildcard.ReplaceAllStringFunc(strings.ReplaceAll(path, "{$}", ""), func(w string) string {
		name := strings.TrimSuffix(strings.Trim(w, "{}"), "...")
		if v, ok := values[name]; ok {
			return v
		}
		if v, ok := DefaultWildcards[name]; ok {
			return v
		}
		if gap == "" {
			gap = w
		}
		return ""
	})
	return url, gap
}
