package policy

import (
	"strings"
	"testing"

	"portail/internal/apperr"
	"portail/internal/lang"
)

func bi(fr, en string) Text { return Text{lang.FR: fr, lang.EN: en} }

// everyField is a valid document with every field set.
func everyField() Document {
	return Document{
		ID: "politique-2017", Kind: Policy, Title: bi("Titre", "Title"), Summary: bi("Résumé", "Summary"),
		Launched: Date{Year: 2017, Month: 4, Day: 11}, FromYear: 2017, ToYear: 2027, Budget: bi("100 M$", "$100M"),
		URL: "https://www.quebec.ca/politique",
		Thrusts: []Thrust{
			{ID: "axe-a", Title: bi("Axe A", "Thrust A"), Text: bi("Texte", "Text"), Objectives: []Objective{
				{ID: "obj-a", Text: bi("Objectif", "Objective"), Measures: []Measure{
					{ID: "m-1", Text: bi("Mesure 1", "Measure 1")},
					{ID: "m-2", Text: bi("Mesure 2", "Measure 2")},
				}},
			}},
			{ID: "axe-b", Title: bi("Axe B", "Thrust B"), Objectives: []Objective{
				{ID: "obj-b", Text: bi("Objectif B", "Objective B")},
			}},
		},
	}
}

func TestValidate(t *testing.T) {
	if err := everyField().Validate(); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		change func(*Document)
		field  string
		key    string
	}{
		{"ID with a capital", func(d *Document) { d.ID = "Politique" }, "id", "form.key.invalid"},
		{"no ID", func(d *Document) { d.ID = "" }, "id", "form.key.invalid"},
		{"unknown kind", func(d *Document) { d.Kind = "plan" }, "kind", "form.policy.kind"},
		{"no French title", func(d *Document) { d.Title[lang.FR] = " " }, "title.fr", "form.required"},
		{"no English title", func(d *Document) { delete(d.Title, lang.EN) }, "title.en", "form.required"},
		{"title too long", func(d *Document) { d.Title[lang.EN] = strings.Repeat("a", MaxTitle+1) }, "title.en", "form.too_long"},
		{"summary not UTF-8", func(d *Document) { d.Summary[lang.FR] = "\xff" }, "summary.fr", "form.text.invalid"},
		{"a third language", func(d *Document) { d.Summary["es"] = "Resumen" }, "summary", "form.policy.lang"},
		{"no launch date", func(d *Document) { d.Launched = Date{} }, "launched", "form.required"},
		{"31 April", func(d *Document) { d.Launched = Date{Year: 2017, Month: 4, Day: 31} }, "launched", "form.policy.date"},
		{"years reversed", func(d *Document) { d.FromYear, d.ToYear = 2027, 2017 }, "to_year", "form.policy.years"},
		{"an end with no start", func(d *Document) { d.FromYear = 0 }, "from_year", "form.required"},
		{"year out of range", func(d *Document) { d.FromYear, d.ToYear = 17, 0 }, "from_year", "form.policy.year"},
		{"http URL", func(d *Document) { d.URL = "http://www.quebec.ca/" }, "url", "form.policy.url"},
		{"URL with no host", func(d *Document) { d.URL = "https://" }, "url", "form.policy.url"},
		{"thrust with a bad ID", func(d *Document) { d.Thrusts[1].ID = "axe b" }, "thrusts.1.id", "form.key.invalid"},
		{"thrust with no French title", func(d *Document) { delete(d.Thrusts[1].Title, lang.FR) }, "thrusts.1.title.fr", "form.required"},
		{"objective with no English", func(d *Document) { d.Thrusts[1].Objectives[0].Text[lang.EN] = "" }, "thrusts.1.objectives.0.text.en", "form.required"},
		{"measure text too long", func(d *Document) {
			d.Thrusts[0].Objectives[0].Measures[1].Text[lang.FR] = strings.Repeat("é", MaxText/2+1)
		}, "thrusts.0.objectives.0.measures.1.text.fr", "form.too_long"},
		{"measure ID used twice", func(d *Document) { d.Thrusts[0].Objectives[0].Measures[1].ID = "m-1" }, "thrusts.0.objectives.0.measures.1.id", "form.policy.duplicate"},
		{"objective with a thrust's ID", func(d *Document) { d.Thrusts[1].Objectives[0].ID = "axe-a" }, "thrusts.1.objectives.0.id", "form.policy.duplicate"},
		{"too many thrusts", func(d *Document) {
			for i := range MaxThrusts {
				d.Thrusts = append(d.Thrusts, Thrust{ID: "t-" + string(rune('a'+i)), Title: bi("T", "T")})
			}
		}, "thrusts", "form.policy.too_many"},
		{"too many objectives", func(d *Document) {
			for i := range MaxObjectives {
				d.Thrusts[1].Objectives = append(d.Thrusts[1].Objectives, Objective{ID: "o-" + itoa(i), Text: bi("O", "O")})
			}
		}, "thrusts.1.objectives", "form.policy.too_many"},
		{"too many measures", func(d *Document) {
			o := &d.Thrusts[1].Objectives[0]
			for i := range MaxMeasures + 1 {
				o.Measures = append(o.Measures, Measure{ID: "m-" + itoa(100+i), Text: bi("M", "M")})
			}
		}, "thrusts.1.objectives.0.measures", "form.policy.too_many"},
		{"too many items in all", func(d *Document) {
			// Each level within its own limit, the whole past MaxItems.
			for i := range MaxThrusts - 2 {
				th := Thrust{ID: "t-" + itoa(i), Title: bi("T", "T")}
				for j := range 2 {
					o := Objective{ID: "o-" + itoa(i) + "-" + itoa(j), Text: bi("O", "O")}
					for k := range MaxMeasures {
						o.Measures = append(o.Measures, Measure{ID: "m-" + itoa(i) + "-" + itoa(j) + "-" + itoa(k), Text: bi("M", "M")})
					}
					th.Objectives = append(th.Objectives, o)
				}
				d.Thrusts = append(d.Thrusts, th)
			}
		}, "thrusts", "form.policy.too_many"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := everyField()
			tc.change(&d)
			err := d.Validate()
			if got := apperr.ProblemsOf(err); len(got) != 1 || got[tc.field] != tc.key {
				t.Errorf("problems %v, want %s: %s", got, tc.field, tc.key)
			}
			if apperr.KindOf(err) != apperr.Invalid {
				t.Errorf("kind %v", apperr.KindOf(err))
			}
		})
	}
}

func itoa(i int) string {
	const digits = "0123456789"
	if i < 10 {
		return digits[i : i+1]
	}
	return itoa(i/10) + digits[i%10:i%10+1]
}

func TestValidID(t *testing.T) {
	for id, want := range map[string]bool{
		"mesure-1": true, "politique-2017": true, "a": true, strings.Repeat("a", MaxID): true,
		"": false, "Mesure": false, "-a": false, "a-": false, "a--b": false, "é": false, "a_b": false,
		strings.Repeat("a", MaxID+1): false,
	} {
		if got := ValidID(id); got != want {
			t.Errorf("ValidID(%q) = %v", id, got)
		}
	}
}
