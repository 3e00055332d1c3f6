package worldmap

import (
	"bytes"
	"fmt"
	"math"
	"net/url"
	"portail/internal/xmltest"
	"strconv"
	"strings"
	"testing"
)

func named(name string) func(*xmltest.Node) bool {
	return func(n *xmltest.Node) bool { return n.Name == name }
}

func classed(class string) func(*xmltest.Node) bool {
	return func(n *xmltest.Node) bool { return n.Attr["class"] == class }
}

var opts = Options{Title: "Carte des représentations", Desc: "Les 35 représentations du Québec à l'étranger ; la liste suit.", IDPrefix: "carte"}

func TestRenderLinks(t *testing.T) {
	root := xmltest.MustParse(t, string(Render(offices, opts)))
	if root.Name != "svg" || root.Attr["viewBox"] != "0 0 1000 446" || root.Attr["width"] != "100%" {
		t.Errorf("root element %s %v", root.Name, root.Attr)
	}
	if _, fixed := root.Attr["height"]; fixed {
		t.Error("the svg has a fixed height: it would not scale with its width")
	}
	title := root.Child("title")
	if title == nil || title.Text != opts.Title || root.Attr["aria-labelledby"] != title.Attr["id"] {
		t.Errorf("the map is not named by its title: %v, %+v", root.Attr, title)
	}
	desc := root.Child("desc")
	if desc == nil || desc.Text != opts.Desc || root.Attr["aria-describedby"] != desc.Attr["id"] {
		t.Errorf("the map is not described by its desc: %v, %+v", root.Attr, desc)
	}
	links := root.All(named("a"))
	if len(links) != len(offices) {
		t.Fatalf("%d links for %d markers", len(links), len(offices))
	}
	for k, a := range links {
		m := offices[k]
		if a.Attr["href"] != m.URL {
			t.Errorf("link %d goes to %q, want %q", k, a.Attr["href"], m.URL)
		}
		if tt := a.Child("title"); tt == nil || tt.Text != m.Label || a.Children[0] != tt {
			t.Errorf("link %d is not named %q by its first child", k, m.Label)
		}
		if a.Attr["id"] != "carte-m-"+m.ID {
			t.Errorf("link %d has id %q", k, a.Attr["id"])
		}
		if len(a.All(classed("worldmap-hit"))) != 1 || len(a.All(classed("worldmap-dot"))) != 1 || len(a.All(classed("worldmap-ring"))) != 1 {
			t.Errorf("link %d lacks its touch target, ring or dot", k)
		}
	}
}

// TestRenderTouchTargets checks that on the network's 35 offices, dense
// in western Europe and the north-east of the United States, no two touch
// targets overlap, and that each marker moved aside is led to its place.
func TestRenderTouchTargets(t *testing.T) {
	root := xmltest.MustParse(t, string(Render(offices, opts)))
	hits := root.All(classed("worldmap-hit"))
	if len(hits) != len(offices) {
		t.Fatalf("%d touch targets for %d markers", len(hits), len(offices))
	}
	type pt struct{ x, y, r float64 }
	var ps []pt
	for _, h := range hits {
		ps = append(ps, pt{num(t, h.Attr["cx"]), num(t, h.Attr["cy"]), num(t, h.Attr["r"])})
	}
	// 24 CSS px on a map 328 px wide, a phone's 360 px less the gutters.
	if min := 24.0 / 328 * Width / 2; ps[0].r < min {
		t.Fatalf("touch targets of radius %v, under %v", ps[0].r, min)
	}
	for i := range ps {
		p := ps[i]
		if p.x-p.r < 0 || p.x+p.r > Width || p.y-p.r < 0 || p.y+p.r > Height {
			t.Errorf("%s: target at %v sticks out of the viewBox", offices[i].ID, p)
		}
		for j := i + 1; j < len(ps); j++ {
			if d := math.Hypot(ps[j].x-p.x, ps[j].y-p.y); d < p.r+ps[j].r-0.2 {
				t.Errorf("targets of %s and %s overlap: centres %.1f apart", offices[i].ID, offices[j].ID, d)
			}
		}
	}
	lines := root.All(named("line"))
	if len(lines) < 5 {
		t.Errorf("only %d markers moved aside: the test data should crowd some", len(lines))
	}
	for _, l := range lines {
		x2, y2 := num(t, l.Attr["x2"]), num(t, l.Attr["y2"])
		found := false
		for _, p := range ps {
			found = found || (p.x == x2 && p.y == y2)
		}
		if !found {
			t.Errorf("leader line %v ends on no marker", l.Attr)
		}
	}
	// The two Paris offices, at the same place on this scale, are apart.
	if ps[0] == ps[1] {
		t.Error("the two Paris markers are drawn on each other")
	}
}

