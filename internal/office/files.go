package office

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"path"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"portail/internal/apperr"
	"portail/internal/lang"
)

// Format is the format of an offices file, for import and export: JSON
// or CSV. A file holds the whole directory; it is read and checked whole, and
// refused with every problem found (a *FileError) before anything is
// written. Version and Updated are not part of a file.
//
// JSON is one object, {"offices": [ … ]}, each office an object:
//
//	{"slug": "tokyo", "type": "bureau",
//	 "changes": [{"on": "2024-06-01", "type": "delegation"}],
//	 "opened": "2017-09-01", "closed": "",
//	 "name": {"fr": "…", "en": "…"}, "city": {"fr": "…", "en": "…"},
//	 "country": "JP", "region": "asia-pacific", "address": "…",
//	 "latitude": 35.68, "longitude": 139.76, "timezone": "Asia/Tokyo",
//	 "phone": "…", "email": "…", "website": "https://…",
//	 "head": {"name": "…", "title": {"fr": "…", "en": "…"}},
//	 "hours": "mon-fri 09:00-17:00", "closures": "2026-12-25 holiday Noël | Christmas",
//	 "covers": ["KR"], "services": {"businesses": {"fr": "…", "en": "…"}},
//	 "sample": true}
//
// Dates are "YYYY-MM-DD"; hours and closures are in their text forms
// (ParseWeek, ParseClosures); fields not named here are refused.
//
// CSV is UTF-8, comma-separated (a header written with semicolons, as
// spreadsheets set to French write it, is read too), with a header row
// and one office per row. Its columns are the JSON fields flattened, in
// any order: see CSVColumns. "covers" holds codes separated by spaces,
// "changes" is "2024-06-01 delegation; 2026-01-01 general-delegation",
// "sample" is true or false (empty: false). A UTF-8 byte order mark at
// the start is skipped (in JSON too), and rows whose cells are all
// empty are ignored.
//
// A problem names its CSV row by record number, the header being row 1,
// and its JSON office by position from 1 (see Problem.Row).
//
// Read trims the spaces around every value and turns "\r\n" and "\r"
// into "\n"; it returns every bilingual text (name, city, head title,
// closure reason) with both languages, even empty, services only for
// the clienteles with some text, and nil for empty lists. Write then
// Read gives back offices in that form unchanged.
type Format string

// The formats, named as the files' extensions.
const (
	CSV  Format = "csv"
	JSON Format = "json"
)

// MaxFileSize bounds an offices file: a larger one is refused before it
// is parsed.
const MaxFileSize = 4 << 20

// Read reads an offices file in the format its name's extension says,
// .csv or .json (in any case); it refuses any other name.
func Read(name string, r io.Reader) ([]Office, error) {
	switch strings.ToLower(path.Ext(name)) {
	case ".csv":
		return ReadCSV(r)
	case ".json":
		return ReadJSON(r)
	}
	return nil, fileProblem("", "form.office.file_type", "%q is not a .csv or .json file", name)
}

// jsonFile is the JSON file's top level.
type jsonFile struct {
	Offices []fileOffice `json:"offices"`
}

// fileOffice is an office as the JSON file writes it; ReadCSV fills one
// from a row's cells, so that both formats are checked alike.
type fileOffice struct {
	Slug      string              `json:"slug"`
	Type      string              `json:"type"`
	Changes   []fileChange        `json:"changes,omitempty"`
	Opened    string              `json:"opened,omitempty"`
	Closed    string              `json:"closed,omitempty"`
	Name      fileText            `json:"name"`
	City      fileText            `json:"city"`
	Country   string              `json:"country"`
	Region    string              `json:"region"`
	Address   string              `json:"address,omitempty"`
	Latitude  *float64            `json:"latitude"`
	Longitude *float64            `json:"longitude"`
	TimeZone  string              `json:"timezone"`
	Phone     string              `json:"phone,omitempty"`
	Email     string              `json:"email,omitempty"`
	Website   string              `json:"website,omitempty"`
	Head      fileHead            `json:"head,omitzero"`
	Hours     string              `json:"hours,omitempty"`
	Closures  string              `json:"closures,omitempty"`
	Covers    []string            `json:"covers,omitempty"`
	Services  map[string]fileText `json:"services,omitempty"`
	Sample    bool                `json:"sample,omitempty"`
}

