package storetest

import (
	"fmt"
	"reflect"
	"strconv"
	"sync"
	"testing"
	"time"

	"portail/internal/apperr"
	"portail/internal/audit"
	"portail/internal/change"
	"portail/internal/lang"
	"portail/internal/office"
	"portail/internal/orgchart"
	"portail/internal/store"
)

func orgUnitTests() []Test {
	return []Test{
		{"OrgUnitAddGetAndListByID", testOrgUnitAdd},
		{"OrgUnitRoundTripsEveryField", testOrgUnitRoundTrip},
		{"OrgUnitInvalidIsRefusedBeforeAnyWrite", testOrgUnitInvalid},
		{"OrgUnitChartRulesAreCheckedOnSave", testOrgUnitChartRules},
		{"OrgUnitAddingAnExistingIDConflicts", testOrgUnitDuplicate},
		{"OrgUnitSaveFromAStaleVersionConflicts", testOrgUnitStale},
		{"OrgUnitNotFoundKinds", testOrgUnitNotFound},
		{"OrgUnitChartIsBounded", testOrgUnitBounded},
		{"OrgUnitReplaceIsAllOrNothing", testOrgUnitReplaceAtomic},
		{"OrgUnitReplaceKeepsUnchangedUnits", testOrgUnitReplace},
		{"OrgUnitRacingCrossMovesAtMostOneCommits", testOrgUnitRaceCycle},
		{"OrgUnitRacingSavesFromOneVersionOneWins", testOrgUnitRaceSave},
	}
}

// orgDay reads "YYYY-MM-DD".
func orgDay(s string) orgchart.Date {
	d, ok := office.ParseDate(s)
	if !ok {
		panic("bad date " + s)
	}
	return d
}

// orgUnit returns a valid unit from 2000 on under parent, with every
// bilingual text in both languages, as the stores read them back.
func orgUnit(id, parent string, k orgchart.Kind) orgchart.Unit {
	return orgchart.Unit{ID: id, Periods: []orgchart.Period{{
		From: orgDay("2000-01-01"), Parent: parent, Kind: k,
		Name: bi("Unité "+id, ""), Head: orgchart.Head{Title: bi("", "")},
	}}}
}

// orgChart is a small chart: the minister's office, the deputy minister,
// two sectors and a directorate.
func orgChart() []orgchart.Unit {
	return []orgchart.Unit{
		orgUnit("cabinet", "", orgchart.MinisterOffice),
		orgUnit("sous-ministre", "cabinet", orgchart.DeputyMinister),
		orgUnit("secteur-a", "sous-ministre", orgchart.Sector),
		orgUnit("secteur-b", "sous-ministre", orgchart.Sector),
		orgUnit("direction-a", "secteur-a", orgchart.Directorate),
	}
}

// fullOrgUnit is a unit with every field set, in three periods: under
// secteur-a, moved under secteur-b with a new head, then renamed and
// closed.
func fullOrgUnit(id string) orgchart.Unit {
	p := orgchart.Period{
		From: orgDay("2019-04-01"), To: orgDay("2024-01-01"), Parent: "secteur-a", Kind: orgchart.Directorate,
		Name:    bi("Direction de l’Amérique « du Nord »", "North America <Directorate>"),
		Acronym: "DAN",
		Head:    orgchart.Head{Name: "Nom à confirmer / To be confirmed", Title: bi("Directrice ou directeur", "Director")},
		Phone:   "+1 418 649-2300, poste 12",
		Email:   "dan@example.org",
		Order:   40,
	}
	q := p
	q.From, q.To, q.Parent = orgDay("2024-01-01"), orgDay("2026-10-01"), "secteur-b"
	q.Head = orgchart.Head{Name: "A. Tremblay", Title: bi("Directrice", "")}
	r := q
	r.From, r.To = orgDay("2026-10-01"), orgDay("2031-01-01")
	r.Name, r.Acronym = bi("Direction des Amériques", ""), ""
	r.Kind, r.Order, r.Phone, r.Email = orgchart.Team, 10000, "", ""
	return orgchart.Unit{ID: id, Periods: []orgchart.Period{p, q, r}, Sample: true}
}

