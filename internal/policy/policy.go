// Package policy is the department's international policy as structured
// data: a policy and its later updates, each a dated document whose
// thrusts hold objectives that hold measures, in French and English. The
// page shows the policy in force and its history. It holds types and
// rules and knows nothing of SQL or HTTP.
//
// The current policy, "Le Québec dans le monde : s'investir, agir,
// prospérer", was launched on 11 April 2017; the 2019 "Vision
// internationale du Québec" updated it (FACTS.md §6).
package policy

import (
	"time"

	"portail/internal/lang"
	"portail/internal/office"
)

// Date is a civil date; the zero Date means "none".
type Date = office.Date

// Kind says what a document is.
type Kind string

// The kinds of document.
const (
	// Policy is a whole international policy: the one in force is the
	// latest launched.
	Policy Kind = "policy"
	// Update is a later document that updates the policy in force when
	// it was launched (the 2019 vision), with its own foundations and
	// priorities.
	Update Kind = "update"
)

// Text is a text in each of the site's languages.
type Text = map[lang.Lang]string

// Measure is one measure of an objective.
type Measure struct {
	// ID names the measure in its URL's anchor, unique in its document.
	ID   string
	Text Text
}

// Objective is one objective of a thrust, with its measures in order.
type Objective struct {
	ID       string
	Text     Text
	Measures []Measure
}

// Thrust is one of the document's thrusts (an update's foundations or
// priorities), with its objectives in order.
type Thrust struct {
	ID         string
	Title      Text
	Text       Text
	Objectives []Objective
}

// Document is a policy or an update of one.
type Document struct {
	// ID names the document for good ("politique-2017").
	ID       string
	Kind     Kind
	Title    Text
	Summary  Text
	Launched Date
	// FromYear and ToYear are the period the document covers (2017 to
	// 2027); zero when not stated.
	FromYear, ToYear int
	// Budget states the funds, as the department words it
	// ("100 M$ sur cinq ans").
	Budget Text
	// URL is the full document's address (https).
	URL     string
	Thrusts []Thrust

	Version int
	Updated time.Time
}
