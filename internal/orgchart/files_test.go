package orgchart

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"

	"portail/internal/apperr"
	"portail/internal/lang"
)

type format struct {
	name  Format
	write func(io.Writer, []Unit) error
	read  func(io.Reader) ([]Unit, error)
}

var formats = []format{{CSV, WriteCSV, ReadCSV}, {JSON, WriteJSON, ReadJSON}}

// required is a unit with only what every period needs.
func required(id, parent string) Unit {
	return Unit{ID: id, Periods: []Period{{From: day("2000-01-01"), Parent: parent, Kind: Team,
		Name: bi("Équipe "+id, ""), Head: Head{Title: bi("", "")}}}}
}

func TestWriteThenReadGivesTheUnitsBack(t *testing.T) {
	for _, f := range formats {
		for name, units := range map[string][]Unit{
			"defaults":      Defaults(),
			"every field":   chartOf(everyField()),
			"required only": {required("a", ""), required("b", "a")},
		} {
			t.Run(string(f.name)+"/"+name, func(t *testing.T) {
				b := mustWrite(t, f, units)
				got, err := f.read(bytes.NewReader(b))
				if err != nil {
					t.Fatalf("%v\n%s", err, b)
				}
				if !reflect.DeepEqual(got, units) {
					t.Errorf("read back\n%#v\nnot\n%#v", got, units)
				}
				if _, err := Read("organigramme."+string(f.name), bytes.NewReader(b)); err != nil {
					t.Error(err)
				}
			})
		}
	}
}

func mustWrite(t testing.TB, f format, units []Unit) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := f.write(&b, units); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestReadChoosesByExtension(t *testing.T) {
	csvData, jsonData := mustWrite(t, formats[0], Defaults()), mustWrite(t, formats[1], Defaults())
	for _, tc := range []struct {
		name string
		data []byte
		ok   bool
	}{
		{"chart.csv", csvData, true},
		{"CHART.CSV", csvData, true},
		{"export/2026/chart.Json", jsonData, true},
		{"chart.json", csvData, false},
		{"chart.txt", csvData, false},
		{"chart", csvData, false},
		{"chart.csv.gz", csvData, false},
	} {
		_, err := Read(tc.name, bytes.NewReader(tc.data))
		if (err == nil) != tc.ok {
			t.Errorf("Read(%q): %v", tc.name, err)
		}
		if err != nil && !errors.Is(err, apperr.Invalid) {
			t.Errorf("Read(%q): %v is not Invalid", tc.name, err)
		}
	}
	_, err := Read("chart.txt", strings.NewReader(""))
	if !strings.Contains(err.Error(), `"chart.txt" is not a .csv or .json file`) {
		t.Errorf("Read(chart.txt) = %v", err)
	}
}

// csvOf writes rows of cells (by column) under the columns cols.
func csvOf(cols []string, rows ...map[string]string) string {
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
	return b.String()
}

// row is one CSV row of a period, with the columns every period needs.
func row(id, parent, from, to string) map[string]string {
	return map[string]string{"id": id, "parent_id": parent, "kind": "directorate", "name_fr": "Direction " + id,
		"valid_from": from, "valid_to": to}
}

