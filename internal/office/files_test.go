package office

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"

	"portail/internal/apperr"
	"portail/internal/lang"
)

// requiredOnly is an office with only the fields every office needs.
func requiredOnly() Office {
	return Office{Slug: "a", Type: Multilateral,
		Name:    map[lang.Lang]string{lang.FR: "A", lang.EN: "A"},
		City:    map[lang.Lang]string{lang.FR: "B", lang.EN: "B"},
		Country: "FR", Region: Europe, TimeZone: "Europe/Paris",
		Head: Head{Title: map[lang.Lang]string{lang.FR: "", lang.EN: ""}}}
}

type format struct {
	name  Format
	write func(io.Writer, []Office) error
	read  func(io.Reader) ([]Office, error)
}

var formats = []format{{CSV, WriteCSV, ReadCSV}, {JSON, WriteJSON, ReadJSON}}

func TestWriteThenReadGivesTheOfficesBack(t *testing.T) {
	if err := everyField().Validate(); err != nil {
		t.Fatalf("everyField does not validate: %v", err)
	}
	for _, f := range formats {
		for name, offs := range map[string][]Office{
			"defaults":             Defaults(),
			"every field":          {everyField()},
			"required fields only": {requiredOnly()},
			"all":                  append(Defaults(), everyField(), requiredOnly()),
		} {
			t.Run(string(f.name)+"/"+name, func(t *testing.T) {
				var b bytes.Buffer
				if err := f.write(&b, offs); err != nil {
					t.Fatal(err)
				}
				got, err := f.read(bytes.NewReader(b.Bytes()))
				if err != nil {
					t.Fatalf("%v\n%s", err, b.String())
				}
				if len(got) != len(offs) {
					t.Fatalf("read %d offices, wrote %d", len(got), len(offs))
				}
				for i := range offs {
					if !reflect.DeepEqual(got[i], offs[i]) {
						t.Errorf("office %d came back as\n%#v\nnot\n%#v", i+1, got[i], offs[i])
					}
				}
				// Read by name too.
				if _, err := Read("offices."+string(f.name), bytes.NewReader(b.Bytes())); err != nil {
					t.Fatal(err)
				}
			})
		}
	}
}

func TestReadChoosesByExtension(t *testing.T) {
	var csvBuf, jsonBuf bytes.Buffer
	if err := WriteCSV(&csvBuf, []Office{everyField()}); err != nil {
		t.Fatal(err)
	}
	if err := WriteJSON(&jsonBuf, []Office{everyField()}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		data []byte
		ok   bool
	}{
		{"offices.csv", csvBuf.Bytes(), true},
		{"OFFICES.CSV", csvBuf.Bytes(), true},
		{"export/2026/offices.json", jsonBuf.Bytes(), true},
		{"offices.Json", jsonBuf.Bytes(), true},
		{"offices.json", csvBuf.Bytes(), false},
		{"offices.txt", csvBuf.Bytes(), false},
		{"offices.xlsx", csvBuf.Bytes(), false},
		{"offices", csvBuf.Bytes(), false},
		{"offices.csv.gz", csvBuf.Bytes(), false},
	} {
		_, err := Read(tc.name, bytes.NewReader(tc.data))
		if (err == nil) != tc.ok {
			t.Errorf("Read(%q): %v", tc.name, err)
		}
		if err != nil && !errors.Is(err, apperr.Invalid) {
			t.Errorf("Read(%q): %v is not Invalid", tc.name, err)
		}
	}
	_, err := Read("offices.txt", strings.NewReader(""))
	var fe *FileError
	if !errors.As(err, &fe) || !strings.Contains(err.Error(), `"offices.txt" is not a .csv or .json file`) {
		t.Errorf("Read(offices.txt) = %v", err)
	}
}

// cellsOf returns the CSV cells of o, by column.
func cellsOf(o Office) map[string]string { return toCells(toFile(&o)) }

