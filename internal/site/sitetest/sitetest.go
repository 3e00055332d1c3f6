// Package sitetest holds a small site.Module whose data lives in memory,
// for tests of pages backed by structured data: it backs the default
// content's organization chart with a list of units, each a sub-page.
package sitetest

import (
	"context"
	"html/template"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"portail/internal/lang"
	"portail/internal/site"
)

// Unit is one entry of the module's data.
type Unit struct {
	Slug string
	Name map[lang.Lang]string
}

// Module is an in-memory site.Module. Set changes its data without any
// revision, as an office or a unit changes in a real module.
type Module struct {
	mu      sync.Mutex
	units   []Unit
	updated time.Time
	expires time.Time
	renders int
}

// Interface guard.
var _ site.Module = (*Module)(nil)

// New returns a module holding units, last changed at updated.
func New(updated time.Time, units ...Unit) *Module {
	return &Module{units: units, updated: updated}
}

// Set replaces the module's data.
func (m *Module) Set(updated time.Time, units ...Unit) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.units, m.updated = units, updated
}

// SetExpires makes the parts the module renders from now on go stale
// at t, as an office's "open now" does.
func (m *Module) SetExpires(t time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.expires = t
}

// Renders returns how many times Part has rendered the page.
func (m *Module) Renders() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.renders
}

// PageKey implements site.Module: the default content's organization chart.
func (m *Module) PageKey() string { return "orgchart" }

// Paths implements site.Module.
func (m *Module) Paths() map[lang.Lang]string {
	return map[lang.Lang]string{lang.FR: "ministere/organigramme", lang.EN: "department/organization-chart"}
}

// Part implements site.Module: a list of the units, linked to their
// pages; the query's "unit" filters it to one slug, and an unknown slug
// is a bad query (400), said on the page.
func (m *Module) Part(_ context.Context, l lang.Lang, q url.Values) (site.Part, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.renders++
	p := site.Part{Updated: m.updated, Expires: m.expires}
	var b strings.Builder
	want := q.Get("unit")
	if want != "" && !slices.ContainsFunc(m.units, func(u Unit) bool { return u.Slug == want }) {
		p.Status = 400
		b.WriteString(`<p class="problem">` + template.HTMLEscapeString(want) + `?</p>`)
	}
	b.WriteString(`<ul class="units">`)
	for _, u := range m.units {
		if want != "" && u.Slug != want {
			continue
		}
		b.WriteString(`<li><a href="` + template.HTMLEscapeString(site.URL(l, m.Paths()[l]+"/"+u.Slug)) + `">` +
			template.HTMLEscapeString(u.Name[l]) + `</a></li>`)
	}
	b.WriteString(`</ul>`)
	p.HTML = template.HTML(b.String())
	return p, nil
}

// Sub implements site.Module: one unit's page.
func (m *Module) Sub(_ context.Context, l lang.Lang, slug string) (site.Part, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	i := slices.IndexFunc(m.units, func(u Unit) bool { return u.Slug == slug })
	if i < 0 {
		return site.Part{}, false, nil
	}
	u := m.units[i]
	return site.Part{
		Title:   u.Name[l],
		HTML:    template.HTML("<p>" + template.HTMLEscapeString(u.Name[l.Other()]) + "</p>"),
		Updated: m.updated,
	}, true, nil
}

// Slugs implements site.Module.
func (m *Module) Slugs(context.Context, lang.Lang) ([]string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]string, len(m.units))
	for i, u := range m.units {
		out[i] = u.Slug
	}
	return out, nil
}
