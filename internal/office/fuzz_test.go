package office

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"portail/internal/apperr"
	"portail/internal/lang"
)

// problems returns the problems Validate finds in an office's fields
// that start with prefix ("hours", "closures").
func fieldProblems(o Office, prefix string) []string {
	var out []string
	for f, key := range apperr.ProblemsOf(o.Validate()) {
		if strings.HasPrefix(f, prefix) {
			out = append(out, f+": "+key)
		}
	}
	return out
}

var weekSeeds = []string{
	"", "mon-fri 09:00-17:00", "mon-fri 09:00-12:00 13:30-17:00; sat 10:00-14:00; sun closed",
	"fri 20:00-24:00; sat 00:00-02:00", "mon-sun 00:00-24:00", "wed 22:00-24:00", "sun 01:00-03:00",
	"sun 02:30-04:00", "sun 00:00-01:30", "mon 00:00-00:01 06:00-07:00 12:00-13:00 23:59-24:00",
	"mon 9:00-17:00", "fri-mon 09:00-17:00", "mon 09:00-24:30", "mon 09:00-13:00 12:00-17:00",
	"mon-fri 09:00-17:00; wed closed", "mon-fri", "mon closed 09:00-10:00", ";;", "mon-mon 00:00-24:00",
}

// FuzzParseWeek checks that any text either fails with an error or gives
// a week that validates and that its text form gives back.
func FuzzParseWeek(f *testing.F) {
	for _, s := range weekSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 2*MaxHoursText {
			return // refused by length before anything; nothing more to learn
		}
		w, err := ParseWeek(s)
		if err != nil {
			if !reflect.DeepEqual(w, Week{}) {
				t.Fatalf("ParseWeek(%q) gave hours with its error %v", s, err)
			}
			return
		}
		if len(s) > MaxHoursText {
			t.Fatalf("ParseWeek read %d bytes, more than %d", len(s), MaxHoursText)
		}
		if p := fieldProblems(Office{Hours: w}, "hours"); len(p) > 0 {
			t.Fatalf("ParseWeek(%q) = %v, which Validate refuses: %v", s, w, p)
		}
		text := w.String()
		if len(text) > MaxHoursText {
			t.Fatalf("String() is %d bytes, more than ParseWeek reads", len(text))
		}
		back, err := ParseWeek(text)
		if err != nil {
			t.Fatalf("ParseWeek(%q) = %v; its String() %q does not parse: %v", s, w, text, err)
		}
		if !sameWeek(back, w) {
			t.Fatalf("ParseWeek(%q) = %v; String() %q parses to %v", s, w, text, back)
		}
		if again := back.String(); again != text {
			t.Fatalf("String() %q, then %q", text, again)
		}
	})
}

// sameWeek compares weeks day by day, a nil day and an empty one alike.
func sameWeek(a, b Week) bool {
	for d := range a {
		if !sameSpans(a[d], b[d]) {
			return false
		}
	}
	return true
}

// FuzzParseClosures is FuzzParseWeek for closures.
func FuzzParseClosures(f *testing.F) {
	for _, s := range []string{
		"", "2026-12-25 holiday Noël | Christmas", "2026-12-24..2027-01-02 closure Fermeture des fêtes | Holiday closure",
		"2027-01-01 holiday  | ", "2026-12-25", "2026-02-30 holiday x", "2027-01-02..2026-12-24 closure x | y",
		" 2026-12-25..2026-12-25   holiday   Noël|Christmas ;", "2026-12-25 holiday a | b | c; 2026-12-26 closure",
		"0000-01-01 closure x", "9999-12-31 holiday x",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > MaxClosuresText+100 {
			return
		}
		cs, err := ParseClosures(s)
		if err != nil {
			if cs != nil {
				t.Fatalf("ParseClosures(%q) gave closures with its error %v", s, err)
			}
			return
		}
		if len(s) > MaxClosuresText || len(cs) > MaxClosures {
			t.Fatalf("ParseClosures read %d bytes into %d closures", len(s), len(cs))
		}
		if p := fieldProblems(Office{Closures: cs}, "closures"); len(p) > 0 {
			t.Fatalf("ParseClosures(%q) = %+v, which Validate refuses: %v", s, cs, p)
		}
		text := FormatClosures(cs)
		back, err := ParseClosures(text)
		if err != nil {
			t.Fatalf("ParseClosures(%q) = %+v; FormatClosures %q does not parse: %v", s, cs, text, err)
		}
		if len(back) != len(cs) || len(cs) > 0 && !reflect.DeepEqual(back, cs) {
			t.Fatalf("ParseClosures(%q) = %+v; FormatClosures %q parses to %+v", s, cs, text, back)
		}
		if again := FormatClosures(back); again != text {
			t.Fatalf("FormatClosures %q, then %q", text, again)
		}
	})
}

// fuzzZones change their clocks in every way: by an hour at 02:00 (US,
// EU), at midnight (Havana, Santiago), by half an hour (Lord Howe), by a
// whole day (Apia, 2011), or never (Tokyo, Dakar, Mexico City since 2022).
var fuzzZones = []string{"Asia/Tokyo", "Europe/Paris", "America/New_York", "America/Mexico_City", "Africa/Dakar",
	"America/Havana", "America/Santiago", "Australia/Lord_Howe", "Pacific/Apia"}

