package office

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"portail/internal/apperr"
)

// MaxProblems bounds the problems a FileError lists; past it they are
// only counted.
const MaxProblems = 50

// Problem is one thing wrong in an offices file.
type Problem struct {
	// Row says where. In a CSV file it is the record's number counting
	// the header as row 1; blank lines are not records, and a quoted cell
	// may span lines, so it can differ from the line number. In a JSON
	// file it is the office's position in "offices", from 1. Row 0 is the
	// file as a whole.
	Row int
	// Slug is the row's slug as the file gives it, if any.
	Slug string
	// Field is the key Office.Validate gives the field ("country",
	// "fr.name", "hours.1", "covers.2", "services.culture.en"), or ""
	// for the whole row or file.
	Field string
	// Key is the i18n catalogue's message key: Validate's own
	// ("form.required", "form.office.country", …) for a field's value,
	// or one of the file's: form.office.file_type, form.office.file_size,
	// form.office.syntax, form.office.columns, form.office.cells,
	// form.office.empty, form.office.too_many, form.office.unknown_field,
	// form.office.number, form.office.date, form.office.boolean,
	// form.office.change, form.office.duplicate.
	Key string
	// Message says what is wrong in English, with the value, for the
	// command line.
	Message string
}

// FileError is an offices file refused: every problem found, in file
// order, up to MaxProblems. errors.Is(err, apperr.Invalid) holds, or
// apperr.TooLarge for a file past MaxFileSize.
type FileError struct {
	Format   Format // "" when the file's name says neither format
	Problems []Problem
	// Omitted counts the problems found past MaxProblems.
	Omitted  int
	tooLarge bool
}

// Lines returns one line per problem, such as `row 4 (slug "tokyo"),
// field country: "XX" is not an ISO 3166-1 alpha-2 country code`.
func (e *FileError) Lines() []string {
	unit := "row"
	if e.Format == JSON {
		unit = "office"
	}
	lines := make([]string, 0, len(e.Problems)+1)
	for _, p := range e.Problems {
		var b strings.Builder
		if p.Row > 0 {
			fmt.Fprintf(&b, "%s %d", unit, p.Row)
			if p.Slug != "" {
				fmt.Fprintf(&b, " (slug %q)", p.Slug)
			}
			if p.Field != "" {
				b.WriteString(", field " + p.Field)
			}
			b.WriteString(": ")
		}
		b.WriteString(p.Message)
		lines = append(lines, b.String())
	}
	if e.Omitted > 0 {
		lines = append(lines, fmt.Sprintf("… and %d more problems", e.Omitted))
	}
	return lines
}

// Error returns a first line that counts the problems, then one line
// per problem, as errors.Join does.
func (e *FileError) Error() string {
	n := len(e.Problems) + e.Omitted
	head := "office: the file has 1 problem"
	if n != 1 {
		head = fmt.Sprintf("office: the file has %d problems", n)
	}
	if e.Format != "" {
		head = strings.Replace(head, "the file", "the "+strings.ToUpper(string(e.Format))+" file", 1)
	}
	return head + "\n" + strings.Join(e.Lines(), "\n")
}

// Unwrap gives the error's kind to apperr.KindOf and errors.Is.
func (e *FileError) Unwrap() error {
	if e.tooLarge {
		return &apperr.Error{Kind: apperr.TooLarge, Msg: "office file"}
	}
	return &apperr.Error{Kind: apperr.Invalid, Msg: "office file"}
}

// problems collects a file's problems up to MaxProblems.
type problems struct {
	list    []Problem
	omitted int
}

func (ps *problems) add(p Problem) {
	if len(ps.list) < MaxProblems {
		ps.list = append(ps.list, p)
	} else {
		ps.omitted++
	}
}

func (ps *problems) err(f Format) error {
	if len(ps.list) == 0 {
		return nil
	}
	return &FileError{Format: f, Problems: ps.list, Omitted: ps.omitted}
}

// fileProblem is a file-wide problem: the file cannot be read further.
func fileProblem(f Format, key, format string, args ...any) error {
	return &FileError{Format: f, Problems: []Problem{{Key: key, Message: fmt.Sprintf(format, args...)}}}
}

// fieldProblem is a problem of one field of a row, before the row and
// slug are known.
type fieldProblem struct {
	field, key, msg string
}

// fieldOrder ranks fields in the order of the CSV columns, so that a
// row's problems read from left to right.
var fieldOrder = map[string]int{
	"": 0, "slug": 1, "type": 2, "changes": 3, "opened": 4, "closed": 5,
	"fr.name": 6, "en.name": 7, "fr.city": 8, "en.city": 9, "country": 10,
	"region": 11, "address": 12, "latitude": 13, "longitude": 14,
	"timezone": 15, "phone": 16, "email": 17, "website": 18,
	"head_name": 19, "fr.head_title": 20, "en.head_title": 21, "hours": 22,
	"closures": 23, "covers": 24, "services": 25, "sample": 26,
}

func fieldRank(field string) int {
	if r, ok := fieldOrder[field]; ok {
		return r
	}
	base, _, _ := strings.Cut(field, ".")
	if r, ok := fieldOrder[base]; ok {
		return r
	}
	return len(fieldOrder)
}

