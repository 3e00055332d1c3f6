package publishing

import (
	"context"
	"errors"
	"html/template"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"portail/internal/admin"
	"portail/internal/apperr"
	"portail/internal/auth"
	"portail/internal/content"
	"portail/internal/i18n"
	"portail/internal/lang"
	"portail/internal/markdown"
	"portail/internal/render"
	"portail/internal/site"
)

// The staff pages of the publishing workflow: the page list, the
// bilingual editor and its preview. Workflow steps on one revision are in
// pages_workflow.go, history and diff in pages_history.go, dashboards in
// pages_dashboards.go.

// actor is the workflow's view of a signed-in account.
func actor(u auth.User) content.Actor {
	return content.Actor{Name: u.Email, Write: u.Can(auth.WritePages), Approve: u.Can(auth.PublishPages), Admin: u.Role == auth.Admin}
}

// pageURL is the staff URL of a page's editor.
func pageURL(key string) string { return "/admin/pages/" + url.PathEscape(key) }

// revisionURL is the staff URL of one revision.
func revisionURL(id int64) string { return "/admin/revisions/" + strconv.FormatInt(id, 10) }

// latest returns the newest revision of a page in each language.
func (a *Area) latest(ctx context.Context, key string) (map[lang.Lang]content.Revision, error) {
	out := map[lang.Lang]content.Revision{}
	for _, l := range lang.All {
		revs, err := a.Store.Revisions(ctx, key, l)
		if err != nil {
			return nil, err
		}
		if len(revs) > 0 {
			out[l] = revs[0]
		}
	}
	return out, nil
}

// publicTranslations returns the public translations by page and language.
func (a *Area) publicTranslations(ctx context.Context) (map[string]map[lang.Lang]content.Translation, error) {
	ts, err := a.Store.Translations(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string]map[lang.Lang]content.Translation{}
	for _, t := range ts {
		if out[t.PageKey] == nil {
			out[t.PageKey] = map[lang.Lang]content.Translation{}
		}
		out[t.PageKey][t.Lang] = t
	}
	return out, nil
}

// --- page list ---

type langCell struct {
	Title    string
	State    content.State // of the newest revision; "" when none
	Public   string        // public URL when published
	Revision string        // staff URL of the newest revision
	Missing  bool          // no revision and nothing public
	// FrenchOnly: the English of a page that is French-only by design.
	FrenchOnly bool
}

type pageRow struct {
	// Title is what people call the page: its newest French title, else
	// its English one (in TitleLang), else its key.
	Title                 string
	TitleLang             lang.Lang
	Key, Section, EditURL string
	Cells                 []langCell // French, English
	ReviewBy              time.Time
}

type pagesData struct {
	admin.Page
	Filters   []admin.ChoiceField
	Rows      []pageRow
	CanCreate bool
}

