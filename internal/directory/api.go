package directory

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"strconv"
	"strings"

	"portail/internal/api"
	"portail/internal/lang"
	"portail/internal/office"
)

// apiOffice is an office in the open data.
type apiOffice struct {
	Slug       string            `json:"slug"`
	Type       office.Type       `json:"type"`
	Status     office.Status     `json:"status"`
	Name       map[string]string `json:"name"`
	City       string            `json:"city"`
	CityEN     string            `json:"city_en"`
	Country    string            `json:"country"`
	Region     office.Region     `json:"region"`
	Latitude   float64           `json:"latitude"`
	Longitude  float64           `json:"longitude"`
	Timezone   string            `json:"timezone"`
	Clienteles []string          `json:"clienteles"`
	Covers     []string          `json:"covers"`
	URL        map[string]string `json:"url"`
	Sample     bool              `json:"sample"`
}

// APIEndpoints returns the directory's open data endpoints.
func (d *Directory) APIEndpoints() []api.Endpoint {
	return []api.Endpoint{
		{Path: api.Prefix + "offices", Summary: "The offices abroad, as JSON; ?date=YYYY-MM-DD for their status on that day.", Handler: d.handleAPI("json")},
		{Path: api.Prefix + "offices.csv", Summary: "The offices abroad, as CSV (UTF-8, header row).", Handler: d.handleAPI("csv")},
		{Path: api.Prefix + "offices.geojson", Summary: "The offices abroad, as a GeoJSON FeatureCollection (RFC 7946).", Handler: d.handleAPI("geojson")},
	}
}

func (d *Directory) handleAPI(format string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		on := d.today()
		if v := r.URL.Query().Get("date"); v != "" {
			day, ok := office.ParseDay(v)
			if !ok {
				api.Error(w, http.StatusBadRequest, "bad_date", "The date must be a day written YYYY-MM-DD.")
				return
			}
			on = day
		}
		offs, err := d.store.Offices(r.Context())
		if err != nil {
			api.Error(w, http.StatusInternalServerError, "internal", "The offices could not be read.")
			return
		}
		list := make([]apiOffice, len(offs))
		for i, o := range offs {
			list[i] = toAPI(o, on)
		}
		modified := latestUpdate(offs)
		switch format {
		case "csv":
			api.Write(w, r, "text/csv; charset=utf-8", officesCSV(list), modified)
		case "geojson":
			api.JSONAs(w, r, "application/geo+json", geoJSON(list), modified)
		default:
			api.JSON(w, r, map[string]any{"offices": list}, modified)
		}
	})
}

func toAPI(o office.Office, on office.Date) apiOffice {
	a := apiOffice{Slug: o.Slug, Type: o.TypeOn(on), Status: o.StatusOn(on),
		Name: map[string]string{"fr": o.Name[lang.FR], "en": o.Name[lang.EN]}, City: o.City[lang.FR], CityEN: o.City[lang.EN],
		Country: o.Country, Region: o.Region, Latitude: o.Latitude, Longitude: o.Longitude, Timezone: o.TimeZone,
		Clienteles: []string{}, Covers: append([]string{}, o.Covers...),
		URL:    map[string]string{"fr": OfficeURL(lang.FR, o.Slug), "en": OfficeURL(lang.EN, o.Slug)},
		Sample: o.Sample}
	for _, c := range office.Clienteles {
		if strings.TrimSpace(o.Services[c][lang.FR]) != "" {
			a.Clienteles = append(a.Clienteles, string(c))
		}
	}
	return a
}

// geoJSON returns the offices as an RFC 7946 FeatureCollection: one
// Point per office, [longitude, latitude], with the other fields as its
// properties.
func geoJSON(list []apiOffice) map[string]any {
	features := make([]map[string]any, len(list))
	for i, a := range list {
		features[i] = map[string]any{
			"type":     "Feature",
			"id":       a.Slug,
			"geometry": map[string]any{"type": "Point", "coordinates": []float64{a.Longitude, a.Latitude}},
			"properties": map[string]any{
				"slug": a.Slug, "type": a.Type, "status": a.Status, "name": a.Name, "city": a.City, "city_en": a.CityEN,
				"country": a.Country, "region": a.Region, "timezone": a.Timezone, "clienteles": a.Clienteles,
				"covers": a.Covers, "url": a.URL, "sample": a.Sample,
			},
		}
	}
	return map[string]any{"type": "FeatureCollection", "features": features}
}

// csvHeader are the open data CSV's columns.
var csvHeader = []string{"slug", "type", "status", "name_fr", "name_en", "city", "city_en", "country", "region",
	"latitude", "longitude", "timezone", "clienteles", "covers", "url_fr", "url_en", "sample"}

func officesCSV(list []apiOffice) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write(csvHeader)
	for _, a := range list {
		w.Write([]string{a.Slug, string(a.Type), string(a.Status), a.Name["fr"], a.Name["en"], a.City, a.CityEN, a.Country,
			string(a.Region), strconv.FormatFloat(a.Latitude, 'f', -1, 64), strconv.FormatFloat(a.Longitude, 'f', -1, 64),
			a.Timezone, strings.Join(a.Clienteles, " "), strings.Join(a.Covers, " "), a.URL["fr"], a.URL["en"], strconv.FormatBool(a.Sample)})
	}
	w.Flush()
	return b.Bytes()
}
