package orgchart

import (
	"bytes"
	"cmp"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"path"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"portail/internal/apperr"
	"portail/internal/lang"
	"portail/internal/office"
)

// Format is the format of a chart's file, for import and export: JSON or
// CSV. A file holds the whole chart; it is read and checked whole, each
// unit (Unit.Validate) then the chart (Check), and refused with every
// problem found (a *FileError) before anything is written. Version and
// Updated are not part of a file.
//
// JSON is one object, {"units": [ … ]}, each unit an object with its
// periods:
//
//	{"id": "direction-communications", "sample": false,
//	 "periods": [{"valid_from": "2024-01-01", "valid_to": "",
//	   "parent_id": "equipes-sous-ministre", "kind": "directorate",
//	   "name": {"fr": "…", "en": "…"}, "acronym": "DC",
//	   "head": {"name": "…", "title": {"fr": "…", "en": "…"}},
//	   "phone": "…", "email": "…", "order": 10}]}
//
// CSV is UTF-8, comma-separated (a header written with semicolons, as
// spreadsheets set to French write it, is read too), with a header row
// and one row per period: see CSVColumns, in any order. The rows of one
// unit share its id, need not follow each other, and must agree on
// "sample" (true or false; empty: false). "order" is an integer (empty:
// 0).
//
// In both, dates are "YYYY-MM-DD", valid_to empty for a period with no
// end; a unit's periods may come in any order and are read sorted by
// valid_from. A UTF-8 byte order mark at the start is skipped, and CSV
// rows whose cells are all empty are ignored. A problem names the line
// where its period's row or object starts (see Problem).
//
// Read trims the spaces around every value and turns "\r\n" and "\r"
// into "\n"; it returns every bilingual text (names, head's title) with
// both languages, even empty, units in file order (CSV: the order of
// their first rows). Write then Read gives back units in that form
// unchanged.
type Format string

// The formats, named as the files' extensions.
const (
	CSV  Format = "csv"
	JSON Format = "json"
)

// Bounds on a file, checked before the work they bound.
const (
	// MaxFileSize bounds a file: a larger one is refused before it is
	// parsed.
	MaxFileSize = 4 << 20
	// MaxFileRows bounds the periods of a file (a CSV file's rows): the
	// chart's own bound.
	MaxFileRows = MaxChartPeriods
)

// Read reads a chart's file in the format its name's extension says,
// .csv or .json (in any case); it refuses any other name.
func Read(name string, r io.Reader) ([]Unit, error) {
	switch strings.ToLower(path.Ext(name)) {
	case ".csv":
		return ReadCSV(r)
	case ".json":
		return ReadJSON(r)
	}
	return nil, fileProblem("", keyFileType, "%q is not a .csv or .json file", name)
}

// jsonFile is the JSON file's top level.
type jsonFile struct {
	Units []fileUnit `json:"units"`
}

// fileUnit is a unit as the JSON file writes it.
type fileUnit struct {
	ID      string       `json:"id"`
	Sample  bool         `json:"sample,omitempty"`
	Periods []filePeriod `json:"periods"`
}

// jsonUnit is a unit as ReadJSON first reads it: its periods are read
// one by one, to name each one's problems.
type jsonUnit struct {
	ID      string            `json:"id"`
	Sample  bool              `json:"sample"`
	Periods []json.RawMessage `json:"periods"`
}

// filePeriod is a period as the JSON file writes it; ReadCSV fills one
// from a row's cells, so that both formats are checked alike.
type filePeriod struct {
	ValidFrom string   `json:"valid_from"`
	ValidTo   string   `json:"valid_to,omitempty"`
	ParentID  string   `json:"parent_id,omitempty"`
	Kind      string   `json:"kind"`
	Name      fileText `json:"name"`
	Acronym   string   `json:"acronym,omitempty"`
	Head      fileHead `json:"head,omitzero"`
	Phone     string   `json:"phone,omitempty"`
	Email     string   `json:"email,omitempty"`
	Order     int      `json:"order,omitempty"`
}

type fileText struct {
	FR string `json:"fr"`
	EN string `json:"en"`
}

type fileHead struct {
	Name  string   `json:"name,omitempty"`
	Title fileText `json:"title,omitzero"`
}

