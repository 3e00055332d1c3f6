package office

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"portail/internal/lang"
)

// The sentences of the public page about an office's hours, in Québec
// style: French writes the 24-hour clock with "h" ("17 h", "17 h 30"),
// English the 12-hour clock ("5 p.m.", "5:30 p.m.", "noon", "midnight").
// A non-breaking space joins a number to its "h" or "a.m." and comes
// before a French colon, so that no line breaks inside a time, as the
// site already does between a number and its unit ("120 Ko").

const nbsp = "\u00a0"

var (
	frDays   = [7]string{"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"}
	frMonths = [12]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"}
)

// Summary says whether the office is open and when that changes, in
// language l, naming the office's city for its time zone: "Ouvert ·
// ferme à 17 h (heure de Tokyo)", "Closed today: Christmas · opens
// tomorrow at 9 a.m. (Paris time)". City is the city's name in l; empty,
// the sentence says "local time".
func (s State) Summary(l lang.Lang, city string) string {
	fr := l != lang.EN
	var b strings.Builder
	switch {
	case s.Open && fr:
		b.WriteString("Ouvert")
	case s.Open:
		b.WriteString("Open")
	case s.Closure != nil && fr:
		b.WriteString("Fermé aujourd'hui" + nbsp + ": " + s.Closure.reason(l))
	case s.Closure != nil:
		b.WriteString("Closed today: " + s.Closure.reason(l))
	case !s.hours && fr:
		return "Fermé (aucune heure d'ouverture publiée)"
	case !s.hours:
		return "Closed (no opening hours published)"
	case fr:
		b.WriteString("Fermé")
	default:
		b.WriteString("Closed")
	}
	if s.Next.IsZero() {
		return b.String()
	}
	var verb string
	switch {
	case s.Open && fr:
		verb = "ferme"
	case s.Open:
		verb = "closes"
	case fr:
		verb = "ouvre"
	default:
		verb = "opens"
	}
	b.WriteString(" · " + verb + " " + s.when(s.Next, l) + " (" + zoneName(l, city) + ")")
	return b.String()
}

// when says when t comes, from s's day: "à 17 h", "demain à 9 h",
// "lundi à 9 h", "le 5 janvier à 9 h"; "at 5 p.m.", "tomorrow at 9 a.m.",
// "Monday at 9 a.m.", "January 5 at 9 a.m.". Midnight ends the day
// named ("ferme à minuit" today, not "demain à 0 h").
func (s State) when(t time.Time, l lang.Lang) string {
	fr := l != lang.EN
	t = t.In(s.Local.Location())
	var clock string
	switch h, m := t.Hour(), t.Minute(); {
	case h == 0 && m == 0 && fr:
		clock = "minuit"
	case fr:
		clock = frClock(h, m)
	default:
		clock = enClock(h, m)
	}
	ahead := s.daysAhead(t)
	day := labelDay(t)
	d := dateOfDay(day)
	var on string
	switch {
	case ahead == 0:
	case ahead == 1 && fr:
		on = "demain "
	case ahead == 1:
		on = "tomorrow "
	case ahead < 7 && fr:
		on = frDays[weekdayOf(day)] + " "
	case ahead < 7:
		on = weekdayOf(day).String() + " "
	default:
		// The year only when the date is a year or more away; before
		// that, "le 5 janvier" can only be the next one.
		today := DateOf(s.Local)
		withYear := !d.Before(Date{today.Year + 1, today.Month, today.Day})
		switch {
		case fr:
			on = "le " + frDayOfMonth(d.Day) + " " + frMonths[d.Month-1]
			if withYear {
				on += fmt.Sprintf(" %d", d.Year)
			}
		default:
			on = fmt.Sprintf("%s %d", d.Month, d.Day)
			if withYear {
				on += fmt.Sprintf(", %d", d.Year)
			}
		}
		on += " "
	}
	if fr {
		return on + "à " + clock
	}
	return on + "at " + clock
}

// daysAhead counts the days from s's day to the day t is said to be on.
func (s State) daysAhead(t time.Time) int {
	return max(0, labelDay(t.In(s.Local.Location()))-dayNumber(DateOf(s.Local)))
}

// labelDay is the day number a sentence gives t: midnight is the end of
// the day before.
func labelDay(t time.Time) int {
	day := dayNumber(DateOf(t))
	if t.Hour() == 0 && t.Minute() == 0 {
		day--
	}
	return day
}

