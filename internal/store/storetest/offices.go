package storetest

import (
	"fmt"
	"reflect"
	"strconv"
	"testing"
	"time"

	"portail/internal/apperr"
	"portail/internal/audit"
	"portail/internal/change"
	"portail/internal/lang"
	"portail/internal/office"
	"portail/internal/store"
)

func officeTests() []Test {
	return []Test{
		{"OfficeAddGetAndListBySlug", testOfficeAdd},
		{"OfficeRoundTripsEveryField", testOfficeRoundTrip},
		{"OfficeInvalidIsRefusedBeforeAnyWrite", testOfficeInvalid},
		{"OfficeAddingAnExistingSlugConflicts", testOfficeDuplicate},
		{"OfficeSaveFromAStaleVersionConflicts", testOfficeStale},
		{"OfficeDeleteChecksTheVersion", testOfficeDelete},
		{"OfficeNotFoundKinds", testOfficeNotFound},
		{"OfficeDirectoryIsBounded", testOfficeBounded},
		{"OfficeReplaceIsAllOrNothing", testOfficeReplaceAtomic},
		{"OfficeReplaceKeepsUnchangedOffices", testOfficeReplace},
		{"OfficeRacingSavesFromOneVersionOneWins", testOfficeRaceSave},
		{"OfficeRacingAdditionsOfOneSlugOneWins", testOfficeRaceAdd},
	}
}

// newOffice returns a valid office with only what Validate requires, and
// every bilingual text with both languages, as the stores read them back.
func newOffice(slug string) office.Office {
	return office.Office{
		Slug:     slug,
		Type:     office.Bureau,
		Name:     bi("Bureau du Québec à "+slug, "Québec Office in "+slug),
		City:     bi(slug, slug),
		Country:  "FR",
		Region:   office.Europe,
		TimeZone: "Europe/Paris",
		Head:     office.Head{Title: bi("", "")},
	}
}

// fullOffice returns an office with every field set: split days, closures
// of both kinds, services per clientele, covered countries, type changes,
// both dates, coordinates with decimals and a sign.
func fullOffice(slug string) office.Office {
	split := []office.Span{{Open: 9 * 60, Close: 12 * 60}, {Open: 13 * 60, Close: 17*60 + 30}}
	var week office.Week
	for d := time.Monday; d <= time.Thursday; d++ {
		week[d] = split
	}
	week[time.Friday] = []office.Span{{Open: 0, Close: 12 * 60}}
	week[time.Saturday] = []office.Span{{Open: 10 * 60, Close: 24 * 60}}
	return office.Office{
		Slug:      slug,
		Type:      office.Bureau,
		Changes:   []office.TypeChange{{On: office.Date{Year: 2024, Month: 6, Day: 1}, Type: office.Delegation}, {On: office.Date{Year: 2026, Month: 1, Day: 15}, Type: office.GeneralDelegation}},
		Opened:    office.Date{Year: 1973, Month: 5, Day: 3},
		Closed:    office.Date{Year: 2031, Month: 12, Day: 31},
		Name:      bi("Délégation générale du Québec à Mexico", "Québec Government Office in Mexico City"),
		City:      bi("Mexico", "Mexico City"),
		Country:   "MX",
		Region:    office.Americas,
		Address:   "Avenida Taine 411\nColonia Bosques de Chapultepec\n11580 Ciudad de México",
		Latitude:  19.432608,
		Longitude: -99.133209,
		TimeZone:  "America/Mexico_City",
		Phone:     "+52 55 1234 5678",
		Email:     "mexico@example.org",
		Website:   "https://www.quebec.ca/mexique?lang=fr&x=<1>",
		Head:      office.Head{Name: "Anne « Déléguée » Tremblay", Title: bi("Déléguée générale", "Delegate General")},
		Hours:     week,
		Closures: []office.Closure{
			{From: office.Date{Year: 2026, Month: 12, Day: 24}, To: office.Date{Year: 2027, Month: 1, Day: 2}, Reason: bi("Fermeture des fêtes", "Holiday closure")},
			{From: office.Date{Year: 2026, Month: 9, Day: 16}, To: office.Date{Year: 2026, Month: 9, Day: 16}, Holiday: true, Reason: bi("Jour de l’Indépendance", "")},
		},
		Covers: []string{"GT", "CR", "PA"},
		Services: map[office.Clientele]map[lang.Lang]string{
			office.Businesses: bi("Prospection, missions commerciales", "Market research, trade missions"),
			office.Culture:    bi("Diffusion des créateurs", "Showcasing creators"),
			office.Citizens:   bi("", "Help for Quebecers abroad \"in\" Mexico \u2028 and a tab\t"),
		},
		Sample: true,
	}
}

