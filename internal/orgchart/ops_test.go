package orgchart

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"portail/internal/lang"
)

// periods writes a unit's periods as "[from, to) parent name; …".
func periods(u Unit) string {
	var s []string
	for _, p := range u.Periods {
		line := fmt.Sprintf("[%s, %s) %s %s %s", p.From, p.To, p.Parent, p.Name[lang.FR], p.Head.Name)
		if p.Phone != "" || p.Email != "" || p.Order != 0 {
			line += fmt.Sprintf(" %s %s %d", p.Phone, p.Email, p.Order)
		}
		s = append(s, line)
	}
	return strings.Join(s, "; ")
}

func TestOperations(t *testing.T) {
	// Under a from 2000, renamed on 2010, a move to c planned for 2030.
	base := func() Unit {
		p := per("2000-01-01", "2010-01-01", "a")
		q := per("2010-01-01", "2030-01-01", "a")
		q.Name = bi("Nouveau nom", "")
		r := clonePeriod(q)
		r.From, r.To, r.Parent = day("2030-01-01"), Date{}, "c"
		return unit("u", p, q, r)
	}
	newName := bi("Autre nom", "Other name")
	for _, tc := range []struct {
		name string
		op   func(Unit) (Unit, error)
		want string
	}{
		{"move within a period, up to the move planned", func(u Unit) (Unit, error) { return Move(u, "b", day("2005-06-01")) },
			"[2000-01-01, 2005-06-01) a Direction sous a ; [2005-06-01, 2010-01-01) b Direction sous a ; [2010-01-01, 2030-01-01) b Nouveau nom ; [2030-01-01, ) c Nouveau nom "},
		{"move on a period's first day", func(u Unit) (Unit, error) { return Move(u, "b", day("2010-01-01")) },
			"[2000-01-01, 2010-01-01) a Direction sous a ; [2010-01-01, 2030-01-01) b Nouveau nom ; [2030-01-01, ) c Nouveau nom "},
		{"move to the parent it has: nothing changes", func(u Unit) (Unit, error) { return Move(u, "a", day("2005-06-01")) },
			"[2000-01-01, 2010-01-01) a Direction sous a ; [2010-01-01, 2030-01-01) a Nouveau nom ; [2030-01-01, ) c Nouveau nom "},
		{"move the planned move back: merged", func(u Unit) (Unit, error) { return Move(u, "a", day("2030-01-01")) },
			"[2000-01-01, 2010-01-01) a Direction sous a ; [2010-01-01, ) a Nouveau nom "},
		{"move in the last period", func(u Unit) (Unit, error) { return Move(u, "d", day("2040-01-01")) },
			"[2000-01-01, 2010-01-01) a Direction sous a ; [2010-01-01, 2030-01-01) a Nouveau nom ; [2030-01-01, 2040-01-01) c Nouveau nom ; [2040-01-01, ) d Nouveau nom "},
		{"rename before a rename: stops there", func(u Unit) (Unit, error) { return Rename(u, newName, "AN", day("2001-01-01")) },
			"[2000-01-01, 2001-01-01) a Direction sous a ; [2001-01-01, 2010-01-01) a Autre nom ; [2010-01-01, 2030-01-01) a Nouveau nom ; [2030-01-01, ) c Nouveau nom "},
		{"rename carries across the planned move", func(u Unit) (Unit, error) { return Rename(u, newName, "", day("2020-01-01")) },
			"[2000-01-01, 2010-01-01) a Direction sous a ; [2010-01-01, 2020-01-01) a Nouveau nom ; [2020-01-01, 2030-01-01) a Autre nom ; [2030-01-01, ) c Autre nom "},
		{"new head from the start", func(u Unit) (Unit, error) {
			return SetHead(u, Head{Name: "À confirmer", Title: bi("Directrice", "Director")}, day("2000-01-01"))
		},
			"[2000-01-01, 2010-01-01) a Direction sous a À confirmer; [2010-01-01, 2030-01-01) a Nouveau nom À confirmer; [2030-01-01, ) c Nouveau nom À confirmer"},
		{"new contact details carry across the planned move", func(u Unit) (Unit, error) {
			return SetContact(u, "418 649-2300", "dc@example.org", 20, day("2020-01-01"))
		},
			"[2000-01-01, 2010-01-01) a Direction sous a ; [2010-01-01, 2020-01-01) a Nouveau nom ; [2020-01-01, 2030-01-01) a Nouveau nom  418 649-2300 dc@example.org 20; [2030-01-01, ) c Nouveau nom  418 649-2300 dc@example.org 20"},
		{"close within a period: the plan is dropped", func(u Unit) (Unit, error) { return Close(u, day("2020-01-01")) },
			"[2000-01-01, 2010-01-01) a Direction sous a ; [2010-01-01, 2020-01-01) a Nouveau nom "},
		{"close on a period's first day", func(u Unit) (Unit, error) { return Close(u, day("2010-01-01")) },
			"[2000-01-01, 2010-01-01) a Direction sous a "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u := base()
			got, err := tc.op(u)
			if err != nil {
				t.Fatal(err)
			}
			if s := periods(got); s != tc.want {
				t.Errorf("got\n%s\nwant\n%s", s, tc.want)
			}
			if err := got.Validate(); err != nil {
				t.Error(err)
			}
			if !reflect.DeepEqual(u, base()) {
				t.Errorf("the operation changed its argument: %s", periods(u))
			}
		})
	}
}