// FuzzStateAt checks StateAt on any valid week, in any of fuzzZones, at
// any instant from 2000 to 2060, with or without a closure near it: it
// never fails, Next is after now, the state holds until just before
// Next and changes at Next, and away from a change of the clocks Open
// is what the office's hours say of the local time.
func FuzzStateAt(f *testing.F) {
	for i, s := range weekSeeds {
		f.Add(s, int64(i)*86400*97+3600*int64(i), uint32(0), uint8(i), int8(i-5), uint8(i*3))
	}
	f.Add("sun 01:00-03:00", int64(826_264_800), uint32(0), uint8(2), int8(0), uint8(255))    // 2026-03-08 06:00Z, New York
	f.Add("sun 02:00-03:00", int64(846_201_600), uint32(0), uint8(1), int8(0), uint8(255))    // 2026-10-25 00:00Z, Paris
	f.Add("mon-sun 09:00-17:00", int64(378_504_000), uint32(1), uint8(8), int8(-1), uint8(2)) // 2011-12-29 20:00Z, Apia
	base := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	const span = 60 * 365 * 86400
	f.Fuzz(func(t *testing.T, hours string, sec int64, nsec uint32, zone uint8, closeFrom int8, closeDays uint8) {
		w, err := ParseWeek(hours)
		if err != nil {
			return
		}
		name := fuzzZones[int(zone)%len(fuzzZones)]
		now := base.Add(time.Duration((sec%span+span)%span)*time.Second + time.Duration(nsec%1e9))
		o := Office{Slug: "fuzz", TimeZone: name, Hours: w}
		if closeDays != 255 { // 255: no closure
			from := dayNumber(DateOf(now.In(mustZone(t, name)))) + int(closeFrom)%20
			o.Closures = []Closure{{From: dateOfDay(from), To: dateOfDay(from + int(closeDays)%40)}}
		}
		checkStateAt(t, o, now)
	})
}

// checkStateAt checks what FuzzStateAt says of o at now, and reports
// whether it could compare Open with the hours, away from a change of
// the clocks.
func checkStateAt(t *testing.T, o Office, now time.Time) (compared bool) {
	t.Helper()
	loc, err := LoadZone(o.TimeZone)
	if err != nil {
		t.Fatal(err)
	}
	name, w, hours := o.TimeZone, o.Hours, o.Hours.String()
	today := dayNumber(DateOf(now.In(loc)))
	s, err := o.StateAt(now)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range lang.All {
		if s.Summary(l, "Ville") == "" {
			t.Fatalf("no summary in %s", l)
		}
	}
	if !s.Next.IsZero() {
		if !s.Next.After(now) {
			t.Fatalf("%s %q at %v: Next %v is not after now", name, hours, now, s.Next)
		}
		before, _ := o.StateAt(s.Next.Add(-time.Nanosecond))
		at, _ := o.StateAt(s.Next)
		if before.Open != s.Open || at.Open == s.Open {
			t.Fatalf("%s %q at %v: open %v, Next %v; open %v just before Next, %v at Next",
				name, hours, now, s.Open, s.Next, before.Open, at.Open)
		}
	}
	// Away from a change of the clocks, a span is open from its first
	// minute to just before its last.
	local := now.In(loc)
	start, end := local.ZoneBounds()
	if now.Sub(start) < 48*time.Hour || !end.IsZero() && end.Sub(now) < 48*time.Hour {
		return false
	}
	closed := o.calendar().closed(today)
	m := time.Duration(local.Hour())*time.Hour + time.Duration(local.Minute())*time.Minute +
		time.Duration(local.Second())*time.Second + time.Duration(local.Nanosecond())
	want := false
	for _, sp := range w[local.Weekday()] {
		if !closed && time.Duration(sp.Open)*time.Minute <= m && m < time.Duration(sp.Close)*time.Minute {
			want = true
		}
	}
	if s.Open != want {
		t.Fatalf("%s %q at %v (closed day %v): Open = %v, the hours say %v", name, hours, local, closed, s.Open, want)
	}
	return true
}

// TestStateAtSweep runs FuzzStateAt's checks on a grid in plain go
// test: a few weeks, every zone, every 47 minutes across the days its
// clocks change in 2026 and across an ordinary week.
func TestStateAtSweep(t *testing.T) {
	weeks := []string{"mon-fri 09:00-12:00 13:30-17:00", "fri 20:00-24:00; sat 00:00-02:00", "sun 00:00-01:30 02:30-04:00",
		"mon-sun 00:00-24:00", "wed 22:00-24:00; thu 00:00-00:30"}
	checked, compared := 0, 0
	for _, name := range fuzzZones {
		loc := mustZone(t, name)
		from := []time.Time{time.Date(2026, 1, 12, 0, 0, 0, 0, time.UTC)}
		for t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, loc); len(from) < 3; {
			_, end := t0.ZoneBounds()
			if end.IsZero() || end.Year() > 2026 {
				break
			}
			from, t0 = append(from, end.Add(-2*24*time.Hour)), end
		}
		for i, hours := range weeks {
			o := testOffice(t, name, hours, "")
			if i%2 == 1 { // a closure across the days swept
				d := dayNumber(DateOf(from[len(from)-1].In(loc)))
				o.Closures = []Closure{{From: dateOfDay(d + 1), To: dateOfDay(d + 2)}}
			}
			for _, f := range from {
				for now := f; now.Before(f.Add(4 * 24 * time.Hour)); now = now.Add(47 * time.Minute) {
					if checkStateAt(t, o, now) {
						compared++
					}
					checked++
				}
			}
		}
	}
	if checked < 11000 || compared < 5000 {
		t.Fatalf("checked %d instants, compared %d with the hours", checked, compared)
	}
}
