package orgsvg

import (
	"flag"
	"fmt"
	"html/template"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var preview = flag.String("preview", "", "write the department's chart in an HTML page to this file, to look at it in a browser")

// TestPreview writes, with -preview, a page like the one the site serves:
// the chart in a region that scrolls sideways, then the nested list that
// its boxes link to, with the site's fonts and the chart's style.
func TestPreview(t *testing.T) {
	if *preview == "" {
		t.Skip("no -preview file")
	}
	fonts, err := filepath.Abs("../assets/static/fonts")
	if err != nil {
		t.Fatal(err)
	}
	tree := ministry()
	var list func(b *Box) string
	list = func(b *Box) string {
		s := `<li id="` + strings.TrimPrefix(b.URL, "#") + `">` + template.HTMLEscapeString(b.Title)
		if b.Subtitle != "" {
			s += " (" + template.HTMLEscapeString(b.Subtitle) + ")"
		}
		if len(b.Children) > 0 {
			s += "<ul>"
			for i := range b.Children {
				s += list(&b.Children[i])
			}
			s += "</ul>"
		}
		return s + "</li>"
	}
	page := fmt.Sprintf(`<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Organigramme</title>
<style>
@font-face { font-family: "Open Sans"; font-weight: 400; src: url("file://%[1]s/open-sans-latin-400-normal.woff2") format("woff2"); }
@font-face { font-family: "Open Sans"; font-weight: 600; src: url("file://%[1]s/open-sans-latin-600-normal.woff2") format("woff2"); }
:root { --qc-font-family-content: "Open Sans", Arial, sans-serif; }
body { font-family: var(--qc-font-family-content); color: #223654; margin: 0 16px; }
.orgchart-scroll { overflow-x: auto; }
.orgchart-scroll:focus-visible { outline: 2px solid #4a98d9; outline-offset: 1px; }
%[2]s</style>
</head>
<body>
<main>
<h1>Organigramme</h1>
<h2 id="chart-h">Organigramme illustré</h2>
<div class="orgchart-scroll" role="region" aria-labelledby="chart-h" tabindex="0">
%[3]s
</div>
<h2 id="edge-h">Cas limites</h2>
<div class="orgchart-scroll" role="region" aria-labelledby="edge-h" tabindex="0">
%[5]s
</div>
<h2>Liste des unités</h2>
<ul>%[4]s</ul>
</main>
</body>
</html>
`, fonts, CSS, Render(tree, opts), list(&tree), Render(edges(), Options{
		Title: "Cas limites", IDPrefix: "edge", Truncated: "Organigramme abrégé : la liste présente toutes les unités.",
	}))
	if err := os.WriteFile(*preview, []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
}

// edges is a tree with what the department's lacks: a box with no name,
// a box with no link and a title too long for it, a unit whose name is
// one long word, and a branch deeper than MaxDepth.
func edges() Box {
	deep := Box{ID: "deep", Title: "Trop bas pour être dessiné", URL: "#unite-cabinet"}
	for i := MaxDepth; i > 1; i-- {
		deep = Box{ID: fmt.Sprint("niveau-", i), Title: fmt.Sprint("Niveau ", i), URL: "#unite-cabinet", Children: []Box{deep}}
	}
	return Box{ID: "racine", Title: "Racine", Subtitle: "<Sous-titre> & « guillemets »", URL: "#unite-cabinet", Children: []Box{
		{ID: "vide", URL: "#unite-cabinet"},
		{ID: "sans-lien", Title: strings.Repeat("Direction de la Francophonie et de la Solidarité internationale ", 2)},
		{ID: "mot", Title: "Anticonstitutionnellementissimement-et-Saint-Jean-sur-Richelieu", URL: "#unite-cabinet"},
		deep,
	}}
}