type fileText struct {
	FR string `json:"fr"`
	EN string `json:"en"`
}

type fileHead struct {
	Name  string   `json:"name,omitempty"`
	Title fileText `json:"title,omitzero"`
}

type fileChange struct {
	On   string `json:"on"`
	Type string `json:"type"`
}

// readLimited reads r whole, refusing more than MaxFileSize bytes, and
// drops a UTF-8 byte order mark.
func readLimited(r io.Reader, f Format) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("office: read the %s file: %w", f, err)
	}
	if len(b) > MaxFileSize {
		return nil, &FileError{Format: f, tooLarge: true, Problems: []Problem{{
			Key: "form.office.file_size", Message: fmt.Sprintf("the file is larger than %d MB", MaxFileSize>>20)}}}
	}
	return bytes.TrimPrefix(b, []byte("\uFEFF")), nil
}

// ReadJSON reads a JSON offices file (see Format), checks it whole and
// returns its offices in file order, or a *FileError.
func ReadJSON(r io.Reader) ([]Office, error) {
	b, err := readLimited(r, JSON)
	if err != nil {
		return nil, err
	}
	raws, err := splitJSON(b)
	if err != nil {
		return nil, err
	}
	rows := make([]fileRow, len(raws))
	for i, raw := range raws {
		rows[i].num = i + 1
		d := json.NewDecoder(bytes.NewReader(raw))
		d.DisallowUnknownFields()
		// The decoder goes on after an unknown field or a value of the
		// wrong type, and returns the first; the rest is still checked.
		if err := d.Decode(&rows[i].fo); err != nil {
			p := jsonProblem(err)
			rows[i].probs = append(rows[i].probs, p)
			rows[i].unread = p.field == "" && p.key == "form.office.syntax"
		}
	}
	return check(JSON, rows)
}

// splitJSON checks the file's top level, {"offices": [ … ]} and nothing
// after it, and returns each office's JSON unparsed, refusing more than
// MaxOffices before parsing any.
func splitJSON(b []byte) ([]json.RawMessage, error) {
	syntax := func(err error) error {
		// The streaming decoder's offsets are not the file's: parse the
		// file again whole for the error's place.
		var whole json.RawMessage
		if uerr := json.Unmarshal(b, &whole); uerr != nil {
			err = uerr
		}
		var se *json.SyntaxError
		if errors.As(err, &se) && se.Error() != "unexpected end of JSON input" {
			line, col := lineColumn(b, se.Offset)
			return fileProblem(JSON, "form.office.syntax", "not valid JSON at line %d, column %d: %s", line, col, se.Error())
		}
		if se != nil || err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
			return fileProblem(JSON, "form.office.syntax", "the JSON ends too early")
		}
		return fileProblem(JSON, "form.office.syntax", "not valid JSON: %s", strings.TrimPrefix(err.Error(), "json: "))
	}
	shape := func() error {
		return fileProblem(JSON, "form.office.syntax", `the file must be one JSON object, {"offices": [ … ]}`)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	tok, err := dec.Token()
	if err != nil {
		return nil, syntax(err)
	}
	if tok != json.Delim('{') {
		return nil, shape()
	}
	var raws []json.RawMessage
	seen := false
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, syntax(err)
		}
		if key, _ := tok.(string); key != "offices" {
			return nil, fileProblem(JSON, "form.office.unknown_field", "unknown field %q: the file holds only \"offices\"", tok)
		}
		if seen {
			return nil, fileProblem(JSON, "form.office.syntax", `"offices" is given twice`)
		}
		seen = true
		if tok, err = dec.Token(); err != nil {
			return nil, syntax(err)
		}
		if tok != json.Delim('[') {
			return nil, fileProblem(JSON, "form.office.syntax", `"offices" must be an array of offices`)
		}
		for dec.More() {
			if len(raws) == MaxOffices {
				return nil, fileProblem(JSON, "form.office.too_many", "the file has more than %d offices", MaxOffices)
			}
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				return nil, syntax(err)
			}
			raws = append(raws, raw)
		}
		if _, err := dec.Token(); err != nil { // ']'
			return nil, syntax(err)
		}
	}
	if _, err := dec.Token(); err != nil { // '}'
		return nil, syntax(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		if err != nil {
			return nil, syntax(err)
		}
		return nil, fileProblem(JSON, "form.office.syntax", "the file holds more than one JSON value")
	}
	if len(raws) == 0 {
		return nil, fileProblem(JSON, "form.office.empty", `the file has no offices: "offices" is missing or empty`)
	}
	return raws, nil
}

