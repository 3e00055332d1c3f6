// Package site serves the public bilingual site: content pages, the
// French-only notice, language twins, and the rendered-page cache.
package site

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"

	"portail/internal/apperr"
	"portail/internal/cache"
	"portail/internal/content"
	"portail/internal/lang"
	"portail/internal/markdown"
	"portail/internal/render"
	"portail/internal/web"
)

// Site is the public site's handler set.
type Site struct {
	store  Store
	engine *render.Engine
	md     *markdown.Renderer
	errs   *web.Errors
	log    *slog.Logger
	cache  *cache.Cache
	feed   feed // where this instance stands in the change feed (follow.go)

	modules map[string]Module // by the key of the page each backs
	files   *Files

	mu  sync.RWMutex
	idx *index
}

// New loads the published pages and returns the site, with modules
// backing some of its pages; now is the clock by which the parts of
// modules expire (nil for time.Now). Follow keeps it up to date with the store's
// change feed.
func New(ctx context.Context, s Store, engine *render.Engine, md *markdown.Renderer, errs *web.Errors, log *slog.Logger, now func() time.Time, modules ...Module) (*Site, error) {
	site := &Site{store: s, engine: engine, md: md, errs: errs, log: log, cache: cache.New(now), feed: newFeed(),
		modules: map[string]Module{}, files: &Files{store: s, errs: errs}}
	for _, m := range modules {
		if _, dup := site.modules[m.PageKey()]; dup {
			return nil, fmt.Errorf("site: two modules back page %q", m.PageKey())
		}
		site.modules[m.PageKey()] = m
	}
	if err := site.refresh(ctx); err != nil {
		return nil, err
	}
	return site, nil
}

// keep caches e unless a publish replaced idx while e was being rendered.
func (s *Site) keep(key string, e *cache.Entry, idx *index) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.idx == idx {
		s.cache.Put(key, e)
	}
}

func (s *Site) index() *index {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.idx
}

// URL returns the public URL of path in language l.
func URL(l lang.Lang, path string) string {
	if path == "" {
		return "/" + string(l) + "/"
	}
	return "/" + string(l) + "/" + path
}

// index is the in-memory view of the published site, rebuilt when the
// change feed moves.
type index struct {
	// seq is the newest change of the store's feed that the index
	// reflects, and modified its time: the Last-Modified of every page,
	// taken from the data, so the same on every instance and after a
	// restart.
	seq      int64
	modified time.Time
	sections []content.NavSection // in menu order
	footer   []content.FooterLink
	byPath   map[lang.Lang]map[string]*content.Translation
	byKey    map[string]map[lang.Lang]*content.Translation
}

func newIndex(ts []content.Translation, seq int64, modified time.Time) *index {
	idx := &index{
		seq:      seq,
		modified: modified,
		byPath:   map[lang.Lang]map[string]*content.Translation{},
		byKey:    map[string]map[lang.Lang]*content.Translation{},
	}
	for _, l := range lang.All {
		idx.byPath[l] = map[string]*content.Translation{}
	}
	for i := range ts {
		t := &ts[i]
		// A French translation exists only once it has content: French
		// is the reference, and is never "reserved".
		if t.Lang == lang.FR && !t.HasContent() {
			continue
		}
		idx.byPath[t.Lang][t.Path] = t
		if idx.byKey[t.PageKey] == nil {
			idx.byKey[t.PageKey] = map[lang.Lang]*content.Translation{}
		}
		idx.byKey[t.PageKey][t.Lang] = t
	}
	// An English path with neither English content nor French source has
	// nothing to show.
	for path, t := range idx.byPath[lang.EN] {
		if !t.HasContent() && idx.byKey[t.PageKey][lang.FR] == nil {
			delete(idx.byPath[lang.EN], path)
			delete(idx.byKey[t.PageKey], lang.EN)
		}
	}
	return idx
}

// display returns what to show for translation t: itself, or its French
// source when t has no content.
func (idx *index) display(t *content.Translation) (shown *content.Translation, frenchOnly bool) {
	if t.HasContent() {
		return t, false
	}
	return idx.byKey[t.PageKey][lang.FR], true
}

// landing returns, per section, the page that the navigation links to:
// the one with the lowest order.
func (idx *index) landing(l lang.Lang, sec content.Section) *content.Translation {
	var best *content.Translation
	for _, t := range idx.byPath[l] {
		if t.Section != sec {
			continue
		}
		if best == nil || t.Order < best.Order || t.Order == best.Order && t.Path < best.Path {
			best = t
		}
	}
	return best
}

// card is a link to another page with its summary.
type card struct {
	Title, Summary, URL string
	Lang                lang.Lang // set when the text is not in the page's language
}

func (idx *index) card(l lang.Lang, t *content.Translation) card {
	shown, frenchOnly := idx.display(t)
	c := card{Title: shown.Title, Summary: shown.Summary, URL: URL(l, t.Path)}
	if frenchOnly {
		c.Lang = lang.FR
	}
	return c
}

