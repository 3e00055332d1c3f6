package admin_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"portail/internal/admin"
	"portail/internal/admin/admintest"
	"portail/internal/audit"
	"portail/internal/auth"
)

func TestLoginDashboardLogout(t *testing.T) {
	h := admintest.NewHarness(t)
	admintest.NewUser(t, h.DB, "ed@example.org", auth.Editor)

	res := admintest.Get(h.Srv, "/admin/")
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/admin/login?next=%2Fadmin%2F" {
		t.Fatalf("anonymous dashboard: %d → %q", res.StatusCode, res.Header.Get("Location"))
	}
	body := admintest.WantStatus(t, admintest.Get(h.Srv, "/admin/login"), http.StatusOK)
	admintest.WantContains(t, body, `<label for="email">`, `name="password"`, `lang="fr"`)

	c := admintest.Login(t, h.Srv, "ED@example.org", admintest.Password)
	if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Secure || c.Path != "/admin" {
		t.Errorf("cookie attributes: %+v", c)
	}
	body = admintest.WantStatus(t, admintest.Get(h.Srv, "/admin/", c), http.StatusOK)
	admintest.WantContains(t, body, "Tableau de bord", "Test editor", "rédaction")

	res = admintest.Post(h.Srv, "/admin/logout", nil, c)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("logout: %d", res.StatusCode)
	}
	if res := admintest.Get(h.Srv, "/admin/", c); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("old cookie after logout: %d, want a redirect to sign-in", res.StatusCode)
	}
	n, _ := h.DB.CountAudit(context.Background(), audit.Filter{Actor: "ed@example.org", Action: audit.Logout})
	if n != 1 {
		t.Fatalf("logout entries = %d", n)
	}
}

func TestWrongPassword(t *testing.T) {
	h := admintest.NewHarness(t)
	admintest.NewUser(t, h.DB, "ed@example.org", auth.Editor)
	for _, tc := range []struct{ name, email, pw string }{
		{"wrong password", "ed@example.org", "not the right one"},
		{"unknown account", "nobody@example.org", admintest.Password},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := admintest.Post(h.Srv, "/admin/login", url.Values{"email": {tc.email}, "password": {tc.pw}})
			body := admintest.WantStatus(t, res, http.StatusUnauthorized)
			admintest.WantContains(t, body, "Adresse courriel ou mot de passe incorrect", `value="`+tc.email+`"`, `aria-describedby="login-error"`)
			for _, c := range res.Cookies() {
				if c.Name == admin.CookieName && c.Value != "" {
					t.Fatal("a failed sign-in set a session cookie")
				}
			}
		})
	}
	es, _ := h.DB.AuditLog(context.Background(), audit.Filter{Action: audit.LoginFailed})
	if len(es) != 2 || es[0].IP != "192.0.2.1" {
		t.Fatalf("failed-login entries = %+v", es)
	}
}

