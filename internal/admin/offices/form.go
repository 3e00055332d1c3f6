package offices

import (
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"portail/internal/admin"
	"portail/internal/apperr"
	"portail/internal/audit"
	"portail/internal/lang"
	"portail/internal/office"
)

// The office form has one field per field of office.Office, named as
// Validate names its problems ("fr.name", "country",
// "services.culture.en"), so that each problem shows at its field. The
// lists are written as text — type changes, hours, closures, covered
// countries — and their items' problems ("hours.1", "closures.0",
// "covers.2") show at the text's field. A hidden field, version, holds
// the version the form was filled from.

// Bounds on the texts that the form splits into lists, checked before
// they are split; ParseWeek and ParseClosures check their own.
const (
	maxChangesText = office.MaxChanges * 40
	maxCoversText  = office.MaxCovers * 4
	maxCoordText   = 40
)

// reservedSlugs are the slugs that the staff side's own paths under
// /admin/offices/ hold: an office there could not be edited.
var reservedSlugs = []string{"new", "import"}

// field describes one field of the form: its name, its input type
// ("text", "textarea", "select", "checkbox", "date", "email", "tel",
// "url") and whether it is required.
type field struct {
	name, typ string
	required  bool
}

// group is a fieldset of the form, with its legend's catalog key.
type group struct {
	id, legend string
	fields     []field
}

// groups lays out the form. The slug is not among them: it is typed
// only when adding an office, and fixed after.
var groups = func() []group {
	gs := []group{
		{"identity", "admin.offices.group.identity", []field{
			{"type", "select", true}, {"opened", "date", false}, {"closed", "date", false}, {"changes", "text", false},
		}},
		{"names", "admin.offices.group.names", []field{
			{"fr.name", "text", true}, {"en.name", "text", true}, {"fr.city", "text", true}, {"en.city", "text", true},
		}},
		{"place", "admin.offices.group.place", []field{
			{"country", "select", true}, {"region", "select", true}, {"address", "textarea", false},
			{"latitude", "text", true}, {"longitude", "text", true}, {"timezone", "text", true},
		}},
		{"contact", "admin.offices.group.contact", []field{
			{"phone", "tel", false}, {"email", "email", false}, {"website", "url", false},
			{"head_name", "text", false}, {"fr.head_title", "text", false}, {"en.head_title", "text", false},
		}},
		{"hours", "admin.offices.group.hours", []field{{"hours", "text", false}, {"closures", "textarea", false}}},
	}
	services := group{"services", "admin.offices.group.services", []field{{"covers", "text", false}}}
	for _, c := range office.Clienteles {
		for _, l := range lang.All {
			services.fields = append(services.fields, field{serviceField(c, l), "textarea", false})
		}
	}
	return append(gs, services, group{"sample", "admin.offices.group.sample", []field{{"sample", "checkbox", false}}})
}()

func serviceField(c office.Clientele, l lang.Lang) string {
	return "services." + string(c) + "." + string(l)
}

// formOf returns the form's values for office o.
func formOf(o office.Office) url.Values {
	f := url.Values{}
	f.Set("slug", o.Slug)
	f.Set("version", strconv.Itoa(o.Version))
	f.Set("type", string(o.Type))
	f.Set("opened", o.Opened.String())
	f.Set("closed", o.Closed.String())
	f.Set("changes", formatChanges(o.Changes))
	for _, l := range lang.All {
		p := string(l) + "."
		f.Set(p+"name", o.Name[l])
		f.Set(p+"city", o.City[l])
		f.Set(p+"head_title", o.Head.Title[l])
		for _, c := range office.Clienteles {
			f.Set(serviceField(c, l), o.Services[c][l])
		}
	}
	f.Set("country", o.Country)
	f.Set("region", string(o.Region))
	f.Set("address", o.Address)
	f.Set("latitude", strconv.FormatFloat(o.Latitude, 'f', -1, 64))
	f.Set("longitude", strconv.FormatFloat(o.Longitude, 'f', -1, 64))
	f.Set("timezone", o.TimeZone)
	f.Set("phone", o.Phone)
	f.Set("email", o.Email)
	f.Set("website", o.Website)
	f.Set("head_name", o.Head.Name)
	f.Set("hours", o.Hours.String())
	closures := make([]string, len(o.Closures))
	for i, c := range o.Closures {
		closures[i] = office.FormatClosures([]office.Closure{c})
	}
	// One closure a line: ParseClosures reads ";" and the line break
	// after it.
	f.Set("closures", strings.Join(closures, ";\n"))
	f.Set("covers", strings.Join(o.Covers, " "))
	if o.Sample {
		f.Set("sample", "1")
	}
	return f
}