// entry is one unit as read, before it is checked, with where each of
// its parts is in the file.
type entry struct {
	fu   fileUnit
	line int // the unit's: its first row, or its object
	// lines are the lines of its periods, in file order.
	lines []int
	probs []found
	// unread marks a unit too broken to check further: a CSV row with
	// the wrong number of cells, a JSON unit that is not an object.
	unread bool
}

// found is a problem of an entry, named as Validate names fields: the
// period's index in the file (-1 for the unit) and its field there
// ("from", "name.fr"; "id", "sample", "periods" for the unit's; "" for
// the row or unit as a whole).
type found struct {
	period   int
	sub      string
	key, msg string
}

// readLimited reads r whole, refusing more than MaxFileSize bytes, and
// drops a UTF-8 byte order mark.
func readLimited(r io.Reader, f Format) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("orgchart: read the %s file: %w", f, err)
	}
	if len(b) > MaxFileSize {
		return nil, &FileError{Format: f, tooLarge: true, Problems: []Problem{{
			Key: keyFileSize, Message: fmt.Sprintf("the file is larger than %d MB", MaxFileSize>>20)}}}
	}
	return bytes.TrimPrefix(b, []byte("\uFEFF")), nil
}

// lineIndex finds the line of a byte offset in a file.
type lineIndex []int // the offsets of the "\n"s

func newLineIndex(b []byte) lineIndex {
	var idx lineIndex
	for i, c := range b {
		if c == '\n' {
			idx = append(idx, i)
		}
	}
	return idx
}

// line returns the line, from 1, of the byte at offset.
func (idx lineIndex) line(offset int) int {
	return sort.SearchInts(idx, offset) + 1
}

// ReadJSON reads a JSON chart file (see Format), checks it whole and
// returns its units in file order, or a *FileError.
func ReadJSON(r io.Reader) ([]Unit, error) {
	b, err := readLimited(r, JSON)
	if err != nil {
		return nil, err
	}
	raws, offsets, err := splitJSON(b)
	if err != nil {
		return nil, err
	}
	lines := newLineIndex(b)
	entries := make([]entry, len(raws))
	periods := 0
	for i, raw := range raws {
		e := &entries[i]
		e.line = lines.line(offsets[i])
		// Periods are counted before they are decoded: a unit may hold
		// a million empty objects.
		starts := periodOffsets(raw, MaxPeriods)
		if len(starts) > MaxPeriods {
			var named struct {
				ID string `json:"id"`
			}
			json.Unmarshal(raw, &named) // for the message only: skipping values costs no memory
			e.fu.ID = named.ID
			e.probs = append(e.probs, found{-1, "periods", keyTooMany,
				fmt.Sprintf("the unit has more than %d periods", MaxPeriods)})
			e.unread = true
			continue
		}
		var ju jsonUnit
		d := json.NewDecoder(bytes.NewReader(raw))
		d.DisallowUnknownFields()
		// The decoder goes on after an unknown field or a value of the
		// wrong type, and returns the first; the rest is still checked.
		if err := d.Decode(&ju); err != nil {
			p := jsonProblem(err, -1)
			e.probs = append(e.probs, p)
			e.unread = p.sub == "" && p.key == keySyntax
		}
		e.fu.ID, e.fu.Sample = ju.ID, ju.Sample
		if periods += len(ju.Periods); periods > MaxFileRows {
			return nil, fileProblem(JSON, keyTooMany, "the file has more than %d periods", MaxFileRows)
		}
		e.fu.Periods = make([]filePeriod, len(ju.Periods))
		e.lines = make([]int, len(ju.Periods))
		for j, praw := range ju.Periods {
			e.lines[j] = e.line
			if len(starts) == len(ju.Periods) {
				e.lines[j] = lines.line(offsets[i] + starts[j])
			}
			d := json.NewDecoder(bytes.NewReader(praw))
			d.DisallowUnknownFields()
			if err := d.Decode(&e.fu.Periods[j]); err != nil {
				e.probs = append(e.probs, jsonProblem(err, j))
			}
		}
	}
	return check(JSON, entries)
}

