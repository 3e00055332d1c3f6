package admin

import (
	"net/http"

	"portail/internal/auth"
	"portail/internal/lang"
	"portail/internal/render"
)

// The dashboard (/admin/) is the signed-in account's to-do list: for each
// list of waiting work that its role may open, which the areas give
// (Todoer), how many items wait, the first few, and a link to the whole
// list.

// TodoShown is how many items of each list the dashboard shows; the
// list's own page has them all.
const TodoShown = 5

// TodoItem is one thing to do: a link, what it is, and a warning in words
// (never only a colour) when it is late.
type TodoItem struct {
	Label, URL string
	Lang       lang.Lang // of Label when it is page text
	Detail     string
	Flag       string
	Note       string // what a reviewer asked, for a draft sent back
}

// TodoList is one heading of the dashboard.
type TodoList struct {
	ID      string // the heading's id
	Heading string // what the list is, with its count
	Count   int
	Flag    string // how many items are late, in words; "" when none
	Empty   string // said when Count is 0
	Items   []TodoItem
	All     render.Link // the page with the whole list
}

// Add appends it to l unless TodoShown items are there already.
func (l *TodoList) Add(it TodoItem) {
	if len(l.Items) < TodoShown {
		l.Items = append(l.Items, it)
	}
}

// Finish sets the heading and the count of l from its count key.
func (l *TodoList) Finish(p *Page, headingKey string, n int, args ...any) {
	l.Count = n
	l.Heading = p.T(headingKey, append(args, n)...)
}

type dashboardData struct {
	Page
	RoleName string
	Lists    []TodoList
}

// May reports whether u may use the route pattern of the route table.
func (a *Admin) May(u auth.User, pattern string) bool {
	p, ok := a.perms[pattern]
	return ok && u.Can(p)
}

func (a *Admin) dashboard() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		d := dashboardData{Page: a.Page(r, "admin.dashboard.title")}
		d.RoleName = d.T("role." + string(d.User.Role))
		if r.URL.Query().Has("password") {
			d.Notice = d.T("admin.password.done")
		}
		for _, t := range a.todoer {
			lists, err := t.Todo(r.Context(), &d.Page)
			if err != nil {
				a.Fail(w, r, err)
				return
			}
			d.Lists = append(d.Lists, lists...)
		}
		a.Render(w, r, http.StatusOK, "admin-dashboard", &d)
	})
}
