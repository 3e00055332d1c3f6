package orgchart

import (
	"cmp"
	"slices"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"portail/internal/lang"
)

// Node is a unit in the chart as of one day, with the units under it.
type Node struct {
	Unit Unit
	// Period is the unit's period on that day.
	Period   Period
	Children []*Node
}

// Tree returns the chart as of day d: the top (the unit without a parent
// on d) and the units under it, siblings by Order, then by French name
// in French collation order ("Économie" between "Direction" and
// "Finances", which byte order would put last), then by ID. It returns
// nil when no unit exists on d. Of a chart that Check refuses, it shows
// what the first top reaches.
func Tree(units []Unit, d Date) *Node {
	byID := make(map[string]*Node, len(units))
	var all, tops []*Node
	for _, u := range units {
		p, ok := u.At(d)
		if _, dup := byID[u.ID]; !ok || dup {
			continue
		}
		n := &Node{Unit: u, Period: p}
		byID[u.ID] = n
		all = append(all, n)
	}
	for _, n := range all {
		if n.Period.Parent == "" {
			tops = append(tops, n)
		} else if p, ok := byID[n.Period.Parent]; ok {
			p.Children = append(p.Children, n)
		}
	}
	if len(tops) == 0 {
		return nil
	}
	// A collator keeps buffers: one per call, not shared.
	col := collate.New(language.French)
	order := func(a, b *Node) int {
		if c := cmp.Compare(a.Period.Order, b.Period.Order); c != 0 {
			return c
		}
		if c := col.CompareString(a.Period.Name[lang.FR], b.Period.Name[lang.FR]); c != 0 {
			return c
		}
		return cmp.Compare(a.Unit.ID, b.Unit.ID)
	}
	slices.SortFunc(tops, order)
	for _, n := range all {
		slices.SortFunc(n.Children, order)
	}
	// Each unit has one parent on d, so what the top reaches is a tree.
	return tops[0]
}

// Walk calls fn for n and every node under it, depth first, with its
// depth (0 for n), in the order of the children.
func (n *Node) Walk(fn func(n *Node, depth int)) {
	var walk func(n *Node, depth int)
	walk = func(n *Node, depth int) {
		fn(n, depth)
		for _, c := range n.Children {
			walk(c, depth+1)
		}
	}
	if n != nil {
		walk(n, 0)
	}
}

// ChangeKind is one kind of change of a unit.
type ChangeKind string

// The kinds of change, in the order Change.Kinds lists them.
const (
	Created      ChangeKind = "created" // the unit begins, or begins again after a gap
	Moved        ChangeKind = "moved"   // its parent changed
	Renamed      ChangeKind = "renamed" // its name in either language, or its acronym
	NewHead      ChangeKind = "head"    // its head, or the head's title
	Reclassified ChangeKind = "kind"    // its kind
	Updated      ChangeKind = "details" // its phone, email or order among siblings
	Closed       ChangeKind = "closed"  // the unit ends
)

// Change is what changed in a unit on one day.
type Change struct {
	ID string
	// On is the first day of the new state: for Closed, the day after
	// the unit's last day.
	On    Date
	Kinds []ChangeKind
	// Before is the period that ended on On (zero when Created), After
	// the period that begins on On (zero when Closed).
	Before, After Period
	// Sample is the unit's: a change of a sample unit is sample data.
	Sample bool
}

// Changed returns the changes of units whose day On falls from from to
// to, both included, newest first, then by ID: for each period that
// begins in the range, what differs from the period just before it
// (Created if none ends that day), and for each period that ends in the
// range with none after it that day, Closed. Periods that differ in
// nothing are not a change.
func Changed(units []Unit, from, to Date) []Change {
	in := func(d Date) bool { return !d.IsZero() && !before(d, from) && !before(to, d) }
	var out []Change
	for _, u := range units {
		for i, p := range u.Periods {
			contiguous := i > 0 && u.Periods[i-1].To == p.From
			if in(p.From) {
				c := Change{ID: u.ID, On: p.From, After: p, Sample: u.Sample, Kinds: []ChangeKind{Created}}
				if contiguous {
					c.Before = u.Periods[i-1]
					c.Kinds = differences(c.Before, p)
				}
				if len(c.Kinds) > 0 {
					out = append(out, c)
				}
			}
			if in(p.To) && !(i+1 < len(u.Periods) && u.Periods[i+1].From == p.To) {
				out = append(out, Change{ID: u.ID, On: p.To, Kinds: []ChangeKind{Closed}, Before: p, Sample: u.Sample})
			}
		}
	}
	slices.SortStableFunc(out, func(a, b Change) int {
		if c := compareDates(b.On, a.On); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return out
}

// differences lists what differs from a to b.
func differences(a, b Period) []ChangeKind {
	var ks []ChangeKind
	if a.Parent != b.Parent {
		ks = append(ks, Moved)
	}
	if !sameText(a.Name, b.Name) || a.Acronym != b.Acronym {
		ks = append(ks, Renamed)
	}
	if a.Head.Name != b.Head.Name || !sameText(a.Head.Title, b.Head.Title) {
		ks = append(ks, NewHead)
	}
	if a.Kind != b.Kind {
		ks = append(ks, Reclassified)
	}
	if a.Phone != b.Phone || a.Email != b.Email || a.Order != b.Order {
		ks = append(ks, Updated)
	}
	return ks
}

// sameText reports whether two bilingual texts say the same in French
// and English, a missing language being "".
func sameText(a, b map[lang.Lang]string) bool {
	return a[lang.FR] == b[lang.FR] && a[lang.EN] == b[lang.EN]
}

// samePeriod reports whether a and b differ in nothing but their dates.
func samePeriod(a, b Period) bool {
	return len(differences(a, b)) == 0
}