func (a *Area) pageList() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		q := r.URL.Query()
		d := pagesData{Page: a.Page(r, "admin.pages.title")}
		d.CanCreate = d.User.Can(auth.WritePages)
		sec, state, missing := q.Get("section"), q.Get("state"), q.Get("missing")
		all := d.T("admin.pages.filter.all")
		sections, err := a.Store.Sections(ctx)
		if err != nil {
			a.Fail(w, r, err)
			return
		}
		secs := []admin.Option{{Value: "", Label: all, Selected: sec == ""}}
		for _, s := range sections {
			secs = append(secs, admin.Option{Value: string(s.Key), Label: s.Label[d.Lang], Selected: sec == string(s.Key)})
		}
		states := []admin.Option{{Value: "", Label: all, Selected: state == ""}}
		for _, s := range []content.State{content.Draft, content.Review, content.Published, content.Archived} {
			states = append(states, admin.Option{Value: string(s), Label: d.T("workflow.state." + string(s)), Selected: state == string(s)})
		}
		miss := []admin.Option{{Value: "", Label: all, Selected: missing == ""}}
		for _, l := range lang.All {
			miss = append(miss, admin.Option{Value: string(l), Label: d.T("admin.pages.filter.missing." + string(l)), Selected: missing == string(l)})
		}
		d.Filters = []admin.ChoiceField{
			newSelect(&d.Page, "section", "admin.pages.filter.section", secs),
			newSelect(&d.Page, "state", "admin.pages.filter.state", states),
			newSelect(&d.Page, "missing", "admin.pages.filter.missing", miss),
		}

		pages, err := a.Store.ListPages(ctx)
		if err != nil {
			a.Fail(w, r, err)
			return
		}
		public, err := a.publicTranslations(ctx)
		if err != nil {
			a.Fail(w, r, err)
			return
		}
		for _, p := range pages {
			if sec != "" && string(p.Section) != sec {
				continue
			}
			newest, err := a.latest(ctx, p.Key)
			if err != nil {
				a.Fail(w, r, err)
				return
			}
			row := pageRow{Key: p.Key, Section: d.T("nav." + string(p.Section)), EditURL: pageURL(p.Key), ReviewBy: p.ReviewBy}
			stateMatch := state == ""
			for _, l := range lang.All {
				c := langCell{}
				if rv, ok := newest[l]; ok {
					c.Title, c.State, c.Revision = rv.Title, rv.State, revisionURL(rv.ID)
					stateMatch = stateMatch || string(rv.State) == state
				}
				if t, ok := public[p.Key][l]; ok && t.HasContent() {
					c.Public = site.URL(l, t.Path)
				} else {
					c.Missing = c.State == ""
				}
				c.FrenchOnly = l == lang.EN && p.FrenchOnly && c.Missing
				if row.Title == "" && c.Title != "" {
					row.Title, row.TitleLang = c.Title, l
				}
				row.Cells = append(row.Cells, c)
			}
			if row.Title == "" {
				row.Title = p.Key
			}
			if !stateMatch {
				continue
			}
			if missing != "" {
				i := 0
				if missing == string(lang.EN) {
					i = 1
				}
				if row.Cells[i].Public != "" {
					continue
				}
			}
			d.Rows = append(d.Rows, row)
		}
		if q.Has("created") {
			d.Notice = d.T("admin.pages.created")
		}
		a.Render(w, r, http.StatusOK, "admin-pages", &d)
	})
}

// --- new page ---

type newPageData struct {
	admin.Page
	Section, Key, Order admin.Field
	Sections            admin.ChoiceField
}

func (a *Area) renderNewPage(w http.ResponseWriter, r *http.Request, status int, form url.Values, problems map[string]string) {
	d := newPageData{Page: a.Page(r, "admin.pages.new.title")}
	d.Form, d.Problems = form, problems
	sections, err := a.Store.Sections(r.Context())
	if err != nil {
		a.Fail(w, r, err)
		return
	}
	var secs []admin.Option
	for _, s := range sections {
		secs = append(secs, admin.Option{Value: string(s.Key), Label: s.Label[d.Lang], Selected: form.Get("section") == string(s.Key)})
	}
	d.Sections = newSelect(&d.Page, "section", "admin.pages.field.section", secs)
	d.Key = newField(&d.Page, "key", "admin.pages.field.key", "text")
	d.Order = newField(&d.Page, "order", "admin.pages.field.order", "number")
	a.Render(w, r, status, "admin-page-new", &d)
}

func (a *Area) newPageForm() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a.renderNewPage(w, r, http.StatusOK, url.Values{"section": {string(content.SectionDepartment)}}, nil)
	})
}

func (a *Area) createPage() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			a.Fail(w, r, apperr.Wrap(apperr.Invalid, err, "admin: new page form"))
			return
		}
		f := r.PostForm
		p := apperr.Problems{}
		key := strings.TrimSpace(f.Get("key"))
		if key == "" {
			p.Add("key", "form.required")
		} else if !content.ValidKey(key) {
			p.Add("key", "form.key.invalid")
		} else if a.keyReserved(key) {
			p.Add("key", "form.key.reserved")
		}
		sec := content.Section(f.Get("section"))
		sections, err := a.Store.Sections(r.Context())
		if err != nil {
			a.Fail(w, r, err)
			return
		}
		if !slices.ContainsFunc(sections, func(s content.NavSection) bool { return s.Key == sec }) {
			p.Add("section", "form.section.invalid")
		}
		order, err := strconv.Atoi(strings.TrimSpace(f.Get("order")))
		if f.Get("order") != "" && (err != nil || order < 0 || order > 10000) {
			p.Add("order", "form.number.invalid")
		}
		if len(p) == 0 {
			err = a.Store.CreatePage(r.Context(), content.Page{Key: key, Section: sec, Order: order})
			switch {
			case errors.Is(err, apperr.Conflict):
				p.Add("key", "form.key.taken")
			case apperr.ProblemsOf(err)["section"] != "":
				p.Add("section", apperr.ProblemsOf(err)["section"])
			case errors.Is(err, apperr.Invalid):
				p.Add("key", "form.key.invalid")
			case err != nil:
				a.Fail(w, r, err)
				return
			}
		}
		if len(p) > 0 {
			a.renderNewPage(w, r, http.StatusUnprocessableEntity, f, p)
			return
		}
		http.Redirect(w, r, pageURL(key)+"?created", http.StatusSeeOther)
	})
}