func mustReplaceOrgUnits(t *testing.T, s store.Store, units []orgchart.Unit) {
	t.Helper()
	if err := s.ReplaceOrgUnits(ctx, units, admin); err != nil {
		t.Fatalf("ReplaceOrgUnits: %v", err)
	}
}

func mustSaveOrgUnit(t *testing.T, s store.Store, u orgchart.Unit) orgchart.Unit {
	t.Helper()
	got, err := s.SaveOrgUnit(ctx, u, admin)
	if err != nil {
		t.Fatalf("SaveOrgUnit(%q, version %d): %v", u.ID, u.Version, err)
	}
	return got
}

func mustOrgUnit(t *testing.T, s store.Store, id string) orgchart.Unit {
	t.Helper()
	u, err := s.OrgUnit(ctx, id)
	if err != nil {
		t.Fatalf("OrgUnit(%q): %v", id, err)
	}
	return u
}

func mustOrgUnits(t *testing.T, s store.Store) []orgchart.Unit {
	t.Helper()
	units, err := s.OrgUnits(ctx)
	if err != nil {
		t.Fatalf("OrgUnits: %v", err)
	}
	return units
}

// wantOrgUnit checks that got is want, its update time to the instant.
func wantOrgUnit(t *testing.T, got, want orgchart.Unit) {
	t.Helper()
	if !got.Updated.Equal(want.Updated) {
		t.Fatalf("unit %q updated %v, want %v", got.ID, got.Updated, want.Updated)
	}
	got.Updated = want.Updated
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("unit read back differs:\n got %#v\nwant %#v", got, want)
	}
}

func unitIDs(units []orgchart.Unit) []string {
	out := make([]string, len(units))
	for i, u := range units {
		out[i] = u.ID
	}
	return out
}

// orgTrail returns the change records and the chart's audit entries
// written since the change before and the audit entry with ID after.
func orgTrail(t *testing.T, s store.Store, before change.Change, after int64) ([]change.Change, []audit.Entry) {
	t.Helper()
	var es []audit.Entry
	for _, a := range []audit.Action{audit.OrgUnitSave, audit.OrgUnitImport} {
		for _, e := range auditOf(t, s, a) {
			if e.ID > after {
				es = append(es, e)
			}
		}
	}
	return changesAfter(t, s, before), es
}

// wantOneOrgWrite checks that a write appended exactly one change record
// of the chart's topic with key, and one audit entry of action on key.
func wantOneOrgWrite(t *testing.T, s store.Store, before change.Change, after int64, key string, action audit.Action) audit.Entry {
	t.Helper()
	cs, es := orgTrail(t, s, before, after)
	if len(cs) != 1 || cs[0].Topic != change.OrgUnit || cs[0].Key != key {
		t.Fatalf("changes %+v, want one unit change of %q", cs, key)
	}
	if len(es) != 1 || es[0].Action != action || es[0].Target != key || es[0].Actor != admin.Actor || es[0].IP != admin.IP {
		t.Fatalf("audit %+v, want one %s of %q by %s", es, action, key, admin.Actor)
	}
	return es[0]
}

// wantNoOrgWrite checks that refused writes left no trace.
func wantNoOrgWrite(t *testing.T, s store.Store, before change.Change, after int64) {
	t.Helper()
	if cs, es := orgTrail(t, s, before, after); len(cs) != 0 || len(es) != 0 {
		t.Fatalf("refused writes appended changes %+v and audit entries %+v", cs, es)
	}
}

// wantProblemKey checks that err is of kind k with the problem field
// keyed key.
func wantProblemKey(t *testing.T, err error, k apperr.Kind, field, key string) {
	t.Helper()
	wantProblem(t, err, k, field)
	if got := apperr.ProblemsOf(err)[field]; got != key {
		t.Fatalf("problem %s: %q, want %q (%v)", field, got, key, err)
	}
}

