package store

import (
	"context"
	"time"

	"portail/internal/audit"
	"portail/internal/auth"
	"portail/internal/lang"
	"portail/internal/media"
)

// Accounts keeps staff accounts and their sessions. Each change that the
// audit log must show writes its entry in the same transaction, with o as
// who and from where.
type Accounts interface {
	// CreateUser adds an account (Email normalised, PasswordHash required)
	// and returns it with its ID and creation time.
	// Returns Invalid with field problems, or Conflict with the problem
	// email: form.email.taken when the address is in use.
	CreateUser(ctx context.Context, u auth.User, o audit.Origin) (auth.User, error)

	// User returns one account. Returns NotFound.
	User(ctx context.Context, id int64) (auth.User, error)

	// UserByEmail returns the account of an address, in any case.
	// Returns NotFound.
	UserByEmail(ctx context.Context, email string) (auth.User, error)

	// Users returns every account, by email.
	Users(ctx context.Context) ([]auth.User, error)

	// SetRole changes an account's role. Returns NotFound, or Invalid for
	// an unknown role.
	SetRole(ctx context.Context, id int64, r auth.Role, o audit.Origin) error

	// DisableUser disables an account and ends its sessions.
	// Returns NotFound.
	DisableUser(ctx context.Context, id int64, o audit.Origin) error

	// EnableUser enables a disabled account again. Returns NotFound, or
	// Conflict when it is not disabled.
	EnableUser(ctx context.Context, id int64, o audit.Origin) error

	// ResetPassword replaces an account's password hash with that of a
	// one-time password that someone else chose or saw: it sets
	// MustChangePassword and ends every session of the account.
	// Returns NotFound, or Invalid for an empty hash.
	ResetPassword(ctx context.Context, id int64, hash string, o audit.Origin) error

	// SetPassword replaces an account's password hash, clears
	// MustChangePassword and ends every session of the account except the
	// one whose hash is keep. Returns NotFound, or Invalid for an empty hash.
	SetPassword(ctx context.Context, id int64, hash, keep string, o audit.Origin) error

	// SetLang sets the staff side's language for an account.
	// Returns NotFound, or Invalid.
	SetLang(ctx context.Context, id int64, l lang.Lang) error

	// CreateSession records a sign-in: the session and a login entry.
	// Returns NotFound for an unknown account, Forbidden for a disabled one.
	CreateSession(ctx context.Context, s auth.Session, o audit.Origin) error

	// Session returns a live session and its account. Returns NotFound when
	// the session does not exist, has expired (idle or absolute, by the
	// store's clock; it is then deleted) or its account is disabled.
	Session(ctx context.Context, hash string) (auth.Session, auth.User, error)

	// TouchSession moves a session's idle deadline, never past its absolute
	// expiry. Returns NotFound.
	TouchSession(ctx context.Context, hash string, idleUntil time.Time) error

	// EndSession deletes a session and records a logout entry.
	// Returns NotFound.
	EndSession(ctx context.Context, hash string, o audit.Origin) error

	// BeginAttempt decides, in one transaction, whether a password check
	// of account (a normalised email) from ip may go ahead under l:
	// l.Allows judges the failures within l.Window, with ip counted as
	// auth.LimitAddress(ip). When it may, the attempt counts as a failure
	// until EndAttempt settles it, so that of concurrent attempts no more
	// go ahead than l allows, and BeginAttempt returns its ID and true.
	// When it may not, it returns false and counts the refusal against
	// ip in the current window (Refusals); only the window's first
	// refusal from ip writes refused to the audit log, so that refused
	// requests cost bounded storage. Returns Invalid for an empty account
	// or limits that allow nothing.
	BeginAttempt(ctx context.Context, account, ip string, l auth.Limits, refused audit.Entry) (int64, bool, error)

	// EndAttempt settles attempt id. A success deletes it, and the
	// account's earlier failures no longer count against the account
	// (they still count against their addresses). A failure stays
	// counted, and failed is appended to the audit log. Returns NotFound.
	EndAttempt(ctx context.Context, id int64, ok bool, failed audit.Entry) error

	// Refusals returns how many attempts BeginAttempt refused from ip
	// (counted as auth.LimitAddress(ip)) in the windows that began at or
	// after since; counts are kept for 30 days.
	Refusals(ctx context.Context, ip string, since time.Time) (int, error)
}

// Audit is the append-only audit log. There is deliberately no method that
// changes or removes an entry.
type Audit interface {
	// AppendAudit records e at the store's current time and returns it with
	// its ID and time. Returns Invalid when Actor or Action is empty.
	AppendAudit(ctx context.Context, e audit.Entry) (audit.Entry, error)

	// AuditLog returns the entries matching f, newest first.
	AuditLog(ctx context.Context, f audit.Filter) ([]audit.Entry, error)

	// CountAudit returns how many entries match f, ignoring its Limit
	// and Before; the login rate limit counts failures with it.
	CountAudit(ctx context.Context, f audit.Filter) (int, error)
}

// Media keeps uploaded files, and which of them are on the public site.
// Publishing, withdrawing and deleting write their audit entry in the same
// transaction, with o as who and from where.
type Media interface {
	// SaveMedia stores a file made by media.New and records the upload;
	// it returns the file with its ID and upload time.
	// Returns Invalid for a type that is not accepted or a size or
	// checksum that does not match the data.
	SaveMedia(ctx context.Context, f media.File, o audit.Origin) (media.File, error)

	// MediaFile returns one file with its data. Returns NotFound.
	MediaFile(ctx context.Context, id int64) (media.File, error)

	// ListMedia returns every file without its data, newest first.
	ListMedia(ctx context.Context) ([]media.File, error)

	// PublishMedia puts file id on the public site, at its
	// media.File.PublicPath, and returns it (without its data) with its
	// Published time set. Returns NotFound, or Conflict when it is already
	// published.
	PublishMedia(ctx context.Context, id int64, o audit.Origin) (media.File, error)

	// WithdrawMedia takes file id off the public site; staff still reach
	// it. Returns NotFound, or Conflict when it is not published.
	WithdrawMedia(ctx context.Context, id int64, o audit.Origin) error

	// DeleteMedia deletes file id, published or not, unless a page uses
	// it: a revision that is not archived refers to it in its body
	// (media.Refs). Returns NotFound, or Conflict with the uses (one per
	// page and language, as MediaUses gives them) when pages use it, and
	// then deletes nothing. The check and the deletion are one
	// transaction, so a page saved meanwhile cannot lose its file.
	DeleteMedia(ctx context.Context, id int64, o audit.Origin) ([]media.Use, error)

	// MediaUses returns, by file ID, the pages that use each file (see
	// DeleteMedia): per page and language, its newest revision that
	// refers to the file, by page key then language. Files no page uses
	// are absent; an ID may be of a file that does not exist.
	MediaUses(ctx context.Context) (map[int64][]media.Use, error)

	// PublishedMedia returns file id with its data if it is published,
	// for the public site. Returns NotFound when it does not exist or is
	// not published: an unpublished file is never served to the public.
	PublishedMedia(ctx context.Context, id int64) (media.File, error)
}
