package admin_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"portail/internal/admin"
	"portail/internal/admin/admintest"
	"portail/internal/audit"
	"portail/internal/auth"
)

func TestLoginDashboardLogout(t *testing.T) {
	h := newHarness(t)
	admintest.NewUser(t, h.db, "ed@example.org", auth.Editor)

	res := admintest.Get(h.srv, "/admin/")
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/admin/login?next=%2Fadmin%2F" {
		t.Fatalf("anonymous dashboard: %d → %q", res.StatusCode, res.Header.Get("Location"))
	}
	body := wantStatus(t, admintest.Get(h.srv, "/admin/login"), http.StatusOK)
	wantContains(t, body, `<label for="email">`, `name="password"`, `lang="fr"`)

	c := admintest.Login(t, h.srv, "ED@example.org", admintest.Password)
	if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Secure || c.Path != "/admin" {
		t.Errorf("cookie attributes: %+v", c)
	}
	body = wantStatus(t, admintest.Get(h.srv, "/admin/", c), http.StatusOK)
	wantContains(t, body, "Tableau de bord", "Test editor", "rédaction")

	res = admintest.Post(h.srv, "/admin/logout", nil, c)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("logout: %d", res.StatusCode)
	}
	if res := admintest.Get(h.srv, "/admin/", c); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("old cookie after logout: %d, want a redirect to sign-in", res.StatusCode)
	}
	n, _ := h.db.CountAudit(context.Background(), audit.Filter{Actor: "ed@example.org", Action: audit.Logout})
	if n != 1 {
		t.Fatalf("logout entries = %d", n)
	}
}

func TestWrongPassword(t *testing.T) {
	h := newHarness(t)
	admintest.NewUser(t, h.db, "ed@example.org", auth.Editor)
	for _, tc := range []struct{ name, email, pw string }{
		{"wrong password", "ed@example.org", "not the right one"},
		{"unknown account", "nobody@example.org", admintest.Password},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := admintest.Post(h.srv, "/admin/login", url.Values{"email": {tc.email}, "password": {tc.pw}})
			body := wantStatus(t, res, http.StatusUnauthorized)
			wantContains(t, body, "Adresse courriel ou mot de passe incorrect", `value="`+tc.email+`"`, `aria-describedby="login-error"`)
			for _, c := range res.Cookies() {
				if c.Name == admin.CookieName && c.Value != "" {
					t.Fatal("a failed sign-in set a session cookie")
				}
			}
		})
	}
	es, _ := h.db.AuditLog(context.Background(), audit.Filter{Action: audit.LoginFailed})
	if len(es) != 2 || es[0].IP != "192.0.2.1" {
		t.Fatalf("failed-login entries = %+v", es)
	}
}
