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

// routes is the staff side's whole URL surface and the one place where
// access is decided: each row names the permission its route requires.
// Add new staff pages here.
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

		{"GET /admin/users", auth.ManageUsers, a.userList(), "admin.nav.users"},
		{"POST /admin/users", auth.ManageUsers, a.userAdd(), ""},
		{"POST /admin/users/{id}/role", auth.ManageUsers, a.userRole(), ""},
		{"POST /admin/users/{id}/disable", auth.ManageUsers, a.userDisable(), ""},
		{"GET /admin/audit", auth.ReadAudit, a.auditLog(), "admin.nav.audit"},
		{"GET /admin/media", auth.ReadMedia, a.mediaList(), "admin.nav.media"},
		{"POST " + UploadPath, auth.UploadMedia, a.upload(), ""},
		{"GET /admin/media/{id}", auth.ReadMedia, a.mediaFile(), ""},
		{"POST /admin/media/{id}/publish", auth.PublishMedia, a.mediaPublish(), ""},
		{"POST /admin/media/{id}/withdraw", auth.PublishMedia, a.mediaWithdraw(), ""},
		{"POST /admin/media/{id}/delete", auth.PublishMedia, a.mediaDelete(), ""},
		{"GET " + navPath, auth.ManageNavigation, a.navigation(), "admin.nav.navigation"},
		{"POST " + navPath + "/sections", auth.ManageNavigation, a.addSection(), ""},
		{"POST " + navPath + "/sections/{key}", auth.ManageNavigation, a.saveSection(), ""},
		{"POST " + navPath + "/footer", auth.ManageNavigation, a.saveFooterLink(), ""},
		{"POST " + navPath + "/footer/{id}", auth.ManageNavigation, a.saveFooterLink(), ""},
		{"POST " + navPath + "/footer/{id}/delete", auth.ManageNavigation, a.deleteFooterLink(), ""},

		// Publishing (pages*.go). Finer rules (nobody approves their own
		// change; who may send back or archive what) are content.Decide's.
		{"GET /admin/pages", auth.ReadPages, a.pageList(), "admin.nav.pages"},
		{"GET /admin/pages/new", auth.WritePages, a.newPageForm(), ""},
		{"POST /admin/pages/new", auth.WritePages, a.createPage(), ""},
		{"GET /admin/pages/{key}", auth.ReadPages, a.editor(), ""},
		{"POST /admin/pages/{key}", auth.WritePages, a.saveEditor(), ""},
		{"POST /admin/pages/{key}/preview/{lang}", auth.ReadPages, a.preview(), ""},
		{"GET /admin/pages/{key}/{lang}/history", auth.ReadPages, a.pageHistory(), ""},
		{"GET /admin/pages/{key}/{lang}/diff", auth.ReadPages, a.diff(), ""},
		{"GET /admin/revisions/{id}", auth.ReadPages, a.revision(), ""},
		{"POST /admin/revisions/{id}/submit", auth.WritePages, a.submitRevision(), ""},
		{"POST /admin/revisions/{id}/return", auth.ReadPages, a.returnRevision(), ""},
		{"POST /admin/revisions/{id}/publish", auth.PublishPages, a.publishRevision(), ""},
		{"POST /admin/revisions/{id}/unschedule", auth.PublishPages, a.unscheduleRevision(), ""},
		{"POST /admin/revisions/{id}/archive", auth.ReadPages, a.archiveRevision(), ""},
		{"POST /admin/revisions/{id}/restore", auth.WritePages, a.restoreRevision(), ""},
		{"GET /admin/scheduled", auth.ReadPages, a.scheduled(), "admin.nav.scheduled"},
		{"GET /admin/reviews", auth.ReadPages, a.reviews(), "admin.nav.reviews"},
		{"GET /admin/translations", auth.ReadPages, a.translations(), "admin.nav.translations"},
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
		h := a.require(rt.Perm, !skip, then, rt.Handler)
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
