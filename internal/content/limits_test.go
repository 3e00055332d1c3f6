package content

import (
	"strings"
	"testing"

	"portail/internal/apperr"
	"portail/internal/lang"
)

func TestBodyProblem(t *testing.T) {
	nest := func(marker string, n int) string { return strings.Repeat(marker, n) + "x\n" }
	indented := func(n int) string { // a list nested n deep by indentation
		var b strings.Builder
		for i := range n {
			b.WriteString(strings.Repeat("  ", i) + "- x\n")
		}
		return b.String()
	}
	table := func(cols, rows int) string {
		return strings.Repeat("| a ", cols) + "|\n" + strings.Repeat("|---", cols) + "|\n" + strings.Repeat("| b |\n", rows)
	}
	for _, tc := range []struct {
		name, body, want string
	}{
		{"prose", "## Titre\n\nUn paragraphe.\n\n- un\n- deux\n  - trois\n\n> Citation\n", ""},
		{"quotes at the limit", nest("> ", MaxDepth), ""},
		{"quotes past the limit", nest("> ", MaxDepth+1), "form.body.depth"},
		{"quotes without spaces", strings.Repeat(">", 199_000), "form.body.depth"},
		{"ordered lists on one line", strings.Repeat("1. ", 66_000), "form.body.depth"},
		{"mixed markers past the limit", nest("> - 1) + ", 4), "form.body.depth"},
		{"lists by indentation at the limit", indented(MaxDepth), ""},
		{"lists by indentation past the limit", indented(MaxDepth + 1), "form.body.depth"},
		{"tabs count as indentation", strings.Repeat("\t", 6) + "- x\n", "form.body.depth"},
		{"thematic break of stars", strings.Repeat("* ", 40) + "\n", ""},
		{"thematic break of dashes in a quote", "> " + strings.Repeat("- ", 40) + "\n", ""},
		{"numbers that are not markers", "2026. Une année.\n\n1234567890. x\n", ""},
		{"list items at the limit", strings.Repeat("- x\n", MaxListItems), ""},
		{"list items past the limit", strings.Repeat("- x\n", MaxListItems+1), "form.body.list_items"},
		{"columns at the limit", table(MaxTableColumns, 10), ""},
		{"columns past the limit", table(MaxTableColumns+1, 1), "form.body.table_columns"},
		{"2 000 columns", table(2000, 3000), "form.body.table_columns"},
		{"cells at the limit", table(MaxTableColumns, MaxTableCells/MaxTableColumns-2), ""},
		{"cells past the limit", table(MaxTableColumns, MaxTableCells/MaxTableColumns-1), "form.body.table_cells"},
		{"cells of several tables", strings.Repeat(table(40, 100)+"\n", 5), "form.body.table_cells"},
		{"rows padded from an empty line", table(MaxTableColumns, 0) + strings.Repeat("|\n", 500), "form.body.table_cells"},
		{"a table in a quote", "> | a | b |\n> |---|---|\n> | 1 | 2 |\n", ""},
		{"too long", strings.Repeat("a", MaxBody+1), "form.too_long"},
		{"brackets", strings.Repeat("[", MaxBrackets+1), "form.body.brackets"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := BodyProblem(tc.body); got != tc.want {
				t.Fatalf("BodyProblem = %q, want %q", got, tc.want)
			}
			err := Revision{PageKey: "p", Lang: "fr", Title: "T", Body: tc.body}.Validate()
			if got := apperr.ProblemsOf(err)["body"]; got != tc.want {
				t.Fatalf("Validate: body problem %q, want %q", got, tc.want)
			}
		})
	}
}

// NUL and bytes that are not UTF-8 are refused in every text field of the
// domain's types, with the field named.
func TestInvalidTextRefused(t *testing.T) {
	for _, bad := range []string{"\x00", "a\x00b", "\xff", "caf\xe9", "\xc3"} {
		valid := func() Revision {
			return Revision{PageKey: "p", Lang: "fr", Path: "a", Title: "T", Summary: "S", Body: "B", Note: "N", ChangeNote: "C"}
		}
		for field, set := range map[string]func(*Revision){
			"title":       func(r *Revision) { r.Title = bad },
			"summary":     func(r *Revision) { r.Summary = bad },
			"body":        func(r *Revision) { r.Body = bad },
			"note":        func(r *Revision) { r.Note = bad },
			"change_note": func(r *Revision) { r.ChangeNote = bad },
		} {
			r := valid()
			set(&r)
			if got := apperr.ProblemsOf(r.Validate())[field]; got != "form.text.invalid" {
				t.Errorf("Revision.%s = %q: problem %q", field, bad, got)
			}
		}
		s := NavSection{Key: "s", Label: map[lang.Lang]string{lang.FR: bad, lang.EN: "Label"}}
		if got := apperr.ProblemsOf(s.Validate())["fr.label"]; got != "form.text.invalid" {
			t.Errorf("NavSection label %q: problem %q", bad, got)
		}
		f := FooterLink{Label: map[lang.Lang]string{lang.FR: "A", lang.EN: bad},
			URL: map[lang.Lang]string{lang.FR: "/fr/" + bad, lang.EN: "/en/"}}
		if p := apperr.ProblemsOf(f.Validate()); p["en.label"] != "form.text.invalid" || p["fr.url"] != "form.text.invalid" {
			t.Errorf("FooterLink with %q: problems %v", bad, p)
		}
	}
	if err := (Revision{PageKey: "p", Lang: "fr", Path: "a", Title: "Été", Body: "Texte « accentué » ✓"}).Validate(); err != nil {
		t.Errorf("valid text refused: %v", err)
	}
}
