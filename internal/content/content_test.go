package content

import (
	"errors"
	"strings"
	"testing"

	"portail/internal/apperr"
	"portail/internal/lang"
)

func TestValidPath(t *testing.T) {
	good := []string{"", "ministere", "ministere/mission", "acces-information/plan-de-classification", "a1/b2"}
	bad := []string{"/x", "x/", "x//y", "with space", "Majuscule", "é", "a--b", "-a", "a-", "../etc", strings.Repeat("a", MaxPath+1)}
	for _, p := range good {
		if !ValidPath(p) {
			t.Errorf("ValidPath(%q) = false", p)
		}
	}
	for _, p := range bad {
		if ValidPath(p) {
			t.Errorf("ValidPath(%q) = true", p)
		}
	}
}

func TestRevisionValidate(t *testing.T) {
	ok := Revision{PageKey: "mission", Lang: lang.FR, Path: "ministere/mission", Title: "Mission"}
	if err := ok.Validate(); err != nil {
		t.Fatalf("valid revision refused: %v", err)
	}
	bad := ok
	bad.Title = "  "
	bad.Path = "avec espace"
	err := bad.Validate()
	if !errors.Is(err, apperr.Invalid) {
		t.Fatalf("want Invalid, got %v", err)
	}
	pr := apperr.ProblemsOf(err)
	if pr["title"] != "form.required" || pr["path"] != "form.path.invalid" {
		t.Fatalf("problems = %v", pr)
	}
	links := ok
	links.Body = strings.Repeat("[a](", MaxBrackets+1)
	if apperr.ProblemsOf(links.Validate())["body"] != "form.body.brackets" {
		t.Fatal("a body with more square brackets than any page needs must be refused")
	}
	links.Body = strings.Repeat("[lien](/fr/) ", 500)
	if err := links.Validate(); err != nil {
		t.Fatalf("a page with 500 links refused: %v", err)
	}
	major := ok
	major.Major, major.State = true, Published
	if apperr.ProblemsOf(major.Validate())["change_note"] == "" {
		t.Fatal("a major published change without a change note must be refused")
	}
}

func FuzzValidPath(f *testing.F) {
	for _, s := range []string{"", "a/b", "a b", "é/è", "x-y/z-1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, p string) {
		if !ValidPath(p) {
			return
		}
		// A valid path is safe to put in a URL as is.
		for _, r := range p {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '/') {
				t.Fatalf("valid path %q holds %q", p, r)
			}
		}
		if strings.Contains(p, "//") || strings.HasPrefix(p, "/") {
			t.Fatalf("valid path %q has an empty segment", p)
		}
	})
}
