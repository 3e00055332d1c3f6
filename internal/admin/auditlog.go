package admin

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"portail/internal/apperr"
	"portail/internal/audit"
	"portail/internal/i18n"
)

// auditPage is how many entries the audit page shows at once.
const auditPage = 50

type auditData struct {
	Page
	Entries []audit.Entry
	Older   string // URL of the next page, or ""
}

// When formats an entry's time in Québec time.
func (d *auditData) When(t time.Time) string { return i18n.DateTime(t) }

// DateField is a date filter input.
func (d *auditData) DateField(name, labelKey string) Field {
	f := d.Field(name, labelKey, "date", "off")
	f.Required = false
	return f
}

// TextField is a text filter input.
func (d *auditData) TextField(name, labelKey string) Field {
	f := d.Field(name, labelKey, "text", "off")
	f.Required = false
	return f
}

// parseDay reads a YYYY-MM-DD date as the start of that day in Québec.
func parseDay(s string) (time.Time, error) {
	return time.ParseInLocation(time.DateOnly, s, i18n.Montreal)
}

func (a *Admin) auditLog() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		d := &auditData{Page: a.Page(r, "admin.audit.title")}
		d.Form = q
		f := audit.Filter{Actor: q.Get("actor"), Action: audit.Action(q.Get("action")), Target: q.Get("target"), IP: q.Get("ip"), Limit: auditPage}
		p := apperr.Problems{}
		if s := q.Get("since"); s != "" {
			t, err := parseDay(s)
			if err != nil {
				p.Add("since", "form.date.invalid")
			}
			f.Since = t
		}
		if s := q.Get("until"); s != "" {
			t, err := parseDay(s)
			if err != nil {
				p.Add("until", "form.date.invalid")
			}
			f.Until = t.AddDate(0, 0, 1) // the whole "until" day
		}
		if s := q.Get("before"); s != "" {
			f.Before, _ = strconv.ParseInt(s, 10, 64)
		}
		if len(p) > 0 {
			d.Problems = p
			a.Render(w, r, http.StatusUnprocessableEntity, "admin-audit", d)
			return
		}
		es, err := a.Store.AuditLog(r.Context(), f)
		if err != nil {
			a.Fail(w, r, err)
			return
		}
		d.Entries = es
		if len(es) == auditPage {
			next := url.Values{}
			for k, v := range q {
				next[k] = v
			}
			next.Set("before", strconv.FormatInt(es[len(es)-1].ID, 10))
			d.Older = "/admin/audit?" + next.Encode()
		}
		a.Render(w, r, http.StatusOK, "admin-audit", d)
	})
}