func frDayOfMonth(d int) string {
	if d == 1 {
		return "1er"
	}
	return fmt.Sprint(d)
}

// zoneName is "heure de Tokyo" or "Tokyo time", with French elision and
// contraction ("heure d'Atlanta", "heure du Caire").
func zoneName(l lang.Lang, city string) string {
	if l == lang.EN {
		if city == "" {
			return "local time"
		}
		return city + " time"
	}
	switch r, _ := utf8.DecodeRuneInString(city); {
	case city == "":
		return "heure locale"
	case strings.HasPrefix(city, "Le "):
		return "heure du " + city[len("Le "):]
	case strings.HasPrefix(city, "Les "):
		return "heure des " + city[len("Les "):]
	case strings.ContainsRune("AEIOUÀÂÉÈÊÎÏÔÛÜ", unicode.ToUpper(r)):
		return "heure d'" + city
	}
	return "heure de " + city
}

// reason is the closure's reason in l, or what kind of closure it is.
func (c Closure) reason(l lang.Lang) string {
	if r := strings.TrimSpace(c.Reason[l]); r != "" {
		return r
	}
	switch {
	case c.Holiday && l == lang.EN:
		return "public holiday"
	case c.Holiday:
		return "jour férié"
	case l == lang.EN:
		return "exceptional closure"
	}
	return "fermeture exceptionnelle"
}

// LocalTime writes t's clock reading, in t's location, in language l:
// "14 h 05", "0 h 30"; "2:05 p.m.", "noon", "midnight".
func LocalTime(t time.Time, l lang.Lang) string {
	if l == lang.EN {
		return enClock(t.Hour(), t.Minute())
	}
	return frClock(t.Hour(), t.Minute())
}

// frClock writes "9 h", "17 h 30"; 24 h is the end of a day.
func frClock(h, m int) string {
	if m == 0 {
		return fmt.Sprintf("%d"+nbsp+"h", h)
	}
	return fmt.Sprintf("%d"+nbsp+"h"+nbsp+"%02d", h, m)
}

// enClock writes "9 a.m.", "5:30 p.m.", "noon", "midnight" (0 h or 24 h).
func enClock(h, m int) string {
	switch {
	case m == 0 && h == 12:
		return "noon"
	case m == 0 && (h == 0 || h == 24):
		return "midnight"
	}
	suffix := "a.m."
	if h >= 12 && h < 24 {
		suffix = "p.m."
	}
	h %= 12
	if h == 0 {
		h = 12
	}
	if m == 0 {
		return fmt.Sprintf("%d"+nbsp+"%s", h, suffix)
	}
	return fmt.Sprintf("%d:%02d"+nbsp+"%s", h, m, suffix)
}

// DayHours is one day of an office's week, as the page's table of
// hours shows it.
type DayHours struct {
	Day time.Weekday
	// Name is the day's name, capitalised as it starts a table cell:
	// "Lundi", "Monday".
	Name string
	// Hours is "9 h à 12 h, 13 h à 17 h" or "9 a.m. to noon, 1 p.m. to
	// 5 p.m.", or "Fermé", "Closed".
	Hours  string
	Closed bool
}

// FormatWeek lists w's days, Monday first, in language l.
func FormatWeek(w Week, l lang.Lang) []DayHours {
	out := make([]DayHours, 0, 7)
	for _, d := range weekOrder {
		dh := DayHours{Day: d, Name: d.String(), Closed: len(w[d]) == 0}
		if l != lang.EN {
			dh.Name = strings.ToUpper(frDays[d][:1]) + frDays[d][1:]
		}
		parts := make([]string, len(w[d]))
		for i, sp := range w[d] {
			parts[i] = spanText(sp, l)
		}
		switch {
		case !dh.Closed:
			dh.Hours = strings.Join(parts, ", ")
		case l == lang.EN:
			dh.Hours = "Closed"
		default:
			dh.Hours = "Fermé"
		}
		out = append(out, dh)
	}
	return out
}

func spanText(sp Span, l lang.Lang) string {
	if l == lang.EN {
		return enClock(sp.Open/60, sp.Open%60) + " to " + enClock(sp.Close/60, sp.Close%60)
	}
	return frClock(sp.Open/60, sp.Open%60) + " à " + frClock(sp.Close/60, sp.Close%60)
}
