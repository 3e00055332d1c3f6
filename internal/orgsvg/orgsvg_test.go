package orgsvg

import (
	"bytes"
	"fmt"
	"net/url"
	"portail/internal/xmltest"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func named(name string) func(*xmltest.Node) bool {
	return func(e *xmltest.Node) bool { return e.Name == name }
}

func classed(class string) func(*xmltest.Node) bool {
	return func(e *xmltest.Node) bool { return hasClass(e, class) }
}

func hasClass(e *xmltest.Node, class string) bool {
	return strings.Contains(" "+e.Attr["class"]+" ", " "+class+" ")
}

// lines returns the lines of the box's text of that class, and what they
// read joined.
func lines(box *xmltest.Node, class string) ([]string, string) {
	var ls []string
	for _, t := range box.All(classed(class)) {
		for _, s := range t.Children {
			ls = append(ls, s.Text)
		}
	}
	return ls, strings.Join(ls, "")
}

// rect is a box's outline.
type rect struct{ x, y, w, h float64 }

func boxRect(t testing.TB, box *xmltest.Node) rect {
	t.Helper()
	rs := box.All(classed("orgsvg-rect"))
	if len(rs) != 1 {
		t.Fatalf("box %s has %d outlines", box.Attr["id"], len(rs))
	}
	a := rs[0].Attr
	return rect{num(t, a["x"]), num(t, a["y"]), num(t, a["width"]), num(t, a["height"])}
}

func num(t testing.TB, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("bad number %q", s)
	}
	return v
}

// preorder lists the boxes of the tree under b depth first.
func preorder(b *Box) []*Box {
	out := []*Box{b}
	for i := range b.Children {
		out = append(out, preorder(&b.Children[i])...)
	}
	return out
}

var opts = Options{
	Title:    "Organigramme du ministère",
	Desc:     "Le cabinet, la sous-ministre, les cinq secteurs et leurs directions ; la liste qui suit présente les mêmes unités.",
	IDPrefix: "org",
}

// TestRenderMinistry checks the chart of a department of 60 units: every
// box drawn in the order of the list, a link to its unit named by its
// title and subtitle, its lines giving back its title and subtitle, the
// root and the sectors filled, and the chart no wider than the site's
// container.
func TestRenderMinistry(t *testing.T) {
	tree := ministry()
	want := preorder(&tree)
	if len(want) != 60 {
		t.Fatalf("the test tree has %d units, want 60", len(want))
	}
	root := xmltest.MustParse(t, string(Render(tree, opts)))
	if root.Name != "svg" || root.Attr["role"] != "group" || root.Attr["class"] != "orgsvg" {
		t.Errorf("root element %s %v", root.Name, root.Attr)
	}
	w, h := num(t, root.Attr["width"]), num(t, root.Attr["height"])
	if root.Attr["viewBox"] != fmt.Sprintf("0 0 %v %v", w, h) {
		t.Errorf("viewBox %q for a chart of %v × %v", root.Attr["viewBox"], w, h)
	}
	if w > maxWidth {
		t.Errorf("the chart is %v px wide, more than the container's %d", w, maxWidth)
	}
	t.Logf("the chart of %d boxes is %v × %v px", len(want), w, h)
	title, desc := root.Child("title"), root.Child("desc")
	if title == nil || title.Text != opts.Title || root.Attr["aria-labelledby"] != title.Attr["id"] {
		t.Errorf("the chart is not named by its title: %v, %+v", root.Attr, title)
	}
	if desc == nil || desc.Text != opts.Desc || root.Attr["aria-describedby"] != desc.Attr["id"] {
		t.Errorf("the chart is not described by its desc: %v, %+v", root.Attr, desc)
	}

	boxes := root.All(classed("orgsvg-box"))
	if len(boxes) != len(want) {
		t.Fatalf("%d boxes drawn, want %d", len(boxes), len(want))
	}
	for k, e := range boxes {
		b := want[k]
		if e.Name != "a" || e.Attr["href"] != b.URL {
			t.Errorf("box %d (%s) is a %s to %q, want a link to %q", k, b.ID, e.Name, e.Attr["href"], b.URL)
		}
		if e.Attr["id"] != "org-b-"+b.ID {
			t.Errorf("box %d has id %q, want org-b-%s", k, e.Attr["id"], b.ID)
		}
		name := b.Title
		if b.Subtitle != "" {
			name += ", " + b.Subtitle
		}
		if tt := e.Child("title"); tt == nil || e.Children[0] != tt || tt.Text != name {
			t.Errorf("box %s is not named %q by its first child", b.ID, name)
		}
		if ls, got := lines(e, "orgsvg-title"); got != b.Title {
			t.Errorf("box %s: title lines %q read %q, want %q", b.ID, ls, got, b.Title)
		}
		if ls, got := lines(e, "orgsvg-sub"); got != b.Subtitle {
			t.Errorf("box %s: subtitle lines %q read %q, want %q", b.ID, ls, got, b.Subtitle)
		}
		if len(e.All(classed("orgsvg-ring"))) != 1 {
			t.Errorf("box %s has no focus ring", b.ID)
		}
		filled := hasClass(e, "orgsvg-filled")
		if wantFilled := k == 0 || strings.HasPrefix(b.Subtitle, "Sous-ministre adjoint") || b.ID == "srsm"; filled != wantFilled {
			t.Errorf("box %s filled: %v, want %v", b.ID, filled, wantFilled)
		}
	}
	checkBoxes(t, root)
}

