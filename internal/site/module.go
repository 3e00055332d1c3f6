package site

import (
	"context"
	"html/template"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"time"

	"portail/internal/cache"
	"portail/internal/lang"
	"portail/internal/render"
)

// Module backs a content page with structured data (the offices abroad,
// the organization chart, …): editors keep the page's Markdown
// introduction with its whole workflow, and the module renders the rest
// of the page and owns the sub-pages under it, at
// "/fr/{French path}/{slug}" and "/en/{English path}/{slug}".
//
// A module's data changes without a revision: whatever changes it writes a
// change record, so that every instance's site refreshes.
type Module interface {
	// PageKey is the key of the content page that the module backs.
	PageKey() string
	// Paths is that page's path in each language, fixed: the URL map
	// is stable, so the staff side refuses to move the page.
	Paths() map[lang.Lang]string
	// Part renders what the page shows below its introduction in
	// language l, for the query of the page's URL: the module's filters,
	// sent by a plain GET form (empty for the bare page, the one that is
	// cached).
	Part(ctx context.Context, l lang.Lang, q url.Values) (Part, error)
	// Sub renders the sub-page slug in language l; ok is false when
	// there is none.
	Sub(ctx context.Context, l lang.Lang, slug string) (p Part, ok bool, err error)
	// Slugs lists the sub-pages in language l.
	Slugs(ctx context.Context, l lang.Lang) ([]string, error)
}

// Part is what a module renders: the data's HTML and when the data shown
// last changed. Title and Summary name a sub-page.
type Part struct {
	Title, Summary string
	HTML           template.HTML
	Updated        time.Time
	// Expires is when what the part shows goes stale by the clock
	// alone (an office's local time and "open now"): the page is
	// rendered again from then. Such a page has no Last-Modified, only
	// its ETag: its "Last update" is the data's, older than what the
	// clock changed, so a client revalidating by date would keep a stale
	// copy. Zero for never.
	Expires time.Time
	// Status is the response's status when not 200: 400 for a query
	// whose filters the part shows as wrong on its form.
	Status int
}

// Router is a module with routes of its own besides its sub-pages (an
// office's vCard): they join the route table, so they are registered,
// reserved and crawled like the others.
type Router interface {
	Routes() []Route
}

// MaxQuery bounds the query of a module's page, checked before any work.
const MaxQuery = 1024

// moduleRoute is the route of a module's sub-pages.
func (s *Site) moduleRoute(m Module) Route {
	paths := map[lang.Lang]string{}
	for _, l := range lang.All {
		paths[l] = URL(l, m.Paths()[l]) + "/{slug}"
	}
	return Route{
		Name:  m.PageKey(),
		Paths: paths,
		Handler: func(l lang.Lang) http.Handler {
			return s.handleSub(m, l)
		},
		URLs: func(l lang.Lang) []string {
			slugs, err := m.Slugs(context.Background(), l)
			if err != nil {
				s.log.Error("module slugs", "module", m.PageKey(), "err", err)
				return nil
			}
			out := make([]string, len(slugs))
			for i, slug := range slugs {
				out[i] = URL(l, m.Paths()[l]+"/"+slug)
			}
			slices.Sort(out)
			return out
		},
	}
}

type subData struct {
	render.Page
	Summary string
	Body    template.HTML
}

// handleSub serves a module's sub-page, in the chrome of the module's
// page: its section, its breadcrumbs, and the same slug as twin.
func (s *Site) handleSub(m Module, l lang.Lang) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		slug := r.PathValue("slug")
		key := "sub:" + string(l) + "/" + m.PageKey() + "/" + slug
		if e, ok := s.cache.Get(key); ok {
			cache.Serve(w, r, e)
			return
		}
		idx := s.index()
		parent, ok := idx.byKey[m.PageKey()][l]
		if !ok {
			s.errs.NotFound(w, r)
			return
		}
		p, ok, err := m.Sub(r.Context(), l, slug)
		if err != nil {
			s.errs.Error(w, r, err)
			return
		}
		if !ok {
			s.errs.NotFound(w, r)
			return
		}
		d := subData{Page: s.engine.Page(l), Summary: p.Summary, Body: p.HTML}
		d.Title, d.Description = p.Title, p.Summary
		path := m.Paths()[l] + "/" + slug
		d.Canonical = URL(l, path)
		d.LastUpdate = p.Updated
		twins := map[lang.Lang]string{}
		for _, al := range lang.All {
			twins[al] = m.Paths()[al] + "/" + slug
		}
		s.chromeAt(&d.Page, idx, l, path, parent.Section, twins)
		body, err := s.engine.Render("sub", &d)
		if err != nil {
			s.errs.Error(w, r, err)
			return
		}
		e := cache.NewEntry(http.StatusOK, "text/html; charset=utf-8", body, latest(idx.modified, d.LastUpdate))
		expiring(e, p.Expires)
		s.keep(key, e, idx)
		cache.Serve(w, r, e)
	})
}

// expiring makes e expire at t, if t is set: then it has no Last-Modified
// (Part.Expires says why).
func expiring(e *cache.Entry, t time.Time) {
	if !t.IsZero() {
		e.Expires, e.LastModified = t, time.Time{}
	}
}

// moduleList returns the modules by the key of the page each backs.
func (s *Site) moduleList() []Module {
	keys := slices.Sorted(maps.Keys(s.modules))
	out := make([]Module, len(keys))
	for i, k := range keys {
		out[i] = s.modules[k]
	}
	return out
}

// FixedPaths returns the paths of the pages that modules back, by page
// key, for the staff side: it does not move them.
func (s *Site) FixedPaths() map[string]map[lang.Lang]string {
	out := map[string]map[lang.Lang]string{}
	for key, m := range s.modules {
		out[key] = m.Paths()
	}
	return out
}