func TestLoginRateLimit(t *testing.T) {
	h := admintest.NewHarness(t)
	admintest.NewUser(t, h.DB, "ed@example.org", auth.Editor)
	admintest.NewUser(t, h.DB, "rev@example.org", auth.Reviewer)

	t.Run("per account and address", func(t *testing.T) {
		for i := range 5 {
			if res := admintest.PostLogin(h.Srv, "ed@example.org", "wrong password "+string(rune('a'+i)), "192.0.2.10"); res.StatusCode != http.StatusUnauthorized {
				t.Fatalf("attempt %d: %d", i+1, res.StatusCode)
			}
			h.Clock.Advance(time.Second)
		}
		// Even the right password is refused now from that address.
		res := admintest.PostLogin(h.Srv, "ed@example.org", admintest.Password, "192.0.2.10")
		body := admintest.WantStatus(t, res, http.StatusTooManyRequests)
		admintest.WantContains(t, body, "Trop de tentatives de connexion ont échoué. Réessayez dans 15 minutes.", `value="ed@example.org"`)
		if res.Header.Get("Retry-After") != "900" {
			t.Errorf("Retry-After = %q", res.Header.Get("Retry-After"))
		}
		// Other accounts are not locked out.
		if res := admintest.PostLogin(h.Srv, "rev@example.org", admintest.Password, "192.0.2.10"); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("another account: %d", res.StatusCode)
		}
		h.Clock.Advance(16 * time.Minute)
		if res := admintest.PostLogin(h.Srv, "ed@example.org", admintest.Password, "192.0.2.10"); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("after the window: %d", res.StatusCode)
		}
		n, _ := h.DB.CountAudit(context.Background(), audit.Filter{Action: audit.LoginLimited})
		if n != 1 {
			t.Fatalf("limited attempts audited: %d", n)
		}
	})

	// An attacker who does not know the password cannot keep its owner
	// out: failures from one address, however many, leave the owner's
	// own address free.
	t.Run("the owner is not locked out", func(t *testing.T) {
		for i := range 40 {
			admintest.PostLogin(h.Srv, "rev@example.org", "guess number "+string(rune('a'+i%26)), "203.0.113.66")
		}
		if n, _ := h.DB.CountAudit(context.Background(), audit.Filter{Action: audit.LoginFailed, Actor: "rev@example.org"}); n != 5 {
			t.Fatalf("%d passwords checked for the attacker, want 5", n)
		}
		if res := admintest.PostLogin(h.Srv, "rev@example.org", admintest.Password, "192.0.2.77"); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("the owner, from their own address: %d, want 303", res.StatusCode)
		}
	})

	t.Run("per IP, in English", func(t *testing.T) {
		for i := range 20 {
			// Many accounts, few tries each: only the address gives it away.
			email := string(rune('a'+i)) + "@example.org"
			if res := admintest.PostLogin(h.Srv, email, "guess guess guess", "198.51.100.9"); res.StatusCode != http.StatusUnauthorized {
				t.Fatalf("attempt %d: %d", i+1, res.StatusCode)
			}
		}
		r := httptest.NewRequest("POST", "/admin/login", strings.NewReader(url.Values{"email": {"rev@example.org"}, "password": {admintest.Password}}.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.Header.Set("Accept-Language", "en-CA")
		r.RemoteAddr = "198.51.100.9:1"
		body := admintest.WantStatus(t, admintest.Do(h.Srv, r), http.StatusTooManyRequests)
		admintest.WantContains(t, body, "Too many sign-in attempts failed. Try again in 15 minutes.", `lang="en"`)
		if res := admintest.PostLogin(h.Srv, "rev@example.org", admintest.Password, "198.51.100.10"); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("from another address: %d", res.StatusCode)
		}
	})
}

