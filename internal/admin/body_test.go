package admin_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"portail/internal/admin"
	"portail/internal/admin/admintest"
	"portail/internal/auth"
	"portail/internal/server"
)

// TestAnonymousBodiesStaySmall: before sign-in, no more than
// admin.AnonymousMaxBody is read of a body, even on the upload route and
// its large cap, and the sign-in page carries a bounded part of it.
func TestAnonymousBodiesStaySmall(t *testing.T) {
	h := admintest.NewHarness(t, func(c *server.Config) { c.MaxUpload = 21 << 20 })
	admintest.NewUser(t, h.DB, "root@example.org", auth.Admin)
	// Each " comes back as &#34;: six times its size if it were carried.
	quotes := strings.Repeat(`"`, 4<<20)

	for _, tc := range []struct {
		name, path string
		size       int
	}{
		{"upload route, under its cap", admin.UploadPath, len(quotes)},
		{"account form, under the general cap", "/admin/users", 300 << 10},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", tc.path, strings.NewReader(url.Values{"name": {quotes[:tc.size]}}.Encode()))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			res := admintest.Do(h.Srv, r)
			body := admintest.ReadBody(t, res)
			if res.StatusCode != http.StatusUnauthorized {
				t.Fatalf("status %d, want 401", res.StatusCode)
			}
			if len(body) > 64<<10 {
				t.Fatalf("a %d-byte anonymous form came back as a %d-byte page", tc.size, len(body))
			}
			admintest.WantContains(t, body, "trop volumineux pour être conservé", `name="email"`)
		})
	}

	t.Run("too many fields to carry", func(t *testing.T) {
		form := url.Values{}
		for i := range 300 {
			form.Set(fmt.Sprintf("f%d", i), "x")
		}
		body := admintest.WantStatus(t, admintest.Post(h.Srv, "/admin/users", form), http.StatusUnauthorized)
		admintest.WantContains(t, body, "trop volumineux pour être conservé")
		if strings.Contains(body, `name="carry.f1"`) {
			t.Fatal("fields past the cap were carried")
		}
	})

	t.Run("sign-in form with a large carry", func(t *testing.T) {
		form := url.Values{"email": {"root@example.org"}, "password": {"a wrong password"}, "carry.name": {strings.Repeat("x", 100<<10)}}
		body := admintest.WantStatus(t, admintest.Post(h.Srv, "/admin/login", form), http.StatusUnauthorized)
		admintest.WantContains(t, body, "trop volumineux pour être conservé")
		if len(body) > 64<<10 {
			t.Fatalf("the sign-in page is %d bytes", len(body))
		}
		big := url.Values{"email": {"root@example.org"}, "password": {admintest.Password}, "carry.name": {quotes}}
		admintest.WantStatus(t, admintest.Post(h.Srv, "/admin/login", big), http.StatusRequestEntityTooLarge)
	})

	t.Run("a signed-in upload still gets its cap", func(t *testing.T) {
		h.Clock.Advance(time.Second)
		c := admintest.Login(t, h.Srv, "root@example.org", admintest.Password)
		res := admintest.Get(h.Srv, admin.UploadPath, c)
		admintest.WantStatus(t, res, http.StatusOK)
	})
}
