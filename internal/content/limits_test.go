package content

import (
	"strings"
	"testing"

	"portail/internal/apperr"
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
