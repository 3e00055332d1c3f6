// Package orgsvg draws an organization chart on the server, as inline
// SVG: a tree of boxes linked by connectors, the upper levels spread out
// in rows and the lower ones stacked in indented columns so that the
// chart stays narrow, each box a link to its unit.
package orgsvg

import (
	"bytes"
	"encoding/xml"
	"html/template"
	"math"
	"net/url"
	"strconv"
	"strings"
)

// Box is a unit of the chart and the units under it.
type Box struct {
	// ID ends the box's element id, after the chart's IDPrefix and
	// "-b-"; bytes other than ASCII letters, digits, "-" and "_" become
	// "-", and a repeated ID gets a number.
	ID string
	// Title is the unit's name, wrapped over at most four lines, the last
	// ending with "…" when the name needs more. Subtitle (the head's name
	// and title, the acronym) goes under it on at most two lines; it may
	// be empty. Runs of white space count as one space.
	Title, Subtitle string
	// URL is where the box links to, the unit in the page's list
	// ("#unite-dgaf"). A box whose URL is empty, unparseable or of a
	// scheme other than http, https or mailto, or whose Title and
	// Subtitle are both empty, is drawn without a link.
	URL string
	// Children are the units under this one, in the order of the page's
	// list.
	Children []Box
}

// Options are a chart's texts and the prefix of its element ids.
type Options struct {
	// Title is the chart's accessible name, and Desc its description, in
	// the page's language.
	Title, Desc string
	// IDPrefix starts every id in the chart, so that two charts on one
	// page do not clash; "orgsvg" when empty.
	IDPrefix string
	// Truncated is the note shown under a chart that had more boxes than
	// MaxBoxes or levels than MaxDepth, in the page's language; when
	// empty, a note in French and English.
	Truncated string
}

// The limits of a chart: beyond them Render leaves boxes out, the lower
// levels first, and says so in a note under the chart.
const (
	MaxBoxes = 2000
	MaxDepth = 20
)

// defaultTruncated is the note under a truncated chart when Options has
// none.
const defaultTruncated = "Organigramme abrégé : la liste présente toutes les unités. / Chart shortened: the list shows every unit."

// Colours: Québec blue #095797 for the filled boxes (white text on it:
// 7.4:1), text #223654 (12.2:1 on white) and #4e5662 (7.4:1), borders
// #c5cad2, connectors #6b778a (4.5:1), focus ring #223654.
const (
	blue      = "#095797"
	textDark  = "#223654"
	textGrey  = "#4e5662"
	border    = "#c5cad2"
	lineColor = "#6b778a"
)

// CSS is the chart's style, for the site's stylesheet. The chart is drawn
// at its natural size, to go in a region that scrolls sideways on narrow
// screens; printed, it shrinks to the page's width, and the filled boxes
// turn white with a dark border, as printers may drop fills. A box that
// is a link shows, when it has keyboard focus, a 3 px #223654 ring around
// it (12:1 against the page), and under the pointer a blue border and
// its title underlined. The colours are also on the elements, so that
// the chart reads without this style, with the browser's own focus
// outline.
//
// Class hooks: orgsvg (the svg), orgsvg-lines (the connectors' group),
// orgsvg-box (each box: an a element, or a g for a box without a link),
// orgsvg-filled (added to the root's and the column heads' boxes),
// orgsvg-ring (the focus ring), orgsvg-rect (the box's outline),
// orgsvg-title and orgsvg-sub (its text), orgsvg-note (the note under a
// truncated chart).
const CSS = `.orgsvg { display: block; max-width: none; font-family: var(--qc-font-family-content, "Open Sans", Arial, sans-serif); }
.orgsvg-box:focus { outline: none; }
.orgsvg-box:focus-visible .orgsvg-ring { stroke: #223654; }
a.orgsvg-box:hover .orgsvg-rect { stroke: #095797; }
a.orgsvg-box:hover .orgsvg-title { text-decoration: underline; }
@media print {
  .orgsvg { max-width: 100%; height: auto; break-inside: avoid; }
  .orgsvg-filled .orgsvg-rect { fill: #fff; stroke: #223654; stroke-width: 2px; }
  .orgsvg-filled .orgsvg-title, .orgsvg-filled .orgsvg-sub { fill: #223654; }
}
@media (forced-colors: active) {
  .orgsvg-rect { fill: Canvas; stroke: CanvasText; }
  .orgsvg-title, .orgsvg-sub, .orgsvg-note { fill: CanvasText; }
  a.orgsvg-box .orgsvg-title { fill: LinkText; }
  .orgsvg-lines { stroke: CanvasText; }
  .orgsvg-box:focus-visible .orgsvg-ring { stroke: Highlight; }
}
`

