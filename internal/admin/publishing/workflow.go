package publishing

import (
	"context"
	"html/template"
	"maps"
	"net/http"
	"net/url"
	"portail/internal/lang"
	"slices"
	"strconv"
	"strings"
	"time"

	"portail/internal/admin"
	"portail/internal/apperr"
	"portail/internal/content"
	"portail/internal/i18n"
	"portail/internal/markdown"
	"portail/internal/site"
	"portail/internal/store"
)

// revisionData is the page of one revision: what it says, whether it
// passes the accessibility checks, and the workflow steps the signed-in
// account may take on it.
type revisionData struct {
	admin.Page
	Rev         content.Revision
	Body        template.HTML
	Issues      []string
	EditURL     string
	HistoryURL  string
	DiffURL     string // against the published revision, when another one is
	PublicURL   string
	Overdue     bool
	IsPublic    bool  // the revision the public sees: archiving withdraws it
	NewerPublic int64 // the public revision, when it is newer than this draft or revision in review
	// NewerPublicNumber is its number, as people see it.
	NewerPublicNumber int
	// The steps offered; content.Decide has the last word when posted.
	CanSubmit, CanPublish, CanReturn, CanUnschedule, CanArchive, CanRestore bool
	SelfApproval                                                            bool // the admin approves their own change: a reason is asked
	OwnChange                                                               bool // a reviewer looks at their own change
	Refused                                                                 string
	// Both is the newest revision of the page's other language when it
	// is in review too and may be published with this one, in one step.
	Both             *content.Revision
	BothSelfApproval bool // either of the two is the admin's own change
	// ConfirmArchive asks, before archiving, to confirm what it does.
	ConfirmArchive bool
}

// OtherLang is the page's language that this revision is not in.
func (d *revisionData) OtherLang() lang.Lang { return otherLang(d.Rev.Lang) }

func otherLang(l lang.Lang) lang.Lang {
	if l == lang.FR {
		return lang.EN
	}
	return lang.FR
}

// admin.Field returns the view of a field of the revision page's forms.
func (d *revisionData) F(name, labelKey, typ string) admin.Field {
	return newField(&d.Page, name, labelKey, typ)
}

func (a *Area) revisionFromPath(w http.ResponseWriter, r *http.Request) (content.Revision, bool) {
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
// of a refused step; opts adjust what is asked (a confirmation).
func (a *Area) renderRevision(w http.ResponseWriter, r *http.Request, status int, rv content.Revision, form url.Values, problems map[string]string, refused string, opts ...func(*revisionData)) {
	ctx := r.Context()
	d := revisionData{Page: a.Page(r, "admin.revision.title"), Rev: rv, Refused: refused}
	d.Title = d.T("admin.revision.title", rv.Number, rv.Title)
	d.Form, d.Problems = form, problems
	if d.Form == nil {
		d.Form = url.Values{}
	}
	// A body saved before a limit existed may be beyond it: the page
	// says so in place of the body, and the revision can still be
	// archived or edited.
	if k := content.BodyProblem(rv.Body); k != "" {
		d.Body = template.HTML("<p>" + template.HTMLEscapeString(d.T(k)) + "</p>")
	} else {
		body, err := markdown.New().Render(rv.Body)
		if err != nil {
			a.Fail(w, r, err)
			return
		}
		d.Body = body
	}
	d.Issues = issueMessages(d.Base(), content.CheckAccessibility(rv.Body))
	d.EditURL = pageURL(rv.PageKey)
	d.HistoryURL = pageURL(rv.PageKey) + "/" + string(rv.Lang) + "/history"
	d.Overdue = rv.Overdue(a.Now())
	public, err := store.PublicOf(ctx, a.Store, rv)
	if err != nil {
		a.Fail(w, r, err)
		return
	}
	if public.HasContent() {
		d.PublicURL = site.URL(rv.Lang, public.Path)
		if public.RevisionID != rv.ID {
			d.DiffURL = diffURL(rv.PageKey, rv.Lang, public.RevisionID, rv.ID)
		}
	}
	d.IsPublic = public.RevisionID == rv.ID
	if public.RevisionID > rv.ID && (rv.State == content.Draft || rv.State == content.Review) {
		d.NewerPublic = public.RevisionID
		if pr, err := a.Store.Revision(ctx, public.RevisionID); err == nil {
			d.NewerPublicNumber = pr.Number
		}
	}
	act := actor(d.User)
	// A step is offered when Decide allows it, or only lacks what its
	// form asks for (a reason, a comment, a time).
	offered := func(x content.Action) bool {
		_, err := content.Decide(act, content.Request{Action: x}, rv, public)
		return err == nil || apperr.KindOf(err) == apperr.Invalid
	}
	d.CanSubmit = offered(content.ActSubmit)
	d.CanReturn = offered(content.ActReturn)
	d.CanUnschedule = offered(content.ActUnschedule)
	d.CanArchive = offered(content.ActArchive)
	d.CanRestore = offered(content.ActRestore)
	d.CanPublish = offered(content.ActPublish)
	d.SelfApproval = d.CanPublish && rv.Author == act.Name
	if d.CanPublish {
		other, otherPublic, ok, err := a.bothCandidate(ctx, rv)
		if err != nil {
			a.Fail(w, r, err)
			return
		}
		if _, err := content.Decide(act, content.Request{Action: content.ActPublish}, other, otherPublic); ok && (err == nil || apperr.KindOf(err) == apperr.Invalid) {
			d.Both = &other
			d.BothSelfApproval = d.SelfApproval || other.Author == act.Name
		}
	}
	d.OwnChange = act.Approve && !act.Admin && rv.Author == act.Name && rv.State == content.Review
	d.ProblemURLs = revisionProblemURLs(&d, problems)
	if !d.Form.Has("publish_at") && !rv.PublishAt.IsZero() {
		d.Form.Set("publish_at", montreal(rv.PublishAt))
	}
	q := r.URL.Query()
	for _, n := range []string{"submitted", "published", "published_both", "scheduled", "returned", "unscheduled", "archived"} {
		if q.Has(n) {
			d.Notice = d.T("admin.revision.done." + n)
		}
	}
	for _, o := range opts {
		o(&d)
	}
	a.Render(w, r, status, "admin-revision", &d)
}

// revisionProblemURLs sends the error summary of the revision page to the
// fields that exist: those of its forms when they are shown, and the
// editor's field of the revision's language for the rest (a path that
// another page took since the draft was saved, a missing change note).
func revisionProblemURLs(d *revisionData, problems map[string]string) map[string]string {
	out := map[string]string{}
	for name := range problems {
		switch {
		case name == "publish_at" && d.CanPublish, (name == "reason" || name == "schedule_reason") && d.SelfApproval,
			name == "both_reason" && d.BothSelfApproval, name == "comment" && d.CanReturn:
			continue // on this page
		case slices.Contains(editorFields, name):
			out[name] = d.EditURL + "#" + string(d.Rev.Lang) + "." + name
		default:
			out[name] = ""
		}
	}
	return out
}

func (a *Area) revision() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if rv, ok := a.revisionFromPath(w, r); ok {
			a.renderRevision(w, r, http.StatusOK, rv, nil, nil, "")
		}
	})
}

