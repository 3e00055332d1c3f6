package server_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"mime"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"

	"portail/internal/admin"
	"portail/internal/admin/admintest"
	"portail/internal/audit"
	"portail/internal/auth"
	"portail/internal/lang"
	"portail/internal/media"
	"portail/internal/securitytest"
)

// TestStoredXSSInStaffPages signs in as an administrator and reads every
// staff page (GET routes under /admin) with the payload pages published
// and accounts named after the payloads, whose creation the audit log
// shows with the payload as actor. Staff pages show titles, bodies, diffs,
// names and audit details; none may run what an author typed.
//
// Wildcards get, per payload, the payload page's key, its latest French
// revision's ID and both languages, and the query the revisions' diff
// needs. What staff type into forms, filters and file names is reflected
// input: the rows "form field", "filter" and "file name" of inputChannels.
func TestStoredXSSInStaffPages(t *testing.T) {
	t.Parallel()
	e := newSecEnv(t)
	ids := publishPayloadPages(t, e)
	ctx := context.Background()
	hash := auth.Hash("mot de passe des comptes de test")
	for i, p := range securitytest.Payloads {
		_, err := e.db.CreateUser(ctx, auth.User{Email: fmt.Sprintf("xss%d@example.org", i), Name: storable(p), Role: auth.Editor, PasswordHash: hash},
			audit.Origin{Actor: p, IP: "127.0.0.1"})
		if err != nil {
			t.Logf("account named %q refused: %v", p, err)
		}
	}
	admintest.NewUser(t, e.db, "admin@example.org", auth.Admin)
	session := admintest.Login(t, e.srv, "admin@example.org", admintest.Password)

	get := func(rt route, path string) int {
		t.Helper()
		r := httptest.NewRequest(http.MethodGet, path, nil)
		r.AddCookie(session)
		res, body := e.do(r)
		if res.StatusCode >= 500 {
			t.Errorf("GET %s (%s): %d", path, rt.pattern, res.StatusCode)
		}
		if s := securitytest.FindUnsafe(body); s != "" {
			t.Errorf("GET %s (%s): %s", path, rt.pattern, s)
		}
		return res.StatusCode
	}
	staff := 0
	for _, rt := range routes(t, e.srv) {
		if !rt.get() || rt.path != "/admin" && !strings.HasPrefix(rt.path, "/admin/") {
			continue
		}
		staff++
		if !wildcard.MatchString(strings.ReplaceAll(rt.path, "{$}", "")) {
			t.Logf("%s: %d", rt.example, get(rt, rt.example))
			continue
		}
		ok := 0
		for i := range securitytest.Payloads {
			key := fmt.Sprintf("xss-%d", i)
			for _, l := range lang.All {
				path := strings.NewReplacer("{key}", key, "{id}", strconv.FormatInt(ids[i], 10), "{lang}", string(l)).Replace(rt.path)
				// For the diff: from the oldest revision to the newest.
				if revs, err := e.db.Revisions(ctx, key, l); err == nil && len(revs) > 0 {
					path += fmt.Sprintf("?from=%d&to=%d", revs[len(revs)-1].ID, revs[0].ID)
				}
				if get(rt, path) == http.StatusOK {
					ok++
				}
			}
		}
		t.Logf("%s: %d of %d answered 200", rt.pattern, ok, 2*len(securitytest.Payloads))
	}
	if staff > 0 {
		r := httptest.NewRequest(http.MethodGet, "/admin/", nil)
		r.AddCookie(session)
		if res, _ := e.do(r); res.StatusCode != http.StatusOK {
			t.Errorf("the dashboard answered %d: the test is not signed in", res.StatusCode)
		}
	}
	e.noErrors(t)
}

// TestInputChannelsReachStaffForms checks that the staff rows of
// inputChannels find the forms they are for: were a page to stop showing
// its form, or a form to post elsewhere, the rows would quietly reach
// nothing.
func TestInputChannelsReachStaffForms(t *testing.T) {
	e := newSecEnv(t)
	want := map[string][]string{
		"form field": {"POST /admin/login", "POST /admin/users", "POST /admin/pages/{key}", "POST /admin/pages/new", "POST /admin/password"},
		"filter":     {"GET /admin/pages", "GET /admin/audit"},
		"file name":  {"POST /admin/media"},
	}
	rts := routes(t, e.srv)
	for _, ch := range inputChannels(t, e) {
		reached := map[string]bool{}
		for _, rt := range rts {
			if ch.reach(rt) {
				reached[rt.pattern] = true
			}
		}
		for _, p := range want[ch.name] {
			if !reached[p] {
				t.Errorf("channel %q does not reach %s; it reaches %v", ch.name, p, slices.Sorted(maps.Keys(reached)))
			}
		}
		delete(want, ch.name)
	}
	for name := range want {
		t.Errorf("no channel %q in inputChannels", name)
	}
}