// Render returns the chart of the tree under root as an svg element to
// put in an HTML page, inside a region that scrolls sideways: it has a
// fixed size in px, as narrow as the layout can make it. The chart is
// meant to go with a nested list of the same units, which stays the main
// way to reach them.
//
// The upper levels of the tree are rows, each box over the first of its
// children; the lower levels stack in columns under the boxes of the last
// row, one box under the other, each level set in, titles below the
// first level in regular weight. The cut between the two is the deepest
// that keeps the chart within 1136 px, the width of the site's
// container, when one does. The root and the heads of columns are filled
// blue.
//
// The svg is a group named by Title and described by Desc. Boxes are
// links named by their title and subtitle, reached by the Tab key depth
// first, as in the page's list. Work is bounded: beyond MaxBoxes boxes or
// MaxDepth levels, boxes are left out and a note says so.
//
// Every text and URL is escaped: the result is well-formed XML as well as
// HTML. The same tree and options give the same bytes.
func Render(root Box, opt Options) template.HTML {
	prefix := idToken(opt.IDPrefix)
	if prefix == "" {
		prefix = "orgsvg"
	}
	c := build(&root)
	c.layout()
	var note []string
	noteY := 0.0
	if c.truncated {
		text := clean(opt.Truncated, maxRunes)
		if text == "" {
			text = defaultTruncated
		}
		w := max(c.width-2*margin, noteWidth)
		note, _ = wrap(text, subSize, w, 3)
		noteY = c.height
		c.width = max(c.width, w+2*margin)
		c.height += float64(len(note)*subLead) + margin
	}

	w := &writer{}
	w.b.Grow(1024 + 768*len(c.nodes))
	b := &w.b
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" class="orgsvg" viewBox="0 0`)
	w.num(c.width)
	w.num(c.height)
	b.WriteByte('"')
	w.attr("width", c.width)
	w.attr("height", c.height)
	b.WriteString(` role="group"`)
	title, desc := clean(opt.Title, math.MaxInt), clean(opt.Desc, math.MaxInt)
	if title != "" {
		b.WriteString(` aria-labelledby="` + prefix + `-title"`)
	}
	if desc != "" {
		b.WriteString(` aria-describedby="` + prefix + `-desc"`)
	}
	b.WriteString(` font-family="Open Sans, Arial, sans-serif" shape-rendering="crispEdges">` + "\n")
	if title != "" {
		b.WriteString(`<title id="` + prefix + `-title">`)
		w.text(title)
		b.WriteString("</title>\n")
	}
	if desc != "" {
		b.WriteString(`<desc id="` + prefix + `-desc">`)
		w.text(desc)
		b.WriteString("</desc>\n")
	}

	// The connectors, one per box but the root, in the boxes' order, drawn
	// first so that the boxes cover their ends.
	if len(c.order) > 1 {
		b.WriteString(`<g class="orgsvg-lines" aria-hidden="true" fill="none" stroke="` + lineColor + `" stroke-width="1">` + "\n")
		for _, i := range c.order[1:] {
			x, y, path := c.connector(i)
			b.WriteString(`<path d="M`)
			w.num(x)
			w.num(y)
			for k, v := range path {
				if k%2 == 0 {
					b.WriteByte('V')
				} else {
					b.WriteByte('H')
				}
				w.num(v)
			}
			b.WriteString(`"/>` + "\n")
		}
		b.WriteString("</g>\n")
	}

	ids := map[string]bool{}
	for _, i := range c.order {
		w.box(&c.nodes[i], prefix+"-b-"+uniqueID(ids, c.nodes[i].box.ID, i))
	}

	if len(note) > 0 {
		b.WriteString(`<text class="orgsvg-note" font-size="13" fill="` + textGrey + `">`)
		for k, line := range note {
			b.WriteString(`<tspan`)
			w.attr("x", margin)
			w.attr("y", noteY+float64(k*subLead)+subBase)
			b.WriteByte('>')
			w.text(line)
			b.WriteString(`</tspan>`)
		}
		b.WriteString("</text>\n")
	}
	b.WriteString("</svg>")
	return template.HTML(b.String())
}

// Baselines from the top of a line of title and of subtitle: half the
// line plus half the height of capitals (0.71 em in Open Sans).
const (
	titleBase = 14
	subBase   = 13
)

// writer builds the svg.
type writer struct {
	b   bytes.Buffer
	tmp []byte
}

// num writes v, to two decimals at most, after a space if it follows a
// number.
func (w *writer) num(v float64) {
	if v == math.Trunc(v) && math.Abs(v) < 1e9 {
		w.tmp = strconv.AppendInt(w.tmp[:0], int64(v), 10)
	} else {
		w.tmp = strconv.AppendFloat(w.tmp[:0], math.Round(v*100)/100, 'f', -1, 64)
	}
	if p := w.b.Bytes(); len(p) > 0 && (p[len(p)-1] >= '0' && p[len(p)-1] <= '9' || p[len(p)-1] == '.') {
		w.b.WriteByte(' ')
	}
	w.b.Write(w.tmp)
}

// attr writes ` name="v"`.
func (w *writer) attr(name string, v float64) {
	w.b.WriteString(" " + name + `="`)
	w.num(v)
	w.b.WriteByte('"')
}

// text writes s, escaped, as XML text fit for an element or a quoted
// attribute.
func (w *writer) text(s string) {
	xml.EscapeText(&w.b, []byte(s)) // a bytes.Buffer never fails to write
}

