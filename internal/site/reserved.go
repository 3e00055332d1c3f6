package site

import (
	"fmt"
	"slices"
	"strings"

	"portail/internal/lang"
)

// Reserved returns, per language, the page paths that the routes of
// patterns (a web.Mux's) under /fr/ and /en/ other than the page route
// hold, sorted. A route without a wildcard holds exactly its path
// ("ministere/organigramme"). A route with one holds the subtree before
// it, written with a trailing slash ("representations/" for
// "/fr/representations/{slug}": every path below, not the root, which
// stays a page); a route ending in {x...} or "/" also holds the root,
// which ServeMux redirects into the subtree ("historique" and
// "historique/"). A page at a held path would be hidden, so the staff
// side refuses it. It fails on a route whose first segment under the
// language is a wildcard, since no page path could be kept clear of it.
func Reserved(patterns []string) (map[lang.Lang][]string, error) {
	out := map[lang.Lang][]string{}
	hold := func(l lang.Lang, p string) {
		if !slices.Contains(out[l], p) {
			out[l] = append(out[l], p)
		}
	}
	for _, p := range patterns {
		// A pattern is "[METHOD ][HOST]/PATH".
		if _, rest, ok := strings.Cut(p, " "); ok {
			p = rest
		}
		path := p[max(strings.Index(p, "/"), 0):]
		for _, l := range lang.All {
			prefix := "/" + string(l) + "/"
			if path == pagePaths[l] || !strings.HasPrefix(path, prefix) {
				continue
			}
			rest := strings.TrimSuffix(path[len(prefix):], "{$}")
			held, _, wild := strings.Cut(rest, "{")
			if held == "" {
				return nil, fmt.Errorf("site: route %q takes any first segment under %s: no page path can be kept clear of it", p, prefix)
			}
			switch {
			case !wild && !strings.HasSuffix(held, "/"):
				hold(l, held) // exactly its path
			case strings.HasSuffix(rest, "...}") || !wild:
				hold(l, strings.TrimSuffix(held, "/"))
				hold(l, held)
			default:
				hold(l, held)
			}
		}
	}
	for _, segs := range out {
		slices.Sort(segs)
	}
	return out, nil
}

// PathReserved reports whether path, a page path in language l, is held
// by a route (see Reserved): equal to a held path, or below a held
// subtree.
func PathReserved(reserved map[lang.Lang][]string, l lang.Lang, path string) bool {
	for _, h := range reserved[l] {
		if path == h || strings.HasSuffix(h, "/") && strings.HasPrefix(path, h) {
			return true
		}
	}
	return false
}
