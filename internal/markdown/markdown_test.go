package markdown

import (
	"regexp"
	"strings"
	"testing"

	"portail/internal/securitytest"
)

func TestRender(t *testing.T) {
	r := New()
	got, err := r.Render("## Titre\n\nUn **mot** et un [lien](https://www.quebec.ca).\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`<h2 id="h-titre">Titre</h2>`, "<strong>mot</strong>", `href="https://www.quebec.ca"`, "<table>", "<th>a</th>"} {
		if !strings.Contains(string(got), want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
}

func TestRenderStripsScript(t *testing.T) {
	r := New()
	for _, src := range securitytest.Payloads {
		got, err := r.Render(src)
		if err != nil {
			t.Fatalf("Render(%q): %v", src, err)
		}
		checkSafe(t, src, string(got))
	}
}

// checkSafe fails when a rendered body could run script, or holds an
// element that has no business in a page body: a body is prose, and forms,
// inline SVG or MathML in it would be either an injection or a sanitiser
// gap.
func checkSafe(t *testing.T, src, got string) {
	t.Helper()
	if unsafe := securitytest.FindUnsafe(got); unsafe != "" {
		t.Fatalf("Render(%q) produced %s: %q", src, unsafe, got)
	}
	for _, el := range securitytest.Elements(got) {
		switch el {
		case "form", "input", "button", "select", "textarea", "svg", "math", "link", "meta", "title":
			t.Fatalf("Render(%q) produced a <%s> element: %q", src, el, got)
		}
	}
}

func FuzzRender(f *testing.F) {
	for _, s := range []string{"# t", "<script>x</script>", "[a](javascript:b)", "| a |\n|---|\n| <img src=x onerror=y> |", "`code`", "> quote\n\n- list"} {
		f.Add(s)
	}
	for _, s := range securitytest.Payloads {
		f.Add(s)
	}
	r := New()
	f.Fuzz(func(t *testing.T, src string) {
		got, err := r.Render(src)
		if err != nil {
			t.Skip()
		}
		checkSafe(t, src, string(got))
	})
}

func BenchmarkRender(b *testing.B) {
	r := New()
	src := strings.Repeat("## Section\n\nUn paragraphe avec du **gras** et un [lien](/fr/).\n\n- un\n- deux\n\n", 20)
	for b.Loop() {
		if _, err := r.Render(src); err != nil {
			b.Fatal(err)
		}
	}
}

func TestImagesOnlyFromPublishedFiles(t *testing.T) {
	r := New()
	for _, tc := range []struct {
		name, src string
		want      []string // in the output
		not       []string // not in the output
	}{
		{"French file path", "![Carte du réseau](/fichiers/12/carte.png)",
			[]string{`<img src="/fichiers/12/carte.png" alt="Carte du réseau"`}, nil},
		{"English file path", "![Network map](/files/12/carte.png \"Map\")",
			[]string{`<img src="/files/12/carte.png" alt="Network map" title="Map"`}, nil},
		{"linked image", "[![Logo](/fichiers/3/logo.png)](https://www.quebec.ca)",
			[]string{`<a href="https://www.quebec.ca"><img src="/fichiers/3/logo.png" alt="Logo"`}, nil},
		{"document link", "[Rapport annuel (PDF, 120 Ko)](/fichiers/7/rapport.pdf)",
			[]string{`<a href="/fichiers/7/rapport.pdf">Rapport annuel (PDF, 120 Ko)</a>`}, nil},
		{"javascript", "![x](javascript:alert(1))", []string{"x"}, []string{"<img", "javascript"}},
		{"javascript in a reference", "![x][r]\n\n[r]: javascript:alert(1)", []string{"x"}, []string{"<img", "javascript"}},
		{"data URL", "![x](data:image/png;base64,iVBORw0KGgo=)", []string{"<p>x</p>"}, []string{"<img", "data:"}},
		{"other site", "![Pisteur](https://evil.example/p.png)", []string{"<p>Pisteur</p>"}, []string{"<img", "evil.example"}},
		{"other site, file-like path", "![x](https://evil.example/fichiers/1/a.png)", nil, []string{"<img"}},
		{"protocol-relative", "![x](//evil.example/fichiers/1/a.png)", nil, []string{"<img"}},
		{"staff URL", "![Carte](/admin/media/12)", []string{"Carte"}, []string{"<img"}},
		{"query string", "![x](/fichiers/1/a.png?x=1)", nil, []string{"<img"}},
		{"raw HTML", `<img src="/fichiers/1/a.png" onerror="alert(1)">`, nil, []string{"<img", "onerror"}},
		{"alt text with markup", "![**gras** <b>x</b>](https://evil.example/a.png)", []string{"<strong>gras</strong>"}, []string{"<img", "<b>"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := r.Render(tc.src)
			if err != nil {
				t.Fatal(err)
			}
			checkSafe(t, tc.src, string(got))
			for _, w := range tc.want {
				if !strings.Contains(string(got), w) {
					t.Errorf("output lacks %q:\n%s", w, got)
				}
			}
			for _, n := range tc.not {
				if strings.Contains(string(got), n) {
					t.Errorf("output holds %q:\n%s", n, got)
				}
			}
		})
	}
}

// Heading ids must not take the ids of the page around the body (the
// layout's main element is "contenu"), and in-page links follow them.
func TestHeadingIDsAreNamespaced(t *testing.T) {
	r := New()
	got, err := r.Render("## Contenu\n\n## Contenu\n\nVoir [la suite](#contenu-1), [le haut](#contenu) et [ailleurs](#pied).\n\n### Été\n\n[Été](#%C3%A9t%C3%A9) [autre page](/fr/x#contenu)\n")
	if err != nil {
		t.Fatal(err)
	}
	out := string(got)
	for _, want := range []string{
		`<h2 id="h-contenu">`, `<h2 id="h-contenu-1">`,
		`href="#h-contenu-1"`, `href="#h-contenu"`, `href="#pied"`, `href="/fr/x#contenu"`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %s:\n%s", want, out)
		}
	}
	for _, id := range regexp.MustCompile(`id="([^"]*)"`).FindAllStringSubmatch(out, -1) {
		if !strings.HasPrefix(id[1], HeadingIDPrefix) {
			t.Errorf("id %q is outside the headings' namespace", id[1])
		}
	}
	if !strings.Contains(out, `<h3 id="h-`) {
		t.Errorf("the accented heading has no id:\n%s", out)
	}
}