// rows is a good chart: a top and two units under it, one moved.
func rows() []map[string]string {
	return []map[string]string{
		row("top", "", "2000-01-01", ""),
		row("a", "top", "2000-01-01", ""),
		row("b", "top", "2000-01-01", "2020-01-01"),
		row("b", "a", "2020-01-01", ""),
	}
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

// Each bad file is refused with the line, unit, field and message that
// say what is wrong.
func TestBadCSVFiles(t *testing.T) {
	if _, err := ReadCSV(strings.NewReader(csvOf(CSVColumns(), rows()...))); err != nil {
		t.Fatalf("the good file: %v", err)
	}
	for _, tc := range []struct {
		name string
		edit func(rs []map[string]string) []map[string]string
		want []string
		key  string
	}{
		{"unknown parent", func(rs []map[string]string) []map[string]string {
			rs[2]["parent_id"] = "xyz"
			return rs
		}, []string{`line 4 (unit "b"), field parent_id: unknown unit "xyz"`}, keyParent},
		{"a cycle", func(rs []map[string]string) []map[string]string {
			rs[1]["valid_to"] = "2025-01-01"
			return append(rs, row("a", "b", "2025-01-01", ""))
		}, []string{`line 6 (unit "a"), field parent_id: on 2025-01-01, the parent "b" puts the unit under itself: "a" → "b" → "a"`}, keyCycle},
		{"two tops", func(rs []map[string]string) []map[string]string {
			return append(rs, row("rival", "", "2010-01-01", "2011-01-01"))
		}, []string{`line 6 (unit "rival"), field parent_id: a second top of the chart: on 2010-01-01, "top" has no parent either`}, keyTwoRoots},
		{"a unit that outlives its parent", func(rs []map[string]string) []map[string]string {
			rs[1]["valid_to"] = "2030-01-01"
			return rs
		}, []string{`line 5 (unit "b"), field parent_id: the parent "a" does not exist on 2030-01-01, within the period from 2020-01-01: a unit cannot exist without the unit above it`}, keyParentAbsent},
		{"overlapping periods", func(rs []map[string]string) []map[string]string {
			rs[3]["valid_from"] = "2019-06-01"
			return rs
		}, []string{`line 5 (unit "b"), field valid_from: the period from 2019-06-01 begins before the period before it ends (2020-01-01)`}, keyOverlap},
		{"a period given twice", func(rs []map[string]string) []map[string]string {
			return append(rs, row("b", "a", "2020-01-01", ""))
		}, []string{`line 6 (unit "b"), field valid_from: the unit has two periods from 2020-01-01`}, keyDupPeriod},
		{"a bad date", func(rs []map[string]string) []map[string]string {
			rs[2]["valid_to"] = "2020-02-30"
			return rs
		}, []string{`line 4 (unit "b"), field valid_to: "2020-02-30" is not a date such as 2024-06-01`}, keyDate},
		{"a bad kind", func(rs []map[string]string) []map[string]string {
			rs[1]["kind"] = "division"
			return rs
		}, []string{`line 3 (unit "a"), field kind: "division" is not a kind of unit (minister-office, deputy-minister, sector, directorate, team)`}, keyKind},
		{"an order that is no number", func(rs []map[string]string) []map[string]string {
			rs[1]["order"] = "premier"
			return rs
		}, []string{`line 3 (unit "a"), field order: "premier" is not a whole number`}, keyNumber},
		{"sample rows that disagree", func(rs []map[string]string) []map[string]string {
			rs[2]["sample"] = "true"
			return rs
		}, []string{`line 5 (unit "b"), field sample: says false, the unit's first row (line 4) true: the rows of a unit must agree`}, keySample},
		{"a bad ID, a bad email and a missing name at once", func(rs []map[string]string) []map[string]string {
			rs[1]["id"], rs[1]["email"], rs[1]["name_fr"] = "Direction A", "a@", " "
			return rs
		}, []string{
			`line 3 (unit "Direction A"), field id: "Direction A" is not an ID: lowercase ASCII letters, digits and single hyphens, at most 60 characters`,
			`line 3 (unit "Direction A"), field name_fr: is required`,
			`line 3 (unit "Direction A"), field email: "a@" is not an email address such as "name@example.org"`,
		}, "form.key.invalid"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := csvOf(CSVColumns(), tc.edit(rows())...)
			_, err := ReadCSV(strings.NewReader(data))
			fe := fileError(t, err)
			if got := fe.Lines(); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("lines\n%s\nwant\n%s\nin\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"), data)
			}
			if fe.Problems[0].Key != tc.key {
				t.Errorf("key %q, want %q", fe.Problems[0].Key, tc.key)
			}
		})
	}
}

func TestBadJSONFiles(t *testing.T) {
	good := mustWrite(t, formats[1], []Unit{required("top", ""), required("a", "top")})
	for _, tc := range []struct {
		name, old, new string
		want           []string
	}{
		{"unknown parent", `"parent_id": "top"`, `"parent_id": "xyz"`,
			[]string{`line 19 (unit "a"), field periods.0.parent_id: unknown unit "xyz"`}},
		{"an ID twice", `"id": "a"`, `"id": "top"`,
			[]string{`line 16 (unit "top"), field id: "top" is already the ID of the unit at line 3`,
				`line 19 (unit "top"), field periods.0.parent_id: a unit cannot be its own parent`}},
		{"a number for a date", `"valid_from": "2000-01-01",
          "parent_id"`, `"valid_from": 2000,
          "parent_id"`,
			[]string{`line 19 (unit "a"), field periods.0.valid_from: must be a string, not number`}},
		{"an order past int", `"kind": "team",
          "name": {
            "fr": "Équipe a"`, `"kind": "team", "order": 1e40,
          "name": {
            "fr": "Équipe a"`,
			[]string{`line 19 (unit "a"), field periods.0.order: 1e40 is not a whole number in range`}},
		{"an unknown field", `"id": "a",`, `"id": "a", "fax": 1,`,
			[]string{`line 16 (unit "a"): unknown field "fax"`}},
		{"a unit that is not an object", `{
      "id": "a",`, `3, {
      "id": "a",`,
			[]string{`line 16: a unit must be a JSON object, not number`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := strings.Replace(string(good), tc.old, tc.new, 1)
			if data == string(good) {
				t.Fatalf("%q not found in\n%s", tc.old, good)
			}
			_, err := ReadJSON(strings.NewReader(data))
			if got := fileError(t, err).Lines(); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("lines\n%s\nwant\n%s\nin\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"), data)
			}
		})
	}
}

