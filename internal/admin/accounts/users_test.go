package accounts_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"portail/internal/admin/admintest"
	"portail/internal/audit"
	"portail/internal/auth"
)

func TestUserAdmin(t *testing.T) {
	h := admintest.NewHarness(t)
	ctx := context.Background()
	root := admintest.NewUser(t, h.DB, "root@example.org", auth.Admin)
	c := admintest.Login(t, h.Srv, "root@example.org", admintest.Password)

	body := admintest.WantStatus(t, admintest.Get(h.Srv, "/admin/users", c), http.StatusOK)
	admintest.WantContains(t, body, "root@example.org", `<label for="email">`, `<label for="role">`, fmt.Sprintf(`<label for="role-%d"`, root.ID))

	// A generated password is shown once and must be changed at first sign-in.
	res := admintest.Post(h.Srv, "/admin/users", url.Values{"email": {"Ed@Example.org"}, "name": {"Édith"}, "role": {"editor"}, "lang": {"fr"}}, c)
	body = admintest.WantStatus(t, res, http.StatusCreated)
	m := regexp.MustCompile(`<code>([A-Z2-7]{26})</code>`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no one-time password shown:\n%s", body)
	}
	ed, err := h.DB.UserByEmail(ctx, "ed@example.org")
	if err != nil || !ed.MustChangePassword || ed.Role != auth.Editor {
		t.Fatalf("created %+v, %v", ed, err)
	}
	if res := admintest.PostLogin(h.Srv, "ed@example.org", m[1], "192.0.2.1"); res.Header.Get("Location") != "/admin/password" {
		t.Fatalf("first sign-in goes to %q", res.Header.Get("Location"))
	}

	for _, tc := range []struct {
		name  string
		form  url.Values
		field string
		msg   string
		typed string
	}{
		{"unknown role", url.Values{"email": {"x@example.org"}, "name": {"Xavier"}, "role": {"chef"}}, "role", "Choisissez un des rôles proposés.", `value="x@example.org"`},
		{"duplicate email", url.Values{"email": {"ED@example.org"}, "name": {"Autre Édith"}, "role": {"reviewer"}}, "email", "Un compte utilise déjà cette adresse.", `value="Autre Édith"`},
		{"empty fields", url.Values{"email": {""}, "name": {"  "}, "role": {"editor"}}, "email", "Ce champ est obligatoire.", `<option value="editor" selected>`},
		{"bad email", url.Values{"email": {"pas une adresse"}, "name": {"P"}, "role": {"editor"}}, "email", "Entrez une adresse courriel valide", `value="pas une adresse"`},
		{"look-alike address, Cyrillic е", url.Values{"email": {"\u0435d@example.org"}, "name": {"Faux Ed"}, "role": {"editor"}}, "email", "mêlant des alphabets", "value=\"\u0435d@example.org\""},
		{"look-alike address, zero-width space", url.Values{"email": {"ed\u200b@example.org"}, "name": {"Faux Ed"}, "role": {"editor"}}, "email", "caractères invisibles", "value=\"ed\u200b@example.org\""},
		{"short password", url.Values{"email": {"y@example.org"}, "name": {"Y"}, "role": {"editor"}, "password": {"court"}}, "password", "au moins 12 caractères", `value="y@example.org"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := admintest.WantStatus(t, admintest.Post(h.Srv, "/admin/users", tc.form, c), http.StatusUnprocessableEntity)
			admintest.WantContains(t, body, tc.msg, tc.typed, `id="`+tc.field+`-error"`, `href="#`+tc.field+`"`)
			if !regexp.MustCompile(`<(?:input|select) id="` + tc.field + `"[^>]* aria-describedby="[^"]*` + tc.field + `-error"`).MatchString(body) {
				t.Errorf("the %s input is not described by its error", tc.field)
			}
		})
	}
	if us, _ := h.DB.Users(ctx); len(us) != 2 {
		t.Fatalf("refused forms left %d accounts", len(us))
	}

	// Role change and disable, each audited with who and from where.
	// Ed signs in with a known password first, to see the session end.
	res = admintest.Post(h.Srv, fmt.Sprintf("/admin/users/%d/role", ed.ID), url.Values{"role": {"reviewer"}}, c)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("role change: %d", res.StatusCode)
	}
	if got, _ := h.DB.User(ctx, ed.ID); got.Role != auth.Reviewer {
		t.Fatalf("role = %s", got.Role)
	}
	body = admintest.WantStatus(t, admintest.Post(h.Srv, fmt.Sprintf("/admin/users/%d/role", ed.ID), url.Values{"role": {"chef"}}, c), http.StatusUnprocessableEntity)
	admintest.WantContains(t, body, fmt.Sprintf(`id="role-%d-error"`, ed.ID), "Choisissez un des rôles proposés.")
	body = admintest.WantStatus(t, admintest.Post(h.Srv, fmt.Sprintf("/admin/users/%d/role", root.ID), url.Values{"role": {"editor"}}, c), http.StatusUnprocessableEntity)
	admintest.WantContains(t, body, "Vous ne pouvez pas modifier votre propre compte ici.")
	admintest.WantStatus(t, admintest.Post(h.Srv, "/admin/users/999/role", url.Values{"role": {"editor"}}, c), http.StatusNotFound)
	admintest.WantStatus(t, admintest.Post(h.Srv, "/admin/users/abc/disable", nil, c), http.StatusNotFound)

	if err := h.DB.SetPassword(ctx, ed.ID, auth.Hash(admintest.Password), "", audit.Origin{Actor: "test"}); err != nil {
		t.Fatal(err)
	}
	edc := admintest.Login(t, h.Srv, "ed@example.org", admintest.Password)
	if res := admintest.Post(h.Srv, fmt.Sprintf("/admin/users/%d/disable", ed.ID), nil, c); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("disable: %d", res.StatusCode)
	}
	if res := admintest.Get(h.Srv, "/admin/", edc); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("a disabled account's session still works: %d", res.StatusCode)
	}
	if res := admintest.PostLogin(h.Srv, "ed@example.org", admintest.Password, "192.0.2.1"); res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("a disabled account signs in: %d", res.StatusCode)
	}

	for _, a := range []audit.Action{audit.UserCreate, audit.UserRole, audit.UserDisable} {
		es, _ := h.DB.AuditLog(ctx, audit.Filter{Action: a, Actor: "root@example.org"})
		if len(es) != 1 || es[0].Target != "ed@example.org" || es[0].IP != "192.0.2.1" {
			t.Errorf("%s entries: %+v", a, es)
		}
	}
}

