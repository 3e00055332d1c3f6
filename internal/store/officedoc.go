package store

import (
	"encoding/json"
	"fmt"

	"portail/internal/lang"
	"portail/internal/office"
)

// The stored form of an office is one JSON document, kept by both stores
// in one column (TEXT in SQLite, JSONB in PostgreSQL) beside the slug,
// the version and the update time, which are columns of their own: its
// nested data (hours, closures, services, …) is small and always read
// whole. The shape is declared here rather than as tags on office.Office,
// a domain type that knows nothing of storage, and it carries a version
// so that a later shape can still read the earlier ones.
//
// Bilingual texts are written for French and English, the languages
// Validate checks, and read back with both keys, "" where none was given.
// Empty lists and maps read back as nil; dates are "YYYY-MM-DD", "" for
// the zero Date; a day's hours are [open, close] pairs of minutes after
// midnight, Sunday first as in office.Week.

// officeDocVersion is the version of the shape that EncodeOfficeDoc writes.
const officeDocVersion = 1

type officeDoc struct {
	V         int                `json:"v"`
	Type      office.Type        `json:"type"`
	Changes   []typeChangeDoc    `json:"changes"`
	Opened    string             `json:"opened"`
	Closed    string             `json:"closed"`
	Name      textDoc            `json:"name"`
	City      textDoc            `json:"city"`
	Country   string             `json:"country"`
	Region    office.Region      `json:"region"`
	Address   string             `json:"address"`
	Latitude  float64            `json:"latitude"`
	Longitude float64            `json:"longitude"`
	TimeZone  string             `json:"time_zone"`
	Phone     string             `json:"phone"`
	Email     string             `json:"email"`
	Website   string             `json:"website"`
	Head      headDoc            `json:"head"`
	Hours     [7][][2]int        `json:"hours"`
	Closures  []closureDoc       `json:"closures"`
	Covers    []string           `json:"covers"`
	Services  map[string]textDoc `json:"services"`
	Sample    bool               `json:"sample"`
}

type textDoc struct {
	FR string `json:"fr"`
	EN string `json:"en"`
}

type typeChangeDoc struct {
	On   string      `json:"on"`
	Type office.Type `json:"type"`
}

type headDoc struct {
	Name  string  `json:"name"`
	Title textDoc `json:"title"`
}

type closureDoc struct {
	From    string  `json:"from"`
	To      string  `json:"to"`
	Holiday bool    `json:"holiday"`
	Reason  textDoc `json:"reason"`
}

func toText(m map[lang.Lang]string) textDoc { return textDoc{FR: m[lang.FR], EN: m[lang.EN]} }

func (t textDoc) bilingual() map[lang.Lang]string {
	return map[lang.Lang]string{lang.FR: t.FR, lang.EN: t.EN}
}

// EncodeOfficeDoc returns the stored document of o: everything but its
// slug, version and update time. The document is canonical JSON (object
// keys sorted, no spaces), the form into which storecopy normalises what
// PostgreSQL returns, so that a copy to PostgreSQL and back gives the
// same bytes.
func EncodeOfficeDoc(o office.Office) ([]byte, error) {
	d := officeDoc{
		V:         officeDocVersion,
		Type:      o.Type,
		Changes:   make([]typeChangeDoc, len(o.Changes)),
		Opened:    o.Opened.String(),
		Closed:    o.Closed.String(),
		Name:      toText(o.Name),
		City:      toText(o.City),
		Country:   o.Country,
		Region:    o.Region,
		Address:   o.Address,
		TimeZone:  o.TimeZone,
		Phone:     o.Phone,
		Email:     o.Email,
		Website:   o.Website,
		Head:      headDoc{Name: o.Head.Name, Title: toText(o.Head.Title)},
		Closures:  make([]closureDoc, len(o.Closures)),
		Covers:    append(make([]string, 0, len(o.Covers)), o.Covers...),
		Services:  make(map[string]textDoc, len(o.Services)),
		Sample:    o.Sample,
		Latitude:  positiveZero(o.Latitude),
		Longitude: positiveZero(o.Longitude),
	}
	for i, c := range o.Changes {
		d.Changes[i] = typeChangeDoc{On: c.On.String(), Type: c.Type}
	}
	for day, spans := range o.Hours {
		d.Hours[day] = make([][2]int, len(spans))
		for i, s := range spans {
			d.Hours[day][i] = [2]int{s.Open, s.Close}
		}
	}
	for i, c := range o.Closures {
		d.Closures[i] = closureDoc{From: c.From.String(), To: c.To.String(), Holiday: c.Holiday, Reason: toText(c.Reason)}
	}
	for c, text := range o.Services {
		d.Services[string(c)] = toText(text)
	}
	b, err := json.Marshal(d)
	if err != nil {
		return nil, fmt.Errorf("store: office %q: %w", o.Slug, err)
	}
	return CanonicalJSON(b)
}