func testOrgUnitAdd(t *testing.T, s store.Store, clock *Clock) {
	if units := mustOrgUnits(t, s); len(units) != 0 {
		t.Fatalf("a new store has units %v", unitIDs(units))
	}
	before, after := lastChange(t, s), lastAuditID(t, s)
	top := mustSaveOrgUnit(t, s, orgUnit("cabinet", "", orgchart.MinisterOffice))
	if top.Version != 1 || !top.Updated.Equal(clock.T) {
		t.Fatalf("added unit at version %d, updated %v; want 1, %v", top.Version, top.Updated, clock.T)
	}
	if e := wantOneOrgWrite(t, s, before, after, "cabinet", audit.OrgUnitSave); e.Detail != "version 1: Unité cabinet" {
		t.Errorf("audit detail %q", e.Detail)
	}
	clock.Advance(time.Minute)
	for _, u := range orgChart()[1:] {
		mustSaveOrgUnit(t, s, u)
	}
	wantOrgUnit(t, mustOrgUnit(t, s, "cabinet"), top)
	if got := unitIDs(mustOrgUnits(t, s)); fmt.Sprint(got) != "[cabinet direction-a secteur-a secteur-b sous-ministre]" {
		t.Fatalf("OrgUnits in order %v, want by ID", got)
	}
}

func testOrgUnitRoundTrip(t *testing.T, s store.Store, clock *Clock) {
	mustReplaceOrgUnits(t, s, orgChart())
	want := fullOrgUnit("direction-ameriques")
	saved := mustSaveOrgUnit(t, s, want)
	want.Version, want.Updated = 1, clock.T
	wantOrgUnit(t, saved, want)
	wantOrgUnit(t, mustOrgUnit(t, s, want.ID), want)
	wantOrgUnit(t, mustOrgUnits(t, s)[2], want) // after direction-a

	// A change to one bare period reads back without the others.
	clock.Advance(time.Hour)
	bare := orgUnit(want.ID, "secteur-b", orgchart.Team)
	bare.Version = 1
	saved = mustSaveOrgUnit(t, s, bare)
	bare.Version, bare.Updated = 2, clock.T
	wantOrgUnit(t, saved, bare)
	wantOrgUnit(t, mustOrgUnit(t, s, want.ID), bare)

	// And back to every field, through an operation of the staff side.
	clock.Advance(time.Hour)
	want = fullOrgUnit(want.ID)
	want.Version = 2
	mustSaveOrgUnit(t, s, want)
	moved, err := orgchart.Move(mustOrgUnit(t, s, want.ID), "secteur-a", orgDay("2028-01-01"))
	if err != nil {
		t.Fatal(err)
	}
	mustSaveOrgUnit(t, s, moved)
	moved.Version, moved.Updated = 4, clock.T
	wantOrgUnit(t, mustOrgUnit(t, s, want.ID), moved)
	if n := len(moved.Periods); n != 4 || moved.Periods[3].Parent != "secteur-a" {
		t.Fatalf("moved unit has periods %+v", moved.Periods)
	}
}

func testOrgUnitInvalid(t *testing.T, s store.Store, _ *Clock) {
	mustReplaceOrgUnits(t, s, orgChart())
	before, after := lastChange(t, s), lastAuditID(t, s)
	for _, tc := range []struct {
		name, field string
		edit        func(*orgchart.Unit)
	}{
		{"bad ID", "id", func(u *orgchart.Unit) { u.ID = "Pas Bon" }},
		{"no period", "periods", func(u *orgchart.Unit) { u.Periods = nil }},
		{"unknown kind", "periods.0.kind", func(u *orgchart.Unit) { u.Periods[0].Kind = "division" }},
		{"no French name", "periods.0.name.fr", func(u *orgchart.Unit) { u.Periods[0].Name = bi(" ", "Directorate") }},
		{"ends before it begins", "periods.0.to", func(u *orgchart.Unit) { u.Periods[0].To = orgDay("1999-01-01") }},
		{"a bad phone", "periods.0.phone", func(u *orgchart.Unit) { u.Periods[0].Phone = "téléphone" }},
		{"NUL in a head's title", "periods.0.head.title.en", func(u *orgchart.Unit) { u.Periods[0].Head.Title = bi("x", "a\x00b") }},
	} {
		for _, version := range []int{0, 1} {
			u := orgUnit("direction-b", "secteur-b", orgchart.Directorate)
			if version == 1 {
				u = mustOrgUnit(t, s, "direction-a")
			}
			tc.edit(&u)
			_, err := s.SaveOrgUnit(ctx, u, admin)
			if !errorsIsProblem(err, apperr.Invalid, tc.field) {
				t.Errorf("%s (version %d): %v, want Invalid on %s", tc.name, version, err, tc.field)
			}
		}
	}
	// Validation comes first, even for a unit that does not exist.
	bad := orgUnit("nowhere", "cabinet", "division")
	bad.Version = 4
	_, err := s.SaveOrgUnit(ctx, bad, admin)
	wantProblem(t, err, apperr.Invalid, "periods.0.kind")
	if got := mustOrgUnits(t, s); len(got) != 5 {
		t.Fatalf("units after refusals %v", unitIDs(got))
	}
	if u := mustOrgUnit(t, s, "direction-a"); u.Version != 1 {
		t.Fatalf("refused saves changed direction-a to version %d", u.Version)
	}
	wantNoOrgWrite(t, s, before, after)
}

