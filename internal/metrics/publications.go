package metrics

import (
	"context"

	"github.com/prometheus/client_golang/prometheus"

	"portail/internal/audit"
	"portail/internal/content"
	"portail/internal/store"
)

// Publications is a store that counts the publications it carries out.
// Every publication, by hand or scheduled, goes through Apply or ApplyAll
// (store.Publishing), so counting their successes there is exact and
// costs one increment per publication; the sum over instances is the
// site's total.
type Publications struct {
	store.Store
	count *prometheus.CounterVec
}

// Interface guard.
var _ store.Store = (*Publications)(nil)

// CountPublications registers portail_publications_total on reg and
// returns s counting into it. Its label "via" is "staff" or "schedule".
func CountPublications(reg prometheus.Registerer, s store.Store) (*Publications, error) {
	c := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "portail_publications_total",
		Help: "Revisions published by this instance, by hand (staff) or when their time came (schedule).",
	}, []string{"via"})
	if err := reg.Register(c); err != nil {
		return nil, err
	}
	// Both series exist from the start, so that a rate is 0 rather than
	// absent before the first publication.
	c.WithLabelValues("staff")
	c.WithLabelValues("schedule")
	return &Publications{Store: s, count: c}, nil
}

// Apply implements store.Publishing.
func (p *Publications) Apply(ctx context.Context, t content.Transition, o audit.Origin) (content.Revision, error) {
	r, err := p.Store.Apply(ctx, t, o)
	if err == nil {
		p.counted(t)
	}
	return r, err
}

// ApplyAll implements store.Publishing.
func (p *Publications) ApplyAll(ctx context.Context, ts []content.Transition, o audit.Origin) ([]content.Revision, error) {
	rs, err := p.Store.ApplyAll(ctx, ts, o)
	if err == nil {
		for _, t := range ts {
			p.counted(t)
		}
	}
	return rs, err
}

func (p *Publications) counted(t content.Transition) {
	if t.To != content.Published {
		return
	}
	via := "staff"
	if t.Action == content.ActPublishDue {
		via = "schedule"
	}
	p.count.WithLabelValues(via).Inc()
}
