package admin

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"portail/internal/apperr"
	"portail/internal/audit"
	"portail/internal/auth"
	"portail/internal/lang"
	"portail/internal/web"
)

type carriedField struct{ Name, Value string }

type loginData struct {
	Page
	Next    string
	Expired bool // a form was posted after the session ended
	Failed  bool // wrong address or password
	Limited bool
	Bye     bool
	Carry   []carriedField
	Dropped bool // the form posted was too large to carry through sign-in
	// Resend marks a sign-in that follows a refused POST: after it, the
	// form is offered again even when it had no fields (workflow buttons),
	// since its URL answers POST only.
	Resend bool
}

// secret reports whether a form field holds a password, which must never
// come back in a page.
func secret(name string) bool {
	switch name {
	case "password", "current", "new", "confirm":
		return true
	}
	return false
}

// What a sign-in carries of a form posted after its session ended: at
// most maxCarried fields and maxCarriedSize bytes of names and values.
// Beyond that nothing is carried and the visitor is told, since the
// sign-in page sends every carried field back, escaped (so larger).
const (
	maxCarried     = 200
	maxCarriedSize = 64 << 10
)

// carried returns the fields of a form posted without a session, to be
// sent again after sign-in, and false when they were too many or too
// large to carry. File uploads and passwords are not carried.
func carried(r *http.Request) ([]carriedField, bool) {
	if r.ContentLength > AnonymousMaxBody {
		return nil, false
	}
	if err := r.ParseForm(); err != nil {
		return nil, false
	}
	return carry(r.PostForm, "")
}

// carry returns the fields of form whose names start with prefix, without
// it, and false when they pass maxCarried or maxCarriedSize.
func carry(form url.Values, prefix string) ([]carriedField, bool) {
	var out []carriedField
	size := 0
	for name, vs := range form {
		n, ok := strings.CutPrefix(name, prefix)
		if !ok || secret(n) {
			continue
		}
		for _, v := range vs {
			size += len(n) + len(v)
			if len(out) == maxCarried || size > maxCarriedSize {
				return nil, false
			}
			out = append(out, carriedField{n, v})
		}
	}
	return out, true
}

const carryPrefix = "carry."

// safeNext returns next when it is a staff page of this site, else "".
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/admin/") || strings.HasPrefix(next, "/admin/login") || strings.ContainsAny(next, "\\\r\n") {
		return ""
	}
	return next
}

func (a *Admin) renderLogin(w http.ResponseWriter, r *http.Request, status int, d loginData) {
	problems := d.Problems
	d.Page = a.Page(r, "admin.login.title")
	d.Problems = problems
	d.Form = loginForm(r)
	d.Next = safeNext(d.Next)
	a.Render(w, r, status, "admin-login", &d)
}

// loginForm returns what the sign-in form shows back: the address typed
// into it, never the password.
func loginForm(r *http.Request) url.Values {
	if r.URL.Path != "/admin/login" {
		return nil
	}
	return url.Values{"email": {r.PostFormValue("email")}}
}

func (a *Admin) loginForm() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		d := loginData{Next: r.URL.Query().Get("next"), Bye: r.URL.Query().Has("bye")}
		a.renderLogin(w, r, http.StatusOK, d)
	})
}

func (a *Admin) login() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			a.Fail(w, r, apperr.Wrap(apperr.Invalid, err, "admin: sign-in form"))
			return
		}
		ctx := r.Context()
		d := loginData{Next: r.PostForm.Get("next"), Resend: r.PostForm.Get("resend") != ""}
		var fits bool
		d.Carry, fits = carry(r.PostForm, carryPrefix)
		d.Dropped = !fits
		email, pw := auth.NormalizeEmail(r.PostForm.Get("email")), r.PostForm.Get("password")
		p := apperr.Problems{}
		if email == "" {
			p.Add("email", "form.required")
		}
		if pw == "" {
			p.Add("password", "form.required")
		}
		if len(p) > 0 {
			d.Problems = p
			a.renderLogin(w, r, http.StatusUnprocessableEntity, d)
			return
		}
		if len(email) > 254 {
			email = email[:254]
		}
		ip := web.ClientIP(r)
		// The limit is decided and the attempt counted in one step, before
		// the password is checked: racing requests cannot all slip in.
		attempt, allowed, err := a.Store.BeginAttempt(ctx, email, ip, a.limits(), audit.Entry{Actor: email, Action: audit.LoginLimited, IP: ip})
		if err != nil {
			a.Fail(w, r, err)
			return
		}
		if !allowed {
			d.Limited = true
			w.Header().Set("Retry-After", retryAfter(a.limits()))
			a.renderLogin(w, r, http.StatusTooManyRequests, d)
			return
		}
		u, err := a.Store.UserByEmail(ctx, email)
		ok := false
		switch {
		case errors.Is(err, apperr.NotFound):
			auth.VerifyNone(pw)
		case err != nil:
			a.Fail(w, r, err)
			return
		default:
			ok, err = auth.Verify(u.PasswordHash, pw)
			if err != nil {
				a.Log.ErrorContext(r.Context(), "admin: stored password hash", "user", u.ID, "err", err)
			}
			ok = ok && !u.Disabled
		}
		if err := a.Store.EndAttempt(ctx, attempt, ok, audit.Entry{Actor: email, Action: audit.LoginFailed, IP: ip}); err != nil {
			a.Fail(w, r, err)
			return
		}
		if !ok {
			d.Failed = true
			a.renderLogin(w, r, http.StatusUnauthorized, d)
			return
		}
		// A new token at every sign-in: a token planted before sign-in
		// (session fixation) never becomes a signed-in session.
		if old := sessionFrom(ctx); old != "" {
			a.Store.EndSession(ctx, old, OriginOf(r))
		}
		token, s := auth.NewSession(u.ID, a.Now())
		if err := a.Store.CreateSession(ctx, s, audit.Origin{Actor: u.Email, IP: ip}); err != nil {
			a.Fail(w, r, err)
			return
		}
		a.setCookie(w, r, token, s.Expires)
		if u.MustChangePassword {
			http.Redirect(w, r, "/admin/password", http.StatusSeeOther)
			return
		}
		next := safeNext(d.Next)
		if next != "" && (len(d.Carry) > 0 || d.Resend) {
			// Offer to send again the form that the expired session refused.
			r = r.WithContext(context.WithValue(ctx, userKey, u))
			rd := loginData{Page: a.Page(r, "admin.resume.title"), Next: next, Carry: d.Carry}
			a.Render(w, r, http.StatusOK, "admin-resume", &rd)
			return
		}
		if next == "" {
			next = "/admin/"
		}
		http.Redirect(w, r, next, http.StatusSeeOther)
	})
}

