package content

import (
	"bytes"
	"net/url"
	"strconv"
	"strings"
	"unicode"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"
)

// Issue is an accessibility problem found in a page body. Key is an i18n
// message key whose message takes Line and Text as arguments.
type Issue struct {
	Key  string
	Line int    // 1-based line of the body where the problem starts
	Text string // the offending text, image address or heading levels
}

// Accessibility issue keys.
const (
	IssueImageAlt    = "a11y.image_alt"
	IssueHeadingH1   = "a11y.heading_h1"
	IssueHeadingSkip = "a11y.heading_skip"
	IssueLinkVague   = "a11y.link_vague"
	IssueLinkEmpty   = "a11y.link_empty"
	IssueLinkURL     = "a11y.link_url"
	IssueTableHeader = "a11y.table_header"
)

// The parser must see the body as markdown.Renderer does: same extensions,
// so that a table here is a table there. Raw HTML is not checked because
// the renderer omits it.
var a11yParser = goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough)).Parser()

// vagueLinks are link texts that say nothing of where the link leads
// (WCAG 2.1 success criterion 2.4.4), compared after normalising.
var vagueLinks = map[string]bool{
	"click here": true, "here": true, "click": true, "this link": true, "link": true,
	"read more": true, "more": true, "learn more": true, "more info": true,
	"cliquez ici": true, "cliquer ici": true, "ici": true, "cliquez": true, "ce lien": true, "lien": true,
	"lire la suite": true, "la suite": true, "suite": true, "en savoir plus": true, "plus": true,
}

// CheckAccessibility returns the accessibility problems that can be found in
// a Markdown body without a browser: images without alternative text,
// skipped heading levels (the page title is the h1), links whose text says
// nothing, and tables without header cells. Publishing is refused while it
// returns any.
//
// A body beyond BodyProblem's limits is not parsed (the parser's time
// would not be bounded) and gives no issue: Revision.Validate refuses it.
func CheckAccessibility(body string) []Issue {
	if BodyProblem(body) != "" {
		return nil
	}
	src := []byte(body)
	doc := a11yParser.Parse(text.NewReader(src))
	c := checker{src: src, level: 1}
	ast.Walk(doc, c.visit)
	return c.issues
}

type checker struct {
	src    []byte
	level  int // level of the previous heading; the title is h1
	issues []Issue
}

func (c *checker) add(n ast.Node, key, text string) {
	c.issues = append(c.issues, Issue{Key: key, Line: c.line(n), Text: text})
}

// line returns the 1-based source line of n, or of its nearest ancestor
// that knows its position.
func (c *checker) line(n ast.Node) int {
	for ; n != nil; n = n.Parent() {
		pos := n.Pos()
		if pos < 0 && n.Type() == ast.TypeBlock && n.Lines().Len() > 0 {
			pos = n.Lines().At(0).Start
		}
		if pos >= 0 && pos <= len(c.src) {
			return bytes.Count(c.src[:pos], []byte("\n")) + 1
		}
	}
	return 1
}

func (c *checker) visit(n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	switch n := n.(type) {
	case *ast.Heading:
		switch {
		case n.Level == 1:
			c.add(n, IssueHeadingH1, c.text(n))
		case n.Level > c.level+1:
			c.add(n, IssueHeadingSkip, "h"+strconv.Itoa(c.level)+" → h"+strconv.Itoa(n.Level))
		}
		c.level = n.Level
	case *ast.Image:
		if strings.TrimSpace(c.text(n)) == "" {
			c.add(n, IssueImageAlt, string(n.Destination))
		}
		return ast.WalkSkipChildren, nil
	case *ast.Link:
		c.link(n, c.text(n), string(n.Destination))
		return ast.WalkSkipChildren, nil
	case *ast.AutoLink:
		if n.AutoLinkType == ast.AutoLinkURL {
			c.add(n, IssueLinkURL, string(n.Label(c.src)))
		}
	case *east.Table:
		if !c.hasHeader(n) {
			c.add(n, IssueTableHeader, "")
		}
	}
	return ast.WalkContinue, nil
}

func (c *checker) link(n ast.Node, label, dest string) {
	norm := normalise(label)
	switch {
	case norm == "":
		c.add(n, IssueLinkEmpty, dest)
	case vagueLinks[norm]:
		c.add(n, IssueLinkVague, strings.TrimSpace(label))
	case isURL(strings.TrimSpace(label)) || strings.TrimSpace(label) == dest:
		c.add(n, IssueLinkURL, strings.TrimSpace(label))
	}
}

// hasHeader reports whether a table's header row has a non-empty cell.
// Markdown tables always have a header row; an empty one is no header.
func (c *checker) hasHeader(t *east.Table) bool {
	for row := t.FirstChild(); row != nil; row = row.NextSibling() {
		if _, ok := row.(*east.TableHeader); !ok {
			continue
		}
		for cell := row.FirstChild(); cell != nil; cell = cell.NextSibling() {
			if strings.TrimSpace(c.text(cell)) != "" {
				return true
			}
		}
	}
	return false
}

// text returns the plain text of n's descendants; an image counts by its
// alternative text, so that a linked image with alt text names its link.
func (c *checker) text(n ast.Node) string {
	var b strings.Builder
	ast.Walk(n, func(d ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering || d == n {
			return ast.WalkContinue, nil
		}
		switch d := d.(type) {
		case *ast.Text:
			b.Write(d.Value(c.src))
			if d.SoftLineBreak() || d.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(d.Value)
		case *ast.AutoLink:
			b.Write(d.Label(c.src))
		case *ast.RawHTML:
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return b.String()
}

// normalise lowercases s, drops punctuation and symbols, and collapses
// spaces, so that "Cliquez ici !" and "cliquez  ici" compare equal.
func normalise(s string) string {
	f := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r)
	})
	return strings.Join(f, " ")
}

// isURL reports whether s is an address rather than words.
func isURL(s string) bool {
	if strings.ContainsAny(s, " \t\n") {
		return false
	}
	if strings.HasPrefix(strings.ToLower(s), "www.") {
		return true
	}
	u, err := url.Parse(s)
	return err == nil && u.Host != "" && (u.Scheme == "http" || u.Scheme == "https" || u.Scheme == "ftp")
}