// checkBoxes checks that the boxes lie inside the viewBox, their focus
// rings too, and that no box overlaps another or comes so close that its
// focus ring would cover it.
func checkBoxes(t testing.TB, root *xmltest.Node) []rect {
	t.Helper()
	w, h := num(t, root.Attr["width"]), num(t, root.Attr["height"])
	boxes := root.All(classed("orgsvg-box"))
	rs := make([]rect, len(boxes))
	const ring = ringOffset + ringWidth/2.0
	for i, e := range boxes {
		r := boxRect(t, e)
		rs[i] = r
		if r.w <= 0 || r.h <= 0 || r.x-ring < 0 || r.y-ring < 0 || r.x+r.w+ring > w || r.y+r.h+ring > h {
			t.Errorf("box %s %v (with its ring) is not inside the chart of %v × %v", e.Attr["id"], r, w, h)
		}
		for j := range i {
			q := rs[j]
			if r.x < q.x+q.w+2*ring && q.x < r.x+r.w+2*ring && r.y < q.y+q.h+2*ring && q.y < r.y+r.h+2*ring {
				t.Errorf("boxes %s %v and %s %v overlap or touch", boxes[j].Attr["id"], q, e.Attr["id"], r)
			}
		}
	}
	return rs
}

// TestRenderConnectors checks the connectors of the department's chart,
// and that the directorates and teams, 53 of the 60 boxes, stack in the
// sectors' columns while the deputy minister and the sectors are in rows.
func TestRenderConnectors(t *testing.T) {
	tree := ministry()
	root := xmltest.MustParse(t, string(Render(tree, opts)))
	if stacked := checkConnectors(t, root, parents(&tree)); stacked != 53 {
		t.Errorf("%d boxes stacked in columns, want 53", stacked)
	}
}

// parents returns, for each box of the tree under b that the chart draws
// (depth first, above MaxDepth), the index of its parent; -1 for b.
func parents(b *Box) []int {
	var out []int
	var walk func(b *Box, parent, depth int)
	walk = func(b *Box, parent, depth int) {
		if depth >= MaxDepth {
			return
		}
		i := len(out)
		out = append(out, parent)
		for k := range b.Children {
			walk(&b.Children[k], i, depth+1)
		}
	}
	walk(b, -1, 0)
	return out
}

