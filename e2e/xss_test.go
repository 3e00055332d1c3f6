package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"portail/internal/content"
	"portail/internal/lang"
	"portail/internal/securitytest"
	"portail/internal/store/storetest"
)

// unsafeDOMJS lists what would let published content run script on a
// click or a hover: event-handler attributes and javascript: URLs.
const unsafeDOMJS = `(() => {
	const bad = [];
	for (const e of document.querySelectorAll('*')) {
		for (const at of e.attributes) {
			const v = at.value.replace(/[\s\u0000-\u001f]/g, '').toLowerCase();
			if (/^on/i.test(at.name) || (/^(href|src|action|formaction|data|xlink:href)$/i.test(at.name) && v.startsWith('javascript:'))) {
				bad.push(e.tagName.toLowerCase() + ' ' + at.name + '=' + at.value);
			}
		}
	}
	return bad;
})()`

// dialogWatch records the JavaScript dialogs a tab opens, and dismisses
// them so that the page goes on loading.
type dialogWatch struct {
	mu       sync.Mutex
	messages []string
	sentinel chan struct{}
}

const sentinel = "e2e-sentinel"

func watchDialogs(t *testing.T, tab context.Context) *dialogWatch {
	t.Helper()
	w := &dialogWatch{sentinel: make(chan struct{}, 1)}
	dialogs := chromedp.Events(tab, page.JavascriptDialogOpening)
	go func() {
		for ev, err := range dialogs {
			if err != nil {
				return
			}
			// Dismiss first: a dialog blocks the page until it is handled.
			chromedp.Call(tab, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
			if ev.Message == sentinel {
				w.sentinel <- struct{}{}
				continue
			}
			w.mu.Lock()
			w.messages = append(w.messages, fmt.Sprintf("%s(%q)", ev.Type, ev.Message))
			w.mu.Unlock()
		}
	}()
	return w
}

// checkNoScript fails t if the page loaded in tab opened a dialog or holds
// an element from which script could run (an on* attribute, a javascript:
// URL).
func (w *dialogWatch) checkNoScript(t *testing.T, tab context.Context, where string) {
	t.Helper()
	if got := w.drain(t, tab, where); len(got) > 0 {
		t.Errorf("%s opened JavaScript dialogs: %s", where, strings.Join(got, ", "))
	}
	bad, err := chromedp.Run(tab, chromedp.Evaluate[[]string](unsafeDOMJS))
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range bad {
		t.Errorf("%s: script can run from %s", where, b)
	}
}

// drain returns the dialogs opened since the last call. It opens a dialog
// of its own and waits for the watcher to see it: the protocol delivers
// events in order, so every earlier dialog has been recorded by then. A
// page that never lets the sentinel run (a payload that reopens its dialog
// at once, such as autofocus with onfocus) fails t after settleLimit.
func (w *dialogWatch) drain(t *testing.T, tab context.Context, page string) []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab, settleLimit)
	defer cancel()
	// Let the page run the tasks queued after its load event (autofocus,
	// toggle events) before the sentinel.
	flush := `new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r))))`
	err := chromedp.Do(ctx,
		chromedp.Evaluate[chromedp.Void](flush, chromedp.EvalAwaitPromise),
		chromedp.Evaluate[chromedp.Void](`alert(`+fmt.Sprintf("%q", sentinel)+`)`),
	)
	if err == nil {
		select {
		case <-w.sentinel:
		case <-ctx.Done():
			err = ctx.Err()
		}
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	m := w.messages
	w.messages = nil
	if err != nil {
		t.Fatalf("%s did not settle (%v); JavaScript dialogs so far: %s", page, err, strings.Join(m, ", "))
	}
	return m
}

// settleLimit bounds the wait for a page to let drain's sentinel run, so
// that a page stuck in a dialog loop fails instead of hanging the test.
const settleLimit = 30 * time.Second

