package content

import (
	"net/url"
	"strings"

	"portail/internal/apperr"
	"portail/internal/lang"
)

// NavSection is a section of the public site as its navigation shows it:
// data that administrators edit, not code. The main menu lists the
// sections in Order, each linking to its landing page (the lowest-ordered
// page of the section that is public).
type NavSection struct {
	Key   Section
	Order int
	Label map[lang.Lang]string // the menu entry in each language
}

// FooterLink is a link of the public site's footer, in both languages.
type FooterLink struct {
	ID    int64
	Order int
	Label map[lang.Lang]string
	URL   map[lang.Lang]string // a path on the site ("/fr/…") or an https:// address
}

// Limits on navigation fields.
const (
	MaxLabel    = 80
	MaxLinkURL  = 500
	MaxSections = 20 // a menu longer than this no longer reads as one
	MaxFooter   = 30
)

// Validate checks a section's fields; problems are named "key", "order",
// "fr.label" and "en.label".
func (s NavSection) Validate() error {
	p := apperr.Problems{}
	if !ValidKey(string(s.Key)) {
		p.Add("key", "form.key.invalid")
	}
	if s.Order < 0 || s.Order > 10000 {
		p.Add("order", "form.number.invalid")
	}
	for _, l := range lang.All {
		checkLabel(p, string(l)+".label", s.Label[l])
	}
	return p.Err()
}

// Validate checks a footer link's fields; problems are named "order",
// "fr.label", "en.label", "fr.url" and "en.url".
func (f FooterLink) Validate() error {
	p := apperr.Problems{}
	if f.Order < 0 || f.Order > 10000 {
		p.Add("order", "form.number.invalid")
	}
	for _, l := range lang.All {
		checkLabel(p, string(l)+".label", f.Label[l])
		if k := checkLinkURL(f.URL[l]); k != "" {
			p.Add(string(l)+".url", k)
		}
	}
	return p.Err()
}

func checkLabel(p apperr.Problems, field, v string) {
	switch {
	case !ValidText(v):
		p.Add(field, "form.text.invalid")
	case strings.TrimSpace(v) == "":
		p.Add(field, "form.required")
	case len(v) > MaxLabel:
		p.Add(field, "form.too_long")
	}
}

// checkLinkURL returns the message key refusing u as a footer link, or
// "": a path on the site, or an absolute https address. Anything else
// (javascript:, data:, protocol-relative "//host") is refused.
func checkLinkURL(u string) string {
	if !ValidText(u) {
		return "form.text.invalid"
	}
	if strings.TrimSpace(u) == "" {
		return "form.required"
	}
	if len(u) > MaxLinkURL {
		return "form.too_long"
	}
	parsed, err := url.Parse(u)
	switch {
	case err != nil:
		return "form.url.invalid"
	case strings.HasPrefix(u, "/") && !strings.HasPrefix(u, "//") && parsed.Host == "":
		return ""
	case parsed.Scheme == "https" && parsed.Host != "" && parsed.User == nil:
		return ""
	}
	return "form.url.invalid"
}

// NewSection is what an administrator adds at once: a section, and its
// landing page with a draft in each language, ready for the editors.
type NewSection struct {
	Section NavSection
	Landing Page
	Drafts  []Revision // one per language: its path and title
}

// Validate checks the section, the landing page's key and each draft;
// draft problems are named "<lang>.path" and "<lang>.title".
func (n NewSection) Validate() error {
	p := apperr.Problems{}
	for f, k := range apperr.ProblemsOf(n.Section.Validate()) {
		p.Add(f, k)
	}
	if !ValidKey(n.Landing.Key) {
		p.Add("page", "form.key.invalid")
	}
	seen := map[lang.Lang]bool{}
	for _, r := range n.Drafts {
		if seen[r.Lang] || r.PageKey != n.Landing.Key || r.State != Draft {
			return apperr.New(apperr.Invalid, "content: a new section holds one draft per language of its landing page")
		}
		seen[r.Lang] = true
		probs := apperr.ProblemsOf(r.Validate())
		for _, f := range []string{"path", "title"} {
			if k, ok := probs[f]; ok {
				p.Add(string(r.Lang)+"."+f, k)
			}
		}
		if r.Path == "" {
			p.Add(string(r.Lang)+".path", "form.required")
		}
	}
	if !seen[lang.FR] {
		p.Add("fr.title", "form.required")
	}
	return p.Err()
}