// children returns the pages directly under path, in order.
func (idx *index) children(l lang.Lang, path string) []*content.Translation {
	var out []*content.Translation
	prefix := path + "/"
	for p, t := range idx.byPath[l] {
		if path == "" || !strings.HasPrefix(p, prefix) || strings.Contains(p[len(prefix):], "/") {
			continue
		}
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Order != out[j].Order {
			return out[i].Order < out[j].Order
		}
		return out[i].Path < out[j].Path
	})
	return out
}

type pageData struct {
	render.Page
	Summary    string
	Body       template.HTML
	FrenchOnly bool
	FrenchURL  string
	About      string // on the French-only notice: what the section holds, in the page's language
	Children   []card
	History    string        // URL of the public change history
	Part       template.HTML // what the page's module renders, if any
}

// handlePage serves /{lang}/{path...} from the published pages.
func (s *Site) handlePage(l lang.Lang) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		path := r.PathValue("path")
		key := string(l) + "/" + path
		// A query matters only to a module's page (its filters); the
		// other pages ignore it and are served from the cache.
		queried := r.URL.RawQuery != "" && s.moduleAt(l, path)
		if !queried {
			if e, ok := s.cache.Get(key); ok {
				cache.Serve(w, r, e)
				return
			}
		}
		idx := s.index()
		t, ok := idx.byPath[l][path]
		if !ok {
			s.redirectOrNotFound(w, r, idx, l, path)
			return
		}
		var q url.Values
		if queried {
			if len(r.URL.RawQuery) > MaxQuery {
				s.errs.Page(w, r, http.StatusRequestURITooLong)
				return
			}
			q, _ = url.ParseQuery(r.URL.RawQuery) // what parses is kept
		}
		page, err := s.renderPage(r.Context(), idx, t, q)
		if err != nil {
			s.errs.Error(w, r, err)
			return
		}
		status := http.StatusOK
		if page.status != 0 {
			status = page.status
		}
		e := cache.NewEntry(status, "text/html; charset=utf-8", page.body, latest(idx.modified, page.updated))
		expiring(e, page.expires)
		// Filtered views are not kept: their number has no bound.
		if !queried {
			s.keep(key, e, idx)
		}
		cache.Serve(w, r, e)
	})
}

func (s *Site) redirectOrNotFound(w http.ResponseWriter, r *http.Request, idx *index, l lang.Lang, path string) {
	path = strings.TrimSuffix(path, "/")
	if t, ok := idx.byPath[l][path]; ok && path != "" {
		moved(w, r, URL(l, t.Path))
		return
	}
	key, err := s.store.Redirect(r.Context(), l, path)
	if err != nil {
		if !errors.Is(err, apperr.NotFound) {
			s.errs.Error(w, r, err)
			return
		}
		s.errs.NotFound(w, r)
		return
	}
	if t, ok := idx.byKey[key][l]; ok {
		moved(w, r, URL(l, t.Path))
		return
	}
	s.errs.NotFound(w, r)
}

// moved redirects an old page path to the page's current one. The status
// is 301, so that search engines move the old address's standing to the
// new one; but a page's path can change again, even back to the old one,
// and a browser keeps a 301 with no Cache-Control for as long as it likes:
// after a rename A → B and back, it followed its kept A → B and the
// server's B → A in a loop. No-store makes it ask each time, which costs
// one small request to an old address; a bounded max-age would still
// loop for its whole lifetime after a rename back.
func moved(w http.ResponseWriter, r *http.Request, to string) {
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, to, http.StatusMovedPermanently)
}

// moduleAt reports whether a module backs the page at path in language l.
func (s *Site) moduleAt(l lang.Lang, path string) bool {
	for _, m := range s.modules {
		if m.Paths()[l] == path {
			return true
		}
	}
	return false
}

// rendered is a rendered page: its body, its "Last update", and what
// its module's part says of its status and expiry.
type rendered struct {
	body    []byte
	updated time.Time
	expires time.Time
	status  int
}