// keyReserved reports whether key is a fixed segment of a staff route
// under /admin/pages/ ("new", the creation form): that route would answer
// /admin/pages/KEY instead of the page's editor.
func (a *Area) keyReserved(key string) bool {
	for pattern := range a.Table() {
		_, path, _ := strings.Cut(pattern, " ")
		rest, ok := strings.CutPrefix(path, "/admin/pages/")
		if seg, _, _ := strings.Cut(rest, "/"); ok && seg == key {
			return true
		}
	}
	return false
}

// pathProblem returns the message key that refuses path for page key in
// language l, or "": a path that a public route other than the page
// route would hide, or a move of a page whose path a module fixes.
func (a *Area) pathProblem(key string, l lang.Lang, path string) string {
	if fixed, ok := a.FixedPaths[key]; ok && fixed[l] != path {
		return "form.path.fixed"
	}
	if site.PathReserved(a.ReservedPaths, l, path) {
		return "form.path.reserved"
	}
	return ""
}

// errPath refuses a revision whose path pathProblem refuses.
func errPath(problem string) error {
	return &apperr.Error{Kind: apperr.Invalid, Msg: "admin: " + problem, Problems: map[string]string{"path": problem}}
}

// --- bilingual editor ---

// editorFields are the per-language fields of the editor, named
// "<lang>.<field>" as content.Edit names their problems.
var editorFields = []string{"title", "path", "summary", "body", "change_note", "note"}

// column is one language of the editor and the state of its newest
// revision.
type column struct {
	Lang     lang.Lang
	Latest   *content.Revision
	Public   string // public URL, when published
	History  string
	Issues   []string // accessibility problems of the newest revision
	Overdue  bool
	Preview  string
	Revision string
	Conflict *conflict // what someone else saved while the writer was editing
	Files    []snippet // Markdown of the published files, in this language
}

// conflict is the revision that someone else saved in one language while
// the writer edited it, and its word diff from the revision the writer
// started from.
type conflict struct {
	Theirs content.Revision
	Fields []content.FieldDiff
}

type editorData struct {
	admin.Page
	Key       string
	Section   string
	Columns   []column
	CanWrite  bool
	ReviewBy  time.Time
	ActionURL string
	Reserved  map[lang.Lang][]string // Config.ReservedPaths
}

// F returns the view of editor field name, a "<lang>.<field>" or a shared
// field, labelled by catalog key labelKey.
func (d *editorData) F(name, labelKey, typ string) admin.Field {
	f := newField(&d.Page, name, labelKey, typ)
	l, field, ok := strings.Cut(name, ".")
	if ok && typ != "checkbox" && field != "note" {
		f.Lang = l // the text is in the column's language, whatever the staff side's
	}
	if words := d.Reserved[lang.Lang(l)]; field == "path" && len(words) > 0 {
		f.Hint += " " + d.T("admin.pages.field.path.reserved", strings.Join(words, ", "))
	}
	return f
}

// RevisionURL is the staff URL of revision id.
func (d *editorData) RevisionURL(id int64) string { return revisionURL(id) }

// newField returns the view of field name of page p, labelled by catalog
// key labelKey. The editor's fields are optional in the browser: the
// server says which are missing, in the staff language.
func newField(p *admin.Page, name, labelKey, typ string) admin.Field {
	f := p.Field(name, labelKey, typ, "")
	f.Required = false
	if strings.HasSuffix(name, ".body") {
		f.Rows = 20
	}
	return f
}