func TestCSVHeader(t *testing.T) {
	t.Run("columns in any order, optional ones left out, semicolons, CRLF, BOM, blank rows", func(t *testing.T) {
		cols := []string{"valid_from", "name_fr", "kind", "parent_id", "id"}
		var b bytes.Buffer
		w := csv.NewWriter(&b)
		w.Comma, w.UseCRLF = ';', true
		w.Write(cols)
		w.Write([]string{"2000-01-01", " Cabinet ", "minister-office", "", "top"})
		w.Write([]string{"", "", "", "", ""})
		w.Write([]string{"2000-01-01", "Équipe", "team", "top", "a"})
		w.Flush()
		got, err := ReadCSV(bytes.NewReader(append([]byte("\uFEFF"), b.Bytes()...)))
		if err != nil {
			t.Fatal(err)
		}
		a := required("a", "top")
		a.Periods[0].Name[lang.FR] = "Équipe"
		if len(got) != 2 || got[0].Periods[0].Name[lang.FR] != "Cabinet" || !reflect.DeepEqual(got[1], a) {
			t.Errorf("got %#v", got)
		}
	})
	t.Run("unknown, duplicate, unnamed and missing columns", func(t *testing.T) {
		cols := append([]string{"fax", "id", ""}, CSVColumns()[2:]...) // no parent_id
		cols = append(cols, "id")
		_, err := ReadCSV(strings.NewReader(csvOf(cols, rows()...)))
		want := []string{
			`line 1: unknown column "fax"`,
			`line 1: column 3 has no name`,
			`line 1: column "id" is given twice`,
			`line 1: required column "parent_id" is missing`,
		}
		if got := fileError(t, err).Lines(); !reflect.DeepEqual(got, want) {
			t.Errorf("lines\n%q\nwant\n%q", got, want)
		}
	})
}