// checkConnectors checks that each box but the root has a connector that
// starts on its parent's bottom edge, ends on its own top or left edge,
// runs only vertically and horizontally, and crosses no other box; the
// boxes' parents are given in their order. It returns how many
// connectors end on a left edge, into a column.
func checkConnectors(t testing.TB, root *xmltest.Node, parent []int) (stacked int) {
	t.Helper()
	rs := checkBoxes(t, root)
	if len(rs) != len(parent) {
		t.Fatalf("%d boxes drawn, want %d", len(rs), len(parent))
	}
	groups := root.All(classed("orgsvg-lines"))
	if len(rs) == 1 {
		if len(groups) != 0 {
			t.Error("connectors in a chart of one box")
		}
		return 0
	}
	if len(groups) != 1 || groups[0].Attr["aria-hidden"] != "true" {
		t.Fatalf("%d groups of connectors, or not hidden from assistive technology", len(groups))
	}
	paths := groups[0].All(named("path"))
	if len(paths) != len(rs)-1 {
		t.Fatalf("%d connectors for %d boxes", len(paths), len(rs))
	}
	for k, p := range paths {
		child := k + 1
		c, pa := rs[child], rs[parent[child]]
		pts := pathPoints(t, p.Attr["d"])
		start, end := pts[0], pts[len(pts)-1]
		if start[1] != pa.y+pa.h || start[0] <= pa.x || start[0] >= pa.x+pa.w {
			t.Errorf("the connector to box %d starts at %v, not on its parent's bottom edge %v", child, start, pa)
		}
		onTop := end[1] == c.y && end[0] > c.x && end[0] < c.x+c.w
		onLeft := end[0] == c.x && end[1] > c.y && end[1] < c.y+c.h
		if !onTop && !onLeft {
			t.Errorf("the connector to box %d ends at %v, not on its top or left edge %v", child, end, c)
		}
		if onLeft {
			stacked++
		}
		for s := 1; s < len(pts); s++ {
			a, b := pts[s-1], pts[s]
			x0, x1 := min(a[0], b[0]), max(a[0], b[0])
			y0, y1 := min(a[1], b[1]), max(a[1], b[1])
			for i, r := range rs {
				if i != child && i != parent[child] && x0 < r.x+r.w && x1 > r.x && y0 < r.y+r.h && y1 > r.y {
					t.Errorf("the connector to box %d crosses box %d %v", child, i, r)
				}
			}
		}
	}
	return stacked
}

// pathPoints reads a path of the form the chart draws, M then V and H
// moves, alternately, and returns its points.
func pathPoints(t testing.TB, d string) [][2]float64 {
	t.Helper()
	m := regexp.MustCompile(`^M([0-9.]+) ([0-9.]+)((?:[VH][0-9.]+)+)$`).FindStringSubmatch(d)
	if m == nil {
		t.Fatalf("path %q is not M x y and V, H moves", d)
	}
	pts := [][2]float64{{num(t, m[1]), num(t, m[2])}}
	moves := regexp.MustCompile(`([VH])([0-9.]+)`).FindAllStringSubmatch(m[3], -1)
	for k, mv := range moves {
		last, v := pts[len(pts)-1], num(t, mv[2])
		if (mv[1] == "V") != (k%2 == 0) {
			t.Fatalf("path %q does not alternate, starting vertically", d)
		}
		if mv[1] == "V" {
			pts = append(pts, [2]float64{last[0], v})
		} else {
			pts = append(pts, [2]float64{v, last[1]})
		}
	}
	return pts
}

// TestRenderLayout checks where the cut between rows and columns falls:
// a small tree spreads wholly in rows, a wide flat one stacks under its
// root, and every chart stays within the container when a layout can.
func TestRenderLayout(t *testing.T) {
	flat := func(n int) Box {
		b := Box{ID: "root", Title: "Racine", URL: "#r"}
		for i := range n {
			b.Children = append(b.Children, Box{ID: fmt.Sprint(i), Title: fmt.Sprintf("Unité numéro %d", i), URL: "#u"})
		}
		return b
	}
	for _, c := range []struct {
		name    string
		tree    Box
		stacked int
	}{
		{"a root alone", Box{Title: "Cabinet"}, 0},
		{"three units under the root", flat(3), 0},
		{"five under the root", flat(5), 0},
		{"six under the root", flat(6), 6},
		{"forty under the root", flat(40), 40},
		{"the department", ministry(), 53},
	} {
		t.Run(c.name, func(t *testing.T) {
			root := xmltest.MustParse(t, string(Render(c.tree, Options{Title: "t"})))
			checkBoxes(t, root)
			if w := num(t, root.Attr["width"]); w > maxWidth {
				t.Errorf("%v px wide", w)
			}
			stacked := 0
			for _, p := range root.All(named("path")) {
				if pts := pathPoints(t, p.Attr["d"]); len(pts) == 3 && pts[1][1] == pts[2][1] {
					stacked++ // ends with a horizontal move: into a column
				}
			}
			if stacked != c.stacked {
				t.Errorf("%d boxes stacked, want %d", stacked, c.stacked)
			}
		})
	}
}

