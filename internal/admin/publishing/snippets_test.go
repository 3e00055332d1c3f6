package publishing

import (
	"testing"
	"time"

	"portail/internal/i18n"
	"portail/internal/lang"
	"portail/internal/media"
)

func TestSnippets(t *testing.T) {
	cats := i18n.MustLoad()
	now := time.Date(2026, 3, 2, 14, 0, 0, 0, time.UTC)
	files := []media.File{
		{ID: 3, Name: "Carte.png", Type: media.PNG, Size: 2048, Published: now},
		{ID: 4, Name: `Rapport [final] \ 2025.pdf`, Type: media.PDF, Size: 120 << 10, Published: now},
		{ID: 5, Name: "Brouillon.pdf", Type: media.PDF, Size: 10},
	}
	for l, want := range map[lang.Lang][]string{
		lang.FR: {"![description](/fichiers/3/carte.png)", "[Rapport \\[final\\] \\\\ 2025.pdf (PDF, 120\u00a0Ko)](/fichiers/4/rapport-final-2025.pdf)"},
		lang.EN: {"![description](/files/3/carte.png)", "[Rapport \\[final\\] \\\\ 2025.pdf (PDF, 120\u00a0KB)](/files/4/rapport-final-2025.pdf)"},
	} {
		got := snippets(cats[l], files, l)
		if len(got) != len(want) {
			t.Fatalf("%s: %d snippets, want %d (unpublished files left out): %+v", l, len(got), len(want), got)
		}
		for i := range want {
			if got[i].Markdown != want[i] {
				t.Errorf("%s: snippet %d = %q, want %q", l, i, got[i].Markdown, want[i])
			}
		}
	}
}
