package policies

import (
	"errors"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"portail/internal/admin"
	"portail/internal/apperr"
	"portail/internal/audit"
	"portail/internal/lang"
	"portail/internal/office"
	"portail/internal/policy"
)

// The document form has one field per field of policy.Document, named as
// Validate names its problems ("kind", "title.fr", "from_year"), so that
// each problem shows at its field, and one textarea, outline, for the
// thrusts, objectives and measures (policy.ParseOutline). A problem of
// the outline, the reader's or Validate's ("thrusts.1.objectives.0.id"),
// shows at the outline with its line. A hidden field, version, holds the
// version the form was filled from.

// maxYearText bounds a year's text before it is read.
const maxYearText = 10

// reservedIDs are the IDs that the area's own paths under
// /admin/policies/ hold: a document there could not be edited.
var reservedIDs = []string{"new"}

// field describes one field of the form: its name, its input type
// ("text", "textarea", "select", "date", "url") and whether it is
// required.
type field struct {
	name, typ string
	required  bool
}

// group is a fieldset of the form, with its legend's catalog key.
type group struct {
	id, legend string
	fields     []field
}

// groups lay out the form. The ID is not among them: it is typed only
// when adding a document, and fixed after.
var groups = []group{
	{"identity", "admin.policies.group.identity", []field{
		{"kind", "select", true}, {"launched", "date", true}, {"from_year", "text", false}, {"to_year", "text", false}, {"url", "url", false},
	}},
	{"texts", "admin.policies.group.texts", []field{
		{"title.fr", "text", true}, {"title.en", "text", true}, {"summary.fr", "textarea", false}, {"summary.en", "textarea", false},
		{"budget.fr", "text", false}, {"budget.en", "text", false},
	}},
	{"outline", "admin.policies.group.outline", []field{{"outline", "textarea", false}}},
}

// formOf returns the form's values for document d.
func formOf(d policy.Document) url.Values {
	f := url.Values{}
	f.Set("id", d.ID)
	f.Set("version", strconv.Itoa(d.Version))
	f.Set("kind", string(d.Kind))
	for _, l := range lang.All {
		f.Set("title."+string(l), d.Title[l])
		f.Set("summary."+string(l), d.Summary[l])
		f.Set("budget."+string(l), d.Budget[l])
	}
	f.Set("launched", d.Launched.String())
	f.Set("from_year", year(d.FromYear))
	f.Set("to_year", year(d.ToYear))
	f.Set("url", d.URL)
	f.Set("outline", policy.FormatOutline(d.Thrusts))
	return f
}

// year is a year as the form shows it: "" for none.
func year(y int) string {
	if y == 0 {
		return ""
	}
	return strconv.Itoa(y)
}

