package orgchart

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"portail/internal/apperr"
)

// MaxProblems bounds the problems that a ChartError or a FileError lists;
// past it they are only counted.
const MaxProblems = 50

// ChartProblem is one thing wrong in a chart.
type ChartProblem struct {
	// Unit is the unit's index in the units given to Check; -1 for the
	// chart as a whole (too many units or periods).
	Unit int
	// ID is the unit's ID.
	ID string
	// Period is the index of the period concerned in the unit's
	// periods; -1 for the unit as a whole.
	Period int
	// Field is the unit's field: a field that Unit.Validate names
	// ("periods.2.name.fr"), or "id" (given twice) or "parent" (a rule
	// of the chart broken by the period's parent); "units" for the chart
	// as a whole.
	Field string
	// Key is the i18n catalogue's message key.
	Key string
	// Related are the IDs of the other units that the problem involves:
	// the parent, the other top of the chart, the units of a cycle.
	Related []string
	// Message says what is wrong in English, for the command line.
	Message string
}

// ChartError is a chart that Check refuses: its problems in the units'
// order, then by period, up to MaxProblems. errors.Is(err,
// apperr.Invalid) holds, and apperr.ProblemsOf gives the problems keyed
// "units.<index>.<field>" ("units.3.parent", "units.0.periods.1.name.fr"),
// or "units" for the chart as a whole: the index rather than the ID,
// because an ID may be the problem (missing, malformed, given twice).
type ChartError struct {
	Problems []ChartProblem
	// Omitted counts the problems found past MaxProblems.
	Omitted int
}

// Lines returns one line per problem, such as `unit 4 ("dgaf"), period
// 2, field parent: unknown unit "xyz"`.
func (e *ChartError) Lines() []string {
	lines := make([]string, 0, len(e.Problems)+1)
	for _, p := range e.Problems {
		var b strings.Builder
		if p.Unit >= 0 {
			fmt.Fprintf(&b, "unit %d (%q)", p.Unit+1, p.ID)
			if p.Period >= 0 {
				fmt.Fprintf(&b, ", period %d", p.Period+1)
			}
			b.WriteString(", field " + p.Field + ": ")
		}
		b.WriteString(p.Message)
		lines = append(lines, b.String())
	}
	if e.Omitted > 0 {
		lines = append(lines, fmt.Sprintf("… and %d more problems", e.Omitted))
	}
	return lines
}

// Error returns a first line that counts the problems, then one line per
// problem.
func (e *ChartError) Error() string {
	n := len(e.Problems) + e.Omitted
	head := "orgchart: the chart has 1 problem"
	if n != 1 {
		head = fmt.Sprintf("orgchart: the chart has %d problems", n)
	}
	return head + "\n" + strings.Join(e.Lines(), "\n")
}

// Unwrap gives the error's kind and problems to apperr.KindOf,
// apperr.ProblemsOf and errors.Is.
func (e *ChartError) Unwrap() error {
	p := apperr.Problems{}
	for _, pr := range e.Problems {
		if pr.Unit < 0 {
			p.Add("units", pr.Key)
		} else {
			p.Add("units."+strconv.Itoa(pr.Unit)+"."+pr.Field, pr.Key)
		}
	}
	return &apperr.Error{Kind: apperr.Invalid, Msg: "organization chart", Problems: p}
}

