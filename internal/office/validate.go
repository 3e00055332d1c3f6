package office

import (
	"fmt"
	"net/mail"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // zones on any machine, whatever it has installed

	"portail/internal/apperr"
	"portail/internal/content"
	"portail/internal/lang"
)

// Limits on an office's data, checked before anything is stored.
const (
	MaxOffices  = 500
	MaxSlug     = 60
	MaxName     = 200
	MaxAddress  = 500
	MaxText     = 4000 // one clientele's services, in one language
	MaxCovers   = 120
	MaxClosures = 200
	MaxChanges  = 20
	MaxSpans    = 4 // per day
)

var slugPattern = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)

// ValidSlug reports whether s can name an office in a URL.
func ValidSlug(s string) bool { return len(s) <= MaxSlug && slugPattern.MatchString(s) }

// Validate checks every field of o and returns an apperr.Invalid whose
// problems name each bad field ("slug", "fr.name", "hours.1", …) with a
// message key of the i18n catalogue, or nil.
func (o Office) Validate() error {
	p := apperr.Problems{}
	if !ValidSlug(o.Slug) {
		p.Add("slug", "form.key.invalid")
	}
	if !validType(o.Type) {
		p.Add("type", "form.office.type")
	}
	if len(o.Changes) > MaxChanges {
		p.Add("changes", "form.office.too_many")
	}
	for i, c := range o.Changes {
		if c.On.IsZero() || !validType(c.Type) {
			p.Add(fmt.Sprintf("changes.%d", i), "form.office.type")
		}
	}
	if !o.Opened.IsZero() && !o.Closed.IsZero() && !o.Opened.Before(o.Closed) {
		p.Add("closed", "form.office.closed_before_opened")
	}
	for _, l := range lang.All {
		checkText(p, string(l)+".name", o.Name[l], MaxName, true)
		checkText(p, string(l)+".city", o.City[l], MaxName, true)
		checkText(p, string(l)+".head_title", o.Head.Title[l], MaxName, false)
	}
	checkText(p, "head_name", o.Head.Name, MaxName, false)
	if !ValidCountry(o.Country) {
		p.Add("country", "form.office.country")
	}
	if !validRegion(o.Region) {
		p.Add("region", "form.office.region")
	}
	checkText(p, "address", o.Address, MaxAddress, false)
	if !(o.Latitude >= -90 && o.Latitude <= 90) { // also refuses NaN
		p.Add("latitude", "form.office.latitude")
	}
	if !(o.Longitude >= -180 && o.Longitude <= 180) {
		p.Add("longitude", "form.office.longitude")
	}
	if _, err := LoadZone(o.TimeZone); err != nil {
		p.Add("timezone", "form.office.timezone")
	}
	checkText(p, "phone", o.Phone, 40, false)
	if o.Email != "" {
		if a, err := mail.ParseAddress(o.Email); err != nil || a.Address != o.Email || a.Name != "" {
			p.Add("email", "form.email.invalid")
		}
	}
	if o.Website != "" {
		// url.Parse takes bytes that are not UTF-8 (it escapes them),
		// which a database's text column or a JSON file would not keep.
		if u, err := url.Parse(o.Website); err != nil || !content.ValidText(o.Website) || u.Scheme != "https" || u.Host == "" || len(o.Website) > 500 {
			p.Add("website", "form.office.website")
		}
	}
	for d, spans := range o.Hours {
		if !validSpans(spans) {
			p.Add(fmt.Sprintf("hours.%d", d), "form.office.hours")
		}
	}
	if len(o.Closures) > MaxClosures {
		p.Add("closures", "form.office.too_many")
	}
	for i, c := range o.Closures {
		if c.From.IsZero() || c.To.IsZero() || c.To.Before(c.From) {
			p.Add(fmt.Sprintf("closures.%d", i), "form.office.closure")
		}
		for _, l := range lang.All {
			checkText(p, fmt.Sprintf("closures.%d.%s", i, l), c.Reason[l], MaxName, false)
		}
	}
	if len(o.Covers) > MaxCovers {
		p.Add("covers", "form.office.too_many")
	}
	seen := map[string]bool{o.Country: true}
	for i, c := range o.Covers {
		if !ValidCountry(c) || seen[c] {
			p.Add(fmt.Sprintf("covers.%d", i), "form.office.country")
		}
		seen[c] = true
	}
	for c, text := range o.Services {
		if !validClientele(c) {
			p.Add("services", "form.office.clientele")
			continue
		}
		for _, l := range lang.All {
			checkText(p, fmt.Sprintf("services.%s.%s", c, l), text[l], MaxText, false)
		}
	}
	return p.Err()
}

// LoadZone returns the IANA zone name, from the system's zone database
// or Go's embedded one. It refuses "" and "Local", which would mean the
// server's own zone. Zones found are kept: every render of the directory
// asks for each office's, and loading one reads and parses a file.
func LoadZone(name string) (*time.Location, error) {
	if loc, ok := zones.Load(name); ok {
		return loc.(*time.Location), nil
	}
	if name == "" || name == "Local" {
		return nil, fmt.Errorf("office: no time zone")
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, err
	}
	zones.Store(name, loc) // at most the database's few hundred names
	return loc, nil
}

var zones sync.Map // IANA name → *time.Location

// ValidCountry reports whether code is an ISO 3166-1 alpha-2 code of a
// country: two uppercase ASCII letters that name a region Go's CLDR data
// knows as a country.
func ValidCountry(code string) bool {
	if len(code) != 2 || strings.ToUpper(code) != code {
		return false
	}
	_, ok := countrySet()[code]
	return ok
}

func validSpans(spans []Span) bool {
	if len(spans) > MaxSpans {
		return false
	}
	end := -1
	for _, s := range spans {
		if s.Open < 0 || s.Open >= s.Close || s.Close > 24*60 || s.Open <= end {
			return false
		}
		end = s.Close
	}
	return true
}

func validType(t Type) bool {
	for _, k := range Types {
		if t == k {
			return true
		}
	}
	return false
}

func validRegion(r Region) bool {
	for _, k := range Regions {
		if r == k {
			return true
		}
	}
	return false
}

func validClientele(c Clientele) bool {
	for _, k := range Clienteles {
		if c == k {
			return true
		}
	}
	return false
}

func checkText(p apperr.Problems, field, v string, max int, required bool) {
	switch {
	case !content.ValidText(v):
		p.Add(field, "form.text.invalid")
	case required && strings.TrimSpace(v) == "":
		p.Add(field, "form.required")
	case len(v) > max:
		p.Add(field, "form.too_long")
	}
}
