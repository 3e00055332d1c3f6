package orgchart

import (
	"cmp"
	"fmt"
	"net/mail"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"portail/internal/apperr"
	"portail/internal/content"
	"portail/internal/lang"
	"portail/internal/office"
)

// Limits on the chart's data, checked before anything is stored. They
// also bound the work of Check (see there).
const (
	// MaxUnits bounds the units of a chart: the department counts a few
	// hundred at most.
	MaxUnits = 2000
	// MaxPeriods bounds one unit's periods: a move, a rename or a new
	// head each starts one.
	MaxPeriods = 50
	// MaxChartPeriods bounds the periods of the whole chart, and so the
	// boundary dates that Check looks at.
	MaxChartPeriods = 20000
	MaxID           = office.MaxSlug
	MaxName         = 200
	MaxAcronym      = 20
	MaxPhone        = 40
	MaxEmail        = 254
	MaxOrder        = 10000
)

// ValidID reports whether s can be a unit's ID: lowercase ASCII letters,
// digits and single hyphens, at most MaxID bytes, as an office's slug
// (office.ValidSlug, which a test keeps equal). It is written out rather
// than a regular expression: Check calls it for every unit and parent.
func ValidID(s string) bool {
	if s == "" || len(s) > MaxID || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case c == '-' && s[i-1] != '-':
		default:
			return false
		}
	}
	return true
}

// The message keys of the i18n catalogue that Validate, Check and the
// operations give, besides the shared form.required, form.too_long,
// form.text.invalid, form.key.invalid and form.email.invalid.
const (
	keyKind         = "form.orgunit.kind"
	keyNoPeriod     = "form.orgunit.no_period"
	keyTooMany      = "form.orgunit.too_many"
	keyDate         = "form.orgunit.date"
	keyDates        = "form.orgunit.dates"
	keyOverlap      = "form.orgunit.overlap"
	keyPhone        = "form.orgunit.phone"
	keyOrder        = "form.orgunit.order"
	keyOneLine      = "form.orgunit.one_line"
	keyDuplicate    = "form.orgunit.duplicate"
	keyParent       = "form.orgunit.parent_unknown"
	keyParentAbsent = "form.orgunit.parent_absent"
	keyCycle        = "form.orgunit.cycle"
	keyTwoRoots     = "form.orgunit.two_roots"
	keyChildren     = "form.orgunit.children"
	keyOn           = "form.orgunit.on"
)

// phonePattern is a telephone number as the department writes them:
// "418 649-2300", "+1 418 649-2300", "1 800 123-4567, poste 12".
var phonePattern = regexp.MustCompile(`^\+?\(?[0-9]+\)?(?:[ .-]?\(?[0-9]+\)?)*(?:,? ?(?:poste|ext\.?|x) ?[0-9]{1,6})?$`)

// ValidPhone reports whether s is a telephone number: digits in groups
// separated by spaces, hyphens, points or parentheses, an optional
// leading "+" and extension ("poste 12", "ext. 12"), 7 to 15 digits
// before the extension, at most MaxPhone bytes.
func ValidPhone(s string) bool {
	if len(s) > MaxPhone || !phonePattern.MatchString(s) {
		return false
	}
	number := s
	for _, ext := range []string{"poste", "ext", "x"} {
		if i := strings.Index(number, ext); i >= 0 {
			number = number[:i]
		}
	}
	digits := 0
	for _, r := range number {
		if r >= '0' && r <= '9' {
			digits++
		}
	}
	return digits >= 7 && digits <= 15
}

