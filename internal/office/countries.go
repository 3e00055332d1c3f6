package office

import (
	"sort"
	"sync"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"portail/internal/lang"
)

// Country is a country with its names in the site's languages.
type Country struct {
	Code string // ISO 3166-1 alpha-2
	Name map[lang.Lang]string
}

// notISO are the codes that CLDR names as countries but that ISO 3166-1
// only reserves (Ascension, Clipperton, Sark, Diego Garcia, Ceuta and
// Melilla, the Canary Islands, Tristan da Cunha) or leaves to users
// (Kosovo's XK), and the groupings EZ (eurozone) and UN.
var notISO = map[string]bool{"AC": true, "CP": true, "CQ": true, "DG": true, "EA": true, "IC": true, "TA": true, "XK": true, "EZ": true, "UN": true}

var countrySet = sync.OnceValue(func() map[string]language.Region {
	set := map[string]language.Region{}
	for a := 'A'; a <= 'Z'; a++ {
		for b := 'A'; b <= 'Z'; b++ {
			code := string([]rune{a, b})
			r, err := language.ParseRegion(code)
			// Canonical codes only: ParseRegion maps deprecated ones
			// (such as "FX") to their successors.
			if err != nil || !r.IsCountry() || r.String() != code || r.Canonicalize() != r {
				continue
			}
			if display.English.Regions().Name(r) == "" || notISO[code] {
				continue
			}
			set[code] = r
		}
	}
	return set
})

// CountryName returns the name of the country code in language l, from
// the CLDR data of golang.org/x/text, or code itself if it is unknown.
func CountryName(code string, l lang.Lang) string {
	r, ok := countrySet()[code]
	if !ok {
		return code
	}
	if n := namer(l).Name(r); n != "" {
		return n
	}
	return code
}

func namer(l lang.Lang) display.Namer {
	if l == lang.FR {
		return display.French.Regions()
	}
	return display.English.Regions()
}

// Countries returns every country, sorted by its name in language l as
// that language sorts ("Égypte" among the E's in French).
func Countries(l lang.Lang) []Country {
	set := countrySet()
	out := make([]Country, 0, len(set))
	for code := range set {
		c := Country{Code: code, Name: map[lang.Lang]string{}}
		for _, al := range lang.All {
			c.Name[al] = CountryName(code, al)
		}
		out = append(out, c)
	}
	tag := language.English
	if l == lang.FR {
		tag = language.French
	}
	col := collate.New(tag)
	sort.Slice(out, func(i, j int) bool { return col.CompareString(out[i].Name[l], out[j].Name[l]) < 0 })
	return out
}
