package metrics

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

func scrape(t *testing.T, m *Metrics) (int, string) {
	t.Helper()
	w := httptest.NewRecorder()
	m.Handler(nil).ServeHTTP(w, httptest.NewRequest("GET", "/metrics", nil))
	return w.Code, w.Body.String()
}

// The lag is measured from the oldest record not applied, and a figure
// that cannot be read leaves the others served.
func TestWatchReadsSourcesAtScrapeTime(t *testing.T) {
	m, err := New(prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 7, 1, 12, 0, 0, 0, time.UTC)
	hits := uint64(0)
	down := errors.New("database down")
	var overdueErr error
	err = m.Watch(Sources{
		Now:        func() time.Time { return now },
		CacheStats: func() (uint64, uint64) { hits++; return hits, 7 },
		Lag: func(context.Context) (int64, time.Time, error) {
			return 3, now.Add(-90 * time.Second), nil
		},
		Overdue: func(context.Context) (int, error) { return 2, overdueErr },
	})
	if err != nil {
		t.Fatal(err)
	}
	code, out := scrape(t, m)
	for _, want := range []string{
		"portail_page_cache_hits_total 1\n", "portail_page_cache_misses_total 7\n",
		"portail_change_feed_behind 3\n", "portail_change_feed_lag_seconds 90\n",
		"portail_scheduled_overdue 2\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("first scrape lacks %q", want)
		}
	}
	overdueErr = down
	code, out = scrape(t, m)
	if code != 200 || !strings.Contains(out, "portail_page_cache_hits_total 2\n") || strings.Contains(out, "portail_scheduled_overdue") {
		t.Errorf("with the overdue count failing: %d\n%s", code, out)
	}
}
