package office

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// badRow is a bad value in the third office of a file, in CSV and JSON.
type badRow struct {
	name string
	csv  func(c map[string]string) // nil: CSV cannot say it
	json func(m map[string]any)    // nil: JSON cannot say it
	want Problem                   // Row and Slug are filled in
	// jsonMessage, when set, replaces want.Message for JSON, and
	// jsonKey want.Key.
	jsonMessage, jsonKey string
}

// both sets the same text value in a CSV column and a top-level JSON field.
func both(field, v string) (func(map[string]string), func(map[string]any)) {
	return func(c map[string]string) { c[field] = v }, func(m map[string]any) { m[field] = v }
}

func badRows() []badRow {
	var rows []badRow
	text := func(name, field, v string, want Problem) {
		c, j := both(field, v)
		rows = append(rows, badRow{name: name, csv: c, json: j, want: want})
	}
	text("country not ISO", "country", "XX", Problem{Field: "country", Key: "form.office.country",
		Message: `"XX" is not an ISO 3166-1 alpha-2 country code`})
	text("country in lowercase", "country", "br", Problem{Field: "country", Key: "form.office.country",
		Message: `"br" is not an ISO 3166-1 alpha-2 country code`})
	text("country missing", "country", "", Problem{Field: "country", Key: "form.office.country", Message: "is required"})
	text("unknown time zone", "timezone", "Mars/Olympus_Mons", Problem{Field: "timezone", Key: "form.office.timezone",
		Message: `"Mars/Olympus_Mons" is not an IANA time zone name such as "America/Toronto"`})
	text("the server's zone", "timezone", "Local", Problem{Field: "timezone", Key: "form.office.timezone",
		Message: `"Local" is not an IANA time zone name such as "America/Toronto"`})
	text("duplicate slug", "slug", "a", Problem{Slug: "a", Field: "slug", Key: "form.office.duplicate",
		Message: `"a" is already the slug of row 2`})
	rows[len(rows)-1].jsonMessage = `"a" is already the slug of office 1`
	text("bad slug", "slug", "Tokyo!", Problem{Slug: "Tokyo!", Field: "slug", Key: "form.key.invalid",
		Message: `"Tokyo!" is not a slug: lowercase ASCII letters, digits and single hyphens, at most 60 characters`})
	text("slug missing", "slug", " ", Problem{Slug: "", Field: "slug", Key: "form.key.invalid", Message: "is required"})
	text("hours not in the text form", "hours", "mon-fri 9:00-17:00", Problem{Field: "hours", Key: "form.office.hours",
		Message: `"9:00-17:00" is not a span such as 09:00-17:00`})
	text("hours without spans", "hours", "mon-fri", Problem{Field: "hours", Key: "form.office.hours",
		Message: `"mon-fri": give the hours (09:00-17:00) or "closed"`})
	text("hours overlapping", "hours", "mon 09:00-12:00 11:00-17:00", Problem{Field: "hours", Key: "form.office.hours",
		Message: `"mon 09:00-12:00 11:00-17:00": spans must be in order, not overlap, and at most 4 a day`})
	text("closure of no kind", "closures", "2026-12-25 holliday Noël | Christmas", Problem{Field: "closures", Key: "form.office.closure",
		Message: `"2026-12-25 holliday Noël | Christmas": say "holiday" or "closure" after the days`})
	text("closure ending before it starts", "closures", "2026-12-31..2026-12-01 closure Fêtes | Holidays", Problem{Field: "closures", Key: "form.office.closure",
		Message: `"2026-12-31..2026-12-01 closure Fêtes | Holidays": give a day (2026-12-25) or a range (2026-12-24..2027-01-02)`})
	text("bad type", "type", "embassy", Problem{Field: "type", Key: "form.office.type",
		Message: `"embassy" is not an office type (general-delegation, delegation, bureau, trade-office, multilateral)`})
	text("type missing", "type", "", Problem{Field: "type", Key: "form.office.type", Message: "is required"})
	text("bad region", "region", "oceania", Problem{Field: "region", Key: "form.office.region",
		Message: `"oceania" is not a region (americas, europe, africa-middle-east, asia-pacific)`})
	text("bad date", "opened", "2024-02-30", Problem{Field: "opened", Key: "form.office.date",
		Message: `"2024-02-30" is not a date such as 2024-06-01`})
	text("date in another form", "closed", "31/12/2040", Problem{Field: "closed", Key: "form.office.date",
		Message: `"31/12/2040" is not a date such as 2024-06-01`})
	text("closed before opened", "closed", "2000-01-01", Problem{Field: "closed", Key: "form.office.closed_before_opened",
		Message: "the closing day 2000-01-01 is not after the opening day 2008-05-01"})
	text("email", "email", "sao paulo at example.org", Problem{Field: "email", Key: "form.email.invalid",
		Message: `"sao paulo at example.org" is not an email address such as "name@example.org"`})
	text("website not https", "website", "http://example.org", Problem{Field: "website", Key: "form.office.website",
		Message: `"http://example.org" is not an https:// address`})
	text("phone too long", "phone", strings.Repeat("0", 41), Problem{Field: "phone", Key: "form.too_long",
		Message: "is longer than 40 bytes"})

	rows = append(rows,
		badRow{name: "name missing",
			csv:  func(c map[string]string) { c["name_en"] = "" },
			json: func(m map[string]any) { m["name"] = map[string]any{"fr": "Bureau"} },
			want: Problem{Field: "en.name", Key: "form.required", Message: "is required"}},
		badRow{name: "city only spaces",
			csv:  func(c map[string]string) { c["city_fr"] = " \t " },
			json: func(m map[string]any) { m["city"].(map[string]any)["fr"] = " \t " },
			want: Problem{Field: "fr.city", Key: "form.required", Message: "is required"}},
		badRow{name: "NUL in a text",
			csv:  func(c map[string]string) { c["head_title_en"] = "Dir\x00ector" },
			json: func(m map[string]any) { m["head"].(map[string]any)["title"].(map[string]any)["en"] = "Dir\x00ector" },
			want: Problem{Field: "en.head_title", Key: "form.text.invalid", Message: "holds a NUL character or bytes that are not UTF-8"}},
		badRow{name: "service text too long",
			csv: func(c map[string]string) { c["services_culture_en"] = strings.Repeat("é", MaxText/2+1) },
			json: func(m map[string]any) {
				m["services"].(map[string]any)["culture"].(map[string]any)["en"] = strings.Repeat("é", MaxText/2+1)
			},
			want: Problem{Field: "services.culture.en", Key: "form.too_long", Message: "is longer than 4000 bytes"}},
		badRow{name: "latitude out of range",
			csv:  func(c map[string]string) { c["latitude"] = "91" },
			json: func(m map[string]any) { m["latitude"] = 91 },
			want: Problem{Field: "latitude", Key: "form.office.latitude", Message: "91 is not between -90 and 90"}},
		badRow{name: "longitude out of range",
			csv:  func(c map[string]string) { c["longitude"] = "-180.5" },
			json: func(m map[string]any) { m["longitude"] = -180.5 },
			want: Problem{Field: "longitude", Key: "form.office.longitude", Message: "-180.5 is not between -180 and 180"}},
		badRow{name: "latitude NaN",
			csv:  func(c map[string]string) { c["latitude"] = "NaN" },
			want: Problem{Field: "latitude", Key: "form.office.latitude", Message: "NaN is not between -90 and 90"}},
		badRow{name: "latitude not a number",
			csv:         func(c map[string]string) { c["latitude"] = "-23,55" },
			json:        func(m map[string]any) { m["latitude"] = "-23.55" },
			want:        Problem{Field: "latitude", Key: "form.office.number", Message: `"-23,55" is not a number`},
			jsonMessage: "must be a number, not string"},
		badRow{name: "latitude past float64",
			csv:         func(c map[string]string) { c["latitude"] = "1e400" },
			json:        func(m map[string]any) { m["latitude"] = json1e400{} },
			want:        Problem{Field: "latitude", Key: "form.office.number", Message: `"1e400" is not a number`},
			jsonMessage: "1e400 is not a number in range"},
		badRow{name: "latitude missing",
			csv:  func(c map[string]string) { c["latitude"] = "" },
			json: func(m map[string]any) { delete(m, "latitude") },
			want: Problem{Field: "latitude", Key: "form.required", Message: "is required"}},
		badRow{name: "longitude null",
			json: func(m map[string]any) { m["longitude"] = nil },
			want: Problem{Field: "longitude", Key: "form.required", Message: "is required"}},
		badRow{name: "clientele unknown",
			json: func(m map[string]any) { m["services"].(map[string]any)["tourism"] = map[string]any{"fr": "x"} },
			want: Problem{Field: "services", Key: "form.office.clientele",
				Message: `"tourism" is not a clientele (businesses, culture, research, institutions, citizens)`}},
		badRow{name: "change on a bad date",
			csv:  func(c map[string]string) { c["changes"] = "2024-13-01 delegation" },
			json: func(m map[string]any) { m["changes"] = []any{map[string]any{"on": "2024-13-01", "type": "delegation"}} },
			want: Problem{Field: "changes.0", Key: "form.office.date", Message: `"2024-13-01" is not a date such as 2024-06-01`}},
		badRow{name: "change to a bad type",
			csv: func(c map[string]string) { c["changes"] = "2024-03-22 delegation; 2030-01-01 embassy" },
			json: func(m map[string]any) {
				m["changes"] = []any{map[string]any{"on": "2024-03-22", "type": "delegation"}, map[string]any{"on": "2030-01-01", "type": "embassy"}}
			},
			want: Problem{Field: "changes.1", Key: "form.office.type",
				Message: `change 2: "embassy" is not an office type (general-delegation, delegation, bureau, trade-office, multilateral)`}},
		badRow{name: "change with no day",
			json: func(m map[string]any) { m["changes"] = []any{map[string]any{"type": "delegation"}} },
			want: Problem{Field: "changes.0", Key: "form.office.type", Message: "change 1 has no day"}},
		badRow{name: "change not in the text form",
			csv: func(c map[string]string) { c["changes"] = "2024-03-22 delegation; 2030;" },
			want: Problem{Field: "changes", Key: "form.office.change",
				Message: `"2030" is not a change such as "2024-06-01 delegation"`}},
		badRow{name: "too many changes",
			csv: func(c map[string]string) {
				c["changes"] = strings.Repeat("2024-03-22 delegation;", MaxChanges) + "2024-03-22 delegation"
			},
			json: func(m map[string]any) {
				ch := make([]any, MaxChanges+1)
				for i := range ch {
					ch[i] = map[string]any{"on": "2024-03-22", "type": "delegation"}
				}
				m["changes"] = ch
			},
			want: Problem{Field: "changes", Key: "form.office.too_many", Message: "has more than 20 changes of type"}},
		badRow{name: "covers a code that is not a country",
			csv:  func(c map[string]string) { c["covers"] = "AR ZZ" },
			json: func(m map[string]any) { m["covers"] = []any{"AR", "ZZ"} },
			want: Problem{Field: "covers.1", Key: "form.office.country", Message: `"ZZ" is not an ISO 3166-1 alpha-2 country code`}},
		badRow{name: "covers its own country",
			csv:  func(c map[string]string) { c["covers"] = "BR AR" },
			json: func(m map[string]any) { m["covers"] = []any{"BR", "AR"} },
			want: Problem{Field: "covers.0", Key: "form.office.country", Message: `"BR" is the office's own country`}},
		badRow{name: "covers a country twice",
			csv:  func(c map[string]string) { c["covers"] = "AR CL AR" },
			json: func(m map[string]any) { m["covers"] = []any{"AR", "CL", "AR"} },
			want: Problem{Field: "covers.2", Key: "form.office.country", Message: `"AR" is listed twice`}},
		badRow{name: "covers too many",
			csv: func(c map[string]string) { c["covers"] = strings.Repeat("AR ", MaxCovers+1) },
			json: func(m map[string]any) {
				cs := make([]any, MaxCovers+1)
				for i := range cs {
					cs[i] = "AR"
				}
				m["covers"] = cs
			},
			want: Problem{Field: "covers", Key: "form.office.too_many", Message: "has more than 120 countries"}},
		badRow{name: "sample neither true nor false",
			csv:         func(c map[string]string) { c["sample"] = "maybe" },
			json:        func(m map[string]any) { m["sample"] = "maybe" },
			want:        Problem{Field: "sample", Key: "form.office.boolean", Message: `"maybe" is not true or false`},
			jsonMessage: "must be true or false, not string"},
		badRow{name: "unknown field",
			json: func(m map[string]any) { m["fax"] = "+55 11 0000-0001" },
			want: Problem{Key: "form.office.unknown_field", Message: `unknown field "fax"`}},
		badRow{name: "unknown field inside a text",
			json: func(m map[string]any) { m["name"].(map[string]any)["de"] = "Büro" },
			want: Problem{Key: "form.office.unknown_field", Message: `unknown field "de"`}},
	)
	return rows
}

