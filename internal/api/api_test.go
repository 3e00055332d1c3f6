package api

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

func TestJSONAndValidators(t *testing.T) {
	modified := time.Date(2026, 7, 1, 12, 0, 0, 0, time.UTC)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		JSON(w, r, map[string]int{"n": 1}, modified)
	})
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/api/v1/x", nil))
	var got map[string]int
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil || got["n"] != 1 {
		t.Fatalf("body %q: %v", rec.Body, err)
	}
	if rec.Header().Get("Content-Type") != "application/json" || rec.Header().Get("Access-Control-Allow-Origin") != "*" {
		t.Fatalf("headers %v", rec.Header())
	}
	etag := rec.Header().Get("ETag")
	req := httptest.NewRequest("GET", "/api/v1/x", nil)
	req.Header.Set("If-None-Match", etag)
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusNotModified {
		t.Fatalf("conditional request: %d, want 304", rec.Code)
	}
}

func TestError(t *testing.T) {
	rec := httptest.NewRecorder()
	Error(rec, http.StatusBadRequest, "bad_date", "The date must be YYYY-MM-DD.")
	var got struct {
		Error struct{ Code, Message string }
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if rec.Code != 400 || got.Error.Code != "bad_date" || got.Error.Message == "" || rec.Header().Get("Cache-Control") != "no-store" {
		t.Fatalf("%d %+v %v", rec.Code, got, rec.Header())
	}
}
