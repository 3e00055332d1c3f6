package admin_test

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"

	"portail/internal/admin"
	"portail/internal/admin/admintest"
	"portail/internal/auth"
)

var wildcard = regexp.MustCompile(`\{[^}]*\}`)

// concrete turns a route pattern into a request path: {$} is dropped,
// {name...} becomes "x" and any other wildcard "1".
func concrete(path string) string {
	path = strings.ReplaceAll(path, "{$}", "")
	return wildcard.ReplaceAllStringFunc(path, func(w string) string {
		if strings.HasSuffix(w, "...}") {
			return "x"
		}
		return "1"
	})
}

// written are the answers, role by role, for routes whose access is
// pinned here rather than read from the route table: the roles allowed,
// every other one refused. A change of the table or of a role's
// permissions that moves one of them fails the matrix.
var written = map[string][]auth.Role{
	// Publishing, withdrawing and deleting files: what the public sees is
	// a reviewer's decision, as for pages.
	"POST /admin/media/{id}/publish":  {auth.Admin, auth.Reviewer},
	"POST /admin/media/{id}/withdraw": {auth.Admin, auth.Reviewer},
	"POST /admin/media/{id}/delete":   {auth.Admin, auth.Reviewer},
}

// TestRoleRouteMatrix walks every /admin route the server registered ×
// every role and anonymous, and checks that access is exactly what the
// route table's permission says: anonymous → sign-in redirect (GET) or
// 401, a role without the permission → 403, a role with it → anything
// but those (and never 5xx).
func TestRoleRouteMatrix(t *testing.T) {
	h := newHarness(t)
	// The admin is account 1, so that {id} = 1 names the admin itself and
	// allowed requests change nothing (self changes are refused).
	for _, r := range auth.Roles {
		admintest.NewUser(t, h.db, string(r)+"@example.org", r)
	}
	cookie := map[auth.Role]*http.Cookie{}
	login := func(r auth.Role) *http.Cookie {
		cookie[r] = admintest.Login(t, h.srv, string(r)+"@example.org", admintest.Password)
		return cookie[r]
	}
	for _, r := range auth.Roles {
		login(r)
	}

	routes := 0
	pinned := map[string]bool{}
	for _, pattern := range h.srv.Mux.Patterns() {
		method, path, ok := strings.Cut(pattern, " ")
		if !ok {
			method, path = "GET", pattern
		}
		if path != "/admin" && !strings.HasPrefix(path, "/admin/") {
			continue
		}
		routes++
		perm, known := h.srv.Admin.Permission(pattern)
		if !known {
			t.Errorf("%s is not in the route table", pattern)
			continue
		}
		target := concrete(path)
		allowed, isPinned := written[pattern]
		pinned[pattern] = isPinned
		for _, role := range append([]auth.Role{""}, auth.Roles...) {
			name := string(role)
			if name == "" {
				name = "anonymous"
			}
			if want := slices.Contains(allowed, role); isPinned && role != "" && role.Can(perm) != want {
				t.Errorf("%s as %s: allowed = %v by the table (%s), want %v as written", pattern, name, role.Can(perm), perm, want)
			}
			req := httptest.NewRequest(method, target, strings.NewReader(""))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			var c *http.Cookie
			if role != "" {
				c = cookie[role]
			}
			res := admintest.Do(h.srv, req, c)
			res.Body.Close()
			loc := res.Header.Get("Location")
			toLogin := res.StatusCode == http.StatusSeeOther && strings.HasPrefix(loc, "/admin/login?next=")
			where := pattern + " as " + name
			switch {
			case perm == admin.Public:
				if res.StatusCode == http.StatusForbidden || res.StatusCode == http.StatusUnauthorized || toLogin || res.StatusCode >= 500 {
					t.Errorf("%s (public): %d %s", where, res.StatusCode, loc)
				}
			case role == "":
				wantGet := method == "GET" || method == "HEAD"
				if wantGet && !toLogin || !wantGet && res.StatusCode != http.StatusUnauthorized {
					t.Errorf("%s: %d %s, want the sign-in redirect (GET) or 401", where, res.StatusCode, loc)
				}
			case role.Can(perm):
				if res.StatusCode == http.StatusForbidden || res.StatusCode == http.StatusUnauthorized || toLogin || res.StatusCode >= 500 {
					t.Errorf("%s (allowed, needs %s): %d %s", where, perm, res.StatusCode, loc)
				}
			default:
				if res.StatusCode != http.StatusForbidden {
					t.Errorf("%s (denied, needs %s): %d %s, want 403", where, perm, res.StatusCode, loc)
				}
			}
			// A request may have ended the session (sign-out): sign in again.
			if role != "" && method != "GET" {
				if res := admintest.Get(h.srv, "/admin/password", c); res.StatusCode != http.StatusOK {
					login(role)
				}
			}
		}
	}
	if routes < 10 {
		t.Fatalf("only %d /admin routes found; is the staff side mounted?", routes)
	}
	for pattern := range written {
		if !pinned[pattern] {
			t.Errorf("%s has written answers but is not registered", pattern)
		}
	}
}

// TestSensitiveRoutesAreAdminOnly pins the part of the table that must not
// drift: accounts and the audit log belong to administrators alone.
func TestSensitiveRoutesAreAdminOnly(t *testing.T) {
	h := newHarness(t)
	for pattern, perm := range h.srv.Admin.Table() {
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
