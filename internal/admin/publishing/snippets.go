package publishing

import (
	"portail/internal/i18n"
	"portail/internal/lang"
	"portail/internal/media"
	"strings"
)

// snippet is the Markdown that shows or links to a published file, for
// the editor's panel of files to insert.
type snippet struct {
	ID       int64
	Name     string
	Markdown string
}

// markdownText escapes what would end or change a link's text.
var markdownText = strings.NewReplacer(`\`, `\\`, `[`, `\[`, `]`, `\]`, "\n", " ", "\r", " ")

// snippets returns, for each published file of files, the Markdown that
// inserts it into a body in language l, with l's public path and words
// (cat is l's catalog): an image with a description to write, a
// document as a link that says its type and size.
func snippets(cat *i18n.Catalog, files []media.File, l lang.Lang) []snippet {
	var out []snippet
	for _, f := range files {
		if !f.IsPublished() {
			continue
		}
		s := snippet{ID: f.ID, Name: f.Name}
		if f.IsImage() {
			s.Markdown = "![" + cat.T("admin.editor.files.alt") + "](" + f.PublicPath(l) + ")"
		} else {
			kind := strings.ToUpper(strings.TrimPrefix(media.Ext(f.Type), "."))
			s.Markdown = "[" + markdownText.Replace(f.Name) + " (" + kind + ", " + cat.Size(f.Size) + ")](" + f.PublicPath(l) + ")"
		}
		out = append(out, s)
	}
	return out
}
