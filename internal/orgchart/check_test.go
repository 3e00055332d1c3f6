package orgchart

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

// top is the top of the test charts, from 2000 on.
func top() Unit {
	return unit("top", Period{From: day("2000-01-01"), Kind: MinisterOffice, Name: bi("Cabinet", ""), Head: Head{Title: bi("", "")}})
}

func TestCheck(t *testing.T) {
	for _, tc := range []struct {
		name  string
		units []Unit
		want  map[string]string // ChartError's problems, by key
		line  string            // the first of its Lines
	}{
		{name: "valid", units: []Unit{
			top(),
			unit("a", per("2000-01-01", "", "top")),
			unit("b", per("2010-01-01", "2020-01-01", "top"), per("2020-01-01", "", "a")),
			unit("c", per("2015-01-01", "2018-01-01", "b"), per("2018-01-01", "", "a")),
		}},
		{name: "unknown parent", units: []Unit{top(), unit("a", per("2000-01-01", "", "xyz"))},
			want: map[string]string{"units.1.parent": keyParent},
			line: `unit 2 ("a"), period 1, field parent: unknown unit "xyz"`},
		{name: "a unit before its parent", units: []Unit{top(), unit("a", per("2010-01-01", "", "top")), unit("b", per("2005-06-01", "", "a"))},
			want: map[string]string{"units.2.parent": keyParentAbsent}},
		{name: "a parent with a gap", units: []Unit{
			top(),
			unit("a", per("2000-01-01", "2010-01-01", "top"), per("2011-01-01", "", "top")),
			unit("b", per("2005-01-01", "", "a")),
		}, want: map[string]string{"units.2.parent": keyParentAbsent},
			line: `unit 3 ("b"), period 1, field parent: the parent "a" does not exist on 2010-01-01, within the period from 2005-01-01: a unit cannot exist without the unit above it`},
		{name: "a parent that closes first", units: []Unit{top(), unit("a", per("2000-01-01", "2020-01-01", "top")), unit("b", per("2000-01-01", "", "a"))},
			want: map[string]string{"units.2.parent": keyParentAbsent}},
		{name: "two tops", units: []Unit{top(), unit("a", per("2000-01-01", "", "top")), unit("other", Period{From: day("2019-01-01"), To: day("2021-01-01"), Kind: Sector, Name: bi("Autre", "")})},
			want: map[string]string{"units.2.parent": keyTwoRoots},
			line: `unit 3 ("other"), period 1, field parent: a second top of the chart: on 2019-01-01, "top" has no parent either`},
		{name: "tops one after the other", units: []Unit{
			unit("old", Period{From: day("2000-01-01"), To: day("2020-01-01"), Kind: MinisterOffice, Name: bi("Ancien", "")}),
			unit("new", Period{From: day("2020-01-01"), Kind: MinisterOffice, Name: bi("Nouveau", "")}),
			unit("a", per("2000-01-01", "2020-01-01", "old"), per("2020-01-01", "", "new")),
		}},
		{name: "a cycle of two on some days only", units: []Unit{
			top(),
			unit("a", per("2000-01-01", "2010-01-01", "top"), per("2010-01-01", "2012-01-01", "b"), per("2012-01-01", "", "top")),
			unit("b", per("2000-01-01", "2011-01-01", "top"), per("2011-01-01", "", "a")),
		}, want: map[string]string{"units.2.parent": keyCycle},
			line: `unit 3 ("b"), period 2, field parent: on 2011-01-01, the parent "a" puts the unit under itself: "b" → "a" → "b"`},
		{name: "a cycle of three with no top", units: []Unit{
			unit("a", per("2000-01-01", "", "c")),
			unit("b", per("2000-01-01", "", "a")),
			unit("c", per("2000-01-01", "", "b")),
		}, want: map[string]string{"units.0.parent": keyCycle},
			line: `unit 1 ("a"), period 1, field parent: on 2000-01-01, the parent "c" puts the unit under itself: "a" → "c" → "b" → "a"`},
		{name: "an ID twice", units: []Unit{top(), unit("a", per("2000-01-01", "", "top")), unit("a", per("2001-01-01", "", "top"))},
			want: map[string]string{"units.2.id": keyDuplicate}, line: `unit 3 ("a"), field id: "a" is also the ID of unit 2`},
		{name: "a unit that does not validate", units: []Unit{top(), unit("a", per("2000-01-01", "", "nowhere"), per("1999-01-01", "", "top"))},
			want: map[string]string{"units.1.periods.1.from": keyOverlap}},
		{name: "too many units", units: make([]Unit, MaxUnits+1),
			want: map[string]string{"units": keyTooMany}, line: "the chart has 2001 units, more than 2000"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := Check(tc.units)
			if tc.want == nil {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			wantProblems(t, err, tc.want)
			var ce *ChartError
			if !errors.As(err, &ce) {
				t.Fatalf("%T is not a *ChartError", err)
			}
			if tc.line != "" && ce.Lines()[0] != tc.line {
				t.Errorf("line\n%s\nwant\n%s", ce.Lines()[0], tc.line)
			}
			if !strings.HasPrefix(err.Error(), "orgchart: the chart has 1 problem\n") {
				t.Errorf("Error() = %q", err.Error())
			}
		})
	}
}

