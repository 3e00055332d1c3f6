package e2e

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"portail/internal/content"
	"portail/internal/lang"
	"portail/internal/store/storetest"
)

// TestRenameBackAndForth renames a published page A → B → A → B and
// visits the old path in Chromium after each rename. A browser keeps a
// redirect as long as its headers allow; one kept for ever made the
// third visit loop (ERR_TOO_MANY_REDIRECTS) between A → B and B → A.
// Every visit must land on the page's current path.
func TestRenameBackAndForth(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	ctx := t.Context()
	const key = "essai-renommage"
	// Under the department's page: the policy's page is a module, which
	// owns the paths below it.
	if err := a.db.CreatePage(ctx, content.Page{Key: key, Section: content.SectionDepartment, Order: 90}); err != nil {
		t.Fatal(err)
	}
	const pathA, pathB = "ministere/essai-a", "ministere/essai-b"
	n := 0
	move := func(path string) {
		t.Helper()
		n++
		storetest.Publish(t, a.db, content.Revision{PageKey: key, Lang: lang.FR, Path: path,
			Title: fmt.Sprintf("Essai de renommage %d", n), Body: "Une page qui change d'adresse.", Author: "e2e"})
		if err := a.srv.Site.Sync(ctx); err != nil {
			t.Fatal(err)
		}
	}
	tab := newTab(t)
	visit := func(from, want string) {
		t.Helper()
		if err := chromedp.Do(tab, chromedp.Navigate(a.ts.URL+"/fr/"+from)); err != nil {
			t.Fatalf("after rename %d, visiting /fr/%s: %v", n, from, err)
		}
		title, err := chromedp.Run(tab, chromedp.Title())
		if err != nil {
			t.Fatal(err)
		}
		if got := a.location(t, tab).Path; got != "/fr/"+want {
			t.Fatalf("after rename %d, /fr/%s landed on %s, want /fr/%s", n, from, got, want)
		}
		if wantTitle := fmt.Sprintf("Essai de renommage %d", n); !strings.Contains(title, wantTitle) {
			t.Fatalf("after rename %d, /fr/%s shows %q, want the current page %q", n, from, title, wantTitle)
		}
	}
	move(pathA)
	visit(pathA, pathA)
	move(pathB)
	visit(pathA, pathB) // the browser may now keep A → B
	move(pathA)
	visit(pathB, pathA) // … and B → A
	move(pathB)
	visit(pathA, pathB) // a kept A → B and B → A would loop here
	visit(pathB, pathB)
}
