package site

import (
	"html/template"
	"strings"

	"golang.org/x/net/html"

	"portail/internal/render"
)

// minContents is how many h2 headings make a page long enough for an
// "On this page" list.
const minContents = 2

// contents lists the h2 headings of a rendered body that have an id, as
// links to them, or nothing when there are fewer than minContents.
func contents(body template.HTML) []render.Link {
	var out []render.Link
	z := html.NewTokenizer(strings.NewReader(string(body)))
	var cur *render.Link
	var text strings.Builder
	for {
		switch z.Next() {
		case html.ErrorToken:
			if len(out) < minContents {
				return nil
			}
			return out
		case html.StartTagToken:
			if name, _ := z.TagName(); string(name) == "h2" {
				for {
					k, v, more := z.TagAttr()
					if string(k) == "id" && len(v) > 0 {
						cur = &render.Link{URL: "#" + string(v)}
						text.Reset()
					}
					if !more {
						break
					}
				}
			}
		case html.TextToken:
			if cur != nil {
				text.Write(z.Text())
			}
		case html.EndTagToken:
			if name, _ := z.TagName(); string(name) == "h2" && cur != nil {
				cur.Label = strings.Join(strings.Fields(text.String()), " ")
				if cur.Label != "" {
					out = append(out, *cur)
				}
				cur = nil
			}
		}
	}
}