func TestCheckBoundsItsProblems(t *testing.T) {
	units := []Unit{top()}
	for i := range 80 {
		units = append(units, unit(fmt.Sprintf("u%d", i), per("2000-01-01", "", "nowhere")))
	}
	var ce *ChartError
	if err := Check(units); !errors.As(err, &ce) || len(ce.Problems) != MaxProblems || ce.Omitted != 30 {
		t.Fatalf("%d problems, %d omitted: %v", len(ce.Problems), ce.Omitted, err)
	}
	if ce.Problems[0].ID != "u0" || ce.Problems[MaxProblems-1].ID != "u49" {
		t.Errorf("problems not in the units' order: %s … %s", ce.Problems[0].ID, ce.Problems[MaxProblems-1].ID)
	}
	if lines := ce.Lines(); lines[len(lines)-1] != "… and 30 more problems" {
		t.Errorf("last line %q", lines[len(lines)-1])
	}
	// More periods than the chart may hold are refused before any work.
	big := []Unit{top()}
	for i := range MaxChartPeriods / MaxPeriods {
		u := Unit{ID: fmt.Sprintf("u%d", i)}
		for range MaxPeriods {
			u.Periods = append(u.Periods, Period{})
		}
		big = append(big, u)
	}
	wantProblems(t, Check(big), map[string]string{"units": keyTooMany})
}

func TestCheckChange(t *testing.T) {
	chart := func() []Unit {
		return []Unit{
			top(),
			unit("sector", per("2000-01-01", "", "top")),
			unit("directorate", per("2000-01-01", "", "sector")),
			unit("team", per("2005-01-01", "", "directorate")),
		}
	}
	for _, tc := range []struct {
		name string
		id   string
		edit func(units []Unit)
		want map[string]string
	}{
		{"under its own descendant", "sector", func(us []Unit) {
			us[1], _ = Move(us[1], "team", day("2026-01-01"))
		}, map[string]string{"parent": keyCycle}},
		{"under a unit that does not exist yet", "directorate", func(us []Unit) {
			us[2], _ = Move(us[2], "team", day("2001-01-01"))
		}, map[string]string{"parent": keyParentAbsent}},
		{"under a unit that does not exist", "team", func(us []Unit) {
			us[3], _ = Move(us[3], "ghost", day("2026-01-01"))
		}, map[string]string{"parent": keyParent}},
		{"closed with a unit under it", "directorate", func(us []Unit) {
			us[2], _ = Close(us[2], day("2026-01-01"))
		}, map[string]string{"periods": keyChildren}},
		{"a second top", "sector", func(us []Unit) {
			us[1].Periods[0].Parent = ""
		}, map[string]string{"parent": keyTwoRoots}},
		{"invalid", "team", func(us []Unit) {
			us[3].Periods[0].Phone = "x"
		}, map[string]string{"periods.0.phone": keyPhone}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			units := chart()
			tc.edit(units)
			err := CheckChange(units, tc.id)
			if tc.want == nil {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			wantProblems(t, err, tc.want)
			var ce *ChartError
			if !errors.As(err, &ce) {
				t.Errorf("%v does not wrap the ChartError", err)
			}
		})
	}
	// A new top that takes the old one's place as the first one ends is
	// not a second top; one that overlaps is, for either unit's form.
	units := append(chart(), unit("rival", Period{From: day("2020-01-01"), Kind: MinisterOffice, Name: bi("Rival", "")}))
	wantProblems(t, CheckChange(units, "top"), map[string]string{"parent": keyTwoRoots})
	wantProblems(t, CheckChange(units, "rival"), map[string]string{"parent": keyTwoRoots})
	units[0].Periods[0].To = day("2020-01-01")
	units[1].Periods = append(units[1].Periods, per("2020-01-01", "", "rival"))
	units[1].Periods[0].To = day("2020-01-01")
	if err := CheckChange(units, "rival"); err != nil {
		t.Fatal(err)
	}
}

