// Package office is the directory of Québec's network abroad: each
// office's identity, type and status over time, where it is, who heads
// it, when it is open and what it offers to each clientele. It holds the
// types and their rules and knows nothing of SQL or HTTP.
//
// The office types and the clienteles are the department's own
// (FACTS.md §5, "Office types (MRIF definitions)").
package office

import (
	"time"

	"portail/internal/lang"
)

// Type is the kind of an office, which says who heads it.
type Type string

// The office types, from the most important.
const (
	// GeneralDelegation: headed by a delegate appointed by the
	// Government; economy, education, culture, immigration, public
	// affairs.
	GeneralDelegation Type = "general-delegation"
	// Delegation: headed by a delegate appointed by the Government;
	// some of the same sectors.
	Delegation Type = "delegation"
	// Bureau: headed by a director appointed by the Minister; a limited
	// number of areas.
	Bureau Type = "bureau"
	// TradeOffice: a trade office or antenna, headed by a resident of
	// the host country; specific areas.
	TradeOffice Type = "trade-office"
	// Multilateral: a representation to international organizations.
	Multilateral Type = "multilateral"
)

// Types lists the office types in the directory's order.
var Types = []Type{GeneralDelegation, Delegation, Bureau, TradeOffice, Multilateral}

// Region is a world region of the directory.
type Region string

// The regions, in the directory's order.
const (
	Americas         Region = "americas"
	Europe           Region = "europe"
	AfricaMiddleEast Region = "africa-middle-east"
	AsiaPacific      Region = "asia-pacific"
)

// Regions lists the regions in the directory's order.
var Regions = []Region{Americas, Europe, AfricaMiddleEast, AsiaPacific}

// Clientele is a group of people an office serves.
type Clientele string

// The clienteles: "businesses, creators, researchers, and Québec
// institutions" (FACTS.md §5), and students and citizens.
const (
	Businesses   Clientele = "businesses"
	Culture      Clientele = "culture"      // creators and culture
	Research     Clientele = "research"     // researchers and education
	Institutions Clientele = "institutions" // Québec institutions
	Citizens     Clientele = "citizens"     // students and citizens
)

// Clienteles lists the clienteles in the directory's order.
var Clienteles = []Clientele{Businesses, Culture, Research, Institutions, Citizens}

// Status is where an office stands on a given day.
type Status string

// The statuses.
const (
	Planned Status = "planned" // announced, not open yet on that day
	Open    Status = "open"
	Closed  Status = "closed"
)

// Date is a civil date (no time, no zone), as the department states
// openings and closings. The zero Date means "not known" or "none".
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// ParseDate reads "YYYY-MM-DD"; the empty string is the zero Date.
func ParseDate(s string) (Date, bool) {
	if s == "" {
		return Date{}, true
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, false
	}
	return DateOf(t), true
}

// ParseDay reads a day that a visitor asks for, "YYYY-MM-DD" between
// 1900 and 2200; the empty string is no day.
func ParseDay(s string) (Date, bool) {
	d, ok := ParseDate(s)
	return d, ok && !d.IsZero() && d.Year >= 1900 && d.Year <= 2200
}

// DateOf returns the date of t in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// String returns "YYYY-MM-DD", or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.In(time.UTC).Format(time.DateOnly)
}

// In returns midnight at the start of d in loc.
func (d Date) In(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.String() < e.String() }

// TypeChange is a change of an office's type from a day on: the 2024
// reform raises bureaus to delegations.
type TypeChange struct {
	On   Date
	Type Type
}

// Head is the person who heads an office.
type Head struct {
	Name  string
	Title map[lang.Lang]string
}

// Span is a stretch of opening hours within one day, in minutes after
// midnight: Open < Close ≤ 24×60. Hours past midnight are a span of the
// next day that starts at 0.
type Span struct {
	Open, Close int
}

// Week is an office's regular opening hours, indexed by time.Weekday
// (Sunday = 0). A day with no span is closed; a day may be split.
type Week [7][]Span

// Closure is a day or run of days when an office is closed: a public
// holiday of its host country or an exceptional closure. From and To are
// inclusive dates in the office's time zone.
type Closure struct {
	From, To Date
	Holiday  bool // a public holiday rather than an exceptional closure
	Reason   map[lang.Lang]string
}

// Office is one office of the network.
type Office struct {
	// Slug names the office in its URLs: lowercase ASCII letters,
	// digits and hyphens, as in "new-york".
	Slug string
	// Type is the office's type from its opening, before any of Changes.
	Type    Type
	Changes []TypeChange
	// Opened and Closed bound the days the office is open: Opened
	// (zero: open since before the directory's records) up to the day
	// before Closed (zero: no closing planned).
	Opened, Closed Date
	Name           map[lang.Lang]string
	City           map[lang.Lang]string
	// Country is the host country, ISO 3166-1 alpha-2 ("JP").
	Country string
	Region  Region
	// Address is the street address, lines separated by "\n".
	Address             string
	Latitude, Longitude float64
	// TimeZone is the IANA name of the office's zone ("Asia/Tokyo").
	TimeZone string
	Phone    string
	Email    string
	Website  string
	Head     Head
	Hours    Week
	Closures []Closure
	// Covers lists the countries the office serves besides its own,
	// ISO 3166-1 alpha-2.
	Covers []string
	// Services says, per clientele it serves, what it offers.
	Services map[Clientele]map[lang.Lang]string
	// Sample marks the details that the department's public sources do
	// not give (address, phone, hours, head): the default content shows
	// them as sample data, never as fact.
	Sample bool

	// Version counts the office's saved versions; a save names the
	// version it was edited from, so that of two editors the second
	// gets a conflict instead of erasing the first's change.
	Version int
	// Updated is when the office's data last changed.
	Updated time.Time
}

// TypeOn returns the office's type on day d.
func (o Office) TypeOn(d Date) Type {
	t := o.Type
	for _, c := range o.Changes {
		if !d.Before(c.On) {
			t = c.Type
		}
	}
	return t
}

// StatusOn returns the office's status on day d.
func (o Office) StatusOn(d Date) Status {
	switch {
	case !o.Opened.IsZero() && d.Before(o.Opened):
		return Planned
	case !o.Closed.IsZero() && !d.Before(o.Closed):
		return Closed
	}
	return Open
}