// lineColumn returns the line and column (in characters, from 1) of
// the byte before offset, where encoding/json's SyntaxError points.
func lineColumn(b []byte, offset int64) (line, col int) {
	i := max(int(offset)-1, 0)
	start := bytes.LastIndexByte(b[:i], '\n') + 1
	return bytes.Count(b[:i], []byte("\n")) + 1, utf8.RuneCount(b[start:i]) + 1
}

// jsonProblem describes a decoding error of one office.
func jsonProblem(err error) fieldProblem {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		field := jsonField(te.Field)
		if field == "" {
			return fieldProblem{"", "form.office.syntax", "an office must be a JSON object, not " + te.Value}
		}
		key, want := "form.office.syntax", "a string"
		switch te.Type.Kind() {
		case reflect.Float64:
			if n, ok := strings.CutPrefix(te.Value, "number "); ok {
				return fieldProblem{field, "form.office.number", n + " is not a number in range"}
			}
			key, want = "form.office.number", "a number"
		case reflect.Bool:
			key, want = "form.office.boolean", "true or false"
		case reflect.Slice:
			want = "an array"
		case reflect.Struct, reflect.Map:
			want = "an object"
		}
		return fieldProblem{field, key, fmt.Sprintf("must be %s, not %s", want, te.Value)}
	}
	msg := strings.TrimPrefix(err.Error(), "json: ")
	if strings.HasPrefix(msg, "unknown field ") {
		return fieldProblem{"", "form.office.unknown_field", msg}
	}
	return fieldProblem{"", "form.office.syntax", msg}
}

// jsonField turns a JSON path into Validate's key for the field.
func jsonField(p string) string {
	switch {
	case p == "name.fr", p == "name.en", p == "city.fr", p == "city.en":
		a, b, _ := strings.Cut(p, ".")
		return b + "." + a
	case p == "head.name":
		return "head_name"
	case p == "head.title.fr", p == "head.title.en":
		return p[len("head.title."):] + ".head_title"
	}
	return p
}

