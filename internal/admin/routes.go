package admin

import (
	"fmt"
	"net/http"
	"strings"

	"portail/internal/auth"
	"portail/internal/web"
)

// Public marks the routes that need no signed-in account.
const Public auth.Permission = ""

// Route is one row of the staff side's route table.
type Route struct {
	Pattern string          // a Go 1.22 pattern under /admin
	Perm    auth.Permission // what the signed-in account needs, or Public
	Handler http.Handler
	Nav     string // catalog key of its entry in the staff navigation (GET rows), or ""
}

// routes are the core's rows of the staff side's one route table: sign-in,
// the account's own settings, the dashboard and the audit log. Each area
// (Config.Areas) adds its own rows, and the table of them all is the one
// place where access is decided: each row names the permission its route
// requires.
func (a *Admin) routes() []Route {
	return []Route{
		{"GET /admin", Public, http.RedirectHandler("/admin/", http.StatusMovedPermanently), ""},
		{"GET /admin/login", Public, a.loginForm(), ""},
		{"POST /admin/login", Public, a.login(), ""},
		{"POST /admin/logout", auth.Staff, a.logout(), ""},
		{"GET /admin/{$}", auth.Staff, a.dashboard(), "admin.nav.dashboard"},
		{"GET /admin/password", auth.Staff, a.passwordForm(), "admin.nav.password"},
		{"POST /admin/password", auth.Staff, a.changePassword(), ""},
		{"POST /admin/lang", auth.Staff, a.setLang(), ""},

		{"GET /admin/audit", auth.ReadAudit, a.auditLog(), "admin.nav.audit"},
	}
}

// notCarried are the staff forms that an anonymous POST does not carry
// through the sign-in form (see require), and the page the sign-in then
// leads to ("" for the dashboard). They act on the session itself, or
// hold only passwords, which are never carried; so their 401 is sent
// without reading the body, which may be as large as the body cap.
var notCarried = map[string]string{
	"POST /admin/logout":   "",
	"POST /admin/lang":     "",
	"POST /admin/password": "/admin/password",
}

// Routes registers every row of the route table on mux, each behind
// cross-origin protection, the session lookup and its permission check.
func (a *Admin) Routes(mux *web.Mux) {
	cop := http.NewCrossOriginProtection()
	seen := 0
	for _, rt := range a.table {
		if !strings.HasPrefix(rt.Pattern[strings.Index(rt.Pattern, " ")+1:], "/admin") {
			panic(fmt.Sprintf("admin: route %q is outside /admin", rt.Pattern))
		}
		then, skip := notCarried[rt.Pattern]
		if skip {
			seen++
		}
		h := a.require(rt.Perm, !skip, then, a.plainText(rt.Handler))
		mux.Handle(rt.Pattern, cop.Handler(a.authenticate(h)))
	}
	if seen != len(notCarried) {
		panic("admin: a pattern of notCarried is not in the route table")
	}
}

// Permission returns the permission that pattern requires, and false when
// pattern is not in the route table.
func (a *Admin) Permission(pattern string) (auth.Permission, bool) {
	p, ok := a.perms[pattern]
	return p, ok
}

// Table returns the route table's patterns and permissions, for tests and
// for the check at server start.
func (a *Admin) Table() map[string]auth.Permission {
	out := make(map[string]auth.Permission, len(a.perms))
	for k, v := range a.perms {
		out[k] = v
	}
	return out
}