// json1e400 marshals as a number no float64 holds.
type json1e400 struct{}

func (json1e400) MarshalJSON() ([]byte, error) { return []byte("1e400"), nil }

// TestReadReportsEachBadRow reads files of three offices whose third is
// bad in one way, and expects exactly that one problem.
func TestReadReportsEachBadRow(t *testing.T) {
	good := func(slug string) Office {
		o := everyField()
		o.Slug = slug
		return o
	}
	bad := good("tokyo")
	for _, tc := range badRows() {
		for _, f := range []Format{CSV, JSON} {
			var data []byte
			want := tc.want
			if want.Slug == "" && tc.name != "slug missing" {
				want.Slug = "tokyo"
			}
			switch {
			case f == CSV && tc.csv != nil:
				c := cellsOf(bad)
				tc.csv(c)
				data = csvFile(t, CSVColumns(), cellsOf(good("a")), cellsOf(good("b")), c)
				want.Row = 4
			case f == JSON && tc.json != nil:
				m := jsonObjectOf(t, bad)
				tc.json(m)
				data = jsonDoc(t, jsonObjectOf(t, good("a")), jsonObjectOf(t, good("b")), m)
				want.Row = 3
				if tc.jsonMessage != "" {
					want.Message = tc.jsonMessage
				}
			default:
				continue
			}
			t.Run(tc.name+"/"+string(f), func(t *testing.T) {
				read := ReadCSV
				if f == JSON {
					read = ReadJSON
				}
				offs, err := read(bytes.NewReader(data))
				if err == nil {
					t.Fatalf("read %d offices, no error", len(offs))
				}
				fe := fileError(t, err)
				if fe.Format != f || len(fe.Problems) != 1 || fe.Problems[0] != want {
					t.Errorf("problems\n%#v\nwant\n%#v", fe.Problems, want)
				}
			})
		}
	}
}