func mustSaveOffice(t *testing.T, s store.Store, o office.Office) office.Office {
	t.Helper()
	got, err := s.SaveOffice(ctx, o, admin)
	if err != nil {
		t.Fatalf("SaveOffice(%q, version %d): %v", o.Slug, o.Version, err)
	}
	return got
}

func mustOffice(t *testing.T, s store.Store, slug string) office.Office {
	t.Helper()
	o, err := s.Office(ctx, slug)
	if err != nil {
		t.Fatalf("Office(%q): %v", slug, err)
	}
	return o
}

func mustOffices(t *testing.T, s store.Store) []office.Office {
	t.Helper()
	offs, err := s.Offices(ctx)
	if err != nil {
		t.Fatalf("Offices: %v", err)
	}
	return offs
}

// wantOffice checks that got is want, its update time to the instant.
func wantOffice(t *testing.T, got, want office.Office) {
	t.Helper()
	if !got.Updated.Equal(want.Updated) {
		t.Fatalf("office %q updated %v, want %v", got.Slug, got.Updated, want.Updated)
	}
	got.Updated = want.Updated
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("office read back differs:\n got %#v\nwant %#v", got, want)
	}
}

func slugs(offs []office.Office) []string {
	out := make([]string, len(offs))
	for i, o := range offs {
		out[i] = o.Slug
	}
	return out
}

// officeTrail returns the change records and the office audit entries
// written since the change before and the audit entry with ID after.
func officeTrail(t *testing.T, s store.Store, before change.Change, after int64) ([]change.Change, []audit.Entry) {
	t.Helper()
	var es []audit.Entry
	for _, a := range []audit.Action{audit.OfficeSave, audit.OfficeDelete, audit.OfficeImport} {
		for _, e := range auditOf(t, s, a) {
			if e.ID > after {
				es = append(es, e)
			}
		}
	}
	return changesAfter(t, s, before), es
}

