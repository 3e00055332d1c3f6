// Package api serves the open data under /api/v1/: each capability gives
// its endpoints, which the server registers; responses carry validators
// and compression as the public pages do, may be read from any origin,
// and errors are JSON: {"error": {"code": "…", "message": "…"}}.
package api

import (
	"encoding/json"
	"net/http"
	"time"

	"portail/internal/cache"
)

// Prefix is the path under which every endpoint lives.
const Prefix = "/api/v1/"

// Endpoint is one GET endpoint of the API.
type Endpoint struct {
	// Path is the endpoint's path, under Prefix ("/api/v1/offices").
	Path string
	// Summary says in a line what it returns, for the API's index.
	Summary string
	Handler http.Handler
}

// Write sends body with the validators of the data it came from
// (modified) and its content hash, answering conditional requests with
// 304 and compressing it for clients that accept gzip.
func Write(w http.ResponseWriter, r *http.Request, contentType string, body []byte, modified time.Time) {
	w.Header().Set("Access-Control-Allow-Origin", "*")
	cache.Serve(w, r, cache.NewEntry(http.StatusOK, contentType, body, modified))
}

// JSON sends v as JSON (Write).
func JSON(w http.ResponseWriter, r *http.Request, v any, modified time.Time) {
	JSONAs(w, r, "application/json", v, modified)
}

// JSONAs is JSON with another media type of JSON, such as
// application/geo+json.
func JSONAs(w http.ResponseWriter, r *http.Request, contentType string, v any, modified time.Time) {
	body, err := json.MarshalIndent(v, "", " ")
	if err != nil {
		Error(w, http.StatusInternalServerError, "internal", "The response could not be written.")
		return
	}
	Write(w, r, contentType, append(body, '\n'), modified)
}

// Error sends an error as {"error": {"code", "message"}}: code is a
// stable identifier for programs, message a sentence for people.
func Error(w http.ResponseWriter, status int, code, message string) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	h.Set("Access-Control-Allow-Origin", "*")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"error": map[string]string{"code": code, "message": message}})
}

// NotFound answers a path under Prefix that no endpoint serves.
func NotFound(w http.ResponseWriter, _ *http.Request) {
	Error(w, http.StatusNotFound, "not_found", "No endpoint of the API has this path.")
}
