package publishing

import (
	"net/http"
	"strconv"

	"portail/internal/admin"
	"portail/internal/apperr"
	"portail/internal/content"
	"portail/internal/lang"
)

// diffURL is the staff URL of the diff from revision from to revision to.
func diffURL(key string, l lang.Lang, from, to int64) string {
	return pageURL(key) + "/" + string(l) + "/diff?from=" + strconv.FormatInt(from, 10) + "&to=" + strconv.FormatInt(to, 10)
}

type historyRow struct {
	content.Revision
	URL            string
	Public         bool // the revision the public sees
	FromChecked    bool
	ToChecked      bool
	PublishedBy    string
	PublishReason  string
	PublishedTimes int
}

type historyData struct {
	admin.Page
	Key, EditURL, DiffAction string
	Lang                     lang.Lang
	Rows                     []historyRow
	Publications             []content.Publication
}

// NumberOf returns the number people see of revision id, one of Rows.
func (d *historyData) NumberOf(id int64) int {
	for _, r := range d.Rows {
		if r.ID == id {
			return r.Number
		}
	}
	return 0
}

// pageHistory lists every revision of a page in one language, newest
// first, with a form to compare any two, and every publication with who
// approved it and, for an admin's own change, why.
func (a *Area) pageHistory() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		key := r.PathValue("key")
		l, ok := lang.Parse(r.PathValue("lang"))
		if !ok {
			a.Errors.NotFound(w, r)
			return
		}
		if _, err := a.Store.Page(ctx, key); err != nil {
			a.Fail(w, r, err)
			return
		}
		revs, err := a.Store.Revisions(ctx, key, l)
		if err != nil {
			a.Fail(w, r, err)
			return
		}
		pubs, err := a.Store.History(ctx, key, l)
		if err != nil {
			a.Fail(w, r, err)
			return
		}
		public, err := a.publicTranslations(ctx)
		if err != nil {
			a.Fail(w, r, err)
			return
		}
		d := historyData{Page: a.Page(r, "admin.history.title"), Key: key, Lang: l, EditURL: pageURL(key), Publications: pubs}
		d.Title = d.T("admin.history.title", key, d.T("admin.pages.lang."+string(l)))
		d.DiffAction = pageURL(key) + "/" + string(l) + "/diff"
		for i, rv := range revs {
			row := historyRow{Revision: rv, URL: revisionURL(rv.ID), Public: public[key][l].RevisionID == rv.ID,
				ToChecked: i == 0, FromChecked: i == 1}
			d.Rows = append(d.Rows, row)
		}
		a.Render(w, r, http.StatusOK, "admin-page-history", &d)
	})
}

type diffData struct {
	admin.Page
	Key, HistoryURL string
	Lang            lang.Lang
	From, To        content.Revision
	FromURL, ToURL  string
	Fields          []content.FieldDiff
}

// FieldLabel returns the label of a diffed field.
func (d *diffData) FieldLabel(field string) string { return d.T("admin.pages.field." + field) }

// diff shows the word diff between any two revisions of a page in one
// language.
func (a *Area) diff() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		key := r.PathValue("key")
		l, ok := lang.Parse(r.PathValue("lang"))
		if !ok {
			a.Errors.NotFound(w, r)
			return
		}
		var revs [2]content.Revision
		for i, name := range []string{"from", "to"} {
			id, err := strconv.ParseInt(r.URL.Query().Get(name), 10, 64)
			if err != nil || id <= 0 {
				a.Fail(w, r, &apperr.Error{Kind: apperr.Invalid, Msg: "admin: diff needs from and to"})
				return
			}
			rv, err := a.Store.Revision(ctx, id)
			if err != nil {
				a.Fail(w, r, err)
				return
			}
			if rv.PageKey != key || rv.Lang != l {
				a.Errors.NotFound(w, r)
				return
			}
			revs[i] = rv
		}
		d := diffData{Page: a.Page(r, "admin.diff.title"), Key: key, Lang: l, From: revs[0], To: revs[1],
			FromURL: revisionURL(revs[0].ID), ToURL: revisionURL(revs[1].ID),
			HistoryURL: pageURL(key) + "/" + string(l) + "/history"}
		d.Title = d.T("admin.diff.title", revs[0].Number, revs[1].Number)
		d.Fields = content.DiffRevisions(revs[0], revs[1])
		a.Render(w, r, http.StatusOK, "admin-diff", &d)
	})
}
