package orgchart

import (
	"fmt"
	"strings"

	"portail/internal/apperr"
)

// Problem is one thing wrong in a chart's file.
type Problem struct {
	// Line is the line of the file where the problem is: in a CSV file,
	// the line where the period's row starts; in a JSON file, the line
	// where the period's object starts, or the unit's for a problem of
	// the unit. Line 0 is the file as a whole.
	Line int
	// ID is the unit's ID as the file gives it, if any.
	ID string
	// Field is the file's name of the field: a CSV column ("parent_id",
	// "name_fr") or a path in a JSON unit ("periods.1.parent_id",
	// "periods.0.name.fr", "id"); "" for the row or unit as a whole, or
	// the file.
	Field string
	// Key is the i18n catalogue's message key: Validate's or Check's own
	// (see Unit.Validate and the form.orgunit.* keys), or one of the
	// file's: form.orgunit.file_type, form.orgunit.file_size,
	// form.orgunit.syntax, form.orgunit.columns, form.orgunit.cells,
	// form.orgunit.empty, form.orgunit.too_many,
	// form.orgunit.unknown_field, form.orgunit.number,
	// form.orgunit.boolean, form.orgunit.date, form.orgunit.sample,
	// form.orgunit.duplicate, form.orgunit.duplicate_period.
	Key string
	// Message says what is wrong in English, with the value, for the
	// command line.
	Message string
}

// The file's own message keys.
const (
	keyFileType     = "form.orgunit.file_type"
	keyFileSize     = "form.orgunit.file_size"
	keySyntax       = "form.orgunit.syntax"
	keyColumns      = "form.orgunit.columns"
	keyCells        = "form.orgunit.cells"
	keyEmpty        = "form.orgunit.empty"
	keyUnknownField = "form.orgunit.unknown_field"
	keyNumber       = "form.orgunit.number"
	keyBoolean      = "form.orgunit.boolean"
	keySample       = "form.orgunit.sample"
	keyDupPeriod    = "form.orgunit.duplicate_period"
)

// FileError is a chart's file refused: every problem found, by line, up
// to MaxProblems. errors.Is(err, apperr.Invalid) holds, or
// apperr.TooLarge for a file past MaxFileSize.
type FileError struct {
	Format   Format // "" when the file's name says neither format
	Problems []Problem
	// Omitted counts the problems found past MaxProblems.
	Omitted  int
	tooLarge bool
}

// Lines returns one line per problem, such as `line 7 (unit "dgaf"),
// field parent_id: unknown unit "xyz"`.
func (e *FileError) Lines() []string {
	lines := make([]string, 0, len(e.Problems)+1)
	for _, p := range e.Problems {
		var b strings.Builder
		if p.Line > 0 {
			fmt.Fprintf(&b, "line %d", p.Line)
			if p.ID != "" {
				fmt.Fprintf(&b, " (unit %q)", p.ID)
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
// per problem.
func (e *FileError) Error() string {
	n := len(e.Problems) + e.Omitted
	what := "the file"
	if e.Format != "" {
		what = "the " + strings.ToUpper(string(e.Format)) + " file"
	}
	head := fmt.Sprintf("orgchart: %s has %d problems", what, n)
	if n == 1 {
		head = fmt.Sprintf("orgchart: %s has 1 problem", what)
	}
	return head + "\n" + strings.Join(e.Lines(), "\n")
}

// Unwrap gives the error's kind to apperr.KindOf and errors.Is.
func (e *FileError) Unwrap() error {
	if e.tooLarge {
		return &apperr.Error{Kind: apperr.TooLarge, Msg: "organization chart file"}
	}
	return &apperr.Error{Kind: apperr.Invalid, Msg: "organization chart file"}
}

// fileProblem is a problem of the file as a whole: it cannot be read
// further.
func fileProblem(f Format, key, format string, args ...any) error {
	return &FileError{Format: f, Problems: []Problem{{Key: key, Message: fmt.Sprintf(format, args...)}}}
}