// formatChanges writes type changes as the form's text:
// "2024-06-01 delegation; 2026-01-01 general-delegation".
func formatChanges(cs []office.TypeChange) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = c.On.String() + " " + string(c.Type)
	}
	return strings.Join(parts, "; ")
}

// parseChanges reads the text of type changes; a malformed change is a
// problem of the field, the types themselves are Validate's.
func parseChanges(s string, p apperr.Problems) []office.TypeChange {
	if len(s) > maxChangesText {
		p.Add("changes", "form.too_long")
		return nil
	}
	var out []office.TypeChange
	for part := range strings.SplitSeq(s, ";") {
		fs := strings.Fields(part)
		if len(fs) == 0 {
			continue
		}
		d, ok := office.ParseDate(fs[0])
		if len(fs) != 2 || !ok || d.IsZero() {
			p.Add("changes", "admin.offices.changes.invalid")
			return nil
		}
		out = append(out, office.TypeChange{On: d, Type: office.Type(fs[1])})
	}
	return out
}

// lines turns a textarea's line breaks, which browsers send as CRLF,
// into "\n".
func lines(s string) string {
	return strings.TrimSpace(strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n"))
}

// readOffice reads office slug at version from the form f. Its problems
// are keyed by the form's fields: those of reading the texts, then those
// of Validate.
func readOffice(f url.Values, slug string, version int) (office.Office, apperr.Problems) {
	p := apperr.Problems{}
	get := func(name string) string { return strings.TrimSpace(f.Get(name)) }
	o := office.Office{Slug: slug, Version: version, Type: office.Type(get("type")),
		Name: map[lang.Lang]string{}, City: map[lang.Lang]string{}, Head: office.Head{Name: get("head_name"), Title: map[lang.Lang]string{}},
		Country: strings.ToUpper(get("country")), Region: office.Region(get("region")), Address: lines(f.Get("address")),
		TimeZone: get("timezone"), Phone: get("phone"), Email: get("email"), Website: get("website"),
		Sample: f.Get("sample") != ""}
	for _, l := range lang.All {
		o.Name[l] = get(string(l) + ".name")
		o.City[l] = get(string(l) + ".city")
		o.Head.Title[l] = get(string(l) + ".head_title")
	}
	date := func(name string) office.Date {
		d, ok := office.ParseDate(get(name))
		if !ok {
			p.Add(name, "form.date.invalid")
		}
		return d
	}
	o.Opened, o.Closed = date("opened"), date("closed")
	o.Changes = parseChanges(f.Get("changes"), p)
	coord := func(name, key string) float64 {
		v := get(name)
		n, err := strconv.ParseFloat(v, 64)
		switch {
		case v == "":
			p.Add(name, "form.required")
		case len(v) > maxCoordText || err != nil:
			p.Add(name, key)
		}
		return n
	}
	o.Latitude = coord("latitude", "form.office.latitude")
	o.Longitude = coord("longitude", "form.office.longitude")
	if h := f.Get("hours"); len(h) > office.MaxHoursText {
		p.Add("hours", "form.too_long")
	} else if w, err := office.ParseWeek(h); err != nil {
		p.Add("hours", "form.office.hours")
	} else {
		o.Hours = w
	}
	if c := f.Get("closures"); len(c) > office.MaxClosuresText {
		p.Add("closures", "form.too_long")
	} else if cs, err := office.ParseClosures(lines(c)); err != nil {
		p.Add("closures", "form.office.closure")
	} else {
		o.Closures = cs
	}
	if c := f.Get("covers"); len(c) > maxCoversText {
		p.Add("covers", "form.too_long")
	} else {
		for _, code := range strings.FieldsFunc(c, func(r rune) bool { return r == ',' || r == ';' || unicode.IsSpace(r) }) {
			o.Covers = append(o.Covers, strings.ToUpper(code))
		}
	}
	for _, c := range office.Clienteles {
		t := map[lang.Lang]string{}
		for _, l := range lang.All {
			if v := lines(f.Get(serviceField(c, l))); v != "" {
				t[l] = v
			}
		}
		if len(t) > 0 {
			if o.Services == nil {
				o.Services = map[office.Clientele]map[lang.Lang]string{}
			}
			o.Services[c] = t
		}
	}
	addProblems(p, apperr.ProblemsOf(o.Validate()))
	return o, p
}

// addProblems adds the problems of Validate or of the store to p, each
// at the form field that holds it, in a stable order: a list's first bad
// item speaks for the list's field.
func addProblems(p apperr.Problems, probs map[string]string) {
	names := make([]string, 0, len(probs))
	for name := range probs {
		names = append(names, name)
	}
	slices.SortFunc(names, func(a, b string) int {
		if d := itemOrder(a) - itemOrder(b); d != 0 {
			return d
		}
		return strings.Compare(a, b)
	})
	for _, name := range names {
		p.Add(formField(name, probs[name]))
	}
}

// itemOrder is the position of a list item's problem ("covers.12": 12),
// so that the first bad item is the one shown.
func itemOrder(name string) int {
	parts := strings.Split(name, ".")
	if len(parts) < 2 {
		return 0
	}
	n, err := strconv.Atoi(parts[1])
	if err != nil {
		return 0
	}
	return n
}

// formField returns the form field that shows problem name of Validate
// or of the store, and its message key there.
func formField(name, key string) (string, string) {
	list, _, _ := strings.Cut(name, ".")
	switch list {
	case "hours", "closures":
		return list, key
	case "covers":
		if key == "form.office.country" {
			key = "admin.offices.covers.invalid"
		}
		return list, key
	case "changes":
		if key == "form.office.type" {
			key = "admin.offices.changes.invalid"
		}
		return list, key
	}
	return name, key
}

// formData is the office form's page.
type formData struct {
	admin.Page
	New       bool
	Slug      string
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
}

// SlugField is the slug's input, on the form that adds an office.
func (d *formData) SlugField() admin.Field {
	return d.Field("slug", "admin.offices.field.slug", "text", "off")
}

// fieldView returns the view of fl with the form's value and problem.
func (d *formData) fieldView(fl field) admin.ChoiceField {
	label := "admin.offices.field." + fl.name
	if fl.typ == "select" {
		return d.Choice(fl.name, label, "", d.options(fl.name))
	}
	f := d.Field(fl.name, label, fl.typ, "off")
	f.Required = fl.required
	if l, c, ok := serviceName(fl.name); ok {
		f.Label = d.T("admin.offices.field.services", d.T("offices.clientele."+string(c)), d.T("admin.offices.lang."+string(l)))
		f.Lang, f.Rows = string(l), 4
	}
	// Text in one language is marked as such, whatever the staff side's.
	if prefix, _, ok := strings.Cut(fl.name, "."); ok {
		if l, ok := lang.Parse(prefix); ok {
			f.Lang = string(l)
		}
	}
	if fl.name == "closures" {
		f.Rows = 5
	}
	return admin.ChoiceField{Field: f}
}

// serviceName reads a services field's clientele and language.
func serviceName(name string) (lang.Lang, office.Clientele, bool) {
	parts := strings.Split(name, ".")
	if len(parts) != 3 || parts[0] != "services" {
		return "", "", false
	}
	l, ok := lang.Parse(parts[2])
	return l, office.Clientele(parts[1]), ok
}

// options are the choices of select name, with an empty first choice so
// that a new office's type, country and region are chosen, not assumed.
func (d *formData) options(name string) []admin.Option {
	opts := []admin.Option{{Value: "", Label: d.T("admin.offices.choose")}}
	switch name {
	case "type":
		for _, t := range office.Types {
			opts = append(opts, admin.Option{Value: string(t), Label: d.T("offices.type." + string(t))})
		}
	case "region":
		for _, r := range office.Regions {
			opts = append(opts, admin.Option{Value: string(r), Label: d.T("offices.region." + string(r))})
		}
	case "country":
		for _, c := range office.Countries(d.Lang) {
			opts = append(opts, admin.Option{Value: c.Code, Label: c.Name[d.Lang] + " (" + c.Code + ")"})
		}
	}
	// A value that is not a choice (a code that no longer names a
	// country) stays selected beside its error rather than being lost.
	if v := d.Value(name); v != "" && !slices.ContainsFunc(opts, func(o admin.Option) bool { return o.Value == v }) {
		opts = append(opts, admin.Option{Value: v, Label: v})
	}
	return opts
}

// renderForm draws the office form with the values of form and
// problems: the form that adds an office when cur is nil, else the form
// of cur, the office as stored.
func (a *Area) renderForm(w http.ResponseWriter, r *http.Request, status int, cur *office.Office, form url.Values, problems map[string]string) {
	a.Render(w, r, status, "admin-office", a.formPage(r, status, cur, form, problems))
}

func (a *Area) formPage(r *http.Request, status int, cur *office.Office, form url.Values, problems map[string]string) *formData {
	d := &formData{Page: a.Page(r, "admin.offices.new.title"), New: cur == nil, Action: listPath + "/new"}
	if cur != nil {
		d.Title = d.T("admin.offices.edit.title", cur.Name[lang.FR])
		d.Slug, d.Action, d.DeleteURL = cur.Slug, officeURL(cur.Slug), officeURL(cur.Slug)+"/delete"
	}
	d.Form, d.Problems = form, problems
	d.ProblemURLs = map[string]string{}
	for name := range problems {
		if name == "version" {
			d.ProblemURLs[name] = "#theirs"
		} else if !onForm(name, d.New) {
			d.ProblemURLs[name] = "" // no field to link to
		}
	}
	for _, g := range groups {
		fg := fieldGroup{ID: g.id, Legend: d.T(g.legend)}
		for _, fl := range g.fields {
			fg.Fields = append(fg.Fields, d.fieldView(fl))
		}
		d.Groups = append(d.Groups, fg)
	}
	if r.URL.Query().Has("saved") && status == http.StatusOK {
		d.Notice = d.T("admin.offices.saved")
	}
	return d
}

// differences returns their version o with the fields where it differs
// from the form, as the form's fields show them.
func (d *formData) differences(o office.Office) *theirs {
	t := &theirs{Version: o.Version, Updated: o.Updated}
	them := formOf(o)
	for _, g := range d.Groups {
		for _, f := range g.Fields {
			v := them.Get(f.Name)
			if lines(d.Value(f.Name)) == v {
				continue
			}
			for _, opt := range f.Options {
				if opt.Value == v {
					v = opt.Label
				}
			}
			if f.Type == "checkbox" {
				v = d.T("admin.offices.no")
				if them.Get(f.Name) != "" {
					v = d.T("admin.offices.yes")
				}
			}
			t.Fields = append(t.Fields, theirField{Label: f.Label, Value: v, Lang: lang.Lang(f.Lang)})
		}
	}
	return t
}

// onForm reports whether the form has a field named name.
func onForm(name string, isNew bool) bool {
	if name == "slug" {
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
		a.renderForm(w, r, http.StatusOK, nil, url.Values{"version": {"0"}}, nil)
	})
}