// renderPage renders translation t in its language's chrome, with q the
// query of a module's page.
func (s *Site) renderPage(ctx context.Context, idx *index, t *content.Translation, q url.Values) (rendered, error) {
	l := t.Lang
	shown, frenchOnly := idx.display(t)
	d := pageData{Page: s.engine.Page(l), Summary: shown.Summary, FrenchOnly: frenchOnly}
	d.Title = shown.Title
	d.Description = shown.Summary
	d.Canonical = URL(l, t.Path)
	d.LastUpdate = shown.Updated
	s.chrome(&d.Page, idx, t)
	if frenchOnly {
		d.FrenchURL = URL(lang.FR, shown.Path)
		// The French page's summary is French; the catalog may say in
		// the page's language what the section holds.
		if cat := s.engine.Catalog(l); cat.Has("notice.french_only.about." + t.PageKey) {
			d.About = cat.T("notice.french_only.about." + t.PageKey)
		}
	} else {
		body, err := s.md.Render(shown.Body)
		if err != nil {
			return rendered{}, err
		}
		d.Body = body
		d.Contents = contents(body)
		d.History = HistoryURL(l, t.Path)
	}
	// A module's part follows the introduction, in the page's language
	// even when the introduction is only in French; "Last update" is the
	// latest of the introduction's and the data's.
	var out rendered
	if m, ok := s.modules[t.PageKey]; ok {
		part, err := m.Part(ctx, l, q)
		if err != nil {
			return rendered{}, err
		}
		d.Part = part.HTML
		out.expires, out.status = part.Expires, part.Status
		if part.Updated.After(d.LastUpdate) {
			d.LastUpdate = part.Updated
		}
	}
	name := "page"
	var kids []*content.Translation
	if t.Path == "" {
		name = "home"
		// The home page shows every other section's landing page.
		for _, sec := range idx.sections {
			if lt := idx.landing(l, sec.Key); lt != nil && sec.Key != t.Section {
				kids = append(kids, lt)
			}
		}
	} else {
		kids = idx.children(l, t.Path)
	}
	for _, k := range kids {
		d.Children = append(d.Children, idx.card(l, k))
		// The page shows the children's titles and summaries, so their
		// updates count as updates of this page.
		if ks, _ := idx.display(k); ks.Updated.After(d.LastUpdate) {
			d.LastUpdate = ks.Updated
		}
	}
	body, err := s.engine.Render(name, &d)
	out.body, out.updated = body, d.LastUpdate
	return out, err
}

// chrome fills the navigation, breadcrumbs, twin link and alternates of
// the page of translation t.
func (s *Site) chrome(p *render.Page, idx *index, t *content.Translation) {
	twins := map[lang.Lang]string{}
	for l, tr := range idx.byKey[t.PageKey] {
		twins[l] = tr.Path
	}
	s.chromeAt(p, idx, t.Lang, t.Path, t.Section, twins)
	if shown, frenchOnly := idx.display(t); frenchOnly && shown != nil && len(p.Breadcrumbs) > 0 {
		p.Breadcrumbs[len(p.Breadcrumbs)-1].Lang = lang.FR
	}
}

// chromeAt fills the chrome of the page at path in language l, whatever
// made it (a content page, a module's sub-page): the navigation with its
// section current, breadcrumbs through the pages above path, and the twin
// link and alternates to twins (its path in each language that has it).
func (s *Site) chromeAt(p *render.Page, idx *index, l lang.Lang, path string, section content.Section, twins map[lang.Lang]string) {
	cat := s.engine.Catalog(l)
	for _, sec := range idx.sections {
		lt := idx.landing(l, sec.Key)
		if lt == nil {
			continue
		}
		// The link to the home page means that page, not a section: the
		// other pages of its section (accessibility, confidentiality)
		// are not "in" it.
		p.Nav = append(p.Nav, render.NavItem{
			Link:    render.Link{Label: sec.Label[l], URL: URL(l, lt.Path)},
			Current: sec.Key == section && (lt.Path != "" || path == ""),
		})
	}
	for _, f := range idx.footer {
		p.Footer = append(p.Footer, render.Link{Label: f.Label[l], URL: f.URL[l]})
	}
	if path != "" {
		p.Breadcrumbs = append(p.Breadcrumbs, render.Link{Label: cat.T("nav.home"), URL: URL(l, "")})
		segs := strings.Split(path, "/")
		for i := 1; i < len(segs); i++ {
			if a, ok := idx.byPath[l][strings.Join(segs[:i], "/")]; ok {
				shown, frenchOnly := idx.display(a)
				crumb := render.Link{Label: shown.Title, URL: URL(l, a.Path)}
				if frenchOnly {
					crumb.Lang = lang.FR
				}
				p.Breadcrumbs = append(p.Breadcrumbs, crumb)
			}
		}
		p.Breadcrumbs = append(p.Breadcrumbs, render.Link{Label: p.Title})
	}
	if twin, ok := twins[l.Other()]; ok {
		p.Twin = &render.Link{Label: cat.T("lang.switch"), URL: URL(l.Other(), twin)}
		for _, al := range lang.All {
			p.Alternates = append(p.Alternates, render.Alternate{Lang: al, URL: URL(al, twins[al])})
		}
	} else {
		// No twin: the switcher leads to the other language's home page.
		p.Twin = &render.Link{Label: cat.T("lang.switch"), URL: URL(l.Other(), "")}
	}
}

// latest returns the later of a and b: a page's Last-Modified is the
// feed's time of the data it was built from, or the time of a module's
// data shown on it when that is later.
func latest(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
