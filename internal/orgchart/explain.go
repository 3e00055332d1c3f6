package orgchart

import (
	"cmp"
	"fmt"
	"strconv"
	"strings"
)

// periodFields are the fields of a period, in the order of the CSV
// columns, as Validate names them after "periods.i.".
var periodFields = []string{
	"from", "to", "parent", "kind", "name.fr", "name.en", "acronym",
	"head.name", "head.title.fr", "head.title.en", "phone", "email", "order",
}

// splitField returns the period index and the period's field of a field
// that Validate names ("periods.2.name.fr": 2, "name.fr"), or -1 and the
// field itself for a field of the unit ("id", "periods", "parent").
func splitField(field string) (int, string) {
	rest, ok := strings.CutPrefix(field, "periods.")
	if !ok {
		return -1, field
	}
	num, sub, ok := strings.Cut(rest, ".")
	i, err := strconv.Atoi(num)
	if !ok || err != nil || i < 0 {
		return -1, field
	}
	return i, sub
}

// periodIndex returns the index of the period that a field names, or -1.
func periodIndex(field string) int {
	i, _ := splitField(field)
	return i
}

// fieldRank orders a unit's fields: the unit's own, then its periods'
// in order, each in the order of the CSV columns.
func fieldRank(sub string) int {
	switch sub {
	case "units":
		return -3
	case "id":
		return -2
	case "periods", "sample":
		return -1
	}
	for r, f := range periodFields {
		if f == sub {
			return r
		}
	}
	return len(periodFields)
}

// compareFields orders fields as Validate names them: the unit's first,
// then "periods.2.…" before "periods.10.…", then by column.
func compareFields(a, b string) int {
	ia, sa := splitField(a)
	ib, sb := splitField(b)
	if c := cmp.Compare(ia, ib); c != 0 {
		return c
	}
	if c := cmp.Compare(fieldRank(sa), fieldRank(sb)); c != 0 {
		return c
	}
	return strings.Compare(a, b)
}

// explain turns a problem that Validate found in u into an English
// message that shows the value.
func explain(u *Unit, field, key string) string {
	i, sub := splitField(field)
	var p Period
	if i >= 0 && i < len(u.Periods) {
		p = u.Periods[i]
	}
	switch key {
	case "form.required":
		return "is required"
	case "form.text.invalid":
		return "holds a NUL character or bytes that are not UTF-8"
	case keyOneLine:
		return "holds a line break or another control character: it must be one line"
	case "form.too_long":
		limit := MaxName
		if sub == "acronym" {
			limit = MaxAcronym
		}
		return fmt.Sprintf("is longer than %d bytes", limit)
	case keyDate:
		d := p.From
		if sub == "to" {
			d = p.To
		}
		return fmt.Sprintf("%d-%02d-%02d is not a day of years 1 to 9999", d.Year, d.Month, d.Day)
	}
	switch sub {
	case "id":
		return fmt.Sprintf("%q is not an ID: lowercase ASCII letters, digits and single hyphens, at most %d characters", u.ID, MaxID)
	case "periods":
		if len(u.Periods) == 0 {
			return "the unit has no period"
		}
		return fmt.Sprintf("the unit has %d periods, more than %d", len(u.Periods), MaxPeriods)
	case "from":
		if i < 1 || i >= len(u.Periods) {
			break
		}
		prev := u.Periods[i-1]
		if before(p.From, prev.From) {
			return fmt.Sprintf("the period %s comes after the period %s: periods must be in order", span(p), span(prev))
		}
		if prev.To.IsZero() {
			return fmt.Sprintf("the period %s begins while the period before it, %s, has no end", span(p), span(prev))
		}
		return fmt.Sprintf("the period %s begins before the period before it ends (%s)", span(p), prev.To)
	case "to":
		return fmt.Sprintf("the end %s is not after the start %s", p.To, p.From)
	case "parent":
		if key == keyCycle {
			return "a unit cannot be its own parent"
		}
		return fmt.Sprintf("%q is not a unit's ID", p.Parent)
	case "kind":
		if p.Kind == "" {
			return "is required"
		}
		return fmt.Sprintf("%q is not a kind of unit (%s)", p.Kind, kindList())
	case "phone":
		return fmt.Sprintf("%q is not a telephone number such as \"418 649-2300\" or \"+1 418 649-2300, poste 12\"", p.Phone)
	case "email":
		return fmt.Sprintf("%q is not an email address such as \"name@example.org\"", p.Email)
	case "order":
		return fmt.Sprintf("%d is not between 0 and %d", p.Order, MaxOrder)
	}
	return "is not valid (" + key + ")"
}

func kindList() string {
	s := make([]string, len(Kinds))
	for i, k := range Kinds {
		s[i] = string(k)
	}
	return strings.Join(s, ", ")
}
