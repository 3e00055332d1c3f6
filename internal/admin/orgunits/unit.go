package orgunits

import (
	"bytes"
	"cmp"
	"context"
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
	"portail/internal/i18n"
	"portail/internal/lang"
	"portail/internal/office"
	"portail/internal/orgchart"
	"portail/internal/store"
)

// A unit's page shows its periods, then one small form per operation: a
// dated change of orgchart (Move, Rename, SetHead, SetContact, Close),
// or whether its data are sample data. Each form posts to
// /admin/org-units/{id}/{operation} with the version of the unit that
// the page showed. Its fields are named after the operation
// ("move.parent", "rename.name.fr"), so that the page's forms have
// distinct ids and each problem shows at its form's field; a dated
// operation has an effective date, "<operation>.on".

// operation is one of the unit page's forms.
type operation struct {
	name   string // the last segment of its URL, and the prefix of its fields
	dated  bool   // whether it has an effective date
	danger bool   // whether its button is drawn as a destructive one
	fields []opField
	// apply returns cur changed by the form's values, from day on for a
	// dated operation; the problems of reading the values go to in.
	apply func(cur orgchart.Unit, in *input, on orgchart.Date) (orgchart.Unit, error)
}

// opField is a field of an operation's form.
type opField struct {
	form, typ string // its name in the form; its input type
	// period is the field of a period, as Validate names it after
	// "periods.i." ("parent", "name.fr", "head.title.en"), whose
	// problems show at this field.
	period   string
	required bool
}

// on is the name of op's effective date.
func (op *operation) on() string { return op.name + ".on" }

// operations are the unit page's forms, in the page's order.
var operations = []*operation{
	{name: "move", dated: true, fields: []opField{{"move.parent", "select", "parent", false}},
		apply: func(u orgchart.Unit, in *input, on orgchart.Date) (orgchart.Unit, error) {
			return orgchart.Move(u, in.get("move.parent"), on)
		}},
	{name: "rename", dated: true, fields: []opField{
		{"rename.name.fr", "text", "name.fr", true}, {"rename.name.en", "text", "name.en", false},
		{"rename.acronym", "text", "acronym", false},
	}, apply: func(u orgchart.Unit, in *input, on orgchart.Date) (orgchart.Unit, error) {
		return orgchart.Rename(u, in.text("rename.name"), in.get("rename.acronym"), on)
	}},
	{name: "head", dated: true, fields: []opField{
		{"head.name", "text", "head.name", false}, {"head.title.fr", "text", "head.title.fr", false},
		{"head.title.en", "text", "head.title.en", false},
	}, apply: func(u orgchart.Unit, in *input, on orgchart.Date) (orgchart.Unit, error) {
		return orgchart.SetHead(u, orgchart.Head{Name: in.get("head.name"), Title: in.text("head.title")}, on)
	}},
	{name: "contact", dated: true, fields: []opField{
		{"contact.phone", "tel", "phone", false}, {"contact.email", "email", "email", false},
		{"contact.order", "number", "order", false},
	}, apply: func(u orgchart.Unit, in *input, on orgchart.Date) (orgchart.Unit, error) {
		return orgchart.SetContact(u, in.get("contact.phone"), in.get("contact.email"), in.number("contact.order"), on)
	}},
	{name: "close", dated: true, danger: true,
		apply: func(u orgchart.Unit, _ *input, on orgchart.Date) (orgchart.Unit, error) {
			return orgchart.Close(u, on)
		}},
	{name: "sample", fields: []opField{{"sample", "checkbox", "sample", false}},
		apply: func(u orgchart.Unit, in *input, _ orgchart.Date) (orgchart.Unit, error) {
			u.Sample = in.get("sample") != ""
			return u, nil
		}},
}

// input reads an operation's form, keeping the problems of reading it.
type input struct {
	f url.Values
	p apperr.Problems
}

func (in *input) get(name string) string { return strings.TrimSpace(in.f.Get(name)) }

