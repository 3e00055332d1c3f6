package store

import (
	"encoding/json"
	"fmt"

	"portail/internal/office"
	"portail/internal/orgchart"
)

// The stored form of a unit of the organization chart is one JSON
// document, kept by both stores in one column (TEXT in SQLite, JSONB in
// PostgreSQL) beside the ID, the version and the update time, which are
// columns of their own, as an office's is (see officedoc.go): its
// periods are small and always read whole, and the chart is read whole
// by every write to check it. The shape is declared here rather than as
// tags on orgchart.Unit, and carries a version so that a later shape can
// still read the earlier ones.
//
// Bilingual texts are written for French and English and read back with
// both keys, "" where none was given; dates are "YYYY-MM-DD", "" for the
// zero Date (a period with no end).

// orgUnitDocVersion is the version of the shape that EncodeOrgUnitDoc
// writes.
const orgUnitDocVersion = 1

type orgUnitDoc struct {
	V       int         `json:"v"`
	Sample  bool        `json:"sample"`
	Periods []periodDoc `json:"periods"`
}

type periodDoc struct {
	From    string        `json:"from"`
	To      string        `json:"to"`
	Parent  string        `json:"parent"`
	Kind    orgchart.Kind `json:"kind"`
	Name    textDoc       `json:"name"`
	Acronym string        `json:"acronym"`
	Head    headDoc       `json:"head"`
	Phone   string        `json:"phone"`
	Email   string        `json:"email"`
	Order   int           `json:"order"`
}

// EncodeOrgUnitDoc returns the stored document of u: everything but its
// ID, version and update time, as canonical JSON (see EncodeOfficeDoc).
func EncodeOrgUnitDoc(u orgchart.Unit) ([]byte, error) {
	d := orgUnitDoc{V: orgUnitDocVersion, Sample: u.Sample, Periods: make([]periodDoc, len(u.Periods))}
	for i, p := range u.Periods {
		d.Periods[i] = periodDoc{
			From: p.From.String(), To: p.To.String(), Parent: p.Parent, Kind: p.Kind,
			Name: toText(p.Name), Acronym: p.Acronym,
			Head:  headDoc{Name: p.Head.Name, Title: toText(p.Head.Title)},
			Phone: p.Phone, Email: p.Email, Order: p.Order,
		}
	}
	b, err := json.Marshal(d)
	if err != nil {
		return nil, fmt.Errorf("store: unit %q: %w", u.ID, err)
	}
	return CanonicalJSON(b)
}

// DecodeOrgUnitDoc reads a document that EncodeOrgUnitDoc wrote into u,
// leaving u's ID, version and update time as they are.
func DecodeOrgUnitDoc(b []byte, u *orgchart.Unit) error {
	var d orgUnitDoc
	if err := json.Unmarshal(b, &d); err != nil {
		return fmt.Errorf("store: unit %q: %w", u.ID, err)
	}
	if d.V != orgUnitDocVersion {
		return fmt.Errorf("store: unit %q: document version %d, want %d", u.ID, d.V, orgUnitDocVersion)
	}
	out := orgchart.Unit{ID: u.ID, Version: u.Version, Updated: u.Updated, Sample: d.Sample,
		Periods: make([]orgchart.Period, len(d.Periods))}
	for i, p := range d.Periods {
		from, ok := office.ParseDate(p.From)
		to, ok2 := office.ParseDate(p.To)
		if !ok || !ok2 {
			return fmt.Errorf("store: unit %q: bad dates %q, %q", u.ID, p.From, p.To)
		}
		out.Periods[i] = orgchart.Period{
			From: from, To: to, Parent: p.Parent, Kind: p.Kind,
			Name: p.Name.bilingual(), Acronym: p.Acronym,
			Head:  orgchart.Head{Name: p.Head.Name, Title: p.Head.Title.bilingual()},
			Phone: p.Phone, Email: p.Email, Order: p.Order,
		}
	}
	*u = out
	return nil
}
