package metrics

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

func TestInstrumentLabelsByPattern(t *testing.T) {
	m, err := New(prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /fr/{path...}", func(w http.ResponseWriter, r *http.Request) {})
	mux.HandleFunc("GET /gone", func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) })
	h := m.Instrument(mux)
	for _, path := range []string{"/fr/a", "/fr/b/c", "/gone"} {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", path, nil))
	}
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("POST", "/gone", nil))

	w := httptest.NewRecorder()
	m.Handler(nil).ServeHTTP(w, httptest.NewRequest("GET", "/metrics", nil))
	out := w.Body.String()
	for _, want := range []string{
		`portail_http_requests_total{code="200",method="GET",route="GET /fr/{path...}"} 2`,
		`portail_http_requests_total{code="404",method="GET",route="GET /gone"} 1`,
		`portail_http_requests_total{code="405",method="POST",route="unmatched"} 1`,
		`portail_http_request_duration_seconds_count{route="GET /fr/{path...}"} 2`,
		"go_goroutines",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if strings.Contains(out, `/fr/a"`) {
		t.Error("a raw path became a label value")
	}
}

// Two servers in one process must not collide on a global registry.
func TestRegistriesAreIndependent(t *testing.T) {
	for range 2 {
		if _, err := New(prometheus.NewRegistry()); err != nil {
			t.Fatal(err)
		}
	}
	reg := prometheus.NewRegistry()
	New(reg)
	if _, err := New(reg); err == nil {
		t.Fatal("registering twice on one registry must fail")
	}
}

// The method is chosen by the client: invented methods must not each add
// a series, or /metrics grows with every one of them and never shrinks.
func TestInventedMethodsKeepMetricsBounded(t *testing.T) {
	m, err := New(prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /fr/{path...}", func(w http.ResponseWriter, r *http.Request) {})
	mux.HandleFunc("/any", func(w http.ResponseWriter, r *http.Request) {}) // matches every method
	h := m.Instrument(mux)
	size := func() (int, string) {
		w := httptest.NewRecorder()
		m.Handler(nil).ServeHTTP(w, httptest.NewRequest("GET", "/metrics", nil))
		return w.Body.Len(), w.Body.String()
	}
	send := func(method, path string) {
		r := httptest.NewRequest("GET", path, nil)
		r.Method = method
		h.ServeHTTP(httptest.NewRecorder(), r)
	}
	for _, path := range []string{"/fr/a", "/any", "/nowhere"} {
		send("GET", path)
		send("BREW", path)
	}
	before, _ := size()
	long := strings.Repeat("X", 1000)
	for i := range 300 {
		for _, path := range []string{"/fr/a", "/any", "/nowhere"} {
			send(fmt.Sprintf("M%d%s", i, long), path)
		}
	}
	after, out := size()
	if strings.Contains(out, long) || strings.Contains(out, `method="BREW"`) {
		t.Error("an invented method became a label value")
	}
	for _, want := range []string{
		`portail_http_requests_total{code="200",method="other",route="/any"} 301`,
		`portail_http_requests_total{code="405",method="other",route="unmatched"} 301`,
		`portail_http_requests_total{code="404",method="GET",route="unmatched"} 1`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	// Runtime figures change width a little between two scrapes; 900
	// new series of 1 KB would add 900 KB.
	if after-before > 2000 {
		t.Errorf("/metrics grew from %d to %d bytes after 900 requests with invented methods", before, after)
	}
}
