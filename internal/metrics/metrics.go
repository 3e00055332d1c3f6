// Package metrics exposes the server's Prometheus metrics: requests by
// route pattern and status, their durations, the rendered-page cache,
// publications, overdue scheduled items, the change feed's lag, and the
// Go runtime's. Every label takes its values from a closed set.
package metrics

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"portail/internal/web"
)

// Metrics holds the collectors of one server.
type Metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

// New registers the server's collectors on reg, which the caller creates
// (no global registry, so that tests can build servers side by side).
func New(reg *prometheus.Registry) (*Metrics, error) {
	m := &Metrics{
		reg: reg,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "portail_http_requests_total",
			Help: "HTTP requests by route pattern, method and status code.",
		}, []string{"route", "method", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "portail_http_request_duration_seconds",
			Help:    "Time to answer HTTP requests, by route pattern.",
			Buckets: []float64{.0005, .001, .005, .01, .05, .1, .5, 1, 5},
		}, []string{"route"}),
	}
	for _, c := range []prometheus.Collector{
		m.requests, m.duration,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// Handler serves the metrics in the Prometheus text format. A figure
// that cannot be read (the database is down) is left out and logged to
// errLog, which may be nil; the others are still served.
func (m *Metrics) Handler(errLog promhttp.Logger) http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{ErrorLog: errLog, ErrorHandling: promhttp.ContinueOnError})
}

// Instrument counts and times the requests that mux answers. It must wrap
// the ServeMux directly: the mux records the matched pattern on the request
// it is given, and the route label is that pattern (a bounded set), never
// the raw path.
func (m *Metrics) Instrument(mux http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &web.StatusWriter{ResponseWriter: w}
		mux.ServeHTTP(sw, r)
		route := r.Pattern
		if route == "" {
			route = "unmatched" // 405 and redirects the mux answers itself
		}
		status := sw.Status()
		if status == 0 {
			status = http.StatusOK // a handler that wrote nothing
		}
		m.requests.WithLabelValues(route, method(r.Method), strconv.Itoa(status)).Inc()
		m.duration.WithLabelValues(route).Observe(time.Since(start).Seconds())
	})
}

// knownMethods are the methods of RFC 9110 and PATCH. The method is sent
// by the client, and Go accepts any token as one: each invented method
// would otherwise be a new series that /metrics keeps for ever.
var knownMethods = map[string]bool{
	http.MethodGet: true, http.MethodHead: true, http.MethodPost: true,
	http.MethodPut: true, http.MethodPatch: true, http.MethodDelete: true,
	http.MethodOptions: true, http.MethodConnect: true, http.MethodTrace: true,
}

// method returns the label value of method m: m itself when it is a
// known method, "other" for any other.
func method(m string) string {
	if knownMethods[m] {
		return m
	}
	return "other"
}