// WriteJSON writes offs as a JSON offices file, indented, in the order
// given. It refuses an office that Read would not give back (see
// writable).
func WriteJSON(w io.Writer, offs []Office) error {
	f := jsonFile{Offices: make([]fileOffice, 0, len(offs))}
	for i := range offs {
		if err := writable(&offs[i]); err != nil {
			return err
		}
		f.Offices = append(f.Offices, toFile(&offs[i]))
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(f); err != nil {
		return fmt.Errorf("office: write JSON: %w", err)
	}
	return nil
}

// CSVColumns returns the CSV file's columns in the order WriteCSV writes
// them. Those that ReadCSV requires are marked by RequiredColumn.
func CSVColumns() []string {
	cols := []string{
		"slug", "type", "changes", "opened", "closed",
		"name_fr", "name_en", "city_fr", "city_en", "country", "region",
		"address", "latitude", "longitude", "timezone", "phone", "email", "website",
		"head_name", "head_title_fr", "head_title_en", "hours", "closures", "covers",
	}
	for _, c := range Clienteles {
		for _, l := range lang.All {
			cols = append(cols, "services_"+string(c)+"_"+string(l))
		}
	}
	return append(cols, "sample")
}

// RequiredColumn reports whether a CSV offices file must have column
// col: those of the fields every office needs.
func RequiredColumn(col string) bool {
	switch col {
	case "slug", "type", "name_fr", "name_en", "city_fr", "city_en",
		"country", "region", "latitude", "longitude", "timezone":
		return true
	}
	return false
}

// WriteCSV writes offs as a CSV offices file with every column, in the
// order given. It refuses an office that Read would not give back (see
// writable).
func WriteCSV(w io.Writer, offs []Office) error {
	cols := CSVColumns()
	cw := csv.NewWriter(w)
	if err := cw.Write(cols); err != nil {
		return fmt.Errorf("office: write CSV: %w", err)
	}
	rec := make([]string, len(cols))
	for i := range offs {
		if err := writable(&offs[i]); err != nil {
			return err
		}
		cells := toCells(toFile(&offs[i]))
		for j, c := range cols {
			// encoding/csv reads "\r\n" in a quoted cell as "\n": "\r\r\n"
			// would come back as one line end, not two, had the line
			// ends not been made "\n" first, as Read makes them.
			rec[j] = lineEnds(cells[c])
		}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("office: write CSV: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("office: write CSV: %w", err)
	}
	return nil
}

// ReadCSV reads a CSV offices file (see Format), checks it whole and
// returns its offices in file order, or a *FileError.
func ReadCSV(r io.Reader) ([]Office, error) {
	b, err := readLimited(r, CSV)
	if err != nil {
		return nil, err
	}
	cr := csv.NewReader(bytes.NewReader(b))
	cr.FieldsPerRecord = -1 // counted here, to name the row
	first, _, _ := bytes.Cut(b, []byte("\n"))
	if !bytes.ContainsRune(first, ',') && bytes.ContainsRune(first, ';') {
		cr.Comma = ';'
	}
	syntax := func(row int, err error) error {
		return &FileError{Format: CSV, Problems: []Problem{{Row: row, Key: "form.office.syntax",
			Message: "not valid CSV: " + strings.TrimPrefix(err.Error(), "csv: ")}}}
	}
	header, err := cr.Read()
	if err == io.EOF {
		return nil, fileProblem(CSV, "form.office.empty", "the file is empty")
	}
	if err != nil {
		return nil, syntax(1, err)
	}
	cols, err := csvHeader(header)
	if err != nil {
		return nil, err
	}
	var rows []fileRow
	for num := 2; ; num++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, syntax(num, err)
		}
		if allEmpty(rec) {
			continue
		}
		if len(rows) == MaxOffices {
			return nil, fileProblem(CSV, "form.office.too_many", "the file has more than %d offices", MaxOffices)
		}
		row := fileRow{num: num}
		if len(rec) != len(cols) {
			row.probs = append(row.probs, fieldProblem{"", "form.office.cells",
				fmt.Sprintf("has %d cells, the header %d", len(rec), len(cols))})
			for i, c := range cols {
				if c == "slug" && i < len(rec) {
					row.fo.Slug = rec[i]
				}
			}
			row.unread = true
			rows = append(rows, row)
			continue
		}
		cells := make(map[string]string, len(cols))
		for i, c := range cols {
			cells[c] = rec[i]
		}
		row.fo, row.probs = fromCells(cells)
		rows = append(rows, row)
	}
	if len(rows) == 0 {
		return nil, fileProblem(CSV, "form.office.empty", "the file has no offices, only a header")
	}
	return check(CSV, rows)
}

