package publishing_test

import (
	"html"
	"net/http"
	"strings"
	"testing"

	"portail/internal/admin/admintest"
	"portail/internal/lang"
)

// Bodies whose rendering took seconds and megabytes are refused at save
// and at preview, with the reason, before the Markdown parser sees them;
// the save keeps what was typed and writes nothing.
func TestBodyBeyondRenderingLimits(t *testing.T) {
	s := admintest.NewStaff(t)
	for _, tc := range []struct {
		name, body, msg string
	}{
		{"2 000 columns", strings.Repeat("|a", 2000) + "|\n" + strings.Repeat("|-", 2000) + "|\n" + strings.Repeat("|\n", 3000),
			"trop de colonnes (plus de 50)"},
		{"cells", strings.Repeat("|a", 50) + "|\n" + strings.Repeat("|-", 50) + "|\n" + strings.Repeat("|\n", 3000),
			"trop de cellules (plus de 20 000 en tout)"},
		{"199 000 quotes", strings.Repeat(">", 199_000), "trop de listes ou de citations (plus de 12 niveaux)"},
		{"66 000 nested lists", strings.Repeat("1. ", 66_000), "trop de listes ou de citations (plus de 12 niveaux)"},
		{"list items", strings.Repeat("- élément\n", 6000), "trop d’éléments de liste (plus de 5 000)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := s.Count(t, "mission", lang.EN)
			f := s.EditorForm(t, "mission")
			f.Set("en.body", tc.body)
			body := admintest.WantStatus(t, admintest.Post(s.Srv, "/admin/pages/mission", f, s.Editor), http.StatusUnprocessableEntity)
			admintest.WantContains(t, body, html.EscapeString(tc.msg), `id="en.body-error"`, html.EscapeString(tc.body[:200]))
			if s.Count(t, "mission", lang.EN) != before {
				t.Fatal("a refused body was saved")
			}
			preview := admintest.WantStatus(t, admintest.Post(s.Srv, "/admin/pages/mission/preview/en", f, s.Editor), http.StatusUnprocessableEntity)
			admintest.WantContains(t, preview, html.EscapeString(tc.msg))
		})
	}
}