func TestRenderEscapes(t *testing.T) {
	const nasty = `<script>alert("x")</script> & 'quotes' "too"`
	tree := Box{
		ID: `a"b<c>`, Title: nasty, Subtitle: nasty, URL: `/fr/x?a=1&b="2"<'3'>`,
		Children: []Box{{ID: `</svg>`, Title: "]]> <![CDATA[ x", URL: "#a&b"}},
	}
	out := string(Render(tree, Options{Title: nasty, Desc: nasty, IDPrefix: `p"x<y>`}))
	if strings.Contains(strings.ToLower(out), "<script") {
		t.Fatalf("unescaped script tag:\n%s", out)
	}
	root := xmltest.MustParse(t, out)
	if got := root.Child("title").Text; got != nasty {
		t.Errorf("title reads %q", got)
	}
	if got := root.Child("desc").Text; got != nasty {
		t.Errorf("desc reads %q", got)
	}
	boxes := root.All(classed("orgsvg-box"))
	if len(boxes) != 2 {
		t.Fatalf("%d boxes", len(boxes))
	}
	if got := boxes[0].Child("title").Text; got != nasty+", "+nasty {
		t.Errorf("the box's name reads %q", got)
	}
	if _, got := lines(boxes[0], "orgsvg-title"); !strings.HasPrefix(nasty, strings.TrimSuffix(got, "…")) {
		t.Errorf("the box's title reads %q", got)
	}
	if _, got := lines(boxes[1], "orgsvg-title"); got != "]]> <![CDATA[ x" {
		t.Errorf("the second box's title reads %q", got)
	}
	u, err := url.Parse(boxes[0].Attr["href"])
	if err != nil || u.Path != "/fr/x" || u.Query().Get("b") != `"2"<'3'>` {
		t.Errorf("href %q does not keep the URL", boxes[0].Attr["href"])
	}
	if got := boxes[1].Attr["href"]; got != "#a&b" {
		t.Errorf("href %q, want #a&b", got)
	}
	for _, e := range root.All(func(e *xmltest.Node) bool { return e.Attr["id"] != "" }) {
		if id := e.Attr["id"]; strings.ContainsAny(id, `"<>/ `) || !strings.HasPrefix(id, "p-x-y--") {
			t.Errorf("id %q", id)
		}
	}
}

// TestRenderText checks what escaping alone would let through into an
// HTML page: control characters, noncharacters and invalid UTF-8; and
// that white space counts as one space, no-break spaces kept.
func TestRenderText(t *testing.T) {
	root := xmltest.MustParse(t, string(Render(Box{Title: "a\x00b\x1bc\u0085d\uFDD0e\xffg\nh\t i  ", Subtitle: "Tél.\u00a0: 418", URL: "/x"}, Options{Title: "t"})))
	box := root.All(classed("orgsvg-box"))[0]
	if _, got := lines(box, "orgsvg-title"); got != "a\uFFFDb\uFFFDc d\uFFFDe\uFFFDg h i" {
		t.Errorf("title reads %q", got)
	}
	if _, got := lines(box, "orgsvg-sub"); got != "Tél.\u00a0: 418" {
		t.Errorf("subtitle reads %q", got)
	}
	// The chart's description is not cut, as a box's texts are.
	desc := strings.TrimSpace(strings.Repeat("Une longue description. ", 100))
	root = xmltest.MustParse(t, string(Render(Box{Title: "x"}, Options{Title: "t", Desc: desc})))
	if got := root.Child("desc").Text; got != desc {
		t.Errorf("a description of %d bytes reads %d", len(desc), len(got))
	}
}

