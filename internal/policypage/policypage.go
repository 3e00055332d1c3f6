// Package policypage serves Québec's international policy on the public
// site: the module behind /fr/politique-internationale and
// /en/international-policy (the policy in force, the updates in force,
// the earlier documents), one page per document, and the open data
// under /api/v1/policies. Every thrust, objective and measure has an
// anchor and a visible link to it, so that each can be cited.
package policypage

import (
	"context"
	"embed"
	"fmt"
	"html/template"
	"slices"
	"strings"
	"time"

	"portail/internal/i18n"
	"portail/internal/lang"
	"portail/internal/office"
	"portail/internal/policy"
	"portail/internal/site"
)

// Store is what the page reads.
type Store interface {
	Policies(ctx context.Context) ([]policy.Document, error)
}

// Page is the international policy's module.
type Page struct {
	store Store
	cats  i18n.Catalogs
	now   func() time.Time
	tmpl  *template.Template
}

// Interface guard.
var _ site.Module = (*Page)(nil)

//go:embed templates/*.html
var templates embed.FS

// New returns the page reading documents from s, with the messages of
// cats, and now as its clock (nil: time.Now), which decides what is in
// force.
func New(s Store, cats i18n.Catalogs, now func() time.Time) *Page {
	if now == nil {
		now = time.Now
	}
	t := template.Must(template.New("").Funcs(template.FuncMap{
		"anchor": func(id, label string) anchorLink { return anchorLink{ID: id, Label: label} },
	}).ParseFS(templates, "templates/*.html"))
	return &Page{store: s, cats: cats, now: now, tmpl: t}
}

// paths are the page's paths, fixed by the URL map (the seed's
// politique-internationale.md and international-policy.md).
var paths = map[lang.Lang]string{lang.FR: "politique-internationale", lang.EN: "international-policy"}

// PageKey implements site.Module: the default content's policy page.
func (p *Page) PageKey() string { return "policy" }

// Paths implements site.Module.
func (p *Page) Paths() map[lang.Lang]string { return paths }

// DocumentURL returns the public URL of a document's own page in
// language l.
func DocumentURL(l lang.Lang, id string) string { return site.URL(l, paths[l]+"/"+id) }

// Slugs implements site.Module: every document launched by today has a
// page of its own, those in force too, so that a link to one still
// works once it is replaced.
func (p *Page) Slugs(ctx context.Context, _ lang.Lang) ([]string, error) {
	docs, err := p.store.Policies(ctx)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, d := range launched(docs, p.today()) {
		out = append(out, d.ID)
	}
	return out, nil
}

// today returns the day it is in Montréal, the department's day.
func (p *Page) today() policy.Date { return office.DateOf(p.now().In(i18n.Montreal)) }

// launched returns the documents launched on or before day, in the
// store's order. The others are announced ahead: the public sees them
// from their launch day.
func launched(docs []policy.Document, day policy.Date) []policy.Document {
	var out []policy.Document
	for _, d := range docs {
		if !day.Before(d.Launched) {
			out = append(out, d)
		}
	}
	return out
}

// dates returns what the pages' freshness depends on: when the shown
// data last changed (an edit, or a launch that changed what is in force,
// at midnight in Montréal), and when a document launched later will
// change it (zero for none).
func dates(docs []policy.Document, day policy.Date) (updated, expires time.Time) {
	for _, d := range docs {
		start := d.Launched.In(i18n.Montreal)
		if day.Before(d.Launched) {
			if expires.IsZero() || start.Before(expires) {
				expires = start
			}
			continue
		}
		updated = latest(updated, d.Updated, start)
	}
	return updated, expires
}

func latest(ts ...time.Time) time.Time {
	var out time.Time
	for _, t := range ts {
		if t.After(out) {
			out = t
		}
	}
	return out
}

// render executes the template name into HTML.
func (p *Page) render(name string, data any) (template.HTML, error) {
	var b strings.Builder
	if err := p.tmpl.ExecuteTemplate(&b, name, data); err != nil {
		return "", fmt.Errorf("policypage: %s: %w", name, err)
	}
	return template.HTML(b.String()), nil
}

// inForce reports whether d is among the documents in force.
func inForce(d policy.Document, pol *policy.Document, updates []policy.Document) bool {
	if pol != nil && pol.ID == d.ID {
		return true
	}
	return slices.ContainsFunc(updates, func(u policy.Document) bool { return u.ID == d.ID })
}