// text reads the French and English fields prefix.fr and prefix.en.
func (in *input) text(prefix string) map[lang.Lang]string {
	return map[lang.Lang]string{lang.FR: in.get(prefix + ".fr"), lang.EN: in.get(prefix + ".en")}
}

// maxNumber bounds the digits of a number typed in a form, before it is
// read: the order among siblings is at most orgchart.MaxOrder.
const maxNumber = 9

// number reads an integer, 0 when the field is empty.
func (in *input) number(name string) int {
	v := in.get(name)
	if v == "" {
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil || len(v) > maxNumber {
		in.p.Add(name, "form.orgunit.number")
	}
	return n
}

// readDay reads the date field name, which is required.
func readDay(f url.Values, name string, p apperr.Problems) orgchart.Date {
	v := strings.TrimSpace(f.Get(name))
	d, ok := office.ParseDate(v)
	switch {
	case v == "":
		p.Add(name, "form.required")
	case !ok:
		p.Add(name, "form.date.invalid")
	}
	return d
}

// fieldOf returns the field of op's form that shows problem, a field
// that Validate, Check or an operation names ("periods.2.name.fr",
// "parent", "on", "periods"): the field that changes it, else the
// effective date, which decides which periods change.
func (op *operation) fieldOf(problem string) string {
	sub := problem
	if rest, ok := strings.CutPrefix(problem, "periods."); ok {
		if _, s, ok := strings.Cut(rest, "."); ok {
			sub = s
		}
	}
	for _, fl := range op.fields {
		if fl.period == sub {
			return fl.form
		}
	}
	if op.dated {
		return op.on()
	}
	return op.fields[0].form
}

// formOf returns the values of the unit page's forms for unit u: its
// version, and the fields of its period on day, the effective date of
// every dated operation but closing, which is typed.
func formOf(u orgchart.Unit, day orgchart.Date) url.Values {
	per, _ := u.At(day)
	f := url.Values{}
	f.Set("version", strconv.Itoa(u.Version))
	for _, op := range operations {
		if op.dated && op.name != "close" {
			f.Set(op.on(), day.String())
		}
	}
	f.Set("close.on", "")
	f.Set("move.parent", per.Parent)
	f.Set("rename.name.fr", per.Name[lang.FR])
	f.Set("rename.name.en", per.Name[lang.EN])
	f.Set("rename.acronym", per.Acronym)
	f.Set("head.name", per.Head.Name)
	f.Set("head.title.fr", per.Head.Title[lang.FR])
	f.Set("head.title.en", per.Head.Title[lang.EN])
	f.Set("contact.phone", per.Phone)
	f.Set("contact.email", per.Email)
	f.Set("contact.order", strconv.Itoa(per.Order))
	if u.Sample {
		f.Set("sample", "1")
	}
	return f
}

// withTyped returns form with the values that the form of op posted, f.
func withTyped(form, f url.Values, op *operation) url.Values {
	out := maps.Clone(form)
	var names []string
	if op.dated {
		names = append(names, op.on())
	}
	for _, fl := range op.fields {
		names = append(names, fl.form)
	}
	for _, n := range names {
		if v, ok := f[n]; ok {
			out[n] = v
		} else {
			out.Del(n) // an unchecked checkbox
		}
	}
	return out
}

// defaultDay is the day that u's page proposes for its operations:
// today, or, if u does not exist today, its first day if it begins
// later, else the first day of its last period before today.
func defaultDay(u orgchart.Unit, day orgchart.Date) orgchart.Date {
	if _, ok := u.At(day); ok || len(u.Periods) == 0 {
		return day
	}
	best := u.Periods[0].From
	for _, p := range u.Periods {
		if !day.Before(p.From) {
			best = p.From
		}
	}
	return best
}

// unitData is a unit's page.
type unitData struct {
	admin.Page
	ID      string
	Status  string
	Version int
	Updated time.Time
	Sample  bool
	Periods []periodRow
	Ops     []opView
	// Theirs is the version that someone else saved while the page was
	// open, when an operation was refused for it.
	Theirs *theirs
}

// periodRow is one of the unit's periods, as the page's table shows it.
type periodRow struct {
	From, To, Parent, ParentURL, NameFR, NameEN, Acronym, Kind, Head string
}

// opView is the form of an operation, as drawn.
type opView struct {
	Name, Heading, Help, Action, Submit string
	Danger                              bool
	Fields                              []admin.ChoiceField // Options only for selects
}

// theirs is the version that someone else saved.
type theirs struct {
	Version int
	Updated time.Time
	By      string // who saved it, when the audit log says
}

// renderUnit draws the page of unit cur, units being the chart, with the
// values of form and problems, and the arguments of those whose message
// takes some.
func (a *Area) renderUnit(w http.ResponseWriter, r *http.Request, status int, cur orgchart.Unit, units []orgchart.Unit, form url.Values, problems map[string]string, args map[string][]any) {
	d := a.unitView(r, cur, units, form, problems, nil)
	d.ProblemArgs = args
	a.Render(w, r, status, "admin-orgunit", d)
}

func (a *Area) unitView(r *http.Request, cur orgchart.Unit, units []orgchart.Unit, form url.Values, problems map[string]string, th *theirs) *unitData {
	d := &unitData{Page: a.Page(r, "admin.orgunits.title"), ID: cur.ID, Version: cur.Version, Updated: cur.Updated,
		Sample: cur.Sample, Theirs: th}
	day := today(a.Now())
	d.Title = d.T("admin.orgunits.unit.title", nameOn(cur, day))
	d.Form, d.Problems = form, problems
	d.ProblemURLs = map[string]string{}
	if _, ok := problems["version"]; ok {
		d.ProblemURLs["version"] = ""
		if th != nil {
			d.ProblemURLs["version"] = "#theirs"
		}
	}
	d.Status = statusText(&d.Page, cur, day)
	byID := make(map[string]orgchart.Unit, len(units))
	for _, u := range units {
		byID[u.ID] = u
	}
	for _, p := range cur.Periods {
		row := periodRow{From: p.From.String(), To: p.To.String(), NameFR: p.Name[lang.FR], NameEN: p.Name[lang.EN],
			Acronym: p.Acronym, Kind: d.T("orgchart.kind." + string(p.Kind)), Head: headText(&d.Page, p.Head)}
		if p.Parent != "" {
			row.Parent, row.ParentURL = p.Parent, unitURL(p.Parent)
			if parent, ok := byID[p.Parent]; ok {
				row.Parent = nameOn(parent, p.From)
			}
		}
		d.Periods = append(d.Periods, row)
	}
	for _, op := range operations {
		v := opView{Name: op.name, Heading: d.T("admin.orgunits.op." + op.name), Action: unitURL(cur.ID) + "/" + op.name,
			Submit: d.T("admin.orgunits.op." + op.name + ".submit"), Danger: op.danger}
		if help := "admin.orgunits.op." + op.name + ".help"; d.T(help) != help {
			v.Help = d.T(help)
		}
		for _, fl := range op.fields {
			v.Fields = append(v.Fields, d.fieldView(fl, cur, units, defaultDay(cur, day)))
		}
		if op.dated {
			label := "admin.orgunits.field.on"
			if op.name == "close" {
				label = "admin.orgunits.field.close.on"
			}
			f := d.Field(op.on(), label, "date", "off")
			v.Fields = append(v.Fields, admin.ChoiceField{Field: f})
		}
		d.Ops = append(d.Ops, v)
	}
	q := r.URL.Query()
	switch {
	case problems != nil:
	case q.Has("saved"):
		d.Notice = d.T("admin.orgunits.saved")
	case q.Has("unchanged"):
		d.Notice = d.T("admin.orgunits.unchanged")
	}
	return d
}

// fieldView returns the view of an operation's field with the form's
// value and problem.
func (d *unitData) fieldView(fl opField, cur orgchart.Unit, units []orgchart.Unit, def orgchart.Date) admin.ChoiceField {
	label := "admin.orgunits.field." + fl.form
	if fl.typ == "select" {
		// The units that exist on the date typed, else the page's.
		day, ok := office.ParseDate(d.Value("move.on"))
		if !ok || day.IsZero() {
			day = def
		}
		return d.Choice(fl.form, label, "", parentOptions(&d.Page, units, day, cur.ID, d.Value(fl.form)))
	}
	f := d.Field(fl.form, label, fl.typ, "off")
	f.Required = fl.required
	// Text in one language is marked as such, whatever the staff side's.
	f.Lang = langOf(fl.form)
	return admin.ChoiceField{Field: f}
}

// langOf is the language of the text that field name holds
// ("rename.name.en": "en"), or "".
func langOf(name string) string {
	i := strings.LastIndex(name, ".")
	if l, ok := lang.Parse(name[i+1:]); ok && i >= 0 {
		return string(l)
	}
	return ""
}

// parentOptions are the choices of a parent on day: none (the top of
// the chart), then the units that exist on day, in the chart's order and
// indented by their depth, but for except, the unit being moved. A value
// that is not one of them (typed, or a unit that does not exist then)
// stays selected beside its error rather than being lost.
func parentOptions(p *admin.Page, units []orgchart.Unit, day orgchart.Date, except, value string) []admin.Option {
	opts := []admin.Option{{Value: "", Label: p.T("admin.orgunits.top")}}
	orgchart.Tree(units, day).Walk(func(n *orgchart.Node, depth int) {
		if n.Unit.ID == except {
			return
		}
		label := strings.Repeat("\u00a0\u00a0", depth) + n.Period.Name[lang.FR]
		if n.Period.Acronym != "" {
			label += " (" + n.Period.Acronym + ")"
		}
		opts = append(opts, admin.Option{Value: n.Unit.ID, Label: label})
	})
	if !slices.ContainsFunc(opts, func(o admin.Option) bool { return o.Value == value }) {
		opts = append(opts, admin.Option{Value: value, Label: value})
	}
	return opts
}

// nameOn is u's French name on day, else its last one, else its ID.
func nameOn(u orgchart.Unit, day orgchart.Date) string {
	if p, ok := u.At(day); ok {
		return p.Name[lang.FR]
	}
	if n := len(u.Periods); n > 0 {
		return u.Periods[n-1].Name[lang.FR]
	}
	return u.ID
}

// statusText says whether u exists on day.
func statusText(p *admin.Page, u orgchart.Unit, day orgchart.Date) string {
	if _, ok := u.At(day); ok || len(u.Periods) == 0 {
		return p.T("admin.orgunits.status.exists")
	}
	first, last := u.Periods[0], u.Periods[len(u.Periods)-1]
	switch {
	case day.Before(first.From):
		return p.T("admin.orgunits.status.planned", first.From.String())
	case !last.To.IsZero() && !day.Before(last.To):
		return p.T("admin.orgunits.status.closed", last.To.String())
	}
	return p.T("admin.orgunits.status.gap")
}

func (a *Area) unitPage() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cur, units, err := a.load(r.Context(), r.PathValue("id"))
		if err != nil {
			a.Fail(w, r, err)
			return
		}
		a.renderUnit(w, r, http.StatusOK, cur, units, formOf(cur, defaultDay(cur, today(a.Now()))), nil, nil)
	})
}