// Check checks a whole chart, as every write of the store does with the
// chart it would leave:
//   - at most MaxUnits units and MaxChartPeriods periods, counted before
//     any other work;
//   - every unit valid (Unit.Validate), each ID given once;
//   - every period's parent is a unit of the chart ("unknown unit") that
//     exists over the whole period: a unit cannot outlive the unit above
//     it, nor exist before it;
//   - at most one unit without a parent on any day: the top of the
//     chart;
//   - no cycle on any day: going up from any unit ends at the top.
//
// Together these mean that on every day on which any unit exists, there
// is exactly one top and every unit is under it.
//
// The chart rules are checked only when every unit is valid and every ID
// unique, since they read periods in order and parents by ID. Problems
// name the unit by its index in units (see ChartError).
//
// The work is bounded by the limits: O(p log p) for the p periods, to
// sort and search them, plus the walks up the chart. A cycle can only
// appear on a day on which a period starts (the latest start among the
// periods of its units): Check walks up from each unit on each day on
// which one of its periods starts, and a walk stops at a unit already
// walked from on that day, so each day costs at most one step per unit.
func Check(units []Unit) error {
	var ps chartProblems
	if len(units) > MaxUnits {
		ps.add(ChartProblem{Unit: -1, Period: -1, Field: "units", Key: keyTooMany,
			Message: fmt.Sprintf("the chart has %d units, more than %d", len(units), MaxUnits)})
		return ps.err()
	}
	total := 0
	for i := range units {
		total += len(units[i].Periods)
	}
	if total > MaxChartPeriods {
		ps.add(ChartProblem{Unit: -1, Period: -1, Field: "units", Key: keyTooMany,
			Message: fmt.Sprintf("the chart has %d periods, more than %d", total, MaxChartPeriods)})
		return ps.err()
	}
	index := make(map[string]int, len(units))
	for i := range units {
		u := &units[i]
		if err := u.Validate(); err != nil {
			vp := apperr.ProblemsOf(err)
			for _, field := range slices.SortedFunc(maps.Keys(vp), compareFields) {
				ps.add(ChartProblem{Unit: i, ID: u.ID, Period: periodIndex(field), Field: field, Key: vp[field], Message: explain(u, field, vp[field])})
			}
		}
		if j, ok := index[u.ID]; ok {
			if ValidID(u.ID) {
				ps.add(ChartProblem{Unit: i, ID: u.ID, Period: -1, Field: "id", Key: keyDuplicate,
					Message: fmt.Sprintf("%q is also the ID of unit %d", u.ID, j+1)})
			}
		} else {
			index[u.ID] = i
		}
	}
	if ps.found() {
		return ps.err()
	}
	c := newChart(units, index, &ps)
	c.parents()
	c.roots()
	c.cycles()
	return ps.err()
}

// CheckChange checks the chart units in which the unit id has just been
// added or changed, as Check does, and keys the problems for that unit's
// form: Validate's fields, and "parent" for a parent that is unknown,
// absent over one of its periods, a second top of the chart or a cycle
// through the unit (a move under its own descendant). A problem of
// another unit that the change made is keyed "parent" for a cycle or a
// second top the unit takes part in, and "periods" (form.orgunit.children)
// for a unit under it that it no longer covers: it cannot close, or
// start later, while units under it still exist. The store's chart
// passed Check before the change, so every problem comes from it;
// should one not involve the unit, it is keyed "units". The error wraps
// the ChartError, for its messages.
func CheckChange(units []Unit, id string) error {
	err := Check(units)
	var ce *ChartError
	if !errors.As(err, &ce) {
		return err
	}
	p := apperr.Problems{}
	for _, pr := range ce.Problems {
		switch {
		case pr.Unit >= 0 && pr.ID == id:
			p.Add(pr.Field, pr.Key)
		case pr.Unit < 0:
			p.Add("id", pr.Key)
		case slices.Contains(pr.Related, id) && (pr.Key == keyCycle || pr.Key == keyTwoRoots):
			p.Add("parent", pr.Key)
		case slices.Contains(pr.Related, id):
			p.Add("periods", keyChildren)
		default:
			p.Add("units", pr.Key)
		}
	}
	return &apperr.Error{Kind: apperr.Invalid, Msg: fmt.Sprintf("unit %q", id), Problems: p, Err: ce}
}

// chartProblems collects a chart's problems.
type chartProblems struct {
	list    []ChartProblem
	omitted int
}

// add keeps up to MaxProblems of the problems that come in order (the
// units' own, in the units' order); the chart's rules find theirs out of
// order, and keep them all, to sort them (at most a few per period).
func (ps *chartProblems) add(p ChartProblem) {
	if len(ps.list) < MaxProblems {
		ps.list = append(ps.list, p)
	} else {
		ps.omitted++
	}
}

func (ps *chartProblems) found() bool { return len(ps.list) > 0 }

