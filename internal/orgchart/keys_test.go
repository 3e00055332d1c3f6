package orgchart

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"portail/internal/i18n"
	"portail/internal/lang"
)

// Every message key that the package's code names is in both catalogs,
// so that a form shows a sentence, not a key.
func TestMessageKeysAreInTheCatalogs(t *testing.T) {
	cats := i18n.MustLoad()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	key := regexp.MustCompile(`"(form\.[a-z_.]+)"`)
	seen := map[string]bool{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range key.FindAllStringSubmatch(string(b), -1) {
			seen[m[1]] = true
		}
	}
	if len(seen) < 25 {
		t.Fatalf("only %d keys found", len(seen))
	}
	for k := range seen {
		for _, l := range lang.All {
			if !cats[l].Has(k) {
				t.Errorf("%s: no %q", l, k)
			}
		}
	}
}
