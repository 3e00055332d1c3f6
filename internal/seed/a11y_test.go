package seed

import (
	"testing"

	"portail/internal/content"
)

// The default content must be publishable: it passes the accessibility
// checks that the staff side applies before any publication.
func TestDefaultContentPassesAccessibilityChecks(t *testing.T) {
	docs, err := Docs()
	if err != nil {
		t.Fatal(err)
	}
	for key, byLang := range docs {
		for l, d := range byLang {
			for _, is := range content.CheckAccessibility(d.Body) {
				t.Errorf("%s/%s: %+v", key, l, is)
			}
		}
	}
}
