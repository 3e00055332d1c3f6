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
	"portail/internal/policy"
	"portail/internal/store"
)

func policyTests() []Test {
	return []Test{
		{"PolicyAddGetAndListByLaunch", testPolicyAdd},
		{"PolicyRoundTripsEveryField", testPolicyRoundTrip},
		{"PolicyInvalidIsRefusedBeforeAnyWrite", testPolicyInvalid},
		{"PolicyAddingAnExistingIDConflicts", testPolicyDuplicate},
		{"PolicySaveFromAStaleVersionConflicts", testPolicyStale},
		{"PolicyDeleteChecksTheVersion", testPolicyDelete},
		{"PolicyNotFoundKinds", testPolicyNotFound},
		{"PolicyDocumentsAreBounded", testPolicyBounded},
		{"PolicyRacingSavesFromOneVersionOneWins", testPolicyRaceSave},
	}
}

// newPolicy returns a valid document with only what Validate requires,
// every bilingual text with both languages, as the stores read them back.
func newPolicy(id string, kind policy.Kind, launched policy.Date) policy.Document {
	return policy.Document{
		ID: id, Kind: kind, Launched: launched,
		Title: bi("Document "+id, "Document "+id), Summary: bi("", ""), Budget: bi("", ""),
	}
}

func day(y int, m time.Month, d int) policy.Date { return policy.Date{Year: y, Month: m, Day: d} }

// fullPolicy returns a document with every field set: nested thrusts,
// objectives and measures, a thrust with no objective and an objective
// with no measure, texts with quotes, markup and a line separator.
func fullPolicy(id string) policy.Document {
	return policy.Document{
		ID:       id,
		Kind:     policy.Policy,
		Title:    bi("Le Québec dans le monde : s’investir, agir, prospérer", "Québec on the world stage"),
		Summary:  bi("Issue d’une « vaste » consultation.", "A <broad> consultation \u2028 and a tab\t"),
		Launched: day(2017, 4, 11),
		FromYear: 2017,
		ToYear:   2027,
		Budget:   bi("100 M$ sur cinq ans", "$100 million over five years"),
		URL:      "https://www.quebec.ca/politique?x=<1>&y=2",
		Thrusts: []policy.Thrust{
			{ID: "prosperite", Title: bi("Rendre le Québec plus prospère", "Build a more prosperous Québec"), Text: bi("Texte", ""),
				Objectives: []policy.Objective{
					{ID: "mobilite", Text: bi("Mobilité et jeunesse", "Mobility and youth"), Measures: []policy.Measure{
						{ID: "mobilite-internationale", Text: bi("Favoriser la mobilité", "Foster mobility")},
						{ID: "education", Text: bi("Promouvoir l’éducation", "Promote education")},
					}},
					{ID: "commerce", Text: bi("Relations commerciales", "Trade relations")},
				}},
			{ID: "monde", Title: bi("Un monde plus durable", "A more sustainable world"), Text: bi("", "")},
		},
	}
}

func mustSavePolicy(t *testing.T, s store.Store, d policy.Document) policy.Document {
	t.Helper()
	got, err := s.SavePolicy(ctx, d, admin)
	if err != nil {
		t.Fatalf("SavePolicy(%q, version %d): %v", d.ID, d.Version, err)
	}
	return got
}

func mustPolicy(t *testing.T, s store.Store, id string) policy.Document {
	t.Helper()
	d, err := s.Policy(ctx, id)
	if err != nil {
		t.Fatalf("Policy(%q): %v", id, err)
	}
	return d
}

func mustPolicies(t *testing.T, s store.Store) []policy.Document {
	t.Helper()
	docs, err := s.Policies(ctx)
	if err != nil {
		t.Fatalf("Policies: %v", err)
	}
	return docs
}

// wantPolicy checks that got is want, its update time to the instant.
func wantPolicy(t *testing.T, got, want policy.Document) {
	t.Helper()
	if !got.Updated.Equal(want.Updated) {
		t.Fatalf("policy %q updated %v, want %v", got.ID, got.Updated, want.Updated)
	}
	got.Updated = want.Updated
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("policy read back differs:\n got %#v\nwant %#v", got, want)
	}
}

func policyIDs(docs []policy.Document) string {
	out := make([]string, len(docs))
	for i, d := range docs {
		out[i] = d.ID
	}
	return fmt.Sprint(out)
}