func (ps *chartProblems) err() error {
	if len(ps.list) == 0 {
		return nil
	}
	slices.SortStableFunc(ps.list, func(a, b ChartProblem) int {
		if c := cmp.Compare(a.Unit, b.Unit); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Period, b.Period); c != 0 {
			return c
		}
		return compareFields(a.Field, b.Field)
	})
	list, omitted := ps.list, ps.omitted
	if len(list) > MaxProblems {
		list, omitted = list[:MaxProblems], omitted+len(list)-MaxProblems
	}
	return &ChartError{Problems: list, Omitted: omitted}
}

// chart checks the rules between units, once each unit is valid and each
// ID unique.
type chart struct {
	units []Unit
	index map[string]int
	ps    *chartProblems
	// up[i][j] is the index of the parent of unit i in its period j, -1
	// for none or an unknown one; from[i][j] and to[i][j] are its days
	// as dayKeys, to[i][j] openEnd for none: the walks up the chart read
	// these rather than the map of IDs and the Dates.
	up       [][]int
	from, to [][]int32
}

// openEnd is the dayKey of no end, after every day.
const openEnd = math.MaxInt32

// dayKey numbers a valid Date so that days compare as their numbers.
func dayKey(d Date) int32 { return int32(d.Year)<<9 | int32(d.Month)<<5 | int32(d.Day) }

func newChart(units []Unit, index map[string]int, ps *chartProblems) *chart {
	c := &chart{units: units, index: index, ps: ps,
		up: make([][]int, len(units)), from: make([][]int32, len(units)), to: make([][]int32, len(units))}
	for i := range units {
		n := len(units[i].Periods)
		c.up[i], c.from[i], c.to[i] = make([]int, n), make([]int32, n), make([]int32, n)
		for j, p := range units[i].Periods {
			c.up[i][j] = -1
			if k, ok := index[p.Parent]; ok && p.Parent != "" {
				c.up[i][j] = k
			}
			c.from[i][j], c.to[i][j] = dayKey(p.From), openEnd
			if !p.To.IsZero() {
				c.to[i][j] = dayKey(p.To)
			}
		}
	}
	return c
}

// at returns the index of unit i's period that covers day k, or -1.
func (c *chart) at(i int, k int32) int {
	from := c.from[i]
	// The first period that starts after k; the one before may cover it.
	lo, hi := 0, len(from)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if k < from[m] {
			hi = m
		} else {
			lo = m + 1
		}
	}
	if lo > 0 && k < c.to[i][lo-1] {
		return lo - 1
	}
	return -1
}

// problem records a problem of the chart's rules: all are kept, to be
// sorted (see chartProblems.add).
func (c *chart) problem(unit, period int, key string, related []string, format string, args ...any) {
	c.ps.list = append(c.ps.list, ChartProblem{Unit: unit, ID: c.units[unit].ID, Period: period, Field: "parent",
		Key: key, Related: related, Message: fmt.Sprintf(format, args...)})
}

// parents checks that each period's parent exists over the whole period.
func (c *chart) parents() {
	for i := range c.units {
		for j, p := range c.units[i].Periods {
			if p.Parent == "" {
				continue
			}
			k := c.up[i][j]
			if k < 0 {
				c.problem(i, j, keyParent, []string{p.Parent}, "unknown unit %q", p.Parent)
				continue
			}
			if d, gap := c.uncovered(k, i, j); gap {
				c.problem(i, j, keyParentAbsent, []string{p.Parent},
					"the parent %q does not exist on %s, within the period %s: a unit cannot exist without the unit above it", p.Parent, d, span(p))
			}
		}
	}
}

// uncovered returns the first day of unit i's period j that none of
// unit k's periods covers, if there is one.
func (c *chart) uncovered(k, i, j int) (Date, bool) {
	d, to := c.units[i].Periods[j].From, c.to[i][j]
	for {
		n := c.at(k, dayKey(d))
		if n < 0 {
			return d, true
		}
		if c.to[k][n] >= to {
			return Date{}, false
		}
		d = c.units[k].Periods[n].To
	}
}

