// Package directory serves the directory of Québec's offices abroad on
// the public site: the module behind /fr/representations and
// /en/offices-abroad (filters, world map, "which office serves my
// country?"), each office's page with its local time and whether it is
// open now, its vCard, and the open data under /api/v1/offices.
package directory

import (
	"context"
	"embed"
	"fmt"
	"html/template"
	"strings"
	"time"

	"portail/internal/i18n"
	"portail/internal/lang"
	"portail/internal/office"
	"portail/internal/site"
	"portail/internal/web"
)

// Store is what the directory reads.
type Store interface {
	Offices(ctx context.Context) ([]office.Office, error)
	Office(ctx context.Context, slug string) (office.Office, error)
}

// Directory is the offices directory's module.
type Directory struct {
	store Store
	cats  i18n.Catalogs
	now   func() time.Time
	tmpl  *template.Template
	errs  *web.Errors
	// countries are every country in each language's order, for the
	// "which office serves my country?" selector: sorted once.
	countries map[lang.Lang][]office.Country
}

// Interface guards.
var (
	_ site.Module = (*Directory)(nil)
	_ site.Router = (*Directory)(nil)
)

//go:embed templates/*.html
var templates embed.FS

// New returns the directory reading offices from s, with the messages
// of cats, answering errors of its own routes with errs' pages, and now
// as its clock (nil: time.Now).
func New(s Store, cats i18n.Catalogs, errs *web.Errors, now func() time.Time) *Directory {
	if now == nil {
		now = time.Now
	}
	t := template.Must(template.New("").Funcs(template.FuncMap{
		// dict passes named values to a sub-template.
		"dict": func(kv ...any) map[string]any {
			m := map[string]any{}
			for i := 0; i+1 < len(kv); i += 2 {
				m[kv[i].(string)] = kv[i+1]
			}
			return m
		},
	}).ParseFS(templates, "templates/*.html"))
	countries := map[lang.Lang][]office.Country{}
	for _, l := range lang.All {
		countries[l] = office.Countries(l)
	}
	return &Directory{store: s, cats: cats, now: now, tmpl: t, errs: errs, countries: countries}
}

// paths are the directory page's paths, fixed by the URL map.
var paths = map[lang.Lang]string{lang.FR: "representations", lang.EN: "offices-abroad"}

// PageKey implements site.Module: the default content's offices page.
func (d *Directory) PageKey() string { return "offices" }

// Paths implements site.Module.
func (d *Directory) Paths() map[lang.Lang]string { return paths }

// OfficeURL returns the public URL of an office's page in language l.
func OfficeURL(l lang.Lang, slug string) string { return site.URL(l, paths[l]+"/"+slug) }

// Slugs implements site.Module: every office has a page, closed and
// planned ones too (a link to one should not break when it closes).
func (d *Directory) Slugs(ctx context.Context, _ lang.Lang) ([]string, error) {
	offs, err := d.store.Offices(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(offs))
	for i, o := range offs {
		out[i] = o.Slug
	}
	return out, nil
}

// today returns the day it is in Montréal, the department's day.
func (d *Directory) today() office.Date { return office.DateOf(d.now().In(i18n.Montreal)) }

// nextMinute returns the start of the minute after t: a page showing a
// local time is good until then.
func nextMinute(t time.Time) time.Time { return t.Truncate(time.Minute).Add(time.Minute) }

// latestUpdate returns the newest Updated of offs.
func latestUpdate(offs []office.Office) time.Time {
	var t time.Time
	for _, o := range offs {
		if o.Updated.After(t) {
			t = o.Updated
		}
	}
	return t
}

// render executes the template name into HTML.
func (d *Directory) render(name string, data any) (template.HTML, error) {
	var b strings.Builder
	if err := d.tmpl.ExecuteTemplate(&b, name, data); err != nil {
		return "", fmt.Errorf("directory: %s: %w", name, err)
	}
	return template.HTML(b.String()), nil
}

// typeName returns the name of an office type in language l.
func (d *Directory) typeName(l lang.Lang, t office.Type) string {
	return d.cats[l].T("offices.type." + string(t))
}

// countryName returns a country's name in language l.
func countryName(l lang.Lang, code string) string { return office.CountryName(code, l) }
