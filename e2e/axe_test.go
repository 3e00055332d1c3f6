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
// horizontal scrolling at a phone width. Elements inside a scroll
// container (.table-scroll) do not count: the container scrolls, not the
// page. Elements inside a table of the public site do not count either:
// 1.4.10 exempts content that needs a two-dimensional layout. Staff pages
// get no exemption: their data tables must sit in a scroll container, a
// focusable region named by the table's caption, and unwrapped lists those
// that do not.
const overflowJS = `(() => {
	const w = document.documentElement.clientWidth;
	const staff = document.body.classList.contains('admin');
	const out = e => e.getBoundingClientRect().right > w + 0.5 && e.getBoundingClientRect().width > 0;
	const exempt = e => e.parentElement.closest('.table-scroll') || (!staff && e.closest('table'));
	const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
		(typeof e.className === 'string' && e.className.trim() ? '.' + e.className.trim().split(/\s+/).join('.') : '');
	const bad = [...document.body.querySelectorAll('*')]
		.filter(e => out(e) && ![...e.children].some(out) && !exempt(e))
		.slice(0, 5).map(e => name(e) + ' (right edge ' + Math.round(e.getBoundingClientRect().right) + 'px)');
	const unwrapped = staff ? [...document.querySelectorAll('table')].filter(t => {
		const c = t.parentElement;
		const label = c && document.getElementById(c.getAttribute('aria-labelledby') || '');
		return !(c.classList.contains('table-scroll') && c.getAttribute('role') === 'region' &&
			c.getAttribute('tabindex') === '0' && label && t.contains(label) && label.textContent.trim() !== '' &&
			getComputedStyle(c).overflowX === 'auto');
	}).map(t => name(t) + ' (caption: ' + (t.caption ? t.caption.textContent.trim() : 'none') + ')') : [];
	return {excess: document.documentElement.scrollWidth - w, staff, elements: bad, unwrapped};
})()`

type overflow struct {
	Excess    int      `json:"excess"`
	Staff     bool     `json:"staff"`
	Elements  []string `json:"elements"`
	Unwrapped []string `json:"unwrapped"`
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
	t.Parallel()
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
					res, err := a.load(t, tab, tg)
					if err != nil {
						t.Fatalf("loading %s: %v", tg.key(), err)
					}
					if res.Status != int64(tg.status) {
						t.Errorf("%s: status %d, want %d", tg.key(), res.Status, tg.status)
					}
					missing, err := missingMarks(tab, tg)
					if err != nil {
						t.Fatal(err)
					}
					if len(missing) > 0 {
						t.Errorf("%s: the page lacks %s: not the state the crawl means to check", tg.key(), strings.Join(missing, ", "))
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
					if of.Excess > 0 && (of.Staff || len(of.Elements) > 0) {
						out := strings.Join(of.Elements, ", ")
						if out == "" {
							out = "only what scroll containers hold: do they scroll (overflow-x: auto)?"
						}
						t.Errorf("%s at %dpx scrolls sideways by %dpx (WCAG 1.4.10 Reflow); sticking out: %s",
							tg.url, vp.w, of.Excess, out)
					}
					for _, u := range of.Unwrapped {
						t.Errorf("%s: staff table %s is not in a scroll container "+
							`(<div class="table-scroll" role="region" aria-labelledby="caption id" tabindex="0">, overflow-x: auto)`, tg.url, u)
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