func (a *Area) editForm() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		o, err := a.Store.Office(r.Context(), r.PathValue("slug"))
		if err != nil {
			a.Fail(w, r, err)
			return
		}
		a.renderForm(w, r, http.StatusOK, &o, formOf(o), nil)
	})
}

// create adds an office from the form.
func (a *Area) create() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f := r.PostForm
		slug := strings.TrimSpace(f.Get("slug"))
		o, p := readOffice(f, slug, 0)
		if slices.Contains(reservedSlugs, slug) {
			p["slug"] = "form.key.reserved"
		}
		if len(p) > 0 {
			a.renderForm(w, r, http.StatusUnprocessableEntity, nil, f, p)
			return
		}
		a.write(w, r, nil, f, o)
	})
}

// save changes an office from the form, from the version the form was
// filled from.
func (a *Area) save() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cur, err := a.Store.Office(r.Context(), r.PathValue("slug"))
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
			_, p := readOffice(f, cur.Slug, cur.Version)
			p["version"] = "admin.offices.version.invalid"
			a.renderForm(w, r, http.StatusUnprocessableEntity, &cur, f, p)
			return
		}
		o, p := readOffice(f, cur.Slug, version)
		if len(p) > 0 {
			a.renderForm(w, r, http.StatusUnprocessableEntity, &cur, f, p)
			return
		}
		a.write(w, r, &cur, f, o)
	})
}

