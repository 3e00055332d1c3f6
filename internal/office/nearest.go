package office

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"math"
	"slices"
	"strconv"
	"sync"

	"golang.org/x/text/language"
)

// centroidsCSV holds each country's centroid (gen/README.md says whence).
//
//go:embed centroids.csv
var centroidsCSV []byte

type point struct{ lat, lon float64 }

var centroids = sync.OnceValue(func() map[string]point {
	out := map[string]point{}
	rows, err := csv.NewReader(bytes.NewReader(centroidsCSV)).ReadAll()
	if err != nil {
		panic("office: centroids.csv: " + err.Error()) // embedded: a test reads it
	}
	for _, row := range rows[1:] {
		m49, err1 := strconv.Atoi(row[0])
		lat, err2 := strconv.ParseFloat(row[1], 64)
		lon, err3 := strconv.ParseFloat(row[2], 64)
		r, err4 := language.EncodeM49(m49)
		if err1 != nil || err2 != nil || err3 != nil || err4 != nil {
			continue // a territory with no ISO code of its own
		}
		out[r.String()] = point{lat, lon}
	}
	return out
})

// Centroid returns the middle of the country's mainland, if the outlines
// know the country.
func Centroid(country string) (lat, lon float64, ok bool) {
	p, ok := centroids()[country]
	return p.lat, p.lon, ok
}

// Distance returns the great-circle distance in kilometres between two
// points given in degrees (the haversine formula).
func Distance(lat1, lon1, lat2, lon2 float64) float64 {
	const r = 6371.0 // the Earth's mean radius, km
	rad := math.Pi / 180
	dlat, dlon := (lat2-lat1)*rad, (lon2-lon1)*rad
	a := math.Sin(dlat/2)*math.Sin(dlat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dlon/2)*math.Sin(dlon/2)
	return 2 * r * math.Asin(math.Min(1, math.Sqrt(a)))
}

// Answer says which offices serve a country.
type Answer struct {
	// Covering are the offices in the country or that cover it.
	Covering []Office
	// Nearest, when none covers it, is the office closest to the
	// country's middle, Km away; nil when the country's place is unknown.
	Nearest *Office
	Km      float64
}

// Serving answers "which office serves my country?" among the offices
// open on day on: those in the country or covering it, else the nearest.
func Serving(offs []Office, country string, on Date) Answer {
	var a Answer
	var open []Office
	for _, o := range offs {
		if o.StatusOn(on) != Open || o.TypeOn(on) == Multilateral {
			continue
		}
		open = append(open, o)
		if o.Country == country || slices.Contains(o.Covers, country) {
			a.Covering = append(a.Covering, o)
		}
	}
	if len(a.Covering) > 0 {
		return a
	}
	lat, lon, ok := Centroid(country)
	if !ok {
		return a
	}
	for i, o := range open {
		if d := Distance(lat, lon, o.Latitude, o.Longitude); a.Nearest == nil || d < a.Km {
			a.Nearest, a.Km = &open[i], d
		}
	}
	return a
}