func allEmpty(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// csvHeader checks the header row: known columns, each once, and the
// required ones.
func csvHeader(header []string) ([]string, error) {
	known := map[string]bool{}
	for _, c := range CSVColumns() {
		known[c] = true
	}
	var ps problems
	cols := make([]string, len(header))
	seen := map[string]bool{}
	for i, h := range header {
		c := strings.TrimSpace(h)
		cols[i] = c
		switch {
		case c == "":
			ps.add(Problem{Row: 1, Key: "form.office.columns", Message: fmt.Sprintf("column %d has no name", i+1)})
		case !known[c]:
			ps.add(Problem{Row: 1, Key: "form.office.columns", Message: fmt.Sprintf("unknown column %q", c)})
		case seen[c]:
			ps.add(Problem{Row: 1, Key: "form.office.columns", Message: fmt.Sprintf("column %q is given twice", c)})
		}
		seen[c] = true
	}
	for _, c := range CSVColumns() {
		if RequiredColumn(c) && !seen[c] {
			ps.add(Problem{Row: 1, Key: "form.office.columns", Message: fmt.Sprintf("required column %q is missing", c)})
		}
	}
	if err := ps.err(CSV); err != nil {
		return nil, err
	}
	return cols, nil
}

// fromCells reads a CSV row's cells (by column, absent ones empty) into
// a fileOffice, with the problems of the cells that are not text.
func fromCells(c map[string]string) (fileOffice, []fieldProblem) {
	var probs []fieldProblem
	fo := fileOffice{
		Slug: c["slug"], Type: c["type"], Opened: c["opened"], Closed: c["closed"],
		Name:    fileText{c["name_fr"], c["name_en"]},
		City:    fileText{c["city_fr"], c["city_en"]},
		Country: c["country"], Region: c["region"], Address: c["address"],
		TimeZone: c["timezone"], Phone: c["phone"], Email: c["email"], Website: c["website"],
		Head:  fileHead{Name: c["head_name"], Title: fileText{c["head_title_fr"], c["head_title_en"]}},
		Hours: c["hours"], Closures: c["closures"],
	}
	for _, l := range []string{"latitude", "longitude"} {
		s := clean(c[l])
		if s == "" {
			continue // reported as missing by fromFile
		}
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			probs = append(probs, fieldProblem{l, "form.office.number", fmt.Sprintf("%q is not a number", s)})
			v = 0
		}
		if l == "latitude" {
			fo.Latitude = &v
		} else {
			fo.Longitude = &v
		}
	}
	// Lists are counted before they are kept: a cell may hold
	// megabytes of separators.
	var changes []string
	for part := range strings.SplitSeq(c["changes"], ";") {
		if strings.TrimSpace(part) != "" {
			changes = append(changes, part)
		}
		if len(changes) > MaxChanges {
			probs = append(probs, fieldProblem{"changes", "form.office.too_many",
				fmt.Sprintf("has more than %d changes of type", MaxChanges)})
			changes = nil
			break
		}
	}
	for _, part := range changes {
		f := strings.Fields(part)
		if len(f) != 2 {
			probs = append(probs, fieldProblem{"changes", "form.office.change",
				fmt.Sprintf("%q is not a change such as \"2024-06-01 delegation\"", clean(part))})
			fo.Changes = nil
			break
		}
		fo.Changes = append(fo.Changes, fileChange{On: f[0], Type: f[1]})
	}
	for code := range strings.FieldsSeq(c["covers"]) {
		if len(fo.Covers) == MaxCovers {
			probs = append(probs, fieldProblem{"covers", "form.office.too_many",
				fmt.Sprintf("has more than %d countries", MaxCovers)})
			fo.Covers = nil
			break
		}
		fo.Covers = append(fo.Covers, code)
	}
	for _, cl := range Clienteles {
		t := fileText{c["services_"+string(cl)+"_fr"], c["services_"+string(cl)+"_en"]}
		if clean(t.FR) != "" || clean(t.EN) != "" {
			if fo.Services == nil {
				fo.Services = map[string]fileText{}
			}
			fo.Services[string(cl)] = t
		}
	}
	if s := clean(c["sample"]); s != "" {
		v, err := strconv.ParseBool(s)
		if err != nil {
			probs = append(probs, fieldProblem{"sample", "form.office.boolean", fmt.Sprintf("%q is not true or false", s)})
		}
		fo.Sample = v
	}
	return fo, probs
}

// toCells is fromCells's inverse, for WriteCSV.
func toCells(fo fileOffice) map[string]string {
	c := map[string]string{
		"slug": fo.Slug, "type": fo.Type, "opened": fo.Opened, "closed": fo.Closed,
		"name_fr": fo.Name.FR, "name_en": fo.Name.EN, "city_fr": fo.City.FR, "city_en": fo.City.EN,
		"country": fo.Country, "region": fo.Region, "address": fo.Address,
		"timezone": fo.TimeZone, "phone": fo.Phone, "email": fo.Email, "website": fo.Website,
		"head_name": fo.Head.Name, "head_title_fr": fo.Head.Title.FR, "head_title_en": fo.Head.Title.EN,
		"hours": fo.Hours, "closures": fo.Closures, "covers": strings.Join(fo.Covers, " "),
		"latitude":  strconv.FormatFloat(*fo.Latitude, 'f', -1, 64),
		"longitude": strconv.FormatFloat(*fo.Longitude, 'f', -1, 64),
		"sample":    strconv.FormatBool(fo.Sample),
	}
	changes := make([]string, len(fo.Changes))
	for i, ch := range fo.Changes {
		changes[i] = ch.On + " " + ch.Type
	}
	c["changes"] = strings.Join(changes, "; ")
	for cl, t := range fo.Services {
		c["services_"+cl+"_fr"] = t.FR
		c["services_"+cl+"_en"] = t.EN
	}
	return c
}

// fileRow is one office as read, before it is checked.
type fileRow struct {
	num   int // Problem.Row
	fo    fileOffice
	probs []fieldProblem
	// unread marks a row too broken to check further: a CSV row with
	// the wrong number of cells, a JSON office that is not an object.
	unread bool
}