func TestAuditPage(t *testing.T) {
	h := admintest.NewHarness(t)
	admintest.NewUser(t, h.DB, "root@example.org", auth.Admin)
	admintest.PostLogin(h.Srv, "root@example.org", "wrong wrong wrong", "203.0.113.5")
	c := admintest.Login(t, h.Srv, "root@example.org", admintest.Password)

	body := admintest.WantStatus(t, admintest.Get(h.Srv, "/admin/audit", c), http.StatusOK)
	admintest.WantContains(t, body, "Connexion refusée (mot de passe erroné)", "203.0.113.5", "<td>Connexion</td>", "Compte créé")
	body = admintest.WantStatus(t, admintest.Get(h.Srv, "/admin/audit?action=login.failed&since=2026-03-02&until=2026-03-02", c), http.StatusOK)
	admintest.WantContains(t, body, "203.0.113.5", `value="login.failed"`)
	if regexp.MustCompile(`<td>Connexion</td>`).MatchString(body) {
		t.Error("the action filter let a login through")
	}
	body = admintest.WantStatus(t, admintest.Get(h.Srv, "/admin/audit?since=2026-03-01&until=2026-03-01", c), http.StatusOK)
	admintest.WantContains(t, body, "Aucun événement.")
	body = admintest.WantStatus(t, admintest.Get(h.Srv, "/admin/audit?since=hier", c), http.StatusUnprocessableEntity)
	admintest.WantContains(t, body, `id="since-error"`, "AAAA-MM-JJ", `value="hier"`)
}

func TestForbiddenPageKeepsStaffNavigation(t *testing.T) {
	h := admintest.NewHarness(t)
	admintest.NewUser(t, h.DB, "ed@example.org", auth.Editor)
	c := admintest.Login(t, h.Srv, "ed@example.org", admintest.Password)
	body := admintest.WantStatus(t, admintest.Get(h.Srv, "/admin/users", c), http.StatusForbidden)
	admintest.WantContains(t, body, "Accès refusé", "Votre rôle (rédaction)", `href="/admin/"`, `<meta name="robots" content="noindex">`)
	if regexp.MustCompile(`href="/admin/users"`).MatchString(body) {
		t.Error("the navigation offers a page the role may not open")
	}
}

// TestOwnRowOffersNoDisable: an administrator's own row offers neither
// disabling nor a reset, and a request for either says why, on the page.
func TestOwnRowOffersNoDisable(t *testing.T) {
	h := admintest.NewHarness(t)
	root := admintest.NewUser(t, h.DB, "root@example.org", auth.Admin)
	ed := admintest.NewUser(t, h.DB, "ed@example.org", auth.Editor)
	c := admintest.Login(t, h.Srv, "root@example.org", admintest.Password)

	body := admintest.WantStatus(t, admintest.Get(h.Srv, "/admin/users", c), http.StatusOK)
	for _, step := range []string{"disable", "reset"} {
		if strings.Contains(body, fmt.Sprintf(`/admin/users/%d/%s`, root.ID, step)) {
			t.Errorf("the admin's own row offers %s", step)
		}
		admintest.WantContains(t, body, fmt.Sprintf(`href="/admin/users/%d/%s"`, ed.ID, step))
	}
	admintest.WantContains(t, body, "est votre compte : un autre administrateur")

	for _, tc := range []struct{ method, step, msg string }{
		{"POST", "disable", "Vous ne pouvez pas désactiver votre propre compte"},
		{"GET", "disable", "Vous ne pouvez pas désactiver votre propre compte"},
		{"POST", "reset", "Vous ne pouvez pas réinitialiser votre propre mot de passe"},
	} {
		path := fmt.Sprintf("/admin/users/%d/%s", root.ID, tc.step)
		res := admintest.Do(h.Srv, httptest.NewRequest(tc.method, path, nil), c)
		if tc.method == "POST" {
			res = admintest.Post(h.Srv, path, nil, c)
		}
		body := admintest.WantStatus(t, res, http.StatusUnprocessableEntity)
		admintest.WantContains(t, body, tc.msg, fmt.Sprintf(`href="#actions-%d"`, root.ID), fmt.Sprintf(`id="actions-%d"`, root.ID))
	}
	if got, _ := h.DB.User(context.Background(), root.ID); got.Disabled || got.PasswordHash != root.PasswordHash {
		t.Fatalf("the admin's own account changed: %+v", got)
	}
}