// naive checks a chart the slow way, day by day: on every day on which
// a period begins or ends, every unit that exists there has its parent
// there, there is at most one top, and going up from every unit ends.
// It returns the keys of the problems found.
func naive(units []Unit) map[string]bool {
	found := map[string]bool{}
	byID := map[string]Unit{}
	for _, u := range units {
		byID[u.ID] = u
	}
	var days []Date
	for _, u := range units {
		for _, p := range u.Periods {
			days = append(days, p.From)
			if !p.To.IsZero() {
				days = append(days, p.To)
			}
		}
	}
	for _, d := range days {
		tops := 0
		for _, u := range units {
			p, ok := u.At(d)
			if !ok {
				continue
			}
			if p.Parent == "" {
				tops++
				continue
			}
			parent, known := byID[p.Parent]
			if !known {
				found[keyParent] = true
				continue
			}
			if _, ok := parent.At(d); !ok {
				found[keyParentAbsent] = true
			}
			// Up from u: more steps than units is a cycle.
			v := u
			for steps := 0; ; steps++ {
				if steps > len(units) {
					found[keyCycle] = true
					break
				}
				q, ok := v.At(d)
				if !ok || q.Parent == "" {
					break
				}
				if v, ok = byID[q.Parent]; !ok {
					break
				}
			}
		}
		if tops > 1 {
			found[keyTwoRoots] = true
		}
	}
	return found
}

// randomChart returns a chart of valid units with random periods and
// parents among a few days and units: most break some rule.
func randomChart(r *rand.Rand) []Unit {
	n := 2 + r.IntN(6)
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("u%d", i)
	}
	units := make([]Unit, n)
	for i := range units {
		units[i].ID = ids[i]
		year := 2000 + r.IntN(3)
		for range 1 + r.IntN(3) {
			p := per(fmt.Sprintf("%d-01-01", year), "", "")
			switch x := r.IntN(10); {
			case x < 2:
				p.Parent = ""
			case x < 3:
				p.Parent = "ghost"
			default:
				p.Parent = ids[r.IntN(n)]
				if p.Parent == ids[i] {
					p.Parent = ""
				}
			}
			if r.IntN(4) == 0 {
				year += r.IntN(2) // a gap, or none
			}
			year += 1 + r.IntN(2)
			p.To = day(fmt.Sprintf("%d-01-01", year))
			units[i].Periods = append(units[i].Periods, p)
		}
		if r.IntN(2) == 0 {
			units[i].Periods[len(units[i].Periods)-1].To = Date{}
		}
	}
	return units
}

