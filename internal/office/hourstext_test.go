package office

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"portail/internal/lang"
)

func TestParseWeek(t *testing.T) {
	w, err := ParseWeek("mon-fri 09:00-12:00 13:00-17:00; sat 10:00-14:00; sun closed")
	if err != nil {
		t.Fatal(err)
	}
	split := []Span{{9 * 60, 12 * 60}, {13 * 60, 17 * 60}}
	want := Week{
		time.Monday: split, time.Tuesday: split, time.Wednesday: split, time.Thursday: split, time.Friday: split,
		time.Saturday: {{10 * 60, 14 * 60}},
	}
	if !reflect.DeepEqual(w, want) {
		t.Fatalf("ParseWeek = %v, want %v", w, want)
	}
}

func TestWeekRoundTrip(t *testing.T) {
	cases := []string{
		"",
		"mon-fri 09:00-17:00",
		"mon-fri 09:00-12:00 13:00-17:00; sat 10:00-14:00",
		"mon 09:00-17:00; wed 09:00-17:00; fri 09:00-17:00",
		"mon-sun 00:00-24:00",
		"fri 20:00-24:00; sat 00:00-02:00",
		"mon 00:00-00:01 06:00-07:00 12:00-13:00 23:59-24:00",
		"sun 10:00-12:00",
	}
	for _, s := range cases {
		w, err := ParseWeek(s)
		if err != nil {
			t.Errorf("ParseWeek(%q): %v", s, err)
			continue
		}
		if got := w.String(); got != s {
			t.Errorf("ParseWeek(%q).String() = %q", s, got)
		}
	}
	// Other spellings of the same week are written one way.
	same := map[string]string{
		"mon 09:00-17:00; tue 09:00-17:00":              "mon-tue 09:00-17:00",
		"  sat 10:00-14:00 ;; mon-fri   09:00-17:00 ; ": "mon-fri 09:00-17:00; sat 10:00-14:00",
		"mon-fri 09:00-17:00; sun closed":               "mon-fri 09:00-17:00",
		"sun closed":                                    "",
		"mon\t09:00-17:00":                              "mon 09:00-17:00",
	}
	for in, want := range same {
		w, err := ParseWeek(in)
		if err != nil {
			t.Errorf("ParseWeek(%q): %v", in, err)
			continue
		}
		if got := w.String(); got != want {
			t.Errorf("ParseWeek(%q).String() = %q, want %q", in, got, want)
		}
	}
}

// Each error names what is wrong, so that the form can show it.
func TestParseWeekErrors(t *testing.T) {
	cases := []struct{ name, in, says string }{
		{"bad day", "lun 09:00-17:00", `"lun" is not a day`},
		{"day in capitals", "Mon 09:00-17:00", `"Mon" is not a day`},
		{"reversed range of days", "fri-mon 09:00-17:00", `"fri-mon" is not a range of days`},
		{"range to nowhere", "mon- 09:00-17:00", `"mon-" is not a range of days`},
		{"clock without leading zero", "mon 9:00-17:00", `"9:00-17:00" is not a span`},
		{"clock past 24:00", "mon 09:00-24:30", `"09:00-24:30" is not a span`},
		{"minutes past 59", "mon 09:60-17:00", `"09:60-17:00" is not a span`},
		{"signed clock", "mon +9:00-17:00", `"+9:00-17:00" is not a span`},
		{"reversed span", "mon 17:00-09:00", `"17:00-09:00" is not a span`},
		{"empty span", "mon 09:00-09:00", `"09:00-09:00" is not a span`},
		{"span without its end", "mon 09:00", `"09:00" is not a span`},
		{"overlapping spans", "mon 09:00-13:00 12:00-17:00", "must be in order, not overlap"},
		{"touching spans", "mon 09:00-12:00 12:00-17:00", "must be in order, not overlap"},
		{"spans out of order", "mon 13:00-17:00 09:00-12:00", "must be in order, not overlap"},
		{"more than MaxSpans", "mon 01:00-02:00 03:00-04:00 05:00-06:00 07:00-08:00 09:00-10:00", "at most 4 a day"},
		{"day named twice", "mon-fri 09:00-17:00; wed 10:00-12:00", "wed is named twice"},
		{"missing hours", "mon-fri", `"mon-fri": give the hours`},
		{"closed with hours", "mon closed 09:00-17:00", `"closed" is not a span`},
		{"too long", strings.Repeat("mon 09:00-17:00; ", 40), "longer than 500 bytes"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w, err := ParseWeek(c.in)
			if err == nil {
				t.Fatalf("ParseWeek(%q) = %v, want an error", c.in, w)
			}
			if !strings.HasPrefix(err.Error(), "hours: ") || !strings.Contains(err.Error(), c.says) {
				t.Errorf("ParseWeek(%q): %q, want it to say %q", c.in, err, c.says)
			}
			if !reflect.DeepEqual(w, Week{}) {
				t.Errorf("ParseWeek(%q) returned hours with its error: %v", c.in, w)
			}
		})
	}
}