// load returns unit id and the whole chart.
func (a *Area) load(ctx context.Context, id string) (orgchart.Unit, []orgchart.Unit, error) {
	cur, err := a.Store.OrgUnit(ctx, id)
	if err != nil {
		return cur, nil, err
	}
	units, err := a.Store.OrgUnits(ctx)
	return cur, units, err
}

// operate applies op to the unit, from the version the page showed,
// and saves it; a refusal comes back on op's form, what was typed kept.
func (a *Area) operate(op *operation) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		cur, units, err := a.load(ctx, r.PathValue("id"))
		if err != nil {
			a.Fail(w, r, err)
			return
		}
		f := r.PostForm
		form := withTyped(formOf(cur, defaultDay(cur, today(a.Now()))), f, op)
		p := apperr.Problems{}
		version, err := strconv.Atoi(f.Get("version"))
		if err != nil || version < 1 {
			// A form whose hidden version was tampered with comes back
			// as typed, from the stored version, to be checked and sent
			// again.
			p.Add("version", "admin.orgunits.version.invalid")
			version = cur.Version
		}
		form.Set("version", strconv.Itoa(version))
		u, on := read(op, cur, f, p)
		if len(p) > 0 {
			a.renderUnit(w, r, http.StatusUnprocessableEntity, cur, units, form, p, nil)
			return
		}
		u.Version = version
		if same(u, cur) && version == cur.Version {
			http.Redirect(w, r, unitURL(cur.ID)+"?unchanged", http.StatusSeeOther)
			return
		}
		_, err = a.Store.SaveOrgUnit(ctx, u, admin.OriginOf(r))
		if err == nil {
			a.ShowChanges(r)
			http.Redirect(w, r, unitURL(cur.ID)+"?saved", http.StatusSeeOther)
			return
		}
		probs := apperr.ProblemsOf(err)
		kind := apperr.KindOf(err)
		if probs == nil || kind != apperr.Invalid && kind != apperr.Conflict {
			a.Fail(w, r, err)
			return
		}
		if probs["version"] != "" {
			a.stale(w, r, op, f)
			return
		}
		// The chart as the refusal left it, to name the units involved.
		cur, units, err = a.load(ctx, cur.ID)
		if err != nil {
			a.Fail(w, r, err)
			return
		}
		p, args := explain(a.Engine.Catalog(admin.StaffLang(r)), op, units, cur.ID, u, on, probs)
		a.renderUnit(w, r, http.StatusUnprocessableEntity, cur, units, form, p, args)
	})
}