// csvFile writes rows of cells under the columns cols.
func csvFile(t testing.TB, cols []string, rows ...map[string]string) []byte {
	t.Helper()
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write(cols)
	for _, r := range rows {
		rec := make([]string, len(cols))
		for i, c := range cols {
			rec[i] = r[c]
		}
		w.Write(rec)
	}
	w.Flush()
	return b.Bytes()
}

// jsonObjectOf returns o as the JSON file writes it, as a generic object.
func jsonObjectOf(t testing.TB, o Office) map[string]any {
	t.Helper()
	b, err := json.Marshal(toFile(&o))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func jsonDoc(t testing.TB, offices ...map[string]any) []byte {
	t.Helper()
	b, err := json.Marshal(map[string]any{"offices": offices})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func fileError(t *testing.T, err error) *FileError {
	t.Helper()
	var fe *FileError
	if !errors.As(err, &fe) {
		t.Fatalf("err = %v (%T), want a *FileError", err, err)
	}
	if !errors.Is(err, apperr.Invalid) && !errors.Is(err, apperr.TooLarge) {
		t.Errorf("a FileError must be Invalid or TooLarge: %v", apperr.KindOf(err))
	}
	return fe
}

func TestCSVHeader(t *testing.T) {
	o := everyField()
	cells := cellsOf(o)
	all := CSVColumns()

	t.Run("columns in any order, optional ones left out", func(t *testing.T) {
		var cols []string
		for i := len(all) - 1; i >= 0; i-- {
			if RequiredColumn(all[i]) {
				cols = append(cols, all[i])
			}
		}
		got, err := ReadCSV(bytes.NewReader(csvFile(t, cols, cells)))
		if err != nil {
			t.Fatal(err)
		}
		want := Office{Slug: o.Slug, Type: o.Type, Name: o.Name, City: o.City, Country: o.Country,
			Region: o.Region, Latitude: o.Latitude, Longitude: o.Longitude, TimeZone: o.TimeZone,
			Head: Head{Title: map[lang.Lang]string{lang.FR: "", lang.EN: ""}}}
		if !reflect.DeepEqual(got[0], want) {
			t.Errorf("got\n%#v\nwant\n%#v", got[0], want)
		}
	})
	t.Run("byte order mark, semicolons, CRLF, blank and empty rows", func(t *testing.T) {
		var b bytes.Buffer
		w := csv.NewWriter(&b)
		w.Comma, w.UseCRLF = ';', true
		w.Write(all)
		rec := make([]string, len(all))
		for i, c := range all {
			rec[i] = cells[c]
		}
		w.Write(rec)
		w.Write(make([]string, len(all)))
		w.Flush()
		data := append([]byte("\uFEFF"), b.Bytes()...)
		data = append(data, "\r\n\r\n"...)
		got, err := ReadCSV(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || !reflect.DeepEqual(got[0], o) {
			t.Errorf("got %#v", got)
		}
	})
	t.Run("unknown, duplicate, unnamed and missing columns", func(t *testing.T) {
		cols := append([]string{"fax", "slug", ""}, all[2:]...) // no "type"
		cols = append(cols, "slug")
		_, err := ReadCSV(bytes.NewReader(csvFile(t, cols, cells)))
		fe := fileError(t, err)
		want := []string{
			`row 1: unknown column "fax"`,
			`row 1: column 3 has no name`,
			`row 1: column "slug" is given twice`,
			`row 1: required column "type" is missing`,
		}
		if got := fe.Lines(); !reflect.DeepEqual(got, want) {
			t.Errorf("lines\n%q\nwant\n%q", got, want)
		}
	})
	t.Run("a clientele that does not exist is an unknown column", func(t *testing.T) {
		cols := append(all, "services_tourism_fr")
		_, err := ReadCSV(bytes.NewReader(csvFile(t, cols, cells)))
		if !strings.Contains(fileError(t, err).Error(), `unknown column "services_tourism_fr"`) {
			t.Errorf("err = %v", err)
		}
	})
}

func TestFileLimits(t *testing.T) {
	t.Run("larger than MaxFileSize", func(t *testing.T) {
		for _, f := range formats {
			big := bytes.Repeat([]byte(" "), MaxFileSize+1)
			_, err := f.read(bytes.NewReader(big))
			fe := fileError(t, err)
			if !errors.Is(err, apperr.TooLarge) || fe.Problems[0].Message != "the file is larger than 4 MB" {
				t.Errorf("%s: %v", f.name, err)
			}
		}
	})
	t.Run("more than MaxOffices", func(t *testing.T) {
		offs := make([]Office, MaxOffices+1)
		for i := range offs {
			offs[i] = everyField()
			offs[i].Slug = fmt.Sprintf("office-%d", i)
		}
		for _, f := range formats {
			var b bytes.Buffer
			if err := f.write(&b, offs); err != nil {
				t.Fatal(err)
			}
			_, err := f.read(&b)
			fe := fileError(t, err)
			if len(fe.Problems) != 1 || fe.Problems[0].Message != "the file has more than 500 offices" {
				t.Errorf("%s: %v", f.name, err)
			}
			if _, err := f.read(bytes.NewReader(mustWrite(t, f, offs[:MaxOffices]))); err != nil {
				t.Errorf("%s: %d offices refused: %v", f.name, MaxOffices, err)
			}
		}
	})
	t.Run("problems past MaxProblems are counted", func(t *testing.T) {
		offs := make([]map[string]string, 80)
		for i := range offs {
			offs[i] = cellsOf(everyField())
			offs[i]["slug"] = fmt.Sprintf("office-%d", i)
			offs[i]["country"] = "XX"
		}
		_, err := ReadCSV(bytes.NewReader(csvFile(t, CSVColumns(), offs...)))
		fe := fileError(t, err)
		if len(fe.Problems) != MaxProblems || fe.Omitted != 80-MaxProblems {
			t.Errorf("%d problems, %d omitted", len(fe.Problems), fe.Omitted)
		}
		lines := strings.Split(err.Error(), "\n")
		if lines[0] != "office: the CSV file has 80 problems" || lines[len(lines)-1] != "… and 30 more problems" {
			t.Errorf("first and last lines: %q, %q", lines[0], lines[len(lines)-1])
		}
	})
	t.Run("a text past its length", func(t *testing.T) {
		o := everyField()
		o.Name[lang.EN] = strings.Repeat("a", MaxName+1)
		for _, f := range formats {
			b := jsonDoc(t, jsonObjectOf(t, o))
			if f.name == CSV {
				b = csvFile(t, CSVColumns(), cellsOf(o))
			}
			_, err := f.read(bytes.NewReader(b))
			if !strings.Contains(fileError(t, err).Error(), "field en.name: is longer than 200 bytes") {
				t.Errorf("%s: %v", f.name, err)
			}
		}
	})
}

func mustWrite(t *testing.T, f format, offs []Office) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := f.write(&b, offs); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestFileShape(t *testing.T) {
	good := jsonObjectOf(t, everyField())
	for _, tc := range []struct {
		name   string
		format Format
		data   string
		want   string
	}{
		{"empty CSV", CSV, "", "the file is empty"},
		{"header only", CSV, strings.Join(CSVColumns(), ",") + "\n", "the file has no offices, only a header"},
		{"cells", CSV, strings.Join(CSVColumns(), ",") + "\ntokyo,bureau\n", `row 2 (slug "tokyo"): has 2 cells, the header 35`},
		{"empty JSON", JSON, "", "the JSON ends too early"},
		{"not an object", JSON, "[]", `the file must be one JSON object, {"offices": [ … ]}`},
		{"no offices", JSON, `{}`, `the file has no offices: "offices" is missing or empty`},
		{"null offices", JSON, `{"offices": null}`, `"offices" must be an array of offices`},
		{"unknown top field", JSON, `{"offices": [], "version": 2}`, `unknown field "version": the file holds only "offices"`},
		{"offices twice", JSON, `{"offices": [], "offices": []}`, `"offices" is given twice`},
		{"two values", JSON, string(jsonDoc(t, good)) + " {}", "the file holds more than one JSON value"},
		{"trailing garbage", JSON, string(jsonDoc(t, good)) + "\n x", "not valid JSON at line 2, column 2: invalid character 'x' after top-level value"},
		{"cut short", JSON, `{"offices": [{"slug": "a"`, "the JSON ends too early"},
		{"syntax", JSON, `{"offices": [{"slug": }]}`, "not valid JSON at line 1, column 23: invalid character '}' looking for beginning of value"},
		{"office not an object", JSON, `{"offices": [3]}`, "office 1: an office must be a JSON object, not number"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			read := ReadCSV
			if tc.format == JSON {
				read = ReadJSON
			}
			_, err := read(strings.NewReader(tc.data))
			if got := fileError(t, err).Error(); !strings.Contains(got, tc.want) {
				t.Errorf("err = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestCSVBareQuote(t *testing.T) {
	// encoding/csv reads a bare quote in an unquoted cell as a syntax
	// error; the row is named by its record number.
	data := strings.Join(CSVColumns(), ",") + "\n" + `a"b` + strings.Repeat(",", len(CSVColumns())-1) + "\n"
	_, err := ReadCSV(strings.NewReader(data))
	if got := fileError(t, err).Lines()[0]; !strings.HasPrefix(got, `row 2: not valid CSV: parse error on line 2, column 2: bare " in non-quoted-field`) {
		t.Errorf("line = %q", got)
	}
}

func TestWriteRefusesWhatReadWouldNotGiveBack(t *testing.T) {
	for name, change := range map[string]func(*Office){
		"invalid":               func(o *Office) { o.Country = "XX" },
		"semicolon in a reason": func(o *Office) { o.Closures[0].Reason[lang.EN] = "a; b" },
		"bar in a French reason": func(o *Office) {
			o.Closures[0].Reason[lang.FR] = "a | b"
		},
		"year past 9999": func(o *Office) { o.Closed = Date{10000, 1, 1} },
	} {
		o := everyField()
		change(&o)
		for _, f := range formats {
			if err := f.write(io.Discard, []Office{o}); err == nil || !strings.HasPrefix(err.Error(), `office: write "sao-paulo-2"`) {
				t.Errorf("%s, %s: err = %v", name, f.name, err)
			}
		}
	}
}

func TestReadCleansValues(t *testing.T) {
	o := everyField()
	c := cellsOf(o)
	c["slug"] = "  " + c["slug"] + "\t"
	c["address"] = "1, rue de l'Exemple; bureau 2\r\n01000-000 São Paulo\r\n"
	c["name_fr"] = " " + c["name_fr"] + " "
	c["changes"] = " 2024-03-22  delegation;;2030-01-01 general-delegation ; "
	c["covers"] = " AR\tCL  UY "
	got, err := ReadCSV(bytes.NewReader(csvFile(t, CSVColumns(), c)))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got[0], o) {
		t.Errorf("got\n%#v\nwant\n%#v", got[0], o)
	}
	// Maps and lists as a form may leave them: Read gives the canonical form.
	o2 := everyField()
	o2.Covers = []string{}
	o2.Head.Title = nil
	o2.Services = map[Clientele]map[lang.Lang]string{Culture: {lang.FR: "x"}, Research: {}}
	var b bytes.Buffer
	if err := WriteJSON(&b, []Office{o2}); err != nil {
		t.Fatal(err)
	}
	back, err := ReadJSON(&b)
	if err != nil {
		t.Fatal(err)
	}
	if back[0].Covers != nil || len(back[0].Head.Title) != 2 ||
		!reflect.DeepEqual(back[0].Services, map[Clientele]map[lang.Lang]string{Culture: {lang.FR: "x", lang.EN: ""}}) {
		t.Errorf("got %#v", back[0])
	}
}
