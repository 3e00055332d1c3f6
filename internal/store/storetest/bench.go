package storetest

import (
	"fmt"
	"testing"
	"time"

	"portail/internal/content"
	"portail/internal/lang"
	"portail/internal/store"
)

// BenchOpener returns a new, empty store for a benchmark.
type BenchOpener func(b *testing.B) store.Store

// Scale benchmarks the store's hot paths with n published pages per
// language, for n of 1 000 and 10 000: loading the published site (the
// Translations the public site indexes) and publishing one more page.
// Loading must stay linear: the per-page time of the two sizes is
// reported, so that a ratio of their totals far above 10 shows.
func Scale(b *testing.B, open BenchOpener) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("pages=%d", n), func(b *testing.B) {
			s := open(b)
			t0 := time.Now()
			Generate(b, s, n)
			b.Logf("generated %d pages per language in %v", n, time.Since(t0).Round(time.Millisecond))
			b.Run("load", func(b *testing.B) {
				for b.Loop() {
					ts, err := s.Translations(ctx)
					if err != nil {
						b.Fatal(err)
					}
					if len(ts) != 2*n {
						b.Fatalf("%d translations, want %d", len(ts), 2*n)
					}
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(2*n), "ns/translation")
			})
			b.Run("publish", func(b *testing.B) {
				i := 0
				for b.Loop() {
					i++
					publishPage(b, s, fmt.Sprintf("bench-more-%d", i), lang.FR)
				}
			})
		})
	}
}

// Generate creates n pages, each published in French and English,
// through the store's API.
func Generate(b *testing.B, s store.Store, n int) {
	b.Helper()
	for i := range n {
		key := fmt.Sprintf("bench-%05d", i)
		publishPage(b, s, key, lang.FR, lang.EN)
	}
}

// publishPage creates the page key and publishes a revision of it in
// each of langs.
func publishPage(b testing.TB, s store.Store, key string, langs ...lang.Lang) {
	b.Helper()
	if err := s.CreatePage(ctx, content.Page{Key: key, Section: content.SectionDepartment}); err != nil {
		b.Fatalf("CreatePage(%q): %v", key, err)
	}
	for _, l := range langs {
		r := content.Revision{PageKey: key, Lang: l, Path: "ministere/" + key, Title: "Page " + key,
			Summary: "Résumé de " + key, Body: "Texte de la page " + key + ", avec **du gras**.", Author: writer.Name}
		Publish(b, s, r)
	}
}
