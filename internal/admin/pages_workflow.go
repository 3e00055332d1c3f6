package admin

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

	"portail/internal/apperr"
	"portail/internal/content"
	"portail/internal/i18n"
	"portail/internal/markdown"
	"portail/internal/site"
)

// revisionData is the page of one revision: what it says, whether it
// passes the accessibility checks, and the workflow steps the signed-in
// account may take on it.
type revisionData struct {
	Page
	Rev        content.Revision
	Body       template.HTML
	Issues     []string
	EditURL    string
	HistoryURL string
	DiffURL    string // against the published revision, when another one is
	PublicURL  string
	Overdue    bool
	// The steps offered; content.Allow has the last word when posted.
	CanSubmit, CanPublish, CanReturn, CanUnschedule, CanArchive, CanRestore bool
	SelfApproval                                                            bool // the admin approves their own change: a reason is asked
	OwnChange                                                               bool // a reviewer looks at their own change
	Refused                                                                 string
}

// Field returns the view of a field of the revision page's forms.
func (d *revisionData) F(name, labelKey, typ string) Field {
	return newField(&d.Page, name, labelKey, typ)
}

func (a *Admin) revisionFromPath(w http.ResponseWriter, r *http.Request) (content.Revision, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		a.Errors.NotFound(w, r)
		return content.Revision{}, false
	}
	rv, err := a.Store.Revision(r.Context(), id)
	if err != nil {
		a.Fail(w, r, err)
		return content.Revision{}, false
	}
	return rv, true
}

// renderRevision draws the revision page; problems and issues are those
// of a refused step.
func (a *Admin) renderRevision(w http.ResponseWriter, r *http.Request, status int, rv content.Revision, form url.Values, problems map[string]string, refused string) {
	ctx := r.Context()
	d := revisionData{Page: a.Page(r, "admin.revision.title"), Rev: rv, Refused: refused}
	d.Title = d.T("admin.revision.title", rv.ID, rv.Title)
	d.Form, d.Problems = form, problems
	if d.Form == nil {
		d.Form = url.Values{}
	}
	body, err := markdown.New().Render(rv.Body)
	if err != nil {
		a.Fail(w, r, err)
		return
	}
	d.Body = body
	d.Issues = issueMessages(d.Base(), content.CheckAccessibility(rv.Body))
	d.EditURL = pageURL(rv.PageKey)
	d.HistoryURL = pageURL(rv.PageKey) + "/" + string(rv.Lang) + "/history"
	d.Overdue = rv.Overdue(a.Now())
	public, err := a.publicTranslations(ctx)
	if err != nil {
		a.Fail(w, r, err)
		return
	}
	if t, ok := public[rv.PageKey][rv.Lang]; ok && t.HasContent() {
		d.PublicURL = site.URL(rv.Lang, t.Path)
		if t.RevisionID != rv.ID {
			d.DiffURL = diffURL(rv.PageKey, rv.Lang, t.RevisionID, rv.ID)
		}
	}
	act := actor(d.User)
	d.CanSubmit = content.Allow(act, content.ActSubmit, rv, "") == nil
	d.CanReturn = content.Allow(act, content.ActReturn, rv, "") == nil
	d.CanUnschedule = content.Allow(act, content.ActUnschedule, rv, "") == nil
	d.CanArchive = content.Allow(act, content.ActArchive, rv, "") == nil
	d.CanRestore = content.Allow(act, content.ActSave, rv, "") == nil
	// Offered when allowed or when only the admin's reason is missing.
	err = content.Allow(act, content.ActPublish, rv, "")
	d.CanPublish = err == nil || apperr.ProblemsOf(err)["reason"] != ""
	d.SelfApproval = d.CanPublish && rv.Author == act.Name
	d.OwnChange = act.Approve && !act.Admin && rv.Author == act.Name && rv.State == content.Review
	d.ProblemURLs = revisionProblemURLs(&d, problems)
	if !d.Form.Has("publish_at") && !rv.PublishAt.IsZero() {
		d.Form.Set("publish_at", montreal(rv.PublishAt))
	}
	q := r.URL.Query()
	for _, n := range []string{"submitted", "published", "scheduled", "returned", "unscheduled", "archived"} {
		if q.Has(n) {
			d.Notice = d.T("admin.revision.done." + n)
		}
	}
	a.Render(w, r, status, "admin-revision", &d)
}

