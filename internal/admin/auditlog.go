package admin

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
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

// When formats an entry's time in Québec time, to the minute.
func (d *auditData) When(t time.Time) string { return i18n.DateTime(t) }

// ActionName names action a in the staff language; an action without a
// catalog key (a test requires one for each) shows its code.
func (d *auditData) ActionName(a audit.Action) string {
	key := "audit.action." + string(a)
	if s := d.T(key); s != key {
		return s
	}
	return string(a)
}

// Detail translates the parts of an entry's detail that the workflow
// writes in a fixed form (store.AuditEntry: "revision 12; reason: …;
// at 2026-03-02T14:00:00Z"), with times in Montréal to the minute; other
// parts, such as a file's name or a comment, are shown as written.
func (d *auditData) Detail(detail string) string {
	parts := strings.Split(detail, "; ")
	for i, part := range parts {
		parts[i] = d.detailPart(part)
	}
	return strings.Join(parts, " ; ")
}

func (d *auditData) detailPart(part string) string {
	when := func(s string) string {
		if t, err := time.Parse(time.RFC3339, s); err == nil {
			return i18n.DateTime(t)
		}
		return s
	}
	if rest, ok := strings.CutPrefix(part, "revision "); ok {
		if _, err := strconv.ParseInt(rest, 10, 64); err == nil {
			return d.T("audit.detail.revision", rest)
		}
	}
	if rest, ok := strings.CutPrefix(part, "reason: "); ok {
		return d.T("audit.detail.reason", rest)
	}
	if rest, ok := strings.CutPrefix(part, "comment: "); ok {
		return d.T("audit.detail.comment", rest)
	}
	if rest, ok := strings.CutPrefix(part, "scheduled at "); ok {
		if at, by, ok := strings.Cut(rest, " by "); ok {
			return d.T("audit.detail.scheduled", when(at), by)
		}
	}
	if rest, ok := strings.CutPrefix(part, "at "); ok {
		return d.T("audit.detail.at", when(rest))
	}
	if rest, ok := strings.CutPrefix(part, "was "); ok {
		state, withdrawn := strings.CutSuffix(rest, ", withdrawn from the public site")
		s := d.T("audit.detail.was", d.T("workflow.state."+state))
		if withdrawn {
			s += ", " + d.T("audit.detail.withdrawn")
		}
		return s
	}
	return part
}

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