// TestRenderCrowded checks that 40 markers at one place, as many as the
// network has offices, all get touch targets of their own, and that more
// markers than the map can hold apart are still drawn, each a link.
func TestRenderCrowded(t *testing.T) {
	for _, n := range []int{40, maxSpread + 1} {
		ms := make([]Marker, n)
		for i := range ms {
			ms[i] = Marker{Lat: 48.8566, Lon: 2.3522, Label: "Paris", URL: "/paris"}
		}
		root := xmltest.MustParse(t, string(Render(ms, Options{Title: "t"})))
		hits := root.All(classed("worldmap-hit"))
		if len(hits) != n {
			t.Fatalf("%d markers: %d drawn", n, len(hits))
		}
		if n > maxSpread {
			continue
		}
		for i := range hits {
			for j := i + 1; j < len(hits); j++ {
				d := math.Hypot(num(t, hits[i].Attr["cx"])-num(t, hits[j].Attr["cx"]), num(t, hits[i].Attr["cy"])-num(t, hits[j].Attr["cy"]))
				if d < 2*hitRadius-0.2 {
					t.Fatalf("%d markers: targets %d and %d overlap, %.1f apart", n, i, j, d)
				}
			}
		}
	}
}

func TestRenderEscapes(t *testing.T) {
	const nasty = `<script>alert("x")</script> & 'quotes' "too"`
	out := string(Render([]Marker{{
		ID: `a"b<c>`, Lat: 45, Lon: -73, Label: nasty, URL: `/fr/x?a=1&b="2"<'3'>`,
	}}, Options{Title: nasty, Desc: nasty, IDPrefix: `p"x<y>`}))
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
	a := root.All(named("a"))
	if len(a) != 1 {
		t.Fatalf("%d links", len(a))
	}
	if got := a[0].Child("title").Text; got != nasty {
		t.Errorf("link's title reads %q", got)
	}
	u, err := url.Parse(a[0].Attr["href"])
	if err != nil || u.Path != "/fr/x" || u.Query().Get("b") != `"2"<'3'>` {
		t.Errorf("href %q does not keep the URL", a[0].Attr["href"])
	}
	for _, n := range root.All(func(n *xmltest.Node) bool { return n.Attr["id"] != "" }) {
		if id := n.Attr["id"]; strings.ContainsAny(id, `"<> `) || !strings.HasPrefix(id, "p-x-y--") {
			t.Errorf("id %q", id)
		}
	}
}

// TestRenderText checks what escaping alone would let through into an
// HTML page: control characters, noncharacters and invalid UTF-8.
func TestRenderText(t *testing.T) {
	out := string(Render([]Marker{{Lat: 1, Lon: 1, Label: "a\x00b\x1bc\u0085d\uFDD0e\xffg\nh\ti", URL: "/x"}}, Options{Title: "t"}))
	root := xmltest.MustParse(t, out)
	got := root.All(named("a"))[0].Child("title").Text
	if want := "a\uFFFDb\uFFFDc\uFFFDd\uFFFDe\uFFFDg h i"; got != want {
		t.Errorf("label reads %q, want %q", got, want)
	}
}

func TestRenderURLs(t *testing.T) {
	for _, c := range []struct {
		url, href string // href "" = no link
	}{
		{"/fr/representations/paris", "/fr/representations/paris"},
		{"https://example.org/a b", "https://example.org/a%20b"},
		{"mailto:paris@example.org", "mailto:paris@example.org"},
		{"  /x  ", "/x"},
		{"", ""},
		{"javascript:alert(1)", ""},
		{"JavaScript:alert(1)", ""},
		{"java\tscript:alert(1)", ""},
		{"data:text/html,<script>alert(1)</script>", ""},
		{"vbscript:x", ""},
		{"http://[::1", ""},
	} {
		root := xmltest.MustParse(t, string(Render([]Marker{{ID: "m", Lat: 10, Lon: 10, Label: "M", URL: c.url}}, Options{Title: "t"})))
		links := root.All(named("a"))
		if c.href == "" {
			if len(links) != 0 {
				t.Errorf("%q: linked to %q", c.url, links[0].Attr["href"])
			}
			ms := root.All(classed("worldmap-marker"))
			if len(ms) != 1 || ms[0].Name != "g" || ms[0].Child("title").Text != "M" {
				t.Errorf("%q: the marker is not drawn, unlinked", c.url)
			}
			continue
		}
		if len(links) != 1 || links[0].Attr["href"] != c.href {
			t.Errorf("%q: links %v, want one to %q", c.url, links, c.href)
		}
	}
}