// newSelect returns the view of select name of page p.
func newSelect(p *admin.Page, name, labelKey string, opts []admin.Option) admin.ChoiceField {
	return admin.ChoiceField{Field: admin.Field{Name: name, Label: p.T(labelKey), Error: p.Error(name), ErrorID: p.ErrorID(name)}, Options: opts}
}

// revisionForm returns the editor's values for revision r.
func revisionForm(f url.Values, r content.Revision) {
	p := string(r.Lang) + "."
	f.Set(p+"title", r.Title)
	f.Set(p+"path", r.Path)
	f.Set(p+"summary", r.Summary)
	f.Set(p+"body", r.Body)
	f.Set(p+"change_note", r.ChangeNote)
	f.Set(p+"note", r.Note)
	f.Del(p + "major")
	if r.Major {
		f.Set(p+"major", "1")
	}
}

// editedPage is what the editor starts from: the page and the newest
// revision of each language.
type editedPage struct {
	content.Page
	newest map[lang.Lang]content.Revision
}

func (a *Area) editedPage(ctx context.Context, key string) (editedPage, error) {
	pg, err := a.Store.Page(ctx, key)
	if err != nil {
		return editedPage{}, err
	}
	newest, err := a.latest(ctx, key)
	return editedPage{Page: pg, newest: newest}, err
}

// baseField is the editor's hidden field that holds, per language, the ID
// of the revision its fields were filled from ("0": none).
func baseField(l lang.Lang) string { return string(l) + ".base" }

// renderEditor draws the editor of ep with form's values (nil: those of
// the newest revisions) and problems; conflicts are what others saved
// while the writer was editing, by language.
func (a *Area) renderEditor(w http.ResponseWriter, r *http.Request, status int, ep editedPage, form url.Values, problems map[string]string, conflicts map[lang.Lang]*conflict) {
	ctx := r.Context()
	key, pg, newest := ep.Key, ep.Page, ep.newest
	public, err := a.publicTranslations(ctx)
	if err != nil {
		a.Fail(w, r, err)
		return
	}
	d := editorData{Page: a.Page(r, "admin.editor.title"), Key: key, ActionURL: pageURL(key), Reserved: a.ReservedPaths}
	d.Title = d.T("admin.editor.title", key)
	d.Section = d.T("nav." + string(pg.Section))
	d.CanWrite = d.User.Can(auth.WritePages)
	d.ReviewBy = pg.ReviewBy
	if form == nil {
		form = url.Values{}
		for _, l := range lang.All {
			form.Set(baseField(l), "0")
		}
		for _, rv := range newest {
			revisionForm(form, rv.Successor())
			form.Set(baseField(rv.Lang), strconv.FormatInt(rv.ID, 10))
		}
		if !pg.ReviewBy.IsZero() {
			form.Set("review_by", pg.ReviewBy.Format(dateLayout))
		}
		if pg.FrenchOnly {
			form.Set("french_only", "1")
		}
	}
	d.Form, d.Problems = form, problems
	d.ProblemURLs = map[string]string{}
	for _, l := range lang.All {
		if problems[baseField(l)] != "" && conflicts[l] == nil {
			d.ProblemURLs[baseField(l)] = "" // no field to link to
		}
	}
	files, err := a.Store.ListMedia(ctx)
	if err != nil {
		a.Fail(w, r, err)
		return
	}
	now := a.Now()
	for _, l := range lang.All {
		c := column{Lang: l, History: pageURL(key) + "/" + string(l) + "/history", Preview: pageURL(key) + "/preview/" + string(l)}
		c.Files = snippets(a.Engine.Catalog(l), files, l)
		if rv, ok := newest[l]; ok {
			c.Latest = &rv
			c.Revision = revisionURL(rv.ID)
			c.Overdue = rv.Overdue(now)
			c.Issues = issueMessages(d.Base(), content.CheckAccessibility(rv.Body))
		}
		if t, ok := public[key][l]; ok && t.HasContent() {
			c.Public = site.URL(l, t.Path)
		}
		c.Conflict = conflicts[l]
		d.Columns = append(d.Columns, c)
	}
	q := r.URL.Query()
	switch {
	case q.Has("created"):
		d.Notice = d.T("admin.pages.created")
	case q.Has("submitted"):
		var names []string
		for _, v := range strings.Split(q.Get("submitted"), ",") {
			if l, ok := lang.Parse(v); ok {
				names = append(names, d.T("admin.editor.lang."+string(l)))
			}
		}
		d.Notice = d.T("admin.editor.submitted", strings.Join(names, ", "))
	case q.Has("saved"):
		d.Notice = d.T("admin.editor.saved")
	case q.Has("unchanged"):
		d.Notice = d.T("admin.editor.unchanged")
	case q.Has("restored"):
		d.Notice = d.T("admin.editor.restored")
	}
	if q.Has("unsubmitted") {
		d.Notice += " " + d.T("admin.editor.unsubmitted")
	}
	a.Render(w, r, status, "admin-page-edit", &d)
}

