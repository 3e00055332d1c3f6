// Package worldmap draws the world map of the offices abroad on the
// server, as inline SVG: Natural Earth country outlines projected once
// into land.path, and one marker per office, a link to the office's page.
package worldmap

import (
	"bytes"
	"encoding/xml"
	"html/template"
	"net/url"
	"strconv"
	"strings"
	"unicode"
)

// Marker is one place on the map.
type Marker struct {
	// ID ends the marker's element id, after the map's IDPrefix; bytes
	// other than ASCII letters, digits, "-" and "_" become "-", and a
	// repeated ID gets a number.
	ID string
	// Lat and Lon are in degrees. A marker with a coordinate that is not
	// a finite number is left out.
	Lat, Lon float64
	// Label is the marker's accessible name, in the page's language
	// ("Délégation générale du Québec à Paris"); pointing devices show it
	// as a tooltip.
	Label string
	// URL is the page the marker links to. A marker whose URL is empty,
	// unparseable or of a scheme other than http, https or mailto is
	// drawn without a link.
	URL string
}

// Options are a map's texts and the prefix of its element ids.
type Options struct {
	// Title is the map's accessible name, and Desc its description, in
	// the page's language.
	Title, Desc string
	// IDPrefix starts every id in the map, so that two maps on one page
	// do not clash; "worldmap" when empty.
	IDPrefix string
}

// Sizes in viewBox units (Width units = the map's width).
const (
	// hitRadius makes each marker's touch target at least 24 CSS px
	// across (WCAG 2.2, 2.5.8) on a phone 360 px wide, where the map is
	// 328 px wide between the site's 16 px gutters: 74 × 328/1000 = 24.3.
	hitRadius = 37
	// dotRadius is the visible marker's: 5.2 px across on a map 328 px
	// wide, 16 px at 1000 px.
	dotRadius = 8
	// ringRadius is the focus ring's, with a gap between it and the dot.
	ringRadius = 14
	// anchorRadius is the dot that marks where a marker moved aside from.
	anchorRadius = 3
)

// CSS is the map's style, for the site's stylesheet. The map fills its
// container's width. A marker, Québec blue #095797 (contrast 5.4:1 against
// the land #d6dde6, 6.8:1 against the sea #f1f5f9), shows when it has
// keyboard focus a #223654 ring (8.9:1 and 11:1, 6.3:1 or more on what
// surrounds it) over a #e58271 disc the size of its touch target, and
// darkens under the pointer. The colours are also on the elements, so that
// the map reads without this style, with the browser's own focus outline.
//
// Class hooks: worldmap (the svg), worldmap-sea, worldmap-land,
// worldmap-leaders (the lines from markers moved aside to their places,
// each place marked by a worldmap-anchor dot), worldmap-marker (the a
// element, or a g for a marker without a link), worldmap-hit (its touch
// target), worldmap-ring (its focus ring) and worldmap-dot (the visible
// marker).
const CSS = `.worldmap { display: block; width: 100%; height: auto; }
.worldmap-marker:focus-visible { outline: none; }
.worldmap-marker:focus-visible .worldmap-hit { fill: #e58271; fill-opacity: .5; }
.worldmap-marker:focus-visible .worldmap-ring { stroke: #223654; stroke-width: 3px; }
.worldmap-marker:hover .worldmap-dot { fill: #223654; }
@media (forced-colors: active) {
  .worldmap-sea { fill: Canvas; }
  .worldmap-land { fill: GrayText; stroke: Canvas; }
  .worldmap-leaders { fill: LinkText; stroke: LinkText; }
  .worldmap-dot { fill: LinkText; stroke: Canvas; }
  .worldmap-marker:focus-visible .worldmap-ring { stroke: Highlight; }
}
`