// TestRenderExtremes checks that markers at the poles, on the 180th
// meridian and beyond the valid ranges are drawn wholly inside the
// viewBox, the dots marking their places at least centred inside it, and
// that markers with no valid place are left out.
func TestRenderExtremes(t *testing.T) {
	var ms []Marker
	for _, lat := range []float64{-90, -89.9, 0, 85, 90, 1e6} {
		for _, lon := range []float64{-180, 0, 180, 720} {
			ms = append(ms, Marker{ID: fmt.Sprint(len(ms)), Lat: lat, Lon: lon, Label: "x", URL: "/x"})
		}
	}
	valid := len(ms)
	ms = append(ms,
		Marker{Lat: math.NaN(), Lon: 0, Label: "nan", URL: "/x"},
		Marker{Lat: 0, Lon: math.Inf(1), Label: "inf", URL: "/x"})
	root := xmltest.MustParse(t, string(Render(ms, Options{Title: "t"})))
	if n := len(root.All(named("a"))); n != valid {
		t.Errorf("%d links, want %d", n, valid)
	}
	for _, c := range root.All(named("circle")) {
		x, y, r := num(t, c.Attr["cx"]), num(t, c.Attr["cy"]), num(t, c.Attr["r"])
		if c.Attr["class"] == "worldmap-anchor" {
			r = 0 // the dot at a marker's place: its centre is the place
		}
		if x-r < 0 || x+r > Width || y-r < 0 || y+r > Height {
			t.Errorf("circle %v sticks out of the viewBox", c.Attr)
		}
	}
}

func TestRenderEmpty(t *testing.T) {
	for _, ms := range [][]Marker{nil, {}} {
		out := string(Render(ms, Options{Title: "Carte"}))
		root := xmltest.MustParse(t, out)
		if len(root.All(named("a"))) != 0 || len(root.All(named("circle"))) != 0 || len(root.All(named("line"))) != 0 {
			t.Errorf("markers on an empty map:\n%s", out)
		}
		land := root.All(classed("worldmap-land"))
		if len(land) != 1 || len(land[0].Attr["d"]) < 30_000 {
			t.Error("no land on an empty map")
		}
		if len(root.All(classed("worldmap-sea"))) != 1 {
			t.Error("no sea on an empty map")
		}
	}
}

func TestRenderDeterministic(t *testing.T) {
	ms := append(append([]Marker(nil), offices...), offices[:5]...) // crowd it more
	a := Render(ms, opts)
	for range 3 {
		if b := Render(ms, opts); a != b {
			t.Fatal("two renders of the same markers differ")
		}
	}
}

// TestRenderIDs checks that every id starts with the map's prefix and is
// unique, so that two maps on one page do not clash.
func TestRenderIDs(t *testing.T) {
	ms := []Marker{
		{ID: "paris", Lat: 48.8, Lon: 2.3, Label: "1", URL: "/1"},
		{ID: "paris", Lat: 48.9, Lon: 2.4, Label: "2", URL: "/2"},
		{ID: "", Lat: 45, Lon: -73, Label: "3", URL: "/3"},
		{ID: "title", Lat: 0, Lon: 0, Label: "4", URL: "/4"},
		{ID: "é t", Lat: 10, Lon: 10, Label: "5", URL: "/5"},
	}
	seen := map[string]bool{}
	for _, prefix := range []string{"", "a", "b"} {
		out := string(Render(ms, Options{Title: "t", Desc: "d", IDPrefix: prefix}))
		want := prefix
		if want == "" {
			want = "worldmap"
		}
		root := xmltest.MustParse(t, out)
		ids := root.All(func(n *xmltest.Node) bool { return n.Attr["id"] != "" })
		if len(ids) != len(ms)+2 {
			t.Errorf("prefix %q: %d ids", prefix, len(ids))
		}
		for _, n := range ids {
			id := n.Attr["id"]
			if !strings.HasPrefix(id, want+"-") || strings.ContainsAny(id, " \t\n") {
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

func num(t testing.TB, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("bad number %q", s)
	}
	return v
}

func FuzzRender(f *testing.F) {
	f.Add("Délégation générale du Québec à Paris", "/fr/representations/paris", 48.8566, 2.3522, "paris")
	f.Add(`<script>alert(1)</script>`, `javascript:alert(1)`, 90.0, 180.0, `"><script>`)
	f.Add("a\x00\xff]]>", "data:text/html,<script>", math.NaN(), math.Inf(-1), "")
	f.Fuzz(func(t *testing.T, label, u string, lat, lon float64, id string) {
		ms := []Marker{
			{ID: id, Lat: lat, Lon: lon, Label: label, URL: u},
			{ID: id, Lat: lat, Lon: lon, Label: label, URL: u}, // the same place twice
			offices[0],
		}
		out := string(Render(ms, Options{Title: label, Desc: label, IDPrefix: id}))
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
		for _, c := range root.All(named("circle")) {
			x, y := num(t, c.Attr["cx"]), num(t, c.Attr["cy"])
			if !(x >= 0 && x <= Width && y >= 0 && y <= Height) {
				t.Fatalf("circle %v outside the viewBox", c.Attr)
			}
		}
	})
}

func BenchmarkRender(b *testing.B) {
	if len(offices) != 35 {
		b.Fatalf("%d markers, want 35", len(offices))
	}
	var n int
	for b.Loop() {
		n = len(Render(offices, opts))
	}
	b.ReportMetric(float64(n), "bytes/op")
}