// step answers a workflow form on revision rv, whose page has the public
// translation public: refusals show the revision page again with the
// reason, successes go back to it with a notice.
type step func(w http.ResponseWriter, r *http.Request, act content.Actor, rv content.Revision, public content.Translation) (done string, err error)

func (a *Area) workflow(s step) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			a.Fail(w, r, apperr.Wrap(apperr.Invalid, err, "admin: workflow form"))
			return
		}
		rv, ok := a.revisionFromPath(w, r)
		if !ok {
			return
		}
		public, err := store.PublicOf(r.Context(), a.Store, rv)
		if err != nil {
			a.Fail(w, r, err)
			return
		}
		u, _ := admin.UserFrom(r.Context())
		done, err := s(w, r, actor(u), rv, public)
		if err == nil {
			if done != "" {
				http.Redirect(w, r, done, http.StatusSeeOther)
			}
			return
		}
		problems := maps.Clone(apperr.ProblemsOf(err))
		refused := problems["workflow"]
		delete(problems, "workflow")
		status := http.StatusUnprocessableEntity
		switch apperr.KindOf(err) {
		case apperr.Forbidden:
			status = http.StatusForbidden
			if refused == "" {
				refused = "workflow.forbidden"
			}
		case apperr.Conflict:
			// A field's conflict (a path another page took) is fixed in the
			// editor, like an invalid field; the workflow's says that the
			// revision, or the public page, is not what the step needs.
			if refused != "" || len(problems) == 0 {
				status = http.StatusConflict
				if refused == "" {
					refused = "workflow.changed"
				}
				// Show what it is now, not what it was when the form was drawn.
				if cur, err := a.Store.Revision(r.Context(), rv.ID); err == nil {
					rv = cur
				}
			}
		case apperr.Invalid:
			if refused == "" && len(problems) == 0 {
				refused = "workflow.state"
			}
		default:
			a.Fail(w, r, err)
			return
		}
		// A revision's field problems (change note, path) are fixed in the
		// editor; they are shown here as reasons.
		a.renderRevision(w, r, status, rv, r.PostForm, problems, refused)
	})
}

