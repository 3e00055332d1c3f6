package store

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"portail/internal/apperr"
	"portail/internal/office"
	"portail/internal/orgchart"
)

// docUnit has every field of a unit set, in two periods.
func docUnit() orgchart.Unit {
	return orgchart.Unit{
		ID: "direction-communications",
		Periods: []orgchart.Period{{
			From: office.Date{Year: 2024, Month: 1, Day: 1}, To: office.Date{Year: 2026, Month: 4, Day: 1},
			Parent: "equipes-sous-ministre", Kind: orgchart.Directorate,
			Name: bi("Direction des communications", "Communications Directorate"), Acronym: "DC",
			Head:  orgchart.Head{Name: "A", Title: bi("Directrice", "")},
			Phone: "418 649-2300", Email: "communication@mri.gouv.qc.ca", Order: 30,
		}, {
			From:   office.Date{Year: 2026, Month: 4, Day: 1},
			Parent: "sous-ministre", Kind: orgchart.Team,
			Name: bi("Communications <&>", ""), Head: orgchart.Head{Title: bi("", "")},
		}},
		Sample:  true,
		Version: 3,
		Updated: time.Date(2026, 3, 2, 14, 30, 0, 0, time.UTC),
	}
}

// The stored form is a contract with the databases that hold it: a change
// of it must be a new document version, not an accident.
const unitDocGolden = `{"periods":[` +
	`{"acronym":"DC","email":"communication@mri.gouv.qc.ca","from":"2024-01-01",` +
	`"head":{"name":"A","title":{"en":"","fr":"Directrice"}},"kind":"directorate",` +
	`"name":{"en":"Communications Directorate","fr":"Direction des communications"},` +
	`"order":30,"parent":"equipes-sous-ministre","phone":"418 649-2300","to":"2026-04-01"},` +
	`{"acronym":"","email":"","from":"2026-04-01","head":{"name":"","title":{"en":"","fr":""}},"kind":"team",` +
	`"name":{"en":"","fr":"Communications \u003c\u0026\u003e"},"order":0,"parent":"sous-ministre","phone":"","to":""}],` +
	`"sample":true,"v":1}`

func TestOrgUnitDocIsStable(t *testing.T) {
	u := docUnit()
	b, err := EncodeOrgUnitDoc(u)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != unitDocGolden {
		t.Fatalf("document\n%s\nwant\n%s", b, unitDocGolden)
	}
	got := orgchart.Unit{ID: u.ID, Version: u.Version, Updated: u.Updated}
	if err := DecodeOrgUnitDoc(b, &got); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, u) {
		t.Fatalf("read back\n%#v\nwant\n%#v", got, u)
	}
	// What PostgreSQL's jsonb gives back reads the same.
	jsonb := strings.NewReplacer(`\u003c`, "<", `\u0026`, "&", `\u003e`, ">", `,"`, `, "`, `":`, `": `).Replace(string(b))
	if c, err := CanonicalJSON([]byte(jsonb)); err != nil || string(c) != string(b) {
		t.Fatalf("canonical form\n%s\nwant\n%s (%v)", c, b, err)
	}
}

func TestDecodeOrgUnitDocRefuses(t *testing.T) {
	for name, doc := range map[string]string{
		"later version": strings.Replace(unitDocGolden, `"v":1`, `"v":2`, 1),
		"no version":    `{"periods":[]}`,
		"bad date":      strings.Replace(unitDocGolden, `"2024-01-01"`, `"2024-13-01"`, 1),
		"not JSON":      `{"v":1,`,
	} {
		var u orgchart.Unit
		if err := DecodeOrgUnitDoc([]byte(doc), &u); err == nil {
			t.Errorf("%s: decoded %+v", name, u)
		}
	}
}

func TestCheckOrgUnitSave(t *testing.T) {
	top := orgchart.Unit{ID: "top", Version: 1, Periods: []orgchart.Period{{From: office.Date{Year: 2000, Month: 1, Day: 1}, Kind: orgchart.MinisterOffice, Name: bi("Cabinet", "")}}}
	a := orgchart.Unit{ID: "a", Version: 2, Periods: []orgchart.Period{{From: office.Date{Year: 2000, Month: 1, Day: 1}, Parent: "top", Kind: orgchart.Sector, Name: bi("A", "")}}}
	b := orgchart.Unit{ID: "b", Periods: []orgchart.Period{{From: office.Date{Year: 2000, Month: 1, Day: 1}, Parent: "a", Kind: orgchart.Team, Name: bi("B", "")}}}
	held := []orgchart.Unit{a, top}
	if err := CheckOrgUnitSave(held, b); err != nil {
		t.Fatalf("adding b: %v", err)
	}
	for _, tc := range []struct {
		name  string
		u     orgchart.Unit
		kind  apperr.Kind
		field string
	}{
		{"adding an ID that exists", func() orgchart.Unit { u := a; u.Version = 0; return u }(), apperr.Conflict, "id"},
		{"changing one that does not", func() orgchart.Unit { u := b; u.Version = 1; return u }(), apperr.NotFound, ""},
		{"from an old version", func() orgchart.Unit { u := a; u.Version = 1; return u }(), apperr.Conflict, "version"},
		{"under a unit that does not exist", func() orgchart.Unit {
			u := b
			u.Periods = []orgchart.Period{u.Periods[0]}
			u.Periods[0].Parent = "c"
			return u
		}(), apperr.Invalid, "parent"},
	} {
		err := CheckOrgUnitSave(held, tc.u)
		if !errors.Is(err, tc.kind) || (tc.field != "" && apperr.ProblemsOf(err)[tc.field] == "") {
			t.Errorf("%s: %v, want %v on %q", tc.name, err, tc.kind, tc.field)
		}
	}
	if held[0].Version != 2 || held[1].ID != "top" {
		t.Error("CheckOrgUnitSave changed the chart it was given")
	}
}
