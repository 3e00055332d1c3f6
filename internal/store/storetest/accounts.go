package storetest

import (
	"bytes"
	"testing"
	"time"

	"portail/internal/apperr"
	"portail/internal/audit"
	"portail/internal/auth"
	"portail/internal/lang"
	"portail/internal/media"
	"portail/internal/store"
)

func accountTests() []Test {
	return []Test{
		{"CreateUserAndRead", testCreateUser},
		{"CreateUserRejectsBadInputAndDuplicates", testCreateUserErrors},
		{"UsersByEmail", testUsers},
		{"SetRoleIsAudited", testSetRole},
		{"DisableUserEndsSessions", testDisableUser},
		{"SetPasswordClearsMustChangeAndOtherSessions", testSetPassword},
		{"EnableUserAgain", testEnableUser},
		{"ResetPasswordForcesChangeAndEndsSessions", testResetPassword},
		{"SetLang", testSetLang},
		{"SessionLifecycle", testSessionLifecycle},
		{"SessionIdleExpiry", testSessionIdle},
		{"SessionAbsoluteExpiry", testSessionAbsolute},
		{"SessionOfDisabledAccountRefused", testSessionDisabled},
		{"AuditAppendAndFilter", testAuditFilter},
		{"AuditRejectsIncompleteEntries", testAuditInvalid},
		{"MediaSaveAndRead", testMedia},
		{"MediaRejectsMismatch", testMediaMismatch},
	}
}

var by = audit.Origin{Actor: "root@example.org", IP: "203.0.113.7"}

// mustUser creates an account with a cheap fake hash: the store does not
// read it.
func mustUser(t *testing.T, s store.Store, email string, r auth.Role) auth.User {
	t.Helper()
	u, err := s.CreateUser(ctx, auth.User{Email: email, Name: "Nom " + email, Role: r, Lang: lang.FR, PasswordHash: "$argon2id$test"}, by)
	if err != nil {
		t.Fatalf("CreateUser(%s): %v", email, err)
	}
	return u
}

func lastAudit(t *testing.T, s store.Store, a audit.Action) audit.Entry {
	t.Helper()
	es, err := s.AuditLog(ctx, audit.Filter{Action: a, Limit: 1})
	if err != nil || len(es) != 1 {
		t.Fatalf("AuditLog(%s) = %v, %v", a, es, err)
	}
	return es[0]
}

func testCreateUser(t *testing.T, s store.Store, clock *Clock) {
	u, err := s.CreateUser(ctx, auth.User{Email: " Ed@Example.ORG ", Name: "Édith", Role: auth.Editor, Lang: lang.EN, MustChangePassword: true, PasswordHash: "h"}, by)
	if err != nil {
		t.Fatal(err)
	}
	if u.ID == 0 || u.Email != "ed@example.org" || !u.Created.Equal(clock.T) {
		t.Fatalf("created %+v", u)
	}
	for _, get := range []func() (auth.User, error){
		func() (auth.User, error) { return s.User(ctx, u.ID) },
		func() (auth.User, error) { return s.UserByEmail(ctx, "ED@example.org") },
	} {
		got, err := get()
		if err != nil {
			t.Fatal(err)
		}
		if got != u {
			t.Fatalf("read back %+v, want %+v", got, u)
		}
	}
	e := lastAudit(t, s, audit.UserCreate)
	if e.Actor != by.Actor || e.IP != by.IP || e.Target != "ed@example.org" || !e.Time.Equal(clock.T) {
		t.Fatalf("audit entry %+v", e)
	}
	_, err = s.User(ctx, 4242)
	wantKind(t, err, apperr.NotFound)
	_, err = s.UserByEmail(ctx, "nobody@example.org")
	wantKind(t, err, apperr.NotFound)
}

