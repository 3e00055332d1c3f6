package office

import (
	"math"
	"testing"

	"portail/internal/lang"
)

func TestDistance(t *testing.T) {
	// Paris (48.857, 2.352) to Tokyo (35.690, 139.692): about 9 710 km.
	if d := Distance(48.857, 2.352, 35.690, 139.692); math.Abs(d-9712) > 15 {
		t.Fatalf("Paris–Tokyo = %.0f km", d)
	}
	if d := Distance(10, 20, 10, 20); d != 0 {
		t.Fatalf("a point to itself = %v", d)
	}
	// Antipodes: half the circumference, without NaN from rounding.
	if d := Distance(0, 0, 0, 180); math.IsNaN(d) || math.Abs(d-20015) > 1 {
		t.Fatalf("antipodes = %v", d)
	}
}

func TestCentroids(t *testing.T) {
	n := 0
	for _, c := range Countries(lang.EN) {
		if _, _, ok := Centroid(c.Code); ok {
			n++
		}
	}
	if n < 190 {
		t.Fatalf("%d countries have a centroid, want most of them", n)
	}
	lat, lon, ok := Centroid("FR")
	if !ok || math.Abs(lat-46.6) > 1 || math.Abs(lon-2.5) > 1 {
		t.Fatalf("France's middle is %v, %v (%v): want mainland France, not its overseas departments", lat, lon, ok)
	}
}

func TestServing(t *testing.T) {
	on := Date{2026, 6, 1}
	offs := []Office{
		{Slug: "paris", Type: GeneralDelegation, Country: "FR", Covers: []string{"MC"}, Latitude: 48.86, Longitude: 2.35},
		{Slug: "tokyo", Type: GeneralDelegation, Country: "JP", Latitude: 35.69, Longitude: 139.69},
		{Slug: "oif", Type: Multilateral, Country: "FR", Latitude: 48.86, Longitude: 2.35},
		{Slug: "havana", Type: Bureau, Country: "CU", Closed: Date{2025, 1, 1}, Latitude: 23.1, Longitude: -82.4},
		{Slug: "mexico", Type: GeneralDelegation, Country: "MX", Covers: []string{"CU"}, Latitude: 19.43, Longitude: -99.13},
		{Slug: "stockholm", Type: Bureau, Country: "SE", Opened: Date{2027, 1, 1}, Latitude: 59.33, Longitude: 18.07},
	}
	slugs := func(os []Office) (out []string) {
		for _, o := range os {
			out = append(out, o.Slug)
		}
		return out
	}
	for _, tc := range []struct {
		country  string
		covering []string
		nearest  string
	}{
		{"JP", []string{"tokyo"}, ""},
		{"MC", []string{"paris"}, ""},  // covered
		{"FR", []string{"paris"}, ""},  // not the multilateral office
		{"CU", []string{"mexico"}, ""}, // not the closed bureau
		{"SE", nil, "paris"},           // the planned office is not open yet
		{"KR", nil, "tokyo"},           // none covers it: the nearest
		{"BR", nil, "mexico"},
	} {
		a := Serving(offs, tc.country, on)
		got := slugs(a.Covering)
		if len(got) != len(tc.covering) || len(got) > 0 && got[0] != tc.covering[0] {
			t.Errorf("%s: covering %v, want %v", tc.country, got, tc.covering)
		}
		var near string
		if a.Nearest != nil {
			near = a.Nearest.Slug
		}
		if near != tc.nearest {
			t.Errorf("%s: nearest %q (%.0f km), want %q", tc.country, near, a.Km, tc.nearest)
		}
	}
}