// positiveZero returns f, or 0 for -0, which PostgreSQL's JSONB would
// give back as 0.
func positiveZero(f float64) float64 {
	if f == 0 {
		return 0
	}
	return f
}

// CanonicalJSON returns the JSON text b in one form: object keys sorted,
// no spaces, numbers as Go writes a float64, strings escaped as
// encoding/json escapes them. Two texts of the same JSON value have the
// same canonical form, whatever spacing, key order or escapes they use.
func CanonicalJSON(b []byte) ([]byte, error) {
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return nil, err
	}
	return json.Marshal(v)
}

// DecodeOfficeDoc reads a document that EncodeOfficeDoc wrote into o,
// leaving o's slug, version and update time as they are.
func DecodeOfficeDoc(b []byte, o *office.Office) error {
	var d officeDoc
	if err := json.Unmarshal(b, &d); err != nil {
		return fmt.Errorf("store: office %q: %w", o.Slug, err)
	}
	if d.V != officeDocVersion {
		return fmt.Errorf("store: office %q: document version %d, want %d", o.Slug, d.V, officeDocVersion)
	}
	date := func(s string) (office.Date, error) {
		v, ok := office.ParseDate(s)
		if !ok {
			return office.Date{}, fmt.Errorf("store: office %q: bad date %q", o.Slug, s)
		}
		return v, nil
	}
	var err error
	out := office.Office{
		Slug:      o.Slug,
		Version:   o.Version,
		Updated:   o.Updated,
		Type:      d.Type,
		Name:      d.Name.bilingual(),
		City:      d.City.bilingual(),
		Country:   d.Country,
		Region:    d.Region,
		Address:   d.Address,
		Latitude:  d.Latitude,
		Longitude: d.Longitude,
		TimeZone:  d.TimeZone,
		Phone:     d.Phone,
		Email:     d.Email,
		Website:   d.Website,
		Head:      office.Head{Name: d.Head.Name, Title: d.Head.Title.bilingual()},
		Sample:    d.Sample,
	}
	if out.Opened, err = date(d.Opened); err != nil {
		return err
	}
	if out.Closed, err = date(d.Closed); err != nil {
		return err
	}
	for _, c := range d.Changes {
		on, err := date(c.On)
		if err != nil {
			return err
		}
		out.Changes = append(out.Changes, office.TypeChange{On: on, Type: c.Type})
	}
	for day := range d.Hours {
		for _, s := range d.Hours[day] {
			out.Hours[day] = append(out.Hours[day], office.Span{Open: s[0], Close: s[1]})
		}
	}
	for _, c := range d.Closures {
		from, err := date(c.From)
		if err != nil {
			return err
		}
		to, err := date(c.To)
		if err != nil {
			return err
		}
		out.Closures = append(out.Closures, office.Closure{From: from, To: to, Holiday: c.Holiday, Reason: c.Reason.bilingual()})
	}
	if len(d.Covers) > 0 {
		out.Covers = d.Covers
	}
	for c, text := range d.Services {
		if out.Services == nil {
			out.Services = map[office.Clientele]map[lang.Lang]string{}
		}
		out.Services[office.Clientele(c)] = text.bilingual()
	}
	*o = out
	return nil
}
