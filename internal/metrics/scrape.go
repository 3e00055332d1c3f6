package metrics

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Sources are the figures that are read when /metrics is scraped rather
// than counted as things happen: reading them then costs the request path
// nothing. A nil field is left out.
type Sources struct {
	// Now is the clock the lag is measured with; nil means time.Now.
	Now func() time.Time
	// CacheStats returns the rendered-page cache's hits and misses so far.
	CacheStats func() (hits, misses uint64)
	// Lag returns how many change-feed records this instance has not
	// applied yet and the commit time of the oldest of them (zero when
	// none): see site.Site.Lag.
	Lag func(ctx context.Context) (behind int64, oldest time.Time, err error)
	// Overdue returns how many scheduled publications are past their
	// time and its grace (content.Revision.Overdue).
	Overdue func(ctx context.Context) (int, error)
}

// scrapeTimeout bounds the store queries of one scrape.
const scrapeTimeout = 2 * time.Second

var (
	cacheHitsDesc = prometheus.NewDesc("portail_page_cache_hits_total",
		"Public page requests answered from the rendered-page cache.", nil, nil)
	cacheMissesDesc = prometheus.NewDesc("portail_page_cache_misses_total",
		"Public page requests that found no rendered page in the cache.", nil, nil)
	feedBehindDesc = prometheus.NewDesc("portail_change_feed_behind",
		"Change-feed records committed to the store that this instance's public site does not reflect yet.", nil, nil)
	feedLagDesc = prometheus.NewDesc("portail_change_feed_lag_seconds",
		"Seconds since the oldest change-feed record that this instance has not applied was committed; 0 when it is up to date.", nil, nil)
	overdueDesc = prometheus.NewDesc("portail_scheduled_overdue",
		"Scheduled publications past their time and grace, not yet published.", nil, nil)
)

// scraper is the collector of Sources.
type scraper struct{ src Sources }

func (c scraper) Describe(ch chan<- *prometheus.Desc) {
	if c.src.CacheStats != nil {
		ch <- cacheHitsDesc
		ch <- cacheMissesDesc
	}
	if c.src.Lag != nil {
		ch <- feedBehindDesc
		ch <- feedLagDesc
	}
	if c.src.Overdue != nil {
		ch <- overdueDesc
	}
}

func (c scraper) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
	defer cancel()
	if c.src.CacheStats != nil {
		hits, misses := c.src.CacheStats()
		ch <- prometheus.MustNewConstMetric(cacheHitsDesc, prometheus.CounterValue, float64(hits))
		ch <- prometheus.MustNewConstMetric(cacheMissesDesc, prometheus.CounterValue, float64(misses))
	}
	if c.src.Lag != nil {
		behind, oldest, err := c.src.Lag(ctx)
		if err != nil {
			ch <- prometheus.NewInvalidMetric(feedBehindDesc, err)
		} else {
			lag := 0.0
			if behind > 0 && !oldest.IsZero() {
				lag = max(0, c.now().Sub(oldest).Seconds())
			}
			ch <- prometheus.MustNewConstMetric(feedBehindDesc, prometheus.GaugeValue, float64(behind))
			ch <- prometheus.MustNewConstMetric(feedLagDesc, prometheus.GaugeValue, lag)
		}
	}
	if c.src.Overdue != nil {
		n, err := c.src.Overdue(ctx)
		if err != nil {
			ch <- prometheus.NewInvalidMetric(overdueDesc, err)
		} else {
			ch <- prometheus.MustNewConstMetric(overdueDesc, prometheus.GaugeValue, float64(n))
		}
	}
}

func (c scraper) now() time.Time {
	if c.src.Now != nil {
		return c.src.Now()
	}
	return time.Now()
}

// Watch registers the figures of src, read at each scrape.
func (m *Metrics) Watch(src Sources) error {
	return m.reg.Register(scraper{src})
}
