package policy

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"portail/internal/apperr"
	"portail/internal/content"
	"portail/internal/lang"
)

// Limits on a document, checked before anything is stored or rendered.
const (
	MaxDocuments  = 100 // in the store: the page shows them all
	MaxID         = 60
	MaxThrusts    = 20
	MaxObjectives = 50  // per thrust
	MaxMeasures   = 100 // per objective
	// MaxItems bounds the objectives and measures of a whole document:
	// the per-level limits alone would allow 100,000 measures, a
	// document no page should render.
	MaxItems = 2000
	MaxTitle = 300  // a title or a budget, in one language
	MaxText  = 4000 // a summary or a text, in one language
	MaxURL   = 500
	// The years a date or a period may name.
	MinYear, MaxYear = 1900, 9999
)

var idPattern = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)

// ValidID reports whether s can name a document, a thrust, an objective
// or a measure: a lowercase slug, in URLs and anchors.
func ValidID(s string) bool { return len(s) <= MaxID && idPattern.MatchString(s) }

// Validate checks every field of d and returns an apperr.Invalid whose
// problems name each bad field ("id", "title.en",
// "thrusts.1.objectives.0.text.fr", …) with a message key of the i18n
// catalogue, or nil.
//
// Titles and the texts of objectives and measures are required in French
// and English, since the page shows them in both; the summary, the
// budget and the thrusts' texts are optional. The IDs of the thrusts,
// objectives and measures are slugs, each used once in the document, so
// that every one of them names one anchor of the page.
func (d Document) Validate() error {
	p := apperr.Problems{}
	if !ValidID(d.ID) {
		p.Add("id", "form.key.invalid")
	}
	if d.Kind != Policy && d.Kind != Update {
		p.Add("kind", "form.policy.kind")
	}
	checkTexts(p, "title", d.Title, MaxTitle, true)
	checkTexts(p, "summary", d.Summary, MaxText, false)
	checkTexts(p, "budget", d.Budget, MaxTitle, false)
	switch {
	case d.Launched.IsZero():
		p.Add("launched", "form.required")
	case !validDate(d.Launched):
		p.Add("launched", "form.policy.date")
	}
	for field, y := range map[string]int{"from_year": d.FromYear, "to_year": d.ToYear} {
		if y != 0 && (y < MinYear || y > MaxYear) {
			p.Add(field, "form.policy.year")
		}
	}
	if d.ToYear != 0 && d.FromYear == 0 {
		p.Add("from_year", "form.required")
	}
	if d.FromYear != 0 && d.ToYear != 0 && d.ToYear < d.FromYear {
		p.Add("to_year", "form.policy.years")
	}
	if d.URL != "" {
		// url.Parse takes bytes that are not UTF-8 (it escapes them),
		// which a database's text column would not keep.
		if u, err := url.Parse(d.URL); err != nil || !content.ValidText(d.URL) || u.Scheme != "https" || u.Host == "" || len(d.URL) > MaxURL {
			p.Add("url", "form.policy.url")
		}
	}

	if len(d.Thrusts) > MaxThrusts {
		p.Add("thrusts", "form.policy.too_many")
	}
	items := 0
	seen := map[string]bool{}
	id := func(field, v string) {
		switch {
		case !ValidID(v):
			p.Add(field, "form.key.invalid")
		case seen[v]:
			p.Add(field, "form.policy.duplicate")
		}
		seen[v] = true
	}
	for i, t := range d.Thrusts {
		tf := fmt.Sprintf("thrusts.%d", i)
		id(tf+".id", t.ID)
		checkTexts(p, tf+".title", t.Title, MaxTitle, true)
		checkTexts(p, tf+".text", t.Text, MaxText, false)
		if len(t.Objectives) > MaxObjectives {
			p.Add(tf+".objectives", "form.policy.too_many")
		}
		for j, o := range t.Objectives {
			of := fmt.Sprintf("%s.objectives.%d", tf, j)
			id(of+".id", o.ID)
			checkTexts(p, of+".text", o.Text, MaxText, true)
			if len(o.Measures) > MaxMeasures {
				p.Add(of+".measures", "form.policy.too_many")
			}
			for k, m := range o.Measures {
				mf := fmt.Sprintf("%s.measures.%d", of, k)
				id(mf+".id", m.ID)
				checkTexts(p, mf+".text", m.Text, MaxText, true)
			}
			items += 1 + len(o.Measures)
		}
	}
	if items > MaxItems {
		p.Add("thrusts", "form.policy.too_many")
	}
	return p.Err()
}

// validDate reports whether d is a day of the calendar (not 31 April)
// within the years a document may name.
func validDate(d Date) bool {
	if d.Year < MinYear || d.Year > MaxYear {
		return false
	}
	t := d.In(time.UTC)
	return t.Month() == d.Month && t.Day() == d.Day
}

// checkTexts checks a bilingual text, each language under field.lang.
// A language other than the site's is refused: nothing would show it.
func checkTexts(p apperr.Problems, field string, t Text, max int, required bool) {
	for l := range t {
		if !slices.Contains(lang.All, l) {
			p.Add(field, "form.policy.lang")
		}
	}
	for _, l := range lang.All {
		v, f := t[l], field+"."+string(l)
		switch {
		case !content.ValidText(v):
			p.Add(f, "form.text.invalid")
		case required && strings.TrimSpace(v) == "":
			p.Add(f, "form.required")
		case len(v) > max:
			p.Add(f, "form.too_long")
		}
	}
}
