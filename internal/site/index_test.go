package site

import (
	"fmt"
	"testing"
	"time"

	"portail/internal/content"
	"portail/internal/lang"
)

// BenchmarkIndex measures building the in-memory view of the published
// site, which every instance does when the change feed moves, with n
// pages per language. It must stay linear: compare the ns/translation of
// the two sizes.
func BenchmarkIndex(b *testing.B) {
	at := time.Date(2026, 3, 2, 14, 30, 0, 0, time.UTC)
	for _, n := range []int{1000, 10000} {
		ts := make([]content.Translation, 0, 2*n)
		for i := range n {
			key := fmt.Sprintf("bench-%05d", i)
			for _, l := range lang.All {
				ts = append(ts, content.Translation{PageKey: key, Section: content.SectionDepartment, Order: i, Lang: l,
					Path: "ministere/" + key, RevisionID: int64(2*i + 1), Title: "Page " + key, Body: "Texte", Updated: at})
			}
		}
		b.Run(fmt.Sprintf("pages=%d", n), func(b *testing.B) {
			for b.Loop() {
				idx := newIndex(ts, 1, at)
				if len(idx.byKey) != n {
					b.Fatalf("%d pages indexed, want %d", len(idx.byKey), n)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(2*n), "ns/translation")
		})
	}
}