// TestNoScriptFromContent publishes pages whose title, summary and body
// carry XSS payloads, in both languages, and loads in Chromium every public
// page and the staff page lists and editors: no JavaScript dialog may open,
// and no event handler or javascript: URL may reach the DOM. The browser
// ignores the Content-Security-Policy here, so that the test checks the
// escaping and the sanitizer rather than the CSP behind them.
func TestNoScriptFromContent(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	ctx := t.Context()
	publish := func(r content.Revision) {
		t.Helper()
		storetest.Publish(t, a.db, r)
	}
	for i, p := range securitytest.Payloads {
		p = strings.ReplaceAll(p, "\x00", "") // the store refuses NUL as text
		key := fmt.Sprintf("essai-xss-%02d", i)
		// Under the department's page: the policy's and the offices'
		// pages are modules, which own the paths below them.
		if err := a.db.CreatePage(ctx, content.Page{Key: key, Section: content.SectionDepartment, Order: 100 + i}); err != nil {
			t.Fatal(err)
		}
		title := p
		if len(title) > content.MaxTitle {
			title = title[:content.MaxTitle]
		}
		body := fmt.Sprintf("%s\n\n# %s\n\nAvant %s après.\n\n- %s\n\n> %s\n\n[%s](%s)\n\n<div>%s</div>\n", p, p, p, p, p, p, p, p)
		publish(content.Revision{PageKey: key, Lang: lang.FR, Path: "ministere/essai-xss-" + fmt.Sprint(i),
			Title: title, Summary: p, Body: body, Author: "e2e"})
		publish(content.Revision{PageKey: key, Lang: lang.EN, Path: "department/xss-test-" + fmt.Sprint(i),
			Title: title, Summary: p, Body: body, Author: "e2e"})
	}
	if err := a.srv.Site.Sync(ctx); err != nil {
		t.Fatal(err)
	}

	var pages []target
	for _, p := range a.srv.Site.Paths() {
		pages = append(pages, target{url: p, status: http.StatusOK})
	}
	// The 404 page must not reflect a payload from the URL either.
	for _, p := range securitytest.Payloads[:6] {
		pages = append(pages,
			target{url: "/fr/" + url.PathEscape(p), status: http.StatusNotFound},
			target{url: "/en/" + url.PathEscape(p) + "?q=" + url.QueryEscape(p), status: http.StatusNotFound})
	}
	// The staff side shows the same fields: the page lists and each editor.
	for _, p := range []string{"/admin/pages", "/admin/translations", "/admin/reviews"} {
		pages = append(pages, target{url: p, status: http.StatusOK})
	}
	for i := range securitytest.Payloads {
		pages = append(pages, target{url: fmt.Sprintf("/admin/pages/essai-xss-%02d", i), status: http.StatusOK})
	}

	tab := newTab(t)
	if _, err := chromedp.Call(tab, page.SetBypassCSP, page.SetBypassCSPParams{Enabled: true}); err != nil {
		t.Fatal(err)
	}
	a.signIn(t)
	a.browserSignIn(t, tab)
	w := watchDialogs(t, tab)

	// The watcher sees a dialog that a script in the page opens.
	if err := chromedp.Do(tab, chromedp.Navigate(a.ts.URL+"/fr/")); err != nil {
		t.Fatal(err)
	}
	control := `const s = document.createElement('script'); s.textContent = 'alert("control")'; document.body.append(s)`
	if err := chromedp.Do(tab, chromedp.Evaluate[chromedp.Void](control)); err != nil {
		t.Fatal(err)
	}
	if got := w.drain(t, tab, "/fr/"); len(got) != 1 || got[0] != `alert("control")` {
		t.Fatalf("the dialog watcher saw %q, want the control alert: the test cannot see script run", got)
	}

	published := 0
	for _, tg := range pages {
		p := tg.url
		if strings.Contains(p, "xss") && !tg.staff() {
			published++
		}
		res, err := chromedp.Run(tab, chromedp.NavigateResponse(a.ts.URL+p))
		if err != nil {
			t.Fatalf("loading %s: %v", p, err)
		}
		if res.Status != int64(tg.status) || res.URL != a.ts.URL+p {
			t.Errorf("%s: status %d at %s, want %d", p, res.Status, res.URL, tg.status)
		}
		w.checkNoScript(t, tab, p)
	}
	if published != 2*len(securitytest.Payloads) {
		t.Errorf("visited %d pages with payloads, want %d", published, 2*len(securitytest.Payloads))
	}
}

// dealJS types payloads into the text fields of the form whose action is
// s.action, one payload a field, keeps the form in window.__form for
// submitJS, and returns how many payloads it used (-1: no such form).
const dealJS = `(s => {
	const f = [...document.forms].find(f => f.getAttribute('action') === s.action);
	if (!f) return -1;
	const fields = [...f.elements].filter(e => e.name &&
		(e.tagName === 'TEXTAREA' || ['text', 'email', 'search', 'url', 'tel'].includes(e.type)));
	const n = Math.min(fields.length, s.payloads.length);
	for (let i = 0; i < n; i++) fields[i].value = s.payloads[i];
	window.__form = f;
	return n;
})(%s)`