func TestProblemLines(t *testing.T) {
	o := everyField()
	o.Slug = "tokyo"
	c := cellsOf(o)
	c["country"] = "XX"
	c["hours"] = "lun-ven 09:00-17:00"
	c["timezone"] = "Asia/Tokio"
	c2 := cellsOf(everyField())
	c2["latitude"] = "north"
	good := cellsOf(everyField())
	good["slug"] = "a"
	_, err := ReadCSV(bytes.NewReader(csvFile(t, CSVColumns(), good, good, c, c2)))
	want := []string{
		`row 3 (slug "a"), field slug: "a" is already the slug of row 2`,
		`row 4 (slug "tokyo"), field country: "XX" is not an ISO 3166-1 alpha-2 country code`,
		`row 4 (slug "tokyo"), field timezone: "Asia/Tokio" is not an IANA time zone name such as "America/Toronto"`,
		`row 4 (slug "tokyo"), field hours: "lun" is not a day (mon, tue, wed, thu, fri, sat, sun)`,
		`row 5 (slug "sao-paulo-2"), field latitude: "north" is not a number`,
	}
	fe := fileError(t, err)
	if got := fe.Lines(); !reflect.DeepEqual(got, want) {
		t.Errorf("lines\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if got, want := err.Error(), "office: the CSV file has 5 problems\n"+strings.Join(want, "\n"); got != want {
		t.Errorf("Error() =\n%s\nwant\n%s", got, want)
	}

	m := jsonObjectOf(t, o)
	m["country"] = "XX"
	_, err = ReadJSON(bytes.NewReader(jsonDoc(t, jsonObjectOf(t, everyField()), m)))
	if got, want := err.Error(), "office: the JSON file has 1 problem\n"+
		`office 2 (slug "tokyo"), field country: "XX" is not an ISO 3166-1 alpha-2 country code`; got != want {
		t.Errorf("Error() =\n%s\nwant\n%s", got, want)
	}
}

func TestCompareFields(t *testing.T) {
	in := []string{"services.culture.fr", "covers.10", "sample", "covers.2", "en.name", "", "fr.name", "slug", "hours.6", "hours.0", "closures.1.fr", "closures.1"}
	want := []string{"", "slug", "fr.name", "en.name", "hours.0", "hours.6", "closures.1", "closures.1.fr", "covers.2", "covers.10", "services.culture.fr", "sample"}
	fps := make([]fieldProblem, len(in))
	for i, f := range in {
		fps[i].field = f
	}
	sortFieldProblems(fps)
	got := make([]string, len(fps))
	for i, p := range fps {
		got[i] = p.field
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got %q", got)
	}
}