// write saves o, read from form f (cur is the office as stored, nil for
// a new one), and answers: a redirect to the office's form, or the form
// as typed with the store's refusal.
func (a *Area) write(w http.ResponseWriter, r *http.Request, cur *office.Office, f url.Values, o office.Office) {
	ctx := r.Context()
	saved, err := a.Store.SaveOffice(ctx, o, admin.OriginOf(r))
	if err == nil {
		a.ShowChanges(r)
		http.Redirect(w, r, officeURL(saved.Slug)+"?saved", http.StatusSeeOther)
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
		p := apperr.Problems{}
		addProblems(p, probs)
		a.renderForm(w, r, status, cur, f, p)
		return
	}
	// Someone saved meanwhile: the form keeps what was typed, shows
	// what they saved, and is now based on their version, so that
	// saving it again replaces theirs deliberately.
	theirs, err := a.Store.Office(ctx, o.Slug)
	if err != nil {
		a.Fail(w, r, err)
		return
	}
	form := maps.Clone(f)
	form.Set("version", strconv.Itoa(theirs.Version))
	d := a.formPage(r, status, &theirs, form, map[string]string{"version": "admin.offices.stale"})
	d.Theirs = d.differences(theirs)
	// Who saved it: the newest save of the office in the audit log,
	// if that is the save of their version (an import writes no entry
	// per office, and a deleted office's versions start again).
	es, err := a.Store.AuditLog(ctx, audit.Filter{Action: audit.OfficeSave, Target: o.Slug, Limit: 1})
	if err == nil && len(es) == 1 && strings.HasPrefix(es[0].Detail, "version "+strconv.Itoa(theirs.Version)+":") &&
		(es[0].Time.Sub(theirs.Updated)).Abs() < time.Minute {
		d.Theirs.By = d.Person(es[0].Actor)
	}
	a.Render(w, r, status, "admin-office", d)
}

