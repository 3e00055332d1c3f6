// Package admin is the core of the staff side under /admin/: sign-in and
// sessions, the one route table with its permissions, the form and view
// helpers, the dashboard and the audit log. Each staff area is a package
// of its own on this core — publishing (pages, workflow, navigation),
// files, accounts, and the ones to come (offices, org units, access
// requests, service cases) — given to New in Config.Areas.
//
// How to add a staff page:
//
//   - Add a row to its area's Routes: pattern, the auth.Permission it
//     requires (or Public), and the handler. The core joins every area's
//     rows into one table, the only place where access is decided: Routes
//     wraps every row with cross-origin protection, the session lookup and
//     the permission check, and a test walks every /admin pattern × every
//     role against the answers written in it.
//   - A new area is a package with a type embedding *admin.Admin (so that
//     a.Page, a.Render, a.Fail and a.Store are at hand) and a New(core)
//     function returning it as an Area; the server lists it in
//     Config.Areas. An area that has work waiting for someone adds its
//     lists to the dashboard by implementing Todoer.
//   - In the handler, UserFrom(r.Context()) is the signed-in account (always
//     present behind a non-Public row) and OriginOf(r) is who and from
//     which IP, for store methods that write an audit entry.
//   - Render with a.Render(w, r, status, "admin-NAME", &data), where data is
//     a struct embedding admin.Page made by a.Page(r, "title.key"), and the
//     template is render/templates/pages/admin-NAME.html defining "content"
//     (it is drawn in the "admin" layout, in the account's language).
//     Page.Value, Page.Error, Page.Invalid and Page.ErrorID serve forms:
//     re-render with 422, the typed values (Page.Form) and the problems
//     (Page.Problems, from apperr.ProblemsOf) and the template ties each
//     message to its field with aria-describedby.
//   - Tests: admintest.NewUser creates an account in a store and
//     admintest.Login signs in through the real handler and returns the
//     session cookie.
//
// Anonymous requests are redirected to /admin/login (GET) or answered 401
// (other methods, and JSON clients); a POST whose session expired gets the
// sign-in form with the posted values carried along, so nothing typed is
// lost (up to maxCarriedSize; no more than AnonymousMaxBody of a body is
// read before sign-in). A signed-in account without the permission gets
// 403.
package admin

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"portail/internal/assets"
	"portail/internal/audit"
	"portail/internal/auth"
	"portail/internal/lang"
	"portail/internal/media"
	"portail/internal/render"
	"portail/internal/store"
	"portail/internal/web"
)

// Config holds the staff side's dependencies.
type Config struct {
	Store  store.Store
	Engine *render.Engine
	Assets *assets.Assets
	Errors *web.Errors
	Log    *slog.Logger
	// Now is the clock; the store must read the same one. Default time.Now.
	Now func() time.Time
	// MaxUpload caps media uploads in bytes; default media.DefaultMaxSize.
	MaxUpload int64
	// Limits bound password guessing at sign-in and in the password
	// change; default auth.SignInLimits.
	Limits auth.Limits
	// Areas make the staff areas on the core, in the order of the staff
	// navigation.
	Areas []func(*Admin) Area
	// Sync, when set, returns once this instance's public site shows
	// every change committed so far (site.Site.Sync). Every instance
	// follows the store's change feed; the staff side calls Sync after a
	// change only so that the editor sees it at once.
	Sync func(ctx context.Context) error
	// ReservedPaths are, per language, the page paths and subtrees that
	// public routes other than pages hold (site.Reserved): a page there
	// would be hidden, so the editor refuses it.
	ReservedPaths map[lang.Lang][]string
	// FixedPaths are the paths of the pages that a module backs, by page
	// key (site.FixedPaths): its sub-pages live under them, so the editor
	// does not move such a page.
	FixedPaths map[string]map[lang.Lang]string
}

// Area is a part of the staff side in a package of its own; its Routes
// are its rows of the one route table.
type Area interface {
	Routes() []Route
}

// Todoer is an Area with work waiting on the dashboard: the lists that
// p's account may act on.
type Todoer interface {
	Todo(ctx context.Context, p *Page) ([]TodoList, error)
}

// Admin is the staff side's core, which every area embeds.
type Admin struct {
	Config
	table  []Route
	perms  map[string]auth.Permission
	todoer []Todoer
}

// New returns the staff side.
func New(cfg Config) *Admin {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.MaxUpload <= 0 {
		cfg.MaxUpload = media.DefaultMaxSize
	}
	a := &Admin{Config: cfg}
	a.table = a.routes()
	for _, newArea := range cfg.Areas {
		ar := newArea(a)
		a.table = append(a.table, ar.Routes()...)
		if t, ok := ar.(Todoer); ok {
			a.todoer = append(a.todoer, t)
		}
	}
	a.perms = make(map[string]auth.Permission, len(a.table))
	for _, rt := range a.table {
		a.perms[rt.Pattern] = rt.Perm
	}
	return a
}

type ctxKey int

const (
	userKey ctxKey = iota
	sessionKey
)

// UserFrom returns the signed-in account of a request's context.
func UserFrom(ctx context.Context) (auth.User, bool) {
	u, ok := ctx.Value(userKey).(auth.User)
	return u, ok
}

func sessionFrom(ctx context.Context) string {
	s, _ := ctx.Value(sessionKey).(string)
	return s
}

// OriginOf returns who makes request r (the signed-in account's email, or
// "anonymous") and from which IP (web.ClientIP, which believes forwarding
// headers only from trusted proxies), for the audit log.
func OriginOf(r *http.Request) audit.Origin {
	o := audit.Origin{Actor: "anonymous", IP: web.ClientIP(r)}
	if u, ok := UserFrom(r.Context()); ok {
		o.Actor = u.Email
	}
	return o
}

// UploadPath is where media files are posted; the server gives it a
// larger body cap than other requests (Config.MaxUpload).
const UploadPath = "/admin/media"

// syncTimeout bounds how long a publication's answer waits for the
// public site to show it.
const syncTimeout = 2 * time.Second

// ShowChanges waits, briefly, until this instance's public site shows
// what the request has just committed, so that the editor who follows
// the link sees their publication. It is a courtesy: every instance
// follows the change feed anyway, so a failure is only logged and the
// answer does not depend on it, and the wait goes on if the client has
// gone.
func (a *Admin) ShowChanges(r *http.Request) {
	if a.Sync == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), syncTimeout)
	defer cancel()
	if err := a.Sync(ctx); err != nil {
		a.Log.WarnContext(ctx, "admin: the public site does not show the change yet", "err", err)
	}
}
