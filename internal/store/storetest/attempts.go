package storetest

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"portail/internal/apperr"
	"portail/internal/audit"
	"portail/internal/auth"
	"portail/internal/store"
)

func attemptTests() []Test {
	return []Test{
		{"AttemptsCountedAtomically", testAttemptsAtomic},
		{"AttemptsDoNotLockTheOwnerOut", testAttemptsOwner},
		{"AttemptsRefusedCostBoundedStorage", testAttemptsRefused},
		{"AttemptsPerAddressAndWindow", testAttemptsAddress},
	}
}

var limits = auth.Limits{Window: 15 * time.Minute, PerPair: 5, PerAddress: 20, PerAccount: 5}

func limited(account, ip string) audit.Entry {
	return audit.Entry{Actor: account, Action: audit.LoginLimited, IP: ip}
}

// attempt begins an attempt and, when it goes ahead, settles it as ok.
func attempt(t *testing.T, s store.Store, account, ip string, ok bool) bool {
	t.Helper()
	id, allowed, err := s.BeginAttempt(ctx, account, ip, limits, limited(account, ip))
	if err != nil {
		t.Fatal(err)
	}
	if allowed {
		if err := s.EndAttempt(ctx, id, ok, audit.Entry{Actor: account, Action: audit.LoginFailed, IP: ip}); err != nil {
			t.Fatal(err)
		}
	}
	return allowed
}

// testAttemptsAtomic: attempts that run together are counted one after the
// other, so no more go ahead than the limit, however many race.
func testAttemptsAtomic(t *testing.T, s store.Store, _ *Clock) {
	var wg sync.WaitGroup
	var ahead atomic.Int32
	for range 30 {
		wg.Go(func() {
			_, ok, err := s.BeginAttempt(ctx, "ed@example.org", "192.0.2.1", limits, limited("ed@example.org", "192.0.2.1"))
			if err != nil {
				t.Error(err)
			}
			if ok {
				ahead.Add(1)
			}
		})
	}
	wg.Wait()
	if n := ahead.Load(); n != int32(limits.PerPair) {
		t.Fatalf("%d of 30 concurrent attempts went ahead, want %d", n, limits.PerPair)
	}
	_, _, err := s.BeginAttempt(ctx, "", "192.0.2.1", limits, limited("x", "y"))
	wantKind(t, err, apperr.Invalid)
	wantKind(t, s.EndAttempt(ctx, 4242, false, limited("x", "y")), apperr.NotFound)
}

// testAttemptsOwner: failures on an account from one address do not keep
// its owner, at another address, out; a sign-in clears them for the
// account.
func testAttemptsOwner(t *testing.T, s store.Store, clock *Clock) {
	for i := range 5 {
		if !attempt(t, s, "ed@example.org", "198.51.100.1", false) {
			t.Fatalf("failure %d was refused", i+1)
		}
		clock.Advance(time.Second)
	}
	if attempt(t, s, "ed@example.org", "198.51.100.1", false) {
		t.Fatal("a sixth try from the same address went ahead")
	}
	if !attempt(t, s, "ed@example.org", "192.0.2.7", true) {
		t.Fatal("the owner, from an address without failures, was refused")
	}
	// Under attack from many addresses: each new one gets one try, and
	// the owner still gets in.
	for i := range 10 {
		ip := "203.0.113." + string(rune('1'+i))
		if !attempt(t, s, "rev@example.org", ip, false) {
			t.Fatalf("first try from %s refused", ip)
		}
		if i >= limits.PerAccount && attempt(t, s, "rev@example.org", ip, false) {
			t.Fatalf("second try from %s went ahead past the account's budget", ip)
		}
	}
	if !attempt(t, s, "rev@example.org", "192.0.2.8", true) {
		t.Fatal("the owner was locked out by failures from other addresses")
	}
	clock.Advance(limits.Window)
	if !attempt(t, s, "ed@example.org", "198.51.100.1", false) {
		t.Fatal("refused after the window")
	}
}

// testAttemptsRefused: refused attempts write one audit entry per address
// and window, and are counted.
func testAttemptsRefused(t *testing.T, s store.Store, clock *Clock) {
	clock.T = clock.T.Truncate(limits.Window)
	for range 5 {
		attempt(t, s, "ed@example.org", "198.51.100.1", false)
	}
	for i := range 200 {
		// Invented addresses do not help: the address is limited too.
		account := "ed@example.org"
		if i%2 == 1 {
			account = string(rune('a'+i%26)) + "@example.org"
		}
		attempt(t, s, account, "198.51.100.1", false)
	}
	if n, _ := s.CountAudit(ctx, audit.Filter{Action: audit.LoginLimited}); n != 1 {
		t.Fatalf("%d limited entries for one address in one window, want 1", n)
	}
	if n, err := s.Refusals(ctx, "198.51.100.1", clock.T.Add(-time.Hour)); err != nil || n < 100 {
		t.Fatalf("Refusals = %d, %v; want at least 100", n, err)
	}
	clock.Advance(limits.Window)
	for range 6 {
		attempt(t, s, "ed@example.org", "198.51.100.1", false)
	}
	if n, _ := s.CountAudit(ctx, audit.Filter{Action: audit.LoginLimited}); n != 2 {
		t.Fatalf("%d limited entries over two windows, want 2", n)
	}
}

// testAttemptsAddress: one address cannot spread its guesses over many
// accounts, and an IPv6 host cannot over its /64.
func testAttemptsAddress(t *testing.T, s store.Store, _ *Clock) {
	for i := range limits.PerAddress {
		account := string(rune('a'+i)) + "@example.org"
		if !attempt(t, s, account, "2001:db8:0:1::"+string(rune('a'+i%6)), false) {
			t.Fatalf("try %d refused", i+1)
		}
	}
	if attempt(t, s, "z@example.org", "2001:db8:0:1:ffff::1", false) {
		t.Fatal("the same /64 went past the address limit")
	}
	if !attempt(t, s, "z@example.org", "2001:db8:0:2::1", false) {
		t.Fatal("another /64 was refused")
	}
}
