// Package securitytest holds what the security tests of every package
// share: a corpus of cross-site scripting and SQL injection payloads, and
// FindUnsafe, which names the first thing in an HTML document that a browser
// could execute. It is a normal package so that any package's tests can
// import it; the program itself never does.
package securitytest

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// AssetPrefix is where the program serves its own static files; a script or
// stylesheet loaded from there is ours, anything else is injected.
const AssetPrefix = "/assets/"

// FindUnsafe parses h as a browser would (HTML5 tree construction, with
// SVG and MathML foreign content and scripting enabled) and describes the
// first thing in it that could run script, load a page or style from
// elsewhere, or redirect the visitor; it returns "" when there is none.
//
// Allowed: <script src> and <link rel=stylesheet> under AssetPrefix, data
// blocks (<script type=application/ld+json>), and raster images in data:
// URLs (the CSP allows img-src data:).
func FindUnsafe(h string) string {
	doc, err := html.Parse(strings.NewReader(h))
	if err != nil {
		return "unparsable HTML: " + err.Error()
	}
	return walk(doc)
}

func walk(n *html.Node) string {
	if n.Type == html.ElementNode {
		if s := unsafeElement(n); s != "" {
			return s
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if s := walk(c); s != "" {
			return s
		}
	}
	return ""
}

// dangerousElements run code or load another document whatever their attributes.
var dangerousElements = map[string]bool{
	"iframe": true, "frame": true, "frameset": true, "object": true, "embed": true,
	"applet": true, "base": true, "portal": true, "fencedframe": true, "style": true,
}

// urlAttrs are attributes whose value a browser follows or loads as a URL.
var urlAttrs = map[string]bool{
	"href": true, "src": true, "action": true, "formaction": true, "data": true,
	"poster": true, "background": true, "cite": true, "longdesc": true, "lowsrc": true,
	"dynsrc": true, "codebase": true, "ping": true, "manifest": true, "icon": true,
}

func unsafeElement(n *html.Node) string {
	name := n.Data
	where := "<" + name + ">"
	if n.Namespace != "" {
		where = "<" + n.Namespace + " " + name + ">"
	}
	if dangerousElements[name] {
		return "element " + where
	}
	switch name {
	case "script":
		if s := unsafeScript(n); s != "" {
			return s + " " + where
		}
	case "link":
		rel := strings.ToLower(attr(n, "rel"))
		for _, r := range strings.Fields(rel) {
			if (r == "stylesheet" || r == "import" || r == "modulepreload") && !strings.HasPrefix(attr(n, "href"), AssetPrefix) {
				return "foreign " + r + " " + attr(n, "href") + " in " + where
			}
		}
	case "meta":
		switch strings.ToLower(strings.TrimSpace(attr(n, "http-equiv"))) {
		case "refresh", "set-cookie":
			return "http-equiv " + attr(n, "http-equiv") + " in " + where
		}
	case "animate", "set", "animatemotion", "animatetransform":
		// SVG animation can rewrite an attribute (href, an event handler)
		// after the sanitiser has looked at it.
		target := strings.ToLower(attr(n, "attributename"))
		if strings.HasSuffix(target, "href") || strings.HasPrefix(target, "on") {
			return "animation of " + target + " in " + where
		}
		for _, k := range []string{"to", "from", "values", "by"} {
			if strings.Contains(normURL(attr(n, k)), "javascript:") {
				return "javascript: value in " + k + " of " + where
			}
		}
	}
	for _, a := range n.Attr {
		key := strings.ToLower(a.Key)
		switch {
		case strings.HasPrefix(key, "on"):
			return "event handler " + key + " on " + where
		case key == "srcdoc":
			return "srcdoc on " + where
		case key == "style":
			// Our CSP refuses inline style, so any is a bug, and an injected
			// one can hide or restyle content or exfiltrate through url().
			return "style attribute on " + where
		case urlAttrs[key]:
			if s := unsafeURL(a.Val); s != "" {
				return s + " in " + key + " of " + where
			}
		}
	}
	return ""
}

// unsafeScript allows only our own external scripts and inert data blocks.
func unsafeScript(n *html.Node) string {
	if typ := strings.ToLower(strings.TrimSpace(attr(n, "type"))); typ == "application/ld+json" || typ == "application/json" {
		return ""
	}
	if n.Namespace != "" {
		return "script"
	}
	if hasText(n) {
		return "inline script"
	}
	src := attr(n, "src")
	if src == "" || !strings.HasPrefix(src, AssetPrefix) || strings.HasPrefix(src, "//") {
		return "foreign script " + src
	}
	return ""
}

func hasText(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.TextNode || strings.TrimSpace(c.Data) != "" {
			return true
		}
	}
	return false
}

// attr returns the value of n's attribute key, whatever its namespace
// (xlink:href counts as href).
func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if strings.EqualFold(a.Key, key) {
			return a.Val
		}
	}
	return ""
}

// normURL does what a browser's URL parser does before it reads the scheme:
// drop tabs and newlines anywhere, trim C0 controls and spaces at both ends.
func normURL(v string) string {
	v = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, v)
	v = strings.TrimFunc(v, func(r rune) bool { return r <= ' ' })
	return strings.ToLower(v)
}

// unsafeURL names a URL that runs script or carries a document.
func unsafeURL(v string) string {
	u := normURL(v)
	for _, scheme := range []string{"javascript:", "vbscript:", "livescript:"} {
		if strings.HasPrefix(u, scheme) {
			return scheme + " URL"
		}
	}
	if strings.HasPrefix(u, "data:") {
		for _, ok := range []string{"data:image/png", "data:image/gif", "data:image/jpeg", "data:image/webp", "data:image/avif"} {
			if strings.HasPrefix(u, ok+";") || strings.HasPrefix(u, ok+",") {
				return ""
			}
		}
		return "data: URL"
	}
	return ""
}

// Elements returns the names of the elements in h, in document order, so
// that a test can check that a fragment holds only what it should.
func Elements(h string) []string {
	var out []string
	doc, err := html.ParseFragment(strings.NewReader(h), &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div})
	if err != nil {
		return nil
	}
	var rec func(*html.Node)
	rec = func(n *html.Node) {
		if n.Type == html.ElementNode {
			out = append(out, n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			rec(c)
		}
	}
	for _, n := range doc {
		rec(n)
	}
	return out
}
