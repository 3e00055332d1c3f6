// Package store defines the storage contract that every backend implements.
// Each method is one business operation in one transaction, and documents
// the apperr kinds it returns; storetest checks them on every backend.
package store

import (
	"context"

	"portail/internal/content"
	"portail/internal/lang"
)

// Store is everything the application keeps.
type Store interface {
	Pages
	Publishing
	Navigation
	Accounts
	Audit
	Media
	Changes
	Offices
	Policies
	OrgUnits
	// Ping reports whether the database answers.
	Ping(ctx context.Context) error
	// Close releases the database.
	Close() error
}

// Pages keeps pages, their revisions and their public translations.
type Pages interface {
	// CreatePage adds a page with no revision, in an existing section,
	// with its French-only flag.
	// Returns Invalid for a bad key, or with the problem "section" for a
	// section that does not exist; Conflict if the key exists.
	CreatePage(ctx context.Context, p content.Page) error

	// Page returns one page. Returns NotFound.
	Page(ctx context.Context, key string) (content.Page, error)

	// ListPages returns every page, by section then order.
	ListPages(ctx context.Context) ([]content.Page, error)

	// ReservePath gives a page a public path in a language before any
	// revision is published in it, so that the language's URL shows the
	// "available only in French" notice instead of a 404.
	// Returns NotFound for an unknown page, Invalid for a bad path,
	// Conflict if another page holds the path in that language.
	ReservePath(ctx context.Context, key string, l lang.Lang, path string) error

	// SaveRevision appends a draft or in-review revision and returns it with
	// its ID and creation time set. Returns NotFound for an unknown page,
	// Invalid for bad fields or a state other than draft or review,
	// Conflict (with a "path" problem) if another page holds the path.
	SaveRevision(ctx context.Context, r content.Revision) (content.Revision, error)

	// Revision returns one revision. Returns NotFound.
	Revision(ctx context.Context, id int64) (content.Revision, error)

	// Revisions returns a page's revisions in one language, newest first.
	Revisions(ctx context.Context, key string, l lang.Lang) ([]content.Revision, error)

	// Translation returns the public translation of a page in one
	// language, reserved ones included. Returns NotFound when it has none.
	Translation(ctx context.Context, key string, l lang.Lang) (content.Translation, error)

	// Translations returns every public translation, reserved ones included.
	Translations(ctx context.Context) ([]content.Translation, error)

	// Redirect returns the key of the page that used to live at path.
	// Returns NotFound.
	Redirect(ctx context.Context, l lang.Lang, path string) (string, error)
}
