package store

import (
	"context"
	"fmt"
	"strconv"

	"portail/internal/apperr"
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

// CheckOffices checks the offices of an import as ReplaceOffices says,
// before anything is written: at most office.MaxOffices, each valid, no
// slug twice. Its Invalid names the first bad office by its index, with
// the fields that Validate names ("offices.3.country").
func CheckOffices(offs []office.Office) error {
	if len(offs) > office.MaxOffices {
		return &apperr.Error{Kind: apperr.Invalid, Msg: fmt.Sprintf("%d offices, more than %d", len(offs), office.MaxOffices),
			Problems: map[string]string{"offices": "form.office.too_many"}}
	}
	seen := make(map[string]bool, len(offs))
	for i, o := range offs {
		prefix := "offices." + strconv.Itoa(i) + "."
		if err := o.Validate(); err != nil {
			p := map[string]string{}
			for field, key := range apperr.ProblemsOf(err) {
				p[prefix+field] = key
			}
			return &apperr.Error{Kind: apperr.Invalid, Msg: fmt.Sprintf("office %d %q", i, o.Slug), Problems: p}
		}
		if seen[o.Slug] {
			return &apperr.Error{Kind: apperr.Invalid, Msg: fmt.Sprintf("office %d: slug %q given twice", i, o.Slug),
				Problems: map[string]string{prefix + "slug": "form.office.duplicate"}}
		}
		seen[o.Slug] = true
	}
	return nil
}

// ImportDetail is the audit detail of an import that added, changed and
// removed that many offices.
func ImportDetail(added, changed, removed int) string {
	return fmt.Sprintf("%d added, %d changed, %d removed", added, changed, removed)
}
