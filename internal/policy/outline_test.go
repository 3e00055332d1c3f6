package policy

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"portail/internal/apperr"
	"portail/internal/lang"
)

const sample = `# prosperite | Rendre le Québec plus prospère | Build a more prosperous Québec
> Texte de présentation | The thrust's introduction
## mobilite | Favoriser la mobilité | Foster mobility
- recruter-talents | Recruter des talents | Recruit talent
- accueillir | Accueillir | Welcome

# securite | Un Québec sûr | A safe Québec
## cyber | Cybersécurité | Cybersecurity
`

// The outline of the sample reads as the thrusts it writes, and
// FormatOutline writes it back as it was.
func TestParseOutline(t *testing.T) {
	o, err := ParseOutline(sample)
	if err != nil {
		t.Fatal(err)
	}
	want := []Thrust{
		{ID: "prosperite", Title: bi("Rendre le Québec plus prospère", "Build a more prosperous Québec"),
			Text: bi("Texte de présentation", "The thrust's introduction"), Objectives: []Objective{
				{ID: "mobilite", Text: bi("Favoriser la mobilité", "Foster mobility"), Measures: []Measure{
					{ID: "recruter-talents", Text: bi("Recruter des talents", "Recruit talent")},
					{ID: "accueillir", Text: bi("Accueillir", "Welcome")},
				}},
			}},
		{ID: "securite", Title: bi("Un Québec sûr", "A safe Québec"), Text: bi("", ""), Objectives: []Objective{
			{ID: "cyber", Text: bi("Cybersécurité", "Cybersecurity")},
		}},
	}
	if !reflect.DeepEqual(o.Thrusts, want) {
		t.Fatalf("thrusts:\n%#v\nwant\n%#v", o.Thrusts, want)
	}
	if got := FormatOutline(o.Thrusts); got != sample {
		t.Fatalf("FormatOutline:\n%s\nwant\n%s", got, sample)
	}
}

// What the staff member types loosely reads the same: indentation,
// spaces around the fields, CRLF line breaks, blank lines, no space
// after the marker, empty texts, and escaped "|" and "\".
func TestParseOutlineLoose(t *testing.T) {
	in := "\r\n  #a|Titre A|Title A\r\n\t>  | only English \r\n\r\n   ##b | Objectif \\| B | Objective\\\\B\r\n      -c|C:\\dossier|\\\\\\|\r\n"
	o, err := ParseOutline(in)
	if err != nil {
		t.Fatal(err)
	}
	want := []Thrust{{ID: "a", Title: bi("Titre A", "Title A"), Text: bi("", "only English"), Objectives: []Objective{
		{ID: "b", Text: bi("Objectif | B", `Objective\B`), Measures: []Measure{{ID: "c", Text: bi(`C:\dossier`, `\|`)}}},
	}}}
	if !reflect.DeepEqual(o.Thrusts, want) {
		t.Fatalf("thrusts:\n%#v\nwant\n%#v", o.Thrusts, want)
	}
	out := FormatOutline(o.Thrusts)
	if wantOut := "# a | Titre A | Title A\n> | only English\n## b | Objectif \\| B | Objective\\B\n- c | C:\\dossier | \\\\\\|\n"; out != wantOut {
		t.Fatalf("FormatOutline:\n%s\nwant\n%s", out, wantOut)
	}
	if o, err := ParseOutline(" \n\r\n"); err != nil || o.Thrusts != nil {
		t.Fatalf("a blank outline: %#v, %v; want no thrusts", o.Thrusts, err)
	}
}

// A line that is not an outline's names its line and why.
func TestParseOutlineErrors(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		line     int
		key      string
	}{
		{"no marker", "# a | A | A\nMesure sans tiret", 2, "form.policy.outline.marker"},
		{"three hashes", "### a | A | A", 1, "form.policy.outline.marker"},
		{"missing English", "# a | A | A\n\n## b | Objectif", 3, "form.policy.outline.fields"},
		{"a | too many", "# a | A | A | B", 1, "form.policy.outline.fields"},
		{"objective before any thrust", "## b | B | B", 1, "form.policy.outline.objective_place"},
		{"measure before any objective", "# a | A | A\n- c | C | C", 2, "form.policy.outline.measure_place"},
		{"text before any thrust", "> Texte | Text", 1, "form.policy.outline.text_place"},
		{"text under an objective", "# a | A | A\n## b | B | B\n> Texte | Text", 3, "form.policy.outline.text_place"},
		{"text twice", "# a | A | A\n> Un | One\n> Deux | Two", 3, "form.policy.outline.text_place"},
		{"text in one field", "# a | A | A\n> Texte", 2, "form.policy.outline.text_fields"},
		{"too long", strings.Repeat("x", MaxOutline+1), 0, "form.too_long"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseOutline(tc.in)
			var oe *OutlineError
			if !errors.As(err, &oe) || oe.Line != tc.line || oe.Key != tc.key {
				t.Fatalf("ParseOutline: %v; want line %d, %s", err, tc.line, tc.key)
			}
			if !errors.Is(err, apperr.Invalid) {
				t.Errorf("%v is not an apperr.Invalid", err)
			}
		})
	}
}

