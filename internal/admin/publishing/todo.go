package publishing

import (
	"context"
	"portail/internal/admin"
	"portail/internal/content"
	"portail/internal/i18n"
	"portail/internal/lang"
	"portail/internal/render"
)

// Todo builds the publishing to-do lists of p's account, each only when its role may
// open the pages the list links to.
func (a *Area) Todo(ctx context.Context, p *admin.Page) ([]admin.TodoList, error) {
	u := p.User
	var out []admin.TodoList
	approve := a.May(u, "GET /admin/revisions/{id}") && a.May(u, "POST /admin/revisions/{id}/publish")
	write := a.May(u, "GET /admin/pages/{key}") && a.May(u, "POST /admin/pages/{key}")
	if approve || write {
		pending, err := a.Store.Pending(ctx)
		if err != nil {
			return nil, err
		}
		if approve {
			out = append(out, a.toApprove(p, pending))
		}
		if write {
			out = append(out, a.drafts(p, pending), a.sent(p, pending))
		}
	}
	if a.May(u, "GET /admin/scheduled") {
		l, err := a.todoScheduled(ctx, p)
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	if a.May(u, "GET /admin/reviews") && a.May(u, "GET /admin/pages/{key}") {
		l, err := a.todoReviews(ctx, p)
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	if a.May(u, "GET /admin/translations") && a.May(u, "GET /admin/pages/{key}") {
		l, err := a.todoTranslations(ctx, p)
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, nil
}

// toApprove lists the revisions in review that wait for an approval and
// that p's account did not write (nobody approves their own change, and
// an admin who does so is not reminded of it), oldest first.
func (a *Area) toApprove(p *admin.Page, pending []content.Revision) admin.TodoList {
	l := admin.TodoList{ID: "todo-approve", Empty: p.T("admin.dashboard.approve.none"),
		All: render.Link{Label: p.T("admin.dashboard.approve.all"), URL: "/admin/pages?state=review"}}
	n := 0
	for _, rv := range pending {
		if rv.State != content.Review || !rv.PublishAt.IsZero() || rv.Author == p.User.Email {
			continue
		}
		n++
		l.Add(admin.TodoItem{Label: rv.Title, URL: revisionURL(rv.ID), Lang: rv.Lang,
			Detail: p.T("admin.dashboard.item.by", p.T("admin.pages.lang."+string(rv.Lang)), p.Person(rv.Author), i18n.DateTime(rv.Created))})
	}
	l.Finish(p, "admin.dashboard.approve", n)
	return l
}

// drafts lists the pages whose newest revision is a draft by p's account,
// with the comment of the reviewer who sent it back, if one did.
func (a *Area) drafts(p *admin.Page, pending []content.Revision) admin.TodoList {
	l := admin.TodoList{ID: "todo-drafts", Empty: p.T("admin.dashboard.drafts.none"),
		All: render.Link{Label: p.T("admin.dashboard.drafts.all"), URL: "/admin/pages?state=draft"}}
	n := 0
	for _, rv := range pending {
		if rv.State != content.Draft || rv.Author != p.User.Email {
			continue
		}
		n++
		it := admin.TodoItem{Label: rv.Title, URL: pageURL(rv.PageKey), Lang: rv.Lang,
			Detail: p.T("admin.dashboard.item.saved", p.T("admin.pages.lang."+string(rv.Lang)), i18n.DateTime(rv.Created))}
		if ret := rv.Returned; ret.By != "" && ret.By != rv.Author {
			it.Note = p.T("admin.dashboard.item.returned", p.Person(ret.By), ret.Comment)
		}
		l.Add(it)
	}
	l.Finish(p, "admin.dashboard.drafts", n)
	return l
}

// sent lists the revisions that p's account sent to review and that
// nobody has decided on yet, scheduled ones included, oldest first: what
// she waits for.
func (a *Area) sent(p *admin.Page, pending []content.Revision) admin.TodoList {
	l := admin.TodoList{ID: "todo-sent", Empty: p.T("admin.dashboard.sent.none"),
		All: render.Link{Label: p.T("admin.dashboard.sent.all"), URL: "/admin/pages?state=review"}}
	n := 0
	for _, rv := range pending {
		if rv.State != content.Review || rv.Author != p.User.Email {
			continue
		}
		n++
		it := admin.TodoItem{Label: rv.Title, URL: revisionURL(rv.ID), Lang: rv.Lang,
			Detail: p.T("admin.dashboard.item.saved", p.T("admin.pages.lang."+string(rv.Lang)), i18n.DateTime(rv.Created))}
		if !rv.PublishAt.IsZero() {
			it.Note = p.T("admin.dashboard.item.scheduled", i18n.DateTime(rv.PublishAt))
		}
		l.Add(it)
	}
	l.Finish(p, "admin.dashboard.sent", n)
	return l
}

// todoScheduled counts the scheduled publications and flags the overdue.
func (a *Area) todoScheduled(ctx context.Context, p *admin.Page) (admin.TodoList, error) {
	list, err := a.Store.Scheduled(ctx)
	if err != nil {
		return admin.TodoList{}, err
	}
	l := admin.TodoList{ID: "todo-scheduled", Empty: p.T("admin.scheduled.none"),
		All: render.Link{Label: p.T("admin.dashboard.scheduled.all"), URL: "/admin/scheduled"}}
	now, late := a.Now(), 0
	for _, rv := range list {
		it := admin.TodoItem{Label: rv.Title, URL: revisionURL(rv.ID), Lang: rv.Lang,
			Detail: p.T("admin.dashboard.item.at", p.T("admin.pages.lang."+string(rv.Lang)), i18n.DateTime(rv.PublishAt))}
		if rv.Overdue(now) {
			late++
			it.Flag = p.T("admin.scheduled.overdue_short")
		}
		l.Add(it)
	}
	if late > 0 {
		l.Flag = p.T("admin.scheduled.overdue_count", late)
	}
	l.Finish(p, "admin.dashboard.scheduled", len(list))
	return l, nil
}

// todoReviews counts the pages due for review and flags those past.
func (a *Area) todoReviews(ctx context.Context, p *admin.Page) (admin.TodoList, error) {
	rows, err := a.dueForReview(ctx)
	if err != nil {
		return admin.TodoList{}, err
	}
	days := int(reviewSoon.Hours() / 24)
	l := admin.TodoList{ID: "todo-reviews", Empty: p.T("admin.reviews.none"),
		All: render.Link{Label: p.T("admin.dashboard.reviews.all"), URL: "/admin/reviews"}}
	past := 0
	for _, row := range rows {
		it := admin.TodoItem{Label: row.Title, URL: row.EditURL, Lang: lang.FR,
			Detail: p.T("admin.dashboard.item.review_by", row.ReviewBy.Format(dateLayout))}
		if row.Past {
			past++
			it.Flag = p.T("admin.reviews.past")
		}
		l.Add(it)
	}
	if past > 0 {
		l.Flag = p.T("admin.dashboard.reviews.past", past)
	}
	l.Finish(p, "admin.dashboard.reviews", len(rows), days)
	return l, nil
}

// todoTranslations counts the pages whose English is missing or older
// than the French.
func (a *Area) todoTranslations(ctx context.Context, p *admin.Page) (admin.TodoList, error) {
	gaps, err := a.Store.TranslationGaps(ctx)
	if err != nil {
		return admin.TodoList{}, err
	}
	l := admin.TodoList{ID: "todo-translations", Empty: p.T("admin.translations.none"),
		All: render.Link{Label: p.T("admin.dashboard.translations.all"), URL: "/admin/translations"}}
	for _, g := range gaps {
		detail := p.T("admin.dashboard.item.stale")
		if g.Missing() {
			detail = p.T("admin.translations.missing")
		}
		l.Add(admin.TodoItem{Label: g.FRTitle, URL: translateURL(g.PageKey), Lang: lang.FR, Detail: detail})
	}
	l.Finish(p, "admin.dashboard.translations", len(gaps))
	return l, nil
}
