package admin

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"portail/internal/apperr"
	"portail/internal/audit"
	"portail/internal/auth"
	"portail/internal/lang"
	"portail/internal/web"
)

// The sign-in rate limit: failures counted over limitWindow, per account
// since its last successful sign-in, and per IP address.
const (
	limitWindow  = 15 * time.Minute
	accountLimit = 5
	ipLimit      = 20
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

// carried returns the fields of a form posted without a session, to be
// sent again after sign-in. File uploads and passwords are not carried.
func carried(r *http.Request) []carriedField {
	if err := r.ParseForm(); err != nil {
		return nil
	}
	var out []carriedField
	for name, vs := range r.PostForm {
		if secret(name) {
			continue
		}
		for _, v := range vs {
			out = append(out, carriedField{name, v})
		}
	}
	return out
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
		for name, vs := range r.PostForm {
			if n, ok := strings.CutPrefix(name, carryPrefix); ok {
				for _, v := range vs {
					d.Carry = append(d.Carry, carriedField{n, v})
				}
			}
		}
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
		limited, err := a.loginLimited(ctx, email, ip)
		if err != nil {
			a.Fail(w, r, err)
			return
		}
		if limited {
			if _, err := a.Store.AppendAudit(ctx, audit.Entry{Actor: email, Action: audit.LoginLimited, IP: ip}); err != nil {
				a.Fail(w, r, err)
				return
			}
			d.Limited = true
			w.Header().Set("Retry-After", "900")
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
				a.Log.Error("admin: stored password hash", "user", u.ID, "err", err)
			}
			ok = ok && !u.Disabled
		}
		if !ok {
			if _, err := a.Store.AppendAudit(ctx, audit.Entry{Actor: email, Action: audit.LoginFailed, IP: ip}); err != nil {
				a.Fail(w, r, err)
				return
			}
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

// loginLimited reports whether sign-in is refused for email or ip.
func (a *Admin) loginLimited(ctx context.Context, email, ip string) (bool, error) {
	now := a.Now()
	since := now.Add(-limitWindow)
	last, err := a.Store.AuditLog(ctx, audit.Filter{Actor: email, Action: audit.Login, Limit: 1})
	if err != nil {
		return false, err
	}
	if len(last) > 0 && last[0].Time.After(since) {
		since = last[0].Time
	}
	n, err := a.Store.CountAudit(ctx, audit.Filter{Actor: email, Action: audit.LoginFailed, Since: since})
	if err != nil || n >= accountLimit {
		return err == nil, err
	}
	n, err = a.Store.CountAudit(ctx, audit.Filter{IP: ip, Action: audit.LoginFailed, Since: now.Add(-limitWindow)})
	return err == nil && n >= ipLimit, err
}

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
		u, _ := UserFrom(r.Context())
		cur, next, confirm := r.PostForm.Get("current"), r.PostForm.Get("new"), r.PostForm.Get("confirm")
		p := auth.CheckPassword("new", next)
		if cur == "" {
			p.Add("current", "form.required")
		} else if ok, _ := auth.Verify(u.PasswordHash, cur); !ok {
			p.Add("current", "form.password.wrong")
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
