package admin

import (
	"context"
	"net/http"

	"portail/internal/auth"
	"portail/internal/content"
	"portail/internal/i18n"
	"portail/internal/lang"
	"portail/internal/render"
)

// The dashboard (/admin/) is the signed-in account's to-do list: for each
// publishing list that its role may open, how many items wait, the first
// few, and a link to the whole list.

// todoShown is how many items of each list the dashboard shows; the
// list's own page has them all.
const todoShown = 5

// todoItem is one thing to do: a link, what it is, and a warning in words
// (never only a colour) when it is late.
type todoItem struct {
	Label, URL string
	Lang       lang.Lang // of Label when it is page text
	Detail     string
	Flag       string
	Note       string // what a reviewer asked, for a draft sent back
}

// todoList is one heading of the dashboard.
type todoList struct {
	ID      string // the heading's id
	Heading string // what the list is, with its count
	Count   int
	Flag    string // how many items are late, in words; "" when none
	Empty   string // said when Count is 0
	Items   []todoItem
	All     render.Link // the page with the whole list
}

type dashboardData struct {
	Page
	RoleName string
	Lists    []todoList
}

// may reports whether u may use the route pattern of the route table.
func (a *Admin) may(u auth.User, pattern string) bool {
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
		lists, err := a.todo(r.Context(), &d.Page)
		if err != nil {
			a.Fail(w, r, err)
			return
		}
		d.Lists = lists
		a.Render(w, r, http.StatusOK, "admin-dashboard", &d)
	})
}