// take decides req by act on rv, whose page has the public translation
// public, and has the store apply the transition. check, when not nil, is
// the staff side's own last word on a step that Decide allowed.
func (a *Area) take(r *http.Request, act content.Actor, rv content.Revision, public content.Translation, req content.Request, check func() error) (content.Transition, error) {
	t, err := content.Decide(act, req, rv, public)
	if err != nil {
		return t, err
	}
	if check != nil {
		if err := check(); err != nil {
			return t, err
		}
	}
	_, err = a.Store.Apply(r.Context(), t, admin.OriginOf(r))
	return t, err
}

func (a *Area) submitRevision() http.Handler {
	return a.workflow(func(w http.ResponseWriter, r *http.Request, act content.Actor, rv content.Revision, public content.Translation) (string, error) {
		if _, err := a.take(r, act, rv, public, content.Request{Action: content.ActSubmit}, nil); err != nil {
			return "", err
		}
		return revisionURL(rv.ID) + "?submitted", nil
	})
}

// returnRevision sends a revision back to its author, with the comment
// that their dashboard and the revision page show.
func (a *Area) returnRevision() http.Handler {
	return a.workflow(func(w http.ResponseWriter, r *http.Request, act content.Actor, rv content.Revision, public content.Translation) (string, error) {
		req := content.Request{Action: content.ActReturn, Comment: r.PostForm.Get("comment")}
		if _, err := a.take(r, act, rv, public, req, nil); err != nil {
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

// publishable is the staff side's own last word on publishing rv, after
// content.Decide: the accessibility checks and the public routes are
// its to know.
func (a *Area) publishable(rv content.Revision) error {
	if issues := content.CheckAccessibility(rv.Body); len(issues) > 0 {
		return errA11y()
	}
	if k := a.pathProblem(rv.PageKey, rv.Lang, rv.Path); k != "" {
		return errPath(k) // saved before the route that hides it was added
	}
	return nil
}

// renamed returns err with its problem from renamed to, so that a form
// whose field has another name shows it there.
func renamed(err error, from, to string) error {
	p := apperr.ProblemsOf(err)
	if p[from] == "" {
		return err
	}
	q := maps.Clone(p)
	q[to] = q[from]
	delete(q, from)
	return &apperr.Error{Kind: apperr.KindOf(err), Msg: "admin: " + to, Problems: q, Err: err}
}

// publishRevision publishes a revision now. A date posted with it is
// refused rather than ignored: scheduling is its own form.
func (a *Area) publishRevision() http.Handler {
	return a.workflow(func(w http.ResponseWriter, r *http.Request, act content.Actor, rv content.Revision, public content.Translation) (string, error) {
		req := content.Request{Action: content.ActPublish, Reason: r.PostForm.Get("reason")}
		if strings.TrimSpace(r.PostForm.Get("publish_at")) != "" {
			// Who may not publish this learns it before anything about the time.
			if _, err := content.Decide(act, req, rv, public); err != nil && apperr.KindOf(err) != apperr.Invalid {
				return "", err
			}
			return "", &apperr.Error{Kind: apperr.Invalid, Msg: "admin: a date with publish now", Problems: map[string]string{"publish_at": "form.publish_at.with_now"}}
		}
		check := func() error { return a.publishable(rv) }
		if _, err := a.take(r, act, rv, public, req, check); err != nil {
			return "", err
		}
		a.ShowChanges(r)
		return revisionURL(rv.ID) + "?published", nil
	})
}

// scheduleRevision approves a revision for publication at a time typed
// in Montréal time.
func (a *Area) scheduleRevision() http.Handler {
	return a.workflow(func(w http.ResponseWriter, r *http.Request, act content.Actor, rv content.Revision, public content.Translation) (string, error) {
		req := content.Request{Action: content.ActSchedule, Reason: r.PostForm.Get("schedule_reason")}
		// Who may not publish this learns it before anything about the time.
		if _, err := content.Decide(act, content.Request{Action: content.ActPublish, Reason: req.Reason}, rv, public); err != nil {
			return "", renamed(err, "reason", "schedule_reason")
		}
		at, err := parseMontreal(r.PostForm.Get("publish_at"))
		switch {
		case err != nil:
			return "", err
		case !at.After(a.Now()):
			return "", &apperr.Error{Kind: apperr.Invalid, Problems: map[string]string{"publish_at": "form.publish_at.past"}}
		}
		req.At = at
		if _, err := a.take(r, act, rv, public, req, func() error { return a.publishable(rv) }); err != nil {
			return "", renamed(err, "reason", "schedule_reason")
		}
		return revisionURL(rv.ID) + "?scheduled", nil
	})
}

// bothCandidate returns the newest revision of rv's page in the other
// language, and its public translation, when it is in review: what may
// be published together with rv.
func (a *Area) bothCandidate(ctx context.Context, rv content.Revision) (content.Revision, content.Translation, bool, error) {
	revs, err := a.Store.Revisions(ctx, rv.PageKey, otherLang(rv.Lang))
	if err != nil || len(revs) == 0 || revs[0].State != content.Review {
		return content.Revision{}, content.Translation{}, false, err
	}
	public, err := store.PublicOf(ctx, a.Store, revs[0])
	return revs[0], public, err == nil, err
}

// errBothOther refuses publishing both languages for a reason of the
// other language's revision, which its own page shows.
func errBothOther(err error) error {
	return &apperr.Error{Kind: apperr.KindOf(err), Msg: "admin: the other language", Err: err,
		Problems: map[string]string{"workflow": "admin.revision.both.other_refused"}}
}

// publishBoth publishes a revision and the newest revision of its page
// in the other language, both in review, in one store transaction: both
// go public, or neither does. The form names the other revision that
// the reviewer saw; a newer one is a change she has not seen.
func (a *Area) publishBoth() http.Handler {
	return a.workflow(func(w http.ResponseWriter, r *http.Request, act content.Actor, rv content.Revision, public content.Translation) (string, error) {
		ctx := r.Context()
		req := content.Request{Action: content.ActPublish, Reason: r.PostForm.Get("both_reason")}
		mine, err := content.Decide(act, req, rv, public)
		if err != nil {
			return "", renamed(err, "reason", "both_reason")
		}
		other, otherPublic, ok, err := a.bothCandidate(ctx, rv)
		if err != nil {
			return "", err
		}
		if !ok || strconv.FormatInt(other.ID, 10) != strings.TrimSpace(r.PostForm.Get("other")) {
			return "", &apperr.Error{Kind: apperr.Conflict, Msg: "admin: the other language changed",
				Problems: map[string]string{"workflow": "admin.revision.both.changed"}}
		}
		theirs, err := content.Decide(act, req, other, otherPublic)
		if err != nil {
			if apperr.ProblemsOf(err)["reason"] != "" {
				return "", renamed(err, "reason", "both_reason")
			}
			return "", errBothOther(err)
		}
		if err := a.publishable(rv); err != nil {
			return "", err
		}
		if err := a.publishable(other); err != nil {
			return "", errBothOther(err)
		}
		if _, err := a.Store.ApplyAll(ctx, []content.Transition{mine, theirs}, admin.OriginOf(r)); err != nil {
			return "", err
		}
		a.ShowChanges(r)
		return revisionURL(rv.ID) + "?published_both", nil
	})
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

func (a *Area) unscheduleRevision() http.Handler {
	return a.workflow(func(w http.ResponseWriter, r *http.Request, act content.Actor, rv content.Revision, public content.Translation) (string, error) {
		if _, err := a.take(r, act, rv, public, content.Request{Action: content.ActUnschedule}, nil); err != nil {
			return "", err
		}
		return revisionURL(rv.ID) + "?unscheduled", nil
	})
}

// archiveRevision archives a revision, which withdraws it from the
// public site when it is the public one. The first post only shows what
// archiving will do, with a button that confirms it.
func (a *Area) archiveRevision() http.Handler {
	return a.workflow(func(w http.ResponseWriter, r *http.Request, act content.Actor, rv content.Revision, public content.Translation) (string, error) {
		if r.PostForm.Get("confirm") == "" {
			if _, err := content.Decide(act, content.Request{Action: content.ActArchive}, rv, public); err != nil {
				return "", err
			}
			a.renderRevision(w, r, http.StatusOK, rv, nil, nil, "", func(d *revisionData) { d.ConfirmArchive = true })
			return "", nil
		}
		t, err := a.take(r, act, rv, public, content.Request{Action: content.ActArchive}, nil)
		if err != nil {
			return "", err
		}
		if t.Withdraw {
			a.ShowChanges(r)
		}
		return revisionURL(rv.ID) + "?archived", nil
	})
}

// restoreRevision saves a copy of an old revision as the newest draft.
func (a *Area) restoreRevision() http.Handler {
	return a.workflow(func(w http.ResponseWriter, r *http.Request, act content.Actor, rv content.Revision, public content.Translation) (string, error) {
		req := content.Request{Action: content.ActRestore, Note: a.Engine.Catalog(admin.StaffLang(r)).T("admin.revision.restored_note", rv.Number)}
		check := func() error {
			if k := a.pathProblem(rv.PageKey, rv.Lang, rv.Path); k != "" {
				return errPath(k)
			}
			return nil
		}
		if _, err := a.take(r, act, rv, public, req, check); err != nil {
			return "", err
		}
		return pageURL(rv.PageKey) + "?restored", nil
	})
}
