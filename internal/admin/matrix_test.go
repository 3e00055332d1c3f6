package admin_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"portail/internal/admin/admintest"
	"portail/internal/auth"
	"portail/internal/server/servertest"
)

// access is who may use each /admin route, written here rather than read
// from the route table under test: "public", or the roles that hold the
// route's permission, a letter each — Admin, Editor, Reviewer, access
// Officer, Service analyst. A route missing here fails the matrix.
var access = map[string]string{
	"GET /admin":                                "public",
	"GET /admin/login":                          "public",
	"POST /admin/login":                         "public",
	"POST /admin/logout":                        "AEROS",
	"GET /admin/{$}":                            "AEROS",
	"GET /admin/password":                       "AEROS",
	"POST /admin/password":                      "AEROS",
	"POST /admin/lang":                          "AEROS",
	"GET /admin/users":                          "A",
	"POST /admin/users":                         "A",
	"POST /admin/users/{id}/role":               "A",
	"GET /admin/users/{id}/disable":             "A",
	"POST /admin/users/{id}/disable":            "A",
	"POST /admin/users/{id}/enable":             "A",
	"GET /admin/users/{id}/reset":               "A",
	"POST /admin/users/{id}/reset":              "A",
	"GET /admin/audit":                          "A",
	"GET /admin/media":                          "AERO",
	"POST /admin/media":                         "AER",
	"GET /admin/media/{id}":                     "AERO",
	"POST /admin/media/{id}/publish":            "AR",
	"POST /admin/media/{id}/withdraw":           "AR",
	"POST /admin/media/{id}/delete":             "AR",
	"GET /admin/navigation":                     "A",
	"POST /admin/navigation/sections":           "A",
	"POST /admin/navigation/sections/{key}":     "A",
	"POST /admin/navigation/footer":             "A",
	"POST /admin/navigation/footer/{id}":        "A",
	"POST /admin/navigation/footer/{id}/delete": "A",
	"GET /admin/pages":                          "AER",
	"GET /admin/pages/new":                      "AE",
	"POST /admin/pages/new":                     "AE",
	"GET /admin/pages/{key}":                    "AER",
	"POST /admin/pages/{key}":                   "AE",
	"POST /admin/pages/{key}/preview/{lang}":    "AER",
	"GET /admin/pages/{key}/{lang}/history":     "AER",
	"GET /admin/pages/{key}/{lang}/diff":        "AER",
	"GET /admin/revisions/{id}":                 "AER",
	"POST /admin/revisions/{id}/submit":         "AE",
	"POST /admin/revisions/{id}/return":         "AER",
	"POST /admin/revisions/{id}/publish":        "AR",
	"POST /admin/revisions/{id}/publish-both":   "AR",
	"POST /admin/revisions/{id}/schedule":       "AR",
	"POST /admin/revisions/{id}/unschedule":     "AR",
	"POST /admin/revisions/{id}/archive":        "AER",
	"POST /admin/revisions/{id}/restore":        "AE",
	"GET /admin/scheduled":                      "AER",
	"GET /admin/reviews":                        "AER",
	"GET /admin/translations":                   "AER",
	"GET /admin/offices":                        "A",
	"GET /admin/offices/new":                    "A",
	"POST /admin/offices/new":                   "A",
	"GET /admin/offices/import":                 "A",
	"POST /admin/offices/import":                "A",
	"GET /admin/offices/export.json":            "A",
	"GET /admin/offices/export.csv":             "A",
	"GET /admin/offices/{slug}":                 "A",
	"POST /admin/offices/{slug}":                "A",
	"POST /admin/offices/{slug}/delete":         "A",
	"GET /admin/policies":                       "A",
	"GET /admin/policies/new":                   "A",
	"POST /admin/policies/new":                  "A",
	"GET /admin/policies/{doc}":                 "A",
	"POST /admin/policies/{doc}":                "A",
	"POST /admin/policies/{doc}/delete":         "A",
	"GET /admin/org-units":                      "A",
	"GET /admin/org-units/new":                  "A",
	"POST /admin/org-units/new":                 "A",
	"GET /admin/org-units/import":               "A",
	"POST /admin/org-units/import":              "A",
	"GET /admin/org-units/export.json":          "A",
	"GET /admin/org-units/export.csv":           "A",
	"GET /admin/org-units/{id}":                 "A",
	"POST /admin/org-units/{id}/move":           "A",
	"POST /admin/org-units/{id}/rename":         "A",
	"POST /admin/org-units/{id}/head":           "A",
	"POST /admin/org-units/{id}/contact":        "A",
	"POST /admin/org-units/{id}/close":          "A",
	"POST /admin/org-units/{id}/sample":         "A",
}