// deleteData is the page that asks before an office is deleted.
type deleteData struct {
	admin.Page
	Office              office.Office
	Name, City, Country string // in French, and in the staff language
	// Stale says that the office changed since the staff member last
	// saw it: what they confirm now is its current version.
	Stale bool
}

// delete removes an office, at the version the staff member saw, once
// they confirm it: the form's button leads to a page that shows the
// office and asks.
func (a *Area) delete() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		cur, err := a.Store.Office(ctx, r.PathValue("slug"))
		if err != nil {
			a.Fail(w, r, err)
			return
		}
		ask := func(status int, stale bool) {
			d := &deleteData{Page: a.Page(r, "admin.offices.delete.title"), Office: cur, Stale: stale}
			d.Name, d.City, d.Country = cur.Name[lang.FR], cur.City[d.Lang], office.CountryName(cur.Country, d.Lang)
			d.Title = d.T("admin.offices.delete.question", cur.Name[lang.FR])
			a.Render(w, r, status, "admin-office-delete", d)
		}
		a.ConfirmDelete(w, r, admin.Deletion{
			Current: cur.Version,
			Ask:     ask,
			Delete: func(version int) error {
				return a.Store.DeleteOffice(ctx, cur.Slug, version, admin.OriginOf(r))
			},
			Reload: func() (err error) {
				cur, err = a.Store.Office(ctx, cur.Slug)
				return err
			},
			InvalidVersion: "admin.offices.version.invalid",
			Done:           listPath + "?deleted",
		})
	})
}