// splitJSON checks the file's top level, {"units": [ … ]} and nothing
// after it, and returns each unit's JSON unparsed with its offset in b,
// refusing more than MaxUnits before parsing any.
func splitJSON(b []byte) ([]json.RawMessage, []int, error) {
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
			return fileProblem(JSON, keySyntax, "not valid JSON at line %d, column %d: %s", line, col, se.Error())
		}
		if se != nil || err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
			return fileProblem(JSON, keySyntax, "the JSON ends too early")
		}
		return fileProblem(JSON, keySyntax, "not valid JSON: %s", strings.TrimPrefix(err.Error(), "json: "))
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	tok, err := dec.Token()
	if err != nil {
		return nil, nil, syntax(err)
	}
	if tok != json.Delim('{') {
		return nil, nil, fileProblem(JSON, keySyntax, `the file must be one JSON object, {"units": [ … ]}`)
	}
	var raws []json.RawMessage
	var offsets []int
	seen := false
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, nil, syntax(err)
		}
		if key, _ := tok.(string); key != "units" {
			return nil, nil, fileProblem(JSON, keyUnknownField, "unknown field %q: the file holds only \"units\"", tok)
		}
		if seen {
			return nil, nil, fileProblem(JSON, keySyntax, `"units" is given twice`)
		}
		seen = true
		if tok, err = dec.Token(); err != nil {
			return nil, nil, syntax(err)
		}
		if tok != json.Delim('[') {
			return nil, nil, fileProblem(JSON, keySyntax, `"units" must be an array of units`)
		}
		for dec.More() {
			if len(raws) == MaxUnits {
				return nil, nil, fileProblem(JSON, keyTooMany, "the file has more than %d units", MaxUnits)
			}
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				return nil, nil, syntax(err)
			}
			raws = append(raws, raw)
			offsets = append(offsets, int(dec.InputOffset())-len(raw))
		}
		if _, err := dec.Token(); err != nil { // ']'
			return nil, nil, syntax(err)
		}
	}
	if _, err := dec.Token(); err != nil { // '}'
		return nil, nil, syntax(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		if err != nil {
			return nil, nil, syntax(err)
		}
		return nil, nil, fileProblem(JSON, keySyntax, "the file holds more than one JSON value")
	}
	if len(raws) == 0 {
		return nil, nil, fileProblem(JSON, keyEmpty, `the file has no units: "units" is missing or empty`)
	}
	return raws, offsets, nil
}

// periodOffsets returns the offsets in raw, a unit's object, of the
// elements of its "periods" array (the last one given, in any case, as
// encoding/json reads it), or nil; past limit elements it stops and
// returns limit offsets and one more.
func periodOffsets(raw []byte, limit int) []int {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil
	}
	var offs []int
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil
		}
		if key, _ := t.(string); !strings.EqualFold(key, "periods") {
			var skip json.RawMessage
			if dec.Decode(&skip) != nil {
				return nil
			}
			continue
		}
		if t, err := dec.Token(); err != nil || t != json.Delim('[') {
			return nil
		}
		offs = offs[:0]
		for dec.More() {
			if len(offs) > limit {
				return offs
			}
			var el json.RawMessage
			if dec.Decode(&el) != nil {
				return nil
			}
			offs = append(offs, int(dec.InputOffset())-len(el))
		}
		if _, err := dec.Token(); err != nil { // ']'
			return nil
		}
	}
	return offs
}

// lineColumn returns the line and column (in characters, from 1) of
// the byte before offset, where encoding/json's SyntaxError points.
func lineColumn(b []byte, offset int64) (line, col int) {
	i := min(max(int(offset)-1, 0), len(b))
	start := bytes.LastIndexByte(b[:i], '\n') + 1
	return bytes.Count(b[:i], []byte("\n")) + 1, utf8.RuneCount(b[start:i]) + 1
}

// jsonProblem describes a decoding error of a unit (period -1) or of
// its period at index period.
func jsonProblem(err error, period int) found {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		sub := jsonSub(te.Field)
		if sub == "" {
			what := "a unit"
			if period >= 0 {
				what = "a period"
			}
			return found{period, "", keySyntax, what + " must be a JSON object, not " + te.Value}
		}
		key, want := keySyntax, "a string"
		switch te.Type.Kind() {
		case reflect.Int:
			if n, ok := strings.CutPrefix(te.Value, "number "); ok {
				return found{period, sub, keyNumber, n + " is not a whole number in range"}
			}
			key, want = keyNumber, "a whole number"
		case reflect.Bool:
			key, want = keyBoolean, "true or false"
		case reflect.Slice:
			want = "an array"
		case reflect.Struct, reflect.Map:
			want = "an object"
		}
		return found{period, sub, key, fmt.Sprintf("must be %s, not %s", want, te.Value)}
	}
	msg := strings.TrimPrefix(err.Error(), "json: ")
	if strings.HasPrefix(msg, "unknown field ") {
		return found{period, "", keyUnknownField, msg}
	}
	return found{period, "", keySyntax, msg}
}

