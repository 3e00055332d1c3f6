package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// viewports are the widths every page is checked at: a desktop and a phone.
var viewports = []struct{ w, h int64 }{{1280, 800}, {360, 740}}

// axeRun runs axe-core on the WCAG 2.2 A and AA rules and returns the
// violations, one target selector string per failing node.
const axeRun = `axe.run(document, {
	runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']},
	resultTypes: ['violations'],
}).then(r => r.violations.map(v => ({
	id: v.id,
	impact: v.impact || '',
	help: v.help,
	nodes: v.nodes.map(n => ({target: n.target.flat(Infinity).join(' '), html: n.html.slice(0, 160)})),
})))`

// overflowJS returns how far the page scrolls sideways and the innermost
// elements that stick out of the viewport, for WCAG 1.4.10 Reflow: no
// horizontal scrolling at a phone width. Elements inside a data table do
// not count: 1.4.10 exempts content that needs a two-dimensional layout.
const overflowJS = `(() => {
	const w = document.documentElement.clientWidth;
	const out = e => e.getBoundingClientRect().right > w + 0.5 && e.getBoundingClientRect().width > 0;
	const bad = [...document.body.querySelectorAll('*')]
		.filter(e => out(e) && ![...e.children].some(out) && !e.closest('table'))
		.slice(0, 5).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
			(typeof e.className === 'string' && e.className.trim() ? '.' + e.className.trim().split(/\s+/).join('.') : '') +
			' (right edge ' + Math.round(e.getBoundingClientRect().right) + 'px)');
	return {excess: document.documentElement.scrollWidth - w, elements: bad};
})()`

type overflow struct {
	Excess   int      `json:"excess"`
	Elements []string `json:"elements"`
}

type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target string `json:"target"`
		HTML   string `json:"html"`
	} `json:"nodes"`
}

// TestAccessibility loads every page of the crawl at each viewport in
// Chromium and fails on every axe-core WCAG 2.2 AA violation and on a page
// that scrolls sideways. With
// PORTAIL_SCREENSHOTS=DIR it also writes a full-page PNG of each into DIR.
func TestAccessibility(t *testing.T) {
	axeFile := npmFile(t, "axe-core/axe.min.js")
	axeJS, err := os.ReadFile(axeFile)
	if err != nil {
		t.Fatal(err)
	}
	shots := os.Getenv("PORTAIL_SCREENSHOTS")
	if shots != "" {
		if err := os.MkdirAll(shots, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	a := newApp(t)
	targets := crawlTargets(t, a)

	for _, vp := range viewports {
		t.Run(fmt.Sprintf("%dx%d", vp.w, vp.h), func(t *testing.T) {
			t.Parallel()
			tab := newTab(t)
			if err := chromedp.Do(tab, chromedp.EmulateViewport(vp.w, vp.h)); err != nil {
				t.Fatal(err)
			}
			a.browserSignIn(t, tab)
			for _, tg := range targets {
				t.Run(tg.name(), func(t *testing.T) {
					res, err := chromedp.Run(tab, chromedp.NavigateResponse(a.ts.URL+tg.url))
					if err != nil {
						t.Fatalf("loading %s: %v", tg.url, err)
					}
					if res.Status != int64(tg.status) {
						t.Errorf("%s: status %d, want %d", tg.url, res.Status, tg.status)
					}
					if shots != "" {
						png, err := chromedp.Run(tab, chromedp.FullScreenshot(100))
						if err != nil {
							t.Fatalf("screenshot of %s: %v", tg.url, err)
						}
						name := fmt.Sprintf("%s-%d.png", tg.name(), vp.w)
						if err := os.WriteFile(filepath.Join(shots, name), png, 0o644); err != nil {
							t.Fatal(err)
						}
					}
					of, err := chromedp.Run(tab, chromedp.Evaluate[overflow](overflowJS))
					if err != nil {
						t.Fatal(err)
					}
					if of.Excess > 0 && len(of.Elements) > 0 {
						t.Errorf("%s at %dpx scrolls sideways by %dpx (WCAG 1.4.10 Reflow); sticking out: %s",
							tg.url, vp.w, of.Excess, strings.Join(of.Elements, ", "))
					}
					if err := chromedp.Do(tab, chromedp.Evaluate[chromedp.Void](string(axeJS))); err != nil {
						t.Fatalf("injecting axe-core into %s: %v", tg.url, err)
					}
					vs, err := chromedp.Run(tab, chromedp.Evaluate[[]axeViolation](axeRun, chromedp.EvalAwaitPromise))
					if err != nil {
						t.Fatalf("running axe-core on %s: %v", tg.url, err)
					}
					for _, v := range vs {
						var b strings.Builder
						for _, n := range v.Nodes {
							fmt.Fprintf(&b, "\n\t%s\t%s", n.Target, n.HTML)
						}
						t.Errorf("%s at %dpx: %s (%s): %s%s", tg.url, vp.w, v.ID, v.Impact, v.Help, b.String())
					}
				})
			}
		})
	}
}

// browserSignIn gives the tab the staff session cookie, if the crawl has one.
func (a *app) browserSignIn(t *testing.T, tab context.Context) {
	t.Helper()
	if a.session == nil {
		return
	}
	_, err := chromedp.Call(tab, network.SetCookie, network.SetCookieParams{
		Name:     a.session.Name,
		Value:    a.session.Value,
		URL:      a.ts.URL,
		Path:     "/",
		HTTPOnly: new(true),
	})
	if err != nil {
		t.Fatalf("setting the staff session cookie: %v", err)
	}
}