func testCreateUserErrors(t *testing.T, s store.Store, _ *Clock) {
	mustUser(t, s, "ed@example.org", auth.Editor)
	_, err := s.CreateUser(ctx, auth.User{Email: "ED@example.org", Name: "Autre", Role: auth.Reviewer, PasswordHash: "h"}, by)
	wantKind(t, err, apperr.Conflict)
	if apperr.ProblemsOf(err)["email"] != "form.email.taken" {
		t.Fatalf("problems = %v", apperr.ProblemsOf(err))
	}
	_, err = s.CreateUser(ctx, auth.User{Email: "pas une adresse", Name: "", Role: "chef", PasswordHash: "h"}, by)
	wantKind(t, err, apperr.Invalid)
	p := apperr.ProblemsOf(err)
	if p["email"] == "" || p["name"] == "" || p["role"] != "form.role.invalid" {
		t.Fatalf("problems = %v", p)
	}
	_, err = s.CreateUser(ctx, auth.User{Email: "x@example.org", Name: "X", Role: auth.Editor}, by)
	wantKind(t, err, apperr.Invalid)
	// Look-alikes: a decomposed "é" is the account of the composed one,
	// and an address with a Cyrillic "е" or a zero-width space is refused.
	mustUser(t, s, "\u00e9dith@example.org", auth.Editor)
	_, err = s.CreateUser(ctx, auth.User{Email: "E\u0301dith@example.org", Name: "Autre", Role: auth.Editor, PasswordHash: "h"}, by)
	wantKind(t, err, apperr.Conflict)
	for _, email := range []string{"\u0435d@example.org", "ed\u200b@example.org", "\u202eed@example.org"} {
		_, err = s.CreateUser(ctx, auth.User{Email: email, Name: "Faux", Role: auth.Editor, PasswordHash: "h"}, by)
		wantKind(t, err, apperr.Invalid)
		if p := apperr.ProblemsOf(err)["email"]; p != "form.email.lookalike" {
			t.Fatalf("%q: problem %q", email, p)
		}
	}
	if u, err := s.UserByEmail(ctx, "e\u0301dith@example.org"); err != nil || u.Email != "\u00e9dith@example.org" {
		t.Fatalf("UserByEmail(decomposed) = %+v, %v", u, err)
	}
	us, _ := s.Users(ctx)
	if len(us) != 2 {
		t.Fatalf("refused creations left %d accounts", len(us))
	}
	if n, _ := s.CountAudit(ctx, audit.Filter{Action: audit.UserCreate}); n != 2 {
		t.Fatalf("refused creations left %d audit entries", n)
	}
}

func testUsers(t *testing.T, s store.Store, _ *Clock) {
	mustUser(t, s, "zoe@example.org", auth.Editor)
	mustUser(t, s, "ana@example.org", auth.Admin)
	us, err := s.Users(ctx)
	if err != nil || len(us) != 2 || us[0].Email != "ana@example.org" || us[1].Email != "zoe@example.org" {
		t.Fatalf("Users = %+v, %v", us, err)
	}
}

func testSetRole(t *testing.T, s store.Store, _ *Clock) {
	u := mustUser(t, s, "ed@example.org", auth.Editor)
	if err := s.SetRole(ctx, u.ID, auth.Reviewer, by); err != nil {
		t.Fatal(err)
	}
	got, _ := s.User(ctx, u.ID)
	if got.Role != auth.Reviewer {
		t.Fatalf("role = %s", got.Role)
	}
	e := lastAudit(t, s, audit.UserRole)
	if e.Target != u.Email || e.Actor != by.Actor || e.Detail != "editor → reviewer" {
		t.Fatalf("audit entry %+v", e)
	}
	wantKind(t, s.SetRole(ctx, u.ID, "chef", by), apperr.Invalid)
	wantKind(t, s.SetRole(ctx, 4242, auth.Editor, by), apperr.NotFound)
	if got, _ := s.User(ctx, u.ID); got.Role != auth.Reviewer {
		t.Fatalf("a refused change altered the role: %s", got.Role)
	}
}

func newSession(t *testing.T, s store.Store, u auth.User, now time.Time) (string, auth.Session) {
	t.Helper()
	tok, sess := auth.NewSession(u.ID, now)
	if err := s.CreateSession(ctx, sess, audit.Origin{IP: "198.51.100.1"}); err != nil {
		t.Fatalf("CreateSession: %v", err)
	}
	return tok, sess
}

func testDisableUser(t *testing.T, s store.Store, clock *Clock) {
	u := mustUser(t, s, "ed@example.org", auth.Editor)
	_, sess := newSession(t, s, u, clock.T)
	if err := s.DisableUser(ctx, u.ID, by); err != nil {
		t.Fatal(err)
	}
	got, _ := s.User(ctx, u.ID)
	if !got.Disabled {
		t.Fatal("account still enabled")
	}
	_, _, err := s.Session(ctx, sess.Hash)
	wantKind(t, err, apperr.NotFound)
	_, again := auth.NewSession(u.ID, clock.T)
	wantKind(t, s.CreateSession(ctx, again, by), apperr.Forbidden)
	if e := lastAudit(t, s, audit.UserDisable); e.Target != u.Email {
		t.Fatalf("audit entry %+v", e)
	}
	wantKind(t, s.DisableUser(ctx, 4242, by), apperr.NotFound)
}

