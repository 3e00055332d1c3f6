package orgsvg

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// TestWrap checks that lines break at spaces, keep them so that they
// read the text back when joined, stay within their width, and break a
// word only when it is too long for a line of its own.
func TestWrap(t *testing.T) {
	for _, c := range []struct {
		text     string
		width    float64
		maxLines int
		want     []string
		cut      bool
	}{
		{"Sous-ministre", 164, 4, []string{"Sous-ministre"}, false},
		{"", 164, 4, nil, false},
		{"Direction de la Francophonie et de la Solidarité internationale", 164, 4,
			[]string{"Direction de la ", "Francophonie et de la ", "Solidarité ", "internationale"}, false},
		{"Direction de la Francophonie et de la Solidarité internationale", 124, 4,
			[]string{"Direction de la ", "Francophonie et ", "de la Solidarité ", "internationale"}, false},
		{"Direction de la Francophonie et de la Solidarité internationale", 124, 3,
			[]string{"Direction de la ", "Francophonie et ", "de la Solidarité…"}, true},
		{"Direction de la Francophonie et de la Solidarité internationale", 124, 2,
			[]string{"Direction de la ", "Francophonie et…"}, true},
		// A word too long for a line breaks after its hyphens first.
		{"Bureau de Saint-Jean-sur-Richelieu-et-Saint-Hyacinthe", 124, 4,
			[]string{"Bureau de ", "Saint-Jean-sur-", "Richelieu-et-Saint-", "Hyacinthe"}, false},
		// A word with no hyphen breaks between characters.
		{"Anticonstitutionnellement", 80, 4, []string{"Anticonstit", "utionnelle", "ment"}, false},
		{"Service d’aide", 1, 4, []string{"S", "e", "r", "…"}, true},
	} {
		got, cut := wrap(c.text, titleSize, c.width, c.maxLines)
		if strings.Join(got, "|") != strings.Join(c.want, "|") || cut != c.cut {
			t.Errorf("wrap(%q, %v, %d) = %q, %v; want %q, %v", c.text, c.width, c.maxLines, got, cut, c.want, c.cut)
		}
		if !cut && strings.Join(got, "") != c.text {
			t.Errorf("wrap(%q): the lines read %q", c.text, strings.Join(got, ""))
		}
	}
}

// TestWrapNames wraps long names of the kind a department has at every
// width a box can have, and checks the lines: within the width (but for
// a lone character), whole words unless a word is wider than the line,
// and the name given back whole or cut with "…".
func TestWrapNames(t *testing.T) {
	names := []string{
		"Direction de la Francophonie et de la Solidarité internationale",
		"Cabinet de la ministre des Relations internationales et de la Francophonie",
		"Direction de la planification stratégique et de la reddition de comptes",
		"Accès à l’information et protection des renseignements personnels",
		"DIRECTION GÉNÉRALE DES AFFAIRES MULTILATÉRALES ET FRANCOPHONES",
		"Délégation générale du Québec à Paris — Service des affaires économiques et commerciales",
		"Mmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmm WWWWWWWWWW",
	}
	for _, name := range names {
		for _, boxW := range []float64{boxWidth, boxWidth - indent, boxWidth - 2*indent, minWidth} {
			width := boxW - 2*padX
			lines, cut := wrap(name, titleSize, width, maxTitleLines)
			if len(lines) == 0 || len(lines) > maxTitleLines {
				t.Fatalf("%q at %v: %d lines", name, width, len(lines))
			}
			joined := strings.Join(lines, "")
			if !cut && joined != name || cut && !strings.HasPrefix(name, strings.TrimSuffix(joined, "…")) {
				t.Errorf("%q at %v: lines %q", name, width, lines)
			}
			words := map[string]bool{}
			for w := range strings.FieldsSeq(name) {
				words[w] = true
			}
			for k, l := range lines {
				if w := float64(textWidth(strings.TrimRight(l, " "))) * titleSize / 1000; w > width {
					t.Errorf("%q at %v: line %q is %.1f px wide", name, width, l, w)
				}
				for w := range strings.FieldsSeq(strings.TrimSuffix(l, "…")) {
					whole := words[w] || k == len(lines)-1 && cut
					if !whole && float64(textWidth(w))*titleSize/1000 <= width {
						// Broken, yet it would have fitted on a line.
						for full := range words {
							if strings.Contains(full, w) && float64(textWidth(full))*titleSize/1000 <= width {
								t.Errorf("%q at %v: the word %q is broken in line %q", name, width, full, l)
							}
						}
					}
				}
			}
		}
	}
}

// TestTextWidth compares the estimate with what Chromium measured for
// the long name in Open Sans semibold with its kerning: 29.74 em.
func TestTextWidth(t *testing.T) {
	const name = "Direction de la Francophonie et de la Solidarité internationale"
	if w := textWidth(name); w < 29736*99/100 || w > 29736*102/100 {
		t.Errorf("%q estimated %d thousandths of an em, measured 29736", name, w)
	}
	if w := float64(textWidth(name)) / float64(utf8.RuneCountInString(name)); w > 550 {
		t.Errorf("%.0f thousandths of an em a character: more than the usual average", w)
	}
}

func TestClean(t *testing.T) {
	for in, want := range map[string]string{
		"  Direction\t\tdes\n\nAmériques  ": "Direction des Amériques",
		"Tél.\u00a0: 418\u202f555":          "Tél.\u00a0: 418\u202f555",
		"a\u2028b\u3000c":                   "a b c",
		"\x00\x7f\xff":                      "\uFFFD\uFFFD\uFFFD",
	} {
		if got := clean(in, maxRunes); got != want {
			t.Errorf("clean(%q) = %q, want %q", in, got, want)
		}
	}
	for _, long := range []string{strings.Repeat("é ", 1000), strings.Repeat("é", 1000)} {
		if n := utf8.RuneCountInString(clean(long, maxRunes)); n < maxRunes-1 || n > maxRunes || strings.HasSuffix(clean(long, maxRunes), " ") {
			t.Errorf("a long text is cut to %d runes, want %d", n, maxRunes)
		}
	}
}