// lines turns a textarea's line breaks, which browsers send as CRLF,
// into "\n".
func lines(s string) string {
	return strings.TrimSpace(strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n"))
}

// problems are a form's problems, field → message key, and where in the
// outline its problem is.
type problems struct {
	apperr.Problems
	outline spot
}

// spot is where in the outline its problem is.
type spot struct {
	line  int    // from 1; 0 for the whole text
	part  string // what of the line: "id", "text.fr", …; "" for all of it
	id    string // for an ID used twice, the ID
	first int    // and the line that used it first
}

// readDocument reads document id at version from form f, with its
// outline as read. Its problems are keyed by the form's fields: those
// of reading the texts, then those of Validate.
func readDocument(f url.Values, id string, version int) (policy.Document, policy.Outline, problems) {
	p := problems{Problems: apperr.Problems{}}
	get := func(name string) string { return strings.TrimSpace(f.Get(name)) }
	d := policy.Document{ID: id, Version: version, Kind: policy.Kind(get("kind")), URL: get("url"),
		Title: policy.Text{}, Summary: policy.Text{}, Budget: policy.Text{}}
	for _, l := range lang.All {
		d.Title[l] = get("title." + string(l))
		d.Summary[l] = lines(f.Get("summary." + string(l)))
		d.Budget[l] = get("budget." + string(l))
	}
	if v, ok := office.ParseDate(get("launched")); ok {
		d.Launched = v
	} else {
		p.Add("launched", "form.date.invalid")
	}
	readYear := func(name string) int {
		v := get(name)
		if v == "" {
			return 0
		}
		n, err := strconv.Atoi(v)
		if len(v) > maxYearText || err != nil {
			p.Add(name, "form.policy.year")
		}
		return n
	}
	d.FromYear, d.ToYear = readYear("from_year"), readYear("to_year")
	o, err := policy.ParseOutline(f.Get("outline"))
	if oe := (*policy.OutlineError)(nil); errors.As(err, &oe) {
		p.Add("outline", oe.Key)
		p.outline = spot{line: oe.Line}
	}
	d.Thrusts = o.Thrusts
	p.add(apperr.ProblemsOf(d.Validate()), o)
	return d, o, p
}

// add adds the problems of Validate or of the store to p, each at the
// form field that holds it. Those under "thrusts" are the outline's: the
// first of them, by line, speaks for it.
func (p *problems) add(probs map[string]string, o policy.Outline) {
	names := slices.Sorted(maps.Keys(probs))
	found := false
	for _, name := range names {
		key := probs[name]
		if name != "thrusts" && !strings.HasPrefix(name, "thrusts.") {
			p.Add(name, key)
			continue
		}
		if p.Problems["outline"] != "" && !found {
			continue // the reader's own problem comes first
		}
		line, part := o.Line(name)
		if found && line >= p.outline.line {
			continue
		}
		found = true
		p.Problems["outline"] = key
		p.outline = spot{line: line, part: part}
		if key == "form.policy.duplicate" && part == "id" {
			id := idAt(o, strings.TrimSuffix(name, ".id"))
			p.outline.id, p.outline.first = id, firstLine(o, id)
		}
	}
}

// idAt returns the ID of the part at path ("thrusts.0.objectives.1").
func idAt(o policy.Outline, path string) string {
	var id string
	walk(o, func(p, v string) bool {
		if p == path {
			id = v
			return false
		}
		return true
	})
	return id
}

// firstLine returns the line of the first part whose ID is id.
func firstLine(o policy.Outline, id string) int {
	line := 0
	walk(o, func(p, v string) bool {
		if v == id {
			line, _ = o.Line(p + ".id")
			return false
		}
		return true
	})
	return line
}

// walk calls f with the path and ID of every part of o in the outline's
// order, until f returns false.
func walk(o policy.Outline, f func(path, id string) bool) {
	for i, t := range o.Thrusts {
		tp := "thrusts." + strconv.Itoa(i)
		if !f(tp, t.ID) {
			return
		}
		for j, ob := range t.Objectives {
			op := tp + ".objectives." + strconv.Itoa(j)
			if !f(op, ob.ID) {
				return
			}
			for k, m := range ob.Measures {
				if !f(op+".measures."+strconv.Itoa(k), m.ID) {
					return
				}
			}
		}
	}
}

// formData is the document form's page.
type formData struct {
	admin.Page
	New       bool
	ID        string
	Action    string
	DeleteURL string
	Groups    []fieldGroup
	// Theirs is what someone else saved while the form was being
	// filled, when a save was refused for it.
	Theirs *theirs
}

// fieldGroup is a fieldset of the form as drawn.
type fieldGroup struct {
	ID, Legend string
	Fields     []admin.ChoiceField // Options only for selects
	Example    string              // an outline, under the legend
}

// theirs is the version that someone else saved, and the fields where
// it differs from what the form holds.
type theirs struct {
	Version int
	Updated time.Time
	By      string // who saved it, when the audit log says
	Fields  []theirField
}

type theirField struct {
	Label, Value string
	Lang         lang.Lang // of Value, when it is text in one language
	Pre          bool      // an outline, shown line by line
}

// IDField is the ID's input, on the form that adds a document.
func (d *formData) IDField() admin.Field {
	return d.Field("id", "admin.policies.field.id", "text", "off")
}

// fieldView returns the view of fl with the form's value and problem.
func (d *formData) fieldView(fl field) admin.ChoiceField {
	label := "admin.policies.field." + fl.name
	if fl.typ == "select" {
		return d.Choice(fl.name, label, "", d.options(fl.name))
	}
	f := d.Field(fl.name, label, fl.typ, "off")
	f.Required = fl.required
	// Text in one language is marked as such, whatever the staff side's.
	if _, suffix, ok := strings.Cut(fl.name, "."); ok {
		if l, ok := lang.Parse(suffix); ok {
			f.Lang = string(l)
		}
	}
	switch fl.name {
	case "summary.fr", "summary.en":
		f.Rows = 4
	case "outline":
		f.Rows = 24
	}
	return admin.ChoiceField{Field: f}
}

// options are the choices of select name, with an empty first choice so
// that a new document's kind is chosen, not assumed.
func (d *formData) options(name string) []admin.Option {
	opts := []admin.Option{{Value: "", Label: d.T("admin.policies.choose")}}
	if name == "kind" {
		for _, k := range []policy.Kind{policy.Policy, policy.Update} {
			opts = append(opts, admin.Option{Value: string(k), Label: d.T("policy.kind." + string(k))})
		}
	}
	// A value that is not a choice stays selected beside its error
	// rather than being lost.
	if v := d.Value(name); v != "" && !slices.ContainsFunc(opts, func(o admin.Option) bool { return o.Value == v }) {
		opts = append(opts, admin.Option{Value: v, Label: v})
	}
	return opts
}

// renderForm draws the document form with the values of form and
// problems: the form that adds a document when cur is nil, else the form
// of cur, the document as stored.
func (a *Area) renderForm(w http.ResponseWriter, r *http.Request, status int, cur *policy.Document, form url.Values, p problems) {
	a.Render(w, r, status, "admin-policy", a.formPage(r, status, cur, form, p))
}

func (a *Area) formPage(r *http.Request, status int, cur *policy.Document, form url.Values, p problems) *formData {
	d := &formData{Page: a.Page(r, "admin.policies.new.title"), New: cur == nil, Action: listPath + "/new"}
	if cur != nil {
		d.Title = d.T("admin.policies.edit.title", cur.Title[lang.FR])
		d.ID, d.Action, d.DeleteURL = cur.ID, docURL(cur.ID), docURL(cur.ID)+"/delete"
	}
	d.Form, d.Problems = form, maps.Clone(p.Problems)
	if d.Problems == nil {
		d.Problems = map[string]string{}
	}
	d.ProblemURLs = map[string]string{}
	for name := range d.Problems {
		if name == "version" {
			d.ProblemURLs[name] = "#theirs"
		} else if !onForm(name, d.New) {
			d.ProblemURLs[name] = "" // no field to link to
		}
	}
	if key := d.Problems["outline"]; key != "" {
		d.outlineProblem(key, p.outline)
	}
	for _, g := range groups {
		fg := fieldGroup{ID: g.id, Legend: d.T(g.legend)}
		for _, fl := range g.fields {
			fg.Fields = append(fg.Fields, d.fieldView(fl))
		}
		if g.id == "outline" {
			fg.Example = d.T("admin.policies.outline.example")
		}
		d.Groups = append(d.Groups, fg)
	}
	if r.URL.Query().Has("saved") && status == http.StatusOK {
		d.Notice = d.T("admin.policies.saved")
	}
	return d
}

// outlineProblem words the outline's problem key with its line: "Ligne
// 7, texte anglais : Ce champ est obligatoire."
func (d *formData) outlineProblem(key string, at spot) {
	switch {
	case at.line == 0:
		return
	case at.first != 0 && at.first != at.line:
		d.Problems["outline"] = "admin.policies.outline.duplicate"
		d.ProblemArgs = map[string][]any{"outline": {at.line, at.id, at.first}}
	case at.part != "" && d.has("admin.policies.outline.part."+at.part):
		d.Problems["outline"] = "admin.policies.outline.at_part"
		d.ProblemArgs = map[string][]any{"outline": {at.line, d.T("admin.policies.outline.part." + at.part), d.T(key)}}
	default:
		d.Problems["outline"] = "admin.policies.outline.at"
		d.ProblemArgs = map[string][]any{"outline": {at.line, d.T(key)}}
	}
}

// has reports whether the catalog has key.
func (d *formData) has(key string) bool { return d.T(key) != key }

// canonical is a field's value as compared with another version's: an
// outline as it reads, whatever its spacing.
func canonical(name, v string) string {
	v = lines(v)
	if name == "outline" {
		if o, err := policy.ParseOutline(v); err == nil {
			return strings.TrimSpace(policy.FormatOutline(o.Thrusts))
		}
	}
	return v
}

// differences returns their version doc with the fields where it
// differs from the form, as the form's fields show them.
func (d *formData) differences(doc policy.Document) *theirs {
	t := &theirs{Version: doc.Version, Updated: doc.Updated}
	them := formOf(doc)
	for _, g := range d.Groups {
		for _, f := range g.Fields {
			v := them.Get(f.Name)
			if canonical(f.Name, d.Value(f.Name)) == canonical(f.Name, v) {
				continue
			}
			for _, opt := range f.Options {
				if opt.Value == v {
					v = opt.Label
				}
			}
			t.Fields = append(t.Fields, theirField{Label: f.Label, Value: strings.TrimSpace(v), Lang: lang.Lang(f.Lang), Pre: f.Name == "outline"})
		}
	}
	return t
}

// onForm reports whether the form has a field named name.
func onForm(name string, isNew bool) bool {
	if name == "id" {
		return isNew
	}
	for _, g := range groups {
		for _, f := range g.fields {
			if f.name == name {
				return true
			}
		}
	}
	return false
}

func (a *Area) newForm() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a.renderForm(w, r, http.StatusOK, nil, url.Values{"version": {"0"}}, problems{})
	})
}