// check turns each row into an Office, validates it, checks that slugs
// are unique, and returns the offices or every problem found.
func check(f Format, rows []fileRow) ([]Office, error) {
	var ps problems
	offs := make([]Office, 0, len(rows))
	bySlug := map[string]int{}
	for _, row := range rows {
		if row.unread {
			for _, p := range row.probs {
				ps.add(Problem{Row: row.num, Slug: clean(row.fo.Slug), Field: p.field, Key: p.key, Message: p.msg})
			}
			continue
		}
		o, parsed := fromFile(row.fo)
		// One problem a field: the first found, as the value read is
		// what Validate sees after a value that did not parse.
		var probs []fieldProblem
		taken := map[string]bool{}
		add := func(p fieldProblem) {
			base, _, _ := strings.Cut(p.field, ".")
			if p.field != "" && (taken[p.field] || taken[base]) {
				return
			}
			taken[p.field] = true
			probs = append(probs, p)
		}
		for _, p := range append(row.probs, parsed...) {
			add(p)
		}
		if err := o.Validate(); err != nil {
			vp := apperr.ProblemsOf(err)
			fields := slices.SortedFunc(maps.Keys(vp), compareFields)
			for _, field := range fields {
				add(fieldProblem{field, vp[field], explain(&o, field, vp[field])})
			}
		}
		if ValidSlug(o.Slug) {
			if first, ok := bySlug[o.Slug]; ok {
				unit := "row"
				if f == JSON {
					unit = "office"
				}
				probs = append(probs, fieldProblem{"slug", "form.office.duplicate",
					fmt.Sprintf("%q is already the slug of %s %d", o.Slug, unit, first)})
			} else {
				bySlug[o.Slug] = row.num
			}
		}
		sortFieldProblems(probs)
		for _, p := range probs {
			ps.add(Problem{Row: row.num, Slug: o.Slug, Field: p.field, Key: p.key, Message: p.msg})
		}
		offs = append(offs, o)
	}
	if err := ps.err(f); err != nil {
		return nil, err
	}
	return offs, nil
}

// fromFile converts a fileOffice into an Office, with the problems of
// the values that do not parse: dates, hours, closures, missing
// coordinates, lists past their limits, unknown clienteles. Validate
// checks the rest.
func fromFile(fo fileOffice) (Office, []fieldProblem) {
	var probs []fieldProblem
	date := func(field, s string) Date {
		s = clean(s)
		d, ok := ParseDate(s)
		if !ok {
			probs = append(probs, fieldProblem{field, "form.office.date", fmt.Sprintf("%q is not a date such as 2024-06-01", s)})
		}
		return d
	}
	o := Office{
		Slug:     clean(fo.Slug),
		Type:     Type(clean(fo.Type)),
		Opened:   date("opened", fo.Opened),
		Closed:   date("closed", fo.Closed),
		Name:     fo.Name.langs(),
		City:     fo.City.langs(),
		Country:  clean(fo.Country),
		Region:   Region(clean(fo.Region)),
		Address:  clean(fo.Address),
		TimeZone: clean(fo.TimeZone),
		Phone:    clean(fo.Phone),
		Email:    clean(fo.Email),
		Website:  clean(fo.Website),
		Head:     Head{Name: clean(fo.Head.Name), Title: fo.Head.Title.langs()},
		Sample:   fo.Sample,
	}
	// Lists past their limits are dropped before any work on them.
	if len(fo.Changes) > MaxChanges {
		probs = append(probs, fieldProblem{"changes", "form.office.too_many",
			fmt.Sprintf("has more than %d changes of type", MaxChanges)})
	} else {
		for i, c := range fo.Changes {
			on := date(fmt.Sprintf("changes.%d", i), c.On)
			o.Changes = append(o.Changes, TypeChange{On: on, Type: Type(clean(c.Type))})
		}
	}
	if fo.Latitude == nil {
		probs = append(probs, fieldProblem{"latitude", "form.required", "is required"})
	} else {
		o.Latitude = *fo.Latitude
	}
	if fo.Longitude == nil {
		probs = append(probs, fieldProblem{"longitude", "form.required", "is required"})
	} else {
		o.Longitude = *fo.Longitude
	}
	var err error
	if o.Hours, err = ParseWeek(clean(fo.Hours)); err != nil {
		probs = append(probs, fieldProblem{"hours", "form.office.hours", strings.TrimPrefix(err.Error(), "hours: ")})
	}
	if o.Closures, err = ParseClosures(clean(fo.Closures)); err != nil {
		probs = append(probs, fieldProblem{"closures", "form.office.closure", strings.TrimPrefix(err.Error(), "closures: ")})
	}
	if len(fo.Covers) > MaxCovers {
		probs = append(probs, fieldProblem{"covers", "form.office.too_many",
			fmt.Sprintf("has more than %d countries", MaxCovers)})
	} else {
		for _, c := range fo.Covers {
			o.Covers = append(o.Covers, clean(c))
		}
	}
	for c, t := range fo.Services {
		if !validClientele(Clientele(c)) {
			probs = append(probs, fieldProblem{"services", "form.office.clientele",
				fmt.Sprintf("%q is not a clientele (%s)", c, joinAny(Clienteles))})
			o.Services = nil
			break
		}
		if m := t.langs(); m[lang.FR] != "" || m[lang.EN] != "" {
			if o.Services == nil {
				o.Services = map[Clientele]map[lang.Lang]string{}
			}
			o.Services[Clientele(c)] = m
		}
	}
	return o, probs
}