// issueMessages translates accessibility issues for display.
func issueMessages(p *render.Page, issues []content.Issue) []string {
	out := make([]string, 0, len(issues))
	for _, is := range issues {
		out = append(out, p.T(is.Key, is.Line, is.Text))
	}
	return out
}

func (a *Area) editor() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ep, err := a.editedPage(r.Context(), r.PathValue("key"))
		if err != nil {
			a.Fail(w, r, err)
			return
		}
		a.renderEditor(w, r, http.StatusOK, ep, nil, nil, nil)
	})
}

// dateLayout and dateTimeLayout are the values of date and
// datetime-local inputs, read in Montréal time.
const (
	dateLayout     = "2006-01-02"
	dateTimeLayout = "2006-01-02T15:04"
)

// formRevision reads language l's fields of the editor.
func formRevision(f url.Values, key string, l lang.Lang, author string) (content.Revision, bool) {
	p := string(l) + "."
	r := content.Revision{
		PageKey: key, Lang: l, Author: author, State: content.Draft,
		Title:      strings.TrimSpace(f.Get(p + "title")),
		Path:       strings.Trim(strings.TrimSpace(f.Get(p+"path")), "/"),
		Summary:    strings.TrimSpace(f.Get(p + "summary")),
		Body:       strings.ReplaceAll(f.Get(p+"body"), "\r\n", "\n"),
		Major:      f.Get(p+"major") != "",
		ChangeNote: strings.TrimSpace(f.Get(p + "change_note")),
		Note:       strings.TrimSpace(f.Get(p + "note")),
	}
	empty := r.Title == "" && r.Path == "" && r.Summary == "" && strings.TrimSpace(r.Body) == "" && r.ChangeNote == "" && r.Note == ""
	return r, empty
}

// bases reads the editor's hidden base fields: per language, the
// revision its fields were filled from (the zero Revision for none). A
// base that is not a revision of that page and language is a problem of
// the form, on "<lang>.base".
func (a *Area) bases(ctx context.Context, key string, f url.Values) (map[lang.Lang]content.Revision, apperr.Problems, error) {
	out := map[lang.Lang]content.Revision{}
	p := apperr.Problems{}
	for _, l := range lang.All {
		v := strings.TrimSpace(f.Get(baseField(l)))
		if v == "" || v == "0" {
			continue // a language the editor showed empty
		}
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			p.Add(baseField(l), "form.base.invalid")
			continue
		}
		rv, err := a.Store.Revision(ctx, id)
		switch {
		case errors.Is(err, apperr.NotFound), err == nil && (rv.PageKey != key || rv.Lang != l):
			p.Add(baseField(l), "form.base.invalid")
		case err != nil:
			return nil, nil, err
		default:
			out[l] = rv
		}
	}
	return out, p, nil
}

