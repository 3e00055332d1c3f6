// Package policies is the staff side's area for the international
// policy's documents: the list of documents with what is in force today,
// the form that adds or edits one (its fields, and its thrusts,
// objectives and measures as one outline text, policy.ParseOutline),
// deleting one, and the dashboard's warning when no policy is in force or
// the one in force has outlived its period. Only administrators reach it
// (Routes).
//
// Every write names the version the staff member started from, so that
// of two people editing one document the second is told instead of
// erasing the first's change; the store applies it, with its audit entry
// and its change record, in one transaction, and the public page follows
// the change record.
package policies

import (
	"context"
	"net/http"
	"net/url"
	"time"

	"portail/internal/admin"
	"portail/internal/auth"
	"portail/internal/i18n"
	"portail/internal/lang"
	"portail/internal/office"
	"portail/internal/policy"
	"portail/internal/render"
)

// Area is the international policy's area, on the staff side's core.
type Area struct{ *admin.Admin }

// New returns the international policy's area of core.
func New(core *admin.Admin) admin.Area { return &Area{core} }

// Interface guards.
var (
	_ admin.Area   = (*Area)(nil)
	_ admin.Todoer = (*Area)(nil)
)

const listPath = "/admin/policies"

// docURL is the staff URL of document id's form.
func docURL(id string) string { return listPath + "/" + url.PathEscape(id) }

// Routes are the area's rows of the staff route table.
func (a *Area) Routes() []admin.Route {
	return []admin.Route{
		{Pattern: "GET " + listPath, Perm: auth.ManagePolicy, Handler: a.list(), Nav: "admin.policies.nav"},
		{Pattern: "GET " + listPath + "/new", Perm: auth.ManagePolicy, Handler: a.newForm()},
		{Pattern: "POST " + listPath + "/new", Perm: auth.ManagePolicy, Handler: a.create()},
		{Pattern: "GET " + listPath + "/{doc}", Perm: auth.ManagePolicy, Handler: a.editForm()},
		{Pattern: "POST " + listPath + "/{doc}", Perm: auth.ManagePolicy, Handler: a.save()},
		{Pattern: "POST " + listPath + "/{doc}/delete", Perm: auth.ManagePolicy, Handler: a.delete()},
	}
}

// today is the department's day: what is in force is decided in
// Montréal, as the public page decides it.
func (a *Area) today() policy.Date { return office.DateOf(a.Now().In(i18n.Montreal)) }

// status is what document d is on day, among docs: in force, no longer in
// force, or announced (launched later).
func status(d policy.Document, docs []policy.Document, day policy.Date) string {
	if day.Before(d.Launched) {
		return "announced"
	}
	pol, updates := policy.InForce(docs, day)
	if pol != nil && pol.ID == d.ID {
		return "in_force"
	}
	for _, u := range updates {
		if u.ID == d.ID {
			return "in_force"
		}
	}
	return "past"
}

// counts are how many thrusts, objectives and measures d has.
func counts(d policy.Document) (thrusts, objectives, measures int) {
	for _, t := range d.Thrusts {
		objectives += len(t.Objectives)
		for _, o := range t.Objectives {
			measures += len(o.Measures)
		}
	}
	return len(d.Thrusts), objectives, measures
}

// listRow is one document of the list, in the staff language.
type listRow struct {
	ID, Title, Kind, Launched, Status, Structure, EditURL string
	InForce                                               bool
	Updated                                               time.Time
}

type listData struct {
	admin.Page
	Rows []listRow
}

func (a *Area) list() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		docs, err := a.Store.Policies(r.Context())
		if err != nil {
			a.Fail(w, r, err)
			return
		}
		d := listData{Page: a.Page(r, "admin.policies.title")}
		day := a.today()
		for _, doc := range docs {
			st := status(doc, docs, day)
			d.Rows = append(d.Rows, listRow{
				ID: doc.ID, Title: doc.Title[lang.FR], Kind: d.T("policy.kind." + string(doc.Kind)),
				Launched: doc.Launched.String(), Status: d.T("admin.policies.status." + st), InForce: st == "in_force",
				Structure: structure(&d.Page, doc), EditURL: docURL(doc.ID), Updated: doc.Updated,
			})
		}
		if r.URL.Query().Has("deleted") {
			d.Notice = d.T("admin.policies.deleted")
		}
		a.Render(w, r, http.StatusOK, "admin-policies", &d)
	})
}

// structure says how many thrusts, objectives and measures d has.
func structure(p *admin.Page, d policy.Document) string {
	t, o, m := counts(d)
	return p.T("admin.policies.structure", t, o, m)
}

// Todo warns those who may edit the policy when the public page has no
// policy in force today, or when the policy in force covers years that
// are over: the department's next policy is due. It is a warning rather
// than a queue: with nothing to say, there is no list.
func (a *Area) Todo(ctx context.Context, p *admin.Page) ([]admin.TodoList, error) {
	if !a.May(p.User, "GET "+listPath+"/{doc}") || !a.May(p.User, "POST "+listPath+"/{doc}") {
		return nil, nil
	}
	docs, err := a.Store.Policies(ctx)
	if err != nil {
		return nil, err
	}
	day := a.today()
	l := admin.TodoList{ID: "todo-policies", All: render.Link{Label: p.T("admin.policies.todo.all"), URL: listPath}}
	n := 0
	pol, updates := policy.InForce(docs, day)
	if pol == nil {
		n++
		l.Add(admin.TodoItem{Label: p.T("admin.policies.todo.none"), URL: listPath + "/new"})
	}
	if pol != nil {
		for _, d := range append([]policy.Document{*pol}, updates...) {
			if d.ToYear != 0 && d.ToYear < day.Year {
				n++
				l.Add(admin.TodoItem{Label: d.Title[lang.FR], URL: docURL(d.ID), Lang: lang.FR,
					Detail: p.T("admin.policies.todo.over", d.ToYear)})
			}
		}
	}
	if n == 0 {
		return nil, nil
	}
	l.Finish(p, "admin.policies.todo", n)
	return []admin.TodoList{l}, nil
}
