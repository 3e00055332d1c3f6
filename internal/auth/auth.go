// Package auth holds the staff accounts' rules: users, roles and their
// permissions, password hashing and session tokens. It knows nothing of
// cookies, HTTP or SQL.
package auth

import (
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"portail/internal/apperr"
	"portail/internal/lang"
)

// Role is what a staff member is in charge of.
type Role string

// The staff roles.
const (
	Admin          Role = "admin"
	Editor         Role = "editor"
	Reviewer       Role = "reviewer"
	AccessOfficer  Role = "access-officer"
	ServiceAnalyst Role = "service-analyst"
)

// Roles lists every role, in display order.
var Roles = []Role{Admin, Editor, Reviewer, AccessOfficer, ServiceAnalyst}

// ParseRole returns the role named s, and false when s names none.
func ParseRole(s string) (Role, bool) {
	for _, r := range Roles {
		if string(r) == s {
			return r, true
		}
	}
	return "", false
}

// Permission is something a route or an operation requires.
type Permission string

// The permissions. Staff is what every signed-in account has (dashboard,
// own password and language, logout); the others belong to roles.
const (
	Staff          Permission = "staff"
	ManageUsers    Permission = "users.manage"
	ReadAudit      Permission = "audit.read"
	ReadPages      Permission = "pages.read"
	WritePages     Permission = "pages.write"   // write drafts, send them to review
	PublishPages   Permission = "pages.publish" // approve, publish, schedule
	UploadMedia    Permission = "media.upload"
	ReadMedia      Permission = "media.read"
	PublishMedia   Permission = "media.publish"   // publish files, withdraw them, delete unused ones
	AccessRequests Permission = "access.requests" // access-to-information queue
	ServiceResults Permission = "service.results" // service commitments and results
	// ManageNavigation edits the public site's sections and footer.
	ManageNavigation Permission = "navigation.manage"
	// ManageOffices edits the directory of offices abroad, imports and
	// exports it. No role but Admin holds it.
	ManageOffices Permission = "offices.manage"
	// ManagePolicy edits the international policy's documents, their
	// thrusts, objectives and measures. No role but Admin holds it.
	ManagePolicy Permission = "policy.manage"
	// ManageOrgUnits edits the organization chart, imports and exports
	// it. No role but Admin holds it.
	ManageOrgUnits Permission = "orgunits.manage"
)

// Permissions lists every permission, so that tests can walk them all.
var Permissions = []Permission{Staff, ManageUsers, ReadAudit, ReadPages, WritePages, PublishPages, UploadMedia, ReadMedia, PublishMedia, AccessRequests, ServiceResults, ManageNavigation, ManageOffices, ManagePolicy, ManageOrgUnits}

// grants is the permission table. Admin is not listed: it may do everything.
// Files follow pages: an editor uploads, and what the public sees (a file
// published at /fichiers/…, withdrawn or deleted) is a reviewer's decision,
// so PublishMedia goes with PublishPages rather than with UploadMedia.
var grants = map[Role][]Permission{
	Editor:         {Staff, ReadPages, WritePages, UploadMedia, ReadMedia},
	Reviewer:       {Staff, ReadPages, PublishPages, UploadMedia, ReadMedia, PublishMedia},
	AccessOfficer:  {Staff, AccessRequests, ReadMedia},
	ServiceAnalyst: {Staff, ServiceResults},
}

// Can reports whether role r holds permission p.
func (r Role) Can(p Permission) bool {
	if r == Admin {
		return true
	}
	for _, g := range grants[r] {
		if g == p {
			return true
		}
	}
	return false
}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	_, ok := ParseRole(string(r))
	return ok
}

// User is a staff account.
type User struct {
	ID    int64
	Email string // lower case; the login name
	Name  string
	Role  Role
	Lang  lang.Lang // the staff side's language for this user
	// Disabled accounts cannot sign in and lose their sessions.
	Disabled bool
	// MustChangePassword is set on accounts whose password someone else
	// chose or saw (first admin, generated passwords): the staff side lets
	// them do nothing else until they change it.
	MustChangePassword bool
	PasswordHash       string // Hash's encoding
	Created            time.Time
}

// Can reports whether u may do p: an enabled account whose role holds p.
func (u User) Can(p Permission) bool { return !u.Disabled && u.Role.Can(p) }

// maxField caps names and addresses; RFC 5321 allows 254 for an address.
const maxField = 254

// Validate returns the problems of u's editable fields, keyed by form field.
func (u User) Validate() apperr.Problems {
	p := apperr.Problems{}
	// Valid UTF-8 without NUL: what is shown as text must be text.
	for field, v := range map[string]string{"email": u.Email, "name": u.Name} {
		if !utf8.ValidString(v) || strings.ContainsRune(v, 0) {
			p.Add(field, "form.text.invalid")
		}
	}
	switch {
	case u.Email == "":
		p.Add("email", "form.required")
	case len(u.Email) > maxField:
		p.Add("email", "form.too_long")
	default:
		if a, err := mail.ParseAddress(u.Email); err != nil || a.Address != u.Email || a.Name != "" {
			p.Add("email", "form.email.invalid")
		} else if key := CheckEmail(u.Email); key != "" {
			p.Add("email", key)
		}
	}
	switch {
	case strings.TrimSpace(u.Name) == "":
		p.Add("name", "form.required")
	case utf8.RuneCountInString(u.Name) > maxField:
		p.Add("name", "form.too_long")
	}
	if u.Role == "" {
		p.Add("role", "form.required")
	} else if !u.Role.Valid() {
		p.Add("role", "form.role.invalid")
	}
	if _, ok := lang.Parse(string(u.Lang)); !ok {
		p.Add("lang", "form.lang.invalid")
	}
	return p
}

// MinPasswordLen is the shortest password accepted, in characters.
// Length matters more than composition rules (NIST SP 800-63B, 3.1.1.2).
const MinPasswordLen = 12

// maxPasswordLen bounds the work an attacker can ask the hash to do.
const maxPasswordLen = 1024

// CheckPassword returns the problems of a new password, keyed by field.
func CheckPassword(field, pw string) apperr.Problems {
	p := apperr.Problems{}
	switch n := utf8.RuneCountInString(pw); {
	case n == 0:
		p.Add(field, "form.required")
	case n < MinPasswordLen:
		p.Add(field, "form.password.too_short")
	case len(pw) > maxPasswordLen:
		p.Add(field, "form.too_long")
	}
	return p
}
