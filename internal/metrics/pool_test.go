package metrics

import (
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// The pool's figures are read at each scrape, not when registered.
func TestPoolCollectorReadsAtScrape(t *testing.T) {
	p := Pool{InUse: 1, Idle: 2, Max: 8, Acquires: 10, AcquireWait: 1500 * time.Millisecond}
	reg := prometheus.NewRegistry()
	reg.MustRegister(NewPoolCollector(func() Pool { return p }))
	p.InUse, p.Acquires = 3, 11
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, f := range families {
		for _, m := range f.GetMetric() {
			name := f.GetName()
			for _, l := range m.GetLabel() {
				name += "/" + l.GetValue()
			}
			switch {
			case m.GetGauge() != nil:
				got[name] = m.GetGauge().GetValue()
			case m.GetCounter() != nil:
				got[name] = m.GetCounter().GetValue()
			}
		}
	}
	want := map[string]float64{
		"portail_db_pool_connections/in_use":         3,
		"portail_db_pool_connections/idle":           2,
		"portail_db_pool_max_connections":            8,
		"portail_db_pool_acquires_total":             11,
		"portail_db_pool_acquire_wait_seconds_total": 1.5,
	}
	if len(got) != len(want) {
		t.Fatalf("gathered %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %v, want %v", k, got[k], v)
		}
	}
}