// TestUploadedFileNames uploads files named after every XSS payload and
// after header-injection attempts, through the "file name" row of
// inputChannels, then reads the media list and each stored file: the
// list must show the stored name as text and nothing that runs, and the
// file's Content-Disposition must be one header that parses to that same
// name and nothing else, with no header injected.
func TestUploadedFileNames(t *testing.T) {
	t.Parallel()
	e := newSecEnv(t)
	var ch channel
	for _, c := range inputChannels(t, e) {
		if c.name == "file name" {
			ch = c
		}
	}
	if ch.req == nil {
		t.Fatal(`no "file name" row in inputChannels`)
	}
	c := e.session(t)
	rt := route{pattern: "POST " + admin.UploadPath, method: http.MethodPost, path: admin.UploadPath, example: admin.UploadPath}
	names := append([]string{
		"a\r\nSet-Cookie: pris=1\r\n.png",
		"a\nContent-Type: text/html\n\n<script>alert(1)</script>.png",
		`a"; filename="evil.html`,
		`a"; filename*=UTF-8''evil.html`,
		`a\"; x=".png`,
		"a;b=c.png",
		"..\\..\\windows\\win.ini",
		"../../etc/passwd",
		"carte\u202Egnp.exe",
		"\x00.png",
		"",
		" ",
		strings.Repeat("é", 300) + ".png",
	}, securitytest.Payloads...)
	ctx := context.Background()
	for _, name := range names {
		res, _ := e.do(withCookie(ch.req(rt, name), c))
		if res.StatusCode != http.StatusSeeOther {
			// Refused is safe too, as long as it is a refusal.
			if res.StatusCode >= 500 || res.StatusCode < 400 {
				t.Errorf("upload named %q: status %d", name, res.StatusCode)
			}
			continue
		}
		sum := sha256.Sum256(pngNamed(name))
		var stored media.File
		files, err := e.db.ListMedia(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if f.SHA256 == hex.EncodeToString(sum[:]) {
				stored = f
			}
		}
		if stored.ID == 0 {
			t.Errorf("upload named %q answered 303 but stored no file", name)
			continue
		}

		list, body := e.do(withCookie(httptest.NewRequest(http.MethodGet, res.Header.Get("Location"), nil), c))
		if list.StatusCode != http.StatusOK {
			t.Errorf("media list after uploading %q: status %d", name, list.StatusCode)
		}
		if s := securitytest.FindUnsafe(body); s != "" {
			t.Errorf("media list after uploading %q: %s", name, s)
		}
		if !shownAsText(body, stored.Name) {
			t.Errorf("media list does not show the stored name %q (uploaded as %q) as text", stored.Name, name)
		}

		fres, _ := e.do(withCookie(httptest.NewRequest(http.MethodGet, fmt.Sprintf("/admin/media/%d", stored.ID), nil), c))
		for _, p := range fileHeaderProblems(fres.Header, stored) {
			t.Errorf("file uploaded as %q, stored as %q: %s", name, stored.Name, p)
		}
	}
	e.noErrors(t)
}

// fileHeaderProblems lists what is wrong with the headers that serve
// stored file f.
func fileHeaderProblems(h http.Header, f media.File) []string {
	var bad []string
	for k, vs := range h {
		for _, v := range vs {
			if strings.ContainsAny(k+v, "\r\n\x00") {
				bad = append(bad, fmt.Sprintf("header %q: %q has a line break or NUL", k, v))
			}
		}
	}
	if h.Get("Set-Cookie") != "" {
		bad = append(bad, "a Set-Cookie header: "+h.Get("Set-Cookie"))
	}
	if got := h.Values("Content-Type"); len(got) != 1 || got[0] != f.Type {
		bad = append(bad, fmt.Sprintf("Content-Type %q, want %q", got, f.Type))
	}
	cd := h.Values("Content-Disposition")
	if len(cd) != 1 {
		return append(bad, fmt.Sprintf("%d Content-Disposition headers: %q", len(cd), cd))
	}
	disp, params, err := mime.ParseMediaType(cd[0])
	switch {
	case err != nil:
		bad = append(bad, fmt.Sprintf("Content-Disposition %q does not parse: %v", cd[0], err))
	case disp != "inline" && disp != "attachment":
		bad = append(bad, fmt.Sprintf("Content-Disposition %q: disposition %q", cd[0], disp))
	case len(params) != 1 || params["filename"] != f.Name:
		bad = append(bad, fmt.Sprintf("Content-Disposition %q gives %v, want only the file name %q", cd[0], params, f.Name))
	}
	return bad
}

// withCookie adds c to r and returns r.
func withCookie(r *http.Request, c *http.Cookie) *http.Request {
	r.AddCookie(c)
	return r
}