// Each problem of Validate under "thrusts" names the line that holds its
// field, and the part of that line.
func TestOutlineLine(t *testing.T) {
	o, err := ParseOutline(sample)
	if err != nil {
		t.Fatal(err)
	}
	for field, want := range map[string]struct {
		line int
		part string
	}{
		"thrusts":                                   {0, ""},
		"thrusts.0.id":                              {1, "id"},
		"thrusts.0.title.en":                        {1, "title.en"},
		"thrusts.0.text.fr":                         {2, "text.fr"},
		"thrusts.0.objectives":                      {1, "objectives"},
		"thrusts.0.objectives.0.text.fr":            {3, "text.fr"},
		"thrusts.0.objectives.0.measures.1.id":      {5, "id"},
		"thrusts.0.objectives.0.measures.1.text.en": {5, "text.en"},
		"thrusts.0.objectives.0.measures":           {3, "measures"},
		"thrusts.1.title.fr":                        {7, "title.fr"},
		"thrusts.1.text.en":                         {7, "text.en"}, // no ">" line: the thrust's
		"thrusts.1.objectives.0.id":                 {8, "id"},
		"thrusts.9.id":                              {0, ""},
		"title.fr":                                  {0, ""},
	} {
		if line, part := o.Line(field); line != want.line || part != want.part {
			t.Errorf("Line(%q) = %d, %q; want %d, %q", field, line, part, want.line, want.part)
		}
	}
}

// The problems of a parsed outline are Validate's, each on its line:
// an ID used twice, and a missing text.
func TestOutlineValidate(t *testing.T) {
	o, err := ParseOutline("# a | A | A\n## b | B | B\n- a | Mesure |\n")
	if err != nil {
		t.Fatal(err)
	}
	d := everyField()
	d.Thrusts = o.Thrusts
	probs := apperr.ProblemsOf(d.Validate())
	if len(probs) != 2 || probs["thrusts.0.objectives.0.measures.0.id"] != "form.policy.duplicate" ||
		probs["thrusts.0.objectives.0.measures.0.text.en"] != "form.required" {
		t.Fatalf("problems: %v", probs)
	}
	for field := range probs {
		if line, _ := o.Line(field); line != 3 {
			t.Errorf("%s on line %d, want 3", field, line)
		}
	}
}

// The default documents, written as outlines, read back as they are,
// well within the bound.
func TestDefaultsOutline(t *testing.T) {
	for _, d := range Defaults() {
		s := FormatOutline(d.Thrusts)
		if len(s) > MaxOutline/4 {
			t.Errorf("%s: outline of %d bytes, near the bound of %d", d.ID, len(s), MaxOutline)
		}
		o, err := ParseOutline(s)
		if err != nil {
			t.Fatalf("%s: %v\n%s", d.ID, err, s)
		}
		// The defaults have no thrust text in one language only, and
		// read as the stores read them back: both languages' keys.
		want := d.Thrusts
		for i := range want {
			want[i].Text = bilingual(want[i].Text[lang.FR], want[i].Text[lang.EN])
		}
		if !reflect.DeepEqual(o.Thrusts, want) {
			t.Errorf("%s: read back\n%#v\nwant\n%#v", d.ID, o.Thrusts, want)
		}
	}
}

// A stored text on several lines, or with spaces around it, is written
// on one line, trimmed: the page shows it the same.
func TestFormatOutlineOneLine(t *testing.T) {
	got := FormatOutline([]Thrust{{ID: "a", Title: bi(" Titre\r\nsuite ", "Title"), Text: bi("Un\ndeux", "")}})
	if want := "# a | Titre suite | Title\n> Un deux |\n"; got != want {
		t.Fatalf("FormatOutline = %q, want %q", got, want)
	}
}

// Whatever reads as an outline is written back to a text that reads the
// same, and nothing makes the reader panic.
func FuzzParseOutline(f *testing.F) {
	f.Add(sample)
	f.Add("#a|b|c\n>|\n##d|e\\|f|\\\\\n-g|\\|h")
	f.Add("# a | \\ | \\\\\\|\r\n> x\\ | y\\")
	f.Add("### x\n## y\n> z")
	for _, d := range Defaults() {
		f.Add(FormatOutline(d.Thrusts))
	}
	f.Fuzz(func(t *testing.T, s string) {
		o, err := ParseOutline(s)
		if err != nil {
			var oe *OutlineError
			if !errors.As(err, &oe) {
				t.Fatalf("error %v is not an OutlineError", err)
			}
			return
		}
		out := FormatOutline(o.Thrusts)
		if len(out) > MaxOutline {
			return // the written text may be longer than the bound: spaces
		}
		again, err := ParseOutline(out)
		if err != nil {
			t.Fatalf("the written outline does not read: %v\n%q\nfrom %q", err, out, s)
		}
		if !reflect.DeepEqual(again.Thrusts, o.Thrusts) {
			t.Fatalf("read back differently:\n%#v\nwant\n%#v\nwritten %q", again.Thrusts, o.Thrusts, out)
		}
		if FormatOutline(again.Thrusts) != out {
			t.Fatalf("written twice differently: %q", out)
		}
	})
}
