package site

import (
	"net/http"
	"slices"
	"sort"
	"strings"

	"portail/internal/lang"
	"portail/internal/web"
)

// Route is one public route, declared once with its path in each
// language. A path is a ServeMux path with wildcards
// ("/fr/ministere/organigramme", "/en/offices-abroad/{slug}"). Under a
// language, a route holds exactly its path or, when it has a wildcard,
// the subtree before it — never a whole first segment: that is what lets
// a page and a route share "ministere/".
type Route struct {
	// Name identifies the route in tests and logs.
	Name string
	// Paths is the route's path in each language.
	Paths map[lang.Lang]string
	// Handler serves the route in language l.
	Handler func(l lang.Lang) http.Handler
	// URLs lists the paths the route serves now in language l, its
	// wildcards filled: the one list behind the sitemap, the static
	// export and the tests' crawls. Nil for a route without wildcards,
	// which serves its path.
	URLs func(l lang.Lang) []string
}

// RouteURL is one public URL that a route serves.
type RouteURL struct {
	Route   string    // the route's Name
	Pattern string    // the pattern the route is registered with
	Lang    lang.Lang // its language
	Path    string    // the URL's path
}

// pagePath and historyPath are the content page route and the public
// change history, in each language.
var (
	pagePaths    = map[lang.Lang]string{lang.FR: "/fr/{path...}", lang.EN: "/en/{path...}"}
	historyPaths = map[lang.Lang]string{lang.FR: "/fr/historique/{path...}", lang.EN: "/en/history/{path...}"}
)

// table is the public site's bilingual route table: the content pages,
// their change history, the sub-pages of the modules and the published
// files.
func (s *Site) table() []Route {
	rs := []Route{
		{Name: "page", Paths: pagePaths, Handler: s.handlePage, URLs: s.pageURLs},
		{Name: "history", Paths: historyPaths, Handler: s.handleHistory, URLs: s.historyURLs},
	}
	for _, m := range s.moduleList() {
		rs = append(rs, s.moduleRoute(m))
		if r, ok := m.(Router); ok {
			rs = append(rs, r.Routes()...)
		}
	}
	return append(rs, s.files.route())
}

// Routes registers the public site's routes on mux: each route of the
// table in both languages, then the language roots.
func (s *Site) Routes(mux *web.Mux) {
	for _, rt := range s.table() {
		for _, l := range lang.All {
			mux.Handle("GET "+rt.Paths[l], rt.Handler(l))
		}
	}
	for _, l := range lang.All {
		mux.Handle("GET /"+string(l), http.RedirectHandler("/"+string(l)+"/", http.StatusMovedPermanently))
	}
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Vary", "Accept-Language")
		http.Redirect(w, r, URL(lang.Negotiate(r.Header.Get("Accept-Language")), ""), http.StatusFound)
	})
}

// URLs lists every URL that the routes of the table serve now, in both
// languages, sorted by path.
func (s *Site) URLs() []RouteURL {
	var out []RouteURL
	for _, rt := range s.table() {
		for _, l := range lang.All {
			u := RouteURL{Route: rt.Name, Pattern: "GET " + rt.Paths[l], Lang: l}
			if rt.URLs == nil {
				u.Path = rt.Paths[l]
				out = append(out, u)
				continue
			}
			for _, p := range rt.URLs(l) {
				u.Path = p
				out = append(out, u)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

// Patterns lists the patterns that the route table registers.
func (s *Site) Patterns() []string {
	var out []string
	for _, rt := range s.table() {
		for _, l := range lang.All {
			out = append(out, "GET "+rt.Paths[l])
		}
	}
	return out
}

// Paths lists every public page path (both languages), sorted: the URLs
// of the content page route.
func (s *Site) Paths() []string {
	var out []string
	for _, u := range s.URLs() {
		if u.Route == "page" {
			out = append(out, u.Path)
		}
	}
	return out
}

func (s *Site) pageURLs(l lang.Lang) []string {
	idx := s.index()
	out := make([]string, 0, len(idx.byPath[l]))
	for p := range idx.byPath[l] {
		out = append(out, URL(l, p))
	}
	slices.Sort(out)
	return out
}

func (s *Site) historyURLs(l lang.Lang) []string {
	idx := s.index()
	var out []string
	for p, t := range idx.byPath[l] {
		if t.HasContent() {
			out = append(out, HistoryURL(l, p))
		}
	}
	slices.Sort(out)
	return out
}

// fill puts vals in pattern's wildcards, in order.
func fill(pattern string, vals []string) string {
	ps := strings.Split(pattern, "/")
	for i, p := range ps {
		if strings.HasPrefix(p, "{") && len(vals) > 0 {
			ps[i], vals = vals[0], vals[1:]
		}
	}
	return strings.Join(ps, "/")
}
