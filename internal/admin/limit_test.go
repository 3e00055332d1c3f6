package admin_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"testing"

	"portail/internal/admin/admintest"
	"portail/internal/audit"
	"portail/internal/auth"
)

// TestLoginLimitHoldsUnderConcurrency: 30 wrong passwords sent at once
// for one account get the limit's 5 password checks, not one each.
func TestLoginLimitHoldsUnderConcurrency(t *testing.T) {
	h := admintest.NewHarness(t)
	admintest.NewUser(t, h.DB, "ed@example.org", auth.Editor)
	const n = 30
	statuses := make(chan int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			res := admintest.PostLogin(h.Srv, "ed@example.org", fmt.Sprintf("wrong guess %d", i), "192.0.2.50")
			res.Body.Close()
			statuses <- res.StatusCode
		})
	}
	wg.Wait()
	close(statuses)
	count := map[int]int{}
	for s := range statuses {
		count[s]++
	}
	limit := auth.SignInLimits().PerPair
	if count[http.StatusUnauthorized] != limit || count[http.StatusTooManyRequests] != n-limit {
		t.Fatalf("answers %v, want %d × 401 and the rest 429", count, limit)
	}
	// Every password checked and wrong writes a login.failed entry.
	checked, err := h.DB.CountAudit(context.Background(), audit.Filter{Action: audit.LoginFailed, Actor: "ed@example.org"})
	if err != nil || checked != limit {
		t.Fatalf("%d passwords checked (%v), want %d", checked, err, limit)
	}
}

// TestRefusedSignInsCostBoundedStorage: requests refused by the limit,
// with made-up addresses from one limited address, add one audit entry
// for the address and window, not one each.
func TestRefusedSignInsCostBoundedStorage(t *testing.T) {
	h := admintest.NewHarness(t)
	ctx := context.Background()
	for i := range auth.SignInLimits().PerAddress {
		admintest.PostLogin(h.Srv, fmt.Sprintf("nobody%d@example.org", i), "guess guess guess", "198.51.100.3").Body.Close()
	}
	before, _ := h.DB.CountAudit(ctx, audit.Filter{})
	const refused = 300
	for i := range refused {
		res := admintest.PostLogin(h.Srv, fmt.Sprintf("made-up-%d@example.org", i), "guess guess guess", "198.51.100.3")
		res.Body.Close()
		if res.StatusCode != http.StatusTooManyRequests {
			t.Fatalf("request %d: %d, want 429", i, res.StatusCode)
		}
	}
	after, _ := h.DB.CountAudit(ctx, audit.Filter{})
	if after-before != 1 {
		t.Fatalf("%d refused requests wrote %d audit entries, want 1", refused, after-before)
	}
	if n, err := h.DB.Refusals(ctx, "198.51.100.3", h.Clock.Now().Add(-auth.SignInLimits().Window)); err != nil || n != refused {
		t.Fatalf("refusals counted: %d, %v; want %d", n, err, refused)
	}
}

// TestPasswordChangeCheckIsLimited: the current password of the password
// form is limited and audited like sign-in, so a stolen session cannot
// guess it.
func TestPasswordChangeCheckIsLimited(t *testing.T) {
	h := admintest.NewHarness(t)
	ctx := context.Background()
	u := admintest.NewUser(t, h.DB, "ed@example.org", auth.Editor)
	c := admintest.Login(t, h.Srv, "ed@example.org", admintest.Password)
	form := func(cur string) url.Values {
		return url.Values{"current": {cur}, "new": {"a brand new passphrase"}, "confirm": {"a brand new passphrase"}}
	}
	limit := auth.SignInLimits().PerPair
	for i := range limit {
		body := admintest.WantStatus(t, admintest.Post(h.Srv, "/admin/password", form(fmt.Sprintf("guess %d of the password", i)), c), http.StatusUnprocessableEntity)
		admintest.WantContains(t, body, "Le mot de passe actuel est incorrect.")
	}
	res := admintest.Post(h.Srv, "/admin/password", form(admintest.Password), c)
	body := admintest.WantStatus(t, res, http.StatusTooManyRequests)
	admintest.WantContains(t, body, "Trop de tentatives ont échoué. Réessayez dans 15 minutes.", `id="current-error"`)
	if got, _ := h.DB.User(ctx, u.ID); got.PasswordHash != u.PasswordHash {
		t.Fatal("the password was changed past the limit")
	}
	for a, want := range map[audit.Action]int{audit.PasswordFailed: limit, audit.PasswordLimited: 1} {
		if n, _ := h.DB.CountAudit(ctx, audit.Filter{Action: a, Actor: "ed@example.org"}); n != want {
			t.Errorf("%s entries: %d, want %d", a, n, want)
		}
	}
}
