package directory

import (
	"context"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"time"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"portail/internal/i18n"
	"portail/internal/lang"
	"portail/internal/office"
	"portail/internal/site"
	"portail/internal/worldmap"
)

type option struct {
	Value, Label string
	Selected     bool
}

type card struct {
	Name, URL, City, Country, Type string
	Open                           string // open now, or when it opens
	IsOpen                         bool
	Since                          string // for a planned office: its opening day
}

type group struct {
	ID, Title string
	Offices   []card
}

type answer struct {
	Country  string
	Covering []card
	Nearest  *card
	Km       int
}

type problem struct{ Field, Message string }

type listView struct {
	cat                                                 *i18n.Catalog
	Action                                              string
	Raw                                                 map[string]string
	Problems                                            map[string]string // by parameter, the message shown by its field
	List                                                []problem
	Regions, Types, Clienteles, Countries, AllCountries []option
	Map                                                 template.HTML
	Groups                                              []group
	Planned                                             []card
	Count                                               int
	Date                                                string // the day shown, when not today
	Answer                                              *answer
	Sample                                              bool
}

func (v *listView) T(key string, args ...any) string { return v.cat.T(key, args...) }

// Part implements site.Module: the directory below the editors'
// introduction.
func (d *Directory) Part(ctx context.Context, l lang.Lang, q url.Values) (site.Part, error) {
	offs, err := d.store.Offices(ctx)
	if err != nil {
		return site.Part{}, err
	}
	now := d.now()
	today := d.today()
	f := parseFilter(q, today)
	cat := d.cats[l]
	v := &listView{cat: cat, Action: site.URL(l, paths[l]), Raw: f.Raw, Problems: map[string]string{}}
	for _, p := range queryParams {
		if key, ok := f.Problems[p]; ok {
			v.Problems[p] = cat.T(key)
			v.List = append(v.List, problem{Field: "f-" + p, Message: cat.T("offices.filter.problem", cat.T("offices.filter."+p), cat.T(key))})
		}
	}
	if f.Date != today {
		v.Date = f.Date.String()
	}
	v.Regions = choices(f.Raw["region"], office.Regions, func(r office.Region) string { return cat.T("offices.region." + string(r)) })
	v.Types = choices(f.Raw["type"], office.Types, func(t office.Type) string { return d.typeName(l, t) })
	v.Clienteles = choices(f.Raw["clientele"], office.Clienteles, func(c office.Clientele) string { return cat.T("offices.clientele." + string(c)) })
	var hosts []string
	for _, o := range offs {
		if !slices.Contains(hosts, o.Country) {
			hosts = append(hosts, o.Country)
		}
	}
	v.Countries = countryOptions(l, hosts, f.Raw["country"])
	for _, c := range d.countries[l] {
		v.AllCountries = append(v.AllCountries, option{Value: c.Code, Label: c.Name[l], Selected: c.Code == f.Raw["serves"]})
	}

	var shown []office.Office
	var markers []worldmap.Marker
	byRegion := map[office.Region][]card{}
	for _, o := range offs {
		st := o.StatusOn(f.Date)
		if st == office.Closed || !f.match(o) {
			continue
		}
		c := d.card(l, o, f.Date, today, now)
		shown = append(shown, o)
		v.Sample = v.Sample || o.Sample
		if st == office.Planned {
			if !undated(o.Opened) {
				c.Since = o.Opened.String()
			}
			v.Planned = append(v.Planned, c)
			continue
		}
		v.Count++
		byRegion[o.Region] = append(byRegion[o.Region], c)
		markers = append(markers, worldmap.Marker{ID: o.Slug, Lat: o.Latitude, Lon: o.Longitude, Label: c.Name + " (" + c.City + ")", URL: c.URL})
	}
	for _, r := range office.Regions {
		if cs := byRegion[r]; len(cs) > 0 {
			sortCards(l, cs)
			v.Groups = append(v.Groups, group{ID: "region-" + string(r), Title: cat.T("offices.region." + string(r)), Offices: cs})
		}
	}
	sortCards(l, v.Planned)
	v.Map = worldmap.Render(markers, worldmap.Options{Title: cat.T("offices.map.title"), Desc: cat.T("offices.map.desc", v.Count), IDPrefix: "offices-map"})

	if f.Serves != "" {
		a := office.Serving(offs, f.Serves, f.Date)
		v.Answer = &answer{Country: countryName(l, f.Serves)}
		for _, o := range a.Covering {
			c := d.card(l, o, f.Date, today, now)
			shown = append(shown, o)
			v.Answer.Covering = append(v.Answer.Covering, c)
		}
		if a.Nearest != nil {
			c := d.card(l, *a.Nearest, f.Date, today, now)
			shown = append(shown, *a.Nearest)
			v.Answer.Nearest, v.Answer.Km = &c, int(a.Km/10)*10
		}
	}

	html, err := d.render("list", v)
	if err != nil {
		return site.Part{}, err
	}
	// The cards say whether each office is open now: the page is good
	// until the first of them changes.
	p := site.Part{HTML: html, Updated: latestUpdate(offs), Expires: office.NextChange(shown, now)}
	if len(f.Problems) > 0 {
		p.Status = http.StatusBadRequest
	}
	return p, nil
}

// card summarises an office for the lists, with whether it is open now.
// The office's status is today's, whatever day the list shows.
func (d *Directory) card(l lang.Lang, o office.Office, on, today office.Date, now time.Time) card {
	c := card{Name: o.Name[l], URL: OfficeURL(l, o.Slug), City: o.City[l], Country: countryName(l, o.Country), Type: d.typeName(l, o.TypeOn(on))}
	if o.StatusOn(today) != office.Open {
		return c
	}
	if st, err := o.StateAt(now); err == nil {
		c.Open, c.IsOpen = st.Summary(l, o.City[l]), st.Open
	}
	return c
}

func choices[T ~string](selected string, all []T, label func(T) string) []option {
	out := make([]option, len(all))
	for i, v := range all {
		out[i] = option{Value: string(v), Label: label(v), Selected: string(v) == selected}
	}
	return out
}

// countryOptions lists codes as options named in language l, in that
// language's order.
func countryOptions(l lang.Lang, codes []string, selected string) []option {
	out := make([]option, len(codes))
	for i, c := range codes {
		out[i] = option{Value: c, Label: countryName(l, c), Selected: c == selected}
	}
	col := collator(l)
	slices.SortStableFunc(out, func(a, b option) int { return col.CompareString(a.Label, b.Label) })
	return out
}

func sortCards(l lang.Lang, cs []card) {
	col := collator(l)
	slices.SortStableFunc(cs, func(a, b card) int {
		if n := col.CompareString(a.Country, b.Country); n != 0 {
			return n
		}
		return col.CompareString(a.City, b.City)
	})
}

func collator(l lang.Lang) *collate.Collator {
	if l == lang.FR {
		return collate.New(language.French)
	}
	return collate.New(language.English)
}