func TestRenderURLs(t *testing.T) {
	for _, c := range []struct {
		url, href string // href "" = no link
	}{
		{"#unite-dgaf", "#unite-dgaf"},
		{"/fr/ministere/organigramme#unite-dfsi", "/fr/ministere/organigramme#unite-dfsi"},
		{"https://example.org/a b", "https://example.org/a%20b"},
		{"mailto:dfsi@example.org", "mailto:dfsi@example.org"},
		{"  #x  ", "#x"},
		{"", ""},
		{"javascript:alert(1)", ""},
		{"JavaScript:alert(1)", ""},
		{"java\tscript:alert(1)", ""},
		{"data:text/html,<script>alert(1)</script>", ""},
		{"vbscript:x", ""},
		{"http://[::1", ""},
	} {
		root := xmltest.MustParse(t, string(Render(Box{ID: "u", Title: "Unité", URL: c.url}, Options{Title: "t"})))
		boxes := root.All(classed("orgsvg-box"))
		if len(boxes) != 1 {
			t.Fatalf("%q: %d boxes", c.url, len(boxes))
		}
		b := boxes[0]
		if c.href == "" {
			if b.Name != "g" || len(root.All(named("a"))) != 0 {
				t.Errorf("%q: linked", c.url)
			}
			if b.Child("title") != nil || len(b.All(classed("orgsvg-ring"))) != 0 {
				t.Errorf("%q: a box without a link has a name or a focus ring", c.url)
			}
			continue
		}
		if b.Name != "a" || b.Attr["href"] != c.href {
			t.Errorf("%q: %s to %q, want a link to %q", c.url, b.Name, b.Attr["href"], c.href)
		}
	}
}

// TestRenderNames checks that a box is named by its title and subtitle,
// that a box with neither gets no link, since a link must have a name,
// and that a box without a link is named only when its text is cut
// short, the name then its tooltip.
func TestRenderNames(t *testing.T) {
	long := strings.Repeat("Direction de la Francophonie et de la Solidarité internationale ", 3)
	for _, c := range []struct {
		box  Box
		elem string
		name string // "" = none
	}{
		{Box{Title: "Direction des Amériques", Subtitle: "DAME", URL: "#a"}, "a", "Direction des Amériques, DAME"},
		{Box{Subtitle: "DAME", URL: "#a"}, "a", "DAME"},
		{Box{Title: " \t ", URL: "#a"}, "g", ""},
		{Box{URL: "#a"}, "g", ""},
		{Box{Title: "Direction des Amériques"}, "g", ""},
		{Box{Title: long}, "g", strings.TrimSpace(long)},
	} {
		root := xmltest.MustParse(t, string(Render(c.box, Options{})))
		box := root.All(classed("orgsvg-box"))[0]
		name := ""
		if tt := box.Child("title"); tt != nil {
			name = tt.Text
		}
		if box.Name != c.elem || name != c.name {
			t.Errorf("%+v: a %s named %q, want a %s named %q", c.box, box.Name, name, c.elem, c.name)
		}
	}
}

