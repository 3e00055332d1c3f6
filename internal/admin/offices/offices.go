// Package offices is the staff side's area for the directory of offices
// abroad: the list of offices, the form that adds or edits one (every
// field of office.Office, hours and closures in their text forms),
// deleting one, importing the whole directory from a CSV or JSON file and
// exporting it, and the dashboard's list of offices that still show
// sample data. Only administrators reach it (Routes).
//
// Every write names the version the staff member started from, so that
// of two people editing one office the second is told instead of erasing
// the first's change; the store applies it, with its audit entry and its
// change record, in one transaction.
package offices

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
	"portail/internal/render"
)

// Area is the offices area, on the staff side's core.
type Area struct{ *admin.Admin }

// New returns the offices area of core.
func New(core *admin.Admin) admin.Area { return &Area{core} }

// Interface guards.
var (
	_ admin.Area   = (*Area)(nil)
	_ admin.Todoer = (*Area)(nil)
)

const listPath = "/admin/offices"

// officeURL is the staff URL of office slug's form.
func officeURL(slug string) string { return listPath + "/" + url.PathEscape(slug) }

// Routes are the offices area's rows of the staff route table.
func (a *Area) Routes() []admin.Route {
	return []admin.Route{
		{Pattern: "GET " + listPath, Perm: auth.ManageOffices, Handler: a.list(), Nav: "admin.offices.nav"},
		{Pattern: "GET " + listPath + "/new", Perm: auth.ManageOffices, Handler: a.newForm()},
		{Pattern: "POST " + listPath + "/new", Perm: auth.ManageOffices, Handler: a.create()},
		{Pattern: "GET " + listPath + "/import", Perm: auth.ManageOffices, Handler: a.importForm()},
		{Pattern: "POST " + listPath + "/import", Perm: auth.ManageOffices, Handler: a.importFile()},
		{Pattern: "GET " + listPath + "/export.json", Perm: auth.ManageOffices, Handler: a.export("json")},
		{Pattern: "GET " + listPath + "/export.csv", Perm: auth.ManageOffices, Handler: a.export("csv")},
		{Pattern: "GET " + listPath + "/{slug}", Perm: auth.ManageOffices, Handler: a.editForm()},
		{Pattern: "POST " + listPath + "/{slug}", Perm: auth.ManageOffices, Handler: a.save()},
		{Pattern: "POST " + listPath + "/{slug}/delete", Perm: auth.ManageOffices, Handler: a.delete()},
	}
}

// listRow is one office of the list, in the staff language.
type listRow struct {
	Slug, Name, City, Country, Type, Status, EditURL string
	Updated                                          time.Time
	Sample                                           bool
}

type listData struct {
	admin.Page
	Rows []listRow
}

// today returns the day it is at now in o's zone, where its opening and
// closing dates are stated; Montréal's if the zone cannot be loaded.
func today(o office.Office, now time.Time) office.Date {
	loc, err := office.LoadZone(o.TimeZone)
	if err != nil {
		loc = i18n.Montreal
	}
	return office.DateOf(now.In(loc))
}

func (a *Area) list() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		offs, err := a.Store.Offices(r.Context())
		if err != nil {
			a.Fail(w, r, err)
			return
		}
		d := listData{Page: a.Page(r, "admin.offices.title")}
		now := a.Now()
		for _, o := range offs {
			day := today(o, now)
			d.Rows = append(d.Rows, listRow{
				Slug: o.Slug, Name: o.Name[lang.FR], City: o.City[d.Lang], Country: office.CountryName(o.Country, d.Lang),
				Type:    d.T("offices.type." + string(o.TypeOn(day))),
				Status:  d.T("admin.offices.status." + string(o.StatusOn(day))),
				EditURL: officeURL(o.Slug), Updated: o.Updated, Sample: o.Sample,
			})
		}
		q := r.URL.Query()
		switch {
		case q.Has("deleted"):
			d.Notice = d.T("admin.offices.deleted")
		case q.Has("imported"):
			n := func(k string) int { v, _ := strconv.Atoi(q.Get(k)); return v }
			d.Notice = d.T("admin.offices.imported", n("added"), n("changed"), n("removed"))
		}
		a.Render(w, r, http.StatusOK, "admin-offices", &d)
	})
}

// Todo lists, for those who may edit offices, the offices whose details
// are still sample data rather than the department's. It is a warning
// rather than a queue: with no such office, there is no list.
func (a *Area) Todo(ctx context.Context, p *admin.Page) ([]admin.TodoList, error) {
	if !a.May(p.User, "GET "+listPath+"/{slug}") || !a.May(p.User, "POST "+listPath+"/{slug}") {
		return nil, nil
	}
	offs, err := a.Store.Offices(ctx)
	if err != nil {
		return nil, err
	}
	l := admin.TodoList{ID: "todo-offices-sample", All: render.Link{Label: p.T("admin.offices.todo.all"), URL: listPath}}
	n := 0
	for _, o := range offs {
		if !o.Sample {
			continue
		}
		n++
		l.Add(admin.TodoItem{Label: o.Name[lang.FR], URL: officeURL(o.Slug), Lang: lang.FR,
			Detail: p.T("admin.offices.todo.item", i18n.DateTime(o.Updated))})
	}
	if n == 0 {
		return nil, nil
	}
	l.Finish(p, "admin.offices.todo", n)
	return []admin.TodoList{l}, nil
}
