package server

import (
	"net/http"
	"testing"

	"portail/internal/site"
	"portail/internal/web"
)

// The staff side reads the reserved page paths once, when it is built: a
// public route registered after that would hide pages that the editor
// accepts, so the server refuses to start with one.
func TestServerRefusesPublicRouteAfterStaffSide(t *testing.T) {
	var st site.Site
	mux := web.NewMux()
	st.Routes(mux)
	reserved, err := site.Reserved(mux.Patterns())
	if err != nil {
		t.Fatal(err)
	}
	mux.HandleFunc("GET /admin/x", func(http.ResponseWriter, *http.Request) {})
	if err := checkReserved(mux, reserved); err != nil {
		t.Fatalf("no new public route: %v", err)
	}
	mux.HandleFunc("GET /en/search", func(http.ResponseWriter, *http.Request) {})
	if err := checkReserved(mux, reserved); err == nil {
		t.Fatal("a route under /en/ registered after the staff side was accepted")
	}
}
