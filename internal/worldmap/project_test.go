package worldmap

import (
	"bufio"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
)

// TestProjectMatchesGenerator checks Project against the projection the
// generator used for the outlines, on the cities it wrote to
// testdata/cities.txt: a marker lands where the outlines put its place.
func TestProjectMatchesGenerator(t *testing.T) {
	f, err := os.Open("testdata/cities.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "#") {
			continue
		}
		fs := strings.Fields(sc.Text())
		if len(fs) != 5 {
			t.Fatalf("bad fixture line %q", sc.Text())
		}
		v := make([]float64, 4)
		for k := range v {
			if v[k], err = strconv.ParseFloat(fs[k+1], 64); err != nil {
				t.Fatal(err)
			}
		}
		x, y := Project(v[0], v[1])
		if math.Abs(x-v[2]) > 1e-9 || math.Abs(y-v[3]) > 1e-9 {
			t.Errorf("%s: Project(%v, %v) = %v, %v; the generator gave %v, %v", fs[0], v[0], v[1], x, y, v[2], v[3])
		}
		n++
	}
	if n < 10 {
		t.Fatalf("checked %d cities only", n)
	}
}

// TestCitiesOnLand checks that cities fall inside the drawn outlines: the
// data file and Project agree, not only Project and the generator.
func TestCitiesOnLand(t *testing.T) {
	rings := landRings(t)
	for _, c := range []struct {
		name     string
		lat, lon float64
		// within is how far from land the point may be, in viewBox
		// units, for coastal cities that the 1:110m coast, generalised by
		// tens of kilometres, leaves in the sea; 1 unit is about 40 km.
		within float64
	}{
		{"Paris", 48.8566, 2.3522, 0},
		{"Tokyo", 35.6895, 139.6917, 0},
		{"New York", 40.7128, -74.0060, 1},
		{"New York, the Bronx", 40.8448, -73.8648, 0},
		{"Dakar", 14.7167, -17.4677, 1},
		{"Québec", 46.8139, -71.2080, 0},
		{"Mexico", 19.4326, -99.1332, 0},
		{"Munich", 48.1351, 11.5820, 0},
		{"São Paulo", -23.5505, -46.6333, 0},
		{"Beijing", 39.9042, 116.4074, 0},
		{"Nairobi", -1.2921, 36.8219, 0},
		{"Sydney", -33.80, 151.10, 0},
		{"Anadyr", 64.7337, 177.4968, 0}, // Chukotka, cut at the 180th meridian
		{"Fairbanks", 64.8378, -147.7164, 0},
	} {
		x, y := Project(c.lat, c.lon)
		if !nearLand(rings, x, y, c.within) {
			t.Errorf("%s (%v, %v) at %.1f, %.1f is farther than %v from land", c.name, c.lat, c.lon, x, y, c.within)
		}
	}
	for _, c := range []struct {
		name     string
		lat, lon float64
	}{
		{"mid-Atlantic", 30, -40},
		{"mid-Pacific", 0, -150},
		{"Indian Ocean", -20, 80},
		{"Mediterranean", 35, 18},
	} {
		x, y := Project(c.lat, c.lon)
		if onLand(rings, x, y) {
			t.Errorf("%s (%v, %v) at %.1f, %.1f is on land", c.name, c.lat, c.lon, x, y)
		}
	}
}

// TestProjectBounds checks that every finite point, the poles and the
// 180th meridian included, falls inside the viewBox.
func TestProjectBounds(t *testing.T) {
	for _, lat := range []float64{-1e9, -90, -60, -45.5, 0, 45.5, 85, 90, 1e9, math.Inf(1), math.Inf(-1)} {
		for _, lon := range []float64{-1e9, -540, -180, -179.9, 0, 179.9, 180, 181, 540, 1e9} {
			x, y := Project(lat, lon)
			if !(x >= 0 && x <= Width && y >= 0 && y <= Height) {
				t.Errorf("Project(%v, %v) = %v, %v: outside 0 0 %d %d", lat, lon, x, y, Width, Height)
			}
		}
	}
	if x, y := Project(math.NaN(), 0); !math.IsNaN(x) || !math.IsNaN(y) {
		t.Errorf("Project(NaN, 0) = %v, %v; want NaN", x, y)
	}
	if x, y := Project(0, 0); x != Width/2 {
		t.Errorf("Project(0, 0) = %v, %v; want x = %d", x, y, Width/2)
	}
}