// toFile is fromFile's inverse, for writing.
func toFile(o *Office) fileOffice {
	lat, long := o.Latitude, o.Longitude
	fo := fileOffice{
		Slug: o.Slug, Type: string(o.Type), Opened: o.Opened.String(), Closed: o.Closed.String(),
		Name: textOf(o.Name), City: textOf(o.City), Country: o.Country, Region: string(o.Region),
		Address: o.Address, Latitude: &lat, Longitude: &long, TimeZone: o.TimeZone,
		Phone: o.Phone, Email: o.Email, Website: o.Website,
		Head:  fileHead{Name: o.Head.Name, Title: textOf(o.Head.Title)},
		Hours: o.Hours.String(), Closures: FormatClosures(o.Closures),
		Covers: o.Covers, Sample: o.Sample,
	}
	for _, c := range o.Changes {
		fo.Changes = append(fo.Changes, fileChange{On: c.On.String(), Type: string(c.Type)})
	}
	for c, t := range o.Services {
		if t[lang.FR] == "" && t[lang.EN] == "" {
			continue
		}
		if fo.Services == nil {
			fo.Services = map[string]fileText{}
		}
		fo.Services[string(c)] = textOf(t)
	}
	return fo
}

// writable refuses an office that a file cannot carry so that Read
// gives it back: one that does not validate, a date outside years 0000
// to 9999, or a closure reason with ";" (or "|" in French), which the
// closures' text form uses as separators.
func writable(o *Office) error {
	if err := o.Validate(); err != nil {
		return fmt.Errorf("office: write %q: %w", o.Slug, err)
	}
	dates := []Date{o.Opened, o.Closed}
	for _, c := range o.Changes {
		dates = append(dates, c.On)
	}
	for _, c := range o.Closures {
		dates = append(dates, c.From, c.To)
		if strings.ContainsAny(c.Reason[lang.FR], ";|") || strings.Contains(c.Reason[lang.EN], ";") {
			return fmt.Errorf("office: write %q: closure %s: a reason cannot hold \";\", nor \"|\" in French", o.Slug, c.From)
		}
	}
	for _, d := range dates {
		if back, ok := ParseDate(d.String()); !ok || back != d {
			return fmt.Errorf("office: write %q: %v is not a date a file can hold", o.Slug, d)
		}
	}
	return nil
}

func (t fileText) langs() map[lang.Lang]string {
	return map[lang.Lang]string{lang.FR: clean(t.FR), lang.EN: clean(t.EN)}
}

func textOf(m map[lang.Lang]string) fileText { return fileText{FR: m[lang.FR], EN: m[lang.EN]} }

// clean trims the spaces around s and makes its line ends "\n", as a
// spreadsheet or an editor on any system may write them.
func clean(s string) string { return strings.TrimSpace(lineEnds(s)) }

// lineEnds makes the line ends of s, "\r\n" or "\r", "\n".
func lineEnds(s string) string {
	if !strings.ContainsRune(s, '\r') {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}
