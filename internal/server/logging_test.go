package server_test

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"portail/internal/server"
	"portail/internal/server/servertest"
	"portail/internal/web"
)

// lines parses every line logged so far as a JSON object.
func (b *lockedBuffer) lines(t *testing.T) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(b.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line is not JSON: %v\n%s", err, line)
		}
		out = append(out, m)
	}
	return out
}

// The request line and the error line of one request carry the ID the
// response names in X-Request-Id.
func TestRequestIDJoinsRequestAndErrorLines(t *testing.T) {
	var logs lockedBuffer
	log := slog.New(slog.NewJSONHandler(&logs, nil))
	srv, db := servertest.New(t, servertest.Options{Config: server.Config{Log: log}})
	srv.Close() // no follower logging its own errors once the database is gone
	db.Close()
	// Not a published page, so the site asks the closed database for a
	// redirect: an internal error, logged through web.Errors.
	res := get(t, srv, "/fr/nulle-part")
	if res.StatusCode != http.StatusInternalServerError {
		t.Fatalf("status %d, want 500", res.StatusCode)
	}
	id := res.Header.Get(web.RequestIDHeader)
	if len(id) < 8 {
		t.Fatalf("X-Request-Id = %q", id)
	}
	var request, internal map[string]any
	for _, l := range logs.lines(t) {
		switch l["msg"] {
		case "request":
			request = l
		case "internal error":
			internal = l
		}
	}
	if request == nil || internal == nil {
		t.Fatalf("missing request or error line: request=%v error=%v", request, internal)
	}
	for _, l := range []map[string]any{request, internal} {
		if l["request_id"] != id || l["path"] != "/fr/nulle-part" {
			t.Errorf("%s line: request_id %v, path %v; header %q", l["msg"], l["request_id"], l["path"], id)
		}
	}
	if request["status"] != float64(500) || internal["level"] != "ERROR" {
		t.Errorf("request status %v, error level %v", request["status"], internal["level"])
	}
	// Another request gets another ID.
	if other := get(t, srv, "/fr/nulle-part").Header.Get(web.RequestIDHeader); other == id || other == "" {
		t.Errorf("second request's ID %q, first %q", other, id)
	}
}

// X-Request-Id is taken from a trusted proxy only, and only when it is a
// short token; otherwise the server makes its own.
func TestRequestIDFromTrustedProxyOnly(t *testing.T) {
	proxies, err := web.ParseProxies("192.0.2.0/24")
	if err != nil {
		t.Fatal(err)
	}
	srv, _ := servertest.New(t, servertest.Options{Config: server.Config{TrustedProxies: proxies}})
	for _, tc := range []struct {
		name, peer, sent string
		kept             bool
	}{
		{"trusted proxy", "192.0.2.7:4000", "f3b1c2d4-0a9e-4d7c-8a55-5e4c9b1d2e3f", true},
		{"untrusted peer", "198.51.100.9:4000", "chosen-by-client", false},
		{"trusted proxy, spaces", "192.0.2.7:4000", "a b", false},
		{"trusted proxy, too long", "192.0.2.7:4000", strings.Repeat("a", 65), false},
	} {
		r := httptest.NewRequest("GET", "/fr/", nil)
		r.RemoteAddr = tc.peer
		r.Header.Set(web.RequestIDHeader, tc.sent)
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, r)
		got := w.Header().Get(web.RequestIDHeader)
		if (got == tc.sent) != tc.kept || got == "" {
			t.Errorf("%s: sent %q, got %q", tc.name, tc.sent, got)
		}
	}
}
