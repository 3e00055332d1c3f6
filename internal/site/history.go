package site

import (
	"context"
	"net/http"
	"time"

	"portail/internal/cache"
	"portail/internal/content"
	"portail/internal/lang"
	"portail/internal/render"
	"portail/internal/store"
)

// Store is what the public site reads: the published pages, the change
// feed that says when to read them again and, for the change history,
// their publications.
type Store interface {
	store.Pages
	Sections(ctx context.Context) ([]content.NavSection, error)
	FooterLinks(ctx context.Context) ([]content.FooterLink, error)
	store.Changes
	FileStore
	History(ctx context.Context, key string, l lang.Lang) ([]content.Publication, error)
}

// historySegment is the first path segment of the change history in each
// language; it does not clash with the public URL map of DESIGN.md.
var historySegment = map[lang.Lang]string{lang.FR: "historique", lang.EN: "history"}

// HistoryURL returns the URL of the public change history of the page at
// path in language l.
func HistoryURL(l lang.Lang, path string) string {
	return "/" + string(l) + "/" + historySegment[l] + "/" + path
}

// change is one line of the public change history.
type change struct {
	At    time.Time
	Note  string
	First bool // the first publication, which has no change note
}

type historyData struct {
	render.Page
	PageTitle string
	PageURL   string
	Changes   []change
}

// handleHistory serves the public change history of a page: the date and
// change note of each publication that moved its "Last update", so that
// nothing substantive changes silently.
func (s *Site) handleHistory(l lang.Lang) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		path := r.PathValue("path")
		key := "history:" + string(l) + "/" + path
		if e, ok := s.cache.Get(key); ok {
			cache.Serve(w, r, e)
			return
		}
		idx := s.index()
		t, ok := idx.byPath[l][path]
		if !ok || !t.HasContent() {
			s.errs.NotFound(w, r)
			return
		}
		pubs, err := s.store.History(r.Context(), t.PageKey, l)
		if err != nil {
			s.errs.Error(w, r, err)
			return
		}
		body, err := s.renderHistory(idx, t, pubs)
		if err != nil {
			s.errs.Error(w, r, err)
			return
		}
		e := cache.NewEntry(http.StatusOK, "text/html; charset=utf-8", body, idx.modified)
		s.keep(key, e, idx)
		cache.Serve(w, r, e)
	})
}

func (s *Site) renderHistory(idx *index, t *content.Translation, pubs []content.Publication) ([]byte, error) {
	l := t.Lang
	cat := s.engine.Catalog(l)
	d := historyData{Page: s.engine.Page(l), PageTitle: t.Title, PageURL: URL(l, t.Path)}
	d.Title = cat.T("history.title", t.Title)
	d.Canonical = HistoryURL(l, t.Path)
	d.LastUpdate = t.Updated
	d.Robots = "noindex"
	s.chrome(&d.Page, idx, t)
	// The breadcrumbs end with the page itself, then its history.
	if n := len(d.Breadcrumbs); n > 0 {
		d.Breadcrumbs[n-1] = render.Link{Label: t.Title, URL: d.PageURL}
	} else {
		d.Breadcrumbs = []render.Link{{Label: t.Title, URL: d.PageURL}}
	}
	d.Breadcrumbs = append(d.Breadcrumbs, render.Link{Label: cat.T("history.crumb")})
	if twin := idx.byKey[t.PageKey][l.Other()]; twin != nil && twin.HasContent() {
		d.Twin.URL = HistoryURL(twin.Lang, twin.Path)
		d.Alternates = nil
		for _, al := range lang.All {
			d.Alternates = append(d.Alternates, render.Alternate{Lang: al, URL: HistoryURL(al, idx.byKey[t.PageKey][al].Path)})
		}
	} else {
		d.Alternates = nil
	}
	for i, p := range pubs {
		if !p.Updated {
			continue
		}
		d.Changes = append(d.Changes, change{
			At: p.At, Note: p.ChangeNote, First: i == len(pubs)-1 && p.ChangeNote == "",
		})
	}
	return s.engine.Render("history", &d)
}