func testSetPassword(t *testing.T, s store.Store, clock *Clock) {
	u, err := s.CreateUser(ctx, auth.User{Email: "new@example.org", Name: "N", Role: auth.Editor, MustChangePassword: true, PasswordHash: "old"}, by)
	if err != nil {
		t.Fatal(err)
	}
	_, keep := newSession(t, s, u, clock.T)
	_, other := newSession(t, s, u, clock.T)
	if err := s.SetPassword(ctx, u.ID, "new", keep.Hash, audit.Origin{Actor: u.Email}); err != nil {
		t.Fatal(err)
	}
	got, _ := s.User(ctx, u.ID)
	if got.PasswordHash != "new" || got.MustChangePassword {
		t.Fatalf("after SetPassword: %+v", got)
	}
	if _, _, err := s.Session(ctx, keep.Hash); err != nil {
		t.Fatalf("kept session: %v", err)
	}
	_, _, err = s.Session(ctx, other.Hash)
	wantKind(t, err, apperr.NotFound)
	wantKind(t, s.SetPassword(ctx, u.ID, "", "", by), apperr.Invalid)
	wantKind(t, s.SetPassword(ctx, 4242, "x", "", by), apperr.NotFound)
	lastAudit(t, s, audit.PasswordSet)
}

func testEnableUser(t *testing.T, s store.Store, clock *Clock) {
	u := mustUser(t, s, "ed@example.org", auth.Editor)
	wantKind(t, s.EnableUser(ctx, u.ID, by), apperr.Conflict)
	if err := s.DisableUser(ctx, u.ID, by); err != nil {
		t.Fatal(err)
	}
	if err := s.EnableUser(ctx, u.ID, by); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.User(ctx, u.ID); got.Disabled {
		t.Fatal("account still disabled")
	}
	_, again := auth.NewSession(u.ID, clock.T)
	if err := s.CreateSession(ctx, again, by); err != nil {
		t.Fatalf("sign-in after re-enabling: %v", err)
	}
	if e := lastAudit(t, s, audit.UserEnable); e.Target != u.Email || e.Actor != by.Actor || e.IP != by.IP {
		t.Fatalf("audit entry %+v", e)
	}
	wantKind(t, s.EnableUser(ctx, 4242, by), apperr.NotFound)
}

func testResetPassword(t *testing.T, s store.Store, clock *Clock) {
	u := mustUser(t, s, "ed@example.org", auth.Editor)
	_, one := newSession(t, s, u, clock.T)
	_, two := newSession(t, s, u, clock.T)
	if err := s.ResetPassword(ctx, u.ID, "one-time", by); err != nil {
		t.Fatal(err)
	}
	got, _ := s.User(ctx, u.ID)
	if got.PasswordHash != "one-time" || !got.MustChangePassword {
		t.Fatalf("after ResetPassword: %+v", got)
	}
	for _, sess := range []auth.Session{one, two} {
		_, _, err := s.Session(ctx, sess.Hash)
		wantKind(t, err, apperr.NotFound)
	}
	if e := lastAudit(t, s, audit.UserReset); e.Target != u.Email || e.Actor != by.Actor {
		t.Fatalf("audit entry %+v", e)
	}
	wantKind(t, s.ResetPassword(ctx, u.ID, "", by), apperr.Invalid)
	wantKind(t, s.ResetPassword(ctx, 4242, "x", by), apperr.NotFound)
}

func testSetLang(t *testing.T, s store.Store, _ *Clock) {
	u := mustUser(t, s, "ed@example.org", auth.Editor)
	if err := s.SetLang(ctx, u.ID, lang.EN); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.User(ctx, u.ID); got.Lang != lang.EN {
		t.Fatalf("lang = %s", got.Lang)
	}
	wantKind(t, s.SetLang(ctx, u.ID, "de"), apperr.Invalid)
	wantKind(t, s.SetLang(ctx, 4242, lang.FR), apperr.NotFound)
}

