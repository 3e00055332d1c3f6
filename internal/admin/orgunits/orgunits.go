// Package orgunits is the staff side's area for the organization chart:
// the chart as of today, each unit's page with its periods and one form
// per dated operation of orgchart (move, rename, new head, contact
// details, close), adding a unit, importing the whole chart from a CSV or
// JSON file and exporting it, and the dashboard's list of units that
// still show sample data. Only administrators reach it (Routes).
//
// Every operation names the version of the unit that its page showed, so
// that of two people changing one unit the second is told instead of
// undoing the first's change. The store checks the whole chart in the
// transaction that writes it, so that two changes each fine alone (A
// moved under B, B under A) cannot both be written; the area checks
// nothing of the chart itself, and explains what the store refused.
package orgunits

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"portail/internal/admin"
	"portail/internal/auth"
	"portail/internal/i18n"
	"portail/internal/lang"
	"portail/internal/office"
	"portail/internal/orgchart"
	"portail/internal/render"
)

// Area is the organization chart's area, on the staff side's core.
type Area struct{ *admin.Admin }

// New returns the organization chart's area of core.
func New(core *admin.Admin) admin.Area { return &Area{core} }

// Interface guards.
var (
	_ admin.Area   = (*Area)(nil)
	_ admin.Todoer = (*Area)(nil)
)

const listPath = "/admin/org-units"

// unitURL is the staff URL of unit id's page.
func unitURL(id string) string { return listPath + "/" + url.PathEscape(id) }

// Routes are the area's rows of the staff route table.
func (a *Area) Routes() []admin.Route {
	rs := []admin.Route{
		{Pattern: "GET " + listPath, Perm: auth.ManageOrgUnits, Handler: a.list(), Nav: "admin.orgunits.nav"},
		{Pattern: "GET " + listPath + "/new", Perm: auth.ManageOrgUnits, Handler: a.newForm()},
		{Pattern: "POST " + listPath + "/new", Perm: auth.ManageOrgUnits, Handler: a.create()},
		{Pattern: "GET " + listPath + "/import", Perm: auth.ManageOrgUnits, Handler: a.importForm()},
		{Pattern: "POST " + listPath + "/import", Perm: auth.ManageOrgUnits, Handler: a.importFile()},
		{Pattern: "GET " + listPath + "/export.json", Perm: auth.ManageOrgUnits, Handler: a.export(orgchart.JSON)},
		{Pattern: "GET " + listPath + "/export.csv", Perm: auth.ManageOrgUnits, Handler: a.export(orgchart.CSV)},
		{Pattern: "GET " + listPath + "/{id}", Perm: auth.ManageOrgUnits, Handler: a.unitPage()},
	}
	for _, op := range operations {
		rs = append(rs, admin.Route{Pattern: "POST " + listPath + "/{id}/" + op.name, Perm: auth.ManageOrgUnits, Handler: a.operate(op)})
	}
	return rs
}

// today returns the day it is at now in Montréal, where the department's
// changes take effect.
func today(now time.Time) orgchart.Date { return office.DateOf(now.In(i18n.Montreal)) }

// node is one unit of the list, its texts in the staff language, with
// the units under it: the list is drawn as nested lists.
type node struct {
	ID, Name, Acronym, Kind, Head, URL string
	Updated                            time.Time
	Sample                             string // says that its data are sample data, or ""
	Children                           []*node
}

// otherRow is a unit that is not in today's chart: closed, or planned.
type otherRow struct {
	ID, Name, Dates, URL string
}

type listData struct {
	admin.Page
	Today  string
	Root   *node
	Count  int
	Others []otherRow
}

func (a *Area) list() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		units, err := a.Store.OrgUnits(r.Context())
		if err != nil {
			a.Fail(w, r, err)
			return
		}
		d := listData{Page: a.Page(r, "admin.orgunits.title")}
		day := today(a.Now())
		d.Today = day.String()
		shown := map[string]bool{}
		var build func(n *orgchart.Node) *node
		build = func(n *orgchart.Node) *node {
			shown[n.Unit.ID] = true
			d.Count++
			v := &node{ID: n.Unit.ID, Name: n.Period.Name[lang.FR], Acronym: n.Period.Acronym,
				Kind: d.T("orgchart.kind." + string(n.Period.Kind)), Head: headText(&d.Page, n.Period.Head),
				URL: unitURL(n.Unit.ID), Updated: n.Unit.Updated}
			if n.Unit.Sample {
				v.Sample = d.T("admin.orgunits.sample")
			}
			for _, c := range n.Children {
				v.Children = append(v.Children, build(c))
			}
			return v
		}
		if root := orgchart.Tree(units, day); root != nil {
			d.Root = build(root)
		}
		for _, u := range units {
			if shown[u.ID] || len(u.Periods) == 0 {
				continue
			}
			d.Others = append(d.Others, otherRow{ID: u.ID, Name: u.Periods[len(u.Periods)-1].Name[lang.FR],
				Dates: datesText(&d.Page, u), URL: unitURL(u.ID)})
		}
		if q := r.URL.Query(); q.Has("imported") {
			n := func(k string) int { v, _ := strconv.Atoi(q.Get(k)); return v }
			d.Notice = d.T("admin.orgunits.imported", n("added"), n("changed"), n("removed"))
		}
		a.Render(w, r, http.StatusOK, "admin-orgunits", &d)
	})
}

// headText is the head of a unit as the staff side shows it: the name,
// then the title in the page's language (French if there is none).
func headText(p *admin.Page, h orgchart.Head) string {
	title := h.Title[p.Lang]
	if title == "" {
		title = h.Title[lang.FR]
	}
	switch {
	case h.Name == "":
		return title
	case title == "":
		return h.Name
	}
	return h.Name + ", " + title
}

// datesText says when unit u exists: "from 2024-01-01" or "from
// 2024-04-01 to 2026-11-01" (its first day, and the first day it no
// longer exists).
func datesText(p *admin.Page, u orgchart.Unit) string {
	first, last := u.Periods[0], u.Periods[len(u.Periods)-1]
	if last.To.IsZero() {
		return p.T("admin.orgunits.dates.from", first.From.String())
	}
	return p.T("admin.orgunits.dates.from_to", first.From.String(), last.To.String())
}

// Todo lists, for those who may change the chart, the units whose data
// are still sample data rather than the department's. It is a warning
// rather than a queue: with no such unit, there is no list.
func (a *Area) Todo(ctx context.Context, p *admin.Page) ([]admin.TodoList, error) {
	if !a.May(p.User, "GET "+listPath+"/{id}") || !a.May(p.User, "POST "+listPath+"/{id}/sample") {
		return nil, nil
	}
	units, err := a.Store.OrgUnits(ctx)
	if err != nil {
		return nil, err
	}
	l := admin.TodoList{ID: "todo-orgunits-sample", All: render.Link{Label: p.T("admin.orgunits.todo.all"), URL: listPath}}
	n := 0
	for _, u := range units {
		if !u.Sample || len(u.Periods) == 0 {
			continue
		}
		n++
		l.Add(admin.TodoItem{Label: u.Periods[len(u.Periods)-1].Name[lang.FR], URL: unitURL(u.ID), Lang: lang.FR,
			Detail: p.T("admin.orgunits.todo.item", i18n.DateTime(u.Updated))})
	}
	if n == 0 {
		return nil, nil
	}
	l.Finish(p, "admin.orgunits.todo", n)
	return []admin.TodoList{l}, nil
}