// roleLetter is a role's letter in access.
var roleLetter = map[auth.Role]string{auth.Admin: "A", auth.Editor: "E", auth.Reviewer: "R", auth.AccessOfficer: "O", auth.ServiceAnalyst: "S"}

// TestRoleRouteMatrix walks every /admin route the server registered ×
// every role and anonymous, and checks that access is exactly what access
// says: anonymous → sign-in redirect (GET) or 401, a role without the
// permission → 403, a role with it → anything but those (and never 5xx).
func TestRoleRouteMatrix(t *testing.T) {
	h := admintest.NewHarness(t)
	// The admin is account 1, so that {id} = 1 names the admin itself and
	// allowed requests change nothing (self changes are refused).
	for _, r := range auth.Roles {
		admintest.NewUser(t, h.DB, string(r)+"@example.org", r)
	}
	cookie := map[auth.Role]*http.Cookie{}
	login := func(r auth.Role) *http.Cookie {
		cookie[r] = admintest.Login(t, h.Srv, string(r)+"@example.org", admintest.Password)
		return cookie[r]
	}
	for _, r := range auth.Roles {
		login(r)
	}

	targets, err := servertest.Targets(h.Srv, servertest.Values{})
	if err != nil {
		t.Fatal(err)
	}
	routes := 0
	seen := map[string]bool{}
	for _, tg := range targets {
		pattern, method, path := tg.Pattern, tg.Method, tg.Path
		if method == "" {
			method = "GET"
		}
		if seen[pattern] || path != "/admin" && !strings.HasPrefix(path, "/admin/") {
			continue
		}
		seen[pattern] = true
		routes++
		who, known := access[pattern]
		if !known {
			t.Errorf("%s: write who may use it in access", pattern)
			continue
		}
		target := tg.URL
		for _, role := range append([]auth.Role{""}, auth.Roles...) {
			name := string(role)
			if name == "" {
				name = "anonymous"
			}
			req := httptest.NewRequest(method, target, strings.NewReader(""))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			var c *http.Cookie
			if role != "" {
				c = cookie[role]
			}
			res := admintest.Do(h.Srv, req, c)
			res.Body.Close()
			loc := res.Header.Get("Location")
			toLogin := res.StatusCode == http.StatusSeeOther && strings.HasPrefix(loc, "/admin/login?next=")
			where := pattern + " as " + name
			switch {
			case who == "public":
				if res.StatusCode == http.StatusForbidden || res.StatusCode == http.StatusUnauthorized || toLogin || res.StatusCode >= 500 {
					t.Errorf("%s (public): %d %s", where, res.StatusCode, loc)
				}
			case role == "":
				wantGet := method == "GET" || method == "HEAD"
				if wantGet && !toLogin || !wantGet && res.StatusCode != http.StatusUnauthorized {
					t.Errorf("%s: %d %s, want the sign-in redirect (GET) or 401", where, res.StatusCode, loc)
				}
			case strings.Contains(who, roleLetter[role]):
				if res.StatusCode == http.StatusForbidden || res.StatusCode == http.StatusUnauthorized || toLogin || res.StatusCode >= 500 {
					t.Errorf("%s (allowed): %d %s", where, res.StatusCode, loc)
				}
			default:
				if res.StatusCode != http.StatusForbidden {
					t.Errorf("%s (denied): %d %s, want 403", where, res.StatusCode, loc)
				}
			}
			// A request may have ended the session (sign-out): sign in again.
			if role != "" && method != "GET" {
				if res := admintest.Get(h.Srv, "/admin/password", c); res.StatusCode != http.StatusOK {
					login(role)
				}
			}
		}
	}
	if routes < 10 {
		t.Fatalf("only %d /admin routes found; is the staff side mounted?", routes)
	}
	for pattern := range access {
		if !seen[pattern] {
			t.Errorf("%s has written answers but is not registered", pattern)
		}
	}
}

// TestSensitiveRoutesAreAdminOnly pins the part of the table that must not
// drift: accounts and the audit log belong to administrators alone.
func TestSensitiveRoutesAreAdminOnly(t *testing.T) {
	h := admintest.NewHarness(t)
	for pattern, perm := range h.Srv.Admin.Table() {
		_, path, _ := strings.Cut(pattern, " ")
		if !strings.HasPrefix(path, "/admin/users") && !strings.HasPrefix(path, "/admin/audit") {
			continue
		}
		for _, r := range auth.Roles {
			if r != auth.Admin && r.Can(perm) {
				t.Errorf("%s needs %s, which %s holds", pattern, perm, r)
			}
		}
	}
}
