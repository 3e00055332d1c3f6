package admin_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"portail/internal/admin"
	"portail/internal/admin/admintest"
	"portail/internal/audit"
	"portail/internal/auth"
	"portail/internal/server"
	"portail/internal/web"
)

// loginVia signs in from peer (a proxy or a client) with the given
// forwarding headers, "" for none.
func loginVia(h *admintest.Harness, email, pw, peer, xff, proto string) *http.Response {
	r := httptest.NewRequest("POST", "/admin/login", strings.NewReader(url.Values{"email": {email}, "password": {pw}}.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.RemoteAddr = peer + ":4242"
	if xff != "" {
		r.Header.Set("X-Forwarded-For", xff)
	}
	if proto != "" {
		r.Header.Set("X-Forwarded-Proto", proto)
	}
	return admintest.Do(h.Srv, r)
}

func sessionCookie(res *http.Response) *http.Cookie {
	for _, c := range res.Cookies() {
		if c.Name == admin.CookieName && c.Value != "" {
			return c
		}
	}
	return nil
}

// Behind a trusted reverse proxy every connection comes from the proxy:
// the per-IP sign-in limit and the audit log must see the client's
// address from X-Forwarded-For, and HTTPS that ended at the proxy must
// still give Secure cookies and HSTS. Headers from anyone else are ignored.
func TestSignInBehindTrustedProxy(t *testing.T) {
	const proxy = "10.0.0.2"
	h := admintest.NewHarness(t, func(c *server.Config) {
		p, err := web.ParseProxies("10.0.0.0/8")
		if err != nil {
			t.Fatal(err)
		}
		c.TrustedProxies = p
	})
	admintest.NewUser(t, h.DB, "rev@example.org", auth.Reviewer)
	ctx := context.Background()

	// One client guesses at many accounts through the proxy until the
	// per-IP limit stops it; it also claims an address of its own to the
	// left of the one the proxy appends.
	const guesser = "198.51.100.9"
	for i := range 20 {
		email := string(rune('a'+i)) + "@example.org"
		if res := loginVia(h, email, "guess guess guess", proxy, "203.0.113.77, "+guesser, "https"); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d", i+1, res.StatusCode)
		}
	}
	if res := loginVia(h, "rev@example.org", admintest.Password, proxy, guesser, "https"); res.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("the guesser after 20 failures: %d, want 429", res.StatusCode)
	}
	failed, err := h.DB.AuditLog(ctx, audit.Filter{Action: audit.LoginFailed})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range failed {
		if e.IP != guesser {
			t.Fatalf("a failed sign-in through the proxy is logged from %q, want %q", e.IP, guesser)
		}
	}

	// Another client behind the same proxy is not locked out, and its
	// HTTPS ended at the proxy.
	res := loginVia(h, "rev@example.org", admintest.Password, proxy, "198.51.100.10", "https")
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("another client through the proxy: %d, want 303", res.StatusCode)
	}
	c := sessionCookie(res)
	if c == nil || !c.Secure {
		t.Fatalf("session cookie over HTTPS at the proxy: %+v, want Secure", c)
	}
	if res.Header.Get("Strict-Transport-Security") == "" {
		t.Error("no HSTS over HTTPS at the proxy")
	}
	logins, err := h.DB.AuditLog(ctx, audit.Filter{Action: audit.Login, Limit: 1})
	if err != nil || len(logins) != 1 || logins[0].IP != "198.51.100.10" {
		t.Fatalf("sign-in audited as %+v (%v), want from 198.51.100.10", logins, err)
	}

	// A client that is not a proxy cannot pick its address or its scheme.
	res = loginVia(h, "rev@example.org", admintest.Password, "203.0.113.5", "198.51.100.10", "https")
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("direct sign-in: %d", res.StatusCode)
	}
	if c := sessionCookie(res); c == nil || c.Secure {
		t.Fatalf("session cookie over plain HTTP with a forged proto: %+v, want not Secure", c)
	}
	if res.Header.Get("Strict-Transport-Security") != "" {
		t.Error("HSTS sent because an untrusted client said https")
	}
	logins, err = h.DB.AuditLog(ctx, audit.Filter{Action: audit.Login, Limit: 1})
	if err != nil || len(logins) != 1 || logins[0].IP != "203.0.113.5" {
		t.Fatalf("direct sign-in audited as %+v (%v), want from 203.0.113.5", logins, err)
	}
}
