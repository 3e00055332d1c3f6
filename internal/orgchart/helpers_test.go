package orgchart

import (
	"errors"
	"testing"

	"portail/internal/apperr"
	"portail/internal/lang"
	"portail/internal/office"
)

// day reads "YYYY-MM-DD", "" for the zero Date.
func day(s string) Date {
	d, ok := office.ParseDate(s)
	if !ok {
		panic("bad date " + s)
	}
	return d
}

func bi(fr, en string) map[lang.Lang]string { return map[lang.Lang]string{lang.FR: fr, lang.EN: en} }

// per is a directorate's period from from to to (YYYY-MM-DD, "" for
// none) under parent, named after the parent, with every bilingual text
// in both languages, as Read gives them.
func per(from, to, parent string) Period {
	return Period{From: day(from), To: day(to), Parent: parent, Kind: Directorate,
		Name: bi("Direction sous "+parent, ""), Head: Head{Title: bi("", "")}}
}

func unit(id string, ps ...Period) Unit { return Unit{ID: id, Periods: ps} }

// everyField is a unit with every field set and three periods: a move
// with a new head, then a rename.
func everyField() Unit {
	p := Period{
		From: day("2019-04-01"), To: day("2024-01-01"), Parent: "sous-ministre", Kind: Directorate,
		Name:    bi("Direction de l’Amérique du Nord « et » du Sud", "North and South America Directorate"),
		Acronym: "DAN",
		Head:    Head{Name: "Nom à confirmer / To be confirmed", Title: bi("Directrice ou directeur", "Director")},
		Phone:   "+1 418 649-2300, poste 12",
		Email:   "dan@example.org",
		Order:   40,
	}
	q := clonePeriod(p)
	q.From, q.To, q.Parent = day("2024-01-01"), day("2026-10-01"), "secteur-bilateral"
	q.Head.Name = "A. Tremblay"
	r := clonePeriod(q)
	r.From, r.To = day("2026-10-01"), Date{}
	r.Name = bi("Direction des Amériques", "")
	r.Kind, r.Order, r.Phone = Team, 0, ""
	return Unit{ID: "direction-ameriques", Periods: []Period{p, q, r}, Sample: true}
}

// chartOf returns a chart in which u passes Check: the parents it names,
// from 2000 on, under one top.
func chartOf(u Unit) []Unit {
	top := unit("top", Period{From: day("2000-01-01"), Kind: MinisterOffice, Name: bi("Cabinet", ""), Head: Head{Title: bi("", "")}})
	units := []Unit{top}
	seen := map[string]bool{"top": true, u.ID: true}
	for _, p := range u.Periods {
		if !seen[p.Parent] {
			seen[p.Parent] = true
			units = append(units, unit(p.Parent, per("2000-01-01", "", "top")))
		}
	}
	return append(units, u)
}

// wantProblems checks that err is Invalid with exactly the fields want,
// each with its key.
func wantProblems(t *testing.T, err error, want map[string]string) {
	t.Helper()
	if !errors.Is(err, apperr.Invalid) {
		t.Fatalf("err = %v, want Invalid", err)
	}
	got := apperr.ProblemsOf(err)
	if len(got) != len(want) {
		t.Errorf("problems %v, want %v", got, want)
	}
	for f, k := range want {
		if got[f] != k {
			t.Errorf("problem %s: %q, want %q (all: %v)", f, got[f], k, got)
		}
	}
}