// revisionProblemURLs sends the error summary of the revision page to the
// fields that exist: those of its publish form when it is shown, and the
// editor's field of the revision's language for the rest (a path that
// another page took since the draft was saved, a missing change note).
func revisionProblemURLs(d *revisionData, problems map[string]string) map[string]string {
	out := map[string]string{}
	for name := range problems {
		switch {
		case name == "publish_at" && d.CanPublish, name == "reason" && d.SelfApproval:
			continue // on this page
		case slices.Contains(editorFields, name):
			out[name] = d.EditURL + "#" + string(d.Rev.Lang) + "." + name
		default:
			out[name] = ""
		}
	}
	return out
}

func (a *Admin) revision() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if rv, ok := a.revisionFromPath(w, r); ok {
			a.renderRevision(w, r, http.StatusOK, rv, nil, nil, "")
		}
	})
}

// step answers a workflow form: refusals show the revision page again
// with the reason, successes go back to it with a notice.
type step func(w http.ResponseWriter, r *http.Request, act content.Actor, rv content.Revision) (done string, err error)

func (a *Admin) workflow(s step) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			a.Fail(w, r, apperr.Wrap(apperr.Invalid, err, "admin: workflow form"))
			return
		}
		rv, ok := a.revisionFromPath(w, r)
		if !ok {
			return
		}
		u, _ := UserFrom(r.Context())
		done, err := s(w, r, actor(u), rv)
		if err == nil {
			if done != "" {
				http.Redirect(w, r, done, http.StatusSeeOther)
			}
			return
		}
		var refused string
		status := http.StatusUnprocessableEntity
		switch apperr.KindOf(err) {
		case apperr.Forbidden:
			status = http.StatusForbidden
			refused = "workflow.forbidden"
			if k := apperr.ProblemsOf(err)["workflow"]; k != "" {
				refused = k
			}
		case apperr.Invalid, apperr.Conflict:
			if k := apperr.ProblemsOf(err)["workflow"]; k != "" {
				refused = k
			}
			if len(apperr.ProblemsOf(err)) == 0 {
				refused = "workflow.state"
			}
		default:
			a.Fail(w, r, err)
			return
		}
		problems := maps.Clone(apperr.ProblemsOf(err))
		delete(problems, "workflow")
		// A revision's field problems (change note, path) are fixed in the
		// editor; they are shown here as reasons.
		a.renderRevision(w, r, status, rv, r.PostForm, problems, refused)
	})
}

func (a *Admin) submitRevision() http.Handler {
	return a.workflow(func(w http.ResponseWriter, r *http.Request, act content.Actor, rv content.Revision) (string, error) {
		if err := content.Allow(act, content.ActSubmit, rv, ""); err != nil {
			return "", err
		}
		if err := a.Store.SetState(r.Context(), rv.ID, content.Review); err != nil {
			return "", err
		}
		return revisionURL(rv.ID) + "?submitted", nil
	})
}

func (a *Admin) returnRevision() http.Handler {
	return a.workflow(func(w http.ResponseWriter, r *http.Request, act content.Actor, rv content.Revision) (string, error) {
		if err := content.Allow(act, content.ActReturn, rv, ""); err != nil {
			return "", err
		}
		if err := a.Store.SetState(r.Context(), rv.ID, content.Draft); err != nil {
			return "", err
		}
		return revisionURL(rv.ID) + "?returned", nil
	})
}

// errA11y refuses a publication whose body fails the accessibility
// checks; the revision page lists the reasons.
func errA11y() error {
	return &apperr.Error{Kind: apperr.Invalid, Msg: "admin: accessibility checks failed", Problems: map[string]string{"workflow": "admin.revision.a11y_refused"}}
}

