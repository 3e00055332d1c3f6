package auth

import (
	"strings"
	"testing"
	"time"
)

func TestHashVerify(t *testing.T) {
	h := Hash("correct horse battery staple")
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash %q does not carry its parameters", h)
	}
	if h2 := Hash("correct horse battery staple"); h2 == h {
		t.Fatal("two hashes of one password are equal: no salt")
	}
	if ok, err := Verify(h, "correct horse battery staple"); !ok || err != nil {
		t.Fatalf("Verify(right) = %v, %v", ok, err)
	}
	if ok, _ := Verify(h, "correct horse battery stapl"); ok {
		t.Fatal("a wrong password verified")
	}
	// A hash made with other parameters still verifies: they are read back.
	parts := strings.Split(h, "$")
	if ok, _ := Verify(strings.Join(parts, "$"), "correct horse battery staple"); !ok {
		t.Fatal("round trip")
	}
	for _, bad := range []string{"", "plain", "$argon2i$v=19$m=1,t=1,p=1$AAAA$AAAA", "$argon2id$v=19$m=0,t=1,p=1$AAAA$AAAA", "$argon2id$v=19$m=8,t=1,p=1$!!$AAAA", "$argon2id$v=19$m=8,t=1,p=1$AAAA$"} {
		if ok, err := Verify(bad, "x"); ok || err == nil {
			t.Errorf("Verify(%q) = %v, %v; want ErrBadHash", bad, ok, err)
		}
	}
}

func TestPermissions(t *testing.T) {
	// The editorial split of issue 4: editors write, reviewers publish,
	// only administrators manage accounts, read the audit log, keep the
	// directory of offices abroad, the international policy and the
	// organization chart. Files
	// follow pages: editors upload, reviewers (and admins) publish.
	want := map[Role][]Permission{
		Editor:         {Staff, ReadPages, WritePages, UploadMedia, ReadMedia},
		Reviewer:       {Staff, ReadPages, PublishPages, UploadMedia, ReadMedia, PublishMedia},
		AccessOfficer:  {Staff, AccessRequests, ReadMedia},
		ServiceAnalyst: {Staff, ServiceResults},
		Admin:          Permissions,
	}
	for _, r := range Roles {
		has := map[Permission]bool{}
		for _, p := range want[r] {
			has[p] = true
		}
		for _, p := range Permissions {
			if r.Can(p) != has[p] {
				t.Errorf("%s.Can(%s) = %v", r, p, r.Can(p))
			}
		}
	}
	if Role("chef").Can(Staff) || Role("").Can(Staff) {
		t.Error("an unknown role holds a permission")
	}
	if (User{Role: Admin, Disabled: true}).Can(Staff) {
		t.Error("a disabled account holds a permission")
	}
}

func TestValidate(t *testing.T) {
	ok := User{Email: "a@example.org", Name: "A", Role: Editor, Lang: "fr"}
	if p := ok.Validate(); len(p) != 0 {
		t.Fatalf("valid user: %v", p)
	}
	bad := User{Email: "A <a@example.org>", Name: " ", Role: "chef", Lang: "de"}
	p := bad.Validate()
	if p["email"] != "form.email.invalid" || p["name"] != "form.required" || p["role"] != "form.role.invalid" || p["lang"] != "form.lang.invalid" {
		t.Fatalf("problems = %v", p)
	}
	if p := CheckPassword("pw", "onze-chars!"); p["pw"] != "form.password.too_short" {
		t.Fatalf("11 characters: %v", p)
	}
	if p := CheckPassword("pw", "éééééééééééé"); len(p) != 0 {
		t.Fatalf("12 accented characters are 12 characters: %v", p)
	}
}

func TestSessionsAndTokens(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	tok, s := NewSession(7, now)
	if len(tok) < 43 || s.Hash != TokenHash(tok) || s.Hash == tok || s.UserID != 7 {
		t.Fatalf("session %+v for token %q", s, tok)
	}
	if tok2, _ := NewSession(7, now); tok2 == tok {
		t.Fatal("two tokens are equal")
	}
	if !s.Live(now.Add(IdleTimeout-time.Second)) || s.Live(now.Add(IdleTimeout)) {
		t.Fatal("idle expiry")
	}
	s.IdleUntil = now.Add(24 * time.Hour)
	if s.Live(now.Add(AbsoluteTimeout)) {
		t.Fatal("absolute expiry")
	}
	if p := NewPassword(); len(p) < MinPasswordLen {
		t.Fatalf("generated password %q is too short", p)
	}
}

func TestLimits(t *testing.T) {
	l := Limits{Window: time.Minute, PerPair: 5, PerAddress: 20, PerAccount: 5}
	for _, tc := range []struct {
		f    Failures
		want bool
	}{
		{Failures{}, true},
		{Failures{Pair: 4, Address: 4, Account: 4}, true},
		{Failures{Pair: 5, Address: 5, Account: 5}, false},
		{Failures{Pair: 0, Address: 20, Account: 0}, false},
		// The account is under attack from elsewhere: a fresh address
		// still tries, an address that failed on it does not.
		{Failures{Pair: 0, Address: 0, Account: 50}, true},
		{Failures{Pair: 1, Address: 1, Account: 50}, false},
	} {
		if got := l.Allows(tc.f); got != tc.want {
			t.Errorf("Allows(%+v) = %v", tc.f, got)
		}
	}
	for ip, want := range map[string]string{
		"192.0.2.1":            "192.0.2.1",
		"2001:db8:1:2:3:4:5:6": "2001:db8:1:2::/64",
		"2001:db8:1:2:ffff::1": "2001:db8:1:2::/64",
		"::ffff:192.0.2.1":     "::ffff:192.0.2.1",
		"not an address":       "not an address",
	} {
		if got := LimitAddress(ip); got != want {
			t.Errorf("LimitAddress(%q) = %q, want %q", ip, got, want)
		}
	}
}

// NUL and bytes that are not UTF-8 are refused in an account's name and
// address: both are shown as text in the user list and the audit log.
func TestValidateInvalidText(t *testing.T) {
	for _, bad := range []string{"\x00", "\xff", "caf\xe9"} {
		u := User{Email: "a" + bad + "@example.org", Name: "A" + bad, Role: Editor, Lang: "fr"}
		if p := u.Validate(); p["email"] != "form.text.invalid" || p["name"] != "form.text.invalid" {
			t.Errorf("%q: problems = %v", bad, p)
		}
	}
}