// Check finds the same kinds of problem as the day-by-day check, on
// charts of every shape.
func TestCheckAgreesWithNaive(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	kinds := map[string]int{}
	valid := 0
	for range 20000 {
		units := randomChart(r)
		want := naive(units)
		got := map[string]bool{}
		err := Check(units)
		var ce *ChartError
		if err != nil && !errors.As(err, &ce) {
			t.Fatalf("%v is not a ChartError", err)
		}
		if ce != nil {
			for _, p := range ce.Problems {
				got[p.Key] = true
			}
		}
		if !sameKeys(got, want) {
			t.Fatalf("Check found %v, the day-by-day check %v, in\n%s\n%v", keys(got), keys(want), describe(units), err)
		}
		for k := range got {
			kinds[k]++
		}
		if err == nil {
			valid++
		}
	}
	// The charts were of every kind.
	for _, k := range []string{keyParent, keyParentAbsent, keyTwoRoots, keyCycle} {
		if kinds[k] < 100 {
			t.Errorf("only %d charts with %s", kinds[k], k)
		}
	}
	if valid < 100 {
		t.Errorf("only %d valid charts", valid)
	}
	t.Logf("%d valid charts; problems: %v", valid, kinds)
}

func sameKeys(a, b map[string]bool) bool {
	return slices.Equal(keys(a), keys(b))
}

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func describe(units []Unit) string {
	var b strings.Builder
	for _, u := range units {
		fmt.Fprintf(&b, "%s:", u.ID)
		for _, p := range u.Periods {
			fmt.Fprintf(&b, " [%s, %s) under %q;", p.From, p.To, p.Parent)
		}
		b.WriteString("\n")
	}
	return b.String()
}

// benchChart returns a chart of n units with three periods each: a top,
// sectors, directorates and teams, each moving twice between units of
// the level above on days of its own.
func benchChart(n int) []Unit {
	r := rand.New(rand.NewPCG(3, 4))
	units := []Unit{top()}
	levels := [][]string{{"top"}}
	for i := 1; i < n; i++ {
		level := 1
		switch {
		case i > 110:
			level = 3
		case i > 10:
			level = 2
		}
		if len(levels) <= level {
			levels = append(levels, nil)
		}
		above := levels[level-1]
		id := fmt.Sprintf("u%04d", i)
		levels[level] = append(levels[level], id)
		first := day("2000-01-01")
		second := Date{Year: 2005 + r.IntN(10), Month: time.Month(1 + r.IntN(12)), Day: 1 + r.IntN(28)}
		third := Date{Year: 2015 + r.IntN(10), Month: time.Month(1 + r.IntN(12)), Day: 1 + r.IntN(28)}
		u := Unit{ID: id}
		for j, from := range []Date{first, second, third} {
			p := per(from.String(), "", above[r.IntN(len(above))])
			if j < 2 {
				p.To = []Date{second, third}[j]
			}
			u.Periods = append(u.Periods, p)
		}
		units = append(units, u)
	}
	return units
}

func TestBenchChartIsValid(t *testing.T) {
	if err := Check(benchChart(MaxUnits)); err != nil {
		t.Fatal(err)
	}
}

// BenchmarkCheck: go test -run '^$' -bench Check ./internal/orgchart/
func BenchmarkCheck(b *testing.B) {
	for _, n := range []int{1000, MaxUnits} {
		units := benchChart(n)
		b.Run(fmt.Sprintf("units=%d,periods=3", n), func(b *testing.B) {
			for b.Loop() {
				if err := Check(units); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// The worst case of the walks: a chain as deep as the chart may be,
// whose bottom changes parent on many days.
func BenchmarkCheckDeepChain(b *testing.B) {
	units := []Unit{top()}
	for i := 1; i < MaxUnits-1; i++ {
		parent := "top"
		if i > 1 {
			parent = fmt.Sprintf("u%04d", i-1)
		}
		units = append(units, unit(fmt.Sprintf("u%04d", i), per("2000-01-01", "", parent)))
	}
	bottom := Unit{ID: "bottom"}
	for j := range MaxPeriods {
		from := Date{Year: 2000 + j, Month: 1, Day: 1}
		p := per(from.String(), Date{Year: 2001 + j, Month: 1, Day: 1}.String(), fmt.Sprintf("u%04d", MaxUnits-2-j%2))
		bottom.Periods = append(bottom.Periods, p)
	}
	units = append(units, bottom)
	if err := Check(units); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		Check(units)
	}
}