func (a *Area) editForm() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		d, err := a.Store.Policy(r.Context(), r.PathValue("doc"))
		if err != nil {
			a.Fail(w, r, err)
			return
		}
		a.renderForm(w, r, http.StatusOK, &d, formOf(d), problems{})
	})
}

// create adds a document from the form.
func (a *Area) create() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f := r.PostForm
		id := strings.TrimSpace(f.Get("id"))
		d, o, p := readDocument(f, id, 0)
		if slices.Contains(reservedIDs, id) {
			p.Problems["id"] = "form.key.reserved"
		}
		if len(p.Problems) > 0 {
			a.renderForm(w, r, http.StatusUnprocessableEntity, nil, f, p)
			return
		}
		a.write(w, r, nil, f, d, o)
	})
}

// save changes a document from the form, from the version the form was
// filled from.
func (a *Area) save() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cur, err := a.Store.Policy(r.Context(), r.PathValue("doc"))
		if err != nil {
			a.Fail(w, r, err)
			return
		}
		f := r.PostForm
		version, err := strconv.Atoi(f.Get("version"))
		if err != nil || version < 1 {
			// A form whose hidden version was tampered with: shown again
			// as typed, from the stored version, to be checked and sent
			// again.
			f.Set("version", strconv.Itoa(cur.Version))
			_, _, p := readDocument(f, cur.ID, cur.Version)
			p.Problems["version"] = "admin.policies.version.invalid"
			a.renderForm(w, r, http.StatusUnprocessableEntity, &cur, f, p)
			return
		}
		d, o, p := readDocument(f, cur.ID, version)
		if len(p.Problems) > 0 {
			a.renderForm(w, r, http.StatusUnprocessableEntity, &cur, f, p)
			return
		}
		a.write(w, r, &cur, f, d, o)
	})
}

