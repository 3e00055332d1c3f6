// Package orgpage serves the organization chart on the public site: the
// module behind /fr/ministere/organigramme and
// /en/department/organization-chart (an accessible nested list, a drawn
// chart, the chart as of any day, the units changed in the last 90 days)
// and its open data under /api/v1/org-units.
package orgpage

import (
	"context"
	"embed"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"

	"portail/internal/i18n"
	"portail/internal/lang"
	"portail/internal/office"
	"portail/internal/orgchart"
	"portail/internal/orgsvg"
	"portail/internal/site"
)

// Store is what the page reads.
type Store interface {
	OrgUnits(ctx context.Context) ([]orgchart.Unit, error)
}

// Page is the organization chart's module.
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

// New returns the module reading units from s, with the messages of
// cats, and now as its clock (nil: time.Now).
func New(s Store, cats i18n.Catalogs, now func() time.Time) *Page {
	if now == nil {
		now = time.Now
	}
	t := template.Must(template.New("").ParseFS(templates, "templates/*.html"))
	return &Page{store: s, cats: cats, now: now, tmpl: t}
}

var paths = map[lang.Lang]string{lang.FR: "ministere/organigramme", lang.EN: "department/organization-chart"}

// PageKey implements site.Module: the default content's organization chart.
func (p *Page) PageKey() string { return "orgchart" }

// Paths implements site.Module.
func (p *Page) Paths() map[lang.Lang]string { return paths }

// Sub implements site.Module: units are anchors of the page, not pages.
func (p *Page) Sub(context.Context, lang.Lang, string) (site.Part, bool, error) {
	return site.Part{}, false, nil
}

// Slugs implements site.Module.
func (p *Page) Slugs(context.Context, lang.Lang) ([]string, error) { return nil, nil }

// recent is how far back the page lists the units that changed.
const recent = 90 * 24 * time.Hour

// today returns the day it is in Montréal, and when that day ends.
func (p *Page) today() (orgchart.Date, time.Time) {
	now := p.now().In(i18n.Montreal)
	y, m, d := now.Date()
	return office.DateOf(now), time.Date(y, m, d+1, 0, 0, 0, 0, i18n.Montreal)
}

type unitView struct {
	ID, Name, Acronym, Head, Phone, Email, Kind string
	Heading                                     int // h3…h6
	Sample                                      bool
	Children                                    []*unitView
	ChildrenLabel                               string // the fold's summary
}

// changeView is a line of the recent changes; Link is the unit's anchor
// when the chart shown holds it.
type changeView struct{ On, Name, Link, What string }

type view struct {
	cat        *i18n.Catalog
	Action     string
	Date       string // the day shown
	DateRaw    string // what was typed
	Problem    string
	IsToday    bool
	Root       *unitView
	Count      int
	Chart      template.HTML
	Changes    []changeView
	Sample     bool
	APIJSON    string
	APICSV     string
	RecentDays int
}

func (v *view) T(key string, args ...any) string { return v.cat.T(key, args...) }

