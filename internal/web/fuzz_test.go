package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"portail/internal/lang"
)

// FuzzRequestLang checks that any path, lang cookie and Accept-Language
// header gives one of the site's languages, and that a /fr/ or /en/ path
// prefix wins over both headers.
func FuzzRequestLang(f *testing.F) {
	for _, c := range [][3]string{
		{"/fr/", "", ""}, {"/en/department", "fr", "fr"}, {"/", "en", ""}, {"/nulle-part", "xx", "en-GB"},
		{"/english/", "", "de"}, {"/EN/", "EN", "EN"}, {"/fr", "en\x00", "en;q=2"},
	} {
		f.Add(c[0], c[1], c[2])
	}
	f.Fuzz(func(t *testing.T, path, cookie, acceptLanguage string) {
		r := &http.Request{Method: "GET", URL: &url.URL{Path: path}, Header: http.Header{}}
		r.Header.Set("Cookie", "lang="+cookie)
		r.Header.Set("Accept-Language", acceptLanguage)
		got := RequestLang(r)
		if _, ok := lang.Parse(string(got)); !ok {
			t.Fatalf("RequestLang(%q, %q, %q) = %q", path, cookie, acceptLanguage, got)
		}
		for _, l := range lang.All {
			if (path == "/"+string(l) || strings.HasPrefix(path, "/"+string(l)+"/")) && got != l {
				t.Fatalf("path %q gave %s", path, got)
			}
		}
	})
}
