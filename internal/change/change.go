// Package change defines the records of the change feed: every write that
// changes what the public site shows appends one, in its transaction, and
// every instance follows them to refresh what it serves.
package change

import "time"

// Topic names what kind of public thing changed.
type Topic string

// The topics. Key says which thing of the topic changed.
const (
	// Start is the record that a database's migration writes so that
	// every instance on it starts from the same point; Key is empty. Its
	// time is that of the newest publication the database held then.
	Start Topic = "start"
	// Page: a page's public translation in some language was published,
	// withdrawn or given a reserved path. Key is the page key. Every
	// public page shows the navigation and its children's cards, so a
	// page change may change any page.
	Page Topic = "page"
	// File: a public file was published or withdrawn. Key is its ID.
	File Topic = "file"
	// Nav: the navigation changed (a section's labels or order, a new
	// section, a footer link). Key is the section's key or "footer".
	Nav Topic = "nav"
	// Office: an office of the directory abroad was added, changed or
	// removed. Key is its slug, or "*" when an import replaced them.
	Office Topic = "office"
	// OrgUnit: a unit of the organization chart changed. Key is its ID,
	// or "*" when an import replaced the chart.
	OrgUnit Topic = "orgunit"
	// Policy: a document of the international policy changed. Key is
	// its ID.
	Policy Topic = "policy"
)

// Change is one record of the feed.
type Change struct {
	// Seq orders the records: each is greater than every earlier one's.
	Seq int64
	// At is when the change was committed, by the store's clock; it never
	// goes back from one record to the next, so it can serve as the
	// Last-Modified of what the change produced.
	At    time.Time
	Topic Topic
	Key   string
}