// jsonFields maps the JSON names of a period's fields that differ to
// Validate's.
var jsonFields = map[string]string{"valid_from": "from", "valid_to": "to", "parent_id": "parent"}

// jsonNames is jsonFields the other way.
var jsonNames = map[string]string{"from": "valid_from", "to": "valid_to", "parent": "parent_id"}

// jsonSub turns a JSON path within a unit or a period into Validate's
// name of the field.
func jsonSub(p string) string {
	if s, ok := jsonFields[p]; ok {
		return s
	}
	return p
}

// csvColumns maps Validate's names of fields to the CSV columns.
var csvColumns = map[string]string{
	"id": "id", "sample": "sample", "periods": "",
	"from": "valid_from", "to": "valid_to", "parent": "parent_id", "kind": "kind",
	"name.fr": "name_fr", "name.en": "name_en", "acronym": "acronym",
	"head.name": "head_name", "head.title.fr": "head_title_fr", "head.title.en": "head_title_en",
	"phone": "phone", "email": "email", "order": "order",
}

// fileField returns the file's name of Validate's field sub of the
// period at index period in the file (-1: the unit's).
func fileField(f Format, period int, sub string) string {
	if f == CSV {
		if c, ok := csvColumns[sub]; ok {
			return c
		}
		return ""
	}
	if period < 0 || sub == "" {
		return sub
	}
	if j, ok := jsonNames[sub]; ok {
		sub = j
	}
	return "periods." + strconv.Itoa(period) + "." + sub
}

