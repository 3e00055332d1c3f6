package office

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite defaults.json in WriteJSON's form")

// TestDefaultsFileIsAsWritten keeps defaults.json exactly as WriteJSON
// writes it, so that an export of the untouched directory equals it and
// a diff of the two shows only staff changes.
func TestDefaultsFileIsAsWritten(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJSON(&b, Defaults()); err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile("defaults.json", b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(b.Bytes(), defaultsJSON) {
		t.Error("defaults.json is not in WriteJSON's form: go test -run TestDefaultsFileIsAsWritten -update ./internal/office/")
	}
}

func TestDefaults(t *testing.T) {
	offs := Defaults()
	if len(offs) < 30 {
		t.Errorf("%d offices, want at least 30", len(offs))
	}
	bySlug := map[string]Office{}
	countries := map[string]bool{}
	for _, o := range offs {
		if err := o.Validate(); err != nil {
			t.Errorf("%s: %v", o.Slug, err)
		}
		if _, ok := bySlug[o.Slug]; ok {
			t.Errorf("slug %q twice", o.Slug)
		}
		bySlug[o.Slug] = o
		countries[o.Country] = true
		// Offices in Canada belong to the SQRC, not the department (FACTS.md §5).
		if o.Country == "CA" {
			t.Errorf("%s is in Canada", o.Slug)
		}
		if madeUp(o) && !o.Sample {
			t.Errorf("%s has details the sources do not give but is not marked sample", o.Slug)
		}
		if !strings.HasSuffix(o.Email, "@example.org") && o.Email != "" {
			t.Errorf("%s: email %q is not a sample address", o.Slug, o.Email)
		}
		if o.Head.Name != "" && o.Head.Name != "Nom à confirmer / To be confirmed" {
			t.Errorf("%s: head %q is a person the sources do not name", o.Slug, o.Head.Name)
		}
	}
	if len(countries) < 18 {
		t.Errorf("%d countries, want at least 18", len(countries))
	}

	day := Date{2026, 6, 1}
	// The general delegations FACTS.md §5 confirms; the ninth is not found.
	for _, slug := range []string{"paris", "brussels", "london", "munich", "dakar", "mexico-city", "new-york", "tokyo"} {
		if o, ok := bySlug[slug]; !ok || o.TypeOn(day) != GeneralDelegation || o.StatusOn(day) != Open {
			t.Errorf("%s: not an open general delegation on %s", slug, day)
		}
	}
	for _, tc := range []struct {
		slug   string
		on     Date
		typ    Type
		status Status
	}{
		{"washington", Date{2024, 3, 21}, Bureau, Open},
		{"washington", day, Delegation, Open},
		{"seoul", day, Delegation, Open},
		{"singapore", day, Delegation, Open},
		{"miami", day, Delegation, Open},
		{"seattle", day, Delegation, Planned},
		{"hong-kong", Date{2024, 6, 1}, Bureau, Open},
		{"hong-kong", day, Bureau, Closed},
		{"havana", day, Bureau, Closed},
		{"philadelphia", day, TradeOffice, Open},
		{"francophonie", day, Multilateral, Open},
		{"unesco", day, Multilateral, Open},
	} {
		o := bySlug[tc.slug]
		if o.TypeOn(tc.on) != tc.typ || o.StatusOn(tc.on) != tc.status {
			t.Errorf("%s on %s: %s, %s; want %s, %s", tc.slug, tc.on, o.TypeOn(tc.on), o.StatusOn(tc.on), tc.typ, tc.status)
		}
	}
	for slug, covers := range map[string]string{"paris": "MC", "brussels": "NL LU", "mexico-city": "CU"} {
		if got := strings.Join(bySlug[slug].Covers, " "); got != covers {
			t.Errorf("%s covers %q, want %q", slug, got, covers)
		}
	}
	if !strings.Contains(bySlug["paris"].Address, "66, rue Pergolèse") || !strings.Contains(bySlug["london"].Address, "59 Pall Mall") {
		t.Error("Paris and London lost their addresses")
	}

	// The network by type on one day of 2026, for the reader of the log.
	count := map[Type]int{}
	status := map[Status]int{}
	for _, o := range offs {
		status[o.StatusOn(day)]++
		if o.StatusOn(day) == Open {
			count[o.TypeOn(day)]++
		}
	}
	var b strings.Builder
	for _, typ := range Types {
		fmt.Fprintf(&b, " %s %d,", typ, count[typ])
	}
	t.Logf("on %s: %d offices in %d countries; open:%s; planned %d, closed %d",
		day, len(offs), len(countries), strings.TrimSuffix(b.String(), ","), status[Planned], status[Closed])
}

// madeUp reports whether o holds details that the department's public
// sources do not give: phones, emails, hours, closures, a head, and
// addresses other than the two the sources give and the missions that
// host an office.
func madeUp(o Office) bool {
	var hours bool
	for _, d := range o.Hours {
		hours = hours || len(d) > 0
	}
	known := strings.HasPrefix(o.Address, "66, rue Pergolèse") || strings.HasPrefix(o.Address, "59 Pall Mall")
	return o.Phone != "" || o.Email != "" || o.Website != "" || hours || len(o.Closures) > 0 ||
		o.Head.Name != "" || (o.Address != "" && !known)
}

func TestDefaultsAreNewEachCall(t *testing.T) {
	a := Defaults()
	a[0].Name["fr"] = "changed"
	a[0].Covers[0] = "ZZ"
	if b := Defaults(); b[0].Name["fr"] == "changed" || b[0].Covers[0] == "ZZ" {
		t.Error("Defaults shares its maps or slices between calls")
	}
}