// limits are the password-guessing limits of sign-in and of the
// current-password check.
func (a *Admin) limits() auth.Limits {
	if a.Limits == (auth.Limits{}) {
		return auth.SignInLimits()
	}
	return a.Limits
}

// retryAfter is the Retry-After of a limited attempt, in seconds.
func retryAfter(l auth.Limits) string { return strconv.Itoa(int(l.Window.Seconds())) }

func (a *Admin) logout() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := a.Store.EndSession(r.Context(), sessionFrom(r.Context()), OriginOf(r)); err != nil && !errors.Is(err, apperr.NotFound) {
			a.Fail(w, r, err)
			return
		}
		clearCookie(w, r)
		http.Redirect(w, r, "/admin/login?bye", http.StatusSeeOther)
	})
}

type passwordData struct {
	Page
	Forced bool
}

// NewPasswordField is the new-password input, with the rule as its hint.
func (d *passwordData) NewPasswordField() Field {
	f := d.Field("new", "admin.password.new", "password", "new-password")
	f.Hint = d.T("admin.password.hint", auth.MinPasswordLen)
	return f
}

func (a *Admin) passwordForm() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		d := passwordData{Page: a.Page(r, "admin.password.title")}
		d.Forced = d.User.MustChangePassword
		a.Render(w, r, http.StatusOK, "admin-password", &d)
	})
}

func (a *Admin) changePassword() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			a.Fail(w, r, apperr.Wrap(apperr.Invalid, err, "admin: password form"))
			return
		}
		ctx := r.Context()
		u, _ := UserFrom(ctx)
		cur, next, confirm := r.PostForm.Get("current"), r.PostForm.Get("new"), r.PostForm.Get("confirm")
		p := auth.CheckPassword("new", next)
		if cur == "" {
			p.Add("current", "form.required")
		} else {
			// A stolen session must not guess the password it would need
			// to take the account over: the check counts with sign-in's.
			ip := web.ClientIP(r)
			attempt, allowed, err := a.Store.BeginAttempt(ctx, u.Email, ip, a.limits(), audit.Entry{Actor: u.Email, Action: audit.PasswordLimited, IP: ip})
			if err != nil {
				a.Fail(w, r, err)
				return
			}
			if !allowed {
				d := passwordData{Page: a.Page(r, "admin.password.title"), Forced: u.MustChangePassword}
				d.Problems = map[string]string{"current": "form.password.limited"}
				w.Header().Set("Retry-After", retryAfter(a.limits()))
				a.Render(w, r, http.StatusTooManyRequests, "admin-password", &d)
				return
			}
			ok, _ := auth.Verify(u.PasswordHash, cur)
			if err := a.Store.EndAttempt(ctx, attempt, ok, audit.Entry{Actor: u.Email, Action: audit.PasswordFailed, IP: ip}); err != nil {
				a.Fail(w, r, err)
				return
			}
			if !ok {
				p.Add("current", "form.password.wrong")
			}
		}
		if next != "" && next == cur {
			p.Add("new", "form.password.same")
		}
		if confirm != next {
			p.Add("confirm", "form.password.mismatch")
		}
		if len(p) > 0 {
			d := passwordData{Page: a.Page(r, "admin.password.title"), Forced: u.MustChangePassword}
			d.Problems = p
			a.Render(w, r, http.StatusUnprocessableEntity, "admin-password", &d)
			return
		}
		if err := a.Store.SetPassword(r.Context(), u.ID, auth.Hash(next), sessionFrom(r.Context()), OriginOf(r)); err != nil {
			a.Fail(w, r, err)
			return
		}
		http.Redirect(w, r, "/admin/?password", http.StatusSeeOther)
	})
}

func (a *Admin) setLang() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l, ok := lang.Parse(r.PostFormValue("lang"))
		if !ok {
			a.Fail(w, r, apperr.New(apperr.Invalid, "admin: unknown language"))
			return
		}
		u, _ := UserFrom(r.Context())
		if err := a.Store.SetLang(r.Context(), u.ID, l); err != nil {
			a.Fail(w, r, err)
			return
		}
		// The cookie keeps the choice for the sign-in form after sign-out.
		http.SetCookie(w, &http.Cookie{Name: "lang", Value: string(l), Path: "/", MaxAge: 365 * 24 * 3600,
			HttpOnly: true, Secure: web.IsHTTPS(r), SameSite: http.SameSiteLaxMode})
		back := safeNext(r.PostFormValue("back"))
		if back == "" {
			back = "/admin/"
		}
		http.Redirect(w, r, back, http.StatusSeeOther)
	})
}
