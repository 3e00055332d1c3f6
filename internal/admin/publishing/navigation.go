package publishing

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"portail/internal/admin"
	"portail/internal/apperr"
	"portail/internal/content"
	"portail/internal/lang"
)

// The navigation page edits the public site's sections (menu labels and
// order), adds a section with its landing page, and edits the footer's
// links. Each form's fields carry a prefix naming the form ("sec.home.",
// "new.", "foot.3.", "foot.new."), so that the page, which holds every
// form, shows a refused form's typed values and errors next to its fields.

// navForm is one form of the navigation page.
type navForm struct {
	Action, Title string
	Save          string // the submit button's label
	Fields        []admin.Field
	Delete        string // the delete form's action, for footer links
}

type navigationData struct {
	admin.Page
	Sections   []navForm
	NewSection navForm
	Footer     []navForm
	NewLink    navForm
}

const navPath = "/admin/navigation"

// renderNavigation draws the navigation page; form and problems, when
// set, are those of the refused form (their names carry its prefix).
func (a *Area) renderNavigation(w http.ResponseWriter, r *http.Request, status int, form url.Values, problems map[string]string) {
	ctx := r.Context()
	secs, err := a.Store.Sections(ctx)
	if err != nil {
		a.Fail(w, r, err)
		return
	}
	links, err := a.Store.FooterLinks(ctx)
	if err != nil {
		a.Fail(w, r, err)
		return
	}
	d := navigationData{Page: a.Page(r, "admin.navigation.title")}
	d.Problems = problems
	d.Form = url.Values{}
	// Every form shows the stored values, but the refused one, which
	// shows what was typed.
	set := func(name, v string) {
		if form != nil && form.Has(name) {
			d.Form[name] = form[name]
		} else {
			d.Form.Set(name, v)
		}
	}
	field := func(name, labelKey string) admin.Field {
		f := d.Field(name, labelKey, "text", "off")
		if strings.HasSuffix(name, "order") {
			f.Type = "number"
		}
		if l, ok := lang.Parse(strings.Split(name, ".")[len(strings.Split(name, "."))-2]); ok {
			f.Lang = string(l)
		}
		return f
	}
	for _, s := range secs {
		p := "sec." + string(s.Key) + "."
		set(p+"fr.label", s.Label[lang.FR])
		set(p+"en.label", s.Label[lang.EN])
		set(p+"order", strconv.Itoa(s.Order))
		d.Sections = append(d.Sections, navForm{
			Action: navPath + "/sections/" + url.PathEscape(string(s.Key)), Save: d.T("admin.navigation.save"),
			Title:  s.Label[d.Lang] + " (" + string(s.Key) + ")",
			Fields: []admin.Field{field(p+"fr.label", "admin.navigation.label.fr"), field(p+"en.label", "admin.navigation.label.en"), field(p+"order", "admin.navigation.order")},
		})
	}
	for _, n := range []string{"new.key", "new.fr.label", "new.en.label", "new.order", "new.page", "new.fr.title", "new.fr.path", "new.en.title", "new.en.path"} {
		set(n, "")
	}
	if d.Form.Get("new.order") == "" {
		d.Form.Set("new.order", strconv.Itoa(len(secs)))
	}
	d.NewSection = navForm{Action: navPath + "/sections", Fields: []admin.Field{
		field("new.key", "admin.navigation.key"), field("new.fr.label", "admin.navigation.label.fr"),
		field("new.en.label", "admin.navigation.label.en"), field("new.order", "admin.navigation.order"),
		field("new.page", "admin.navigation.page"),
		field("new.fr.title", "admin.navigation.page.title.fr"), field("new.fr.path", "admin.navigation.page.path.fr"),
		field("new.en.title", "admin.navigation.page.title.en"), field("new.en.path", "admin.navigation.page.path.en"),
	}}
	for _, f := range links {
		id := strconv.FormatInt(f.ID, 10)
		p := "foot." + id + "."
		for _, l := range lang.All {
			set(p+string(l)+".label", f.Label[l])
			set(p+string(l)+".url", f.URL[l])
		}
		set(p+"order", strconv.Itoa(f.Order))
		d.Footer = append(d.Footer, navForm{
			Action: navPath + "/footer/" + id, Delete: navPath + "/footer/" + id + "/delete", Save: d.T("admin.navigation.save"),
			Title: f.Label[d.Lang], Fields: linkFields(field, p),
		})
	}
	for _, n := range []string{"foot.new.fr.label", "foot.new.fr.url", "foot.new.en.label", "foot.new.en.url", "foot.new.order"} {
		set(n, "")
	}
	d.NewLink = navForm{Action: navPath + "/footer", Fields: linkFields(field, "foot.new.")}
	if q := r.URL.Query(); q.Has("saved") {
		d.Notice = d.T("admin.navigation.saved")
	}
	a.Render(w, r, status, "admin-navigation", &d)
}

func linkFields(field func(name, labelKey string) admin.Field, p string) []admin.Field {
	return []admin.Field{
		field(p+"fr.label", "admin.navigation.label.fr"), field(p+"fr.url", "admin.navigation.url.fr"),
		field(p+"en.label", "admin.navigation.label.en"), field(p+"en.url", "admin.navigation.url.en"),
		field(p+"order", "admin.navigation.order"),
	}
}

func (a *Area) navigation() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a.renderNavigation(w, r, http.StatusOK, nil, nil)
	})
}

