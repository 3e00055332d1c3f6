package store

import (
	"context"

	"portail/internal/audit"
	"portail/internal/office"
)

// Offices keeps the directory of offices abroad. Each write validates
// the offices with office.Office.Validate, and writes its audit entry
// and a change record (change.Office, keyed by the slug, or "*" for an
// import) in the same transaction, with o as who and from where.
type Offices interface {
	// Offices returns every office, by slug.
	Offices(ctx context.Context) ([]office.Office, error)

	// Office returns one office. Returns NotFound.
	Office(ctx context.Context, slug string) (office.Office, error)

	// SaveOffice adds an office (Version 0) or changes one from the
	// version it was edited from, and returns it with its new Version
	// and Updated time. Returns Invalid with the problems of Validate
	// (or "slug" past office.MaxOffices), Conflict with the problem
	// "slug" when adding a slug that exists, NotFound when changing one
	// that does not, and Conflict with the problem "version" when the
	// office changed since Version.
	SaveOffice(ctx context.Context, f office.Office, o audit.Origin) (office.Office, error)

	// DeleteOffice removes an office, if it is still at version.
	// Returns NotFound, or Conflict with the problem "version".
	DeleteOffice(ctx context.Context, slug string, version int, o audit.Origin) error

	// ReplaceOffices makes the directory exactly offs (an import): the
	// offices it names are added or replaced, the others removed, all or
	// nothing. Returns Invalid naming the first bad office by its index
	// ("offices.3.country"), or a duplicate slug; nothing is written then.
	ReplaceOffices(ctx context.Context, offs []office.Office, o audit.Origin) error
}
