package admin

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"portail/internal/apperr"
	"portail/internal/auth"
	"portail/internal/web"
)

// CookieName is the session cookie's name.
const CookieName = "portail_session"

// touchEvery limits the writes that moving the idle deadline costs.
const touchEvery = time.Minute

// authenticate puts the account of a live session in the request's
// context, and moves the session's idle deadline.
func (a *Admin) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie(CookieName)
		if err != nil || c.Value == "" {
			next.ServeHTTP(w, r)
			return
		}
		hash := auth.TokenHash(c.Value)
		s, u, err := a.Store.Session(r.Context(), hash)
		if errors.Is(err, apperr.NotFound) {
			clearCookie(w, r)
			next.ServeHTTP(w, r)
			return
		}
		if err != nil {
			a.Errors.Error(w, r, err)
			return
		}
		now := a.Now()
		if s.IdleUntil.Sub(now) < auth.IdleTimeout-touchEvery {
			if err := a.Store.TouchSession(r.Context(), hash, now.Add(auth.IdleTimeout)); err != nil && !errors.Is(err, apperr.NotFound) {
				a.Errors.Error(w, r, err)
				return
			}
		}
		ctx := context.WithValue(r.Context(), userKey, u)
		ctx = context.WithValue(ctx, sessionKey, hash)
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// AnonymousMaxBody caps what is read of a request body before its sender
// has signed in: the sign-in form, and a form whose session ended, which
// the sign-in form carries (at most maxCarriedSize of it).
const AnonymousMaxBody = 128 << 10

// limitAnonymous caps the body of a Public route's requests.
func limitAnonymous(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, AnonymousMaxBody)
		next.ServeHTTP(w, r)
	})
}

// require lets through requests whose account holds perm: anonymous ones
// go to the sign-in form, others get 403. An account that must change its
// password may only do that, or sign out. carry says whether the form
// posted to the route is worth carrying through a sign-in; when it is not,
// an anonymous request is answered without its body being read, and the
// sign-in leads to then.
func (a *Admin) require(perm auth.Permission, carry bool, then string, next http.Handler) http.Handler {
	if perm == Public {
		return limitAnonymous(next)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, ok := UserFrom(r.Context())
		if !ok {
			// Whatever a route's own cap (uploads get a large one), no
			// more than this is read before the sender is known.
			r.Body = http.MaxBytesReader(w, r.Body, AnonymousMaxBody)
			a.unauthenticated(w, r, carry, then)
			return
		}
		if u.MustChangePassword && r.URL.Path != "/admin/password" && r.URL.Path != "/admin/logout" {
			http.Redirect(w, r, "/admin/password", http.StatusSeeOther)
			return
		}
		if !u.Can(perm) {
			d := a.Page(r, "admin.forbidden.title")
			a.Render(w, r, http.StatusForbidden, "admin-forbidden", &d)
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	})
}

// wantsJSON reports whether the client is a program rather than a browser.
func wantsJSON(r *http.Request) bool {
	acc := r.Header.Get("Accept")
	return strings.Contains(acc, "application/json") && !strings.Contains(acc, "text/html")
}

// unauthenticated answers a request that needs a session it does not
// have; the body of a form that is not carried is left unread, and the
// sign-in leads to then.
func (a *Admin) unauthenticated(w http.ResponseWriter, r *http.Request, carry bool, then string) {
	switch {
	case wantsJSON(r):
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		w.Write([]byte(`{"error":"unauthenticated"}` + "\n"))
	case r.Method == http.MethodGet || r.Method == http.MethodHead:
		http.Redirect(w, r, "/admin/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
	case !carry:
		// Nothing to send again after sign-in: the plain sign-in form.
		a.renderLogin(w, r, http.StatusUnauthorized, loginData{Next: then})
	default:
		// A form posted after the session ended: show the sign-in form
		// with what was typed, so that it can be sent again.
		fields, fits := carried(r)
		a.renderLogin(w, r, http.StatusUnauthorized, loginData{Next: r.URL.Path, Expired: true, Resend: true, Carry: fields, Dropped: !fits})
	}
}

func (a *Admin) setCookie(w http.ResponseWriter, r *http.Request, token string, expires time.Time) {
	http.SetCookie(w, &http.Cookie{
		Name: CookieName, Value: token, Path: "/admin",
		Expires: expires, HttpOnly: true, Secure: web.IsHTTPS(r), SameSite: http.SameSiteLaxMode,
	})
}

func clearCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{
		Name: CookieName, Value: "", Path: "/admin", MaxAge: -1,
		HttpOnly: true, Secure: web.IsHTTPS(r), SameSite: http.SameSiteLaxMode,
	})
}
