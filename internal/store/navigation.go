package store

import (
	"context"

	"portail/internal/audit"
	"portail/internal/content"
)

// Navigation keeps the public site's navigation: its sections, in menu
// order with their labels, and the footer's links. Each change writes its
// audit entry and a change record (change.Nav) in the same transaction,
// with o as who and from where.
type Navigation interface {
	// Sections returns the sections in menu order (Order, then key).
	Sections(ctx context.Context) ([]content.NavSection, error)

	// SaveSection changes the labels and order of an existing section.
	// Returns NotFound, or Invalid with the problems of
	// content.NavSection.Validate.
	SaveSection(ctx context.Context, s content.NavSection, o audit.Origin) error

	// AddSection adds a section, its landing page and that page's drafts,
	// all or nothing. Returns Invalid with the problems of
	// content.NewSection.Validate (or "section" past MaxSections),
	// Conflict with the problem "key" when the section exists, "page"
	// when the page key is taken, or "<lang>.path" when another page
	// holds a path.
	AddSection(ctx context.Context, n content.NewSection, o audit.Origin) error

	// FooterLinks returns the footer's links in order (Order, then ID).
	FooterLinks(ctx context.Context) ([]content.FooterLink, error)

	// SaveFooterLink adds a link (ID 0) or changes one, and returns it
	// with its ID. Returns NotFound, or Invalid with the problems of
	// content.FooterLink.Validate (or "footer" past MaxFooter).
	SaveFooterLink(ctx context.Context, f content.FooterLink, o audit.Origin) (content.FooterLink, error)

	// DeleteFooterLink removes a link. Returns NotFound.
	DeleteFooterLink(ctx context.Context, id int64, o audit.Origin) error
}
