package store

import (
	"context"

	"portail/internal/audit"
	"portail/internal/orgchart"
	"portail/internal/policy"
)

// OrgUnits keeps the organization chart. Every write checks, inside its
// transaction, the whole chart as it would be after it (orgchart.Check:
// one root at every date, no cycle, parents that exist, periods that do
// not overlap), so that two racing changes that are each fine alone (A
// moved under B, B under A) cannot both commit. Each write records its
// audit entry and a change record (change.OrgUnit, keyed by the unit's
// ID, or "*" for an import) in the same transaction.
type OrgUnits interface {
	// OrgUnits returns every unit, by ID.
	OrgUnits(ctx context.Context) ([]orgchart.Unit, error)

	// OrgUnit returns one unit. Returns NotFound.
	OrgUnit(ctx context.Context, id string) (orgchart.Unit, error)

	// SaveOrgUnit adds a unit (Version 0) or replaces one from the
	// version it was edited from, and returns it with its new Version and
	// Updated. Returns Invalid with the problems of Validate or of the
	// chart's Check (a move under the unit's own descendant is the
	// problem "parent"), Conflict with the problem "id" when adding an ID
	// that exists, NotFound when changing one that does not, Conflict
	// with the problem "version" when the unit changed since Version.
	SaveOrgUnit(ctx context.Context, u orgchart.Unit, o audit.Origin) (orgchart.Unit, error)

	// ReplaceOrgUnits makes the chart exactly units (an import), all or
	// nothing, after checking it whole. Returns Invalid naming the
	// first problem ("units.3.parent").
	ReplaceOrgUnits(ctx context.Context, units []orgchart.Unit, o audit.Origin) error
}

// Policies keeps the international policy's documents. Each write
// validates the document with policy.Document.Validate first, and
// records its audit entry and a change record (change.Policy, keyed by
// the document's ID) in the same transaction, with o as who and from
// where.
type Policies interface {
	// Policies returns every document, by launch date then ID.
	Policies(ctx context.Context) ([]policy.Document, error)

	// Policy returns one document. Returns NotFound.
	Policy(ctx context.Context, id string) (policy.Document, error)

	// SavePolicy adds a document (Version 0) or replaces one from the
	// version it was edited from, and returns it with its new Version and
	// Updated. Returns Invalid with the problems of Validate (or "id"
	// past policy.MaxDocuments), Conflict with the problem "id" when
	// adding an ID that exists, NotFound when changing one that does
	// not, and Conflict with the problem "version" when the document
	// changed since Version.
	SavePolicy(ctx context.Context, d policy.Document, o audit.Origin) (policy.Document, error)

	// DeletePolicy removes a document if it is still at version.
	// Returns NotFound, or Conflict with the problem "version".
	DeletePolicy(ctx context.Context, id string, version int, o audit.Origin) error
}