func TestForcedPasswordChange(t *testing.T) {
	h := admintest.NewHarness(t)
	ctx := context.Background()
	u, err := h.DB.CreateUser(ctx, auth.User{Email: "new@example.org", Name: "Nouvelle", Role: auth.Editor, MustChangePassword: true, PasswordHash: auth.Hash("one-time-password-x")}, audit.Origin{Actor: "test"})
	if err != nil {
		t.Fatal(err)
	}
	res := admintest.PostLogin(h.Srv, "new@example.org", "one-time-password-x", "192.0.2.1")
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/admin/password" {
		t.Fatalf("sign-in: %d → %s", res.StatusCode, res.Header.Get("Location"))
	}
	c := res.Cookies()[0]
	for _, path := range []string{"/admin/", "/admin/media"} {
		if res := admintest.Get(h.Srv, path, c); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/admin/password" {
			t.Fatalf("%s before the change: %d → %s", path, res.StatusCode, res.Header.Get("Location"))
		}
	}
	body := admintest.WantStatus(t, admintest.Get(h.Srv, "/admin/password", c), http.StatusOK)
	admintest.WantContains(t, body, "Vous devez choisir un nouveau mot de passe", `<label for="new">`, `aria-describedby="new-hint"`)

	for _, tc := range []struct {
		name          string
		form          url.Values
		field, errKey string
	}{
		{"too short", url.Values{"current": {"one-time-password-x"}, "new": {"court"}, "confirm": {"court"}}, "new", "au moins 12 caractères"},
		{"wrong current", url.Values{"current": {"nope"}, "new": {"a good long passphrase"}, "confirm": {"a good long passphrase"}}, "current", "Le mot de passe actuel est incorrect."},
		{"mismatch", url.Values{"current": {"one-time-password-x"}, "new": {"a good long passphrase"}, "confirm": {"another long passphrase"}}, "confirm", "ne sont pas identiques"},
		{"same", url.Values{"current": {"one-time-password-x"}, "new": {"one-time-password-x"}, "confirm": {"one-time-password-x"}}, "new", "doit être différent"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := admintest.WantStatus(t, admintest.Post(h.Srv, "/admin/password", tc.form, c), http.StatusUnprocessableEntity)
			admintest.WantContains(t, body, tc.errKey, `id="`+tc.field+`-error"`, `aria-invalid="true"`)
			if strings.Contains(body, "passphrase") || strings.Contains(body, "one-time-password-x") {
				t.Error("a password was sent back in the page")
			}
		})
	}
	if got, _ := h.DB.User(ctx, u.ID); !got.MustChangePassword {
		t.Fatal("a refused change cleared MustChangePassword")
	}

	res = admintest.Post(h.Srv, "/admin/password", url.Values{"current": {"one-time-password-x"}, "new": {"a good long passphrase"}, "confirm": {"a good long passphrase"}}, c)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("change: %d %s", res.StatusCode, admintest.ReadBody(t, res))
	}
	body = admintest.WantStatus(t, admintest.Get(h.Srv, "/admin/?password", c), http.StatusOK)
	admintest.WantContains(t, body, "Votre mot de passe a été changé.")
	if res := admintest.PostLogin(h.Srv, "new@example.org", "one-time-password-x", "192.0.2.1"); res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("old password still works: %d", res.StatusCode)
	}
	admintest.Login(t, h.Srv, "new@example.org", "a good long passphrase")
}

func TestSessionSurvivesRestart(t *testing.T) {
	h := admintest.NewHarness(t)
	admintest.NewUser(t, h.DB, "ed@example.org", auth.Editor)
	c := admintest.Login(t, h.Srv, "ed@example.org", admintest.Password)
	h.DB.Close()
	h.Reopen(t)
	admintest.WantStatus(t, admintest.Get(h.Srv, "/admin/", c), http.StatusOK)
}

func TestSessionRotatedAtLogin(t *testing.T) {
	h := admintest.NewHarness(t)
	admintest.NewUser(t, h.DB, "ed@example.org", auth.Editor)
	first := admintest.Login(t, h.Srv, "ed@example.org", admintest.Password)
	r := httptest.NewRequest("POST", "/admin/login", strings.NewReader(url.Values{"email": {"ed@example.org"}, "password": {admintest.Password}}.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res := admintest.Do(h.Srv, r, first)
	second := res.Cookies()[0]
	if second.Value == first.Value {
		t.Fatal("the session token was not renewed at sign-in")
	}
	if res := admintest.Get(h.Srv, "/admin/", first); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("the session replaced at sign-in still works: %d", res.StatusCode)
	}
	admintest.WantStatus(t, admintest.Get(h.Srv, "/admin/", second), http.StatusOK)
}

func TestSessionExpiry(t *testing.T) {
	h := admintest.NewHarness(t)
	admintest.NewUser(t, h.DB, "root@example.org", auth.Admin)

	t.Run("idle, mid-edit, nothing typed is lost", func(t *testing.T) {
		c := admintest.Login(t, h.Srv, "root@example.org", admintest.Password)
		admintest.WantStatus(t, admintest.Get(h.Srv, "/admin/users", c), http.StatusOK)
		h.Clock.Advance(auth.IdleTimeout + time.Minute)
		form := url.Values{"email": {"late@example.org"}, "name": {"Arrivée « tardive »"}, "role": {"reviewer"}, "lang": {"en"}}
		withSecret := url.Values{"password": {"a secret that stays secret"}}
		for k, v := range form {
			withSecret[k] = v
		}
		body := admintest.WantStatus(t, admintest.Post(h.Srv, "/admin/users", withSecret, c), http.StatusUnauthorized)
		admintest.WantContains(t, body, "Votre session a expiré", `name="carry.name" value="Arrivée « tardive »"`, `name="next" value="/admin/users"`)
		if strings.Contains(body, "a secret that stays secret") {
			t.Fatal("a password was carried into the sign-in page")
		}
		if _, err := h.DB.UserByEmail(context.Background(), "late@example.org"); err == nil {
			t.Fatal("the expired session's form was saved")
		}
		// Sign in from that page: the form comes back, ready to send again.
		relogin := url.Values{"email": {"root@example.org"}, "password": {admintest.Password}, "next": {"/admin/users"}}
		for k, v := range form {
			relogin["carry."+k] = v
		}
		res := admintest.Post(h.Srv, "/admin/login", relogin)
		body = admintest.WantStatus(t, res, http.StatusOK)
		admintest.WantContains(t, body, `action="/admin/users"`, `name="name" value="Arrivée « tardive »"`, `name="role" value="reviewer"`)
		c = res.Cookies()[0]
		admintest.WantStatus(t, admintest.Post(h.Srv, "/admin/users", form, c), http.StatusCreated)
	})

	t.Run("absolute", func(t *testing.T) {
		c := admintest.Login(t, h.Srv, "root@example.org", admintest.Password)
		for range int(auth.AbsoluteTimeout/(20*time.Minute)) - 1 {
			h.Clock.Advance(20 * time.Minute)
			admintest.WantStatus(t, admintest.Get(h.Srv, "/admin/", c), http.StatusOK)
		}
		h.Clock.Advance(20 * time.Minute)
		if res := admintest.Get(h.Srv, "/admin/", c); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("after %v: %d, want the sign-in redirect", auth.AbsoluteTimeout, res.StatusCode)
		}
	})
}

