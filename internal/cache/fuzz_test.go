package cache

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// FuzzServe checks Serve's reading of Accept-Encoding, If-None-Match and
// If-Modified-Since: whatever their value, the answer is the page itself
// (compressed only for a client that accepts gzip) or a bodiless 304 to a
// conditional request.
func FuzzServe(f *testing.F) {
	body := []byte(strings.Repeat("<p>Bonjour le monde</p>", 100))
	mod := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	e := NewEntry(http.StatusOK, "text/html; charset=utf-8", body, mod)
	for _, c := range [][3]string{
		{"gzip", "", ""},
		{"gzip;q=0", e.ETag, ""},
		{"br;q=1, gzip;q=0.5", "W/" + e.ETag, ""},
		{"gzip;q=abc, identity", `"other", *`, ""},
		{"GZIP, x-gzip;q=1", "", mod.Format(http.TimeFormat)},
		{"*", "", "Mon, 02 Jan 2006 15:04:05 GMT"},
		{"gzip ; q = 0.001", ",,,", "not a date"},
	} {
		f.Add(c[0], c[1], c[2], false)
	}
	f.Fuzz(func(t *testing.T, acceptEncoding, ifNoneMatch, ifModifiedSince string, head bool) {
		method := http.MethodGet
		if head {
			method = http.MethodHead
		}
		r := httptest.NewRequest(method, "/fr/", nil)
		r.Header.Set("Accept-Encoding", acceptEncoding)
		r.Header.Set("If-None-Match", ifNoneMatch)
		r.Header.Set("If-Modified-Since", ifModifiedSince)
		w := httptest.NewRecorder()
		Serve(w, r, e)
		h := w.Header()
		if h.Get("ETag") != e.ETag || h.Get("Vary") != "Accept-Encoding" {
			t.Fatalf("validators missing: %v", h)
		}
		switch w.Code {
		case http.StatusNotModified:
			if w.Body.Len() != 0 {
				t.Fatal("a 304 with a body")
			}
			if ifNoneMatch == "" && ifModifiedSince == "" {
				t.Fatal("304 to an unconditional request")
			}
			if ifNoneMatch != "" && !strings.Contains(ifNoneMatch, e.ETag) && !strings.Contains(ifNoneMatch, "*") {
				t.Fatalf("304 for If-None-Match %q, which does not name %s", ifNoneMatch, e.ETag)
			}
			return
		case http.StatusOK:
		default:
			t.Fatalf("status %d", w.Code)
		}
		got := w.Body.Bytes()
		if head {
			if len(got) != 0 {
				t.Fatal("HEAD with a body")
			}
			return
		}
		if h.Get("Content-Encoding") == "gzip" {
			if !strings.Contains(acceptEncoding, "gzip") {
				t.Fatalf("gzip sent to Accept-Encoding %q", acceptEncoding)
			}
			zr, err := gzip.NewReader(bytes.NewReader(got))
			if err != nil {
				t.Fatal(err)
			}
			if got, err = io.ReadAll(zr); err != nil {
				t.Fatal(err)
			}
		}
		if !bytes.Equal(got, body) {
			t.Fatal("the body differs from the page")
		}
	})
}