// saveEditor saves the editor: a new revision for each language whose
// fields changed from the revision the form was filled from, all or
// nothing. The "submit" action also sends the unchanged drafts to
// review. A language someone else saved since the form was filled is
// refused: the editor comes back (409) with what was typed and their
// change.
func (a *Area) saveEditor() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		key := r.PathValue("key")
		if err := r.ParseForm(); err != nil {
			a.Fail(w, r, apperr.Wrap(apperr.Invalid, err, "admin: editor form"))
			return
		}
		f := r.PostForm
		u, _ := admin.UserFrom(ctx)
		act := actor(u)
		if _, err := content.Decide(act, content.Request{Action: content.ActSave}, content.Revision{}, content.Translation{}); err != nil {
			a.Fail(w, r, err)
			return
		}
		ep, err := a.editedPage(ctx, key)
		if err != nil {
			a.Fail(w, r, err)
			return
		}
		bases, p, err := a.bases(ctx, key, f)
		if err != nil {
			a.Fail(w, r, err)
			return
		}
		pg, newest := ep.Page, ep.newest
		submit := f.Get("action") == "submit"
		edit := content.Edit{PageKey: key, Bases: map[lang.Lang]int64{}}
		for _, l := range lang.All {
			rv, empty := formRevision(f, key, l, u.Email)
			base, had := bases[l]
			switch {
			case had && (base.SameText(rv) || base.Successor().SameText(rv)):
				// Unchanged: nothing to write, even if someone saved since.
				if submit && base.State == content.Draft && newest[l].ID == base.ID {
					t, err := content.Decide(act, content.Request{Action: content.ActSubmit}, base, content.Translation{})
					if err != nil {
						a.Fail(w, r, err)
						return
					}
					edit.Steps = append(edit.Steps, t)
				}
				continue
			case !had && empty && l != lang.FR:
				continue // no English version, and none typed
			}
			if rv.Path == "" && pg.Section != content.SectionHome {
				p.Add(string(l)+".path", "form.required") // only the home page lives at /fr/
			} else if k := a.pathProblem(key, l, rv.Path); k != "" {
				p.Add(string(l)+".path", k)
			}
			if rv.Major && rv.ChangeNote == "" {
				// Asked now, while the writer is here, rather than at publication.
				p.Add(string(l)+".change_note", "form.change_note.required")
			}
			if submit {
				rv.State = content.Review
			}
			edit.Revisions = append(edit.Revisions, rv)
			edit.Bases[l] = base.ID
		}
		if v := strings.TrimSpace(f.Get("review_by")); v != "" {
			d, err := time.Parse(dateLayout, v)
			if err != nil {
				p.Add("review_by", "form.review_by.invalid")
			}
			edit.ReviewBy = d
		}
		if err := edit.Validate(); err != nil {
			for k, v := range apperr.ProblemsOf(err) {
				p.Add(k, v)
			}
		}
		edit.FrenchOnly = f.Get("french_only") != ""
		if len(p) > 0 {
			for _, l := range lang.All {
				if p[baseField(l)] != "" {
					// Unknown: the next save is checked as if from nothing.
					f.Set(baseField(l), "0")
				}
			}
			a.renderEditor(w, r, http.StatusUnprocessableEntity, ep, f, p, nil)
			return
		}
		if len(edit.Revisions) == 0 && len(edit.Steps) == 0 && pg.ReviewBy.Equal(edit.ReviewBy) && pg.FrenchOnly == edit.FrenchOnly {
			http.Redirect(w, r, pageURL(key)+"?"+saveOutcome("unchanged", submit, nil), http.StatusSeeOther)
			return
		}
		saved, err := a.Store.SaveEdit(ctx, edit)
		if err != nil {
			pr := apperr.ProblemsOf(err)
			switch {
			case apperr.KindOf(err) == apperr.Conflict && conflicted(pr):
				a.renderConflict(w, r, key, f, bases, pr)
			case len(pr) > 0:
				a.renderEditor(w, r, http.StatusUnprocessableEntity, ep, f, pr, nil)
			default:
				a.Fail(w, r, err)
			}
			return
		}
		var sent []lang.Lang
		for _, rv := range saved {
			if rv.State == content.Review {
				sent = append(sent, rv.Lang)
			}
		}
		for _, t := range edit.Steps {
			sent = append(sent, t.Lang)
		}
		http.Redirect(w, r, pageURL(key)+"?"+saveOutcome("saved", submit, sent), http.StatusSeeOther)
	})
}

// saveOutcome is the editor's query after a save, so that its notice
// says what happened: done ("saved" or "unchanged"), and for "save and
// send for review" the languages sent, or that there was nothing to send.
func saveOutcome(done string, submit bool, sent []lang.Lang) string {
	switch {
	case !submit:
		return done
	case len(sent) == 0:
		return done + "&unsubmitted"
	}
	var ls []string
	for _, l := range lang.All {
		if slices.Contains(sent, l) {
			ls = append(ls, string(l))
		}
	}
	return "submitted=" + strings.Join(ls, ",")
}

