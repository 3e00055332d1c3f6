// Package content holds the publishing domain: pages, their translations and
// revisions, and the rules of the editorial workflow.
package content

import (
	"regexp"
	"strings"
	"time"

	"portail/internal/apperr"
	"portail/internal/lang"
)

// Section is the key of a section of the public site (NavSection):
// pages are grouped by section for the navigation.
type Section string

// The keys of the default content's sections, which the first migration
// of the navigation creates. SectionHome holds the home page, which alone
// lives at /fr/ and /en/.
const (
	SectionHome       Section = "home"
	SectionDepartment Section = "department"
	SectionOffices    Section = "offices"
	SectionPolicy     Section = "policy"
	SectionServices   Section = "services"
	SectionAccess     Section = "access"
)

// Page is a piece of content that exists in French and may exist in English.
type Page struct {
	Key     string // stable identifier, never shown in URLs
	Section Section
	Order   int // position among its section's pages
	// ReviewBy is the date (midnight UTC) by which the page's owner must
	// re-check it; zero when none is set.
	ReviewBy time.Time
	// FrenchOnly says the page is written in French only by design: its
	// English is not a missing translation.
	FrenchOnly bool
}

// State is a revision's place in the editorial workflow.
type State string

// Workflow states.
const (
	Draft     State = "draft"
	Review    State = "review"
	Published State = "published"
	Archived  State = "archived"
)

// Revision is one saved version of a page in one language.
type Revision struct {
	ID         int64 // internal: in URLs, never shown to people
	Number     int   // its rank among its page's revisions in its language, from 1: the number people see
	PageKey    string
	Lang       lang.Lang
	Path       string // path under /{lang}/, e.g. "ministere/mission"; "" for home
	Title      string
	Summary    string
	Body       string // Markdown
	State      State
	Author     string
	Created    time.Time
	Note       string // editor's note on the change (internal)
	Major      bool   // a major change moves the public "Last update"
	ChangeNote string // public change note of a major change

	PublishAt   time.Time // time of a scheduled publication; zero when not scheduled
	PublishedAt time.Time // time of its publication; zero if never published
	Approved    Approval  // who approved a scheduled or published revision
	Returned    Return    // the last time it was sent back to draft; zero if never
}

// Translation is the public view of a page in one language: the latest
// published revision, or only a reserved path when the language has none.
type Translation struct {
	PageKey    string
	Section    Section
	Order      int
	Lang       lang.Lang
	Path       string
	RevisionID int64 // 0 when no revision is published in this language
	Title      string
	Summary    string
	Body       string
	Updated    time.Time // time of the latest major publication
}

// HasContent reports whether a revision is published in this language.
func (t Translation) HasContent() bool { return t.RevisionID != 0 }

var (
	keyPattern     = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,63}$`)
	segmentPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
)

// Limits on field sizes, so that one page cannot fill the database.
const (
	MaxTitle   = 200
	MaxSummary = 1000
	MaxBody    = 200_000
	// MaxBrackets caps the square brackets of a body: goldmark's link
	// parsing is quadratic in unclosed "[x](" openers (120 KB of them took
	// 4 s), far beyond any real page's few hundred links.
	MaxBrackets = 5_000
	MaxPath     = 200
)

// ValidKey reports whether k can be a page key.
func ValidKey(k string) bool { return keyPattern.MatchString(k) }

// ValidPath reports whether p can be a page path: lowercase ASCII words
// joined by hyphens, segments separated by slashes, no leading or trailing
// slash. The empty path is the home page.
func ValidPath(p string) bool {
	if p == "" {
		return true
	}
	if len(p) > MaxPath {
		return false
	}
	for _, seg := range strings.Split(p, "/") {
		if !segmentPattern.MatchString(seg) {
			return false
		}
	}
	return true
}

// Validate checks a revision's fields. Problems name form fields and carry
// i18n message keys.
func (r Revision) Validate() error {
	p := apperr.Problems{}
	checkText(p, map[string]string{"title": r.Title, "summary": r.Summary, "body": r.Body,
		"note": r.Note, "change_note": r.ChangeNote})
	if _, ok := lang.Parse(string(r.Lang)); !ok {
		p.Add("lang", "form.lang.invalid")
	}
	if !ValidKey(r.PageKey) {
		p.Add("key", "form.key.invalid")
	}
	if !ValidPath(r.Path) {
		p.Add("path", "form.path.invalid")
	}
	if strings.TrimSpace(r.Title) == "" {
		p.Add("title", "form.required")
	} else if len(r.Title) > MaxTitle {
		p.Add("title", "form.too_long")
	}
	if len(r.Summary) > MaxSummary {
		p.Add("summary", "form.too_long")
	}
	if k := BodyProblem(r.Body); k != "" {
		p.Add("body", k)
	}
	if r.Major && r.State == Published && strings.TrimSpace(r.ChangeNote) == "" {
		p.Add("change_note", "form.change_note.required")
	}
	return p.Err()
}
