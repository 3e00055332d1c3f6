package publishing

import (
	"context"
	"net/http"
	"slices"
	"time"

	"portail/internal/admin"
	"portail/internal/content"
	"portail/internal/i18n"
	"portail/internal/lang"
	"portail/internal/site"
)

type scheduledRow struct {
	content.Revision
	URL     string
	Overdue bool
}

type scheduledData struct {
	admin.Page
	Rows    []scheduledRow
	Overdue int
}

// scheduled lists the publications waiting for their time, soonest first;
// one that the scheduler should already have carried out is flagged.
func (a *Area) scheduled() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		list, err := a.Store.Scheduled(r.Context())
		if err != nil {
			a.Fail(w, r, err)
			return
		}
		d := scheduledData{Page: a.Page(r, "admin.scheduled.title")}
		now := a.Now()
		for _, rv := range list {
			row := scheduledRow{Revision: rv, URL: revisionURL(rv.ID), Overdue: rv.Overdue(now)}
			if row.Overdue {
				d.Overdue++
			}
			d.Rows = append(d.Rows, row)
		}
		a.Render(w, r, http.StatusOK, "admin-scheduled", &d)
	})
}

// reviewSoon is how far ahead the review-by list and the dashboard look;
// the catalog's admin.reviews.intro and admin.reviews.none say it in words.
const reviewSoon = 14 * 24 * time.Hour

type reviewRow struct {
	Key, Title, EditURL string
	ReviewBy            time.Time
	Past                bool
}

type reviewsData struct {
	admin.Page
	Rows []reviewRow
}

// dueForReview returns the pages whose review-by date is past or within
// reviewSoon, the most urgent first.
func (a *Area) dueForReview(ctx context.Context) ([]reviewRow, error) {
	pages, err := a.Store.ListPages(ctx)
	if err != nil {
		return nil, err
	}
	public, err := a.publicTranslations(ctx)
	if err != nil {
		return nil, err
	}
	// Dates are civil dates in Montréal: a page due today is not past.
	y, m, dd := a.Now().In(i18n.Montreal).Date()
	today := time.Date(y, m, dd, 0, 0, 0, 0, time.UTC)
	var out []reviewRow
	for _, p := range pages {
		if p.ReviewBy.IsZero() || p.ReviewBy.Sub(today) > reviewSoon {
			continue
		}
		title := p.Key
		if t, ok := public[p.Key][lang.FR]; ok && t.Title != "" {
			title = t.Title
		}
		out = append(out, reviewRow{Key: p.Key, Title: title, EditURL: pageURL(p.Key), ReviewBy: p.ReviewBy, Past: p.ReviewBy.Before(today)})
	}
	slices.SortStableFunc(out, func(a, b reviewRow) int { return a.ReviewBy.Compare(b.ReviewBy) })
	return out, nil
}

// reviews lists the pages whose review-by date is past or near.
func (a *Area) reviews() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rows, err := a.dueForReview(r.Context())
		if err != nil {
			a.Fail(w, r, err)
			return
		}
		d := reviewsData{Page: a.Page(r, "admin.reviews.title"), Rows: rows}
		a.Render(w, r, http.StatusOK, "admin-reviews", &d)
	})
}

type gapRow struct {
	content.TranslationGap
	FrenchURL, FixURL string
}

type translationsData struct {
	admin.Page
	Rows []gapRow
}

// translateURL leads to the English column of page key's editor.
func translateURL(key string) string { return pageURL(key) + "#en.title" }

// translations lists the pages with no English version, or an English
// version older than the French source's last major change, each with a
// link to the editor's English column.
func (a *Area) translations() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gaps, err := a.Store.TranslationGaps(r.Context())
		if err != nil {
			a.Fail(w, r, err)
			return
		}
		d := translationsData{Page: a.Page(r, "admin.translations.title")}
		for _, g := range gaps {
			d.Rows = append(d.Rows, gapRow{TranslationGap: g, FrenchURL: site.URL(lang.FR, g.FRPath), FixURL: translateURL(g.PageKey)})
		}
		a.Render(w, r, http.StatusOK, "admin-translations", &d)
	})
}
