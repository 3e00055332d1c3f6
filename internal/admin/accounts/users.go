// Package accounts is the staff side's accounts area: the list of staff
// accounts, adding one with a one-time password, changing a role,
// disabling an account and enabling it again, and resetting a password to
// a one-time one. Only administrators reach it (Routes). Disabling and
// resetting ask first, on a page of their own (GET), whose button posts.
package accounts

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"portail/internal/admin"
	"portail/internal/apperr"
	"portail/internal/audit"
	"portail/internal/auth"
	"portail/internal/lang"
)

// Area is the accounts area, on the staff side's core.
type Area struct{ *admin.Admin }

// New returns the accounts area of core.
func New(core *admin.Admin) admin.Area { return &Area{core} }

type usersData struct {
	admin.Page
	Users []auth.User
	// Created and OneTimePassword are shown once, after an account was
	// added with a generated password.
	Created         string
	OneTimePassword string
}

// RolesFor lists the roles with u's selected.
func (d *usersData) RolesFor(u auth.User) []admin.Option {
	opts := d.RoleOptions()
	for i := range opts {
		opts[i].Selected = opts[i].Value == string(u.Role)
	}
	return opts
}

// RowError returns the translated problem of field on account id's row.
func (d *usersData) RowError(field string, id int64) string {
	return d.Error(fmt.Sprintf("%s-%d", field, id))
}

// PasswordField is the optional password of the new account.
func (d *usersData) PasswordField() admin.Field {
	f := d.Field("password", "admin.users.password", "password", "new-password")
	f.Required = false
	f.Hint = d.T("admin.users.password.hint", auth.MinPasswordLen)
	return f
}

func (a *Area) renderUsers(w http.ResponseWriter, r *http.Request, status int, d *usersData) {
	users, err := a.Store.Users(r.Context())
	if err != nil {
		a.Fail(w, r, err)
		return
	}
	d.Users = users
	a.Render(w, r, status, "admin-users", d)
}

func (a *Area) userList() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		d := &usersData{Page: a.Page(r, "admin.users.title")}
		switch r.URL.Query().Get("done") {
		case "role":
			d.Notice = d.T("admin.users.role.done")
		case "disable":
			d.Notice = d.T("admin.users.disable.done")
		case "enable":
			d.Notice = d.T("admin.users.enable.done")
		}
		a.renderUsers(w, r, http.StatusOK, d)
	})
}

func (a *Area) userAdd() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			a.Fail(w, r, apperr.Wrap(apperr.Invalid, err, "admin: account form"))
			return
		}
		f := r.PostForm
		u := auth.User{
			Email: auth.NormalizeEmail(f.Get("email")), Name: strings.TrimSpace(f.Get("name")),
			Role: auth.Role(f.Get("role")), Lang: lang.Lang(f.Get("lang")),
			// The administrator knows or saw the password: its holder
			// must replace it.
			MustChangePassword: true,
		}
		if u.Lang == "" {
			u.Lang = lang.FR
		}
		p := u.Validate()
		pw, generated := f.Get("password"), false
		if pw == "" {
			pw, generated = auth.NewPassword(), true
		} else {
			for k, v := range auth.CheckPassword("password", pw) {
				p.Add(k, v)
			}
		}
		var err error
		if len(p) == 0 {
			u.PasswordHash = auth.Hash(pw)
			u, err = a.Store.CreateUser(r.Context(), u, admin.OriginOf(r))
		} else {
			err = p.Err()
		}
		d := &usersData{Page: a.Page(r, "admin.users.title")}
		if err != nil {
			probs := apperr.ProblemsOf(err)
			if probs == nil {
				a.Fail(w, r, err)
				return
			}
			d.Form, d.Problems = f, probs
			d.Form.Del("password")
			a.renderUsers(w, r, http.StatusUnprocessableEntity, d)
			return
		}
		d.Notice = d.T("admin.users.created", u.Email)
		if generated {
			d.Created, d.OneTimePassword = u.Email, pw
		}
		a.renderUsers(w, r, http.StatusCreated, d)
	})
}

// target returns the account named by the {id} of r's path, refusing the
// signed-in account itself with the problem self on its row's field:
// nobody removes their own access by mistake.
func (a *Area) target(w http.ResponseWriter, r *http.Request, field, self string) (auth.User, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		a.Fail(w, r, apperr.New(apperr.NotFound, "admin: account %q", r.PathValue("id")))
		return auth.User{}, false
	}
	u, err := a.Store.User(r.Context(), id)
	if err != nil {
		a.Fail(w, r, err)
		return auth.User{}, false
	}
	if me, _ := admin.UserFrom(r.Context()); me.ID == u.ID {
		a.userProblem(w, r, field, u.ID, self)
		return auth.User{}, false
	}
	return u, true
}