// policyTrail returns the change records and the policy audit entries
// written since the change before and the audit entry with ID after.
func policyTrail(t *testing.T, s store.Store, before change.Change, after int64) ([]change.Change, []audit.Entry) {
	t.Helper()
	var es []audit.Entry
	for _, a := range []audit.Action{audit.PolicySave, audit.PolicyDelete} {
		for _, e := range auditOf(t, s, a) {
			if e.ID > after {
				es = append(es, e)
			}
		}
	}
	return changesAfter(t, s, before), es
}

// wantOnePolicyWrite checks that a write appended exactly one change
// record of the policy topic with id, and one audit entry of action on it.
func wantOnePolicyWrite(t *testing.T, s store.Store, before change.Change, after int64, id string, action audit.Action) audit.Entry {
	t.Helper()
	cs, es := policyTrail(t, s, before, after)
	if len(cs) != 1 || cs[0].Topic != change.Policy || cs[0].Key != id {
		t.Fatalf("changes %+v, want one policy change of %q", cs, id)
	}
	if len(es) != 1 || es[0].Action != action || es[0].Target != id || es[0].Actor != admin.Actor || es[0].IP != admin.IP {
		t.Fatalf("audit %+v, want one %s of %q by %s", es, action, id, admin.Actor)
	}
	return es[0]
}

// wantNoPolicyWrite checks that refused writes left no trace.
func wantNoPolicyWrite(t *testing.T, s store.Store, before change.Change, after int64) {
	t.Helper()
	if cs, es := policyTrail(t, s, before, after); len(cs) != 0 || len(es) != 0 {
		t.Fatalf("refused writes appended changes %+v and audit entries %+v", cs, es)
	}
}

func testPolicyAdd(t *testing.T, s store.Store, clock *Clock) {
	if docs := mustPolicies(t, s); len(docs) != 0 {
		t.Fatalf("a new store has documents %s", policyIDs(docs))
	}
	before, after := lastChange(t, s), lastAuditID(t, s)
	vision := mustSavePolicy(t, s, newPolicy("vision-2019", policy.Update, day(2019, 11, 29)))
	if vision.Version != 1 || !vision.Updated.Equal(clock.T) {
		t.Fatalf("added document at version %d, updated %v; want 1, %v", vision.Version, vision.Updated, clock.T)
	}
	if e := wantOnePolicyWrite(t, s, before, after, "vision-2019", audit.PolicySave); e.Detail == "" {
		t.Error("the audit entry says nothing of the document")
	}
	clock.Advance(time.Minute)
	// Listed by launch date, then ID, whatever the order of saving.
	mustSavePolicy(t, s, newPolicy("politique-2017", policy.Policy, day(2017, 4, 11)))
	mustSavePolicy(t, s, newPolicy("b-2017", policy.Update, day(2017, 4, 11)))
	mustSavePolicy(t, s, newPolicy("politique-2006", policy.Policy, day(2006, 5, 24)))
	wantPolicy(t, mustPolicy(t, s, "vision-2019"), vision)
	if got := policyIDs(mustPolicies(t, s)); got != "[politique-2006 b-2017 politique-2017 vision-2019]" {
		t.Fatalf("Policies in order %s, want by launch date then ID", got)
	}
}

func testPolicyRoundTrip(t *testing.T, s store.Store, clock *Clock) {
	want := fullPolicy("politique-2017")
	saved := mustSavePolicy(t, s, want)
	want.Version, want.Updated = 1, clock.T
	wantPolicy(t, saved, want)
	wantPolicy(t, mustPolicy(t, s, want.ID), want)
	wantPolicy(t, mustPolicies(t, s)[0], want)

	// A change that empties the thrusts and the optional fields reads
	// back without them.
	clock.Advance(time.Hour)
	bare := newPolicy(want.ID, policy.Update, day(2019, 11, 29))
	bare.Version = 1
	saved = mustSavePolicy(t, s, bare)
	bare.Version, bare.Updated = 2, clock.T
	wantPolicy(t, saved, bare)
	wantPolicy(t, mustPolicy(t, s, want.ID), bare)

	// And back to every field.
	clock.Advance(time.Hour)
	want = fullPolicy(want.ID)
	want.Version = 2
	mustSavePolicy(t, s, want)
	want.Version, want.Updated = 3, clock.T
	wantPolicy(t, mustPolicy(t, s, want.ID), want)
}

