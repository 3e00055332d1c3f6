package markdown

import (
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
	for _, want := range []string{`<h2 id="titre">Titre</h2>`, "<strong>mot</strong>", `href="https://www.quebec.ca"`, "<table>", "<th>a</th>"} {
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