// read applies op to cur with the values of its form f, and returns the
// unit it gives and the effective date; the problems of the values, and
// those of Validate for the unit they give, go to p at their fields.
func read(op *operation, cur orgchart.Unit, f url.Values, p apperr.Problems) (orgchart.Unit, orgchart.Date) {
	in := &input{f: f, p: p}
	var on orgchart.Date
	day := on
	if op.dated {
		on = readDay(f, op.on(), p)
		day = on
		if _, bad := p[op.on()]; bad && len(cur.Periods) > 0 {
			// The other fields are checked all the same, as they would
			// apply from the unit's first day.
			day = cur.Periods[0].From
		}
	}
	u, err := op.apply(cur, in, day)
	if err == nil {
		err = u.Validate()
	}
	for _, name := range slices.Sorted(maps.Keys(apperr.ProblemsOf(err))) {
		p.Add(op.fieldOf(name), apperr.ProblemsOf(err)[name])
	}
	return u, on
}

// same reports whether u and cur hold the same data.
func same(u, cur orgchart.Unit) bool {
	a, errA := store.EncodeOrgUnitDoc(u)
	b, errB := store.EncodeOrgUnitDoc(cur)
	return errA == nil && errB == nil && bytes.Equal(a, b)
}

// stale answers an operation refused because the unit changed since the
// page was shown: the page again (409), with its current periods, what
// was typed kept, who saved the other version, and the forms now based
// on that version, so that sending the form again applies the operation
// to it.
func (a *Area) stale(w http.ResponseWriter, r *http.Request, op *operation, f url.Values) {
	ctx := r.Context()
	cur, units, err := a.load(ctx, r.PathValue("id"))
	if err != nil {
		a.Fail(w, r, err)
		return
	}
	form := withTyped(formOf(cur, defaultDay(cur, today(a.Now()))), f, op)
	th := &theirs{Version: cur.Version, Updated: cur.Updated}
	d := a.unitView(r, cur, units, form, map[string]string{"version": "admin.orgunits.stale"}, th)
	// Who saved it: the newest save of the unit in the audit log, if
	// that is the save of their version (an import writes no entry per
	// unit).
	es, err := a.Store.AuditLog(ctx, audit.Filter{Action: audit.OrgUnitSave, Target: cur.ID, Limit: 1})
	if err == nil && len(es) == 1 && strings.HasPrefix(es[0].Detail, "version "+strconv.Itoa(cur.Version)+":") &&
		es[0].Time.Sub(cur.Updated).Abs() < time.Minute {
		th.By = d.Person(es[0].Actor)
	}
	a.Render(w, r, http.StatusConflict, "admin-orgunit", d)
}