func testSessionLifecycle(t *testing.T, s store.Store, clock *Clock) {
	u := mustUser(t, s, "ed@example.org", auth.Editor)
	tok, sess := newSession(t, s, u, clock.T)
	if sess.Hash == tok || sess.Hash != auth.TokenHash(tok) {
		t.Fatal("the session must be keyed by the token's hash, not the token")
	}
	got, gu, err := s.Session(ctx, sess.Hash)
	if err != nil {
		t.Fatal(err)
	}
	if got != sess || gu.ID != u.ID || gu.Email != u.Email {
		t.Fatalf("Session = %+v, %+v", got, gu)
	}
	if _, _, err := s.Session(ctx, tok); err == nil {
		t.Fatal("the raw token must not find the session")
	}
	e := lastAudit(t, s, audit.Login)
	if e.Actor != u.Email || e.IP != "198.51.100.1" {
		t.Fatalf("login entry %+v", e)
	}
	if err := s.EndSession(ctx, sess.Hash, audit.Origin{IP: "198.51.100.1"}); err != nil {
		t.Fatal(err)
	}
	_, _, err = s.Session(ctx, sess.Hash)
	wantKind(t, err, apperr.NotFound)
	wantKind(t, s.EndSession(ctx, sess.Hash, by), apperr.NotFound)
	if e := lastAudit(t, s, audit.Logout); e.Actor != u.Email {
		t.Fatalf("logout entry %+v", e)
	}
	_, orphan := auth.NewSession(4242, clock.T)
	wantKind(t, s.CreateSession(ctx, orphan, by), apperr.NotFound)
}

func testSessionIdle(t *testing.T, s store.Store, clock *Clock) {
	u := mustUser(t, s, "ed@example.org", auth.Editor)
	_, sess := newSession(t, s, u, clock.T)
	// Activity keeps it alive past one idle period.
	clock.Advance(auth.IdleTimeout - time.Minute)
	if err := s.TouchSession(ctx, sess.Hash, clock.T.Add(auth.IdleTimeout)); err != nil {
		t.Fatal(err)
	}
	clock.Advance(auth.IdleTimeout - time.Minute)
	if _, _, err := s.Session(ctx, sess.Hash); err != nil {
		t.Fatalf("touched session: %v", err)
	}
	clock.Advance(2 * time.Minute)
	_, _, err := s.Session(ctx, sess.Hash)
	wantKind(t, err, apperr.NotFound)
	wantKind(t, s.TouchSession(ctx, sess.Hash, clock.T.Add(time.Hour)), apperr.NotFound)
}

func testSessionAbsolute(t *testing.T, s store.Store, clock *Clock) {
	u := mustUser(t, s, "ed@example.org", auth.Editor)
	_, sess := newSession(t, s, u, clock.T)
	for clock.T.Before(sess.Expires.Add(-auth.IdleTimeout)) {
		clock.Advance(auth.IdleTimeout / 2)
		if err := s.TouchSession(ctx, sess.Hash, clock.T.Add(auth.IdleTimeout)); err != nil {
			t.Fatalf("touch at %v: %v", clock.T, err)
		}
	}
	got, _, err := s.Session(ctx, sess.Hash)
	if err != nil {
		t.Fatal(err)
	}
	if got.IdleUntil.After(sess.Expires) {
		t.Fatalf("idle deadline %v moved past the absolute expiry %v", got.IdleUntil, sess.Expires)
	}
	clock.T = sess.Expires
	_, _, err = s.Session(ctx, sess.Hash)
	wantKind(t, err, apperr.NotFound)
}

func testSessionDisabled(t *testing.T, s store.Store, clock *Clock) {
	u := mustUser(t, s, "ed@example.org", auth.Editor)
	_, sess := newSession(t, s, u, clock.T)
	if err := s.DisableUser(ctx, u.ID, by); err != nil {
		t.Fatal(err)
	}
	_, _, err := s.Session(ctx, sess.Hash)
	wantKind(t, err, apperr.NotFound)
}