// WriteJSON writes units as a JSON chart file, indented, in the order
// given. It refuses a unit that does not validate.
func WriteJSON(w io.Writer, units []Unit) error {
	f := jsonFile{Units: make([]fileUnit, 0, len(units))}
	for i := range units {
		if err := writable(&units[i]); err != nil {
			return err
		}
		f.Units = append(f.Units, toFile(&units[i]))
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(f); err != nil {
		return fmt.Errorf("orgchart: write JSON: %w", err)
	}
	return nil
}

// CSVColumns returns the CSV file's columns in the order WriteCSV writes
// them. Those that ReadCSV requires are marked by RequiredColumn.
func CSVColumns() []string {
	return []string{
		"id", "parent_id", "kind", "name_fr", "name_en", "acronym",
		"head_name", "head_title_fr", "head_title_en", "phone", "email", "order",
		"valid_from", "valid_to", "sample",
	}
}

// RequiredColumn reports whether a CSV chart file must have column col:
// those of the fields every period needs, and the parent, without which
// every unit would be a top of the chart.
func RequiredColumn(col string) bool {
	switch col {
	case "id", "parent_id", "kind", "name_fr", "valid_from":
		return true
	}
	return false
}

// WriteCSV writes units as a CSV chart file with every column, one row
// per period, in the order given. It refuses a unit that does not
// validate.
func WriteCSV(w io.Writer, units []Unit) error {
	cols := CSVColumns()
	cw := csv.NewWriter(w)
	if err := cw.Write(cols); err != nil {
		return fmt.Errorf("orgchart: write CSV: %w", err)
	}
	rec := make([]string, len(cols))
	for i := range units {
		if err := writable(&units[i]); err != nil {
			return err
		}
		fu := toFile(&units[i])
		for _, fp := range fu.Periods {
			cells := toCells(fu, fp)
			for j, c := range cols {
				rec[j] = cells[c]
			}
			if err := cw.Write(rec); err != nil {
				return fmt.Errorf("orgchart: write CSV: %w", err)
			}
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("orgchart: write CSV: %w", err)
	}
	return nil
}

// ReadCSV reads a CSV chart file (see Format), checks it whole and
// returns its units in the order of their first rows, or a *FileError.
func ReadCSV(r io.Reader) ([]Unit, error) {
	b, err := readLimited(r, CSV)
	if err != nil {
		return nil, err
	}
	cr := csv.NewReader(bytes.NewReader(b))
	cr.FieldsPerRecord = -1 // counted here, to name the line
	cr.ReuseRecord = true
	first, _, _ := bytes.Cut(b, []byte("\n"))
	if !bytes.ContainsRune(first, ',') && bytes.ContainsRune(first, ';') {
		cr.Comma = ';'
	}
	syntax := func(err error) error {
		line := 0
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			line = pe.StartLine
		}
		return &FileError{Format: CSV, Problems: []Problem{{Line: line, Key: keySyntax,
			Message: "not valid CSV: " + strings.TrimPrefix(err.Error(), "csv: ")}}}
	}
	header, err := cr.Read()
	if err == io.EOF {
		return nil, fileProblem(CSV, keyEmpty, "the file is empty")
	}
	if err != nil {
		return nil, syntax(err)
	}
	headerLine, _ := cr.FieldPos(0)
	cols, err := csvHeader(header, headerLine)
	if err != nil {
		return nil, err
	}
	var entries []entry
	byID := map[string]int{}
	rows := 0
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, syntax(err)
		}
		if allEmpty(rec) {
			continue
		}
		if rows++; rows > MaxFileRows {
			return nil, fileProblem(CSV, keyTooMany, "the file has more than %d periods", MaxFileRows)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != len(cols) {
			e := entry{line: line, unread: true, probs: []found{{-1, "", keyCells,
				fmt.Sprintf("has %d cells, the header %d", len(rec), len(cols))}}}
			if i := slices.Index(cols, "id"); i >= 0 && i < len(rec) {
				e.fu.ID = rec[i]
			}
			entries = append(entries, e)
			continue
		}
		cells := make(map[string]string, len(cols))
		for i, c := range cols {
			cells[c] = rec[i]
		}
		id := clean(cells["id"])
		k, ok := byID[id]
		if !ok {
			if len(byID) == MaxUnits {
				return nil, fileProblem(CSV, keyTooMany, "the file has more than %d units", MaxUnits)
			}
			k = len(entries)
			byID[id] = k
			entries = append(entries, entry{fu: fileUnit{ID: cells["id"]}, line: line})
		}
		e := &entries[k]
		fp, probs := fromCells(cells, len(e.fu.Periods))
		sample, sp := parseSample(cells["sample"], len(e.fu.Periods))
		switch {
		case sp != nil:
			probs = append(probs, *sp)
		case !ok:
			e.fu.Sample = sample
		case sample != e.fu.Sample:
			probs = append(probs, found{len(e.fu.Periods), "sample", keySample,
				fmt.Sprintf("says %t, the unit's first row (line %d) %t: the rows of a unit must agree", sample, e.line, e.fu.Sample)})
		}
		e.fu.Periods = append(e.fu.Periods, fp)
		e.lines = append(e.lines, line)
		e.probs = append(e.probs, probs...)
	}
	if len(entries) == 0 {
		return nil, fileProblem(CSV, keyEmpty, "the file has no units, only a header")
	}
	return check(CSV, entries)
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
func csvHeader(header []string, line int) ([]string, error) {
	known := CSVColumns()
	var ps []Problem
	add := func(format string, args ...any) {
		if len(ps) < MaxProblems {
			ps = append(ps, Problem{Line: line, Key: keyColumns, Message: fmt.Sprintf(format, args...)})
		}
	}
	cols := make([]string, len(header))
	seen := map[string]bool{}
	for i, h := range header {
		c := strings.TrimSpace(h)
		cols[i] = c
		switch {
		case c == "":
			add("column %d has no name", i+1)
		case !slices.Contains(known, c):
			add("unknown column %q", c)
		case seen[c]:
			add("column %q is given twice", c)
		}
		seen[c] = true
	}
	for _, c := range known {
		if RequiredColumn(c) && !seen[c] {
			add("required column %q is missing", c)
		}
	}
	if len(ps) > 0 {
		return nil, &FileError{Format: CSV, Problems: ps}
	}
	return cols, nil
}

// fromCells reads a CSV row's cells (by column, absent ones empty) into
// the period at index period of its unit, with the problems of the
// cells that are not text.
func fromCells(c map[string]string, period int) (filePeriod, []found) {
	var probs []found
	fp := filePeriod{
		ValidFrom: c["valid_from"], ValidTo: c["valid_to"], ParentID: c["parent_id"], Kind: c["kind"],
		Name:    fileText{c["name_fr"], c["name_en"]},
		Acronym: c["acronym"],
		Head:    fileHead{Name: c["head_name"], Title: fileText{c["head_title_fr"], c["head_title_en"]}},
		Phone:   c["phone"], Email: c["email"],
	}
	if s := clean(c["order"]); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			probs = append(probs, found{period, "order", keyNumber, fmt.Sprintf("%q is not a whole number", s)})
		}
		fp.Order = n
	}
	return fp, probs
}

