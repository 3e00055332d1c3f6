package admin_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"portail/internal/admin"
	"portail/internal/admin/admintest"
	"strings"
	"testing"
)

// countingReader counts the bytes read from a request body.
type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

// An anonymous POST to a form that is not carried through the sign-in
// (it acts on the session, or holds only passwords) gets 401 and the
// sign-in form without its body being read; other forms are read, to be
// carried, but no further than admin.AnonymousMaxBody: a large one is not
// carried.
func TestAnonymousPostReadsBodyOnlyToCarryIt(t *testing.T) {
	h := admintest.NewHarness(t)
	// Close to the 1 MiB body cap, as a client that means harm would send.
	big := url.Values{"lang": {"en"}, "key": {"a-page"}, "filler": {strings.Repeat("x", 1000<<10)}}.Encode()
	small := url.Values{"lang": {"en"}, "key": {"a-page"}}.Encode()
	for _, tc := range []struct {
		name, path, next string
		body             string
		read, carried    bool
	}{
		{name: "logout", path: "/admin/logout", body: big},
		{name: "lang", path: "/admin/lang", body: big},
		{name: "password", path: "/admin/password", next: "/admin/password", body: big},
		{name: "new page, large", path: "/admin/pages/new", next: "/admin/pages/new", body: big, read: true},
		{name: "new page, small", path: "/admin/pages/new", next: "/admin/pages/new", body: small, read: true, carried: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := &countingReader{r: strings.NewReader(tc.body)}
			r := httptest.NewRequest("POST", tc.path, body)
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			w := httptest.NewRecorder()
			h.Srv.ServeHTTP(w, r)
			page := w.Body.String()
			if w.Code != http.StatusUnauthorized || !strings.Contains(page, `action="/admin/login"`) {
				t.Fatalf("status %d, want 401 with the sign-in form\n%s", w.Code, page)
			}
			if tc.read != (body.n > 0) || body.n > admin.AnonymousMaxBody+32<<10 {
				t.Errorf("read %d bytes of the body; want it read: %v, no more than %d", body.n, tc.read, admin.AnonymousMaxBody)
			}
			if hasNext := strings.Contains(page, `name="next" value="`+tc.next+`"`); tc.next != "" && !hasNext || tc.next == "" && strings.Contains(page, `name="next"`) {
				t.Errorf("sign-in should lead to %q\n%s", tc.next, page)
			}
			if carried := strings.Contains(page, `name="carry.key"`); carried != tc.carried {
				t.Errorf("the form's values carried: %v, want %v", carried, tc.carried)
			}
			if dropped := strings.Contains(page, "trop volumineux pour être conservé"); dropped != (tc.read && !tc.carried) {
				t.Errorf("the page says the form was dropped: %v", dropped)
			}
		})
	}
}
