package markdown

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
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
	for _, src := range []string{
		"<script>alert(1)</script>",
		"[x](javascript:alert(1))",
		`<img src=x onerror="alert(1)">`,
		`<a href="#" onclick="alert(1)">x</a>`,
		"<iframe src=//evil></iframe>",
		`<svg onload=alert(1)>`,
	} {
		got, _ := r.Render(src)
		if unsafe := findUnsafe(string(got)); unsafe != "" {
			t.Errorf("Render(%q) = %q: %s", src, got, unsafe)
		}
	}
}

// findUnsafe parses h and names the first thing in it that could run script.
func findUnsafe(h string) string {
	z := html.NewTokenizer(strings.NewReader(h))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return ""
		case html.StartTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			switch tok.Data {
			case "script", "iframe", "object", "embed", "svg", "style", "base", "form":
				return "element " + tok.Data
			}
			for _, a := range tok.Attr {
				if strings.HasPrefix(strings.ToLower(a.Key), "on") {
					return "attribute " + a.Key
				}
				v := strings.ToLower(strings.TrimSpace(a.Val))
				if (a.Key == "href" || a.Key == "src") && (strings.HasPrefix(v, "javascript:") || strings.HasPrefix(v, "data:text")) {
					return "url " + a.Val
				}
			}
		}
	}
}

func FuzzRender(f *testing.F) {
	for _, s := range []string{"# t", "<script>x</script>", "[a](javascript:b)", "| a |\n|---|\n| <img src=x onerror=y> |", "`code`", "> quote\n\n- list"} {
		f.Add(s)
	}
	r := New()
	f.Fuzz(func(t *testing.T, src string) {
		got, err := r.Render(src)
		if err != nil {
			t.Skip()
		}
		if unsafe := findUnsafe(string(got)); unsafe != "" {
			t.Fatalf("Render(%q) produced %s: %q", src, unsafe, got)
		}
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
