package office

import (
	"strings"
	"testing"
	"time"

	"portail/internal/lang"
)

// Every instant below is written out: the tests never read the clock.

func mustZone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := LoadZone(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// instant reads "2006-01-02 15:04" in loc, or in UTC with a "Z" at the
// end, for the instants that a zone's clocks read twice or never.
func instant(t testing.TB, s string, loc *time.Location) time.Time {
	t.Helper()
	layout := "2006-01-02 15:04"
	if strings.HasSuffix(s, "Z") {
		s, loc = strings.TrimSuffix(s, "Z"), time.UTC
	}
	if len(s) > len(layout) {
		layout += ":05.999999999"
	}
	v, err := time.ParseInLocation(layout, s, loc)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func testOffice(t testing.TB, zone, hours, closures string) Office {
	t.Helper()
	w, err := ParseWeek(hours)
	if err != nil {
		t.Fatal(err)
	}
	cs, err := ParseClosures(closures)
	if err != nil {
		t.Fatal(err)
	}
	return Office{Slug: "test", TimeZone: zone, Hours: w, Closures: cs}
}

type stateCase struct {
	name              string
	zone, hours, shut string // shut: the closures' text form
	opened, closed    string // Office.Opened, Office.Closed
	now               string
	open              bool
	next              string // "" for none
	closure           string // today's closure's French reason, if any
	fr, en            string // Summary, "~" for a non-breaking space
	city              string // for Summary
}

var stateCases = []stateCase{
	// Tokyo, no DST.
	{name: "open in the day", zone: "Asia/Tokyo", hours: "mon-fri 09:00-17:00", now: "2026-01-05 10:00",
		open: true, next: "2026-01-05 17:00", city: "Tokyo",
		fr: "Ouvert · ferme à 17~h (heure de Tokyo)", en: "Open · closes at 5~p.m. (Tokyo time)"},
	{name: "the opening instant is open", zone: "Asia/Tokyo", hours: "mon-fri 09:00-17:00", now: "2026-01-05 09:00",
		open: true, next: "2026-01-05 17:00"},
	{name: "a nanosecond before opening is closed", zone: "Asia/Tokyo", hours: "mon-fri 09:00-17:00", now: "2026-01-05 08:59:59.999999999",
		open: false, next: "2026-01-05 09:00", city: "Tokyo",
		fr: "Fermé · ouvre à 9~h (heure de Tokyo)", en: "Closed · opens at 9~a.m. (Tokyo time)"},
	{name: "a nanosecond before closing is open", zone: "Asia/Tokyo", hours: "mon-fri 09:00-17:00", now: "2026-01-05 16:59:59.999999999",
		open: true, next: "2026-01-05 17:00"},
	{name: "the closing instant is closed", zone: "Asia/Tokyo", hours: "mon-fri 09:00-17:00", now: "2026-01-05 17:00",
		open: false, next: "2026-01-06 09:00", city: "Tokyo",
		fr: "Fermé · ouvre demain à 9~h (heure de Tokyo)", en: "Closed · opens tomorrow at 9~a.m. (Tokyo time)"},
	{name: "friday evening opens monday", zone: "Asia/Tokyo", hours: "mon-fri 09:00-17:00", now: "2026-01-09 18:00",
		open: false, next: "2026-01-12 09:00", city: "Tokyo",
		fr: "Fermé · ouvre lundi à 9~h (heure de Tokyo)", en: "Closed · opens Monday at 9~a.m. (Tokyo time)"},
	{name: "an instant given in another zone", zone: "Asia/Tokyo", hours: "mon-fri 09:00-17:00", now: "2026-01-05 00:30Z",
		open: true, next: "2026-01-05 17:00"},
	{name: "half-hours", zone: "Asia/Tokyo", hours: "mon-fri 08:30-17:30", now: "2026-01-05 12:00",
		open: true, next: "2026-01-05 17:30", city: "Tokyo",
		fr: "Ouvert · ferme à 17~h~30 (heure de Tokyo)", en: "Open · closes at 5:30~p.m. (Tokyo time)"},

	// Split hours.
	{name: "morning of a split day", zone: "Europe/Paris", hours: "mon-fri 09:00-12:00 13:30-17:00", now: "2026-01-05 11:00",
		open: true, next: "2026-01-05 12:00", city: "Paris",
		fr: "Ouvert · ferme à 12~h (heure de Paris)", en: "Open · closes at noon (Paris time)"},
	{name: "lunch break", zone: "Europe/Paris", hours: "mon-fri 09:00-12:00 13:30-17:00", now: "2026-01-05 12:00",
		open: false, next: "2026-01-05 13:30", city: "Paris",
		fr: "Fermé · ouvre à 13~h~30 (heure de Paris)", en: "Closed · opens at 1:30~p.m. (Paris time)"},
	{name: "afternoon of a split day", zone: "Europe/Paris", hours: "mon-fri 09:00-12:00 13:30-17:00", now: "2026-01-05 13:30",
		open: true, next: "2026-01-05 17:00"},

	// Holidays and closures.
	{name: "a holiday", zone: "Europe/Paris", hours: "mon-fri 09:00-17:00", shut: "2025-12-25 holiday Noël | Christmas",
		now: "2025-12-25 10:00", open: false, next: "2025-12-26 09:00", closure: "Noël", city: "Paris",
		fr: "Fermé aujourd'hui~: Noël · ouvre demain à 9~h (heure de Paris)",
		en: "Closed today: Christmas · opens tomorrow at 9~a.m. (Paris time)"},
	{name: "the day before a holiday", zone: "Europe/Paris", hours: "mon-fri 09:00-17:00", shut: "2025-12-25 holiday Noël | Christmas",
		now: "2025-12-24 18:00", open: false, next: "2025-12-26 09:00", city: "Paris",
		fr: "Fermé · ouvre vendredi à 9~h (heure de Paris)", en: "Closed · opens Friday at 9~a.m. (Paris time)"},
	{name: "a holiday with no reason given", zone: "Europe/Paris", hours: "mon-fri 09:00-17:00", shut: "2025-12-25 holiday",
		now: "2025-12-25 10:00", open: false, next: "2025-12-26 09:00", closure: "", city: "Paris",
		fr: "Fermé aujourd'hui~: jour férié · ouvre demain à 9~h (heure de Paris)",
		en: "Closed today: public holiday · opens tomorrow at 9~a.m. (Paris time)"},
	{name: "before a closure across the year end", zone: "Europe/Paris", hours: "mon-fri 09:00-17:00",
		shut: "2026-12-24..2027-01-03 closure Fermeture des fêtes | Holiday closure",
		now:  "2026-12-23 18:00", open: false, next: "2027-01-04 09:00", city: "Paris",
		fr: "Fermé · ouvre le 4 janvier à 9~h (heure de Paris)", en: "Closed · opens January 4 at 9~a.m. (Paris time)"},
	{name: "in a closure across the year end", zone: "Europe/Paris", hours: "mon-fri 09:00-17:00",
		shut: "2026-12-24..2027-01-03 closure Fermeture des fêtes | Holiday closure",
		now:  "2026-12-31 10:00", open: false, next: "2027-01-04 09:00", closure: "Fermeture des fêtes", city: "Paris",
		fr: "Fermé aujourd'hui~: Fermeture des fêtes · ouvre lundi à 9~h (heure de Paris)",
		en: "Closed today: Holiday closure · opens Monday at 9~a.m. (Paris time)"},
	{name: "the last day of a closure", zone: "Europe/Paris", hours: "mon-sun 09:00-17:00",
		shut: "2026-12-24..2027-01-03 closure Fermeture des fêtes | Holiday closure",
		now:  "2027-01-03 10:00", open: false, next: "2027-01-04 09:00", closure: "Fermeture des fêtes"},
	{name: "a closure longer than two weeks", zone: "Europe/Paris", hours: "mon-fri 09:00-17:00",
		shut: "2026-06-01..2026-09-30 closure Travaux | Renovation",
		now:  "2026-06-10 10:00", open: false, next: "2026-10-01 09:00", closure: "Travaux", city: "Paris",
		fr: "Fermé aujourd'hui~: Travaux · ouvre le 1er octobre à 9~h (heure de Paris)",
		en: "Closed today: Renovation · opens October 1 at 9~a.m. (Paris time)"},
	{name: "a closure past the horizon", zone: "Europe/Paris", hours: "mon-fri 09:00-17:00",
		shut: "2026-01-01..2027-12-31 closure Travaux | Renovation",
		now:  "2026-06-10 10:00", open: false, next: "", closure: "Travaux", city: "Paris",
		fr: "Fermé aujourd'hui~: Travaux", en: "Closed today: Renovation"},
	{name: "an office not open yet", zone: "Europe/Paris", hours: "mon-fri 09:00-17:00", opened: "2026-09-01",
		now: "2026-06-10 10:00", open: false, next: "2026-09-01 09:00", city: "Paris",
		fr: "Fermé · ouvre le 1er septembre à 9~h (heure de Paris)", en: "Closed · opens September 1 at 9~a.m. (Paris time)"},
	{name: "an office that opens in more than a year", zone: "Europe/Paris", hours: "mon-fri 09:00-17:00", opened: "2027-06-14",
		now: "2026-06-10 10:00", open: false, next: "2027-06-14 09:00", city: "Paris",
		fr: "Fermé · ouvre le 14 juin 2027 à 9~h (heure de Paris)", en: "Closed · opens June 14, 2027 at 9~a.m. (Paris time)"},
	{name: "an office that opens past the horizon", zone: "Europe/Paris", hours: "mon-fri 09:00-17:00", opened: "2027-09-01",
		now: "2026-06-10 10:00", open: false, next: "", city: "Paris", fr: "Fermé", en: "Closed"},
	{name: "an office that has closed for good", zone: "Europe/Paris", hours: "mon-fri 09:00-17:00", closed: "2026-01-01",
		now: "2026-06-10 10:00", open: false, next: "", city: "Paris", fr: "Fermé", en: "Closed"},
	{name: "the last day before an office closes for good", zone: "Europe/Paris", hours: "mon-fri 09:00-17:00", closed: "2026-06-11",
		now: "2026-06-10 10:00", open: true, next: "2026-06-10 17:00"},

	// Midnight.
	{name: "open across midnight", zone: "Europe/Paris", hours: "mon-fri 20:00-24:00; sat 00:00-02:00", now: "2026-01-09 23:00",
		open: true, next: "2026-01-10 02:00", city: "Paris",
		fr: "Ouvert · ferme demain à 2~h (heure de Paris)", en: "Open · closes tomorrow at 2~a.m. (Paris time)"},
	{name: "midnight inside a stretch is open", zone: "Europe/Paris", hours: "mon-fri 20:00-24:00; sat 00:00-02:00", now: "2026-01-10 00:00",
		open: true, next: "2026-01-10 02:00"},
	{name: "stretches across several midnights", zone: "Europe/Paris", hours: "mon 09:00-24:00; tue-wed 00:00-24:00; thu 00:00-12:00", now: "2026-01-05 10:00",
		open: true, next: "2026-01-08 12:00", city: "Paris",
		fr: "Ouvert · ferme jeudi à 12~h (heure de Paris)", en: "Open · closes Thursday at noon (Paris time)"},
	{name: "open 22:00 to 24:00 only, before", zone: "America/Mexico_City", hours: "wed 22:00-24:00", now: "2026-01-07 21:00",
		open: false, next: "2026-01-07 22:00", city: "Mexico",
		fr: "Fermé · ouvre à 22~h (heure de Mexico)", en: "Closed · opens at 10~p.m. (Mexico time)"},
	{name: "open 22:00 to 24:00 only, during", zone: "America/Mexico_City", hours: "wed 22:00-24:00", now: "2026-01-07 23:59",
		open: true, next: "2026-01-08 00:00", city: "Mexico",
		fr: "Ouvert · ferme à minuit (heure de Mexico)", en: "Open · closes at midnight (Mexico time)"},
	{name: "open 22:00 to 24:00 only, at midnight", zone: "America/Mexico_City", hours: "wed 22:00-24:00", now: "2026-01-08 00:00",
		open: false, next: "2026-01-14 22:00", city: "Mexico",
		fr: "Fermé · ouvre mercredi à 22~h (heure de Mexico)", en: "Closed · opens Wednesday at 10~p.m. (Mexico time)"},
	{name: "opening at midnight is said as the end of the day before", zone: "America/Mexico_City", hours: "sat 00:00-02:00", now: "2026-01-08 10:00",
		open: false, next: "2026-01-10 00:00", city: "Mexico",
		fr: "Fermé · ouvre demain à minuit (heure de Mexico)", en: "Closed · opens tomorrow at midnight (Mexico time)"},
	{name: "open all week", zone: "Africa/Dakar", hours: "mon-sun 00:00-24:00", now: "2026-01-08 10:00",
		open: true, next: "", city: "Dakar", fr: "Ouvert", en: "Open"},
	{name: "open all week until a holiday", zone: "Africa/Dakar", hours: "mon-sun 00:00-24:00", shut: "2026-04-04 holiday Fête de l'indépendance | Independence Day",
		now: "2026-03-30 10:00", open: true, next: "2026-04-04 00:00", city: "Dakar",
		fr: "Ouvert · ferme vendredi à minuit (heure de Dakar)", en: "Open · closes Friday at midnight (Dakar time)"},

	// No hours.
	{name: "a week with no hours", zone: "Asia/Tokyo", hours: "", now: "2026-01-05 10:00",
		open: false, next: "", city: "Tokyo",
		fr: "Fermé (aucune heure d'ouverture publiée)", en: "Closed (no opening hours published)"},
	{name: "no hours and a holiday", zone: "Asia/Tokyo", hours: "", shut: "2026-01-01 holiday Jour de l'An | New Year's Day",
		now: "2026-01-01 10:00", open: false, next: "", closure: "Jour de l'An",
		fr: "Fermé aujourd'hui~: Jour de l'An", en: "Closed today: New Year's Day"},

	// Zones without DST, on the dates others change.
	{name: "Mexico City keeps its time since 2022", zone: "America/Mexico_City", hours: "mon-fri 09:00-18:00", now: "2026-04-03 19:00",
		open: false, next: "2026-04-06 15:00Z"},
	{name: "Dakar is on UTC", zone: "Africa/Dakar", hours: "mon-fri 08:00-16:30", now: "2026-03-30 16:30",
		open: false, next: "2026-03-31 08:00Z", city: "Dakar",
		fr: "Fermé · ouvre demain à 8~h (heure de Dakar)", en: "Closed · opens tomorrow at 8~a.m. (Dakar time)"},

	// New York: clocks go forward 2026-03-08 02:00 EST → 03:00 EDT (07:00Z)
	// and back 2026-11-01 02:00 EDT → 01:00 EST (06:00Z).
	{name: "US: office hours are wall-clock across the change", zone: "America/New_York", hours: "mon-fri 09:00-17:00", now: "2026-03-06 18:00",
		open: false, next: "2026-03-09 13:00Z"},
	{name: "US: a span across the skipped hour lasts one hour", zone: "America/New_York", hours: "sun 01:00-03:00", now: "2026-03-08 06:30Z",
		open: true, next: "2026-03-08 07:00Z", city: "New York",
		fr: "Ouvert · ferme à 3~h (heure de New York)", en: "Open · closes at 3~a.m. (New York time)"},
	{name: "US: a span opening in the skipped hour opens when it ends", zone: "America/New_York", hours: "sun 02:30-04:00", now: "2026-03-08 06:59Z",
		open: false, next: "2026-03-08 07:00Z", city: "New York",
		fr: "Fermé · ouvre à 3~h (heure de New York)", en: "Closed · opens at 3~a.m. (New York time)"},
	{name: "US: a span opening in the skipped hour, open", zone: "America/New_York", hours: "sun 02:30-04:00", now: "2026-03-08 07:00Z",
		open: true, next: "2026-03-08 08:00Z"},
	{name: "US: a span closing in the skipped hour closes when it starts", zone: "America/New_York", hours: "sun 01:30-02:30", now: "2026-03-08 06:45Z",
		open: true, next: "2026-03-08 07:00Z"},
	{name: "US: a span inside the skipped hour never opens", zone: "America/New_York", hours: "sun 02:00-02:45", now: "2026-03-08 06:00Z",
		open: false, next: "2026-03-15 02:00"},
	{name: "US: 01:00 to 03:00 on the repeated hour lasts three hours", zone: "America/New_York", hours: "sun 01:00-03:00", now: "2026-11-01 05:00Z",
		open: true, next: "2026-11-01 08:00Z"},
	{name: "US: the second 01:30 is open too", zone: "America/New_York", hours: "sun 01:00-03:00", now: "2026-11-01 06:30Z",
		open: true, next: "2026-11-01 08:00Z", city: "New York",
		fr: "Ouvert · ferme à 3~h (heure de New York)", en: "Open · closes at 3~a.m. (New York time)"},
	{name: "US: a span closing in the repeated hour closes the first time", zone: "America/New_York", hours: "sun 00:00-01:30", now: "2026-11-01 05:29Z",
		open: true, next: "2026-11-01 05:30Z"},
	{name: "US: the repeated hour after such a close", zone: "America/New_York", hours: "sun 00:00-01:30", now: "2026-11-01 06:00Z",
		open: false, next: "2026-11-08 00:00"},
	{name: "US: monday after the change back", zone: "America/New_York", hours: "mon-fri 09:00-17:00", now: "2026-10-30 18:00",
		open: false, next: "2026-11-02 14:00Z"},

	// Paris: clocks go forward 2026-03-29 02:00 CET → 03:00 CEST (01:00Z)
	// and back 2026-10-25 03:00 CEST → 02:00 CET (01:00Z); the US changes
	// are three weeks earlier in March and a week later in autumn.
	{name: "EU: office hours are wall-clock across the change", zone: "Europe/Paris", hours: "mon-fri 09:00-17:00", now: "2026-03-27 18:00",
		open: false, next: "2026-03-30 07:00Z"},
	{name: "EU: not changed yet when the US has", zone: "Europe/Paris", hours: "mon-fri 09:00-17:00", now: "2026-03-13 18:00",
		open: false, next: "2026-03-16 08:00Z"},
	{name: "EU: a span across the skipped hour lasts one hour", zone: "Europe/Paris", hours: "sun 01:00-03:00", now: "2026-03-29 00:30Z",
		open: true, next: "2026-03-29 01:00Z"},
	{name: "EU: a span opening in the skipped hour opens when it ends", zone: "Europe/Paris", hours: "sun 02:30-04:00", now: "2026-03-29 00:59Z",
		open: false, next: "2026-03-29 01:00Z"},
	{name: "EU: the repeated hour is open both times", zone: "Europe/Paris", hours: "sun 02:00-03:00", now: "2026-10-25 00:00Z",
		open: true, next: "2026-10-25 02:00Z"},
	{name: "EU: a span closing in the repeated hour closes the first time", zone: "Europe/Paris", hours: "sun 01:00-02:30", now: "2026-10-25 01:00Z",
		open: false, next: "2026-11-01 01:00"},
	{name: "EU: monday after the change back", zone: "Europe/Paris", hours: "mon-fri 09:00-17:00", now: "2026-10-23 18:00",
		open: false, next: "2026-10-26 08:00Z"},

	// Santiago goes back at 24:00 to 23:00 and forward at 00:00 to 01:00.
	{name: "Santiago: midnight skipped, a day from 00:00 opens at 01:00", zone: "America/Santiago", hours: "sun 00:00-04:00", now: "2026-09-05 12:00",
		open: false, next: "2026-09-06 04:00Z"},
	{name: "Santiago: a day to 24:00 lasts the repeated hour", zone: "America/Santiago", hours: "sat 20:00-24:00", now: "2026-04-05 03:30Z",
		open: true, next: "2026-04-05 04:00Z"},
}

func TestStateAt(t *testing.T) {
	for _, c := range stateCases {
		t.Run(c.name, func(t *testing.T) {
			loc := mustZone(t, c.zone)
			o := testOffice(t, c.zone, c.hours, c.shut)
			o.Opened, _ = ParseDate(c.opened)
			o.Closed, _ = ParseDate(c.closed)
			now := instant(t, c.now, loc)
			s, err := o.StateAt(now)
			if err != nil {
				t.Fatal(err)
			}
			if !s.Local.Equal(now) || s.Local.Location().String() != c.zone {
				t.Errorf("Local = %v, want %v in %s", s.Local, now, c.zone)
			}
			if s.Open != c.open {
				t.Errorf("Open = %v, want %v", s.Open, c.open)
			}
			var next time.Time
			if c.next != "" {
				next = instant(t, c.next, loc)
			}
			if !s.Next.Equal(next) {
				t.Errorf("Next = %v, want %v", s.Next, next)
			}
			if !s.Next.IsZero() && !s.Next.After(now) {
				t.Errorf("Next %v is not after now %v", s.Next, now)
			}
			switch {
			case s.Closure == nil && (c.closure != "" || strings.Contains(c.fr, "aujourd'hui")):
				t.Errorf("no closure today, want %q", c.closure)
			case s.Closure != nil && s.Closure.Reason[lang.FR] != c.closure:
				t.Errorf("closure %q, want %q", s.Closure.Reason[lang.FR], c.closure)
			}
			if c.fr == "" {
				return
			}
			nb := strings.NewReplacer("~", nbsp).Replace
			if got := s.Summary(lang.FR, c.city); got != nb(c.fr) {
				t.Errorf("Summary(fr) = %q\n                want %q", got, nb(c.fr))
			}
			if got := s.Summary(lang.EN, c.city); got != nb(c.en) {
				t.Errorf("Summary(en) = %q\n                want %q", got, nb(c.en))
			}
		})
	}
}

func TestStateAtRefusesABadZone(t *testing.T) {
	for _, zone := range []string{"", "Local", "Mars/Olympus_Mons"} {
		if _, err := (Office{TimeZone: zone}).StateAt(time.Unix(0, 0)); err == nil {
			t.Errorf("StateAt with zone %q: no error", zone)
		}
	}
}

// A stretch ends where its next state begins: the state just before Next
// is the state at now, and the state at Next is the other one.
func TestNextIsTheNextChange(t *testing.T) {
	checked := 0
	for _, c := range stateCases {
		loc := mustZone(t, c.zone)
		o := testOffice(t, c.zone, c.hours, c.shut)
		o.Opened, _ = ParseDate(c.opened)
		o.Closed, _ = ParseDate(c.closed)
		s, _ := o.StateAt(instant(t, c.now, loc))
		if s.Next.IsZero() {
			continue
		}
		before, _ := o.StateAt(s.Next.Add(-time.Nanosecond))
		at, _ := o.StateAt(s.Next)
		if before.Open != s.Open || at.Open == s.Open {
			t.Errorf("%s: open %v now, %v just before Next, %v at Next", c.name, s.Open, before.Open, at.Open)
		}
		checked++
	}
	if checked < 30 {
		t.Fatalf("checked only %d cases", checked)
	}
}

func TestStateClosureIsACopy(t *testing.T) {
	o := testOffice(t, "Europe/Paris", "mon-fri 09:00-17:00", "2025-12-25 holiday Noël | Christmas")
	s, _ := o.StateAt(instant(t, "2025-12-25 10:00", mustZone(t, "Europe/Paris")))
	s.Closure.Reason = nil
	s.Closure.From = Date{}
	if o.Closures[0].From.IsZero() {
		t.Fatal("State.Closure points into the office's closures")
	}
}

func TestNextChange(t *testing.T) {
	tokyo := testOffice(t, "Asia/Tokyo", "mon-fri 09:00-17:00", "")
	paris := testOffice(t, "Europe/Paris", "mon-fri 09:00-17:00", "")
	none := testOffice(t, "Europe/Paris", "", "")
	bad := Office{TimeZone: "Nowhere/Nothing"}
	// Tokyo is UTC+9 and Paris UTC+1 in January.
	cases := []struct {
		name    string
		offices []Office
		now     string
		want    string
	}{
		{"tokyo closes as paris opens", []Office{paris, tokyo}, "2026-01-05 03:00Z", "2026-01-05 08:00Z"},
		// "ouvre demain" in Tokyo becomes "ouvre à 9 h" at its midnight,
		// before Paris closes.
		{"tokyo's midnight", []Office{paris, tokyo}, "2026-01-05 08:00Z", "2026-01-05 15:00Z"},
		{"paris closes", []Office{paris, tokyo, none, bad}, "2026-01-05 15:30Z", "2026-01-05 16:00Z"},
		{"no hours, no change", []Office{none, bad}, "2026-01-05 12:00Z", ""},
		{"no offices", nil, "2026-01-05 12:00Z", ""},
		{"ouvre lundi becomes ouvre demain", []Office{paris}, "2026-01-09 19:00Z", "2026-01-09 23:00Z"},
		{"a closure's sentence changes at midnight", []Office{testOffice(t, "Europe/Paris", "", "2026-01-05 closure Inventaire | Inventory")},
			"2026-01-05 12:00Z", "2026-01-05 23:00Z"},
	}
	for _, c := range cases {
		var want time.Time
		if c.want != "" {
			want = instant(t, c.want, time.UTC)
		}
		if got := NextChange(c.offices, instant(t, c.now, time.UTC)); !got.Equal(want) {
			t.Errorf("%s: NextChange = %v, want %v", c.name, got, want)
		}
	}
}

// at must keep later times later instants and give the first instant
// the clocks read a time or later, in zones whose clocks change in every
// way: an hour at 02:00 (US, EU), at midnight (Havana, Santiago), half
// an hour (Lord Howe), a whole day (Apia skipped 2011-12-30).
func TestAtIsTheFirstInstantClocksReadATime(t *testing.T) {
	days := map[string][]string{
		"America/New_York":    {"2026-03-08", "2026-11-01"},
		"Europe/Paris":        {"2026-03-29", "2026-10-25"},
		"America/Havana":      {"2026-03-08", "2026-11-01"},
		"America/Santiago":    {"2026-04-04", "2026-04-05", "2026-09-05", "2026-09-06"},
		"Australia/Lord_Howe": {"2026-04-05", "2026-10-04"},
		"Pacific/Apia":        {"2011-12-29", "2011-12-30", "2011-12-31"},
		"Asia/Tokyo":          {"2026-01-05"},
	}
	checked := 0
	for zone, ds := range days {
		loc := mustZone(t, zone)
		for _, ds := range ds {
			d, _ := ParseDate(ds)
			prev := time.Time{}
			for m := 0; m <= 24*60; m++ {
				got := at(d, m, loc)
				want := time.Date(d.Year, d.Month, d.Day, 0, m, 0, 0, time.UTC)
				if wall(got).Before(want) {
					t.Fatalf("%s %s +%d min: %v reads before %v", zone, ds, m, got, want)
				}
				if !wall(got.Add(-time.Nanosecond)).Before(want) {
					t.Fatalf("%s %s +%d min: %v is not the first instant reading %v", zone, ds, m, got, want)
				}
				if got.Before(prev) {
					t.Fatalf("%s %s +%d min: %v is before the minute before's %v", zone, ds, m, got, prev)
				}
				// Away from a change, it is time.Date's answer.
				tz := time.Date(d.Year, d.Month, d.Day, 0, m, 0, 0, loc)
				start, end := tz.ZoneBounds()
				if wall(tz).Equal(want) && tz.Sub(start) > 3*time.Hour && (end.IsZero() || end.Sub(tz) > 3*time.Hour) && !got.Equal(tz) {
					t.Fatalf("%s %s +%d min: %v, time.Date says %v", zone, ds, m, got, tz)
				}
				prev = got
				checked++
			}
		}
	}
	if checked < 15*1441 {
		t.Fatalf("checked %d minutes", checked)
	}
}

func TestLocalTime(t *testing.T) {
	cases := []struct{ clock, fr, en string }{
		{"14:05", "14~h~05", "2:05~p.m."},
		{"09:00", "9~h", "9~a.m."},
		{"12:00", "12~h", "noon"},
		{"12:30", "12~h~30", "12:30~p.m."},
		{"00:00", "0~h", "midnight"},
		{"00:05", "0~h~05", "12:05~a.m."},
		{"23:59", "23~h~59", "11:59~p.m."},
		{"17:00", "17~h", "5~p.m."},
	}
	nb := strings.NewReplacer("~", nbsp).Replace
	tokyo := mustZone(t, "Asia/Tokyo")
	for _, c := range cases {
		at := instant(t, "2026-01-05 "+c.clock, tokyo)
		if got := LocalTime(at, lang.FR); got != nb(c.fr) {
			t.Errorf("LocalTime(%s, fr) = %q, want %q", c.clock, got, nb(c.fr))
		}
		if got := LocalTime(at, lang.EN); got != nb(c.en) {
			t.Errorf("LocalTime(%s, en) = %q, want %q", c.clock, got, nb(c.en))
		}
	}
	// The instant's own zone is the one read.
	if got := LocalTime(instant(t, "2026-01-05 05:05Z", time.UTC).In(tokyo), lang.FR); got != nb("14~h~05") {
		t.Errorf("LocalTime in Tokyo = %q", got)
	}
}

func TestFormatWeek(t *testing.T) {
	w, err := ParseWeek("mon-thu 09:00-12:00 13:00-17:00; fri 09:00-12:30; sat 22:00-24:00; sun 00:00-02:00")
	if err != nil {
		t.Fatal(err)
	}
	nb := strings.NewReplacer("~", nbsp).Replace
	want := map[lang.Lang][7][2]string{
		lang.FR: {
			{"Lundi", "9~h à 12~h, 13~h à 17~h"},
			{"Mardi", "9~h à 12~h, 13~h à 17~h"},
			{"Mercredi", "9~h à 12~h, 13~h à 17~h"},
			{"Jeudi", "9~h à 12~h, 13~h à 17~h"},
			{"Vendredi", "9~h à 12~h~30"},
			{"Samedi", "22~h à 24~h"},
			{"Dimanche", "0~h à 2~h"},
		},
		lang.EN: {
			{"Monday", "9~a.m. to noon, 1~p.m. to 5~p.m."},
			{"Tuesday", "9~a.m. to noon, 1~p.m. to 5~p.m."},
			{"Wednesday", "9~a.m. to noon, 1~p.m. to 5~p.m."},
			{"Thursday", "9~a.m. to noon, 1~p.m. to 5~p.m."},
			{"Friday", "9~a.m. to 12:30~p.m."},
			{"Saturday", "10~p.m. to midnight"},
			{"Sunday", "midnight to 2~a.m."},
		},
	}
	for l, days := range want {
		got := FormatWeek(w, l)
		if len(got) != 7 {
			t.Fatalf("%s: %d days", l, len(got))
		}
		for i, d := range got {
			if d.Day != weekOrder[i] || d.Name != days[i][0] || d.Hours != nb(days[i][1]) || d.Closed {
				t.Errorf("%s: day %d = %+v, want %s %q", l, i, d, days[i][0], nb(days[i][1]))
			}
		}
	}
	closed := FormatWeek(Week{}, lang.FR)
	if closed[0].Hours != "Fermé" || !closed[0].Closed || FormatWeek(Week{}, lang.EN)[6].Hours != "Closed" {
		t.Errorf("closed days: %+v", closed)
	}
}

func TestZoneName(t *testing.T) {
	cases := []struct{ city, fr, en string }{
		{"Tokyo", "heure de Tokyo", "Tokyo time"},
		{"Atlanta", "heure d'Atlanta", "Atlanta time"},
		{"Abidjan", "heure d'Abidjan", "Abidjan time"},
		{"Le Caire", "heure du Caire", "Le Caire time"},
		{"La Havane", "heure de La Havane", "La Havane time"},
		{"Los Angeles", "heure de Los Angeles", "Los Angeles time"},
		{"", "heure locale", "local time"},
	}
	for _, c := range cases {
		if got := zoneName(lang.FR, c.city); got != c.fr {
			t.Errorf("zoneName(fr, %q) = %q, want %q", c.city, got, c.fr)
		}
		if got := zoneName(lang.EN, c.city); got != c.en {
			t.Errorf("zoneName(en, %q) = %q, want %q", c.city, got, c.en)
		}
	}
}

func BenchmarkStateAt(b *testing.B) {
	paris := testOffice(b, "Europe/Paris", "mon-fri 09:00-12:00 13:30-17:00", "2026-06-01..2027-06-01 closure Travaux | Renovation")
	now := instant(b, "2026-06-10 10:00", mustZone(b, "Europe/Paris"))
	for b.Loop() {
		if _, err := paris.StateAt(now); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkStateAtOpenAllWeek(b *testing.B) {
	dakar := testOffice(b, "Africa/Dakar", "mon-sun 00:00-24:00", "")
	now := instant(b, "2026-06-10 10:00", mustZone(b, "Africa/Dakar"))
	for b.Loop() {
		if _, err := dakar.StateAt(now); err != nil {
			b.Fatal(err)
		}
	}
}