func TestCookieSecureOverTLS(t *testing.T) {
	h := admintest.NewHarness(t)
	admintest.NewUser(t, h.DB, "ed@example.org", auth.Editor)
	r := httptest.NewRequest("POST", "https://portail.example/admin/login", strings.NewReader(url.Values{"email": {"ed@example.org"}, "password": {admintest.Password}}.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res := admintest.Do(h.Srv, r)
	if c := res.Cookies(); len(c) != 1 || !c[0].Secure || !c[0].HttpOnly {
		t.Fatalf("cookies over TLS: %+v", c)
	}
}

func TestCrossOriginPostRefused(t *testing.T) {
	h := admintest.NewHarness(t)
	admintest.NewUser(t, h.DB, "root@example.org", auth.Admin)
	c := admintest.Login(t, h.Srv, "root@example.org", admintest.Password)
	r := httptest.NewRequest("POST", "/admin/users", strings.NewReader(url.Values{"email": {"evil@example.org"}, "name": {"E"}, "role": {"admin"}}.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("Sec-Fetch-Site", "cross-site")
	if res := admintest.Do(h.Srv, r, c); res.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-site POST: %d", res.StatusCode)
	}
	if _, err := h.DB.UserByEmail(context.Background(), "evil@example.org"); err == nil {
		t.Fatal("a cross-site POST created an account")
	}
}

func TestStaffLanguage(t *testing.T) {
	h := admintest.NewHarness(t)
	admintest.NewUser(t, h.DB, "ed@example.org", auth.Editor)
	body := admintest.WantStatus(t, admintest.Get(h.Srv, "/admin/login?lang=en"), http.StatusOK)
	admintest.WantContains(t, body, `<html lang="en">`, "Email address")
	c := admintest.Login(t, h.Srv, "ed@example.org", admintest.Password)
	res := admintest.Post(h.Srv, "/admin/lang", url.Values{"lang": {"en"}, "back": {"/admin/password"}}, c)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/admin/password" {
		t.Fatalf("language switch: %d → %s", res.StatusCode, res.Header.Get("Location"))
	}
	body = admintest.WantStatus(t, admintest.Get(h.Srv, "/admin/", c), http.StatusOK)
	admintest.WantContains(t, body, `<html lang="en">`, "Dashboard", "Hello Test editor (role: editor).", `lang="fr">Français</button>`)
	admintest.WantStatus(t, admintest.Post(h.Srv, "/admin/lang", url.Values{"lang": {"de"}}, c), http.StatusUnprocessableEntity)
}
