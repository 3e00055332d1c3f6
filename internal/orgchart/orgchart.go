// Package orgchart is the department's organization chart as dated data:
// units that form a tree (the minister's office, the deputy minister, the
// sectors, their directorates and teams), each with the periods during
// which it exists, and in each period its parent, names, head and
// contacts. The chart can be read as of any day. It holds types and rules
// and knows nothing of SQL or HTTP.
//
// The organization chart is the first document that the access to
// information regulation requires a public body to publish (Regulation
// respecting the distribution of information, CQLR c., r. 2, s. 4,
// para. 1; FACTS.md §1).
package orgchart

import (
	"time"

	"portail/internal/lang"
	"portail/internal/office"
)

// Date is a civil date; the zero Date means "none" (an open end).
type Date = office.Date

// Kind is what a unit is in the department's structure.
type Kind string

// The kinds, from the top.
const (
	MinisterOffice Kind = "minister-office" // the minister's office (cabinet)
	DeputyMinister Kind = "deputy-minister" // the deputy minister's office
	Sector         Kind = "sector"          // one of the five sectors, led by an assistant deputy minister
	Directorate    Kind = "directorate"     // a general directorate or a directorate
	Team           Kind = "team"            // a service, a team, a secretariat
)

// Kinds lists the kinds, from the top.
var Kinds = []Kind{MinisterOffice, DeputyMinister, Sector, Directorate, Team}

// Head is the person who heads a unit.
type Head struct {
	Name  string
	Title map[lang.Lang]string
}

// Period is a stretch of time during which a unit exists with the same
// place and attributes: from From (inclusive) to To (exclusive; zero:
// open-ended). A move, a rename or a new head starts a new period.
type Period struct {
	From, To Date
	// Parent is the ID of the unit above, "" for the root of the chart
	// (the minister's office).
	Parent  string
	Kind    Kind
	Name    map[lang.Lang]string
	Acronym string
	Head    Head
	Phone   string
	Email   string
	// Order places the unit among its siblings (then its French name).
	Order int
}

// Unit is one unit of the chart, with its periods in order, not
// overlapping.
type Unit struct {
	// ID names the unit for good, whatever its names: lowercase ASCII
	// letters, digits and hyphens ("direction-communications").
	ID      string
	Periods []Period
	// Sample marks a unit that the department's public sources do not
	// name: the default content shows it as sample data, never as fact.
	Sample bool

	// Version counts the unit's saved versions; a save names the version
	// it was edited from, so that of two editors the second gets a
	// conflict instead of erasing the first's change.
	Version int
	// Updated is when the unit's data last changed.
	Updated time.Time
}

// At returns the unit's period that covers day d, if any.
func (u Unit) At(d Date) (Period, bool) {
	for _, p := range u.Periods {
		if p.covers(d) {
			return p, true
		}
	}
	return Period{}, false
}
