package orgchart

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"portail/internal/lang"
)

// outline writes a tree one node a line, indented by depth.
func outline(n *Node) string {
	var b strings.Builder
	n.Walk(func(n *Node, depth int) {
		fmt.Fprintf(&b, "%s%s\n", strings.Repeat("  ", depth), n.Unit.ID)
	})
	return b.String()
}

func namedUnit(id, parent, fr string, order int, from, to string) Unit {
	p := per(from, to, parent)
	p.Name, p.Order = bi(fr, ""), order
	return unit(id, p)
}

func TestTree(t *testing.T) {
	units := []Unit{
		namedUnit("f", "top", "Finances", 0, "2000-01-01", ""),
		namedUnit("e", "top", "Économie", 0, "2000-01-01", ""),
		namedUnit("d", "top", "direction", 0, "2000-01-01", ""),
		namedUnit("z", "top", "Zèbre", -1, "2000-01-01", ""), // first by order
		namedUnit("e2", "top", "Économie", 0, "2000-01-01", ""),
		namedUnit("later", "e", "Plus tard", 0, "2020-01-01", ""),
		namedUnit("gone", "e", "Fermée", 0, "2000-01-01", "2010-01-01"),
		top(),
	}
	want := `top
  z
  d
  e
    gone
  e2
  f
`
	if got := outline(Tree(units, day("2005-06-01"))); got != want {
		t.Errorf("on 2005-06-01:\n%s\nwant\n%s", got, want)
	}
	got := outline(Tree(units, day("2020-01-01")))
	if !strings.Contains(got, "  e\n    later\n  e2\n") || strings.Contains(got, "gone") {
		t.Errorf("on 2020-01-01:\n%s", got)
	}
	if n := Tree(units, day("1999-12-31")); n != nil {
		t.Errorf("before the first day: %s", outline(n))
	}
	// Each node carries the period of its day.
	root := Tree(units, day("2005-06-01"))
	if root.Period.Kind != MinisterOffice || root.Children[0].Period.Order != -1 {
		t.Errorf("periods: %+v, %+v", root.Period, root.Children[0].Period)
	}
	// A chart that Check refuses: a cycle beside the top, an ID twice.
	broken := append(slices.Clone(units), namedUnit("x", "y", "X", 0, "2000-01-01", ""), namedUnit("y", "x", "Y", 0, "2000-01-01", ""), namedUnit("d", "d", "Encore", 0, "2000-01-01", ""))
	if got := outline(Tree(broken, day("2005-06-01"))); got != want {
		t.Errorf("broken chart:\n%s\nwant\n%s", got, want)
	}
	var nilNode *Node
	nilNode.Walk(func(*Node, int) { t.Error("Walk of nil called fn") })
}

func TestChanged(t *testing.T) {
	u := everyField() // moved with a new head on 2024-01-01, renamed and more on 2026-10-01
	gap := unit("gap", per("2000-01-01", "2010-01-01", "top"), per("2012-01-01", "2020-01-01", "top"))
	same := unit("same", per("2000-01-01", "2010-01-01", "top"), per("2010-01-01", "", "top"))
	units := []Unit{u, gap, same}
	str := func(cs []Change) string {
		var s []string
		for _, c := range cs {
			s = append(s, fmt.Sprintf("%s %s %v", c.On, c.ID, c.Kinds))
		}
		return strings.Join(s, "; ")
	}
	for _, tc := range []struct{ from, to, want string }{
		{"2000-01-01", "2030-01-01", "2026-10-01 direction-ameriques [renamed kind details]; 2024-01-01 direction-ameriques [moved head]; " +
			"2020-01-01 gap [closed]; 2019-04-01 direction-ameriques [created]; 2012-01-01 gap [created]; 2010-01-01 gap [closed]; 2000-01-01 gap [created]; 2000-01-01 same [created]"},
		{"2024-01-01", "2026-10-01", "2026-10-01 direction-ameriques [renamed kind details]; 2024-01-01 direction-ameriques [moved head]"},
		{"2024-01-02", "2026-09-30", ""},
		{"2010-01-01", "2010-01-01", "2010-01-01 gap [closed]"},
	} {
		if got := str(Changed(units, day(tc.from), day(tc.to))); got != tc.want {
			t.Errorf("from %s to %s:\n%s\nwant\n%s", tc.from, tc.to, got, tc.want)
		}
	}
	cs := Changed(units, day("2026-10-01"), day("2026-10-01"))
	if c := cs[0]; c.Before.Name[lang.FR] != u.Periods[1].Name[lang.FR] || c.After.Name[lang.FR] != "Direction des Amériques" || !c.Sample {
		t.Errorf("change %+v", c)
	}
	cs = Changed(units, day("2020-01-01"), day("2020-01-01"))
	if c := cs[0]; c.After.Kind != "" || c.Before.From != day("2012-01-01") {
		t.Errorf("closing %+v", c)
	}
}