// box writes a box: its link (or group), name, focus ring, outline and
// lines of text.
func (w *writer) box(n *node, id string) {
	b := &w.b
	// The name, which is also the tooltip: the whole title and subtitle,
	// even when the box cuts them short. A box without a link needs it
	// only as a tooltip, when its text is cut short; a box without a
	// name gets no link, as a link must be named.
	name := clean(n.box.Title, maxRunes)
	if sub := clean(n.box.Subtitle, maxRunes); sub != "" && name != "" {
		name += ", " + sub
	} else if sub != "" {
		name = sub
	}
	href, link := linkURL(n.box.URL)
	link = link && name != ""
	class := "orgsvg-box"
	if n.filled {
		class += " orgsvg-filled"
	}
	if link {
		b.WriteString(`<a class="` + class + `" id="` + id + `" href="`)
		w.text(href)
		b.WriteString(`">`)
	} else {
		b.WriteString(`<g class="` + class + `" id="` + id + `">`)
	}
	if link || n.short {
		b.WriteString(`<title>`)
		w.text(name)
		b.WriteString(`</title>`)
	}
	if link {
		b.WriteString(`<rect class="orgsvg-ring"`)
		w.attr("x", n.x-ringOffset)
		w.attr("y", n.y-ringOffset)
		w.attr("width", n.w+2*ringOffset)
		w.attr("height", n.h+2*ringOffset)
		b.WriteString(` fill="none" stroke="none" stroke-width="` + strconv.Itoa(ringWidth) + `"/>`)
	}
	fill, stroke, ink, subInk := "#fff", border, textDark, textGrey
	if n.filled {
		fill, stroke, ink, subInk = blue, blue, "#fff", "#fff"
	}
	b.WriteString(`<rect class="orgsvg-rect"`)
	w.attr("x", n.x)
	w.attr("y", n.y)
	w.attr("width", n.w)
	w.attr("height", n.h)
	b.WriteString(` fill="` + fill + `" stroke="` + stroke + `"/>`)

	// Text is centred in the boxes of the rows, set left in the columns,
	// and centred vertically in boxes made taller to match their row.
	x, anchor := n.x+n.w/2, ` text-anchor="middle"`
	if n.stacked {
		x, anchor = n.x+padX, ""
	}
	top := n.y + padY + (n.h-boxHeight(len(n.title), len(n.sub)))/2
	weight := "600"
	if n.plain {
		weight = "400"
	}
	w.lines("orgsvg-title", ` font-size="14" font-weight="`+weight+`" fill="`+ink+`"`+anchor, n.title, x, top+titleBase, titleSize, titleLead, !n.stacked)
	if len(n.sub) > 0 {
		top += float64(len(n.title)*titleLead + subGap)
		w.lines("orgsvg-sub", ` font-size="13" fill="`+subInk+`"`+anchor, n.sub, x, top+subBase, subSize, subLead, !n.stacked)
	}
	if link {
		b.WriteString("</a>\n")
	} else {
		b.WriteString("</g>\n")
	}
}

// lines writes a text element with one tspan a line, the first line's
// baseline at y. A centred line that ends with a space, which browsers
// keep and centre with the rest, moves right by half the space.
func (w *writer) lines(class, attrs string, lines []string, x, y, size, lead float64, centred bool) {
	if len(lines) == 0 {
		return
	}
	w.b.WriteString(`<text class="` + class + `"` + attrs + `>`)
	for k, line := range lines {
		lx := x
		if centred && strings.HasSuffix(line, " ") {
			lx += spaceWidth * size / 2000
		}
		w.b.WriteString(`<tspan`)
		w.attr("x", lx)
		w.attr("y", y+float64(k)*lead)
		w.b.WriteByte('>')
		w.text(line)
		w.b.WriteString(`</tspan>`)
	}
	w.b.WriteString(`</text>`)
}

// linkURL returns the href for a box's URL, and false when the URL should
// not be a link: empty, unparseable, or of a scheme that could run script
// (javascript:, data:) or leave the web.
func linkURL(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", false
	}
	u, err := url.Parse(s)
	if err != nil {
		return "", false
	}
	switch u.Scheme { // lowercased by url.Parse
	case "", "http", "https", "mailto":
		return u.String(), true
	}
	return "", false
}

// idToken keeps the bytes of s that are safe in an id and a CSS selector
// and turns the others into "-".
func idToken(s string) string {
	b := []byte(s)
	for i, c := range b {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			b[i] = '-'
		}
	}
	return string(b)
}

// maxIDLen bounds the bytes of a Box.ID kept in its element id.
const maxIDLen = 64

// uniqueID returns the id token for a box, numbered when taken already;
// i is the box's index, the id of a box without one.
func uniqueID(taken map[string]bool, id string, i int) string {
	if len(id) > maxIDLen {
		id = id[:maxIDLen]
	}
	id = idToken(id)
	if id == "" {
		id = strconv.Itoa(i + 1)
	}
	out := id
	for n := 2; taken[out]; n++ {
		out = id + "-" + strconv.Itoa(n)
	}
	taken[out] = true
	return out
}