// parseSample reads a row's "sample" cell.
func parseSample(s string, period int) (bool, *found) {
	s = clean(s)
	if s == "" {
		return false, nil
	}
	v, err := strconv.ParseBool(s)
	if err != nil {
		return false, &found{period, "sample", keyBoolean, fmt.Sprintf("%q is not true or false", s)}
	}
	return v, nil
}

// toCells is fromCells's inverse, for WriteCSV.
func toCells(fu fileUnit, fp filePeriod) map[string]string {
	return map[string]string{
		"id": fu.ID, "parent_id": fp.ParentID, "kind": fp.Kind,
		"name_fr": fp.Name.FR, "name_en": fp.Name.EN, "acronym": fp.Acronym,
		"head_name": fp.Head.Name, "head_title_fr": fp.Head.Title.FR, "head_title_en": fp.Head.Title.EN,
		"phone": fp.Phone, "email": fp.Email, "order": strconv.Itoa(fp.Order),
		"valid_from": fp.ValidFrom, "valid_to": fp.ValidTo, "sample": strconv.FormatBool(fu.Sample),
	}
}

// field is a field of a unit: its period's index in the file (-1: the
// unit's) and its name as Validate gives it.
type field struct {
	period int
	sub    string
}

// located is a problem with its place in the file, and what sorts it.
type located struct {
	Problem
	period int
	sub    string
}

// check turns each entry into a Unit, validates it, checks that IDs are
// unique, then, if all is well, the chart; it returns the units or
// every problem found.
func check(f Format, entries []entry) ([]Unit, error) {
	var ps []located
	omitted := 0 // by Check, past its MaxProblems
	units := make([]Unit, 0, len(entries))
	perms := make([][]int, 0, len(entries))
	// place adds a problem of entry e, its period given by its index in
	// the file, one problem a field: the first found.
	place := func(e *entry, taken map[field]bool, fd found) {
		if taken != nil && fd.sub != "" {
			k := field{fd.period, fd.sub}
			if taken[k] {
				return
			}
			taken[k] = true
		}
		line := e.line
		if fd.period >= 0 && fd.period < len(e.lines) {
			line = e.lines[fd.period]
		}
		ps = append(ps, located{Problem{Line: line, ID: clean(e.fu.ID), Field: fileField(f, fd.period, fd.sub), Key: fd.key, Message: fd.msg}, fd.period, fd.sub})
	}
	byID := map[string]int{}
	for i := range entries {
		e := &entries[i]
		if e.unread {
			for _, fd := range e.probs {
				place(e, nil, fd)
			}
			continue
		}
		u, perm, parsed := fromFile(e.fu)
		taken := map[field]bool{}
		for _, fd := range append(e.probs, parsed...) {
			place(e, taken, fd)
		}
		// A date that did not parse reads as none: what Validate says of
		// the order of the unit's periods would follow from that.
		badDates := slices.ContainsFunc(parsed, func(fd found) bool { return fd.key == keyDate })
		if err := u.Validate(); err != nil {
			vp := apperr.ProblemsOf(err)
			for _, field := range slices.SortedFunc(maps.Keys(vp), compareFields) {
				period, sub := splitField(field)
				if badDates && (sub == "from" || sub == "to") {
					continue
				}
				if period >= 0 {
					period = perm[period]
				}
				place(e, taken, found{period, sub, vp[field], explain(&u, field, vp[field])})
			}
		}
		if ValidID(u.ID) {
			if first, ok := byID[u.ID]; ok {
				place(e, taken, found{-1, "id", keyDuplicate, fmt.Sprintf("%q is already the ID of the unit at line %d", u.ID, entries[first].line)})
			} else {
				byID[u.ID] = i
			}
		}
		units = append(units, u)
		perms = append(perms, perm)
	}
	if len(ps) == 0 {
		if err := Check(units); err != nil {
			var ce *ChartError
			if !errors.As(err, &ce) {
				return nil, err
			}
			// Every entry was read and valid: units[i] is entries[i]'s.
			for _, cp := range ce.Problems {
				if cp.Unit < 0 {
					ps = append(ps, located{Problem{Key: cp.Key, Message: cp.Message}, -1, ""})
					continue
				}
				period := cp.Period
				if period >= 0 {
					period = perms[cp.Unit][period]
				}
				_, sub := splitField(cp.Field)
				place(&entries[cp.Unit], nil, found{period, sub, cp.Key, cp.Message})
			}
			omitted = ce.Omitted
		}
	}
	if len(ps) == 0 {
		return units, nil
	}
	slices.SortStableFunc(ps, func(a, b located) int {
		if c := cmp.Compare(a.Line, b.Line); c != 0 {
			return c
		}
		if c := cmp.Compare(a.period, b.period); c != 0 {
			return c
		}
		return cmp.Compare(fieldRank(a.sub), fieldRank(b.sub))
	})
	fe := &FileError{Format: f, Omitted: omitted}
	for i, p := range ps {
		if i == MaxProblems {
			fe.Omitted += len(ps) - MaxProblems
			break
		}
		fe.Problems = append(fe.Problems, p.Problem)
	}
	return nil, fe
}