// write saves d, read from form f with its outline o (cur is the
// document as stored, nil for a new one), and answers: a redirect to the
// document's form, or the form as typed with the store's refusal.
func (a *Area) write(w http.ResponseWriter, r *http.Request, cur *policy.Document, f url.Values, d policy.Document, o policy.Outline) {
	ctx := r.Context()
	saved, err := a.Store.SavePolicy(ctx, d, admin.OriginOf(r))
	if err == nil {
		a.ShowChanges(r)
		http.Redirect(w, r, docURL(saved.ID)+"?saved", http.StatusSeeOther)
		return
	}
	probs := apperr.ProblemsOf(err)
	kind := apperr.KindOf(err)
	if probs == nil || kind != apperr.Invalid && kind != apperr.Conflict {
		a.Fail(w, r, err)
		return
	}
	status := http.StatusUnprocessableEntity
	if kind == apperr.Conflict {
		status = http.StatusConflict
	}
	if probs["version"] == "" || cur == nil {
		p := problems{Problems: apperr.Problems{}}
		p.add(probs, o)
		a.renderForm(w, r, status, cur, f, p)
		return
	}
	// Someone saved meanwhile: the form keeps what was typed, shows
	// what they saved, and is now based on their version, so that
	// saving it again replaces theirs deliberately.
	theirDoc, err := a.Store.Policy(ctx, d.ID)
	if err != nil {
		a.Fail(w, r, err)
		return
	}
	form := maps.Clone(f)
	form.Set("version", strconv.Itoa(theirDoc.Version))
	page := a.formPage(r, status, &theirDoc, form, problems{Problems: apperr.Problems{"version": "admin.policies.stale"}})
	page.Theirs = page.differences(theirDoc)
	// Who saved it: the newest save of the document in the audit log,
	// if that is the save of their version (a deleted document's
	// versions start again).
	es, err := a.Store.AuditLog(ctx, audit.Filter{Action: audit.PolicySave, Target: d.ID, Limit: 1})
	if err == nil && len(es) == 1 && strings.HasPrefix(es[0].Detail, "version "+strconv.Itoa(theirDoc.Version)+":") &&
		(es[0].Time.Sub(theirDoc.Updated)).Abs() < time.Minute {
		page.Theirs.By = page.Person(es[0].Actor)
	}
	a.Render(w, r, status, "admin-policy", page)
}

