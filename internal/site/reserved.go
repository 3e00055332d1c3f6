package site

import (
	"fmt"
	"slices"
	"strings"

	"portail/internal/lang"
)

// pagePattern is the path of the route that serves content pages in
// language l: every other route under /l/ is matched first, so it hides
// the pages whose path starts with its first segment.
func pagePattern(l lang.Lang) string { return "/" + string(l) + "/{path...}" }

// Reserved returns, per language, the first path segments held by the
// routes of patterns (a web.Mux's) under /fr/ and /en/ other than the page
// route, sorted: a page whose path starts with one of them would be hidden
// by that route, so the staff side refuses such paths. It fails on a
// route whose first segment under the language is a wildcard, since no
// page path could be kept clear of it.
func Reserved(patterns []string) (map[lang.Lang][]string, error) {
	out := map[lang.Lang][]string{}
	for _, p := range patterns {
		// A pattern is "[METHOD ][HOST]/PATH".
		if _, rest, ok := strings.Cut(p, " "); ok {
			p = rest
		}
		path := p[max(strings.Index(p, "/"), 0):]
		for _, l := range lang.All {
			prefix := "/" + string(l) + "/"
			if path == pagePattern(l) || !strings.HasPrefix(path, prefix) {
				continue
			}
			seg, _, _ := strings.Cut(path[len(prefix):], "/")
			if seg == "" || strings.HasPrefix(seg, "{") {
				return nil, fmt.Errorf("site: route %q takes any first segment under %s: no page path can be kept clear of it", p, prefix)
			}
			if !slices.Contains(out[l], seg) {
				out[l] = append(out[l], seg)
			}
		}
	}
	for _, segs := range out {
		slices.Sort(segs)
	}
	return out, nil
}

// PathReserved reports whether path, a page path in language l, starts
// with one of the reserved segments (see Reserved).
func PathReserved(reserved map[lang.Lang][]string, l lang.Lang, path string) bool {
	seg, _, _ := strings.Cut(path, "/")
	return slices.Contains(reserved[l], seg)
}
