package orgunits

import (
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"portail/internal/admin"
	"portail/internal/apperr"
	"portail/internal/office"
	"portail/internal/orgchart"
)

// The form that adds a unit gives its first period: from a day on,
// under a parent, its kind, names, head and contact details. Its fields
// are named as Validate names a period's ("name.fr", "head.title.en"),
// "from" for the first day, and "id".

// reservedIDs are the IDs that the staff side's own paths under
// /admin/org-units/ hold: a unit there could not be reached.
var reservedIDs = []string{"new", "import"}

// newGroups lays out the form: fieldsets, each with its legend's key and
// its fields.
var newGroups = []struct {
	id, legend string
	fields     []opField // period: as Validate names the field of period 0
}{
	{"identity", "admin.orgunits.group.identity", []opField{
		{"id", "text", "id", true}, {"kind", "select", "kind", true},
		{"parent", "select", "parent", false}, {"from", "date", "from", true},
	}},
	{"names", "admin.orgunits.group.names", []opField{
		{"name.fr", "text", "name.fr", true}, {"name.en", "text", "name.en", false}, {"acronym", "text", "acronym", false},
	}},
	{"head", "admin.orgunits.group.head", []opField{
		{"head.name", "text", "head.name", false}, {"head.title.fr", "text", "head.title.fr", false},
		{"head.title.en", "text", "head.title.en", false},
	}},
	{"contact", "admin.orgunits.group.contact", []opField{
		{"phone", "tel", "phone", false}, {"email", "email", "email", false}, {"order", "number", "order", false},
	}},
}

// newField returns the field of the form that shows problem, a field
// that Validate or the store names ("periods.0.name.fr", "id",
// "parent"); the first day for the rest ("periods", "units").
func newField(problem string) string {
	sub := problem
	if rest, ok := strings.CutPrefix(problem, "periods.0."); ok {
		sub = rest
	}
	for _, g := range newGroups {
		for _, fl := range g.fields {
			if fl.period == sub {
				return fl.form
			}
		}
	}
	return "from"
}

// readNew reads the unit that the form f adds, and the problems of the
// form and of Validate, at their fields.
func readNew(f url.Values) (orgchart.Unit, apperr.Problems) {
	p := apperr.Problems{}
	in := &input{f: f, p: p}
	per := orgchart.Period{
		From: readDay(f, "from", p), Parent: in.get("parent"), Kind: orgchart.Kind(in.get("kind")),
		Name: in.text("name"), Acronym: in.get("acronym"),
		Head:  orgchart.Head{Name: in.get("head.name"), Title: in.text("head.title")},
		Phone: in.get("phone"), Email: in.get("email"), Order: in.number("order"),
	}
	u := orgchart.Unit{ID: in.get("id"), Periods: []orgchart.Period{per}}
	if slices.Contains(reservedIDs, u.ID) {
		p.Add("id", "form.key.reserved")
	}
	probs := apperr.ProblemsOf(u.Validate())
	for _, name := range slices.Sorted(maps.Keys(probs)) {
		p.Add(newField(name), probs[name])
	}
	return u, p
}

// newData is the form that adds a unit.
type newData struct {
	admin.Page
	Groups []fieldGroup
}

// fieldGroup is a fieldset of the form as drawn.
type fieldGroup struct {
	ID, Legend string
	Fields     []admin.ChoiceField // Options only for selects
}

func (a *Area) renderNew(w http.ResponseWriter, r *http.Request, status int, form url.Values, problems map[string]string) {
	units, err := a.Store.OrgUnits(r.Context())
	if err != nil {
		a.Fail(w, r, err)
		return
	}
	d := &newData{Page: a.Page(r, "admin.orgunits.new.title")}
	d.Form, d.Problems = form, problems
	// The parents that exist on the first day typed, else today.
	day, ok := office.ParseDate(d.Value("from"))
	if !ok || day.IsZero() {
		day = today(a.Now())
	}
	for _, g := range newGroups {
		fg := fieldGroup{ID: g.id, Legend: d.T(g.legend)}
		for _, fl := range g.fields {
			label := "admin.orgunits.field.new." + fl.form
			var cf admin.ChoiceField
			switch fl.form {
			case "kind":
				opts := []admin.Option{{Value: "", Label: d.T("admin.orgunits.choose")}}
				for _, k := range orgchart.Kinds {
					opts = append(opts, admin.Option{Value: string(k), Label: d.T("orgchart.kind." + string(k))})
				}
				cf = d.Choice(fl.form, label, "", opts)
			case "parent":
				cf = d.Choice(fl.form, label, "", parentOptions(&d.Page, units, day, "", d.Value(fl.form)))
			default:
				cf.Field = d.Field(fl.form, label, fl.typ, "off")
				cf.Required = fl.required
				cf.Lang = langOf(fl.form)
			}
			fg.Fields = append(fg.Fields, cf)
		}
		d.Groups = append(d.Groups, fg)
	}
	a.Render(w, r, status, "admin-orgunit-new", d)
}

func (a *Area) newForm() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a.renderNew(w, r, http.StatusOK, url.Values{"from": {today(a.Now()).String()}}, nil)
	})
}

// create adds a unit from the form.
func (a *Area) create() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f := r.PostForm
		u, p := readNew(f)
		if len(p) > 0 {
			a.renderNew(w, r, http.StatusUnprocessableEntity, f, p)
			return
		}
		saved, err := a.Store.SaveOrgUnit(r.Context(), u, admin.OriginOf(r))
		if err == nil {
			a.ShowChanges(r)
			http.Redirect(w, r, unitURL(saved.ID)+"?saved", http.StatusSeeOther)
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
		p = apperr.Problems{}
		for _, name := range slices.Sorted(maps.Keys(probs)) {
			p.Add(newField(name), probs[name])
		}
		a.renderNew(w, r, status, f, p)
	})
}
