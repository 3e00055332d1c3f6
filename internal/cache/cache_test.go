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

func TestServeConditionalAndGzip(t *testing.T) {
	body := []byte(strings.Repeat("<p>Bonjour le monde</p>", 100))
	mod := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	e := NewEntry(200, "text/html; charset=utf-8", body, mod)

	get := func(h map[string]string) *httptest.ResponseRecorder {
		r := httptest.NewRequest("GET", "/fr/", nil)
		for k, v := range h {
			r.Header.Set(k, v)
		}
		w := httptest.NewRecorder()
		Serve(w, r, e)
		return w
	}
	w := get(nil)
	if w.Code != 200 || !bytes.Equal(w.Body.Bytes(), body) || w.Header().Get("ETag") == "" {
		t.Fatalf("plain GET: %d, etag %q", w.Code, w.Header().Get("ETag"))
	}
	if got := get(map[string]string{"If-None-Match": e.ETag}); got.Code != http.StatusNotModified || got.Body.Len() != 0 {
		t.Fatalf("If-None-Match: %d", got.Code)
	}
	if got := get(map[string]string{"If-None-Match": `"other"`}); got.Code != 200 {
		t.Fatalf("stale If-None-Match: %d", got.Code)
	}
	if got := get(map[string]string{"If-Modified-Since": mod.Format(http.TimeFormat)}); got.Code != http.StatusNotModified {
		t.Fatalf("If-Modified-Since: %d", got.Code)
	}
	if got := get(map[string]string{"If-Modified-Since": mod.Add(-time.Hour).Format(http.TimeFormat)}); got.Code != 200 {
		t.Fatalf("older If-Modified-Since: %d", got.Code)
	}
	for _, ae := range []string{"gzip", "gzip, deflate, br", "br;q=1, gzip;q=0.5"} {
		gz := get(map[string]string{"Accept-Encoding": ae})
		if gz.Header().Get("Content-Encoding") != "gzip" {
			t.Fatalf("Accept-Encoding %q: not compressed", ae)
		}
		zr, err := gzip.NewReader(gz.Body)
		if err != nil {
			t.Fatal(err)
		}
		plain, _ := io.ReadAll(zr)
		if !bytes.Equal(plain, body) {
			t.Fatal("gzip body differs")
		}
	}
	if got := get(map[string]string{"Accept-Encoding": "gzip;q=0"}); got.Header().Get("Content-Encoding") != "" {
		t.Fatal("gzip;q=0 must not be compressed")
	}
}

func TestPurge(t *testing.T) {
	c := New(nil)
	c.Put("a", NewEntry(200, "text/plain", []byte("x"), time.Now()))
	if _, ok := c.Get("a"); !ok {
		t.Fatal("Get after Put")
	}
	c.Purge()
	if c.Len() != 0 {
		t.Fatal("Purge left entries")
	}
}

func TestStatsCountHitsAndMisses(t *testing.T) {
	c := New(nil)
	c.Get("a")
	c.Put("a", NewEntry(200, "text/plain", []byte("x"), time.Now()))
	c.Get("a")
	c.Get("a")
	c.Purge()
	c.Get("a")
	if hits, misses := c.Stats(); hits != 2 || misses != 2 {
		t.Fatalf("hits, misses = %d, %d; want 2, 2", hits, misses)
	}
}
