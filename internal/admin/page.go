package admin

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"portail/internal/auth"
	"portail/internal/lang"
	"portail/internal/render"
	"portail/internal/web"
)

// Page is what every staff page template receives: embed it in the page's
// data struct and pass a pointer to Render.
type Page struct {
	render.Page
	User     auth.User // the signed-in account; zero on the sign-in form
	SignedIn bool
	Nav      []render.NavItem
	AdminCSS string
	Notice   string // a translated confirmation ("Password changed.")
	// CurrentPath is the request's path and query, where the language
	// switch comes back to.
	CurrentPath string
	// Form holds the submitted values and Problems the field → message-key
	// problems of a form shown again.
	Form     url.Values
	Problems map[string]string
	// ProblemArgs are the arguments of the problems whose message takes
	// some (the line of a text that holds the problem), by field.
	ProblemArgs map[string][]any
	// ProblemURLs says where the error summary links for the problems
	// whose field is not on this page: a field of another page, or "" for
	// no link. Other problems link to their field here (ProblemURL).
	ProblemURLs map[string]string

	people *people // the accounts' names, read on first use
}

// people names staff accounts by email, from the accounts read once per
// page on first use.
type people struct {
	load  func() ([]auth.User, error)
	names map[string]string
}

// Person returns the name of the account whose email is email, as the
// staff side shows an author, an approver or a reviewer; the email itself
// when no account has it (deleted, or not a person: the default content,
// the scheduler) or the accounts cannot be read, since a name is only a
// courtesy there.
func (p *Page) Person(email string) string {
	if p.people == nil || email == "" {
		return email
	}
	if p.people.names == nil {
		p.people.names = map[string]string{}
		if us, err := p.people.load(); err == nil {
			for _, u := range us {
				if strings.TrimSpace(u.Name) != "" {
					p.people.names[u.Email] = u.Name
				}
			}
		}
	}
	if n, ok := p.people.names[email]; ok {
		return n
	}
	return email
}

// Admin returns p itself, so that the layout reaches the staff fields.
func (p *Page) Admin() *Page { return p }

// Value returns the submitted value of field name.
func (p *Page) Value(name string) string { return p.Form.Get(name) }

// Invalid reports whether field name has a problem.
func (p *Page) Invalid(name string) bool { return p.Problems[name] != "" }

// Error returns the translated problem of field name, or "".
func (p *Page) Error(name string) string {
	if k := p.Problems[name]; k != "" {
		return p.T(k, p.ProblemArgs[name]...)
	}
	return ""
}

// ProblemURL is where the error summary's entry for problem name links:
// its field on this page unless ProblemURLs says otherwise.
func (p *Page) ProblemURL(name string) string {
	if u, ok := p.ProblemURLs[name]; ok {
		return u
	}
	return "#" + name
}

// ErrorID is the id of field name's error message, for aria-describedby.
func (p *Page) ErrorID(name string) string { return name + "-error" }

// StaffLang is the language of the staff side for r: the account's choice,
// else ?lang= (on the sign-in form), else the lang cookie or
// Accept-Language.
func StaffLang(r *http.Request) lang.Lang {
	if u, ok := UserFrom(r.Context()); ok {
		if l, ok := lang.Parse(string(u.Lang)); ok {
			return l
		}
	}
	if l, ok := lang.Parse(r.URL.Query().Get("lang")); ok {
		return l
	}
	return web.RequestLang(r)
}