// TestRenderIDs checks that every id starts with the chart's prefix and
// is unique, so that two charts on one page do not clash, and that the
// references to ids name elements.
func TestRenderIDs(t *testing.T) {
	tree := Box{ID: "title", Title: "1", URL: "#1", Children: []Box{
		{ID: "dgaf", Title: "2", URL: "#2"},
		{ID: "dgaf", Title: "3", URL: "#3"},
		{ID: "", Title: "4"},
		{ID: "é t", Title: "5", URL: "#5"},
		{ID: "dgaf-2", Title: "6", URL: "#6"},
		{ID: strings.Repeat("x", 1000), Title: "7"},
	}}
	seen := map[string]bool{}
	for _, prefix := range []string{"", "a", "b"} {
		want := prefix
		if want == "" {
			want = "orgsvg"
		}
		root := xmltest.MustParse(t, string(Render(tree, Options{Title: "t", Desc: "d", IDPrefix: prefix})))
		ids := root.All(func(e *xmltest.Node) bool { return e.Attr["id"] != "" })
		if len(ids) != 7+2 {
			t.Errorf("prefix %q: %d ids", prefix, len(ids))
		}
		for _, e := range ids {
			id := e.Attr["id"]
			if !strings.HasPrefix(id, want+"-") || len(id) > len(want)+3+maxIDLen+4 || !regexp.MustCompile(`^[A-Za-z0-9_-]+$`).MatchString(id) {
				t.Errorf("prefix %q: id %q", prefix, id)
			}
			if seen[id] {
				t.Errorf("id %q used twice", id)
			}
			seen[id] = true
		}
		for _, ref := range []string{"aria-labelledby", "aria-describedby"} {
			if !seen[root.Attr[ref]] {
				t.Errorf("prefix %q: %s=%q names no element", prefix, ref, root.Attr[ref])
			}
		}
	}
}

// TestRenderLimits checks that a tree beyond the limits is drawn to them,
// the upper levels whole, with a visible note, and that one within them
// has no note.
func TestRenderLimits(t *testing.T) {
	wide := Box{ID: "r", Title: "Racine"}
	for i := range MaxBoxes + 500 {
		wide.Children = append(wide.Children, Box{ID: fmt.Sprint(i), Title: "Unité", URL: "#u"})
	}
	deep := Box{ID: "0", Title: "Niveau 0"}
	for i := 1; i < MaxDepth+10; i++ {
		deep = Box{ID: fmt.Sprint(i), Title: fmt.Sprint("Niveau ", i), Children: []Box{deep}}
	}
	exact := Box{Title: "Racine"}
	exact.Children = wide.Children[:MaxBoxes-1]
	for _, c := range []struct {
		name  string
		tree  Box
		note  string
		boxes int
	}{
		{"too many boxes", wide, "Organigramme abrégé : voir la liste.", MaxBoxes},
		{"too deep, the default note", deep, defaultTruncated, MaxDepth},
		{"just at the limit", exact, "", MaxBoxes},
		{"the department", ministry(), "", 60},
	} {
		t.Run(c.name, func(t *testing.T) {
			out := string(Render(c.tree, Options{Title: "t", Truncated: c.note}))
			root := xmltest.MustParse(t, out)
			boxes := root.All(classed("orgsvg-box"))
			if len(boxes) != c.boxes {
				t.Errorf("%d boxes drawn, want %d", len(boxes), c.boxes)
			}
			notes := root.All(classed("orgsvg-note"))
			if c.note == "" {
				if len(notes) != 0 {
					t.Errorf("a note under a chart within the limits")
				}
				return
			}
			if len(notes) != 1 {
				t.Fatalf("%d notes", len(notes))
			}
			if _, got := lines(root, "orgsvg-note"); got != c.note {
				t.Errorf("the note reads %q, want %q", got, c.note)
			}
			rs := checkBoxes(t, root)
			w, h := num(t, root.Attr["width"]), num(t, root.Attr["height"])
			bottom := 0.0
			for _, r := range rs {
				bottom = max(bottom, r.y+r.h)
			}
			for _, s := range notes[0].Children {
				x, y := num(t, s.Attr["x"]), num(t, s.Attr["y"])
				if y <= bottom || y > h || x < 0 || x+float64(textWidth(s.Text))*subSize/1000 > w {
					t.Errorf("note line %q at %v,%v is not under the boxes inside the chart %v × %v", s.Text, x, y, w, h)
				}
			}
		})
	}
}

func TestRenderDeterministic(t *testing.T) {
	a := Render(ministry(), opts)
	for range 3 {
		if b := Render(ministry(), opts); a != b {
			t.Fatal("two renders of the same tree differ")
		}
	}
}