// publishRevision publishes a revision now, or schedules it when the
// "schedule" button is used with a time (America/Montreal).
func (a *Admin) publishRevision() http.Handler {
	return a.workflow(func(w http.ResponseWriter, r *http.Request, act content.Actor, rv content.Revision) (string, error) {
		ctx := r.Context()
		reason := strings.TrimSpace(r.PostForm.Get("reason"))
		if err := content.Allow(act, content.ActPublish, rv, reason); err != nil {
			return "", err
		}
		if issues := content.CheckAccessibility(rv.Body); len(issues) > 0 {
			return "", errA11y()
		}
		if k := a.pathProblem(rv.PageKey, rv.Lang, rv.Path); k != "" {
			return "", errPath(k) // saved before the route that hides it was added
		}
		ap := content.ApprovalFor(act, rv, reason)
		if r.PostForm.Get("action") == "schedule" {
			at, err := parseMontreal(r.PostForm.Get("publish_at"))
			switch {
			case err != nil:
				return "", err
			case !at.After(a.Now()):
				return "", &apperr.Error{Kind: apperr.Invalid, Problems: map[string]string{"publish_at": "form.publish_at.past"}}
			}
			if err := a.Store.Schedule(ctx, rv.ID, at, ap.Reason, OriginOf(r)); err != nil {
				return "", err
			}
			return revisionURL(rv.ID) + "?scheduled", nil
		}
		if _, err := a.Store.Approve(ctx, rv.ID, ap.Reason, OriginOf(r)); err != nil {
			return "", err
		}
		a.showPublished(r)
		return revisionURL(rv.ID) + "?published", nil
	})
}

// syncTimeout bounds how long a publication's answer waits for the
// public site to show it.
const syncTimeout = 2 * time.Second

// showPublished waits, briefly, until this instance's public site shows
// what the request has just committed, so that the editor who follows
// the link sees their publication. It is a courtesy: every instance
// follows the change feed anyway, so a failure is only logged and the
// answer does not depend on it, and the wait goes on if the client has
// gone.
func (a *Admin) showPublished(r *http.Request) {
	if a.Sync == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), syncTimeout)
	defer cancel()
	if err := a.Sync(ctx); err != nil {
		a.Log.Warn("admin: the public site does not show the change yet", "err", err)
	}
}

// parseMontreal reads a datetime-local value as Montréal time.
func parseMontreal(v string) (time.Time, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, &apperr.Error{Kind: apperr.Invalid, Problems: map[string]string{"publish_at": "form.required"}}
	}
	t, err := time.ParseInLocation(dateTimeLayout, v, i18n.Montreal)
	if err != nil {
		return time.Time{}, &apperr.Error{Kind: apperr.Invalid, Problems: map[string]string{"publish_at": "form.publish_at.invalid"}}
	}
	return t, nil
}

func (a *Admin) unscheduleRevision() http.Handler {
	return a.workflow(func(w http.ResponseWriter, r *http.Request, act content.Actor, rv content.Revision) (string, error) {
		if err := content.Allow(act, content.ActUnschedule, rv, ""); err != nil {
			return "", err
		}
		if err := a.Store.Unschedule(r.Context(), rv.ID, OriginOf(r)); err != nil {
			return "", err
		}
		return revisionURL(rv.ID) + "?unscheduled", nil
	})
}

func (a *Admin) archiveRevision() http.Handler {
	return a.workflow(func(w http.ResponseWriter, r *http.Request, act content.Actor, rv content.Revision) (string, error) {
		if err := content.Allow(act, content.ActArchive, rv, ""); err != nil {
			return "", err
		}
		if err := a.Store.Archive(r.Context(), rv.ID, OriginOf(r)); err != nil {
			return "", err
		}
		if rv.State == content.Published {
			a.showPublished(r)
		}
		return revisionURL(rv.ID) + "?archived", nil
	})
}

// restoreRevision saves a copy of an old revision as the newest draft.
func (a *Admin) restoreRevision() http.Handler {
	return a.workflow(func(w http.ResponseWriter, r *http.Request, act content.Actor, rv content.Revision) (string, error) {
		if err := content.Allow(act, content.ActSave, rv, ""); err != nil {
			return "", err
		}
		if k := a.pathProblem(rv.PageKey, rv.Lang, rv.Path); k != "" {
			return "", errPath(k)
		}
		cp := content.Revision{
			PageKey: rv.PageKey, Lang: rv.Lang, Path: rv.Path, Title: rv.Title, Summary: rv.Summary, Body: rv.Body,
			Major: rv.Major, ChangeNote: rv.ChangeNote, State: content.Draft, Author: act.Name,
			Note: a.Engine.Catalog(staffLang(r)).T("admin.revision.restored_note", rv.ID),
		}
		if _, err := a.Store.SaveRevision(r.Context(), cp); err != nil {
			if errors.Is(err, apperr.Conflict) {
				return "", &apperr.Error{Kind: apperr.Conflict, Problems: map[string]string{"path": "form.path.taken"}}
			}
			return "", err
		}
		return pageURL(rv.PageKey) + "?restored", nil
	})
}