// Page returns the staff page data for r with its title set from the
// catalog key titleKey.
func (a *Admin) Page(r *http.Request, titleKey string) Page {
	p := Page{Page: a.Engine.Page(StaffLang(r)), AdminCSS: a.Assets.URL("admin.css")}
	p.Title = p.T(titleKey)
	p.Robots = "noindex"
	p.CurrentPath = r.URL.RequestURI()
	ctx := r.Context()
	p.people = &people{load: func() ([]auth.User, error) { return a.Store.Users(ctx) }}
	if u, ok := UserFrom(r.Context()); ok {
		p.User, p.SignedIn = u, true
		for _, rt := range a.table {
			if rt.Nav == "" || !u.Can(rt.Perm) || u.MustChangePassword {
				continue
			}
			url := strings.TrimSuffix(strings.TrimPrefix(rt.Pattern, "GET "), "{$}")
			p.Nav = append(p.Nav, render.NavItem{Link: render.Link{Label: p.T(rt.Nav), URL: url}, Current: r.URL.Path == url})
		}
	}
	return p
}

// Render writes staff page name (template admin-….html) with data, a
// pointer to a struct embedding Page, in the admin layout.
func (a *Admin) Render(w http.ResponseWriter, r *http.Request, status int, name string, data render.Viewer) {
	body, err := a.Engine.RenderIn("admin", name, data)
	if err != nil {
		a.Errors.Error(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(body)
}

// Fail answers err: a form's problems are the caller's to show, so Fail is
// for the rest (not found, forbidden, internal).
func (a *Admin) Fail(w http.ResponseWriter, r *http.Request, err error) {
	a.Errors.Error(w, r, err)
}

// Field is what the "admin-field" template draws: a labelled input,
// textarea or checkbox with its hint and error message tied to it.
type Field struct {
	Name, Label, Type, Value, Error, ErrorID, Autocomplete, Hint, Lang string
	Required, Checked                                                  bool
	Rows                                                               int // textarea height
}

// Field returns the view of input name labelled by catalog key labelKey,
// with the hint labelKey+".hint" when the catalog has one; typ is the input
// type and autocomplete its autocomplete token. Password fields never get
// their value back. A date field holding something that is not a date
// (typed where the browser has no date picker, or put in the URL) becomes
// a text field beside its error: a date input cannot hold it, the HTML
// would be invalid and browsers would drop what was typed.
func (p *Page) Field(name, labelKey, typ, autocomplete string) Field {
	f := Field{Name: name, Label: p.T(labelKey), Type: typ, Error: p.Error(name), ErrorID: p.ErrorID(name), Autocomplete: autocomplete, Required: true, Rows: 3}
	if typ != "password" {
		f.Value = p.Value(name)
	}
	if hint := labelKey + ".hint"; p.T(hint) != hint {
		f.Hint = p.T(hint)
	}
	switch typ {
	case "checkbox":
		f.Checked = f.Value != ""
	case "date":
		if _, err := time.Parse(time.DateOnly, f.Value); err != nil && f.Value != "" {
			f.Type = "text"
		}
	}
	return f
}

// Option is one choice of a select field.
type Option struct {
	Value, Label string
	Selected     bool
}

// ChoiceField is what the "admin-select" template draws.
type ChoiceField struct {
	Field
	Options []Option
}

// Choice returns the view of select name labelled by catalog key
// labelKey, with opts and the submitted value (else def) selected.
func (p *Page) Choice(name, labelKey, def string, opts []Option) ChoiceField {
	f := p.Field(name, labelKey, "", "")
	cur := p.Value(name)
	if cur == "" {
		cur = def
	}
	out := make([]Option, len(opts))
	for i, o := range opts {
		o.Selected = o.Value == cur
		out[i] = o
	}
	return ChoiceField{Field: f, Options: out}
}

// RoleOptions lists the roles with their names in the page's language.
func (p *Page) RoleOptions() []Option {
	out := make([]Option, 0, len(auth.Roles))
	for _, r := range auth.Roles {
		out = append(out, Option{Value: string(r), Label: p.T("role." + string(r))})
	}
	return out
}

// LangOptions lists the staff side's languages, each named in itself.
func (p *Page) LangOptions() []Option {
	return []Option{{Value: string(lang.FR), Label: "Français"}, {Value: string(lang.EN), Label: "English"}}
}
