// Package apperr defines the error kinds that cross package boundaries,
// so that the web layer can map them to statuses in one place.
package apperr

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Kind classifies an error.
type Kind int

// Error kinds.
const (
	Internal Kind = iota
	NotFound
	Invalid
	Conflict
	Forbidden
	Unauthenticated
	TooLarge
)

var kindNames = map[Kind]string{
	Internal: "internal", NotFound: "not found", Invalid: "invalid",
	Conflict: "conflict", Forbidden: "forbidden", Unauthenticated: "unauthenticated",
	TooLarge: "too large",
}

func (k Kind) String() string { return kindNames[k] }

// Error is an application error of a given kind.
// Problems maps form field names to message keys of the i18n catalogue.
type Error struct {
	Kind     Kind
	Msg      string
	Problems map[string]string
	Err      error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Kind.String())
	if e.Msg != "" {
		b.WriteString(": " + e.Msg)
	}
	if len(e.Problems) > 0 {
		keys := make([]string, 0, len(e.Problems))
		for k := range e.Problems {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Fprintf(&b, " [%s: %s]", k, e.Problems[k])
		}
	}
	if e.Err != nil {
		b.WriteString(": " + e.Err.Error())
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// Is makes errors.Is(err, apperr.NotFound) work for any *Error of that kind.
func (e *Error) Is(target error) bool {
	k, ok := target.(Kind)
	return ok && e.Kind == k
}

// Error lets a Kind be an errors.Is target.
func (k Kind) Error() string { return k.String() }

// New returns an error of kind k.
func New(k Kind, format string, args ...any) error {
	return &Error{Kind: k, Msg: fmt.Sprintf(format, args...)}
}

// Wrap returns an error of kind k wrapping err.
func Wrap(k Kind, err error, msg string) error {
	return &Error{Kind: k, Msg: msg, Err: err}
}

// Problems collects field → message-key problems of a form; its Err returns
// nil while it is empty.
type Problems map[string]string

// Add records a problem on field unless one is already there.
func (p Problems) Add(field, key string) {
	if _, ok := p[field]; !ok {
		p[field] = key
	}
}

// Err returns an Invalid error carrying the problems, or nil.
func (p Problems) Err() error {
	if len(p) == 0 {
		return nil
	}
	return &Error{Kind: Invalid, Problems: p}
}

// KindOf returns the kind of err; errors that are not *Error are Internal.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return Internal
}

// ProblemsOf returns the field problems carried by err, if any.
func ProblemsOf(err error) map[string]string {
	var e *Error
	if errors.As(err, &e) {
		return e.Problems
	}
	return nil
}
