package orgchart

import (
	"fmt"
	"maps"
	"slices"

	"portail/internal/apperr"
	"portail/internal/lang"
)

// The operations below are the staff side's changes of a unit from a
// day on. Each returns a new Unit (u and its maps are left as they are)
// whose period covering on is split at on, the part from on changed, or
// changed in place when on is its first day. The change carries on into
// the periods after it, up to the first that had already changed the
// same thing (a later move, rename or head planned ahead), so that a
// move today is not undone by a rename planned for next month.
// Consecutive periods left equal are merged into one. They refuse a day
// on which the unit does not exist: before its first period, after it
// closed, or in a gap between periods, with apperr.Invalid and the
// problem "on" (form.orgunit.on). They check nothing else: the store
// checks the unit and the whole chart when it saves the result
// (Unit.Validate, CheckChange).

// Move returns u under the unit parent from day on.
func Move(u Unit, parent string, on Date) (Unit, error) {
	return edit(u, on,
		func(a, b Period) bool { return a.Parent == b.Parent },
		func(p *Period) { p.Parent = parent })
}

// Rename returns u with the names and acronym given from day on.
func Rename(u Unit, name map[lang.Lang]string, acronym string, on Date) (Unit, error) {
	return edit(u, on,
		func(a, b Period) bool { return sameText(a.Name, b.Name) && a.Acronym == b.Acronym },
		func(p *Period) { p.Name, p.Acronym = maps.Clone(name), acronym })
}

// SetHead returns u headed by h from day on.
func SetHead(u Unit, h Head, on Date) (Unit, error) {
	return edit(u, on,
		func(a, b Period) bool { return a.Head.Name == b.Head.Name && sameText(a.Head.Title, b.Head.Title) },
		func(p *Period) { p.Head = Head{Name: h.Name, Title: maps.Clone(h.Title)} })
}

// SetContact returns u with the telephone number, email address and
// order among its siblings given, from day on: they change together, as
// one "details" change of the chart (Updated).
func SetContact(u Unit, phone, email string, order int, on Date) (Unit, error) {
	return edit(u, on,
		func(a, b Period) bool { return a.Phone == b.Phone && a.Email == b.Email && a.Order == b.Order },
		func(p *Period) { p.Phone, p.Email, p.Order = phone, email, order })
}

// Close returns u ending on the day before on: the unit does not exist
// from on, and any period planned after on is dropped. A unit cannot
// close on its first day, which would leave it no period.
func Close(u Unit, on Date) (Unit, error) {
	k, err := covering(u, on)
	if err != nil {
		return u, err
	}
	out := clone(u)
	switch {
	case out.Periods[k].From != on:
		out.Periods[k].To = on
		out.Periods = out.Periods[:k+1]
	case k > 0:
		out.Periods = out.Periods[:k]
	default:
		return u, onProblem(u.ID, fmt.Sprintf("%s is the unit's first day: closing it then would leave it no period", on))
	}
	return out, nil
}

// edit changes, with set, the period covering on from on, and the
// periods after it whose value (compared with same) was the one it had.
func edit(u Unit, on Date, same func(a, b Period) bool, set func(*Period)) (Unit, error) {
	k, err := covering(u, on)
	if err != nil {
		return u, err
	}
	out := clone(u)
	ps := out.Periods
	old := ps[k]
	if ps[k].From != on {
		tail := clonePeriod(ps[k])
		tail.From = on
		ps[k].To = on
		ps = slices.Insert(ps, k+1, tail)
		k++
	}
	set(&ps[k])
	for j := k + 1; j < len(ps) && ps[j].From == ps[j-1].To && same(ps[j], old); j++ {
		set(&ps[j])
	}
	out.Periods = merge(ps)
	return out, nil
}

// covering returns the index of u's period that covers on, or the error
// that says why there is none.
func covering(u Unit, on Date) (int, error) {
	if on.IsZero() {
		return -1, onProblem(u.ID, "no day given")
	}
	for i, p := range u.Periods {
		if p.covers(on) {
			return i, nil
		}
	}
	switch {
	case len(u.Periods) == 0:
		return -1, onProblem(u.ID, "the unit has no period")
	case before(on, u.Periods[0].From):
		return -1, onProblem(u.ID, fmt.Sprintf("%s is before the unit's first day, %s", on, u.Periods[0].From))
	}
	last := u.Periods[len(u.Periods)-1]
	if !last.To.IsZero() && !before(on, last.To) {
		return -1, onProblem(u.ID, fmt.Sprintf("the unit is closed from %s", last.To))
	}
	return -1, onProblem(u.ID, fmt.Sprintf("the unit does not exist on %s", on))
}

func onProblem(id, msg string) error {
	return &apperr.Error{Kind: apperr.Invalid, Msg: fmt.Sprintf("unit %q: %s", id, msg), Problems: map[string]string{"on": keyOn}}
}

// merge joins consecutive periods that follow each other without a gap
// and differ in nothing else.
func merge(ps []Period) []Period {
	out := ps[:0]
	for _, p := range ps {
		if n := len(out); n > 0 && out[n-1].To == p.From && samePeriod(out[n-1], p) {
			out[n-1].To = p.To
			continue
		}
		out = append(out, p)
	}
	return out
}

// clone returns u with periods and maps of its own.
func clone(u Unit) Unit {
	out := u
	out.Periods = make([]Period, len(u.Periods))
	for i, p := range u.Periods {
		out.Periods[i] = clonePeriod(p)
	}
	return out
}

func clonePeriod(p Period) Period {
	p.Name = maps.Clone(p.Name)
	p.Head.Title = maps.Clone(p.Head.Title)
	return p
}
