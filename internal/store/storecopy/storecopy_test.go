package storecopy_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"portail/internal/audit"
	"portail/internal/auth"
	"portail/internal/content"
	"portail/internal/lang"
	"portail/internal/media"
	"portail/internal/office"
	"portail/internal/orgchart"
	"portail/internal/policy"
	"portail/internal/seed"
	"portail/internal/store"
	"portail/internal/store/postgres"
	"portail/internal/store/postgres/pgtest"
	"portail/internal/store/sqlite"
	"portail/internal/store/storecopy"
)

var server *pgtest.Server

func TestMain(m *testing.M) {
	server = pgtest.New(func(ctx context.Context, url string) error {
		db, err := postgres.Open(ctx, url)
		if err != nil {
			return err
		}
		return db.Close()
	})
	code := m.Run()
	server.Stop()
	os.Exit(code)
}

var ctx = context.Background()

// clock is the stores' clock, to the microsecond as PostgreSQL keeps it,
// so that what a round trip returns compares equal through the store API.
func clock() time.Time { return time.Now().Truncate(time.Microsecond) }

// populate fills a new SQLite store with the seed content and one of each
// other kind of row, and returns its path.
func populate(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "source.db")
	db, err := sqlite.Open(ctx, path, sqlite.WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if n, err := seed.Load(ctx, db); err != nil || n == 0 {
		t.Fatalf("seed.Load = %d, %v", n, err)
	}
	by := audit.Origin{Actor: "adm@example.org", IP: "192.0.2.1"}
	u, err := db.CreateUser(ctx, auth.User{Email: "ed@example.org", Name: "Édith", Role: auth.Editor, Lang: lang.EN, MustChangePassword: true, PasswordHash: "$argon2id$x"}, by)
	if err != nil {
		t.Fatal(err)
	}
	_, sess := auth.NewSession(u.ID, clock())
	if err := db.CreateSession(ctx, sess, by); err != nil {
		t.Fatal(err)
	}
	f, ok := media.New("rapport.pdf", []byte("%PDF-1.4\n\x00\xff binaire"))
	if !ok {
		t.Fatal("media.New refused a PDF")
	}
	f, err = db.SaveMedia(ctx, f, by)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.PublishMedia(ctx, f.ID, by); err != nil {
		t.Fatal(err)
	}
	pages, err := db.ListPages(ctx)
	if err != nil || len(pages) == 0 {
		t.Fatalf("ListPages = %d, %v", len(pages), err)
	}
	key := pages[0].Key
	tr, err := db.Translation(ctx, key, lang.FR)
	if err != nil {
		t.Fatal(err)
	}
	r, err := db.SaveRevision(ctx, content.Revision{PageKey: key, Lang: lang.FR, Path: tr.Path, Title: "Prochaine version", Body: "Texte à venir", Author: u.Email, State: content.Review})
	if err != nil {
		t.Fatal(err)
	}
	approver := content.Actor{Name: "rev@example.org", Approve: true}
	if _, err := store.Step(ctx, db, approver, r.ID, content.Request{Action: content.ActSchedule, At: clock().Add(48 * time.Hour)}, audit.Origin{Actor: approver.Name}); err != nil {
		t.Fatal(err)
	}
	if err := db.SetReviewBy(ctx, key, time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	if _, err := db.AppendAudit(ctx, audit.Entry{Time: clock(), Actor: "x@example.org", Action: audit.LoginFailed, IP: "198.51.100.7", Detail: "« guillemets »"}); err != nil {
		t.Fatal(err)
	}
	// Sign-in attempts: one failure, one settled, then refusals once the
	// limit is reached.
	limits := auth.Limits{Window: time.Hour, PerPair: 2, PerAddress: 2, PerAccount: 2}
	limited := audit.Entry{Actor: "x@example.org", Action: audit.LoginLimited, IP: "198.51.100.7"}
	for i := range 4 {
		id, ok, err := db.BeginAttempt(ctx, "x@example.org", "198.51.100.7", limits, limited)
		if err != nil {
			t.Fatal(err)
		}
		if ok && i == 0 {
			if err := db.EndAttempt(ctx, id, false, audit.Entry{Actor: "x@example.org", Action: audit.LoginFailed, IP: "198.51.100.7"}); err != nil {
				t.Fatal(err)
			}
		}
	}
	// An office with nested data, and one changed since it was added,
	// beside the default network that the seed loaded.
	split := []office.Span{{Open: 9 * 60, Close: 12 * 60}, {Open: 13 * 60, Close: 17 * 60}}
	kyoto := office.Office{
		Slug: "kyoto", Type: office.Bureau, Country: "JP", Region: office.AsiaPacific, TimeZone: "Asia/Tokyo",
		Changes:  []office.TypeChange{{On: office.Date{Year: 2024, Month: 6, Day: 1}, Type: office.Delegation}},
		Opened:   office.Date{Year: 1973, Month: 5, Day: 3},
		Name:     map[lang.Lang]string{lang.FR: "Délégation du Québec à Kyoto", lang.EN: "Québec Delegation in Kyoto"},
		City:     map[lang.Lang]string{lang.FR: "Kyoto", lang.EN: "Kyoto"},
		Address:  "Akasaka « 3-4-5 »\nMinato-ku",
		Latitude: 35.6762, Longitude: 139.6503,
		Head:     office.Head{Name: "A. Tremblay", Title: map[lang.Lang]string{lang.FR: "Déléguée", lang.EN: "Delegate"}},
		Hours:    office.Week{time.Monday: split, time.Friday: split},
		Closures: []office.Closure{{From: office.Date{Year: 2026, Month: 12, Day: 24}, To: office.Date{Year: 2027, Month: 1, Day: 2}, Reason: map[lang.Lang]string{lang.FR: "Fêtes", lang.EN: "Holidays <&>"}}},
		Covers:   []string{"KR", "MN"},
		Services: map[office.Clientele]map[lang.Lang]string{office.Businesses: {lang.FR: "Prospection", lang.EN: "Market research"}},
		Sample:   true,
	}
	saved, err := db.SaveOffice(ctx, kyoto, by)
	if err != nil {
		t.Fatal(err)
	}
	saved.Phone = "+81 3 0000 0000"
	if _, err := db.SaveOffice(ctx, saved, by); err != nil {
		t.Fatal(err)
	}
	// A policy document with nested data, changed since it was added,
	// beside the defaults that the seed loaded.
	doc := policy.Document{
		ID: "politique-2006", Kind: policy.Policy, Launched: policy.Date{Year: 2006, Month: 5, Day: 24}, FromYear: 2006, ToYear: 2009,
		Title:   map[lang.Lang]string{lang.FR: "La force de l’action concertée", lang.EN: "Working in concert"},
		Summary: map[lang.Lang]string{lang.FR: "« Cinq » objectifs", lang.EN: "Five <objectives> & \u2028"},
		URL:     "https://example.org/politique?a=1&b=<2>",
		Thrusts: []policy.Thrust{{ID: "influence", Title: map[lang.Lang]string{lang.FR: "Influence", lang.EN: "Influence"},
			Objectives: []policy.Objective{{ID: "etat", Text: map[lang.Lang]string{lang.FR: "L’État", lang.EN: "The state"},
				Measures: []policy.Measure{{ID: "mesure-1", Text: map[lang.Lang]string{lang.FR: "Mesure", lang.EN: "Measure"}}}}}}},
	}
	pd, err := db.SavePolicy(ctx, doc, by)
	if err != nil {
		t.Fatal(err)
	}
	pd.Budget = map[lang.Lang]string{lang.FR: "Budget à préciser", lang.EN: ""}
	if _, err := db.SavePolicy(ctx, pd, by); err != nil {
		t.Fatal(err)
	}
	// The default chart, and a unit of it moved since.
	if err := db.ReplaceOrgUnits(ctx, orgchart.Defaults(), by); err != nil {
		t.Fatal(err)
	}
	unit, err := db.OrgUnit(ctx, "direction-protocole")
	if err != nil {
		t.Fatal(err)
	}
	if unit, err = orgchart.Move(unit, "equipes-sous-ministre", orgchart.Date{Year: 2026, Month: 6, Day: 1}); err != nil {
		t.Fatal(err)
	}
	unit.Periods[1].Head = orgchart.Head{Name: "« À confirmer »", Title: map[lang.Lang]string{lang.FR: "Cheffe <&>", lang.EN: ""}}
	if _, err := db.SaveOrgUnit(ctx, unit, by); err != nil {
		t.Fatal(err)
	}
	return path
}

func open(t *testing.T, dsn string) storecopy.Side {
	t.Helper()
	s, closeFn, err := storecopy.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { closeFn() })
	return s
}