func testPolicyInvalid(t *testing.T, s store.Store, _ *Clock) {
	mustSavePolicy(t, s, fullPolicy("politique-2017"))
	before, after := lastChange(t, s), lastAuditID(t, s)
	for _, tc := range []struct {
		name, field string
		edit        func(*policy.Document)
	}{
		{"bad ID", "id", func(d *policy.Document) { d.ID = "Politique 2017" }},
		{"no launch date", "launched", func(d *policy.Document) { d.Launched = policy.Date{} }},
		{"years reversed", "to_year", func(d *policy.Document) { d.FromYear, d.ToYear = 2027, 2017 }},
		{"http URL", "url", func(d *policy.Document) { d.URL = "http://www.quebec.ca/" }},
		{"measure ID twice", "thrusts.0.objectives.0.measures.1.id", func(d *policy.Document) {
			d.Thrusts[0].Objectives[0].Measures[1].ID = "mobilite-internationale"
		}},
		{"no English objective", "thrusts.0.objectives.1.text.en", func(d *policy.Document) {
			d.Thrusts[0].Objectives[1].Text = bi("Relations commerciales", " ")
		}},
		{"NUL in a summary", "summary.en", func(d *policy.Document) { d.Summary = bi("x", "a\x00b") }},
	} {
		for _, version := range []int{0, 1} {
			d := fullPolicy("vision-2019")
			if version == 1 {
				d = mustPolicy(t, s, "politique-2017")
			}
			tc.edit(&d)
			_, err := s.SavePolicy(ctx, d, admin)
			if !errorsIsProblem(err, apperr.Invalid, tc.field) {
				t.Errorf("%s (version %d): %v, want Invalid on %s", tc.name, version, err, tc.field)
			}
		}
	}
	// Validation comes first, even for a document that does not exist.
	bad := fullPolicy("nowhere")
	bad.Version, bad.URL = 4, "ftp://example.org"
	_, err := s.SavePolicy(ctx, bad, admin)
	wantProblem(t, err, apperr.Invalid, "url")
	if got := policyIDs(mustPolicies(t, s)); got != "[politique-2017]" {
		t.Fatalf("documents after refusals %s", got)
	}
	if d := mustPolicy(t, s, "politique-2017"); d.Version != 1 {
		t.Fatalf("refused saves changed the document to version %d", d.Version)
	}
	wantNoPolicyWrite(t, s, before, after)
}

func testPolicyDuplicate(t *testing.T, s store.Store, _ *Clock) {
	first := mustSavePolicy(t, s, fullPolicy("politique-2017"))
	before, after := lastChange(t, s), lastAuditID(t, s)
	other := newPolicy("politique-2017", policy.Update, day(2019, 11, 29))
	_, err := s.SavePolicy(ctx, other, admin)
	wantProblem(t, err, apperr.Conflict, "id")
	if key := apperr.ProblemsOf(err)["id"]; key != "form.policy.duplicate" {
		t.Fatalf("problem %q, want form.policy.duplicate", key)
	}
	wantPolicy(t, mustPolicy(t, s, "politique-2017"), first)
	wantNoPolicyWrite(t, s, before, after)
}

func testPolicyStale(t *testing.T, s store.Store, clock *Clock) {
	v1 := mustSavePolicy(t, s, fullPolicy("politique-2017"))
	// Two editors open version 1; the first saves.
	a, b := v1, v1
	a.Budget, b.Budget = bi("A", "A"), bi("B", "B")
	clock.Advance(time.Minute)
	before, after := lastChange(t, s), lastAuditID(t, s)
	v2 := mustSavePolicy(t, s, a)
	if v2.Version != 2 || !v2.Updated.Equal(clock.T) {
		t.Fatalf("saved at version %d, updated %v; want 2, %v", v2.Version, v2.Updated, clock.T)
	}
	wantOnePolicyWrite(t, s, before, after, "politique-2017", audit.PolicySave)
	// The second is told, and the first's change stays.
	before, after = lastChange(t, s), lastAuditID(t, s)
	_, err := s.SavePolicy(ctx, b, admin)
	wantProblem(t, err, apperr.Conflict, "version")
	if key := apperr.ProblemsOf(err)["version"]; key != "form.policy.stale" {
		t.Fatalf("problem %q, want form.policy.stale", key)
	}
	wantPolicy(t, mustPolicy(t, s, "politique-2017"), v2)
	wantNoPolicyWrite(t, s, before, after)
	// A version ahead of the document's is stale too.
	b.Version = 7
	_, err = s.SavePolicy(ctx, b, admin)
	wantProblem(t, err, apperr.Conflict, "version")
}