func (a *Area) userProblem(w http.ResponseWriter, r *http.Request, field string, id int64, key string) {
	d := &usersData{Page: a.Page(r, "admin.users.title")}
	name := fmt.Sprintf("%s-%d", field, id)
	d.Problems = map[string]string{name: key}
	if field != "role" {
		// The row's actions have no field of that name: the summary
		// links to the cell that says it.
		d.ProblemURLs = map[string]string{name: fmt.Sprintf("#actions-%d", id)}
	}
	a.renderUsers(w, r, http.StatusUnprocessableEntity, d)
}

type confirmData struct {
	admin.Page
	Target   auth.User
	Step     string // the path's last segment: disable or reset
	Question string // a catalog key taking the account's address
	Submit   string // a catalog key
}

// confirm asks, on a page that works without JavaScript, before step
// (disable or reset) acts on the account of the path; its button posts to
// the step.
func (a *Area) confirm(step, self string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, ok := a.target(w, r, step, self)
		if !ok {
			return
		}
		if step == "disable" && u.Disabled {
			http.Redirect(w, r, "/admin/users", http.StatusSeeOther)
			return
		}
		d := &confirmData{Page: a.Page(r, "admin.users."+step+".title"), Target: u, Step: step,
			Question: "admin.users." + step + ".question", Submit: "admin.users." + step + ".submit"}
		a.Render(w, r, http.StatusOK, "admin-user-confirm", d)
	})
}

func (a *Area) userRole() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, ok := a.target(w, r, "role", "admin.users.self")
		if !ok {
			return
		}
		role, known := auth.ParseRole(r.PostFormValue("role"))
		if !known {
			a.userProblem(w, r, "role", u.ID, "form.role.invalid")
			return
		}
		if err := a.Store.SetRole(r.Context(), u.ID, role, admin.OriginOf(r)); err != nil {
			a.Fail(w, r, err)
			return
		}
		http.Redirect(w, r, "/admin/users?done=role", http.StatusSeeOther)
	})
}

func (a *Area) userDisable() http.Handler {
	// Already disabled (another tab, another administrator): the account
	// is as asked.
	return a.accountStep("disable", "admin.users.self.disable", apperr.NotFound, a.Store.DisableUser)
}

func (a *Area) userEnable() http.Handler {
	// Enabled meanwhile: the account is as asked.
	return a.accountStep("enable", "admin.users.self", apperr.Conflict, a.Store.EnableUser)
}

// accountStep answers a step on the account of the request's {id} that
// writes its own audit entry: step on success, or when the store answers
// settled (the account is already as asked), back to the list.
func (a *Area) accountStep(step, selfKey string, settled apperr.Kind,
	apply func(ctx context.Context, id int64, o audit.Origin) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, ok := a.target(w, r, step, selfKey)
		if !ok {
			return
		}
		if err := apply(r.Context(), u.ID, admin.OriginOf(r)); err != nil && !errors.Is(err, settled) {
			a.Fail(w, r, err)
			return
		}
		http.Redirect(w, r, "/admin/users?done="+step, http.StatusSeeOther)
	})
}

// userReset gives an account a new one-time password, shown once, which
// its holder must change at next sign-in; its sessions end.
func (a *Area) userReset() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, ok := a.target(w, r, "reset", "admin.users.self.reset")
		if !ok {
			return
		}
		pw := auth.NewPassword()
		if err := a.Store.ResetPassword(r.Context(), u.ID, auth.Hash(pw), admin.OriginOf(r)); err != nil {
			a.Fail(w, r, err)
			return
		}
		d := &usersData{Page: a.Page(r, "admin.users.title")}
		d.Notice = d.T("admin.users.reset.done", u.Email)
		d.Created, d.OneTimePassword = u.Email, pw
		a.renderUsers(w, r, http.StatusOK, d)
	})
}

// Routes are the accounts area's rows of the staff route table.
func (a *Area) Routes() []admin.Route {
	return []admin.Route{
		{Pattern: "GET /admin/users", Perm: auth.ManageUsers, Handler: a.userList(), Nav: "admin.nav.users"},
		{Pattern: "POST /admin/users", Perm: auth.ManageUsers, Handler: a.userAdd()},
		{Pattern: "POST /admin/users/{id}/role", Perm: auth.ManageUsers, Handler: a.userRole()},
		{Pattern: "GET /admin/users/{id}/disable", Perm: auth.ManageUsers, Handler: a.confirm("disable", "admin.users.self.disable")},
		{Pattern: "POST /admin/users/{id}/disable", Perm: auth.ManageUsers, Handler: a.userDisable()},
		{Pattern: "POST /admin/users/{id}/enable", Perm: auth.ManageUsers, Handler: a.userEnable()},
		{Pattern: "GET /admin/users/{id}/reset", Perm: auth.ManageUsers, Handler: a.confirm("reset", "admin.users.self.reset")},
		{Pattern: "POST /admin/users/{id}/reset", Perm: auth.ManageUsers, Handler: a.userReset()},
	}
}