// Validate checks every field of u on its own (the chart as a whole is
// Check's) and returns an apperr.Invalid whose problems name each bad
// field with a message key of the i18n catalogue, or nil. The fields are
// "id", "periods" (none, or more than MaxPeriods) and, for the period at
// index i, "periods.i.from", "periods.i.to", "periods.i.parent",
// "periods.i.kind", "periods.i.name.fr", "periods.i.name.en",
// "periods.i.acronym", "periods.i.head.name", "periods.i.head.title.fr",
// "periods.i.head.title.en", "periods.i.phone", "periods.i.email" and
// "periods.i.order".
//
// French names are required and English ones are not: French is the
// reference version of everything the department publishes, and the
// English chart shows the French name where no English one is given
// (FACTS.md, decisions; Charter of the French language, §4).
func (u Unit) Validate() error {
	p := apperr.Problems{}
	switch {
	case u.ID == "":
		p.Add("id", "form.required")
	case !ValidID(u.ID):
		p.Add("id", "form.key.invalid")
	}
	switch {
	case len(u.Periods) == 0:
		p.Add("periods", keyNoPeriod)
	case len(u.Periods) > MaxPeriods:
		p.Add("periods", keyTooMany)
	}
	for i, per := range u.Periods {
		// The field's name is made only for a problem: Check validates
		// every unit of the chart on every write.
		add := func(sub, key string) { p.Add("periods."+strconv.Itoa(i)+"."+sub, key) }
		switch {
		case per.From.IsZero():
			add("from", "form.required")
		case !validDate(per.From):
			add("from", keyDate)
		case i > 0 && !u.Periods[i-1].From.IsZero() && before(per.From, u.Periods[i-1].From):
			// Out of order: said on the later one in the list.
			add("from", keyOverlap)
		case i > 0 && endsAfter(u.Periods[i-1].To, per.From):
			add("from", keyOverlap)
		}
		switch {
		case per.To.IsZero():
		case !validDate(per.To):
			add("to", keyDate)
		case !per.From.IsZero() && !before(per.From, per.To):
			add("to", keyDates)
		}
		switch {
		case per.Parent == "":
		case !ValidID(per.Parent):
			add("parent", "form.key.invalid")
		case per.Parent == u.ID:
			add("parent", keyCycle)
		}
		if !validKind(per.Kind) {
			add("kind", keyKind)
		}
		checkLine(add, "name.fr", per.Name[lang.FR], MaxName, true)
		checkLine(add, "name.en", per.Name[lang.EN], MaxName, false)
		checkLine(add, "acronym", per.Acronym, MaxAcronym, false)
		checkLine(add, "head.name", per.Head.Name, MaxName, false)
		checkLine(add, "head.title.fr", per.Head.Title[lang.FR], MaxName, false)
		checkLine(add, "head.title.en", per.Head.Title[lang.EN], MaxName, false)
		if per.Phone != "" && !ValidPhone(per.Phone) {
			add("phone", keyPhone)
		}
		if per.Email != "" {
			if a, err := mail.ParseAddress(per.Email); err != nil || a.Address != per.Email || a.Name != "" || len(per.Email) > MaxEmail {
				add("email", "form.email.invalid")
			}
		}
		if per.Order < 0 || per.Order > MaxOrder {
			add("order", keyOrder)
		}
	}
	return p.Err()
}

// checkLine checks a one-line text: UTF-8 with no control character (a
// name is drawn on one line of the chart), required or not, and at most
// max bytes.
func checkLine(add func(field, key string), field, v string, max int, required bool) {
	switch {
	case !content.ValidText(v):
		add(field, "form.text.invalid")
	case strings.IndexFunc(v, unicode.IsControl) >= 0:
		add(field, keyOneLine)
	case required && strings.TrimSpace(v) == "":
		add(field, "form.required")
	case len(v) > max:
		add(field, "form.too_long")
	}
}

func validKind(k Kind) bool {
	for _, v := range Kinds {
		if k == v {
			return true
		}
	}
	return false
}

// validDate reports whether d is a real day of years 1 to 9999: one
// that "YYYY-MM-DD" writes and reads back.
func validDate(d Date) bool {
	if d.Year < 1 || d.Year > 9999 || d.Month < time.January || d.Month > time.December || d.Day < 1 {
		return false
	}
	// The day after the month's last is the next month's first.
	last := time.Date(d.Year, d.Month+1, 0, 0, 0, 0, 0, time.UTC).Day()
	return d.Day <= last
}

// compareDates orders dates; office.Date.Before formats both, which
// Check, called on every write with the whole chart, cannot afford.
func compareDates(a, b Date) int {
	if c := cmp.Compare(a.Year, b.Year); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Month, b.Month); c != 0 {
		return c
	}
	return cmp.Compare(a.Day, b.Day)
}

// before reports whether a is before b.
func before(a, b Date) bool { return compareDates(a, b) < 0 }

// compareEnds orders the ends of periods, the zero Date (open-ended)
// after every date.
func compareEnds(a, b Date) int {
	switch {
	case a.IsZero() && b.IsZero():
		return 0
	case a.IsZero():
		return 1
	case b.IsZero():
		return -1
	}
	return compareDates(a, b)
}

// endsAfter reports whether a period that ends at end (zero: open) still
// runs on day d.
func endsAfter(end, d Date) bool { return end.IsZero() || before(d, end) }

// covers reports whether p runs on day d.
func (p Period) covers(d Date) bool { return !before(d, p.From) && endsAfter(p.To, d) }

// span writes a period's dates for messages: "from 2024-01-01" or "from
// 2024-01-01 to 2026-04-01".
func span(p Period) string {
	if p.To.IsZero() {
		return "from " + p.From.String()
	}
	return fmt.Sprintf("from %s to %s", p.From, p.To)
}
