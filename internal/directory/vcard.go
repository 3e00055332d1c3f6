package directory

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"portail/internal/api"
	"portail/internal/lang"
	"portail/internal/office"
	"portail/internal/site"
)

// Routes implements site.Router: each office's vCard.
func (d *Directory) Routes() []site.Route {
	return []site.Route{{
		Name: "office-vcard",
		Paths: map[lang.Lang]string{
			lang.FR: site.URL(lang.FR, paths[lang.FR]) + "/{slug}/vcard",
			lang.EN: site.URL(lang.EN, paths[lang.EN]) + "/{slug}/vcard",
		},
		Handler: d.handleVCard,
		URLs: func(l lang.Lang) []string {
			slugs, err := d.Slugs(context.Background(), l)
			if err != nil {
				return nil
			}
			out := make([]string, len(slugs))
			for i, s := range slugs {
				out[i] = OfficeURL(l, s) + "/vcard"
			}
			return out
		},
	}}
}

// handleVCard serves an office's contact card (RFC 6350, vCard 4.0) in
// language l.
func (d *Directory) handleVCard(l lang.Lang) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		slug := r.PathValue("slug")
		if !office.ValidSlug(slug) {
			d.errs.NotFound(w, r)
			return
		}
		o, err := d.store.Office(r.Context(), slug)
		if err != nil {
			d.errs.Error(w, r, err) // the site's bilingual 404 page for an unknown office
			return
		}
		w.Header().Set("Content-Disposition", `attachment; filename="`+slug+`.vcf"`)
		api.Write(w, r, "text/vcard; charset=utf-8", []byte(d.vcard(o, l)), o.Updated)
	})
}

// vcard returns o's card in language l.
func (d *Directory) vcard(o office.Office, l lang.Lang) string {
	var b strings.Builder
	line := func(s string) {
		// Lines longer than 75 octets are folded (RFC 6350 §3.2), not
		// inside a UTF-8 sequence.
		for len(s) > 75 {
			cut := 75
			for cut > 1 && s[cut]&0xC0 == 0x80 {
				cut--
			}
			b.WriteString(s[:cut] + "\r\n ")
			s = s[cut:]
		}
		b.WriteString(s + "\r\n")
	}
	line("BEGIN:VCARD")
	line("VERSION:4.0")
	line("KIND:org")
	line("FN:" + vtext(o.Name[l]))
	line("ORG:" + vtext(orgName[l]) + ";" + vtext(o.Name[l]))
	street := strings.ReplaceAll(o.Address, "\n", ", ")
	line("ADR;TYPE=work:;;" + vtext(street) + ";" + vtext(o.City[l]) + ";;;" + vtext(countryName(l, o.Country)))
	if uri := phoneURI(o.Phone); uri != "" {
		line("TEL;VALUE=uri;TYPE=work,voice:" + uri)
	}
	if o.Email != "" {
		line("EMAIL;TYPE=work:" + vtext(o.Email))
	}
	if o.Website != "" {
		line("URL:" + o.Website)
	}
	line("GEO:geo:" + strconv.FormatFloat(o.Latitude, 'f', -1, 64) + "," + strconv.FormatFloat(o.Longitude, 'f', -1, 64))
	line("TZ:" + vtext(o.TimeZone))
	if o.Head.Name != "" {
		line("NOTE:" + vtext(d.cats[l].T("offices.field.head")+" : "+o.Head.Name))
	}
	if o.Sample {
		line("NOTE:" + vtext(d.cats[l].T("offices.sample_office")))
	}
	line("SOURCE:" + OfficeURL(l, o.Slug) + "/vcard")
	line("END:VCARD")
	return b.String()
}

// vtext escapes a vCard text value (RFC 6350 §3.4).
func vtext(s string) string {
	return strings.NewReplacer(`\`, `\\`, ",", `\,`, ";", `\;`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`).Replace(s)
}