// lastAuditID returns the ID of the newest audit entry, 0 for none.
func lastAuditID(t *testing.T, s store.Store) int64 {
	t.Helper()
	es, err := s.AuditLog(ctx, audit.Filter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(es) == 0 {
		return 0
	}
	return es[0].ID
}

// wantOneWrite checks that a write appended exactly one change record of
// the office topic with key, and one audit entry of action on key.
func wantOneWrite(t *testing.T, s store.Store, before change.Change, after int64, key string, action audit.Action) audit.Entry {
	t.Helper()
	cs, es := officeTrail(t, s, before, after)
	if len(cs) != 1 || cs[0].Topic != change.Office || cs[0].Key != key {
		t.Fatalf("changes %+v, want one office change of %q", cs, key)
	}
	if len(es) != 1 || es[0].Action != action || es[0].Target != key || es[0].Actor != admin.Actor || es[0].IP != admin.IP {
		t.Fatalf("audit %+v, want one %s of %q by %s", es, action, key, admin.Actor)
	}
	return es[0]
}

// wantNoWrite checks that refused writes left no trace.
func wantNoWrite(t *testing.T, s store.Store, before change.Change, after int64) {
	t.Helper()
	if cs, es := officeTrail(t, s, before, after); len(cs) != 0 || len(es) != 0 {
		t.Fatalf("refused writes appended changes %+v and audit entries %+v", cs, es)
	}
}

func testOfficeAdd(t *testing.T, s store.Store, clock *Clock) {
	if offs := mustOffices(t, s); len(offs) != 0 {
		t.Fatalf("a new store has offices %v", slugs(offs))
	}
	before, after := lastChange(t, s), lastAuditID(t, s)
	tokyo := mustSaveOffice(t, s, newOffice("tokyo"))
	if tokyo.Version != 1 || !tokyo.Updated.Equal(clock.T) {
		t.Fatalf("added office at version %d, updated %v; want 1, %v", tokyo.Version, tokyo.Updated, clock.T)
	}
	e := wantOneWrite(t, s, before, after, "tokyo", audit.OfficeSave)
	if e.Detail == "" {
		t.Error("the audit entry says nothing of the office")
	}
	clock.Advance(time.Minute)
	for _, slug := range []string{"new-york", "paris", "bruxelles"} {
		mustSaveOffice(t, s, newOffice(slug))
	}
	wantOffice(t, mustOffice(t, s, "tokyo"), tokyo)
	if got := slugs(mustOffices(t, s)); fmt.Sprint(got) != "[bruxelles new-york paris tokyo]" {
		t.Fatalf("Offices in order %v, want by slug", got)
	}
}

func testOfficeRoundTrip(t *testing.T, s store.Store, clock *Clock) {
	want := fullOffice("mexico")
	saved := mustSaveOffice(t, s, want)
	want.Version, want.Updated = 1, clock.T
	wantOffice(t, saved, want)
	wantOffice(t, mustOffice(t, s, "mexico"), want)
	wantOffice(t, mustOffices(t, s)[0], want)

	// A change that empties the lists and dates reads back without them.
	clock.Advance(time.Hour)
	bare := newOffice("mexico")
	bare.Version = 1
	bare.Latitude, bare.Longitude = -33.8688, 151.2093
	saved = mustSaveOffice(t, s, bare)
	bare.Version, bare.Updated = 2, clock.T
	wantOffice(t, saved, bare)
	wantOffice(t, mustOffice(t, s, "mexico"), bare)

	// And back to every field, as an update this time.
	clock.Advance(time.Hour)
	want = fullOffice("mexico")
	want.Version = 2
	mustSaveOffice(t, s, want)
	want.Version, want.Updated = 3, clock.T
	wantOffice(t, mustOffice(t, s, "mexico"), want)
}

func testOfficeInvalid(t *testing.T, s store.Store, _ *Clock) {
	mustSaveOffice(t, s, newOffice("paris"))
	before, after := lastChange(t, s), lastAuditID(t, s)
	for _, tc := range []struct {
		name, field string
		edit        func(*office.Office)
	}{
		{"bad slug", "slug", func(o *office.Office) { o.Slug = "Pas Bon" }},
		{"unknown country", "country", func(o *office.Office) { o.Country = "XX" }},
		{"overlapping hours", "hours.1", func(o *office.Office) {
			o.Hours[time.Monday] = []office.Span{{Open: 540, Close: 720}, {Open: 700, Close: 800}}
		}},
		{"unknown zone", "timezone", func(o *office.Office) { o.TimeZone = "Mars/Olympus" }},
		{"no French name", "fr.name", func(o *office.Office) { o.Name = bi(" ", "Paris") }},
		{"NUL in a service", "services.culture.en", func(o *office.Office) {
			o.Services = map[office.Clientele]map[lang.Lang]string{office.Culture: bi("x", "a\x00b")}
		}},
	} {
		for _, version := range []int{0, 1} {
			o := newOffice("lyon")
			if version == 1 {
				o = mustOffice(t, s, "paris")
			}
			tc.edit(&o)
			_, err := s.SaveOffice(ctx, o, admin)
			if !errorsIsProblem(err, apperr.Invalid, tc.field) {
				t.Errorf("%s (version %d): %v, want Invalid on %s", tc.name, version, err, tc.field)
			}
		}
	}
	// Validation comes first, even for an office that does not exist.
	bad := newOffice("nowhere")
	bad.Version, bad.Country = 4, "XX"
	_, err := s.SaveOffice(ctx, bad, admin)
	wantProblem(t, err, apperr.Invalid, "country")
	if got := slugs(mustOffices(t, s)); fmt.Sprint(got) != "[paris]" {
		t.Fatalf("offices after refusals %v", got)
	}
	if o := mustOffice(t, s, "paris"); o.Version != 1 {
		t.Fatalf("refused saves changed paris to version %d", o.Version)
	}
	wantNoWrite(t, s, before, after)
}

func testOfficeDuplicate(t *testing.T, s store.Store, _ *Clock) {
	first := mustSaveOffice(t, s, newOffice("paris"))
	before, after := lastChange(t, s), lastAuditID(t, s)
	other := newOffice("paris")
	other.Name = bi("Autre", "Other")
	_, err := s.SaveOffice(ctx, other, admin)
	wantProblem(t, err, apperr.Conflict, "slug")
	wantOffice(t, mustOffice(t, s, "paris"), first)
	wantNoWrite(t, s, before, after)
}

func testOfficeStale(t *testing.T, s store.Store, clock *Clock) {
	v1 := mustSaveOffice(t, s, newOffice("paris"))
	// Two editors open version 1; the first saves.
	a, b := v1, v1
	a.Phone, b.Phone = "+33 1 00 00 00 01", "+33 1 00 00 00 02"
	clock.Advance(time.Minute)
	before, after := lastChange(t, s), lastAuditID(t, s)
	v2 := mustSaveOffice(t, s, a)
	if v2.Version != 2 || !v2.Updated.Equal(clock.T) {
		t.Fatalf("saved at version %d, updated %v; want 2, %v", v2.Version, v2.Updated, clock.T)
	}
	wantOneWrite(t, s, before, after, "paris", audit.OfficeSave)
	// The second is told, and the first's change stays.
	before, after = lastChange(t, s), lastAuditID(t, s)
	_, err := s.SaveOffice(ctx, b, admin)
	wantProblem(t, err, apperr.Conflict, "version")
	if key := apperr.ProblemsOf(err)["version"]; key != "form.office.stale" {
		t.Fatalf("problem %q, want form.office.stale", key)
	}
	wantOffice(t, mustOffice(t, s, "paris"), v2)
	wantNoWrite(t, s, before, after)
	// A version ahead of the office's is stale too.
	b.Version = 7
	_, err = s.SaveOffice(ctx, b, admin)
	wantProblem(t, err, apperr.Conflict, "version")
}

func testOfficeDelete(t *testing.T, s store.Store, _ *Clock) {
	v1 := mustSaveOffice(t, s, newOffice("paris"))
	mustSaveOffice(t, s, newOffice("rome"))
	v2 := mustSaveOffice(t, s, v1)
	before, after := lastChange(t, s), lastAuditID(t, s)
	err := s.DeleteOffice(ctx, "paris", v1.Version, admin)
	wantProblem(t, err, apperr.Conflict, "version")
	wantOffice(t, mustOffice(t, s, "paris"), v2)
	wantNoWrite(t, s, before, after)
	if err := s.DeleteOffice(ctx, "paris", v2.Version, admin); err != nil {
		t.Fatal(err)
	}
	wantOneWrite(t, s, before, after, "paris", audit.OfficeDelete)
	_, err = s.Office(ctx, "paris")
	wantKind(t, err, apperr.NotFound)
	if got := slugs(mustOffices(t, s)); fmt.Sprint(got) != "[rome]" {
		t.Fatalf("offices after delete %v", got)
	}
	// The slug is free again, from version 0.
	if again := mustSaveOffice(t, s, newOffice("paris")); again.Version != 1 {
		t.Fatalf("added again at version %d", again.Version)
	}
}

func testOfficeNotFound(t *testing.T, s store.Store, _ *Clock) {
	before, after := lastChange(t, s), lastAuditID(t, s)
	_, err := s.Office(ctx, "nope")
	wantKind(t, err, apperr.NotFound)
	o := newOffice("nope")
	o.Version = 3
	_, err = s.SaveOffice(ctx, o, admin)
	wantKind(t, err, apperr.NotFound)
	wantKind(t, s.DeleteOffice(ctx, "nope", 1, admin), apperr.NotFound)
	wantNoWrite(t, s, before, after)
}

// manyOffices returns n valid offices o-0000, o-0001, …
func manyOffices(n int) []office.Office {
	offs := make([]office.Office, n)
	for i := range offs {
		offs[i] = newOffice(fmt.Sprintf("o-%04d", i))
	}
	return offs
}

func testOfficeBounded(t *testing.T, s store.Store, _ *Clock) {
	err := s.ReplaceOffices(ctx, manyOffices(office.MaxOffices+1), admin)
	wantProblem(t, err, apperr.Invalid, "offices")
	if n := len(mustOffices(t, s)); n != 0 {
		t.Fatalf("a refused import left %d offices", n)
	}
	if err := s.ReplaceOffices(ctx, manyOffices(office.MaxOffices), admin); err != nil {
		t.Fatal(err)
	}
	before, after := lastChange(t, s), lastAuditID(t, s)
	_, err = s.SaveOffice(ctx, newOffice("one-too-many"), admin)
	wantProblem(t, err, apperr.Invalid, "slug")
	if key := apperr.ProblemsOf(err)["slug"]; key != "form.office.too_many" {
		t.Fatalf("problem %q, want form.office.too_many", key)
	}
	// A full directory still tells an existing slug as such, and its
	// offices can still change.
	_, err = s.SaveOffice(ctx, newOffice("o-0001"), admin)
	wantProblem(t, err, apperr.Conflict, "slug")
	wantNoWrite(t, s, before, after)
	mustSaveOffice(t, s, mustOffice(t, s, "o-0001"))
}

func testOfficeReplaceAtomic(t *testing.T, s store.Store, clock *Clock) {
	mustSaveOffice(t, s, fullOffice("mexico"))
	mustSaveOffice(t, s, newOffice("paris"))
	want := mustOffices(t, s)
	clock.Advance(time.Hour)
	before, after := lastChange(t, s), lastAuditID(t, s)

	bad := newOffice("rome")
	bad.Country = "XX"
	err := s.ReplaceOffices(ctx, []office.Office{newOffice("berlin"), fullOffice("mexico"), bad, newOffice("tokyo")}, admin)
	wantProblem(t, err, apperr.Invalid, "offices.2.country")
	if p := apperr.ProblemsOf(err); len(p) != 1 {
		t.Fatalf("problems %v, want only the bad office's", p)
	}
	err = s.ReplaceOffices(ctx, []office.Office{newOffice("berlin"), newOffice("paris"), newOffice("tokyo"), newOffice("paris")}, admin)
	wantProblem(t, err, apperr.Invalid, "offices.3.slug")
	if key := apperr.ProblemsOf(err)["offices.3.slug"]; key != "form.office.duplicate" {
		t.Fatalf("problem %q, want form.office.duplicate", key)
	}
	if got := mustOffices(t, s); !reflect.DeepEqual(got, want) {
		t.Fatalf("refused imports changed the directory:\n got %+v\nwant %+v", got, want)
	}
	wantNoWrite(t, s, before, after)
}

func testOfficeReplace(t *testing.T, s store.Store, clock *Clock) {
	start := clock.T
	mexico := mustSaveOffice(t, s, fullOffice("mexico"))
	paris := mustSaveOffice(t, s, newOffice("paris"))
	mustSaveOffice(t, s, newOffice("rome"))
	clock.Advance(time.Hour)
	paris = mustSaveOffice(t, s, paris) // version 2
	clock.Advance(time.Hour)
	before, after := lastChange(t, s), lastAuditID(t, s)

	// mexico as it is (its version and time do not matter in an import),
	// paris changed, tokyo new, rome gone.
	same := fullOffice("mexico")
	changed := newOffice("paris")
	changed.Phone = "+33 1 00 00 00 00"
	err := s.ReplaceOffices(ctx, []office.Office{newOffice("tokyo"), same, changed}, admin)
	if err != nil {
		t.Fatal(err)
	}
	e := wantOneWrite(t, s, before, after, "*", audit.OfficeImport)
	if e.Detail != "1 added, 1 changed, 1 removed" {
		t.Errorf("import detail %q", e.Detail)
	}
	got := mustOffices(t, s)
	if fmt.Sprint(slugs(got)) != "[mexico paris tokyo]" {
		t.Fatalf("offices after import %v", slugs(got))
	}
	wantOffice(t, got[0], mexico)
	if !mexico.Updated.Equal(start) {
		t.Fatalf("mexico updated %v, want %v", mexico.Updated, start)
	}
	changed.Version, changed.Updated = paris.Version+1, clock.T
	wantOffice(t, got[1], changed)
	tokyo := newOffice("tokyo")
	tokyo.Version, tokyo.Updated = 1, clock.T
	wantOffice(t, got[2], tokyo)

	// The same import again changes nothing but is recorded.
	clock.Advance(time.Hour)
	before, after = lastChange(t, s), lastAuditID(t, s)
	if err := s.ReplaceOffices(ctx, []office.Office{newOffice("tokyo"), same, changed}, admin); err != nil {
		t.Fatal(err)
	}
	if e := wantOneWrite(t, s, before, after, "*", audit.OfficeImport); e.Detail != "0 added, 0 changed, 0 removed" {
		t.Errorf("import detail %q", e.Detail)
	}
	if again := mustOffices(t, s); !reflect.DeepEqual(again, got) {
		t.Fatalf("an identical import changed the directory:\n got %+v\nwant %+v", again, got)
	}

	// An empty import empties the directory.
	if err := s.ReplaceOffices(ctx, nil, admin); err != nil {
		t.Fatal(err)
	}
	if n := len(mustOffices(t, s)); n != 0 {
		t.Fatalf("%d offices after an empty import", n)
	}
}

// raceOffices is how many requests race in the tests of the versioned
// documents (offices, units, policy documents): each a serializable
// transaction that PostgreSQL may retry.
const raceOffices = 8

// Editors who all opened version 1 save at once: one wins, the others
// are told, and the office holds the winner's change.
func testOfficeRaceSave(t *testing.T, s store.Store, _ *Clock) {
	v1 := mustSaveOffice(t, s, newOffice("paris"))
	saved := make([]office.Office, raceOffices)
	errs := race(raceOffices, func(i int) error {
		o := v1
		o.Phone = "+33 1 00 00 00 " + strconv.Itoa(10+i)
		var err error
		saved[i], err = s.SaveOffice(ctx, o, admin)
		return err
	})
	if n := winners(t, errs); n != 1 {
		t.Fatalf("%d saves won, want 1", n)
	}
	for i, err := range errs {
		if err != nil {
			wantProblem(t, err, apperr.Conflict, "version")
			continue
		}
		wantOffice(t, mustOffice(t, s, "paris"), saved[i])
	}
	if n := len(auditOf(t, s, audit.OfficeSave)); n != 2 {
		t.Fatalf("%d save audit entries, want 2 (the addition and the winner)", n)
	}
}

func testOfficeRaceAdd(t *testing.T, s store.Store, _ *Clock) {
	errs := race(raceOffices, func(i int) error {
		o := newOffice("paris")
		o.Phone = strconv.Itoa(i)
		_, err := s.SaveOffice(ctx, o, admin)
		return err
	})
	if n := winners(t, errs); n != 1 {
		t.Fatalf("%d additions won, want 1", n)
	}
	for _, err := range errs {
		if err != nil {
			wantProblem(t, err, apperr.Conflict, "slug")
		}
	}
	if o := mustOffice(t, s, "paris"); o.Version != 1 {
		t.Fatalf("paris at version %d, want 1", o.Version)
	}
	if n := len(auditOf(t, s, audit.OfficeSave)); n != 1 {
		t.Fatalf("%d save audit entries, want 1", n)
	}
}
