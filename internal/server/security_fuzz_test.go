package server_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"portail/internal/securitytest"
)

// FuzzRequest sends the whole server arbitrary GET requests: whatever the
// path, query and language headers, it answers below 500, with nothing
// executable in the body and no redirect off the site.
func FuzzRequest(f *testing.F) {
	e := newSecEnv(f)
	for _, p := range []string{"/", "/fr/", "/en/department/mission", "/fr/ministere/mission/", "/fr/../../etc/passwd",
		"//evil.example/", "/./\\evil.example", "/fr/%2e%2e/", "/assets/../healthz", "/fr/historique/ministere"} {
		f.Add(p, "", "")
	}
	for i, p := range securitytest.Payloads {
		f.Add("/fr/"+url.PathEscape(p), "q="+url.QueryEscape(p), securitytest.SQLPayloads[i%len(securitytest.SQLPayloads)])
	}
	f.Fuzz(func(t *testing.T, path, query, acceptLanguage string) {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.URL.Path = "/" + strings.TrimPrefix(path, "/")
		r.URL.RawQuery = query
		r.RequestURI = r.URL.RequestURI()
		r.Header.Set("Accept-Language", acceptLanguage)
		r.Header.Set("Cookie", "lang="+acceptLanguage)
		res, body := e.do(r)
		if res.StatusCode >= 500 {
			t.Fatalf("GET %q: status %d", r.URL, res.StatusCode)
		}
		if s := securitytest.FindUnsafe(body); s != "" {
			t.Fatalf("GET %q: %s", r.URL, s)
		}
		if loc := res.Header.Get("Location"); !localLocation(loc) {
			t.Fatalf("GET %q redirects off the site to %q", r.URL, loc)
		}
		if errs := e.log.lines(); len(errs) > 0 {
			t.Fatalf("GET %q: the server logged %s", r.URL, errs[0])
		}
	})
}