// conflicted reports whether problems refuse a language of an edit
// because someone saved it since the editor was filled.
func conflicted(problems map[string]string) bool {
	for _, l := range lang.All {
		if problems[baseField(l)] != "" {
			return true
		}
	}
	return false
}

// renderConflict draws the editor again (409) after SaveEdit refused
// languages that someone else saved meanwhile: the writer's text is kept,
// the other person's change is shown as a word diff, and the form's bases
// become the newest revisions, so that saving again replaces theirs
// deliberately. A language the writer left untouched shows the newest
// text instead of the stale one.
func (a *Area) renderConflict(w http.ResponseWriter, r *http.Request, key string, f url.Values, bases map[lang.Lang]content.Revision, problems map[string]string) {
	ep, err := a.editedPage(r.Context(), key)
	if err != nil {
		a.Fail(w, r, err)
		return
	}
	form := maps.Clone(f)
	shown := map[string]string{}
	conflicts := map[lang.Lang]*conflict{}
	for _, l := range lang.All {
		theirs, ok := ep.newest[l]
		if !ok {
			continue
		}
		base := bases[l]
		typed, empty := formRevision(f, key, l, "")
		untouched := base.ID != 0 && (base.SameText(typed) || base.Successor().SameText(typed)) || base.ID == 0 && empty
		switch {
		case problems[baseField(l)] != "":
			conflicts[l] = &conflict{Theirs: theirs, Fields: content.DiffRevisions(base, theirs)}
			shown[baseField(l)] = "admin.editor.conflict." + string(l)
		case untouched && base.ID != theirs.ID:
			revisionForm(form, theirs.Successor()) // nothing of the writer's to keep
		default:
			continue // the writer's change, on the base it was checked against
		}
		form.Set(baseField(l), strconv.FormatInt(theirs.ID, 10))
	}
	for k, v := range problems {
		if _, ok := shown[k]; !ok && !strings.HasSuffix(k, ".base") {
			shown[k] = v
		}
	}
	a.renderEditor(w, r, http.StatusConflict, ep, form, shown, conflicts)
}

// --- preview ---

// previewData has the fields of the public page template.
type previewData struct {
	render.Page
	Summary    string
	Body       template.HTML
	FrenchOnly bool
	FrenchURL  string
	Children   []struct {
		Title, Summary, URL string
		Lang                lang.Lang
	}
	History string
	Part    template.HTML // a module's part is not previewed
}

// preview renders the editor's values for one language in the public
// page template, without saving anything.
func (a *Area) preview() http.Handler {
	md := markdown.New()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l, ok := lang.Parse(r.PathValue("lang"))
		if !ok {
			a.Errors.NotFound(w, r)
			return
		}
		if err := r.ParseForm(); err != nil {
			a.Fail(w, r, apperr.Wrap(apperr.Invalid, err, "admin: preview form"))
			return
		}
		key := r.PathValue("key")
		if _, err := a.Store.Page(r.Context(), key); err != nil {
			a.Fail(w, r, err)
			return
		}
		rv, _ := formRevision(r.PostForm, key, l, "")
		// The body's limits also bound the Markdown parser's time.
		if k := apperr.ProblemsOf(rv.Validate())["body"]; k != "" {
			a.Errors.Invalid(w, r, k)
			return
		}
		body, err := md.Render(rv.Body)
		if err != nil {
			a.Fail(w, r, err)
			return
		}
		d := previewData{Page: a.Engine.Page(l), Summary: rv.Summary, Body: body}
		cat := a.Engine.Catalog(l)
		d.Title = cat.T("admin.preview.prefix") + " " + rv.Title
		d.Robots = "noindex"
		d.LastUpdate = a.Now()
		d.Breadcrumbs = []render.Link{{Label: cat.T("nav.home"), URL: site.URL(l, "")}, {Label: rv.Title}}
		out, err := a.Engine.Render("page", &d)
		if err != nil {
			a.Fail(w, r, err)
			return
		}
		h := w.Header()
		h.Set("Content-Type", "text/html; charset=utf-8")
		h.Set("Cache-Control", "no-store")
		w.Write(out)
	})
}

// montreal formats t for a datetime-local input in Montréal time.
func montreal(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(i18n.Montreal).Format(dateTimeLayout)
}