// compareFields orders fields by column, then "covers.2" before
// "covers.10".
func compareFields(a, b string) int {
	if c := cmp.Compare(fieldRank(a), fieldRank(b)); c != 0 {
		return c
	}
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(as) && i < len(bs); i++ {
		x, errx := strconv.Atoi(as[i])
		y, erry := strconv.Atoi(bs[i])
		var c int
		if errx == nil && erry == nil {
			c = cmp.Compare(x, y)
		} else {
			c = strings.Compare(as[i], bs[i])
		}
		if c != 0 {
			return c
		}
	}
	return cmp.Compare(len(as), len(bs))
}

func sortFieldProblems(fps []fieldProblem) {
	slices.SortStableFunc(fps, func(a, b fieldProblem) int { return compareFields(a.field, b.field) })
}

// explain turns a problem Validate found in o into an English message
// that shows the value.
func explain(o *Office, field, key string) string {
	base, rest, _ := strings.Cut(field, ".")
	index := -1
	if i, err := strconv.Atoi(strings.Split(rest, ".")[0]); err == nil && i >= 0 {
		index = i
	}
	switch key {
	case "form.text.invalid":
		return "holds a NUL character or bytes that are not UTF-8"
	case "form.required":
		return "is required"
	case "form.too_long":
		return fmt.Sprintf("is longer than %d bytes", textLimit(field))
	case "form.office.too_many":
		switch field {
		case "changes":
			return fmt.Sprintf("has %d changes of type, more than %d", len(o.Changes), MaxChanges)
		case "closures":
			return fmt.Sprintf("has %d closures, more than %d", len(o.Closures), MaxClosures)
		case "covers":
			return fmt.Sprintf("has %d countries, more than %d", len(o.Covers), MaxCovers)
		}
	}
	switch field {
	case "slug":
		if o.Slug == "" {
			return "is required"
		}
		return fmt.Sprintf("%q is not a slug: lowercase ASCII letters, digits and single hyphens, at most %d characters", o.Slug, MaxSlug)
	case "type":
		if o.Type == "" {
			return "is required"
		}
		return fmt.Sprintf("%q is not an office type (%s)", o.Type, joinAny(Types))
	case "closed":
		return fmt.Sprintf("the closing day %s is not after the opening day %s", o.Closed, o.Opened)
	case "country":
		if o.Country == "" {
			return "is required"
		}
		return fmt.Sprintf("%q is not an ISO 3166-1 alpha-2 country code", o.Country)
	case "region":
		if o.Region == "" {
			return "is required"
		}
		return fmt.Sprintf("%q is not a region (%s)", o.Region, joinAny(Regions))
	case "latitude":
		return fmt.Sprintf("%v is not between -90 and 90", o.Latitude)
	case "longitude":
		return fmt.Sprintf("%v is not between -180 and 180", o.Longitude)
	case "timezone":
		if o.TimeZone == "" {
			return "is required"
		}
		return fmt.Sprintf("%q is not an IANA time zone name such as \"America/Toronto\"", o.TimeZone)
	case "email":
		return fmt.Sprintf("%q is not an email address such as \"name@example.org\"", o.Email)
	case "website":
		return fmt.Sprintf("%q is not an https:// address", o.Website)
	case "services":
		var bad []string
		for c := range o.Services {
			if !validClientele(c) {
				bad = append(bad, strconv.Quote(string(c)))
			}
		}
		slices.Sort(bad)
		return fmt.Sprintf("%s is not a clientele (%s)", strings.Join(bad, ", "), joinAny(Clienteles))
	}
	switch base {
	case "changes":
		if index >= 0 && index < len(o.Changes) {
			c := o.Changes[index]
			if c.On.IsZero() {
				return fmt.Sprintf("change %d has no day", index+1)
			}
			return fmt.Sprintf("change %d: %q is not an office type (%s)", index+1, c.Type, joinAny(Types))
		}
	case "hours":
		if index >= 0 && index < len(dayNames) {
			return fmt.Sprintf("the hours of %s are not valid", dayNames[index])
		}
	case "closures":
		if index >= 0 && index < len(o.Closures) {
			c := o.Closures[index]
			return fmt.Sprintf("closure %d (%s to %s) needs a first and a last day, in order", index+1, c.From, c.To)
		}
	case "covers":
		if index >= 0 && index < len(o.Covers) {
			c := o.Covers[index]
			switch {
			case !ValidCountry(c):
				return fmt.Sprintf("%q is not an ISO 3166-1 alpha-2 country code", c)
			case c == o.Country:
				return fmt.Sprintf("%q is the office's own country", c)
			default:
				return fmt.Sprintf("%q is listed twice", c)
			}
		}
	}
	return "is not valid (" + key + ")"
}

// textLimit is the length Validate allows a text field.
func textLimit(field string) int {
	switch base, _, _ := strings.Cut(field, "."); {
	case field == "address":
		return MaxAddress
	case field == "phone":
		return 40
	case base == "services":
		return MaxText
	}
	return MaxName
}

func joinAny[T ~string](vs []T) string {
	s := make([]string, len(vs))
	for i, v := range vs {
		s[i] = string(v)
	}
	return strings.Join(s, ", ")
}