func testPolicyDelete(t *testing.T, s store.Store, _ *Clock) {
	v1 := mustSavePolicy(t, s, fullPolicy("politique-2017"))
	mustSavePolicy(t, s, newPolicy("vision-2019", policy.Update, day(2019, 11, 29)))
	v2 := mustSavePolicy(t, s, v1)
	before, after := lastChange(t, s), lastAuditID(t, s)
	err := s.DeletePolicy(ctx, "politique-2017", v1.Version, admin)
	wantProblem(t, err, apperr.Conflict, "version")
	if key := apperr.ProblemsOf(err)["version"]; key != "form.policy.stale" {
		t.Fatalf("problem %q, want form.policy.stale", key)
	}
	wantPolicy(t, mustPolicy(t, s, "politique-2017"), v2)
	wantNoPolicyWrite(t, s, before, after)
	if err := s.DeletePolicy(ctx, "politique-2017", v2.Version, admin); err != nil {
		t.Fatal(err)
	}
	wantOnePolicyWrite(t, s, before, after, "politique-2017", audit.PolicyDelete)
	_, err = s.Policy(ctx, "politique-2017")
	wantKind(t, err, apperr.NotFound)
	if got := policyIDs(mustPolicies(t, s)); got != "[vision-2019]" {
		t.Fatalf("documents after delete %s", got)
	}
	// The ID is free again, from version 0.
	if again := mustSavePolicy(t, s, fullPolicy("politique-2017")); again.Version != 1 {
		t.Fatalf("added again at version %d", again.Version)
	}
}

func testPolicyNotFound(t *testing.T, s store.Store, _ *Clock) {
	before, after := lastChange(t, s), lastAuditID(t, s)
	_, err := s.Policy(ctx, "nope")
	wantKind(t, err, apperr.NotFound)
	d := fullPolicy("nope")
	d.Version = 3
	_, err = s.SavePolicy(ctx, d, admin)
	wantKind(t, err, apperr.NotFound)
	wantKind(t, s.DeletePolicy(ctx, "nope", 1, admin), apperr.NotFound)
	wantNoPolicyWrite(t, s, before, after)
}

func testPolicyBounded(t *testing.T, s store.Store, _ *Clock) {
	for i := range policy.MaxDocuments {
		mustSavePolicy(t, s, newPolicy("d-"+strconv.Itoa(i), policy.Update, day(2000+i%50, 1, 1)))
	}
	before, after := lastChange(t, s), lastAuditID(t, s)
	_, err := s.SavePolicy(ctx, newPolicy("one-too-many", policy.Policy, day(2030, 1, 1)), admin)
	wantProblem(t, err, apperr.Invalid, "id")
	if key := apperr.ProblemsOf(err)["id"]; key != "form.policy.too_many" {
		t.Fatalf("problem %q, want form.policy.too_many", key)
	}
	// A full store still tells an existing ID as such, and its documents
	// can still change.
	_, err = s.SavePolicy(ctx, newPolicy("d-1", policy.Policy, day(2030, 1, 1)), admin)
	wantProblem(t, err, apperr.Conflict, "id")
	wantNoPolicyWrite(t, s, before, after)
	mustSavePolicy(t, s, mustPolicy(t, s, "d-1"))
}

// Editors who all opened version 1 save at once: one wins, the others
// are told, and the document holds the winner's change.
func testPolicyRaceSave(t *testing.T, s store.Store, _ *Clock) {
	v1 := mustSavePolicy(t, s, fullPolicy("politique-2017"))
	saved := make([]policy.Document, raceOffices)
	errs := race(raceOffices, func(i int) error {
		d := v1
		d.Budget = bi("Budget "+strconv.Itoa(i), "Budget "+strconv.Itoa(i))
		var err error
		saved[i], err = s.SavePolicy(ctx, d, admin)
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
		wantPolicy(t, mustPolicy(t, s, "politique-2017"), saved[i])
	}
	if n := len(auditOf(t, s, audit.PolicySave)); n != 2 {
		t.Fatalf("%d save audit entries, want 2 (the addition and the winner)", n)
	}
	if d := mustPolicy(t, s, "politique-2017"); d.Version != 2 || d.Budget[lang.FR] == fullPolicy("x").Budget[lang.FR] {
		t.Fatalf("after the race: version %d, budget %q", d.Version, d.Budget[lang.FR])
	}
}