// The rules of the whole chart are checked on every save: a move under
// the unit's own descendant, a parent that does not exist or not for the
// whole period, a second top, a closing that leaves units without their
// parent.
func testOrgUnitChartRules(t *testing.T, s store.Store, _ *Clock) {
	mustReplaceOrgUnits(t, s, orgChart())
	want := mustOrgUnits(t, s)
	before, after := lastChange(t, s), lastAuditID(t, s)
	on := orgDay("2026-04-01")
	edit := func(id string, op func(orgchart.Unit) (orgchart.Unit, error)) orgchart.Unit {
		t.Helper()
		u, err := op(mustOrgUnit(t, s, id))
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	for _, tc := range []struct {
		name       string
		u          orgchart.Unit
		field, key string
	}{
		{"under its own descendant", edit("secteur-a", func(u orgchart.Unit) (orgchart.Unit, error) { return orgchart.Move(u, "direction-a", on) }),
			"parent", "form.orgunit.cycle"},
		{"under a unit that does not exist", edit("direction-a", func(u orgchart.Unit) (orgchart.Unit, error) { return orgchart.Move(u, "secteur-z", on) }),
			"parent", "form.orgunit.parent_unknown"},
		{"a unit closed with one under it", edit("secteur-a", func(u orgchart.Unit) (orgchart.Unit, error) { return orgchart.Close(u, on) }),
			"periods", "form.orgunit.children"},
		{"a new unit before its parent", func() orgchart.Unit {
			u := orgUnit("direction-b", "secteur-b", orgchart.Directorate)
			u.Periods[0].From = orgDay("1999-01-01")
			return u
		}(), "parent", "form.orgunit.parent_absent"},
		{"a second top", orgUnit("autre-cabinet", "", orgchart.MinisterOffice), "parent", "form.orgunit.two_roots"},
	} {
		_, err := s.SaveOrgUnit(ctx, tc.u, admin)
		if !errorsIsProblem(err, apperr.Invalid, tc.field) || apperr.ProblemsOf(err)[tc.field] != tc.key {
			t.Errorf("%s: %v, want Invalid with %s: %s", tc.name, err, tc.field, tc.key)
		}
	}
	if got := mustOrgUnits(t, s); !reflect.DeepEqual(got, want) {
		t.Fatalf("refused saves changed the chart:\n got %+v\nwant %+v", got, want)
	}
	wantNoOrgWrite(t, s, before, after)
	// Moved away first, the directorate lets its sector close.
	mustSaveOrgUnit(t, s, edit("direction-a", func(u orgchart.Unit) (orgchart.Unit, error) { return orgchart.Move(u, "secteur-b", on) }))
	mustSaveOrgUnit(t, s, edit("secteur-a", func(u orgchart.Unit) (orgchart.Unit, error) { return orgchart.Close(u, on) }))
	if err := orgchart.Check(mustOrgUnits(t, s)); err != nil {
		t.Fatal(err)
	}
}

func testOrgUnitDuplicate(t *testing.T, s store.Store, _ *Clock) {
	mustReplaceOrgUnits(t, s, orgChart())
	first := mustOrgUnit(t, s, "secteur-a")
	before, after := lastChange(t, s), lastAuditID(t, s)
	other := orgUnit("secteur-a", "sous-ministre", orgchart.Sector)
	other.Periods[0].Name = bi("Autre", "Other")
	_, err := s.SaveOrgUnit(ctx, other, admin)
	wantProblemKey(t, err, apperr.Conflict, "id", "form.orgunit.duplicate")
	wantOrgUnit(t, mustOrgUnit(t, s, "secteur-a"), first)
	wantNoOrgWrite(t, s, before, after)
}

func testOrgUnitStale(t *testing.T, s store.Store, clock *Clock) {
	mustReplaceOrgUnits(t, s, orgChart())
	v1 := mustOrgUnit(t, s, "direction-a")
	// Two editors open version 1; the first saves.
	a, b := v1, v1
	a.Periods = []orgchart.Period{v1.Periods[0]}
	a.Periods[0].Phone = "418 649-2300"
	b.Periods = []orgchart.Period{v1.Periods[0]}
	b.Periods[0].Phone = "418 649-2301"
	clock.Advance(time.Minute)
	before, after := lastChange(t, s), lastAuditID(t, s)
	v2 := mustSaveOrgUnit(t, s, a)
	if v2.Version != 2 || !v2.Updated.Equal(clock.T) {
		t.Fatalf("saved at version %d, updated %v; want 2, %v", v2.Version, v2.Updated, clock.T)
	}
	if e := wantOneOrgWrite(t, s, before, after, "direction-a", audit.OrgUnitSave); e.Detail != "version 2: Unité direction-a" {
		t.Errorf("audit detail %q", e.Detail)
	}
	// The second is told, and the first's change stays.
	before, after = lastChange(t, s), lastAuditID(t, s)
	_, err := s.SaveOrgUnit(ctx, b, admin)
	wantProblemKey(t, err, apperr.Conflict, "version", "form.orgunit.stale")
	wantOrgUnit(t, mustOrgUnit(t, s, "direction-a"), v2)
	// A version ahead of the unit's is stale too.
	b.Version = 7
	_, err = s.SaveOrgUnit(ctx, b, admin)
	wantProblem(t, err, apperr.Conflict, "version")
	wantNoOrgWrite(t, s, before, after)
}

func testOrgUnitNotFound(t *testing.T, s store.Store, _ *Clock) {
	mustReplaceOrgUnits(t, s, orgChart())
	before, after := lastChange(t, s), lastAuditID(t, s)
	_, err := s.OrgUnit(ctx, "nope")
	wantKind(t, err, apperr.NotFound)
	u := orgUnit("nope", "cabinet", orgchart.Team)
	u.Version = 3
	_, err = s.SaveOrgUnit(ctx, u, admin)
	wantKind(t, err, apperr.NotFound)
	wantNoOrgWrite(t, s, before, after)
}

// manyOrgUnits returns a valid chart of n units: a top and n-1 teams
// under it.
func manyOrgUnits(n int) []orgchart.Unit {
	units := []orgchart.Unit{orgUnit("cabinet", "", orgchart.MinisterOffice)}
	for i := 1; i < n; i++ {
		units = append(units, orgUnit(fmt.Sprintf("u-%04d", i), "cabinet", orgchart.Team))
	}
	return units
}

func testOrgUnitBounded(t *testing.T, s store.Store, _ *Clock) {
	err := s.ReplaceOrgUnits(ctx, manyOrgUnits(orgchart.MaxUnits+1), admin)
	wantProblemKey(t, err, apperr.Invalid, "units", "form.orgunit.too_many")
	if n := len(mustOrgUnits(t, s)); n != 0 {
		t.Fatalf("a refused import left %d units", n)
	}
	mustReplaceOrgUnits(t, s, manyOrgUnits(orgchart.MaxUnits))
	before, after := lastChange(t, s), lastAuditID(t, s)
	_, err = s.SaveOrgUnit(ctx, orgUnit("one-too-many", "cabinet", orgchart.Team), admin)
	wantProblemKey(t, err, apperr.Invalid, "id", "form.orgunit.too_many")
	// A full chart still tells an existing ID as such, and its units
	// can still change.
	_, err = s.SaveOrgUnit(ctx, orgUnit("u-0001", "cabinet", orgchart.Team), admin)
	wantProblem(t, err, apperr.Conflict, "id")
	wantNoOrgWrite(t, s, before, after)
	u := mustOrgUnit(t, s, "u-0001")
	u.Periods[0].Order = 3
	mustSaveOrgUnit(t, s, u)
}

func testOrgUnitReplaceAtomic(t *testing.T, s store.Store, clock *Clock) {
	mustReplaceOrgUnits(t, s, append(orgChart(), fullOrgUnit("direction-ameriques")))
	want := mustOrgUnits(t, s)
	clock.Advance(time.Hour)
	before, after := lastChange(t, s), lastAuditID(t, s)

	// A unit that does not validate.
	bad := orgChart()
	bad[3].Periods[0].Kind = "division"
	err := s.ReplaceOrgUnits(ctx, bad, admin)
	wantProblemKey(t, err, apperr.Invalid, "units.3.periods.0.kind", "form.orgunit.kind")
	// A chart that does not hold: units valid each, but a parent that
	// does not exist, and an ID twice.
	bad = append(orgChart(), orgUnit("direction-b", "secteur-z", orgchart.Directorate))
	err = s.ReplaceOrgUnits(ctx, bad, admin)
	wantProblemKey(t, err, apperr.Invalid, "units.5.parent", "form.orgunit.parent_unknown")
	bad = append(orgChart(), orgUnit("secteur-a", "sous-ministre", orgchart.Sector))
	err = s.ReplaceOrgUnits(ctx, bad, admin)
	wantProblemKey(t, err, apperr.Invalid, "units.5.id", "form.orgunit.duplicate")
	// Two tops: each unit fine, the chart not.
	bad = orgChart()
	bad[1].Periods[0].Parent = ""
	err = s.ReplaceOrgUnits(ctx, bad, admin)
	wantProblemKey(t, err, apperr.Invalid, "units.1.parent", "form.orgunit.two_roots")
	if got := mustOrgUnits(t, s); !reflect.DeepEqual(got, want) {
		t.Fatalf("refused imports changed the chart:\n got %+v\nwant %+v", got, want)
	}
	wantNoOrgWrite(t, s, before, after)
}

func testOrgUnitReplace(t *testing.T, s store.Store, clock *Clock) {
	start := clock.T
	mustReplaceOrgUnits(t, s, append(orgChart(), fullOrgUnit("direction-ameriques")))
	if e := lastAudit(t, s, audit.OrgUnitImport); e.Detail != "6 added, 0 changed, 0 removed" {
		t.Errorf("first import detail %q", e.Detail)
	}
	full := mustOrgUnit(t, s, "direction-ameriques")
	clock.Advance(time.Hour)
	a := mustSaveOrgUnit(t, s, mustOrgUnit(t, s, "secteur-a")) // version 2
	clock.Advance(time.Hour)
	before, after := lastChange(t, s), lastAuditID(t, s)

	// The chart as it is (versions and times do not matter in an
	// import), secteur-a changed, direction-b new, direction-a gone.
	units := orgChart()[:4]
	units[2].Periods[0].Order = 5
	units = append(units, orgUnit("direction-b", "secteur-b", orgchart.Directorate), fullOrgUnit("direction-ameriques"))
	if err := s.ReplaceOrgUnits(ctx, units, admin); err != nil {
		t.Fatal(err)
	}
	e := wantOneOrgWrite(t, s, before, after, "*", audit.OrgUnitImport)
	if e.Detail != "1 added, 1 changed, 1 removed" {
		t.Errorf("import detail %q", e.Detail)
	}
	got := mustOrgUnits(t, s)
	if fmt.Sprint(unitIDs(got)) != "[cabinet direction-ameriques direction-b secteur-a secteur-b sous-ministre]" {
		t.Fatalf("units after import %v", unitIDs(got))
	}
	wantOrgUnit(t, got[1], full)
	if !full.Updated.Equal(start) {
		t.Fatalf("direction-ameriques updated %v, want %v", full.Updated, start)
	}
	changed := units[2]
	changed.Version, changed.Updated = a.Version+1, clock.T
	wantOrgUnit(t, got[3], changed)
	added := units[4]
	added.Version, added.Updated = 1, clock.T
	wantOrgUnit(t, got[2], added)

	// The same import again changes nothing but is recorded.
	clock.Advance(time.Hour)
	before, after = lastChange(t, s), lastAuditID(t, s)
	if err := s.ReplaceOrgUnits(ctx, units, admin); err != nil {
		t.Fatal(err)
	}
	if e := wantOneOrgWrite(t, s, before, after, "*", audit.OrgUnitImport); e.Detail != "0 added, 0 changed, 0 removed" {
		t.Errorf("import detail %q", e.Detail)
	}
	if again := mustOrgUnits(t, s); !reflect.DeepEqual(again, got) {
		t.Fatalf("an identical import changed the chart:\n got %+v\nwant %+v", again, got)
	}
	// An empty import empties the chart.
	mustReplaceOrgUnits(t, s, nil)
	if n := len(mustOrgUnits(t, s)); n != 0 {
		t.Fatalf("%d units after an empty import", n)
	}
}

// raceRounds is how many times the cross moves race.
const raceRounds = 10

// Two editors at once, one moving secteur-a under secteur-b, the other
// secteur-b under secteur-a: each is fine alone, together they make a
// cycle. At most one commits, the other is refused as a move under the
// unit's own descendant, and the chart holds after each round.
func testOrgUnitRaceCycle(t *testing.T, s store.Store, _ *Clock) {
	on := orgDay("2026-01-01")
	for round := range raceRounds {
		mustReplaceOrgUnits(t, s, orgChart())
		a, err := orgchart.Move(mustOrgUnit(t, s, "secteur-a"), "secteur-b", on)
		if err != nil {
			t.Fatal(err)
		}
		b, err := orgchart.Move(mustOrgUnit(t, s, "secteur-b"), "secteur-a", on)
		if err != nil {
			t.Fatal(err)
		}
		errs := make([]error, 2)
		var start, wg sync.WaitGroup
		start.Add(1)
		for i, u := range []orgchart.Unit{a, b} {
			wg.Go(func() {
				start.Wait()
				_, errs[i] = s.SaveOrgUnit(ctx, u, admin)
			})
		}
		start.Done()
		wg.Wait()
		won := 0
		for _, err := range errs {
			switch {
			case err == nil:
				won++
			case apperr.ProblemsOf(err)["parent"] != "form.orgunit.cycle":
				t.Fatalf("round %d: %v, want success or the problem parent: form.orgunit.cycle", round, err)
			}
		}
		if won != 1 {
			t.Fatalf("round %d: %d moves committed, want 1 (%v)", round, won, errs)
		}
		if err := orgchart.Check(mustOrgUnits(t, s)); err != nil {
			t.Fatalf("round %d: the chart after the race: %v", round, err)
		}
	}
}

// Editors who all opened version 1 save at once: one wins, the others
// are told, and the unit holds the winner's change.
func testOrgUnitRaceSave(t *testing.T, s store.Store, _ *Clock) {
	mustReplaceOrgUnits(t, s, orgChart())
	v1 := mustOrgUnit(t, s, "direction-a")
	saved := make([]orgchart.Unit, raceOffices)
	errs := race(raceOffices, func(i int) error {
		u := v1
		u.Periods = []orgchart.Period{v1.Periods[0]}
		u.Periods[0].Name = map[lang.Lang]string{lang.FR: "Direction " + strconv.Itoa(i), lang.EN: ""}
		var err error
		saved[i], err = s.SaveOrgUnit(ctx, u, admin)
		return err
	})
	if n := winners(t, errs); n != 1 {
		t.Fatalf("%d saves won, want 1", n)
	}
	for i, err := range errs {
		if err != nil {
			wantProblemKey(t, err, apperr.Conflict, "version", "form.orgunit.stale")
			continue
		}
		wantOrgUnit(t, mustOrgUnit(t, s, "direction-a"), saved[i])
	}
	if n := len(auditOf(t, s, audit.OrgUnitSave)); n != 1 {
		t.Fatalf("%d save audit entries, want 1 (the winner)", n)
	}
}
