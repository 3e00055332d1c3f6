package content

import (
	"strings"
	"testing"
)

func TestCheckAccessibility(t *testing.T) {
	cases := []struct {
		name string
		body string
		want []Issue // Key and Line; Text when set
	}{
		{"clean body passes", "## Mission\n\nVoir la [politique internationale](/fr/politique).\n\n![Carte du réseau](carte.png)\n\n### Détail\n\n| Pays | Ville |\n|---|---|\n| France | Paris |\n", nil},
		{"image without alt", "Texte\n\n![](photo.jpg)\n", []Issue{{Key: IssueImageAlt, Line: 3, Text: "photo.jpg"}}},
		{"image with blank alt", "![  ](photo.jpg)", []Issue{{Key: IssueImageAlt, Line: 1}}},
		{"linked image with alt names its link", "[![Logo du Québec](logo.png)](https://www.quebec.ca)", nil},
		{"skipped level", "## A\n\n#### B\n", []Issue{{Key: IssueHeadingSkip, Line: 3, Text: "h2 → h4"}}},
		{"first heading must be h2", "### A\n", []Issue{{Key: IssueHeadingSkip, Line: 1, Text: "h1 → h3"}}},
		{"going back up is fine", "## A\n\n### B\n\n## C\n\n### D\n", nil},
		{"second h1", "# Titre\n", []Issue{{Key: IssueHeadingH1, Line: 1}}},
		{"click here", "Pour le formulaire, [click here](/x).", []Issue{{Key: IssueLinkVague, Text: "click here"}}},
		{"cliquez ici with punctuation and case", "[Cliquez ICI !](/x)", []Issue{{Key: IssueLinkVague}}},
		{"ici", "Voir [ici](/x).", []Issue{{Key: IssueLinkVague}}},
		{"here", "See [here](/x).", []Issue{{Key: IssueLinkVague}}},
		{"lire la suite", "[Lire la suite…](/x)", []Issue{{Key: IssueLinkVague}}},
		{"bare URL as text", "[https://www.quebec.ca](https://www.quebec.ca)", []Issue{{Key: IssueLinkURL}}},
		{"www text", "[www.quebec.ca](https://www.quebec.ca)", []Issue{{Key: IssueLinkURL}}},
		{"autolink", "Voir <https://www.quebec.ca>.", []Issue{{Key: IssueLinkURL, Text: "https://www.quebec.ca"}}},
		{"email autolink is fine", "Écrire à <info@mrif.gouv.qc.ca>.", nil},
		{"empty link", "[](/x)", []Issue{{Key: IssueLinkEmpty}}},
		{"descriptive link containing ici", "[Les bureaux ici et ailleurs](/x)", nil},
		{"table with empty header", "|   |   |\n|---|---|\n| a | b |\n", []Issue{{Key: IssueTableHeader, Line: 1}}},
		{"several issues in order", "#### Saut\n\n![](a.png) [ici](/x)\n", []Issue{{Key: IssueHeadingSkip}, {Key: IssueImageAlt, Line: 3}, {Key: IssueLinkVague, Line: 3}}},
		{"code is not a link", "`[ici](/x)`\n\n    ![](a.png)\n", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := CheckAccessibility(tc.body)
			if len(got) != len(tc.want) {
				t.Fatalf("CheckAccessibility(%q) = %+v, want %d issues %+v", tc.body, got, len(tc.want), tc.want)
			}
			for i, w := range tc.want {
				g := got[i]
				if g.Key != w.Key || w.Line != 0 && g.Line != w.Line || w.Text != "" && g.Text != w.Text {
					t.Errorf("issue %d = %+v, want %+v", i, g, w)
				}
			}
		})
	}
}

func TestCheckAccessibilityKeysAreKnown(t *testing.T) {
	known := map[string]bool{IssueImageAlt: true, IssueHeadingH1: true, IssueHeadingSkip: true,
		IssueLinkVague: true, IssueLinkEmpty: true, IssueLinkURL: true, IssueTableHeader: true}
	for _, is := range CheckAccessibility("# a\n\n#### b\n\n![](x) [ici](/) [](/) <http://x.org>\n\n| |\n|-|\n|a|\n") {
		if !known[is.Key] || !strings.HasPrefix(is.Key, "a11y.") {
			t.Errorf("unknown key %q", is.Key)
		}
	}
}

func FuzzCheckAccessibility(f *testing.F) {
	for _, s := range []string{"## a\n#### b", "![](x)", "[ici](/x)", "| a |\n|---|\n| b |", "<https://x.org>", "[![a](b)](c)", "> # q\n- [x](y)"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		issues := CheckAccessibility(body)
		lines := strings.Count(body, "\n") + 1
		for _, is := range issues {
			if !strings.HasPrefix(is.Key, "a11y.") {
				t.Fatalf("issue key %q", is.Key)
			}
			if is.Line < 1 || is.Line > lines {
				t.Fatalf("issue %+v: line outside the body's %d lines", is, lines)
			}
		}
		// The check is a pure function of the body.
		if again := CheckAccessibility(body); len(again) != len(issues) {
			t.Fatalf("two runs disagree: %v vs %v", issues, again)
		}
	})
}