// TestCSS checks that every class the style names is one the chart uses.
func TestCSS(t *testing.T) {
	tree := ministry()
	deep := Box{Title: "Trop bas"}
	for range MaxDepth {
		deep = Box{Title: "Niveau", Children: []Box{deep}}
	}
	tree.Children[0].Children = append(tree.Children[0].Children, Box{Title: "Sans lien"}, deep)
	out := string(Render(tree, Options{Title: "t", Truncated: "x"}))
	used := map[string]bool{}
	root := xmltest.MustParse(t, out)
	for _, e := range root.All(func(e *xmltest.Node) bool { return e.Attr["class"] != "" }) {
		for c := range strings.FieldsSeq(e.Attr["class"]) {
			used[c] = true
		}
	}
	for _, m := range regexp.MustCompile(`\.(orgsvg[a-z-]*)`).FindAllStringSubmatch(CSS, -1) {
		if !used[m[1]] {
			t.Errorf("the style names class %s, which the chart does not use", m[1])
		}
	}
	if !strings.Contains(CSS, ":focus-visible .orgsvg-ring") || !strings.Contains(CSS, "@media print") {
		t.Error("the style has no focus ring or no print rules")
	}
}

// FuzzRender draws random trees with random texts: the chart is always
// well-formed XML, with no script and no link but to safe schemes, every
// box inside it and apart from the others, and every connector joining a
// box to its parent.
func FuzzRender(f *testing.F) {
	f.Add([]byte{0, 0, 1, 1, 2, 0x83, 5}, "Direction de la Francophonie et de la Solidarité internationale", "Nathalie Bouchard, directrice", "#unite-dfsi", "dfsi")
	f.Add([]byte{0x80, 0x80, 0x80, 0x80}, `<script>alert(1)</script>`, `"'&<>`, `javascript:alert(1)`, `"><script>`)
	f.Add([]byte{}, "a\x00\xff]]>\u202e", "\t\n", "data:text/html,<script>", "")
	f.Add(bytes.Repeat([]byte{0}, 200), strings.Repeat("Anticonstitutionnellement ", 30), "", "#x", "x")
	f.Fuzz(func(t *testing.T, shape []byte, title, sub, u, id string) {
		if len(shape) > 300 {
			shape = shape[:300]
		}
		text := func(s string, k int) string {
			if s == "" {
				return ""
			}
			return s[k%len(s):]
		}
		// Box k's parent is box k-1 when the byte's high bit is set (a
		// deep tree), else one of the boxes before it.
		n := len(shape) + 1
		kids := make([][]int, n)
		for k := 1; k < n; k++ {
			p := int(shape[k-1]&0x7f) % k
			if shape[k-1]&0x80 != 0 {
				p = k - 1
			}
			kids[p] = append(kids[p], k)
		}
		var mk func(k int) Box
		mk = func(k int) Box {
			b := Box{ID: text(id, k), Title: text(title, k), Subtitle: text(sub, 2*k), URL: text(u, k)}
			for _, c := range kids[k] {
				b.Children = append(b.Children, mk(c))
			}
			return b
		}
		out := string(Render(mk(0), Options{Title: title, Desc: sub, IDPrefix: id, Truncated: title}))
		root, err := xmltest.Parse(out)
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, out)
		}
		if bytes.Contains(bytes.ToLower([]byte(out)), []byte("<script")) {
			t.Fatalf("unescaped script tag:\n%s", out)
		}
		for _, a := range root.All(named("a")) {
			v, err := url.Parse(a.Attr["href"])
			if err != nil {
				t.Fatalf("href %q: %v", a.Attr["href"], err)
			}
			if s := v.Scheme; s != "" && s != "http" && s != "https" && s != "mailto" {
				t.Fatalf("href %q has scheme %q", a.Attr["href"], s)
			}
		}
		tree := mk(0)
		checkConnectors(t, root, parents(&tree))
	})
}

func BenchmarkRender(b *testing.B) {
	tree := ministry()
	var n int
	for b.Loop() {
		n = len(Render(tree, opts))
	}
	b.ReportMetric(float64(n), "bytes/op")
}
