package metrics

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Pool is a connection pool's state, for stores whose pool is not a
// database/sql one (PostgreSQL's pgxpool), which
// collectors.NewDBStatsCollector covers.
type Pool struct {
	InUse, Idle, Max int32
	Acquires         int64         // connections handed out since start
	AcquireWait      time.Duration // total time spent waiting for one
}

// poolCollector reads the pool's state at scrape time.
type poolCollector struct {
	stat                       func() Pool
	conns, max, acquires, wait *prometheus.Desc
}

// NewPoolCollector returns a collector of the pool that stat describes,
// read at each scrape.
func NewPoolCollector(stat func() Pool) prometheus.Collector {
	return &poolCollector{
		stat:     stat,
		conns:    prometheus.NewDesc("portail_db_pool_connections", "Connections of the database pool, by state.", []string{"state"}, nil),
		max:      prometheus.NewDesc("portail_db_pool_max_connections", "Connections the database pool may open.", nil, nil),
		acquires: prometheus.NewDesc("portail_db_pool_acquires_total", "Connections handed out by the database pool.", nil, nil),
		wait:     prometheus.NewDesc("portail_db_pool_acquire_wait_seconds_total", "Time spent waiting for a connection of the database pool.", nil, nil),
	}
}

func (c *poolCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.conns
	ch <- c.max
	ch <- c.acquires
	ch <- c.wait
}

func (c *poolCollector) Collect(ch chan<- prometheus.Metric) {
	p := c.stat()
	ch <- prometheus.MustNewConstMetric(c.conns, prometheus.GaugeValue, float64(p.InUse), "in_use")
	ch <- prometheus.MustNewConstMetric(c.conns, prometheus.GaugeValue, float64(p.Idle), "idle")
	ch <- prometheus.MustNewConstMetric(c.max, prometheus.GaugeValue, float64(p.Max))
	ch <- prometheus.MustNewConstMetric(c.acquires, prometheus.CounterValue, float64(p.Acquires))
	ch <- prometheus.MustNewConstMetric(c.wait, prometheus.CounterValue, p.AcquireWait.Seconds())
}
