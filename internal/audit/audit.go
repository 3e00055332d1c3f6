// Package audit defines the append-only audit log's entries: who did what,
// to what, when and from which address. Nothing updates or deletes one.
package audit

import "time"

// Action names what happened.
type Action string

// The audited actions. Other areas add theirs (publish, …) here.
const (
	Login        Action = "login"
	LoginFailed  Action = "login.failed"
	LoginLimited Action = "login.limited" // refused by the rate limit, password not checked
	Logout       Action = "logout"
	PasswordSet  Action = "password.change"
	// PasswordFailed is a wrong current password in a password change;
	// PasswordLimited one refused by the limit, password not checked.
	PasswordFailed  Action = "password.failed"
	PasswordLimited Action = "password.limited"
	UserCreate      Action = "user.create"
	UserRole        Action = "user.role"
	UserDisable     Action = "user.disable"
	UserEnable      Action = "user.enable"
	UserReset       Action = "user.reset" // an administrator reset the password
	MediaUpload     Action = "media.upload"
	MediaRejected   Action = "media.rejected"
)

// Origin is who asks for an operation and from where: the account's email
// (or "cli" for the command line) and the client's IP address.
type Origin struct {
	Actor string
	IP    string
}

// Entry is one event of the audit log.
type Entry struct {
	ID     int64
	Time   time.Time
	Actor  string // email of the account, or the address typed at a failed login
	Action Action
	Target string // what was acted on: an email, a media ID, a page key…
	Detail string // e.g. "editor → reviewer"
	IP     string
}

// Filter selects audit entries; zero fields match everything.
type Filter struct {
	Actor  string
	Action Action
	Target string
	IP     string
	Since  time.Time // inclusive
	Until  time.Time // exclusive
	Limit  int       // 0 means the store's default (100)
	Before int64     // entries with a smaller ID only: the next page
}

// The file library's actions besides the upload. Their Target is the
// media ID and their Detail the file's name.
const (
	MediaPublish  Action = "media.publish"
	MediaWithdraw Action = "media.withdraw"
	MediaDelete   Action = "media.delete"
)

// The directory of offices abroad's actions. Their Target is the office's
// slug ("*" for an import) and their Detail what changed.
const (
	OfficeSave   Action = "office.save"
	OfficeDelete Action = "office.delete"
	OfficeImport Action = "office.import"
)

// The organization chart's and the international policy's actions. Their
// Target is the unit's or the document's ID ("*" for an import).
const (
	OrgUnitSave   Action = "orgunit.save"
	OrgUnitImport Action = "orgunit.import"
	PolicySave    Action = "policy.save"
	PolicyDelete  Action = "policy.delete"
)