func TestOperationsRefuseDaysWithoutTheUnit(t *testing.T) {
	u := unit("u", per("2000-01-01", "2010-01-01", "a"), per("2012-01-01", "2020-01-01", "a"))
	for _, tc := range []struct {
		name, on, msg string
	}{
		{"no day", "", "no day given"},
		{"before the first", "1999-12-31", "1999-12-31 is before the unit's first day, 2000-01-01"},
		{"in a gap", "2011-01-01", "the unit does not exist on 2011-01-01"},
		{"on the closing day", "2020-01-01", "the unit is closed from 2020-01-01"},
		{"after it closed", "2021-01-01", "the unit is closed from 2020-01-01"},
	} {
		on := day(tc.on)
		for name, op := range map[string]func() (Unit, error){
			"Move":       func() (Unit, error) { return Move(u, "b", on) },
			"Rename":     func() (Unit, error) { return Rename(u, bi("X", ""), "", on) },
			"SetHead":    func() (Unit, error) { return SetHead(u, Head{Name: "X"}, on) },
			"SetContact": func() (Unit, error) { return SetContact(u, "", "x@example.org", 1, on) },
			"Close":      func() (Unit, error) { return Close(u, on) },
		} {
			got, err := op()
			wantProblems(t, err, map[string]string{"on": keyOn})
			if !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("%s, %s: %v, want %q", name, tc.name, err, tc.msg)
			}
			if !reflect.DeepEqual(got, u) {
				t.Errorf("%s, %s: gave %s", name, tc.name, periods(got))
			}
		}
	}
	_, err := Close(u, day("2000-01-01"))
	wantProblems(t, err, map[string]string{"on": keyOn})
	if !strings.Contains(err.Error(), "2000-01-01 is the unit's first day") {
		t.Errorf("closing on the first day: %v", err)
	}
	// A later period's first day closes the unit at the gap before it.
	got, err := Close(u, day("2012-01-01"))
	if err != nil || periods(got) != "[2000-01-01, 2010-01-01) a Direction sous a " {
		t.Errorf("close on a later first day: %s, %v", periods(got), err)
	}
}

// A move under the unit's own descendant is an operation like any
// other; the chart's check refuses it.
func TestMoveUnderADescendantIsRefusedByCheck(t *testing.T) {
	units := []Unit{top(), unit("a", per("2000-01-01", "", "top")), unit("b", per("2000-01-01", "", "a"))}
	moved, err := Move(units[1], "b", day("2026-01-01"))
	if err != nil {
		t.Fatal(err)
	}
	units[1] = moved
	wantProblems(t, CheckChange(units, "a"), map[string]string{"parent": keyCycle})
}