// deleteData is the page that asks before a document is deleted.
type deleteData struct {
	admin.Page
	Doc                     policy.Document
	DocTitle, Kind, Content string // the title in French, the rest in the staff language
	InForce                 bool
	// Stale says that the document changed since the staff member last
	// saw it: what they confirm now is its current version.
	Stale bool
}

// delete removes a document, at the version the staff member saw, once
// they confirm it: the form's button leads to a page that shows the
// document and asks.
func (a *Area) delete() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		cur, err := a.Store.Policy(ctx, r.PathValue("doc"))
		if err != nil {
			a.Fail(w, r, err)
			return
		}
		ask := func(code int, stale bool) {
			docs, err := a.Store.Policies(ctx)
			if err != nil {
				a.Fail(w, r, err)
				return
			}
			d := &deleteData{Page: a.Page(r, "admin.policies.delete.title"), Doc: cur, Stale: stale,
				InForce: status(cur, docs, a.today()) == "in_force"}
			d.DocTitle, d.Kind, d.Content = cur.Title[lang.FR], d.T("policy.kind."+string(cur.Kind)), structure(&d.Page, cur)
			d.Title = d.T("admin.policies.delete.question", cur.Title[lang.FR])
			a.Render(w, r, code, "admin-policy-delete", d)
		}
		a.ConfirmDelete(w, r, admin.Deletion{
			Current: cur.Version,
			Ask:     ask,
			Delete: func(version int) error {
				return a.Store.DeletePolicy(ctx, cur.ID, version, admin.OriginOf(r))
			},
			Reload: func() (err error) {
				cur, err = a.Store.Policy(ctx, cur.ID)
				return err
			},
			InvalidVersion: "admin.policies.version.invalid",
			Done:           listPath + "?deleted",
		})
	})
}
