// Package markdown renders page bodies: CommonMark plus tables through
// goldmark, then sanitised by bluemonday, so that no body can inject script.
package markdown

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io"
	"net/url"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"portail/internal/content"
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
			parser.WithASTTransformers(util.Prioritized(ownImages{}, 100), util.Prioritized(headingIDs{}, 200))),
	)
	p := bluemonday.UGCPolicy()
	p.AllowAttrs("id").Matching(bluemonday.SpaceSeparatedTokens).OnElements("h2", "h3", "h4", "h5", "h6")
	p.AllowAttrs("scope").Matching(bluemonday.SpaceSeparatedTokens).OnElements("th")
	p.RequireNoFollowOnLinks(false)
	return &Renderer{md: md, policy: p}
}

// Limits on one rendering, beyond which Render refuses instead of
// producing an unbounded page. A body within content.BodyProblem's limits
// stays far below them (TestWorstAcceptedBodies); they catch what that
// line scan might miss.
const (
	MaxNodes = 500_000   // nodes of the parsed document
	MaxHTML  = 4_000_000 // bytes of HTML before sanitising
)

// ErrTooComplex is returned, wrapped, for a body beyond the limits.
var ErrTooComplex = errors.New("markdown: body beyond the rendering limits")

// Render converts src to sanitised HTML. It refuses (ErrTooComplex) a body
// that content.BodyProblem refuses, before parsing it, and one whose
// document or HTML would pass MaxNodes or MaxHTML.
func (r *Renderer) Render(src string) (template.HTML, error) {
	if k := content.BodyProblem(src); k != "" {
		return "", fmt.Errorf("%w: %s", ErrTooComplex, k)
	}
	b := []byte(src)
	doc := r.md.Parser().Parse(text.NewReader(b))
	if n := countNodes(doc); n > MaxNodes {
		return "", fmt.Errorf("%w: more than %d nodes", ErrTooComplex, n)
	}
	buf := bytes.Buffer{}
	if err := r.md.Renderer().Render(&capped{w: &buf, left: MaxHTML}, b, doc); err != nil {
		return "", err
	}
	return template.HTML(r.policy.SanitizeBytes(buf.Bytes())), nil
}

// countNodes returns the number of nodes of doc, stopping once past
// MaxNodes.
func countNodes(doc ast.Node) int {
	n := 0
	ast.Walk(doc, func(ast.Node, bool) (ast.WalkStatus, error) {
		if n++; n > 2*MaxNodes { // counted entering and leaving
			return ast.WalkStop, nil
		}
		return ast.WalkContinue, nil
	})
	return n / 2
}

// capped is a writer that refuses to write more than left bytes.
type capped struct {
	w    io.Writer
	left int
}

func (c *capped) Write(p []byte) (int, error) {
	if len(p) > c.left {
		return 0, fmt.Errorf("%w: more than %d bytes of HTML", ErrTooComplex, MaxHTML)
	}
	c.left -= len(p)
	return c.w.Write(p)
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

// HeadingIDPrefix starts the id of every heading of a body. Without it,
// "## contenu" gave its heading the id of the layout's main element, and
// two elements with one id make the page invalid and its skip link
// ambiguous; the layouts use no id that starts with it.
const HeadingIDPrefix = "h-"

// headingIDs puts the generated heading ids under HeadingIDPrefix, and
// follows them in the body's own in-page links: [x](#section) leads to
// the heading "## Section" (id "h-section"). A fragment that names no
// heading of the body is left alone, and a link to a heading of another
// page must name its id with the prefix.
type headingIDs struct{}

// Transform implements parser.ASTTransformer.
func (headingIDs) Transform(doc *ast.Document, _ text.Reader, _ parser.Context) {
	ids := map[string]bool{}
	var links []*ast.Link
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			if v, ok := n.AttributeString("id"); ok {
				if id, ok := v.([]byte); ok {
					prefixed := HeadingIDPrefix + string(id)
					n.SetAttributeString("id", []byte(prefixed))
					ids[prefixed] = true
				}
			}
		case *ast.Link:
			if bytes.HasPrefix(n.Destination, []byte("#")) {
				links = append(links, n)
			}
		}
		return ast.WalkContinue, nil
	})
	for _, l := range links {
		frag := string(l.Destination[1:])
		if u, err := url.PathUnescape(frag); err == nil {
			frag = u
		}
		if ids[HeadingIDPrefix+frag] {
			l.Destination = []byte("#" + HeadingIDPrefix + frag)
		}
	}
}