// TestNoScriptFromForms types the XSS payloads into the staff forms that
// come back with what was typed (the page editor, user-add, sign-in) and
// submits them in Chromium: on the page that comes back, no JavaScript
// dialog may open and no event handler or javascript: URL may reach the
// DOM. The payloads are dealt to a form's text fields, as many at a time
// as it has, and each submission starts from the page that the previous
// one brought back. The browser ignores the Content-Security-Policy, as
// in TestNoScriptFromContent. internal/server's "form field" channel
// checks the same answers' HTML for every field of every such form.
func TestNoScriptFromForms(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	tab := newTab(t)
	if _, err := chromedp.Call(tab, page.SetBypassCSP, page.SetBypassCSPParams{Enabled: true}); err != nil {
		t.Fatal(err)
	}
	a.signIn(t)
	a.browserSignIn(t, tab)
	w := watchDialogs(t, tab)
	for _, form := range []struct {
		page   string
		status []int64 // the answers of a form that refuses what it got
	}{
		{"/admin/pages/mission", []int64{http.StatusUnprocessableEntity}},
		{"/admin/users", []int64{http.StatusUnprocessableEntity}},
		// Every text of a policy document, its outline too.
		{"/admin/policies/new", []int64{http.StatusUnprocessableEntity}},
		// With the password left empty: 422, and no failed sign-in that
		// would count against the rate limit.
		{"/admin/login", []int64{http.StatusUnprocessableEntity}},
	} {
		if _, err := chromedp.Run(tab, chromedp.NavigateResponse(a.ts.URL+form.page)); err != nil {
			t.Fatalf("loading %s: %v", form.page, err)
		}
		// A NUL is refused before any form sees it (422 with the
		// reason, internal/server's TestInvalidTextAtEveryStaffInput), so
		// the form would not come back for the next payloads.
		var payloads []string
		for _, p := range securitytest.Payloads {
			if content.ValidText(p) {
				payloads = append(payloads, p)
			}
		}
		for rest := payloads; len(rest) > 0; {
			js, err := json.Marshal(map[string]any{"action": form.page, "payloads": rest})
			if err != nil {
				t.Fatal(err)
			}
			n, err := chromedp.Run(tab, chromedp.Evaluate[int](fmt.Sprintf(dealJS, js)))
			if err != nil {
				t.Fatal(err)
			}
			if n <= 0 {
				t.Fatalf("%s: no form with text fields posting to %s", form.page, form.page)
			}
			typed := rest[:n]
			rest = rest[n:]
			res, err := chromedp.RunResponse(tab, chromedp.Evaluate[chromedp.Void](submitJS))
			if err != nil {
				t.Fatalf("submitting %s: %v", form.page, err)
			}
			where := fmt.Sprintf("POST %s with %q", form.page, typed)
			if !slices.Contains(form.status, res.Status) {
				t.Fatalf("%s: status %d, want one of %v: the form did not come back", where, res.Status, form.status)
			}
			w.checkNoScript(t, tab, where)
		}
	}
}

// TestDialogWatcherSeesRawPayloads checks the check: a page that echoes a
// payload unescaped must open a dialog that the watcher reports, for each
// way a payload runs (parsing, image error, SVG load, toggle). Autofocus
// with onfocus is left out: it reopens its dialog at once, forever, which
// drain reports as a page that does not settle.
func TestDialogWatcherSeesRawPayloads(t *testing.T) {
	raw := []string{
		`<script>alert(1)</script>`,
		`<img src=x onerror=alert(1)>`,
		`<svg onload=alert(1)>`,
		`<details open ontoggle=alert(1)>`,
	}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, "<!DOCTYPE html><title>x</title><p>%s</p>", r.URL.Query().Get("p"))
	}))
	defer ts.Close()
	tab := newTab(t)
	w := watchDialogs(t, tab)
	for _, p := range raw {
		if err := chromedp.Do(tab, chromedp.Navigate(ts.URL+"/?p="+url.QueryEscape(p))); err != nil {
			t.Fatal(err)
		}
		if got := w.drain(t, tab, p); len(got) == 0 {
			t.Errorf("%s ran unescaped but the watcher saw no dialog", p)
		}
	}
}