// TestDisableEnableAndReset: disabling asks first on a page that works
// without JavaScript; a disabled account can be enabled again; a reset
// gives a one-time password, shown once, that must be changed, and ends
// the account's sessions. Each is audited.
func TestDisableEnableAndReset(t *testing.T) {
	h := admintest.NewHarness(t)
	ctx := context.Background()
	admintest.NewUser(t, h.DB, "root@example.org", auth.Admin)
	ed := admintest.NewUser(t, h.DB, "ed@example.org", auth.Editor)
	c := admintest.Login(t, h.Srv, "root@example.org", admintest.Password)
	edc := admintest.Login(t, h.Srv, "ed@example.org", admintest.Password)
	path := func(step string) string { return fmt.Sprintf("/admin/users/%d/%s", ed.ID, step) }

	// The link opens a confirmation; nothing changes until its button.
	body := admintest.WantStatus(t, admintest.Get(h.Srv, path("disable"), c), http.StatusOK)
	admintest.WantContains(t, body, "Désactiver le compte ed@example.org ?", `<form method="post" action="`+path("disable")+`"`, `href="/admin/users"`)
	if got, _ := h.DB.User(ctx, ed.ID); got.Disabled {
		t.Fatal("the confirmation page disabled the account")
	}
	admintest.WantRedirect(t, admintest.Post(h.Srv, path("disable"), nil, c), "/admin/users?done=disable")
	body = admintest.WantStatus(t, admintest.Get(h.Srv, "/admin/users", c), http.StatusOK)
	admintest.WantContains(t, body, `action="`+path("enable")+`"`, "Réactiver")

	admintest.WantRedirect(t, admintest.Post(h.Srv, path("enable"), nil, c), "/admin/users?done=enable")
	body = admintest.WantStatus(t, admintest.Get(h.Srv, "/admin/users?done=enable", c), http.StatusOK)
	admintest.WantContains(t, body, "Le compte a été réactivé.")
	edc = admintest.Login(t, h.Srv, "ed@example.org", admintest.Password)

	body = admintest.WantStatus(t, admintest.Get(h.Srv, path("reset"), c), http.StatusOK)
	admintest.WantContains(t, body, "nouveau mot de passe à usage unique au compte ed@example.org", `action="`+path("reset")+`"`)
	res := admintest.Post(h.Srv, path("reset"), nil, c)
	if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("the one-time password's page is cacheable: %q", cc)
	}
	body = admintest.WantStatus(t, res, http.StatusOK)
	m := regexp.MustCompile(`<code>([A-Z2-7]{26})</code>`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no one-time password shown:\n%s", body)
	}
	admintest.WantContains(t, body, "Le mot de passe de ed@example.org a été réinitialisé")
	if strings.Contains(admintest.WantStatus(t, admintest.Get(h.Srv, "/admin/users", c), http.StatusOK), m[1]) {
		t.Fatal("the one-time password is shown again")
	}
	if res := admintest.Get(h.Srv, "/admin/", edc); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("a session survived the reset: %d", res.StatusCode)
	}
	if res := admintest.PostLogin(h.Srv, "ed@example.org", admintest.Password, "192.0.2.9"); res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("the old password still signs in: %d", res.StatusCode)
	}
	if res := admintest.PostLogin(h.Srv, "ed@example.org", m[1], "192.0.2.9"); res.Header.Get("Location") != "/admin/password" {
		t.Fatalf("sign-in with the one-time password leads to %q, want the password change", res.Header.Get("Location"))
	}
	for _, a := range []audit.Action{audit.UserDisable, audit.UserEnable, audit.UserReset} {
		es, _ := h.DB.AuditLog(ctx, audit.Filter{Action: a, Actor: "root@example.org"})
		if len(es) != 1 || es[0].Target != "ed@example.org" {
			t.Errorf("%s entries: %+v", a, es)
		}
	}
	admintest.WantStatus(t, admintest.Get(h.Srv, "/admin/users/999/reset", c), http.StatusNotFound)
}
