package orgchart

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"portail/internal/lang"
	"portail/internal/office"
)

func TestValidPhone(t *testing.T) {
	for s, want := range map[string]bool{
		"418 649-2300": true, "+1 418 649-2300": true, "1 800 123-4567, poste 12": true,
		"(418) 649-2300": true, "418.649.2300": true, "+33 1 40 67 85 00": true, "418 649-2300 ext. 4": true,
		"": false, "649-230": false, "418 649-2300 poste": false, "téléphone": false, "418--649-2300": false,
		"+1 418 649-2300 x 1234567": false, "1234567890123456": false, "418 649-2300\n": false,
	} {
		if got := ValidPhone(s); got != want {
			t.Errorf("ValidPhone(%q) = %t", s, got)
		}
	}
}

func TestValidate(t *testing.T) {
	if err := everyField().Validate(); err != nil {
		t.Fatal(err)
	}
	// Only French is required; no head, acronym or contact.
	bare := Unit{ID: "a", Periods: []Period{{From: day("2024-01-01"), Kind: Team, Name: map[lang.Lang]string{lang.FR: "A"}}}}
	if err := bare.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		change func(*Unit)
		field  string
		key    string
	}{
		{"no ID", func(u *Unit) { u.ID = "" }, "id", "form.required"},
		{"ID with a capital", func(u *Unit) { u.ID = "Direction" }, "id", "form.key.invalid"},
		{"ID past its length", func(u *Unit) { u.ID = strings.Repeat("a", MaxID+1) }, "id", "form.key.invalid"},
		{"no period", func(u *Unit) { u.Periods = nil }, "periods", keyNoPeriod},
		{"too many periods", func(u *Unit) {
			u.Periods = nil
			for y := range MaxPeriods + 1 {
				u.Periods = append(u.Periods, per(fmt.Sprintf("%d-01-01", 1900+y), fmt.Sprintf("%d-01-01", 1901+y), "x"))
			}
		}, "periods", keyTooMany},
		{"no first day", func(u *Unit) { u.Periods[0].From = Date{} }, "periods.0.from", "form.required"},
		{"a day that does not exist", func(u *Unit) { u.Periods[0].From = Date{Year: 2023, Month: 2, Day: 29} }, "periods.0.from", keyDate},
		{"a year past 9999", func(u *Unit) { u.Periods[2].To = Date{Year: 10000, Month: 1, Day: 1} }, "periods.2.to", keyDate},
		{"ends on its first day", func(u *Unit) { u.Periods[0].To = u.Periods[0].From }, "periods.0.to", keyDates},
		{"ends before it begins", func(u *Unit) { u.Periods[1].To = day("2023-01-01") }, "periods.1.to", keyDates},
		{"overlaps the one before", func(u *Unit) { u.Periods[1].From = day("2023-12-31") }, "periods.1.from", keyOverlap},
		{"after an open one", func(u *Unit) { u.Periods[1].To = Date{} }, "periods.2.from", keyOverlap},
		{"out of order", func(u *Unit) { u.Periods[0], u.Periods[1] = u.Periods[1], u.Periods[0] }, "periods.1.from", keyOverlap},
		{"its own parent", func(u *Unit) { u.Periods[1].Parent = u.ID }, "periods.1.parent", keyCycle},
		{"a parent that is no ID", func(u *Unit) { u.Periods[1].Parent = "Secteur" }, "periods.1.parent", "form.key.invalid"},
		{"no kind", func(u *Unit) { u.Periods[2].Kind = "" }, "periods.2.kind", keyKind},
		{"unknown kind", func(u *Unit) { u.Periods[2].Kind = "division" }, "periods.2.kind", keyKind},
		{"no French name", func(u *Unit) { u.Periods[0].Name = bi(" ", "Directorate") }, "periods.0.name.fr", "form.required"},
		{"a name on two lines", func(u *Unit) { u.Periods[0].Name[lang.EN] = "North\nAmerica" }, "periods.0.name.en", keyOneLine},
		{"a name past its length", func(u *Unit) { u.Periods[0].Name[lang.FR] = strings.Repeat("é", 101) }, "periods.0.name.fr", "form.too_long"},
		{"not UTF-8", func(u *Unit) { u.Periods[1].Head.Name = "\xff" }, "periods.1.head.name", "form.text.invalid"},
		{"a NUL", func(u *Unit) { u.Periods[1].Head.Title[lang.EN] = "a\x00" }, "periods.1.head.title.en", "form.text.invalid"},
		{"acronym past its length", func(u *Unit) { u.Periods[0].Acronym = strings.Repeat("A", MaxAcronym+1) }, "periods.0.acronym", "form.too_long"},
		{"a phone with letters", func(u *Unit) { u.Periods[0].Phone = "418 ABC-DEFG" }, "periods.0.phone", keyPhone},
		{"an email with a name", func(u *Unit) { u.Periods[0].Email = "DAN <dan@example.org>" }, "periods.0.email", "form.email.invalid"},
		{"an email with no domain", func(u *Unit) { u.Periods[0].Email = "dan" }, "periods.0.email", "form.email.invalid"},
		{"a negative order", func(u *Unit) { u.Periods[0].Order = -1 }, "periods.0.order", keyOrder},
		{"an order past its bound", func(u *Unit) { u.Periods[0].Order = MaxOrder + 1 }, "periods.0.order", keyOrder},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u := everyField()
			tc.change(&u)
			err := u.Validate()
			wantProblems(t, err, map[string]string{tc.field: tc.key})
			// Every problem has an English message that is not the
			// fallback.
			if msg := explain(&u, tc.field, tc.key); strings.HasPrefix(msg, "is not valid (") {
				t.Errorf("no message for %s, %s", tc.field, tc.key)
			}
		})
	}
}

// ValidID is office.ValidSlug written out: the two agree.
func TestValidIDIsValidSlug(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	cases := []string{"", "a", "-", "a-", "-a", "a--b", "a-b", "é", "A", "a_b", "a b", strings.Repeat("a", MaxID), strings.Repeat("a", MaxID+1)}
	for range 20000 {
		b := make([]byte, r.IntN(MaxID+3))
		for i := range b {
			b[i] = "ab9-Z_"[r.IntN(6)]
		}
		cases = append(cases, string(b))
	}
	for _, s := range cases {
		if ValidID(s) != office.ValidSlug(s) {
			t.Errorf("ValidID(%q) = %t, office.ValidSlug %t", s, ValidID(s), office.ValidSlug(s))
		}
	}
}
