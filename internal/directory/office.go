package directory

import (
	"context"
	"encoding/json"
	"errors"
	"html/template"
	"strings"
	"time"

	"portail/internal/apperr"
	"portail/internal/i18n"
	"portail/internal/lang"
	"portail/internal/office"
	"portail/internal/site"
)

type closureView struct{ Line string }

type serviceView struct{ Title, Text string }

type officeView struct {
	cat                     *i18n.Catalog
	Name, Type, Status      string
	City, Country           string
	Address                 []string
	Phone, Email, Website   string
	PhoneURI                template.URL // "tel:" and digits, which html/template would otherwise refuse
	HeadName, HeadTitle     string
	ShowNow, IsOpen         bool
	Open, LocalTime, Offset string
	Week                    []office.DayHours
	Closures                []closureView
	Covers                  []string
	Services                []serviceView
	VCard                   string
	JSONLD                  template.JS
	Sample                  bool
	List                    string
}

func (v *officeView) T(key string, args ...any) string { return v.cat.T(key, args...) }

// maxClosuresShown bounds the closures listed on an office's page.
const maxClosuresShown = 20

// Sub implements site.Module: an office's page.
func (d *Directory) Sub(ctx context.Context, l lang.Lang, slug string) (site.Part, bool, error) {
	if !office.ValidSlug(slug) {
		return site.Part{}, false, nil
	}
	o, err := d.store.Office(ctx, slug)
	if errors.Is(err, apperr.NotFound) {
		return site.Part{}, false, nil
	}
	if err != nil {
		return site.Part{}, false, err
	}
	now := d.now()
	today := d.today()
	cat := d.cats[l]
	v := &officeView{cat: cat, Name: o.Name[l], Type: d.typeName(l, o.TypeOn(today)), City: o.City[l],
		Country: countryName(l, o.Country), Phone: o.Phone, PhoneURI: template.URL(phoneURI(o.Phone)), Email: o.Email, Website: o.Website,
		HeadName: o.Head.Name, HeadTitle: o.Head.Title[l], Sample: o.Sample, List: site.URL(l, paths[l]),
		VCard: OfficeURL(l, o.Slug) + "/vcard"}
	if o.Address != "" {
		v.Address = strings.Split(o.Address, "\n")
	}
	switch o.StatusOn(today) {
	case office.Planned:
		v.Status = cat.T("offices.status.planned", o.Opened.String())
		if undated(o.Opened) {
			v.Status = cat.T("offices.status.planned_undated")
		}
	case office.Closed:
		v.Status = cat.T("offices.status.closed", o.Closed.String())
	default:
		if !o.Opened.IsZero() {
			v.Status = cat.T("offices.status.open_since", o.Opened.String())
		}
	}
	p := site.Part{Title: o.Name[l], Summary: v.Type + " · " + v.City + ", " + v.Country, Updated: o.Updated}
	if o.StatusOn(today) == office.Open {
		if st, err := o.StateAt(now); err == nil {
			v.ShowNow, v.IsOpen = true, st.Open
			v.Open = st.Summary(l, o.City[l])
			v.LocalTime = office.LocalTime(st.Local, l)
			v.Offset = "UTC" + st.Local.Format("-07:00")
			// The local time is shown to the minute.
			p.Expires = nextMinute(now)
		}
	}
	v.Week = office.FormatWeek(o.Hours, l)
	if loc, err := office.LoadZone(o.TimeZone); err == nil {
		localToday := office.DateOf(now.In(loc))
		for _, c := range o.Closures {
			if c.To.Before(localToday) || len(v.Closures) == maxClosuresShown {
				continue
			}
			when := c.From.String()
			if c.To != c.From {
				when = cat.T("offices.closures.range", c.From.String(), c.To.String())
			}
			kind := cat.T("offices.closures.closure")
			if c.Holiday {
				kind = cat.T("offices.closures.holiday")
			}
			line := cat.T("offices.closures.item", when, kind)
			if r := strings.TrimSpace(c.Reason[l]); r != "" {
				line = cat.T("offices.closures.item_reason", when, kind, r)
			}
			v.Closures = append(v.Closures, closureView{Line: line})
		}
	}
	for _, c := range o.Covers {
		v.Covers = append(v.Covers, countryName(l, c))
	}
	for _, c := range office.Clienteles {
		if text := strings.TrimSpace(o.Services[c][l]); text != "" {
			v.Services = append(v.Services, serviceView{Title: cat.T("offices.clientele." + string(c)), Text: text})
		}
	}
	ld, err := json.Marshal(jsonLD(o, l))
	if err != nil {
		return site.Part{}, false, err
	}
	v.JSONLD = template.JS(ld) // json.Marshal escapes <, > and &: no "</script>" can appear
	if p.HTML, err = d.render("office", v); err != nil {
		return site.Part{}, false, err
	}
	return p, true, nil
}

// undated reports whether an opening day only stands for "announced,
// no date yet": the default data opens such offices on 9999-12-31.
func undated(d office.Date) bool { return d.Year >= 9999 }

// phoneURI returns a tel: URI for a phone number written for people, or
// "" when it has no digits.
func phoneURI(phone string) string {
	var b strings.Builder
	for i, r := range phone {
		if r >= '0' && r <= '9' || r == '+' && i == 0 {
			b.WriteRune(r)
		}
	}
	if b.Len() < 3 {
		return ""
	}
	return "tel:" + b.String()
}

// jsonLD describes the office as a schema.org GovernmentOffice, for
// search engines. Sample details are left out: they are not facts.
func jsonLD(o office.Office, l lang.Lang) map[string]any {
	ld := map[string]any{
		"@context": "https://schema.org",
		"@type":    "GovernmentOffice",
		"name":     o.Name[l],
		"url":      OfficeURL(l, o.Slug),
		"address": map[string]any{
			"@type":           "PostalAddress",
			"addressLocality": o.City[l],
			"addressCountry":  o.Country,
		},
		"geo": map[string]any{"@type": "GeoCoordinates", "latitude": o.Latitude, "longitude": o.Longitude},
		"parentOrganization": map[string]any{
			"@type": "GovernmentOrganization",
			"name":  orgName[l],
		},
	}
	if o.Sample {
		return ld
	}
	if o.Address != "" {
		ld["address"].(map[string]any)["streetAddress"] = strings.ReplaceAll(o.Address, "\n", ", ")
	}
	if o.Phone != "" {
		ld["telephone"] = o.Phone
	}
	if o.Email != "" {
		ld["email"] = o.Email
	}
	var hours []map[string]any
	for day, spans := range o.Hours {
		for _, s := range spans {
			hours = append(hours, map[string]any{
				"@type":     "OpeningHoursSpecification",
				"dayOfWeek": "https://schema.org/" + time.Weekday(day).String(),
				"opens":     clock(s.Open),
				"closes":    clock(s.Close),
			})
		}
	}
	if hours != nil {
		ld["openingHoursSpecification"] = hours
	}
	return ld
}

// orgName is the department's name, the parent of every office.
var orgName = map[lang.Lang]string{
	lang.FR: "Ministère des Relations internationales et de la Francophonie",
	lang.EN: "Ministère des Relations internationales et de la Francophonie (Québec)",
}

func clock(m int) string {
	if m == 24*60 {
		return "23:59"
	}
	return time.Date(0, 1, 1, m/60, m%60, 0, 0, time.UTC).Format("15:04")
}