// at names one period of one unit.
type at struct{ unit, period int }

// roots checks that no two periods without a parent overlap.
func (c *chart) roots() {
	var roots []at
	for i := range c.units {
		for j, p := range c.units[i].Periods {
			if p.Parent == "" {
				roots = append(roots, at{i, j})
			}
		}
	}
	period := func(a at) Period { return c.units[a.unit].Periods[a.period] }
	slices.SortFunc(roots, func(a, b at) int {
		if c := compareDates(period(a).From, period(b).From); c != 0 {
			return c
		}
		return cmp.Compare(a.unit, b.unit)
	})
	// top is the root period seen so far that ends last.
	var top at
	for n, r := range roots {
		p := period(r)
		if n > 0 {
			t := period(top)
			if endsAfter(t.To, p.From) {
				other := c.units[top.unit].ID
				c.problem(r.unit, r.period, keyTwoRoots, []string{other},
					"a second top of the chart: on %s, %q has no parent either", p.From, other)
				if compareEnds(p.To, t.To) <= 0 {
					continue
				}
			}
		}
		top = r
	}
}

// cycles checks that going up from any unit on any day ends at the top
// (see Check for why the days on which periods start suffice).
func (c *chart) cycles() {
	type edge struct {
		at
		from int32
	}
	var edges []edge
	for i := range c.units {
		for j, k := range c.up[i] {
			if k >= 0 {
				edges = append(edges, edge{at{i, j}, c.from[i][j]})
			}
		}
	}
	slices.SortFunc(edges, func(a, b edge) int { return cmp.Compare(a.from, b.from) })
	n := len(c.units)
	// mark[v] is the last walk that went through v; done[v] the last day
	// (counted from 1) on which a walk went through v to its end.
	mark, done := make([]int, n), make([]int, n)
	reported := map[string]bool{}
	var path []int
	walk, day := 0, 0
	for g := 0; g < len(edges); {
		d := edges[g].from
		day++
		for ; g < len(edges) && edges[g].from == d; g++ {
			e := edges[g]
			walk++
			path = path[:0]
			// Each step marks a unit not yet marked in this walk, or
			// stops: at most n steps.
			for v := e.unit; ; {
				if done[v] == day {
					break
				}
				if mark[v] == walk {
					c.cycle(e.at, path[slices.Index(path, v):], reported)
					break
				}
				mark[v] = walk
				path = append(path, v)
				k := c.at(v, d)
				if k < 0 {
					break // reported by parents
				}
				if v = c.up[v][k]; v < 0 {
					break // the top, or reported by parents
				}
			}
			for _, v := range path {
				done[v] = day
			}
		}
	}
}

// maxCycleNames bounds the units that a cycle's message lists.
const maxCycleNames = 8

// cycle reports the cycle of units cyc found on the day on which the
// period start begins, once per set of units: on start's unit if it is
// in the cycle, else on the cycle's first unit.
func (c *chart) cycle(start at, cyc []int, reported map[string]bool) {
	d := c.units[start.unit].Periods[start.period].From
	ids := make([]string, len(cyc))
	for i, v := range cyc {
		ids[i] = c.units[v].ID
	}
	key := strings.Join(slices.Sorted(slices.Values(ids)), " ")
	if reported[key] {
		return
	}
	reported[key] = true
	first := slices.Index(cyc, start.unit)
	blame := start
	if first < 0 {
		first = 0
		blame = at{cyc[0], c.at(cyc[0], dayKey(d))}
	}
	// The units from the blamed one, around to it again.
	names := make([]string, 0, maxCycleNames+2)
	for i := range len(ids) {
		if i == maxCycleNames {
			names = append(names, "…")
			break
		}
		names = append(names, strconv.Quote(ids[(first+i)%len(ids)]))
	}
	names = append(names, strconv.Quote(ids[first]))
	p := c.units[blame.unit].Periods[blame.period]
	c.problem(blame.unit, blame.period, keyCycle, ids,
		"on %s, the parent %q puts the unit under itself: %s", d, p.Parent, strings.Join(names, " → "))
}
