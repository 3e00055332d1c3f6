package server

import (
	"net/http"
	"testing"

	"portail/internal/admin"
	"portail/internal/web"
)

// A staff route registered outside the route table would skip the
// permission check: the server must refuse to start with one.
func TestServerRefusesAdminRouteOutsideTable(t *testing.T) {
	adm := admin.New(admin.Config{})
	mux := web.NewMux()
	adm.Routes(mux)
	if err := checkAdminRoutes(mux, adm); err != nil {
		t.Fatalf("the table's own routes: %v", err)
	}
	mux.HandleFunc("GET /admin/backdoor", func(http.ResponseWriter, *http.Request) {})
	if err := checkAdminRoutes(mux, adm); err == nil {
		t.Fatal("a route outside the table was accepted")
	}
}
