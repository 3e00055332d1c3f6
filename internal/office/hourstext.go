package office

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"portail/internal/content"
	"portail/internal/lang"
)

// The text forms of opening hours and closures, as the import files and
// the staff forms write them.
//
// Hours: "mon-fri 09:00-12:00 13:00-17:00; sat 10:00-14:00". Days are
// mon…sun, alone or as a range; each has up to MaxSpans spans; "closed"
// names a closed day; days not named are closed. The empty text is a
// week with no opening hours.
//
// Closures: "2026-12-25 holiday Noël | Christmas; 2026-12-24..2027-01-02
// closure Fermeture des fêtes | Holiday closure". Each is a day or a
// range of days, "holiday" or "closure", and the reason in French and in
// English separated by "|".

var dayNames = [7]string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

// weekOrder is the order days are written in: Monday first.
var weekOrder = [7]time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday}

// MaxHoursText bounds the text of a week's hours.
const MaxHoursText = 500

// ParseWeek reads the text form of opening hours. Its errors say which
// part is wrong.
func ParseWeek(s string) (Week, error) {
	var w Week
	if len(s) > MaxHoursText {
		return w, fmt.Errorf("hours: longer than %d bytes", MaxHoursText)
	}
	var named [7]bool
	for part := range strings.SplitSeq(s, ";") {
		fields := strings.Fields(part)
		if len(fields) == 0 {
			continue
		}
		days, err := parseDays(fields[0])
		if err != nil {
			return Week{}, err
		}
		var spans []Span
		if len(fields) == 2 && fields[1] == "closed" {
			spans = nil
		} else {
			if len(fields) == 1 {
				return Week{}, fmt.Errorf("hours: %q: give the hours (09:00-17:00) or \"closed\"", strings.TrimSpace(part))
			}
			for _, f := range fields[1:] {
				sp, err := parseSpan(f)
				if err != nil {
					return Week{}, err
				}
				spans = append(spans, sp)
			}
			if !validSpans(spans) {
				return Week{}, fmt.Errorf("hours: %q: spans must be in order, not overlap, and at most %d a day", strings.TrimSpace(part), MaxSpans)
			}
		}
		for _, d := range days {
			if named[d] {
				return Week{}, fmt.Errorf("hours: %s is named twice", dayNames[d])
			}
			named[d] = true
			w[d] = spans
		}
	}
	return w, nil
}

func parseDays(s string) ([]time.Weekday, error) {
	from, to, isRange := strings.Cut(s, "-")
	a, ok := dayIndex(from)
	if !ok {
		return nil, fmt.Errorf("hours: %q is not a day (mon, tue, wed, thu, fri, sat, sun)", from)
	}
	if !isRange {
		return []time.Weekday{weekOrder[a]}, nil
	}
	b, ok := dayIndex(to)
	if !ok || b < a {
		return nil, fmt.Errorf("hours: %q is not a range of days from Monday to Sunday", s)
	}
	return weekOrder[a : b+1], nil
}

// dayIndex returns the position of the day name s in weekOrder.
func dayIndex(s string) (int, bool) {
	for i, d := range weekOrder {
		if dayNames[d] == s {
			return i, true
		}
	}
	return 0, false
}

func parseSpan(s string) (Span, error) {
	a, b, ok := strings.Cut(s, "-")
	open, ok1 := parseClock(a)
	closing, ok2 := parseClock(b)
	if !ok || !ok1 || !ok2 || open >= closing {
		return Span{}, fmt.Errorf("hours: %q is not a span such as 09:00-17:00", s)
	}
	return Span{open, closing}, nil
}

// parseClock reads "HH:MM", 00:00 to 24:00, into minutes after midnight.
func parseClock(s string) (int, bool) {
	if len(s) != 5 || s[2] != ':' {
		return 0, false
	}
	h, err1 := strconv.Atoi(s[:2])
	m, err2 := strconv.Atoi(s[3:])
	if err1 != nil || err2 != nil || s[0] == '+' || s[0] == '-' || s[3] == '+' || s[3] == '-' || h > 24 || m > 59 || h == 24 && m != 0 {
		return 0, false
	}
	return h*60 + m, true
}

func clock(m int) string { return fmt.Sprintf("%02d:%02d", m/60, m%60) }

// String returns the text form of w, Monday first, consecutive days with
// the same hours as one range, closed days left out; ParseWeek reads it
// back into w.
func (w Week) String() string {
	var parts []string
	for i := 0; i < 7; {
		j := i
		for j+1 < 7 && sameSpans(w[weekOrder[j+1]], w[weekOrder[i]]) {
			j++
		}
		if spans := w[weekOrder[i]]; len(spans) > 0 {
			days := dayNames[weekOrder[i]]
			if j > i {
				days += "-" + dayNames[weekOrder[j]]
			}
			var b strings.Builder
			b.WriteString(days)
			for _, sp := range spans {
				b.WriteString(" " + clock(sp.Open) + "-" + clock(sp.Close))
			}
			parts = append(parts, b.String())
		}
		i = j + 1
	}
	return strings.Join(parts, "; ")
}

func sameSpans(a, b []Span) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// MaxClosuresText bounds the text of an office's closures.
const MaxClosuresText = 20000

// ParseClosures reads the text form of closures.
func ParseClosures(s string) ([]Closure, error) {
	if len(s) > MaxClosuresText {
		return nil, fmt.Errorf("closures: longer than %d bytes", MaxClosuresText)
	}
	var out []Closure
	for part := range strings.SplitSeq(s, ";") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if len(out) == MaxClosures {
			return nil, fmt.Errorf("closures: more than %d", MaxClosures)
		}
		days, rest, _ := strings.Cut(part, " ")
		kind, reason, _ := strings.Cut(strings.TrimSpace(rest), " ")
		var c Closure
		from, to, isRange := strings.Cut(days, "..")
		var ok1, ok2 bool
		c.From, ok1 = ParseDate(from)
		c.To, ok2 = c.From, true
		if isRange {
			c.To, ok2 = ParseDate(to)
		}
		if !ok1 || !ok2 || c.From.IsZero() || c.To.IsZero() || c.To.Before(c.From) {
			return nil, fmt.Errorf("closures: %q: give a day (2026-12-25) or a range (2026-12-24..2027-01-02)", part)
		}
		switch kind {
		case "holiday":
			c.Holiday = true
		case "closure":
		default:
			return nil, fmt.Errorf("closures: %q: say \"holiday\" or \"closure\" after the days", part)
		}
		fr, en, _ := strings.Cut(reason, "|")
		c.Reason = map[lang.Lang]string{lang.FR: strings.TrimSpace(fr), lang.EN: strings.TrimSpace(en)}
		for _, r := range c.Reason {
			if !content.ValidText(r) || len(r) > MaxName {
				return nil, fmt.Errorf("closures: %q: a reason must be text of at most %d bytes", part, MaxName)
			}
		}
		out = append(out, c)
	}
	return out, nil
}

// FormatClosures returns the text form of cs; ParseClosures reads it
// back, provided no reason holds ";" or "|".
func FormatClosures(cs []Closure) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		days := c.From.String()
		if c.To != c.From {
			days += ".." + c.To.String()
		}
		kind := "closure"
		if c.Holiday {
			kind = "holiday"
		}
		parts[i] = days + " " + kind + " " + c.Reason[lang.FR] + " | " + c.Reason[lang.EN]
	}
	return strings.Join(parts, "; ")
}
