// Package markdown renders page bodies: CommonMark plus tables through
// goldmark, then sanitised by bluemonday, so that no body can inject script.
package markdown

import (
	"bytes"
	"html/template"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"portail/internal/media"
)

// Renderer turns Markdown into safe HTML. It is safe for concurrent use.
type Renderer struct {
	md     goldmark.Markdown
	policy *bluemonday.Policy
}

// New returns a Renderer.
func New() *Renderer {
	md := goldmark.New(
		goldmark.WithExtensions(extension.Table, extension.Strikethrough),
		goldmark.WithParserOptions(parser.WithAutoHeadingID(),
			parser.WithASTTransformers(util.Prioritized(ownImages{}, 100))),
	)
	p := bluemonday.UGCPolicy()
	p.AllowAttrs("id").Matching(bluemonday.SpaceSeparatedTokens).OnElements("h2", "h3", "h4", "h5", "h6")
	p.AllowAttrs("scope").Matching(bluemonday.SpaceSeparatedTokens).OnElements("th")
	p.RequireNoFollowOnLinks(false)
	return &Renderer{md: md, policy: p}
}

// Render converts src to sanitised HTML.
func (r *Renderer) Render(src string) (template.HTML, error) {
	var buf bytes.Buffer
	if err := r.md.Convert([]byte(src), &buf); err != nil {
		return "", err
	}
	return template.HTML(r.policy.SanitizeBytes(buf.Bytes())), nil
}

// ownImages keeps only the images that are published files of this site
// (media.IsPublicPath): the public pages' policy loads images from this
// origin alone, and an image from elsewhere would let its server watch
// who reads the page. Another image becomes its alternative text. The
// parser emits no raw HTML (goldmark's default), so Markdown's image
// syntax is the only way to an <img>, and this rule holds for every one;
// bluemonday still checks each URL's scheme after it.
type ownImages struct{}

// Transform implements parser.ASTTransformer.
func (ownImages) Transform(doc *ast.Document, _ text.Reader, _ parser.Context) {
	var foreign []*ast.Image
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if img, ok := n.(*ast.Image); ok && entering && !media.IsPublicPath(string(img.Destination)) {
			foreign = append(foreign, img)
		}
		return ast.WalkContinue, nil
	})
	for _, img := range foreign {
		parent := img.Parent()
		for c := img.FirstChild(); c != nil; {
			next := c.NextSibling()
			parent.InsertBefore(parent, img, c)
			c = next
		}
		parent.RemoveChild(parent, img)
	}
}
