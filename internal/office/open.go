package office

import (
	"fmt"
	"math"
	"time"
)

// Whether an office is open at an instant. The rules are the product's
// own:
//
//   - Hours are wall-clock times in the office's zone. A span is open from
//     the first instant the office's clocks read its opening time to the
//     first instant they read its closing time (see at for the days
//     clocks change).
//   - Spans that touch are one stretch: a day open until 24:00 and the
//     next open from 00:00 do not close at midnight.
//   - A closure (From..To, local dates) closes its days whole, and so do
//     the days before Opened and from Closed on.

// horizonDays bounds the search for the next change. A day costs a few
// integer comparisons unless the office opens that day, so one bound
// long enough for a closure of many months keeps every call cheap.
const horizonDays = 400

// State is an office's state at an instant, in its own zone.
type State struct {
	// Local is the instant in the office's zone.
	Local time.Time
	Open  bool
	// Next is when the state next changes (it closes, or opens); zero if
	// that is not within horizonDays days (no hours, a long closure, or
	// open throughout).
	Next time.Time
	// Closure is today's holiday or exceptional closure, if any.
	Closure *Closure

	hours bool // the office publishes opening hours
}

// StateAt returns the office's state at now. Its only error is an invalid
// time zone.
func (o Office) StateAt(now time.Time) (State, error) {
	loc, err := LoadZone(o.TimeZone)
	if err != nil {
		return State{}, fmt.Errorf("office: %s: %w", o.Slug, err)
	}
	s := State{Local: now.In(loc)}
	today := dayNumber(DateOf(s.Local))
	cal := o.calendar()
	if i := cal.closure(today); i >= 0 {
		c := o.Closures[i]
		s.Closure = &c
	}
	// Hours that Validate refuses could be out of order, which the walk
	// below relies on; such a day is taken as closed.
	var week Week
	for d, spans := range o.Hours {
		if validSpans(spans) && len(spans) > 0 {
			week[d] = spans
			s.hours = true
		}
	}
	if !s.hours {
		return s, nil
	}
	// Walk the spans in order from yesterday, whose last span may be the
	// start of a stretch that is still open.
	var runEnd time.Time
	for day := today - 1; day <= today+horizonDays; day++ {
		spans := week[weekdayOf(day)]
		if len(spans) == 0 || cal.closed(day) {
			continue
		}
		d := dateOfDay(day)
		for _, sp := range spans {
			start, end := at(d, sp.Open, loc), at(d, sp.Close, loc)
			switch {
			case !start.Before(end): // wholly within the hour clocks skip
			case s.Open:
				if start.After(runEnd) {
					s.Next = runEnd
					return s, nil
				}
				runEnd = later(runEnd, end)
			case !end.After(now):
			case !start.After(now):
				s.Open, runEnd = true, end
			default:
				s.Next = start
				return s, nil
			}
		}
	}
	// Open until the horizon: the stretch may go on past it, unless it
	// ended before the horizon's last midnight.
	if s.Open && runEnd.Before(at(dateOfDay(today+horizonDays+1), 0, loc)) {
		s.Next = runEnd
	}
	return s, nil
}

// NextChange returns the earliest instant after now at which the state
// of one of offices, or the sentence Summary writes for it, changes: its
// Next, or its next local midnight when the sentence names a day ("ouvre
// demain") or today's closure. It is zero if nothing changes within the
// horizon; offices with an invalid zone are left out. A page cache
// expires its entries then.
func NextChange(offices []Office, now time.Time) time.Time {
	var next time.Time
	for _, o := range offices {
		s, err := o.StateAt(now)
		if err != nil {
			continue
		}
		t := s.Next
		if s.Closure != nil || !t.IsZero() && s.daysAhead(t) > 0 {
			loc := s.Local.Location()
			t = earliest(t, at(dateOfDay(dayNumber(DateOf(s.Local))+1), 0, loc))
		}
		next = earliest(next, t)
	}
	return next
}

// at returns the first instant at which the clocks of loc read minute m
// of day d (24×60 is the next day's midnight). On most days that is
// time.Date's answer. On a day the clocks skip the time, it is the
// instant they skip; on a day they read it twice, it is the first time.
// time.Date picks either side of a change depending on the zone (in New
// York 02:30 on the day clocks go forward is 01:30 EST, in Paris it is
// 03:30 CEST), and the choice here keeps later times later instants in
// every zone, so that spans stay in order and never overlap.
func at(d Date, m int, loc *time.Location) time.Time {
	want := time.Date(d.Year, d.Month, d.Day, 0, m, 0, 0, time.UTC)
	t := time.Date(d.Year, d.Month, d.Day, 0, m, 0, 0, loc)
	start, end := t.ZoneBounds()
	// The time can only be read in t's zone period or the ones either
	// side of it.
	offsets := make([]int, 1, 3)
	_, offsets[0] = t.Zone()
	if !start.IsZero() {
		_, off := start.Add(-time.Nanosecond).Zone()
		offsets = append(offsets, off)
	}
	if !end.IsZero() {
		_, off := end.Zone()
		offsets = append(offsets, off)
	}
	var first time.Time
	for _, off := range offsets {
		c := time.Unix(want.Unix()-int64(off), 0).In(loc)
		if wall(c).Equal(want) && (first.IsZero() || c.Before(first)) {
			first = c
		}
	}
	switch {
	case !first.IsZero():
		return first
	case wall(t).After(want) && !start.IsZero(): // skipped: t is after the jump
		return start
	case !end.IsZero(): // skipped: t is before the jump
		return end
	}
	return t
}

// wall returns t's clock reading as a UTC time, to compare readings.
func wall(t time.Time) time.Time {
	y, mo, d := t.Date()
	h, mi, s := t.Clock()
	return time.Date(y, mo, d, h, mi, s, 0, time.UTC)
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// earliest returns the earlier of a and b, a zero time counting as none.
func earliest(a, b time.Time) time.Time {
	if a.IsZero() || !b.IsZero() && b.Before(a) {
		return b
	}
	return a
}

// A day number counts days from 1970-01-01, so that walking days and
// comparing dates is integer arithmetic.
func dayNumber(d Date) int {
	return int(time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

func dateOfDay(n int) Date { return DateOf(time.Unix(int64(n)*86400, 0).UTC()) }

func weekdayOf(n int) time.Weekday { return time.Weekday(((n+4)%7 + 7) % 7) } // 1970-01-01 was a Thursday

// calendar is an office's closed days as day numbers.
type calendar struct {
	closures    [][2]int // From, To inclusive; index as in Office.Closures
	from, until int      // open on from ≤ day < until
}

func (o Office) calendar() calendar {
	c := calendar{closures: make([][2]int, len(o.Closures)), from: math.MinInt, until: math.MaxInt}
	for i, cl := range o.Closures {
		c.closures[i] = [2]int{dayNumber(cl.From), dayNumber(cl.To)}
		if cl.From.IsZero() || cl.To.IsZero() {
			c.closures[i] = [2]int{1, 0} // Validate refuses it; closes nothing
		}
	}
	if !o.Opened.IsZero() {
		c.from = dayNumber(o.Opened)
	}
	if !o.Closed.IsZero() {
		c.until = dayNumber(o.Closed)
	}
	return c
}

// closure returns the index of the first closure that covers day, or -1.
func (c calendar) closure(day int) int {
	for i, r := range c.closures {
		if r[0] <= day && day <= r[1] {
			return i
		}
	}
	return -1
}

func (c calendar) closed(day int) bool {
	return day < c.from || day >= c.until || c.closure(day) >= 0
}
