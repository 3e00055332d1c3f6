package orgchart

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"portail/internal/lang"
)

var update = flag.Bool("update", false, "rewrite defaults.json in WriteJSON's form")

// TestDefaultsFileIsAsWritten keeps defaults.json exactly as WriteJSON
// writes it, so that an export of the untouched chart equals it and a
// diff of the two shows only staff changes.
func TestDefaultsFileIsAsWritten(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJSON(&b, Defaults()); err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile("defaults.json", b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(b.Bytes(), defaultsJSON) {
		t.Error("defaults.json is not in WriteJSON's form: go test -run TestDefaultsFileIsAsWritten -update ./internal/orgchart/")
	}
}

// named are the units that the department's public sources give.
var named = map[string]bool{
	"cabinet-ministre": true, "sous-ministre": true,
	"secteur-francophonie-multilateral": true, "secteur-affaires-bilaterales": true,
	"secteur-coordination-protocole": true, "secteur-services-ministere": true, "equipes-sous-ministre": true,
	"secretariat-general-performance": true, "direction-audit-interne": true,
	"direction-communications": true, "direction-francophonie-solidarite": true,
}

func TestDefaults(t *testing.T) {
	units := Defaults()
	if err := Check(units); err != nil {
		t.Fatal(err)
	}
	byID := map[string]Unit{}
	for _, u := range units {
		byID[u.ID] = u
		if named[u.ID] == u.Sample {
			t.Errorf("%s: sample %t, but the sources name it: %t", u.ID, u.Sample, named[u.ID])
		}
		for _, p := range u.Periods {
			if p.Head.Name != "" && p.Head.Name != "Nom à confirmer / To be confirmed" {
				t.Errorf("%s: head %q is a person the sources do not name", u.ID, p.Head.Name)
			}
			if p.Phone != "" {
				t.Errorf("%s: phone %q is not in the sources", u.ID, p.Phone)
			}
			if p.Email != "" && !(u.ID == "direction-communications" && p.Email == "communication@mri.gouv.qc.ca") {
				t.Errorf("%s: email %q is not in the sources", u.ID, p.Email)
			}
			if p.Name[lang.EN] == "" {
				t.Errorf("%s: no English name", u.ID)
			}
		}
		// History is sample data: only sample units have more than one
		// period, or start or end on another day than the structure's.
		if !u.Sample && (len(u.Periods) != 1 || u.Periods[0].From != (Date{Year: 2024, Month: 1, Day: 1}) || !u.Periods[0].To.IsZero()) {
			t.Errorf("%s: a unit the sources name has a history they do not give", u.ID)
		}
	}
	for id := range named {
		if _, ok := byID[id]; !ok {
			t.Errorf("%s is missing", id)
		}
	}

	today := Date{Year: 2026, Month: 11, Day: 30}
	top := Tree(units, today)
	if top == nil || top.Unit.ID != "cabinet-ministre" || len(top.Children) != 1 || top.Children[0].Unit.ID != "sous-ministre" {
		t.Fatalf("top of the chart on %s: %+v", today, top)
	}
	var sectors []string
	for _, c := range top.Children[0].Children {
		sectors = append(sectors, c.Unit.ID)
		if c.Period.Kind != Sector {
			t.Errorf("%s under the deputy minister is a %s", c.Unit.ID, c.Period.Kind)
		}
	}
	want := []string{"secteur-francophonie-multilateral", "secteur-affaires-bilaterales", "secteur-coordination-protocole", "secteur-services-ministere", "equipes-sous-ministre"}
	if !slices.Equal(sectors, want) {
		t.Errorf("sectors %v, want %v", sectors, want)
	}

	// The dated history shows in the recent changes and in the view of
	// an earlier day.
	var recent []string
	for _, c := range Changed(units, Date{Year: 2026, Month: 9, Day: 1}, today) {
		recent = append(recent, fmt.Sprintf("%s %s %v", c.On, c.ID, c.Kinds))
		if !c.Sample {
			t.Errorf("change of %s on %s is not marked sample", c.ID, c.On)
		}
	}
	if got := strings.Join(recent, "; "); got != "2026-11-01 bureau-reforme-reseau [closed]; 2026-10-01 direction-indo-pacifique [renamed]" {
		t.Errorf("changes since 2026-09-01: %s", got)
	}
	if cs := Changed(units, Date{Year: 2025, Month: 11, Day: 30}, today); len(cs) != 3 || cs[2].ID != "direction-organisations-internationales" || !slices.Equal(cs[2].Kinds, []ChangeKind{Moved}) {
		t.Errorf("changes in the last year: %+v", cs)
	}
	parentOn := func(id string, d Date) string {
		var parent string
		Tree(units, d).Walk(func(n *Node, _ int) {
			for _, c := range n.Children {
				if c.Unit.ID == id {
					parent = n.Unit.ID
				}
			}
		})
		return parent
	}
	if a, b := parentOn("direction-organisations-internationales", Date{Year: 2026, Month: 3, Day: 31}), parentOn("direction-organisations-internationales", today); a != "secteur-coordination-protocole" || b != "secteur-francophonie-multilateral" {
		t.Errorf("the international organisations directorate is under %s, then %s", a, b)
	}
	if Tree(units, Date{Year: 2023, Month: 12, Day: 31}) != nil {
		t.Error("a chart before the records start")
	}

	// The chart by kind today, for the reader of the log.
	count := map[Kind]int{}
	samples := 0
	n := 0
	top.Walk(func(n *Node, _ int) {
		count[n.Period.Kind]++
	})
	for _, u := range units {
		if u.Sample {
			samples++
		}
		n += len(u.Periods)
	}
	var b strings.Builder
	for _, k := range Kinds {
		fmt.Fprintf(&b, " %s %d,", k, count[k])
	}
	t.Logf("%d units (%d sample), %d periods; on %s:%s", len(units), samples, n, today, strings.TrimSuffix(b.String(), ","))
}

func TestDefaultsAreNewEachCall(t *testing.T) {
	a := Defaults()
	a[0].Periods[0].Name[lang.FR] = "changed"
	a[0].Periods = nil
	if b := Defaults(); len(b[0].Periods) == 0 || b[0].Periods[0].Name[lang.FR] == "changed" {
		t.Error("Defaults shares its maps or slices between calls")
	}
}
