package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"portail/internal/admin/admintest"
	"portail/internal/audit"
	"portail/internal/auth"
	"portail/internal/lang"
	"portail/internal/securitytest"
)

// TestStoredXSSInStaffPages signs in as an administrator and reads every
// staff page (GET routes under /admin) with the payload pages published
// and accounts named after the payloads, whose creation the audit log
// shows with the payload as actor. Staff pages show titles, bodies, diffs,
// names and audit details; none may run what an author typed.
//
// Wildcards get, per payload, the payload page's key, its latest French
// revision's ID and both languages, and the query the revisions' diff
// needs. Form fields (the editor's preview,
// validation errors that re-display typed values) are a row to add to
// inputChannels once the forms settle.
func TestStoredXSSInStaffPages(t *testing.T) {
	t.Parallel()
	e := newSecEnv(t)
	ids := publishPayloadPages(t, e)
	ctx := context.Background()
	hash := auth.Hash("mot de passe des comptes de test")
	for i, p := range securitytest.Payloads {
		_, err := e.db.CreateUser(ctx, auth.User{Email: fmt.Sprintf("xss%d@example.org", i), Name: p, Role: auth.Editor, PasswordHash: hash},
			audit.Origin{Actor: p, IP: "127.0.0.1"})
		if err != nil {
			t.Logf("account named %q refused: %v", p, err)
		}
	}
	admintest.NewUser(t, e.db, "admin@example.org", auth.Admin)
	session := admintest.Login(t, e.srv, "admin@example.org", admintest.Password)

	get := func(rt route, path string) int {
		t.Helper()
		r := httptest.NewRequest(http.MethodGet, path, nil)
		r.AddCookie(session)
		res, body := e.do(r)
		if res.StatusCode >= 500 {
			t.Errorf("GET %s (%s): %d", path, rt.pattern, res.StatusCode)
		}
		if s := securitytest.FindUnsafe(body); s != "" {
			t.Errorf("GET %s (%s): %s", path, rt.pattern, s)
		}
		return res.StatusCode
	}
	staff := 0
	for _, rt := range routes(t, e.srv.Mux, routeExamples(t, e)) {
		if !rt.get() || rt.path != "/admin" && !strings.HasPrefix(rt.path, "/admin/") {
			continue
		}
		staff++
		if !wildcard.MatchString(strings.ReplaceAll(rt.path, "{$}", "")) {
			t.Logf("%s: %d", rt.example, get(rt, rt.example))
			continue
		}
		ok := 0
		for i := range securitytest.Payloads {
			key := fmt.Sprintf("xss-%d", i)
			for _, l := range lang.All {
				path := strings.NewReplacer("{key}", key, "{id}", strconv.FormatInt(ids[i], 10), "{lang}", string(l)).Replace(rt.path)
				// For the diff: from the oldest revision to the newest.
				if revs, err := e.db.Revisions(ctx, key, l); err == nil && len(revs) > 0 {
					path += fmt.Sprintf("?from=%d&to=%d", revs[len(revs)-1].ID, revs[0].ID)
				}
				if get(rt, path) == http.StatusOK {
					ok++
				}
			}
		}
		t.Logf("%s: %d of %d answered 200", rt.pattern, ok, 2*len(securitytest.Payloads))
	}
	if staff > 0 {
		r := httptest.NewRequest(http.MethodGet, "/admin/", nil)
		r.AddCookie(session)
		if res, _ := e.do(r); res.StatusCode != http.StatusOK {
			t.Errorf("the dashboard answered %d: the test is not signed in", res.StatusCode)
		}
	}
	e.noErrors(t)
}
