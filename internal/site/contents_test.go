package site

import (
	"html/template"
	"reflect"
	"testing"

	"portail/internal/render"
)

func TestContents(t *testing.T) {
	for _, c := range []struct {
		name string
		body string
		want []render.Link
	}{
		{"two h2", `<h2 id="a">Notre <em>mission</em></h2><p>x</p><h3 id="b">Sub</h3><h2 id="c">Vision</h2>`,
			[]render.Link{{Label: "Notre mission", URL: "#a"}, {Label: "Vision", URL: "#c"}}},
		{"one h2 is not long", `<h2 id="a">Seul</h2>`, nil},
		{"headings without id are left out", `<h2>Sans id</h2><h2 id="a">A</h2>`, nil},
		{"no headings", `<p>texte</p>`, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := contents(template.HTML(c.body)); !reflect.DeepEqual(got, c.want) {
				t.Errorf("contents = %+v, want %+v", got, c.want)
			}
		})
	}
}