func sums(t *testing.T, s storecopy.Side) []storecopy.Sum {
	t.Helper()
	out, err := storecopy.Sums(ctx, s.DB, s.Dialect)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// A populated SQLite database goes to PostgreSQL and back; the two SQLite
// files hold the same rows, table by table, and read the same through the
// store.
func TestRoundTripThroughPostgres(t *testing.T) {
	srcPath := populate(t)
	pgURL := server.URL(t)
	backPath := filepath.Join(t.TempDir(), "back.db")

	src := open(t, srcPath)
	pg := open(t, pgURL)
	var seen []string
	got, err := storecopy.Copy(ctx, src, pg, func(table string, n int64, done bool) {
		if done {
			seen = append(seen, table)
		}
	})
	if err != nil {
		t.Fatalf("SQLite → PostgreSQL: %v", err)
	}
	if !reflect.DeepEqual(seen, storecopy.Tables()) {
		t.Errorf("progress told of %v, want %v", seen, storecopy.Tables())
	}
	rows := map[string]int64{}
	for _, s := range got {
		rows[s.Table] = s.Rows
	}
	for _, tb := range []string{"pages", "revisions", "translations", "users", "sessions", "audit", "media", "publications", "changes", "sections", "footer_links", "attempts", "refusals", "offices", "policies", "org_units"} {
		if rows[tb] == 0 {
			t.Errorf("table %s copied no rows", tb)
		}
	}
	back := open(t, backPath)
	if _, err := storecopy.Copy(ctx, pg, back, nil); err != nil {
		t.Fatalf("PostgreSQL → SQLite: %v", err)
	}
	if err := storecopy.Compare(sums(t, src), sums(t, back)); err != nil {
		t.Fatal(err)
	}
	// The checksums see a one-character change.
	changed := open(t, filepath.Join(t.TempDir(), "changed.db"))
	if _, err := storecopy.Copy(ctx, src, changed, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := changed.DB.ExecContext(ctx, `UPDATE users SET name = name || '.'`); err != nil {
		t.Fatal(err)
	}
	if err := storecopy.Compare(sums(t, src), sums(t, changed)); err == nil || !strings.Contains(err.Error(), "users") {
		t.Fatalf("Compare after a change = %v", err)
	}

	// Through the store API.
	a, err := sqlite.Open(ctx, srcPath)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := sqlite.Open(ctx, backPath)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	ta, err := a.Translations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tb, err := b.Translations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(ta) == 0 || !reflect.DeepEqual(ta, tb) {
		t.Fatalf("translations differ:\n%+v\n%+v", ta, tb)
	}
	for _, tr := range ta {
		ra, _ := a.Revisions(ctx, tr.PageKey, tr.Lang)
		rb, err := b.Revisions(ctx, tr.PageKey, tr.Lang)
		if err != nil || !reflect.DeepEqual(ra, rb) {
			t.Fatalf("revisions of %s/%s differ (%v):\n%+v\n%+v", tr.PageKey, tr.Lang, err, ra, rb)
		}
	}
	oa, _ := a.Offices(ctx)
	ob, err := b.Offices(ctx)
	if err != nil || len(oa) != len(office.Defaults())+1 || !reflect.DeepEqual(oa, ob) {
		t.Fatalf("offices: %v: %d and %d offices, or they differ", err, len(oa), len(ob))
	}
	pa, _ := a.Policies(ctx)
	pb, err := b.Policies(ctx)
	if err != nil || len(pa) < 2 || !reflect.DeepEqual(pa, pb) {
		t.Fatalf("policies: %v\n%+v\n%+v", err, pa, pb)
	}
	// The documents come back byte for byte, though PostgreSQL kept them
	// as jsonb.
	docs := func(s storecopy.Side, q string) string {
		var doc string
		if err := s.DB.QueryRowContext(ctx, q).Scan(&doc); err != nil {
			t.Fatal(err)
		}
		return doc
	}
	for _, q := range []string{`SELECT doc FROM offices WHERE slug = 'kyoto'`, `SELECT doc FROM policies WHERE id = 'politique-2006'`} {
		if da, db := docs(src, q), docs(back, q); da != db {
			t.Fatalf("%s: the document changed on the way:\n%s\n%s", q, da, db)
		}
	}
	ua, _ := a.OrgUnits(ctx)
	ub, err := b.OrgUnits(ctx)
	if err != nil || len(ua) != len(orgchart.Defaults()) || !reflect.DeepEqual(ua, ub) {
		t.Fatalf("units: %v\n%+v\n%+v", err, ua, ub)
	}
	unitDocs := func(s storecopy.Side) []string {
		rows, err := s.DB.QueryContext(ctx, `SELECT doc FROM org_units ORDER BY id`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var doc string
			if err := rows.Scan(&doc); err != nil {
				t.Fatal(err)
			}
			out = append(out, doc)
		}
		return out
	}
	if da, db := unitDocs(src), unitDocs(back); !reflect.DeepEqual(da, db) {
		t.Fatalf("unit documents changed on the way:\n%s\n%s", da, db)
	}
	sa, _ := a.Scheduled(ctx)
	sb, err := b.Scheduled(ctx)
	if err != nil || len(sa) != 1 || !reflect.DeepEqual(sa, sb) {
		t.Fatalf("scheduled: %v\n%+v\n%+v", err, sa, sb)
	}
	// New rows take ids after the copied ones, on both stores.
	pdb, err := postgres.Open(ctx, pgURL)
	if err != nil {
		t.Fatal(err)
	}
	defer pdb.Close()
	for _, s := range []store.Store{pdb, b} {
		e, err := s.AppendAudit(ctx, audit.Entry{Time: clock(), Actor: "z@example.org", Action: audit.LoginFailed})
		if err != nil {
			t.Fatal(err)
		}
		if e.ID != rows["audit"]+1 {
			t.Errorf("%T: new audit row has id %d, want %d", s, e.ID, rows["audit"]+1)
		}
	}
}

// A target that holds data is refused and left as it was.
func TestRefusesNonEmptyTarget(t *testing.T) {
	src := open(t, populate(t))
	pg := open(t, server.URL(t))
	if _, err := storecopy.Copy(ctx, src, pg, nil); err != nil {
		t.Fatal(err)
	}
	before := sums(t, pg)
	_, err := storecopy.Copy(ctx, src, pg, nil)
	if !errors.Is(err, storecopy.ErrNotEmpty) {
		t.Fatalf("second copy: %v, want ErrNotEmpty", err)
	}
	if err := storecopy.Compare(before, sums(t, pg)); err != nil {
		t.Fatalf("the refused target changed: %v", err)
	}
	// SQLite too.
	other := open(t, populate(t))
	before = sums(t, other)
	if _, err := storecopy.Copy(ctx, src, other, nil); !errors.Is(err, storecopy.ErrNotEmpty) {
		t.Fatalf("copy into a populated SQLite: %v, want ErrNotEmpty", err)
	}
	if err := storecopy.Compare(before, sums(t, other)); err != nil {
		t.Fatalf("the refused target changed: %v", err)
	}
}

// A copy that fails midway (a source row the target cannot take, after
// the pages went in) leaves the target as its migrations made it.
func TestFailedCopyLeavesTargetEmpty(t *testing.T) {
	srcPath := populate(t)
	src := open(t, srcPath)
	if _, err := src.DB.ExecContext(ctx, `UPDATE revisions SET created_at = 'hier' WHERE id = (SELECT max(id) FROM revisions)`); err != nil {
		t.Fatal(err)
	}
	for _, dsn := range []string{server.URL(t), filepath.Join(t.TempDir(), "target.db")} {
		dst := open(t, dsn)
		before := sums(t, dst)
		_, err := storecopy.Copy(ctx, src, dst, nil)
		if err == nil || !strings.Contains(err.Error(), "revisions.created_at") {
			t.Fatalf("%s: copy of a bad row: %v", dst.Dialect, err)
		}
		if err := storecopy.Compare(before, sums(t, dst)); err != nil {
			t.Fatalf("%s: the failed copy left rows: %v", dst.Dialect, err)
		}
	}
}

// The columns that the copy converts are those whose PostgreSQL types
// differ from SQLite's.
func TestKindsMatchPostgresSchema(t *testing.T) {
	pg := open(t, server.URL(t))
	rows, err := pg.DB.QueryContext(ctx, `SELECT table_name, column_name, data_type FROM information_schema.columns
		WHERE table_schema = current_schema() AND data_type IN ('timestamp with time zone', 'boolean', 'date', 'jsonb')`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var want []string
	for rows.Next() {
		var tb, c, ty string
		if err := rows.Scan(&tb, &c, &ty); err != nil {
			t.Fatal(err)
		}
		want = append(want, tb+"."+c+" "+ty)
	}
	got := storecopy.KindsForTest()
	if len(got) != len(want) {
		t.Errorf("the copy converts %d columns, PostgreSQL has %d of other types: %v", len(got), len(want), want)
	}
	for _, w := range want {
		col, ty, _ := strings.Cut(w, " ")
		if got[col] != ty {
			t.Errorf("%s is %s in PostgreSQL, the copy treats it as %q", col, ty, got[col])
		}
	}
}
