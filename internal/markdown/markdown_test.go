package markdown

import (
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"

	"portail/internal/content"
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
	for _, c := range worstAccepted() {
		f.Add(c.body[:min(len(c.body), 2000)])
	}
	r := New()
	f.Fuzz(func(t *testing.T, src string) {
		got, err := r.Render(src)
		if err != nil {
			// Every body that validation accepts must render: the
			// renderer's own limits are a second line, never the first.
			if content.BodyProblem(src) == "" {
				t.Fatalf("Render refused a body that validation accepts: %v", err)
			}
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

// worstCase is a body that validation accepts, made to cost the parser
// or the renderer as much as the limits allow along one dimension.
type worstCase struct{ name, body string }

// worstAccepted returns the worst bodies at each of content's limits,
// each as large as MaxBody allows.
func worstAccepted() []worstCase {
	fill := func(unit string) string { return strings.Repeat(unit, content.MaxBody/len(unit)) }
	// List markers count towards MaxListItems, so the deepest lists use
	// that budget and quotes fill the rest of the body.
	quotes := strings.Repeat("> ", content.MaxDepth) + "x\n"
	lists := strings.Repeat(strings.Repeat("1. ", content.MaxDepth)+"x\n", content.MaxListItems/content.MaxDepth)
	var indented strings.Builder
	for range content.MaxListItems / content.MaxDepth {
		for i := range content.MaxDepth {
			indented.WriteString(strings.Repeat("  ", i) + "- x\n")
		}
	}
	cols := content.MaxTableColumns
	rows := content.MaxTableCells/cols - 2
	padded := strings.Repeat("|a", cols) + "|\n" + strings.Repeat("|-", cols) + "|\n" + strings.Repeat("|\n", rows)
	full := strings.Repeat("| ab ", cols) + "|\n" + strings.Repeat("|-", cols) + "|\n" + strings.Repeat(strings.Repeat("| *x* ", cols)+"|\n", rows)
	items := strings.Repeat("- x\n", content.MaxListItems)
	return []worstCase{
		{"nested quotes", fill(quotes)},
		{"nested lists, then quotes", lists + fill(quotes)[len(lists):]},
		{"lists nested by indentation, then quotes", indented.String() + fill(quotes)[indented.Len():]},
		{"table padded from empty rows", padded},
		{"table with emphasis in every cell", full[:min(len(full), content.MaxBody)]},
		{"list items then emphasis", items + fill("*a* ")[len(items):]},
		{"emphasis", fill("*a* ")},
		{"strong in emphasis", fill("***a*** ")},
		{"code spans", fill("`a` ")},
		{"escaped characters", fill("&<>\"")},
		{"hard line breaks", fill("a  \n")},
		{"headings", fill("## a\n")},
		{"links at the bracket limit", strings.Repeat("[a](/fr/) ", content.MaxBrackets) + fill("b ")[len(strings.Repeat("[a](/fr/) ", content.MaxBrackets)):]},
		{"images at the bracket limit", strings.Repeat("![a](/fichiers/1/a.png) ", content.MaxBrackets/2)},
	}
}

// Every accepted body must render in well under a second. That is asserted
// on what the time depends on, not on a clock: for the worst accepted
// bodies, the parsed document and its HTML stay far below the renderer's
// limits (BenchmarkRenderWorst gives the times).
func TestWorstAcceptedBodies(t *testing.T) {
	r := New()
	for _, c := range worstAccepted() {
		t.Run(c.name, func(t *testing.T) {
			if k := content.BodyProblem(c.body); k != "" {
				t.Fatalf("validation refuses the case (%s): it is not an accepted body", k)
			}
			doc := r.md.Parser().Parse(text.NewReader([]byte(c.body)))
			nodes, depth := shape(doc)
			out, err := r.Render(c.body)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%d bytes: %d nodes, depth %d, %d bytes of HTML", len(c.body), nodes, depth, len(out))
			if nodes > MaxNodes/2 || len(out) > MaxHTML/2 {
				t.Errorf("%d nodes and %d bytes of HTML: too close to the limits (%d, %d)", nodes, len(out), MaxNodes, MaxHTML)
			}
			if depth > 2*content.MaxDepth+8 {
				t.Errorf("the document is %d deep, beyond what MaxDepth allows", depth)
			}
		})
	}
}

// shape returns the number of nodes of doc and its depth.
func shape(doc ast.Node) (nodes, depth int) {
	d := 0
	ast.Walk(doc, func(_ ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			nodes++
			d++
			depth = max(depth, d)
		} else {
			d--
		}
		return ast.WalkContinue, nil
	})
	return nodes, depth
}

// The bodies that took seconds and produced megabytes are refused before
// the parser sees them.
func TestRenderRefusesUnboundedBodies(t *testing.T) {
	r := New()
	for name, src := range map[string]string{
		"2 000 columns × 3 000 rows": strings.Repeat("|a", 2000) + "|\n" + strings.Repeat("|-", 2000) + "|\n" + strings.Repeat("|\n", 3000),
		"199 000 quotes":             strings.Repeat(">", 199_000),
		"66 000 nested lists":        strings.Repeat("1. ", 66_000),
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := r.Render(src); !errors.Is(err, ErrTooComplex) {
				t.Fatalf("Render: %v, want ErrTooComplex", err)
			}
		})
	}
}

func BenchmarkRenderWorst(b *testing.B) {
	r := New()
	for _, c := range worstAccepted() {
		b.Run(strings.ReplaceAll(c.name, " ", "_"), func(b *testing.B) {
			b.SetBytes(int64(len(c.body)))
			for b.Loop() {
				if _, err := r.Render(c.body); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