// Part implements site.Module: the chart as of the day asked for
// (?date=YYYY-MM-DD, today by default) below the editors' introduction.
func (p *Page) Part(ctx context.Context, l lang.Lang, q url.Values) (site.Part, error) {
	units, err := p.store.OrgUnits(ctx)
	if err != nil {
		return site.Part{}, err
	}
	today, tomorrow := p.today()
	cat := p.cats[l]
	day := today
	v := &view{cat: cat, Action: site.URL(l, paths[l]), RecentDays: int(recent.Hours() / 24),
		APIJSON: "/api/v1/org-units", APICSV: "/api/v1/org-units.csv"}
	status := 0
	if raw := strings.TrimSpace(q.Get("date")); raw != "" {
		v.DateRaw = raw
		d, ok := office.ParseDay(raw)
		if !ok {
			v.Problem, status = cat.T("orgchart.date.bad"), http.StatusBadRequest
		} else {
			day = d
			v.APIJSON += "?date=" + d.String()
		}
	}
	v.Date, v.IsToday = day.String(), day == today

	root := orgchart.Tree(units, day)
	v.Root = p.unitViews(l, root, 0, &v.Count, &v.Sample)
	if root != nil {
		v.Chart = orgsvg.Render(box(l, root), orgsvg.Options{
			Title:    cat.T("orgchart.chart.title", day.String()),
			Desc:     cat.T("orgchart.chart.desc", v.Count),
			IDPrefix: "orgchart-svg",
		})
	}
	from := office.DateOf(p.now().In(i18n.Montreal).Add(-recent))
	byID := map[string]orgchart.Unit{}
	for _, u := range units {
		byID[u.ID] = u
	}
	shown := map[string]bool{}
	root.Walk(func(n *orgchart.Node, _ int) { shown[n.Unit.ID] = true })
	for _, c := range orgchart.Changed(units, from, today) {
		per := c.After
		if per.Name == nil {
			per = c.Before
		}
		var what []string
		for _, k := range c.Kinds {
			what = append(what, cat.T("orgchart.change."+string(k)))
		}
		cv := changeView{On: c.On.String(), Name: per.Name[l], What: cat.T("orgchart.changes.what", strings.Join(what, ", "))}
		if shown[c.ID] {
			cv.Link = "#" + anchor(c.ID)
		}
		v.Changes = append(v.Changes, cv)
		v.Sample = v.Sample || c.Sample
	}

	var b strings.Builder
	if err := p.tmpl.ExecuteTemplate(&b, "chart", v); err != nil {
		return site.Part{}, fmt.Errorf("orgpage: %w", err)
	}
	part := site.Part{HTML: template.HTML(b.String()), Updated: latest(units), Status: status}
	// Today's chart changes at midnight, when a dated period may begin.
	if v.IsToday {
		part.Expires = tomorrow
	}
	return part, nil
}

// maxDepth bounds the nested list; units deeper are not listed.
const maxDepth = 20

func (p *Page) unitViews(l lang.Lang, n *orgchart.Node, depth int, count *int, sample *bool) *unitView {
	if n == nil || depth > maxDepth {
		return nil
	}
	*count++
	*sample = *sample || n.Unit.Sample
	per := n.Period
	v := &unitView{ID: n.Unit.ID, Name: per.Name[l], Acronym: per.Acronym, Phone: per.Phone, Email: per.Email,
		Kind: p.cats[l].T("orgchart.kind." + string(per.Kind)), Heading: min(3+depth, 6), Sample: n.Unit.Sample}
	if per.Head.Name != "" {
		v.Head = per.Head.Name
		if t := per.Head.Title[l]; t != "" {
			v.Head += ", " + t
		}
	}
	for _, c := range n.Children {
		if cv := p.unitViews(l, c, depth+1, count, sample); cv != nil {
			v.Children = append(v.Children, cv)
		}
	}
	switch len(v.Children) {
	case 0:
	case 1:
		v.ChildrenLabel = p.cats[l].T("orgchart.children.one", v.Name)
	default:
		v.ChildrenLabel = p.cats[l].T("orgchart.children", len(v.Children), v.Name)
	}
	return v
}

// box is the drawn chart's tree, each box linking to its unit in the list.
func box(l lang.Lang, n *orgchart.Node) orgsvg.Box {
	b := orgsvg.Box{ID: n.Unit.ID, Title: n.Period.Name[l], URL: "#" + anchor(n.Unit.ID)}
	switch {
	case n.Period.Head.Name != "":
		b.Subtitle = n.Period.Head.Name
	case n.Period.Acronym != "":
		b.Subtitle = n.Period.Acronym
	}
	for _, c := range n.Children {
		b.Children = append(b.Children, box(l, c))
	}
	return b
}

// anchor is the id of a unit's item in the list.
func anchor(id string) string { return "unite-" + id }

func latest(units []orgchart.Unit) time.Time {
	var t time.Time
	for _, u := range units {
		if u.Updated.After(t) {
			t = u.Updated
		}
	}
	return t
}