func TestFileShape(t *testing.T) {
	header := strings.Join(CSVColumns(), ",") + "\n"
	for _, tc := range []struct {
		name   string
		format Format
		data   string
		want   string
	}{
		{"empty CSV", CSV, "", "the file is empty"},
		{"header only", CSV, header, "the file has no units, only a header"},
		{"cells", CSV, header + "top,\n", `line 2 (unit "top"): has 2 cells, the header 15`},
		{"bare quote", CSV, header + `a"b` + strings.Repeat(",", 14) + "\n", `line 2: not valid CSV: parse error on line 2, column 2: bare " in non-quoted-field`},
		{"a quoted cell over two lines", CSV, header + "top,,minister-office,\"Cabinet\nde la ministre\",,,,,,,,,2000-01-01,,\n" + "a,top,team,A,,,,,,,,,2000-01-01,,\n",
			`line 2 (unit "top"), field name_fr: holds a line break or another control character: it must be one line`},
		{"empty JSON", JSON, "", "the JSON ends too early"},
		{"not an object", JSON, "[]", `the file must be one JSON object, {"units": [ … ]}`},
		{"no units", JSON, `{}`, `the file has no units: "units" is missing or empty`},
		{"null units", JSON, `{"units": null}`, `"units" must be an array of units`},
		{"unknown top field", JSON, `{"units": [], "version": 2}`, `unknown field "version": the file holds only "units"`},
		{"units twice", JSON, `{"units": [], "units": []}`, `"units" is given twice`},
		{"two values", JSON, `{"units": [{}]} {}`, "the file holds more than one JSON value"},
		{"cut short", JSON, `{"units": [{"id": "a"`, "the JSON ends too early"},
		{"syntax", JSON, "{\"units\": [\n{\"id\": }]}", "not valid JSON at line 2, column 8: invalid character '}' looking for beginning of value"},
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

func TestFileLimits(t *testing.T) {
	t.Run("larger than MaxFileSize", func(t *testing.T) {
		for _, f := range formats {
			_, err := f.read(bytes.NewReader(bytes.Repeat([]byte(" "), MaxFileSize+1)))
			fe := fileError(t, err)
			if !errors.Is(err, apperr.TooLarge) || fe.Problems[0].Message != "the file is larger than 4 MB" {
				t.Errorf("%s: %v", f.name, err)
			}
		}
	})
	t.Run("more rows than MaxFileRows", func(t *testing.T) {
		var b strings.Builder
		b.WriteString("id,parent_id,kind,name_fr,valid_from\n")
		for i := range MaxFileRows + 1 {
			fmt.Fprintf(&b, "u%d,,team,U,%d-01-01\n", i%1000, 2000+i/1000)
		}
		_, err := ReadCSV(strings.NewReader(b.String()))
		if fe := fileError(t, err); len(fe.Problems) != 1 || fe.Problems[0].Message != "the file has more than 20000 periods" {
			t.Errorf("%v", err)
		}
	})
	t.Run("more units than MaxUnits", func(t *testing.T) {
		units := make([]Unit, MaxUnits+1)
		for i := range units {
			units[i] = required(fmt.Sprintf("u%d", i), "")
		}
		for _, f := range formats {
			_, err := f.read(bytes.NewReader(mustWrite(t, f, units)))
			if fe := fileError(t, err); len(fe.Problems) != 1 || fe.Problems[0].Message != "the file has more than 2000 units" {
				t.Errorf("%s: %v", f.name, err)
			}
		}
	})
	t.Run("more periods than MaxPeriods in a JSON unit, counted before they are read", func(t *testing.T) {
		data := `{"units": [{"id": "a", "periods": [` + strings.Repeat("{},", MaxPeriods) + "{}]}]}"
		_, err := ReadJSON(strings.NewReader(data))
		if got := fileError(t, err).Lines(); len(got) != 1 || got[0] != `line 1 (unit "a"), field periods: the unit has more than 50 periods` {
			t.Errorf("%q", got)
		}
	})
	t.Run("problems past MaxProblems are counted", func(t *testing.T) {
		rs := rows()
		for i := range 80 {
			rs = append(rs, row(fmt.Sprintf("u%d", i), "ghost", "2000-01-01", ""))
		}
		_, err := ReadCSV(strings.NewReader(csvOf(CSVColumns(), rs...)))
		fe := fileError(t, err)
		if len(fe.Problems) != MaxProblems || fe.Omitted != 30 {
			t.Errorf("%d problems, %d omitted", len(fe.Problems), fe.Omitted)
		}
		lines := strings.Split(err.Error(), "\n")
		if lines[0] != "orgchart: the CSV file has 80 problems" || lines[len(lines)-1] != "… and 30 more problems" || !strings.HasPrefix(lines[1], "line 6 ") {
			t.Errorf("lines: %q … %q", lines[:2], lines[len(lines)-1])
		}
	})
}

func TestReadSortsAndCleans(t *testing.T) {
	rs := rows()
	rs[2], rs[3] = rs[3], rs[2] // b's periods in reverse order
	rs[1]["name_fr"] = "  Direction a\t"
	rs[1]["order"] = " 7 "
	got, err := ReadCSV(strings.NewReader(csvOf(CSVColumns(), rs...)))
	if err != nil {
		t.Fatal(err)
	}
	if p := got[1].Periods[0]; p.Name[lang.FR] != "Direction a" || p.Order != 7 {
		t.Errorf("a: %+v", p)
	}
	if b := got[2]; b.Periods[0].Parent != "top" || b.Periods[1].Parent != "a" {
		t.Errorf("b's periods not sorted: %s", periods(b))
	}
}

func TestWriteRefusesWhatDoesNotValidate(t *testing.T) {
	u := everyField()
	u.Periods[0].Kind = "division"
	for _, f := range formats {
		if err := f.write(io.Discard, []Unit{u}); err == nil || !strings.HasPrefix(err.Error(), `orgchart: write "direction-ameriques"`) {
			t.Errorf("%s: %v", f.name, err)
		}
	}
}