// navSaved answers a navigation form: the page again with a notice, or
// the page with the refused form's values and errors (named with the
// form's prefix).
func (a *Area) navSaved(w http.ResponseWriter, r *http.Request, prefix string, err error) {
	if err == nil {
		a.ShowChanges(r)
		http.Redirect(w, r, navPath+"?saved", http.StatusSeeOther)
		return
	}
	probs := apperr.ProblemsOf(err)
	if probs == nil || apperr.KindOf(err) != apperr.Invalid && apperr.KindOf(err) != apperr.Conflict {
		a.Fail(w, r, err)
		return
	}
	named := map[string]string{}
	for f, k := range probs {
		// A limit on the whole menu or footer is shown at the form's
		// first field.
		switch f {
		case "section":
			f = "key"
		case "footer":
			f = "fr.label"
		}
		named[prefix+f] = k
	}
	status := http.StatusUnprocessableEntity
	if apperr.KindOf(err) == apperr.Conflict {
		status = http.StatusConflict
	}
	a.renderNavigation(w, r, status, r.PostForm, named)
}

// formOrder reads an order field; a problem is added under name.
func formOrder(f url.Values, name string, p apperr.Problems) int {
	v := strings.TrimSpace(f.Get(name))
	n, err := strconv.Atoi(v)
	if v != "" && (err != nil || n < 0 || n > 10000) {
		p.Add(name, "form.number.invalid")
	}
	return n
}

func formText(f url.Values, prefix string) map[lang.Lang]string {
	return map[lang.Lang]string{lang.FR: strings.TrimSpace(f.Get(prefix + "fr")), lang.EN: strings.TrimSpace(f.Get(prefix + "en"))}
}

func (a *Area) saveSection() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			a.Fail(w, r, apperr.Wrap(apperr.Invalid, err, "admin: section form"))
			return
		}
		key := r.PathValue("key")
		p := "sec." + key + "."
		f := r.PostForm
		probs := apperr.Problems{}
		s := content.NavSection{Key: content.Section(key), Order: formOrder(f, p+"order", probs),
			Label: map[lang.Lang]string{lang.FR: strings.TrimSpace(f.Get(p + "fr.label")), lang.EN: strings.TrimSpace(f.Get(p + "en.label"))}}
		if len(probs) > 0 {
			a.renderNavigation(w, r, http.StatusUnprocessableEntity, f, probs)
			return
		}
		a.navSaved(w, r, p, a.Store.SaveSection(r.Context(), s, admin.OriginOf(r)))
	})
}

func (a *Area) addSection() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			a.Fail(w, r, apperr.Wrap(apperr.Invalid, err, "admin: new section form"))
			return
		}
		f := r.PostForm
		probs := apperr.Problems{}
		key := content.Section(strings.TrimSpace(f.Get("new.key")))
		page := strings.TrimSpace(f.Get("new.page"))
		if a.keyReserved(page) {
			probs.Add("new.page", "form.key.reserved")
		}
		n := content.NewSection{
			Section: content.NavSection{Key: key, Order: formOrder(f, "new.order", probs),
				Label: map[lang.Lang]string{lang.FR: strings.TrimSpace(f.Get("new.fr.label")), lang.EN: strings.TrimSpace(f.Get("new.en.label"))}},
			Landing: content.Page{Key: page, Section: key},
		}
		u, _ := admin.UserFrom(r.Context())
		for _, l := range lang.All {
			p := "new." + string(l) + "."
			rv := content.Revision{PageKey: page, Lang: l, State: content.Draft, Author: u.Email,
				Title: strings.TrimSpace(f.Get(p + "title")), Path: strings.Trim(strings.TrimSpace(f.Get(p+"path")), "/")}
			if k := a.pathProblem(page, l, rv.Path); k != "" && rv.Path != "" {
				probs.Add(p+"path", k)
			}
			n.Drafts = append(n.Drafts, rv)
		}
		for name, k := range apperr.ProblemsOf(n.Validate()) {
			probs.Add("new."+name, k)
		}
		if len(probs) > 0 {
			a.renderNavigation(w, r, http.StatusUnprocessableEntity, f, probs)
			return
		}
		a.navSaved(w, r, "new.", a.Store.AddSection(r.Context(), n, admin.OriginOf(r)))
	})
}

// saveFooterLink adds a link (POST /admin/navigation/footer) or changes
// one (…/footer/{id}).
func (a *Area) saveFooterLink() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			a.Fail(w, r, apperr.Wrap(apperr.Invalid, err, "admin: footer link form"))
			return
		}
		var id int64
		p := "foot.new."
		if v := r.PathValue("id"); v != "" {
			var err error
			if id, err = strconv.ParseInt(v, 10, 64); err != nil || id <= 0 {
				a.Errors.NotFound(w, r)
				return
			}
			p = "foot." + v + "."
		}
		f := r.PostForm
		probs := apperr.Problems{}
		link := content.FooterLink{ID: id, Order: formOrder(f, p+"order", probs),
			Label: map[lang.Lang]string{lang.FR: strings.TrimSpace(f.Get(p + "fr.label")), lang.EN: strings.TrimSpace(f.Get(p + "en.label"))},
			URL:   map[lang.Lang]string{lang.FR: strings.TrimSpace(f.Get(p + "fr.url")), lang.EN: strings.TrimSpace(f.Get(p + "en.url"))}}
		if len(probs) > 0 {
			a.renderNavigation(w, r, http.StatusUnprocessableEntity, f, probs)
			return
		}
		_, err := a.Store.SaveFooterLink(r.Context(), link, admin.OriginOf(r))
		a.navSaved(w, r, p, err)
	})
}

func (a *Area) deleteFooterLink() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
		if err != nil || id <= 0 {
			a.Errors.NotFound(w, r)
			return
		}
		if err := a.Store.DeleteFooterLink(r.Context(), id, admin.OriginOf(r)); err != nil {
			a.Fail(w, r, err)
			return
		}
		a.ShowChanges(r)
		http.Redirect(w, r, navPath+"?saved", http.StatusSeeOther)
	})
}