// todo builds the to-do lists of p's account, each only when its role may
// open the pages the list links to.
func (a *Admin) todo(ctx context.Context, p *Page) ([]todoList, error) {
	u := p.User
	var out []todoList
	approve := a.may(u, "GET /admin/revisions/{id}") && a.may(u, "POST /admin/revisions/{id}/publish")
	write := a.may(u, "GET /admin/pages/{key}") && a.may(u, "POST /admin/pages/{key}")
	if approve || write {
		pending, err := a.Store.Pending(ctx)
		if err != nil {
			return nil, err
		}
		if approve {
			out = append(out, a.toApprove(p, pending))
		}
		if write {
			out = append(out, a.drafts(p, pending))
		}
	}
	if a.may(u, "GET /admin/scheduled") {
		l, err := a.todoScheduled(ctx, p)
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	if a.may(u, "GET /admin/reviews") && a.may(u, "GET /admin/pages/{key}") {
		l, err := a.todoReviews(ctx, p)
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	if a.may(u, "GET /admin/translations") && a.may(u, "GET /admin/pages/{key}") {
		l, err := a.todoTranslations(ctx, p)
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, nil
}

// add appends it to l unless todoShown items are there already.
func (l *todoList) add(it todoItem) {
	if len(l.Items) < todoShown {
		l.Items = append(l.Items, it)
	}
}

// finish sets the heading and the count of l from its count key.
func (l *todoList) finish(p *Page, headingKey string, n int, args ...any) {
	l.Count = n
	l.Heading = p.T(headingKey, append(args, n)...)
}

// toApprove lists the revisions in review that wait for an approval and
// that p's account did not write (nobody approves their own change, and
// an admin who does so is not reminded of it), oldest first.
func (a *Admin) toApprove(p *Page, pending []content.Revision) todoList {
	l := todoList{ID: "todo-approve", Empty: p.T("admin.dashboard.approve.none"),
		All: render.Link{Label: p.T("admin.dashboard.approve.all"), URL: "/admin/pages?state=review"}}
	n := 0
	for _, rv := range pending {
		if rv.State != content.Review || !rv.PublishAt.IsZero() || rv.Author == p.User.Email {
			continue
		}
		n++
		l.add(todoItem{Label: rv.Title, URL: revisionURL(rv.ID), Lang: rv.Lang,
			Detail: p.T("admin.dashboard.item.by", p.T("admin.pages.lang."+string(rv.Lang)), rv.Author, i18n.DateTime(rv.Created))})
	}
	l.finish(p, "admin.dashboard.approve", n)
	return l
}

// drafts lists the pages whose newest revision is a draft by p's account,
// with the comment of the reviewer who sent it back, if one did.
func (a *Admin) drafts(p *Page, pending []content.Revision) todoList {
	l := todoList{ID: "todo-drafts", Empty: p.T("admin.dashboard.drafts.none"),
		All: render.Link{Label: p.T("admin.dashboard.drafts.all"), URL: "/admin/pages?state=draft"}}
	n := 0
	for _, rv := range pending {
		if rv.State != content.Draft || rv.Author != p.User.Email {
			continue
		}
		n++
		it := todoItem{Label: rv.Title, URL: pageURL(rv.PageKey), Lang: rv.Lang,
			Detail: p.T("admin.dashboard.item.saved", p.T("admin.pages.lang."+string(rv.Lang)), i18n.DateTime(rv.Created))}
		if ret := rv.Returned; ret.By != "" && ret.By != rv.Author {
			it.Note = p.T("admin.dashboard.item.returned", ret.By, ret.Comment)
		}
		l.add(it)
	}
	l.finish(p, "admin.dashboard.drafts", n)
	return l
}

// todoScheduled counts the scheduled publications and flags the overdue.
func (a *Admin) todoScheduled(ctx context.Context, p *Page) (todoList, error) {
	list, err := a.Store.Scheduled(ctx)
	if err != nil {
		return todoList{}, err
	}
	l := todoList{ID: "todo-scheduled", Empty: p.T("admin.scheduled.none"),
		All: render.Link{Label: p.T("admin.dashboard.scheduled.all"), URL: "/admin/scheduled"}}
	now, late := a.Now(), 0
	for _, rv := range list {
		it := todoItem{Label: rv.Title, URL: revisionURL(rv.ID), Lang: rv.Lang,
			Detail: p.T("admin.dashboard.item.at", p.T("admin.pages.lang."+string(rv.Lang)), i18n.DateTime(rv.PublishAt))}
		if rv.Overdue(now) {
			late++
			it.Flag = p.T("admin.scheduled.overdue_short")
		}
		l.add(it)
	}
	if late > 0 {
		l.Flag = p.T("admin.scheduled.overdue_count", late)
	}
	l.finish(p, "admin.dashboard.scheduled", len(list))
	return l, nil
}

// todoReviews counts the pages due for review and flags those past.
func (a *Admin) todoReviews(ctx context.Context, p *Page) (todoList, error) {
	rows, err := a.dueForReview(ctx)
	if err != nil {
		return todoList{}, err
	}
	days := int(reviewSoon.Hours() / 24)
	l := todoList{ID: "todo-reviews", Empty: p.T("admin.reviews.none"),
		All: render.Link{Label: p.T("admin.dashboard.reviews.all"), URL: "/admin/reviews"}}
	past := 0
	for _, row := range rows {
		it := todoItem{Label: row.Title, URL: row.EditURL, Lang: lang.FR,
			Detail: p.T("admin.dashboard.item.review_by", row.ReviewBy.Format(dateLayout))}
		if row.Past {
			past++
			it.Flag = p.T("admin.reviews.past")
		}
		l.add(it)
	}
	if past > 0 {
		l.Flag = p.T("admin.dashboard.reviews.past", past)
	}
	l.finish(p, "admin.dashboard.reviews", len(rows), days)
	return l, nil
}

// todoTranslations counts the pages whose English is missing or older
// than the French.
func (a *Admin) todoTranslations(ctx context.Context, p *Page) (todoList, error) {
	gaps, err := a.Store.TranslationGaps(ctx)
	if err != nil {
		return todoList{}, err
	}
	l := todoList{ID: "todo-translations", Empty: p.T("admin.translations.none"),
		All: render.Link{Label: p.T("admin.dashboard.translations.all"), URL: "/admin/translations"}}
	for _, g := range gaps {
		detail := p.T("admin.dashboard.item.stale")
		if g.Missing() {
			detail = p.T("admin.translations.missing")
		}
		l.add(todoItem{Label: g.FRTitle, URL: translateURL(g.PageKey), Lang: lang.FR, Detail: detail})
	}
	l.finish(p, "admin.dashboard.translations", len(gaps))
	return l, nil
}
