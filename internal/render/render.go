// Package render holds the HTML templates and renders typed page data into a
// buffer, so that a template error never sends half a page.
package render

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"strings"
	"time"

	"portail/internal/assets"
	"portail/internal/i18n"
	"portail/internal/lang"
)

//go:embed templates
var templates embed.FS

// Link is a labelled URL.
type Link struct {
	Label string
	URL   string
	Lang  lang.Lang // set when Label is not in the page's language
}

// NavItem is an entry of the main navigation.
type NavItem struct {
	Link
	Current bool
}

// Alternate is a hreflang alternate of the current page.
type Alternate struct {
	Lang lang.Lang
	URL  string
}

// Page is what every page template receives: embed it in a page's data
// struct. Translation is a method (T) rather than a template function bound
// per request, which would race between concurrent requests.
type Page struct {
	Lang        lang.Lang
	Title       string
	Description string
	Canonical   string      // path of this page; the layout makes it absolute (Abs)
	Twin        *Link       // the page in the other language
	Alternates  []Alternate // paths; the layout makes them absolute (HrefLangs)
	Nav         []NavItem
	Footer      []Link // the footer's links
	Breadcrumbs []Link
	LastUpdate  time.Time
	CSS         string
	Robots      string // e.g. "noindex" for error pages
	Icon        string // URL of the SVG favicon
	Signature   string // URL of the department's logo; "" shows the text wordmark
	Contents    []Link // the page's h2 headings, for the "On this page" list
	Year        int    // of the copyright line

	cat  *i18n.Catalog
	base string
}

// Abs returns path (a path on the site, "/fr/…") as an absolute URL on
// the public base URL: search engines ignore relative canonical and
// hreflang links.
func (p *Page) Abs(path string) string { return p.base + path }

// HrefLangs returns the page's alternates as absolute URLs, plus the
// x-default alternate, which is the French page: French is the
// reference version and the site's default language.
func (p *Page) HrefLangs() []Alternate {
	if len(p.Alternates) == 0 {
		return nil
	}
	out := make([]Alternate, 0, len(p.Alternates)+1)
	var def string
	for _, a := range p.Alternates {
		out = append(out, Alternate{Lang: a.Lang, URL: p.Abs(a.URL)})
		if a.Lang == lang.FR {
			def = p.Abs(a.URL)
		}
	}
	if def != "" {
		out = append(out, Alternate{Lang: "x-default", URL: def})
	}
	return out
}

// T translates key into the page's language.
func (p *Page) T(key string, args ...any) string { return p.cat.T(key, args...) }

// LastUpdateText is the footer's last-update line, empty when unknown.
func (p *Page) LastUpdateText() string {
	if p.LastUpdate.IsZero() {
		return ""
	}
	return p.cat.T("footer.last_update", i18n.DateTime(p.LastUpdate))
}

// Base returns p itself, so that templates reach the shared fields from any
// page data struct that embeds Page.
func (p *Page) Base() *Page { return p }

// Viewer is any page data: a struct embedding Page.
type Viewer interface{ Base() *Page }

// Engine renders named pages.
type Engine struct {
	pages  map[string]*template.Template
	cats   i18n.Catalogs
	assets *assets.Assets
	opts   Options
}

// Options are the engine's site-wide settings.
type Options struct {
	// BaseURL is the public site's scheme and host ("https://www.example.org"),
	// without a trailing slash: the prefix of canonical and hreflang links.
	BaseURL string
	// Signature is the URL of the department's logo shown in the header;
	// empty shows the department's name as a text wordmark.
	Signature string
}

// New parses every template at start: layouts and partials with each page.
func New(a *assets.Assets, cats i18n.Catalogs, o Options) (*Engine, error) {
	funcs := template.FuncMap{
		"datetime": i18n.DateTime,
		"isoTime":  func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
	}
	shared, err := fs.Glob(templates, "templates/layout/*.html")
	if err != nil {
		return nil, err
	}
	pageFiles, err := fs.Glob(templates, "templates/pages/*.html")
	if err != nil {
		return nil, err
	}
	e := &Engine{pages: map[string]*template.Template{}, cats: cats, assets: a, opts: o}
	for _, pf := range pageFiles {
		name := strings.TrimSuffix(strings.TrimPrefix(pf, "templates/pages/"), ".html")
		t, err := template.New(name).Funcs(funcs).ParseFS(templates, append(shared, pf)...)
		if err != nil {
			return nil, fmt.Errorf("render: %s: %w", name, err)
		}
		e.pages[name] = t
	}
	return e, nil
}

// Page returns a Page for language l with the shared fields set.
func (e *Engine) Page(l lang.Lang) Page {
	return Page{Lang: l, CSS: e.assets.URL("site.css"), Icon: e.assets.URL("favicon.svg"),
		Signature: e.opts.Signature, Year: time.Now().In(i18n.Montreal).Year(), cat: e.cats[l], base: e.opts.BaseURL}
}

// Catalog returns the messages of language l.
func (e *Engine) Catalog(l lang.Lang) *i18n.Catalog { return e.cats[l] }

// Render executes page name with data in the public layout and returns
// the HTML.
func (e *Engine) Render(name string, data Viewer) ([]byte, error) {
	return e.RenderIn("layout", name, data)
}

// RenderIn is Render with another layout of templates/layout, such as
// "admin" for the staff side.
func (e *Engine) RenderIn(layout, name string, data Viewer) ([]byte, error) {
	t, ok := e.pages[name]
	if !ok {
		return nil, fmt.Errorf("render: no page %q", name)
	}
	if data.Base().cat == nil {
		return nil, fmt.Errorf("render: %s: page data not made by Engine.Page", name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, layout, data); err != nil {
		return nil, fmt.Errorf("render: %s: %w", name, err)
	}
	return buf.Bytes(), nil
}

// Names lists the page templates, for tests that render every one.
func (e *Engine) Names() []string {
	out := make([]string, 0, len(e.pages))
	for n := range e.pages {
		out = append(out, n)
	}
	return out
}