// Render returns the map with its markers as an svg element to put in an
// HTML page. The map is meant to go with a list of the same places, which
// stays the main way to reach them; it scales to the width of its
// container.
//
// The svg is a group named by Title and described by Desc. Markers are
// links named by their Label, reached by the Tab key in the order given:
// give them in the order of the page's list. Markers whose touch targets
// would overlap (Boston, New York and Philadelphia; two offices in Paris)
// are moved apart until they no longer do, and a line leads from each
// moved marker to its place, so that each stays visible, focusable and
// large enough to touch on a phone.
//
// Every text and URL is escaped: the result is well-formed XML as well as
// HTML. The same markers and options give the same bytes.
func Render(markers []Marker, opt Options) template.HTML {
	prefix := idToken(opt.IDPrefix)
	if prefix == "" {
		prefix = "worldmap"
	}
	base := basemap()
	var b bytes.Buffer
	b.Grow(len(base) + 1024 + 512*len(markers))
	var num []byte
	attr := func(name string, v float64) {
		b.WriteString(` ` + name + `="`)
		num = appendNum(num[:0], v)
		b.Write(num)
		b.WriteByte('"')
	}

	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" class="worldmap" viewBox="0 0 ` +
		strconv.Itoa(Width) + ` ` + strconv.Itoa(Height) + `" width="100%" role="group"`)
	if opt.Title != "" {
		b.WriteString(` aria-labelledby="` + prefix + `-title"`)
	}
	if opt.Desc != "" {
		b.WriteString(` aria-describedby="` + prefix + `-desc"`)
	}
	b.WriteString(">\n")
	if opt.Title != "" {
		b.WriteString(`<title id="` + prefix + `-title">`)
		escape(&b, opt.Title)
		b.WriteString("</title>\n")
	}
	if opt.Desc != "" {
		b.WriteString(`<desc id="` + prefix + `-desc">`)
		escape(&b, opt.Desc)
		b.WriteString("</desc>\n")
	}
	b.WriteString(base)
	b.WriteByte('\n')

	places := layout(markers)
	leaders := false
	for _, p := range places {
		if !p.moved() {
			continue
		}
		if !leaders {
			b.WriteString(`<g class="worldmap-leaders" aria-hidden="true" fill="#095797" stroke="#095797">`)
			leaders = true
		}
		b.WriteString(`<line`)
		attr("x1", p.ax)
		attr("y1", p.ay)
		attr("x2", p.x)
		attr("y2", p.y)
		b.WriteString(` stroke-width="1" vector-effect="non-scaling-stroke"/><circle class="worldmap-anchor"`)
		attr("cx", p.ax)
		attr("cy", p.ay)
		attr("r", anchorRadius)
		b.WriteString(` stroke="none"/>`)
	}
	if leaders {
		b.WriteString("</g>\n")
	}

	b.WriteString(`<g class="worldmap-markers">`)
	ids := map[string]bool{}
	for _, p := range places {
		m := &markers[p.i]
		id := uniqueID(ids, m.ID, p.i)
		href, link := linkURL(m.URL)
		b.WriteString("\n")
		if link {
			b.WriteString(`<a class="worldmap-marker" id="` + prefix + `-m-` + id + `" href="`)
			escape(&b, href)
			b.WriteString(`">`)
		} else {
			b.WriteString(`<g class="worldmap-marker" id="` + prefix + `-m-` + id + `">`)
		}
		b.WriteString(`<title>`)
		escape(&b, m.Label)
		b.WriteString(`</title>`)
		if link {
			b.WriteString(`<circle class="worldmap-hit"`)
			attr("cx", p.x)
			attr("cy", p.y)
			attr("r", hitRadius)
			b.WriteString(` fill="#fff" fill-opacity="0"/><circle class="worldmap-ring"`)
			attr("cx", p.x)
			attr("cy", p.y)
			attr("r", ringRadius)
			b.WriteString(` fill="none" stroke="none" vector-effect="non-scaling-stroke"/>`)
		}
		b.WriteString(`<circle class="worldmap-dot"`)
		attr("cx", p.x)
		attr("cy", p.y)
		attr("r", dotRadius)
		b.WriteString(` fill="#095797" stroke="#fff" stroke-width="1.5" vector-effect="non-scaling-stroke"/>`)
		if link {
			b.WriteString(`</a>`)
		} else {
			b.WriteString(`</g>`)
		}
	}
	b.WriteString("\n</g>\n</svg>")
	return template.HTML(b.String())
}

// escape writes s as XML text, fit for an element or a quoted attribute.
// Besides escaping, it replaces what XML or HTML forbids in a document
// (control characters, noncharacters, invalid UTF-8) with U+FFFD, and
// line breaks and tabs with spaces.
func escape(b *bytes.Buffer, s string) {
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			return ' '
		case unicode.IsControl(r), unicode.Is(unicode.Noncharacter_Code_Point, r):
			return '\uFFFD'
		}
		return r // invalid UTF-8 comes here as U+FFFD already
	}, s)
	xml.EscapeText(b, []byte(s)) // a bytes.Buffer never fails to write
}

// linkURL returns the href for a marker's URL, and false when the URL
// should not be a link: empty, unparseable, or of a scheme that could
// run script (javascript:, data:) or leave the web.
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

// uniqueID returns the id token for a marker, numbered when taken
// already; i is the marker's index, the id of a marker without one.
func uniqueID(taken map[string]bool, id string, i int) string {
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