func testAuditFilter(t *testing.T, s store.Store, clock *Clock) {
	start := clock.T
	add := func(actor string, a audit.Action, ip string) audit.Entry {
		t.Helper()
		e, err := s.AppendAudit(ctx, audit.Entry{Actor: actor, Action: a, IP: ip, Target: "t"})
		if err != nil {
			t.Fatal(err)
		}
		if e.ID == 0 || !e.Time.Equal(clock.T) {
			t.Fatalf("appended %+v", e)
		}
		clock.Advance(time.Minute)
		return e
	}
	a1 := add("a@example.org", audit.LoginFailed, "192.0.2.1")
	add("b@example.org", audit.LoginFailed, "192.0.2.2")
	add("a@example.org", audit.Login, "192.0.2.1")
	a4 := add("a@example.org", audit.LoginFailed, "192.0.2.2")

	all, err := s.AuditLog(ctx, audit.Filter{})
	if err != nil || len(all) != 4 || all[0].ID != a4.ID || all[3].ID != a1.ID {
		t.Fatalf("AuditLog = %+v, %v (want newest first)", all, err)
	}
	for _, tc := range []struct {
		name string
		f    audit.Filter
		want int
	}{
		{"actor", audit.Filter{Actor: "a@example.org"}, 3},
		{"action", audit.Filter{Action: audit.LoginFailed}, 3},
		{"actor and action", audit.Filter{Actor: "a@example.org", Action: audit.LoginFailed}, 2},
		{"ip", audit.Filter{IP: "192.0.2.2"}, 2},
		{"since", audit.Filter{Since: start.Add(2 * time.Minute)}, 2},
		{"until", audit.Filter{Until: start.Add(time.Minute)}, 1},
		{"target", audit.Filter{Target: "t"}, 4},
		{"nothing", audit.Filter{Actor: "zz"}, 0},
	} {
		es, err := s.AuditLog(ctx, tc.f)
		if err != nil || len(es) != tc.want {
			t.Errorf("%s: AuditLog = %d entries, %v; want %d", tc.name, len(es), err, tc.want)
		}
		n, err := s.CountAudit(ctx, tc.f)
		if err != nil || n != tc.want {
			t.Errorf("%s: CountAudit = %d, %v; want %d", tc.name, n, err, tc.want)
		}
	}
	page, _ := s.AuditLog(ctx, audit.Filter{Limit: 2})
	next, _ := s.AuditLog(ctx, audit.Filter{Limit: 2, Before: page[1].ID})
	if len(page) != 2 || len(next) != 2 || next[0].ID >= page[1].ID {
		t.Fatalf("paging: %+v then %+v", page, next)
	}
}

func testAuditInvalid(t *testing.T, s store.Store, _ *Clock) {
	_, err := s.AppendAudit(ctx, audit.Entry{Action: audit.Login})
	wantKind(t, err, apperr.Invalid)
	_, err = s.AppendAudit(ctx, audit.Entry{Actor: "a"})
	wantKind(t, err, apperr.Invalid)
	if n, _ := s.CountAudit(ctx, audit.Filter{}); n != 0 {
		t.Fatalf("%d entries after refused appends", n)
	}
}

var pngData = append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{0}, 64)...)

func testMedia(t *testing.T, s store.Store, clock *Clock) {
	f, ok := media.New("Rapport annuel 2025.png", pngData)
	if !ok {
		t.Fatal("media.New refused a PNG")
	}
	saved, err := s.SaveMedia(ctx, f, by)
	if err != nil {
		t.Fatal(err)
	}
	if saved.ID == 0 || !saved.Uploaded.Equal(clock.T) || saved.By != by.Actor {
		t.Fatalf("saved %+v", saved)
	}
	got, err := s.MediaFile(ctx, saved.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Data, pngData) || got.Type != media.PNG || got.SHA256 != f.SHA256 || got.Size != int64(len(pngData)) || got.Name != "Rapport-annuel-2025.png" {
		t.Fatalf("read back %+v", got)
	}
	list, err := s.ListMedia(ctx)
	if err != nil || len(list) != 1 || list[0].ID != saved.ID || list[0].Data != nil {
		t.Fatalf("ListMedia = %+v, %v", list, err)
	}
	e := lastAudit(t, s, audit.MediaUpload)
	if e.Actor != by.Actor || e.IP != by.IP {
		t.Fatalf("upload entry %+v", e)
	}
	_, err = s.MediaFile(ctx, 4242)
	wantKind(t, err, apperr.NotFound)
}

func testMediaMismatch(t *testing.T, s store.Store, _ *Clock) {
	f, _ := media.New("a.png", pngData)
	svg := f
	svg.Data, svg.Type = []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), "image/svg+xml"
	lie := f
	lie.SHA256 = "00"
	short := f
	short.Size = 3
	for _, bad := range []media.File{svg, lie, short} {
		_, err := s.SaveMedia(ctx, bad, by)
		wantKind(t, err, apperr.Invalid)
	}
	if list, _ := s.ListMedia(ctx); len(list) != 0 {
		t.Fatalf("refused files stored: %+v", list)
	}
	if n, _ := s.CountAudit(ctx, audit.Filter{Action: audit.MediaUpload}); n != 0 {
		t.Fatalf("refused files audited as uploads: %d", n)
	}
}
