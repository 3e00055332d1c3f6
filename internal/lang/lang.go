// Package lang names the site's languages and picks one for a visitor.
package lang

import (
	"golang.org/x/text/language"
)

// Lang is a site language. French is the reference language of every page
// (Charter of the French language, s. 13.1 as amended in 2022); English is
// optional per page.
type Lang string

// The site's languages.
const (
	FR Lang = "fr"
	EN Lang = "en"
)

// All lists the languages in display order, French first.
var All = []Lang{FR, EN}

// Parse returns the language named by s, and false when s is not one.
func Parse(s string) (Lang, bool) {
	switch Lang(s) {
	case FR, EN:
		return Lang(s), true
	}
	return "", false
}

// Other returns the twin language.
func (l Lang) Other() Lang {
	if l == EN {
		return FR
	}
	return EN
}

// String returns the BCP 47 tag.
func (l Lang) String() string { return string(l) }

var matcher = language.NewMatcher([]language.Tag{language.French, language.English})

// Negotiate picks the visitor's language from an Accept-Language header.
// French wins when the header is empty, unparsable or names neither language.
func Negotiate(acceptLanguage string) Lang {
	tags, q, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(tags) == 0 {
		return FR
	}
	// The parser takes any float as a weight; one above 1 (or NaN) is not
	// a valid qvalue (RFC 9110, 12.4.2) and would outrank every honest tag.
	for _, w := range q {
		if !(w > 0 && w <= 1) {
			return FR
		}
	}
	_, idx, conf := matcher.Match(tags...)
	if conf == language.No || idx != 1 {
		return FR
	}
	return EN
}
