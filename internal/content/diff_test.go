package content

import (
	"strings"
	"testing"
)

// sides rebuilds both texts from a diff.
func sides(cs []Chunk) (a, b string) {
	var sa, sb strings.Builder
	for _, c := range cs {
		if c.Op != Insert {
			sa.WriteString(c.Text)
		}
		if c.Op != Delete {
			sb.WriteString(c.Text)
		}
	}
	return sa.String(), sb.String()
}

func TestDiffWords(t *testing.T) {
	cases := []struct {
		name, a, b string
		want       []Chunk
	}{
		{"same", "Le Ministère", "Le Ministère", []Chunk{{Equal, "Le Ministère"}}},
		{"word replaced", "La mission du Ministère", "La vision du Ministère",
			[]Chunk{{Equal, "La "}, {Delete, "mission"}, {Insert, "vision"}, {Equal, " du Ministère"}}},
		{"word inserted", "Québec monde", "Québec dans le monde",
			[]Chunk{{Equal, "Québec "}, {Insert, "dans le "}, {Equal, "monde"}}},
		{"whole words, not letters", "relations", "relation",
			[]Chunk{{Delete, "relations"}, {Insert, "relation"}}},
		{"from empty", "", "Nouveau", []Chunk{{Insert, "Nouveau"}}},
		{"paragraph added", "Fin.\n", "Fin.\n\nSuite.\n",
			[]Chunk{{Equal, "Fin.\n"}, {Insert, "\nSuite.\n"}}},
		{"to empty", "Ancien", "", []Chunk{{Delete, "Ancien"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := DiffWords(tc.a, tc.b)
			if len(got) != len(tc.want) {
				t.Fatalf("DiffWords(%q, %q) = %+v, want %+v", tc.a, tc.b, got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Fatalf("DiffWords(%q, %q) = %+v, want %+v", tc.a, tc.b, got, tc.want)
				}
			}
		})
	}
}

func TestDiffRevisions(t *testing.T) {
	a := Revision{Title: "Mission", Path: "ministere/mission", Summary: "Résumé", Body: "Un texte.\n\nDeux."}
	b := a
	b.Path = "ministere/notre-mission"
	b.Body = "Un texte revu.\n\nDeux."
	got := DiffRevisions(a, b)
	changed := map[string]bool{}
	for _, f := range got {
		changed[f.Field] = f.Changed
	}
	if changed["title"] || changed["summary"] || !changed["path"] || !changed["body"] {
		t.Fatalf("changed = %v", changed)
	}
	for _, f := range got {
		if f.Field == "body" {
			if _, nb := sides(f.Chunks); nb != b.Body {
				t.Fatalf("body diff rebuilds %q", nb)
			}
		}
	}
}

func TestSplitWords(t *testing.T) {
	got := strings.Join(splitWords("l'État,  à 20 %\n\n x"), "|")
	if want := "l|'|État|,|  |à| |20| |%|\n|\n| |x"; got != want {
		t.Fatalf("splitWords = %q, want %q", got, want)
	}
}

func TestTokenRunesAreValidAndReversible(t *testing.T) {
	for _, i := range []int{0, 1, surrogate - tokenBase - 1, surrogate - tokenBase, 200_000} {
		r := tokenRune(i)
		if r >= surrogate && r < surrogEnd {
			t.Fatalf("tokenRune(%d) = %U, a surrogate", i, r)
		}
		if back := runeToken(r); back != i {
			t.Fatalf("runeToken(tokenRune(%d)) = %d", i, back)
		}
	}
}

func FuzzDiffWords(f *testing.F) {
	f.Add("La mission du Ministère", "La vision du Ministère")
	f.Add("", "x")
	f.Add("a\n\nb", "a b\n")
	f.Add("\xff\xfe", "é\u0301")
	f.Fuzz(func(t *testing.T, a, b string) {
		cs := DiffWords(a, b)
		if ga, gb := sides(cs); ga != a || gb != b {
			t.Fatalf("diff of %q → %q rebuilds %q → %q", a, b, ga, gb)
		}
		for i, c := range cs {
			if c.Text == "" {
				t.Fatalf("empty chunk %d in %+v", i, cs)
			}
			if i > 0 && cs[i-1].Op == c.Op {
				t.Fatalf("chunks %d and %d share op %d", i-1, i, c.Op)
			}
		}
		if a == b && len(cs) > 1 {
			t.Fatalf("equal texts give %+v", cs)
		}
	})
}
