package directory

import (
	"net/url"
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"portail/internal/lang"
	"portail/internal/office"
)

// queryParams are the directory's query parameters: the filters of its
// GET form, the day the network is shown as of, and the country of the
// "which office serves my country?" question.
var queryParams = []string{"region", "country", "type", "clientele", "q", "date", "serves"}

// maxParam bounds one parameter's value.
const maxParam = 100

// filter is a parsed query. Raw keeps what the visitor typed, for the
// form; Problems maps a parameter to the message key of what is wrong.
type filter struct {
	Region    office.Region
	Country   string
	Type      office.Type
	Clientele office.Clientele
	Q         string
	Date      office.Date
	Serves    string
	Raw       map[string]string
	Problems  map[string]string
}

// parseFilter reads the query; a bad value is a problem, and is not
// used as a filter.
func parseFilter(q url.Values, today office.Date) filter {
	f := filter{Date: today, Raw: map[string]string{}, Problems: map[string]string{}}
	for _, p := range queryParams {
		v := strings.TrimSpace(q.Get(p))
		if len(v) > maxParam {
			f.Problems[p] = "offices.filter.too_long"
			f.Raw[p] = v[:maxParam]
			continue
		}
		f.Raw[p] = v
		if v == "" {
			continue
		}
		switch p {
		case "region":
			if slices.Contains(office.Regions, office.Region(v)) {
				f.Region = office.Region(v)
			} else {
				f.Problems[p] = "offices.filter.bad_choice"
			}
		case "type":
			if slices.Contains(office.Types, office.Type(v)) {
				f.Type = office.Type(v)
			} else {
				f.Problems[p] = "offices.filter.bad_choice"
			}
		case "clientele":
			if slices.Contains(office.Clienteles, office.Clientele(v)) {
				f.Clientele = office.Clientele(v)
			} else {
				f.Problems[p] = "offices.filter.bad_choice"
			}
		case "country", "serves":
			if !office.ValidCountry(v) {
				f.Problems[p] = "offices.filter.bad_country"
			} else if p == "country" {
				f.Country = v
			} else {
				f.Serves = v
			}
		case "q":
			f.Q = fold(v)
		case "date":
			d, ok := office.ParseDay(v)
			if !ok {
				f.Problems[p] = "offices.filter.bad_date"
			} else {
				f.Date = d
			}
		}
	}
	return f
}

// match reports whether office o passes the filter, on the filter's day.
func (f filter) match(o office.Office) bool {
	switch {
	case f.Region != "" && o.Region != f.Region,
		f.Country != "" && o.Country != f.Country,
		f.Type != "" && o.TypeOn(f.Date) != f.Type,
		f.Clientele != "" && strings.TrimSpace(o.Services[f.Clientele][lang.FR]) == "":
		return false
	}
	if f.Q == "" {
		return true
	}
	words := []string{o.Slug, o.Country}
	for _, l := range lang.All {
		words = append(words, o.Name[l], o.City[l], office.CountryName(o.Country, l))
	}
	return strings.Contains(fold(strings.Join(words, " ")), f.Q)
}

// fold lowercases s and strips its accents, so that "quebec" finds
// "Québec" and "MEXICO" finds "Mexico".
func fold(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		out = s
	}
	return strings.ToLower(out)
}