// explain returns the problems that the store found in u, the unit that
// op gave (from day on), at op's fields, with the arguments of those
// whose message takes some. Two refusals name the units involved, read
// from units, the chart as it is: a move under one of the unit's own
// units, and a close while units are under it; their names are quoted
// as cat's language quotes them.
func explain(cat *i18n.Catalog, op *operation, units []orgchart.Unit, id string, u orgchart.Unit, on orgchart.Date, probs map[string]string) (apperr.Problems, map[string][]any) {
	out, args := apperr.Problems{}, map[string][]any{}
	for _, name := range slices.Sorted(maps.Keys(probs)) {
		field, key := op.fieldOf(name), probs[name]
		if _, taken := out[field]; taken {
			continue
		}
		switch {
		case key == "form.orgunit.cycle" && op.name == "move":
			if a, ok := underArgs(cat, units, id, u, on); ok {
				key, args[field] = "admin.orgunits.move.under", a
			}
		case key == "form.orgunit.children":
			if a, ok := childrenArgs(cat, units, id, on); ok {
				key, args[field] = "admin.orgunits.close.children", a
			}
		}
		out.Add(field, key)
	}
	return out, args
}

// underArgs names, for a move of unit id that the store refused as a
// cycle, the parent chosen and the unit, which is above it: on day on,
// or on the first day after it on which the chart changes and it is so.
func underArgs(cat *i18n.Catalog, units []orgchart.Unit, id string, moved orgchart.Unit, on orgchart.Date) ([]any, bool) {
	per, ok := moved.At(on)
	if !ok || per.Parent == "" {
		return nil, false
	}
	parent := per.Parent
	byID := make(map[string]orgchart.Unit, len(units))
	days := []orgchart.Date{on}
	for _, u := range units {
		byID[u.ID] = u
		for _, q := range u.Periods {
			if compareDays(on, q.From) < 0 {
				days = append(days, q.From)
			}
		}
	}
	slices.SortFunc(days, compareDays)
	days = slices.Compact(days)
	for _, d := range days {
		at := parent
		// At most one step per unit: the chart as stored has no cycle.
		for range len(units) + 1 {
			u, ok := byID[at]
			if !ok {
				break
			}
			q, ok := u.At(d)
			if !ok || q.Parent == "" {
				break
			}
			if at = q.Parent; at == id {
				return []any{quoted(cat, nameOn(byID[parent], d)), quoted(cat, nameOn(byID[id], d))}, true
			}
		}
	}
	return nil, false
}

// childrenArgs names, for a close of unit id from day on that the store
// refused, the day and the units under it on that day or after.
func childrenArgs(cat *i18n.Catalog, units []orgchart.Unit, id string, on orgchart.Date) ([]any, bool) {
	const shown = 5
	var names []string
	for _, u := range units {
		for _, q := range u.Periods {
			if q.Parent == id && (q.To.IsZero() || compareDays(on, q.To) < 0) {
				names = append(names, quoted(cat, q.Name[lang.FR]))
				break
			}
		}
	}
	if len(names) == 0 {
		return nil, false
	}
	if len(names) > shown {
		names = append(names[:shown], "…")
	}
	return []any{on.String(), strings.Join(names, ", ")}, true
}

// quoted puts a name between the quotation marks of cat's language.
func quoted(cat *i18n.Catalog, name string) string { return cat.T("admin.orgunits.quoted", name) }

// compareDays orders civil dates.
func compareDays(a, b orgchart.Date) int {
	return cmp.Or(cmp.Compare(a.Year, b.Year), cmp.Compare(a.Month, b.Month), cmp.Compare(a.Day, b.Day))
}
