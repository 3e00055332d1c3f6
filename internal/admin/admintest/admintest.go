// Package admintest helps tests of staff pages: it creates accounts in a
// store and signs them in through the real handler.
package admintest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"portail/internal/admin"
	"portail/internal/audit"
	"portail/internal/auth"
	"portail/internal/lang"
	"portail/internal/store"
)

// Password is the password NewUser gives accounts.
const Password = "correct horse battery staple"

// NewUser creates an enabled account with role r, Password as its password
// and French as its language, and returns it.
func NewUser(t testing.TB, s store.Accounts, email string, r auth.Role) auth.User {
	t.Helper()
	u, err := s.CreateUser(context.Background(), auth.User{
		Email: email, Name: "Test " + string(r), Role: r, Lang: lang.FR, PasswordHash: auth.Hash(Password),
	}, audit.Origin{Actor: "test", IP: "127.0.0.1"})
	if err != nil {
		t.Fatalf("admintest: create %s: %v", email, err)
	}
	return u
}

// Login signs in through h's POST /admin/login and returns the session
// cookie; it fails the test unless sign-in succeeds.
func Login(t testing.TB, h http.Handler, email, password string) *http.Cookie {
	t.Helper()
	res := Post(h, "/admin/login", url.Values{"email": {email}, "password": {password}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("admintest: sign-in as %s: status %d, want 303", email, res.StatusCode)
	}
	for _, c := range res.Cookies() {
		if c.Name == admin.CookieName && c.Value != "" {
			return c
		}
	}
	t.Fatalf("admintest: sign-in as %s set no session cookie", email)
	return nil
}

// Post sends a form to h with the given cookies and returns the response.
func Post(h http.Handler, path string, form url.Values, cookies ...*http.Cookie) *http.Response {
	r := httptest.NewRequest("POST", path, strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return Do(h, r, cookies...)
}

// Get requests path from h with the given cookies.
func Get(h http.Handler, path string, cookies ...*http.Cookie) *http.Response {
	return Do(h, httptest.NewRequest("GET", path, nil), cookies...)
}

// Do serves r with the given cookies added.
func Do(h http.Handler, r *http.Request, cookies ...*http.Cookie) *http.Response {
	for _, c := range cookies {
		if c != nil {
			r.AddCookie(c)
		}
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w.Result()
}

// PostLogin posts the sign-in form with email and pw from the address ip,
// and returns the answer.
func PostLogin(srv http.Handler, email, pw, ip string) *http.Response {
	r := httptest.NewRequest("POST", "/admin/login", strings.NewReader(url.Values{"email": {email}, "password": {pw}}.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.RemoteAddr = ip + ":4242"
	return Do(srv, r)
}