func TestClosuresRoundTrip(t *testing.T) {
	in := "2026-12-25 holiday Noël | Christmas; 2026-12-24..2027-01-02 closure Fermeture des fêtes | Holiday closure; 2027-01-01 holiday  | "
	cs, err := ParseClosures(in)
	if err != nil {
		t.Fatal(err)
	}
	d := func(s string) Date { v, _ := ParseDate(s); return v }
	want := []Closure{
		{From: d("2026-12-25"), To: d("2026-12-25"), Holiday: true, Reason: map[lang.Lang]string{lang.FR: "Noël", lang.EN: "Christmas"}},
		{From: d("2026-12-24"), To: d("2027-01-02"), Reason: map[lang.Lang]string{lang.FR: "Fermeture des fêtes", lang.EN: "Holiday closure"}},
		{From: d("2027-01-01"), To: d("2027-01-01"), Holiday: true, Reason: map[lang.Lang]string{lang.FR: "", lang.EN: ""}},
	}
	if !reflect.DeepEqual(cs, want) {
		t.Fatalf("ParseClosures = %+v\nwant %+v", cs, want)
	}
	if got := FormatClosures(cs); got != in {
		t.Errorf("FormatClosures = %q\nwant %q", got, in)
	}
	for _, c := range cs {
		o := Office{Closures: []Closure{c}}
		if err := o.Validate(); err != nil && strings.Contains(err.Error(), "closures") {
			t.Errorf("%+v does not validate: %v", c, err)
		}
	}
	// Spacing and a range of one day are written one way.
	cs, err = ParseClosures(" 2026-12-25..2026-12-25   holiday   Noël|Christmas ;")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := FormatClosures(cs), "2026-12-25 holiday Noël | Christmas"; got != want {
		t.Errorf("FormatClosures = %q, want %q", got, want)
	}
	if cs, err := ParseClosures(""); err != nil || cs != nil {
		t.Errorf("ParseClosures(\"\") = %v, %v", cs, err)
	}
	if FormatClosures(nil) != "" {
		t.Error("FormatClosures(nil) is not empty")
	}
}

func TestParseClosuresErrors(t *testing.T) {
	cases := []struct{ name, in, says string }{
		{"not a date", "Noël holiday Noël | Christmas", "give a day"},
		{"impossible date", "2026-02-30 holiday x | x", "give a day"},
		{"reversed range", "2027-01-02..2026-12-24 closure x | x", "give a day"},
		{"open range", "2026-12-24.. closure x | x", "give a day"},
		{"date without zeros", "2026-1-5 closure x | x", "give a day"},
		{"no kind", "2026-12-25", `say "holiday" or "closure"`},
		{"bad kind", "2026-12-25 vacances x | x", `say "holiday" or "closure"`},
		{"reason too long", "2026-12-25 holiday " + strings.Repeat("é", MaxName/2+1) + " | Christmas", "a reason must be text of at most 200 bytes"},
		{"reason with a NUL", "2026-12-25 holiday Noël | Christ\x00mas", "a reason must be text"},
		{"reason not UTF-8", "2026-12-25 holiday No\xebl | Christmas", "a reason must be text"},
		{"more than MaxClosures", strings.Repeat("2026-12-25 holiday x | x; ", MaxClosures+1), "more than 200"},
		{"too long", strings.Repeat("x", MaxClosuresText+1), "longer than 20000 bytes"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cs, err := ParseClosures(c.in)
			if err == nil {
				t.Fatalf("ParseClosures(%q) = %v, want an error", c.in, cs)
			}
			if !strings.HasPrefix(err.Error(), "closures: ") || !strings.Contains(err.Error(), c.says) {
				t.Errorf("ParseClosures: %q, want it to say %q", err, c.says)
			}
			if cs != nil {
				t.Errorf("ParseClosures returned closures with its error: %v", cs)
			}
		})
	}
	// A reason of MaxName bytes is allowed.
	if _, err := ParseClosures("2026-12-25 holiday " + strings.Repeat("é", MaxName/2) + " | Christmas"); err != nil {
		t.Errorf("a reason of %d bytes: %v", MaxName, err)
	}
	// MaxClosures itself is allowed.
	if cs, err := ParseClosures(strings.Repeat("2026-12-25 holiday x | x; ", MaxClosures)); err != nil || len(cs) != MaxClosures {
		t.Errorf("ParseClosures of %d: %d, %v", MaxClosures, len(cs), err)
	}
}
