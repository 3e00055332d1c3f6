package policy

import (
	"strings"
	"testing"

	"portail/internal/lang"
)

func TestDefaults(t *testing.T) {
	docs := Defaults()
	if len(docs) != 2 {
		t.Fatalf("%d documents, want the 2017 policy and the 2019 update", len(docs))
	}
	for _, d := range docs {
		if err := d.Validate(); err != nil {
			t.Errorf("%s: %v", d.ID, err)
		}
	}
	p, v := docs[0], docs[1]
	if p.ID != "politique-2017" || p.Kind != Policy || p.Launched != (day(2017, 4, 11)) || p.FromYear != 2017 || p.ToYear != 2027 {
		t.Errorf("the 2017 policy: %s %s %s %d–%d", p.ID, p.Kind, p.Launched, p.FromYear, p.ToYear)
	}
	if p.Title[lang.FR] != "Le Québec dans le monde : s’investir, agir, prospérer" || p.Budget[lang.FR] != "100 M$ sur cinq ans" || p.Budget[lang.EN] != "$100 million over five years" {
		t.Errorf("the 2017 policy: %q, %q", p.Title[lang.FR], p.Budget)
	}
	if p.URL != "https://www.quebec.ca/en/government/policies-orientations/quebec-international-policy" {
		t.Errorf("URL %q", p.URL)
	}
	// The three thrusts, as the department words them (FACTS.md §6 and
	// its English site).
	want := [][2]string{
		{"Rendre le Québec plus prospère", "Build a more prosperous Québec"},
		{"Contribuer à un monde plus durable, juste et sécuritaire", "Contribute to a more secure, sustainable and equitable world"},
		{"Promouvoir la créativité, la culture, le savoir et la spécificité du Québec", "Promote Québec creativity, culture, knowledge and specificity"},
	}
	if len(p.Thrusts) != len(want) {
		t.Fatalf("%d thrusts, want 3", len(p.Thrusts))
	}
	measures := 0
	for i, th := range p.Thrusts {
		if th.Title[lang.FR] != want[i][0] || th.Title[lang.EN] != want[i][1] {
			t.Errorf("thrust %d: %q / %q", i+1, th.Title[lang.FR], th.Title[lang.EN])
		}
		if len(th.Objectives) == 0 {
			t.Errorf("thrust %d has no objective", i+1)
		}
		for _, o := range th.Objectives {
			measures += len(o.Measures)
		}
	}
	// The areas FACTS.md §6 names each have an objective.
	var all strings.Builder
	for _, th := range p.Thrusts {
		for _, o := range th.Objectives {
			all.WriteString(o.Text[lang.EN] + "\n")
		}
	}
	for _, area := range []string{"Mobility and youth", "Trade relations", "Climate diplomacy", "International solidarity", "Human rights", "Security", "Culture", "Science"} {
		if !strings.Contains(all.String(), area) {
			t.Errorf("no objective on %s", area)
		}
	}
	if measures < 15 {
		t.Errorf("%d measures, want the ones FACTS.md §6 names", measures)
	}

	if v.ID != "vision-2019" || v.Kind != Update || v.Launched != (day(2019, 11, 29)) {
		t.Errorf("the 2019 update: %s %s %s", v.ID, v.Kind, v.Launched)
	}
	var foundations, priorities int
	for _, th := range v.Thrusts {
		switch {
		case strings.HasPrefix(th.Title[lang.FR], "Fondement ") && strings.HasPrefix(th.Title[lang.EN], "Foundation "):
			foundations++
		case strings.HasPrefix(th.Title[lang.FR], "Priorité ") && strings.HasPrefix(th.Title[lang.EN], "Priority "):
			priorities++
		}
	}
	if foundations != 3 || priorities != 5 || len(v.Thrusts) != 8 {
		t.Errorf("the vision has %d foundations and %d priorities in %d thrusts, want 3 and 5", foundations, priorities, len(v.Thrusts))
	}

	// Before 2017 nothing is in force; between, the policy alone; after
	// 2019, the policy and its update.
	for _, tc := range []struct {
		on      Date
		policy  string
		updates int
	}{
		{day(2016, 12, 31), "", 0},
		{day(2018, 6, 1), "politique-2017", 0},
		{day(2026, 6, 1), "politique-2017", 1},
	} {
		p, ups := InForce(docs, tc.on)
		got := ""
		if p != nil {
			got = p.ID
		}
		if got != tc.policy || len(ups) != tc.updates {
			t.Errorf("on %s: %q and %d updates, want %q and %d", tc.on, got, len(ups), tc.policy, tc.updates)
		}
	}
}

func TestDefaultsAreNewEachCall(t *testing.T) {
	a := Defaults()
	a[0].Title[lang.FR] = "changé"
	a[0].Thrusts[0].Objectives[0].Measures[0].ID = "changee"
	if b := Defaults(); b[0].Title[lang.FR] == "changé" || b[0].Thrusts[0].Objectives[0].Measures[0].ID == "changee" {
		t.Error("Defaults shares its maps or slices between calls")
	}
}

func TestReadJSONIsStrict(t *testing.T) {
	for name, src := range map[string]string{
		"misspelt field": `{"documents": [{"id": "a", "kind": "policy", "titel": {}}]}`,
		"bad date":       `{"documents": [{"id": "a", "kind": "policy", "title": {"fr": "A", "en": "A"}, "launched": "2017-4-11"}]}`,
		"invalid":        `{"documents": [{"id": "a", "kind": "plan", "title": {"fr": "A", "en": "A"}, "launched": "2017-04-11"}]}`,
		"ID twice": `{"documents": [{"id": "a", "kind": "policy", "title": {"fr": "A", "en": "A"}, "launched": "2017-04-11"},
			{"id": "a", "kind": "update", "title": {"fr": "B", "en": "B"}, "launched": "2019-11-29"}]}`,
	} {
		if _, err := readJSON([]byte(src)); err == nil {
			t.Errorf("%s: read without error", name)
		}
	}
}