// TestLandFile checks the data file's frame against the package's
// constants, and its size.
func TestLandFile(t *testing.T) {
	if !strings.Contains(landFile, "viewBox 0 0 "+strconv.Itoa(Width)+" "+strconv.Itoa(Height)+".") {
		t.Errorf("land.path was not written for viewBox 0 0 %d %d: regenerate it or fix the constants", Width, Height)
	}
	if len(landFile) > 150_000 {
		t.Errorf("land.path is %d bytes", len(landFile))
	}
	rings := landRings(t)
	if len(rings) < 200 {
		t.Fatalf("land.path has %d rings", len(rings))
	}
	for _, r := range rings {
		for _, p := range r {
			if p[0] < 0 || p[0] > Width || p[1] < 0 || p[1] > Height {
				t.Fatalf("point %v outside the viewBox", p)
			}
		}
	}
}

// landRings reads the rings of land.path: an absolute move, relative
// lines, a close, as gen/gen.js writes them.
func landRings(t *testing.T) [][][2]float64 {
	t.Helper()
	var rings [][][2]float64
	for line := range strings.Lines(landFile) {
		if strings.HasPrefix(line, "#") {
			continue
		}
		fs := strings.Split(strings.TrimSuffix(line, "\n"), "\t")
		if len(fs) != 3 {
			t.Fatalf("bad line %q", line)
		}
		for _, r := range strings.Split(strings.TrimSuffix(fs[2], "z"), "z") {
			abs, rel, ok := strings.Cut(strings.TrimPrefix(r, "M"), "l")
			if !ok || !strings.HasPrefix(r, "M") {
				t.Fatalf("%s: bad ring %q", fs[1], r)
			}
			start := numbers(t, abs)
			if len(start) != 2 {
				t.Fatalf("%s: bad move %q", fs[1], abs)
			}
			steps := numbers(t, rel)
			if len(steps)%2 != 0 {
				t.Fatalf("%s: odd number of coordinates in %q", fs[1], rel)
			}
			ring := [][2]float64{{start[0], start[1]}}
			x, y := start[0], start[1]
			for k := 0; k < len(steps); k += 2 {
				x, y = x+steps[k], y+steps[k+1]
				ring = append(ring, [2]float64{x, y})
			}
			rings = append(rings, ring)
		}
	}
	return rings
}

// numbers splits SVG path numbers, separated by spaces or by the sign of
// the next one.
func numbers(t *testing.T, s string) []float64 {
	t.Helper()
	var out []float64
	for _, f := range strings.Fields(strings.ReplaceAll(s, "-", " -")) {
		v, err := strconv.ParseFloat(f, 64)
		if err != nil {
			t.Fatalf("bad number %q", f)
		}
		out = append(out, v)
	}
	return out
}

// nearLand says whether (x, y) is on land or within r of it, trying
// points on circles around it.
func nearLand(rings [][][2]float64, x, y, r float64) bool {
	if onLand(rings, x, y) {
		return true
	}
	for d := r / 4; d <= r && r > 0; d += r / 4 {
		for a := 0.0; a < 2*math.Pi; a += math.Pi / 16 {
			if onLand(rings, x+d*math.Cos(a), y+d*math.Sin(a)) {
				return true
			}
		}
	}
	return false
}

// onLand says whether (x, y) is inside an odd number of rings of some
// country, counting all countries' rings together: no two overlap.
func onLand(rings [][][2]float64, x, y float64) bool {
	in := false
	for _, r := range rings {
		for i, j := 0, len(r)-1; i < len(r); j, i = i, i+1 {
			a, b := r[i], r[j]
			if (a[1] > y) != (b[1] > y) && x < a[0]+(y-a[1])*(b[0]-a[0])/(b[1]-a[1]) {
				in = !in
			}
		}
	}
	return in
}