// fromFile converts a fileUnit into a Unit, its periods sorted by their
// first day, with perm giving each one's index in the file, and the
// problems of the values that do not parse (dates) and of periods given
// twice. Validate checks the rest.
func fromFile(fu fileUnit) (Unit, []int, []found) {
	var probs []found
	u := Unit{ID: clean(fu.ID), Sample: fu.Sample, Periods: make([]Period, len(fu.Periods))}
	for i, fp := range fu.Periods {
		date := func(sub, s string) Date {
			s = clean(s)
			d, ok := office.ParseDate(s)
			if !ok {
				probs = append(probs, found{i, sub, keyDate, fmt.Sprintf("%q is not a date such as 2024-06-01", s)})
			}
			return d
		}
		u.Periods[i] = Period{
			From:    date("from", fp.ValidFrom),
			To:      date("to", fp.ValidTo),
			Parent:  clean(fp.ParentID),
			Kind:    Kind(clean(fp.Kind)),
			Name:    fp.Name.langs(),
			Acronym: clean(fp.Acronym),
			Head:    Head{Name: clean(fp.Head.Name), Title: fp.Head.Title.langs()},
			Phone:   clean(fp.Phone),
			Email:   clean(fp.Email),
			Order:   fp.Order,
		}
	}
	perm := make([]int, len(u.Periods))
	for i := range perm {
		perm[i] = i
	}
	slices.SortStableFunc(perm, func(a, b int) int { return compareDates(u.Periods[a].From, u.Periods[b].From) })
	sorted := make([]Period, len(perm))
	for i, j := range perm {
		sorted[i] = u.Periods[j]
		if i > 0 && !sorted[i].From.IsZero() && sorted[i].From == sorted[i-1].From {
			probs = append(probs, found{j, "from", keyDupPeriod,
				fmt.Sprintf("the unit has two periods from %s", sorted[i].From)})
		}
	}
	u.Periods = sorted
	return u, perm, probs
}

// toFile is fromFile's inverse, for writing.
func toFile(u *Unit) fileUnit {
	fu := fileUnit{ID: u.ID, Sample: u.Sample, Periods: make([]filePeriod, len(u.Periods))}
	for i, p := range u.Periods {
		fu.Periods[i] = filePeriod{
			ValidFrom: p.From.String(), ValidTo: p.To.String(), ParentID: p.Parent, Kind: string(p.Kind),
			Name: textOf(p.Name), Acronym: p.Acronym,
			Head:  fileHead{Name: p.Head.Name, Title: textOf(p.Head.Title)},
			Phone: p.Phone, Email: p.Email, Order: p.Order,
		}
	}
	return fu
}

// writable refuses a unit that a file cannot carry so that Read gives it
// back: one that does not validate (which also refuses dates that
// "YYYY-MM-DD" cannot write).
func writable(u *Unit) error {
	if err := u.Validate(); err != nil {
		return fmt.Errorf("orgchart: write %q: %w", u.ID, err)
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
