package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"golang.org/x/net/html"

	"portail/internal/admin/admintest"
)

// post is a form submitted to reach a page state: the form on the
// target's page whose action is that page's own path (the forms that show
// themselves again with their errors), with fields typed into it and a
// file chosen. The browser fills it in and submits it (same origin, with
// the session cookie, past the cross-origin protection); the HTTP checks
// submit what a browser would: the values the page shows, overridden by
// fields.
type post struct {
	name      string     // names the state in subtests and screenshots
	fields    url.Values // typed into the form, by field name; the other fields keep what the page shows
	file      *upload    // chosen in the form's file input
	anonymous bool       // submitted signed out, as the sign-in form is
	// action is the form's action when the page holds several forms;
	// "" for the form that posts back to the page's own path.
	action string
}

// upload is a file chosen in a form.
type upload struct {
	field, name, typ string
	data             []byte
}

// maxUpload is the media upload limit of the test server: small, so that
// the "too large" state costs one MiB.
const maxUpload = 1 << 20

// action is the path the target's form posts to.
func (tg target) action() string {
	if tg.post != nil && tg.post.action != "" {
		return tg.post.action
	}
	u, _ := url.Parse(tg.url)
	return u.Path
}

// fillJS finds the form whose action attribute is s.action, types s.fields
// into it, chooses s.file, and keeps the form in window.__form for
// submitJS. It returns what it could not do, or "".
const fillJS = `(s => {
	const f = [...document.forms].find(f => f.getAttribute('action') === s.action);
	if (!f) return 'no form with action ' + s.action;
	for (const [name, values] of Object.entries(s.fields || {})) {
		const el = f.elements.namedItem(name);
		if (!el) return 'no field ' + name + ' in the form';
		el.value = values[0];
	}
	if (s.file) {
		const input = f.elements.namedItem(s.file.field);
		if (!input || input.type !== 'file') return 'no file input ' + s.file.field + ' in the form';
		const bytes = Uint8Array.from(atob(s.file.data), c => c.charCodeAt(0));
		const dt = new DataTransfer();
		dt.items.add(new File([bytes], s.file.name, {type: s.file.type}));
		input.files = dt.files;
	}
	window.__form = f;
	return '';
})(%s)`

// submitJS submits the form that fillJS found as its submit button would,
// minus the browser's own checks (required fields, input types): the
// server's answer to what they let through is what the state is about.
const submitJS = `HTMLFormElement.prototype.submit.call(window.__form)`

// marksJS returns the marks (see target) that the page lacks.
const marksJS = `(marks => marks.filter(m => m[0] === '#' ?
	!document.getElementById(m.slice(1)) :
	document.getElementsByClassName(m.slice(1)).length === 0))(%s)`

// load brings the tab to target tg's state and returns the answer of the
// page's document: a navigation to its URL, or for a post state, the form
// filled in and submitted.
func (a *app) load(t *testing.T, tab context.Context, tg target) (*network.Response, error) {
	t.Helper()
	if tg.post == nil {
		return chromedp.Run(tab, chromedp.NavigateResponse(a.ts.URL+tg.url))
	}
	p := tg.post
	if p.anonymous && a.session != nil {
		if _, err := chromedp.Call(tab, network.DeleteCookies, network.DeleteCookiesParams{Name: a.session.Name, URL: a.ts.URL}); err != nil {
			return nil, err
		}
		defer a.browserSignIn(t, tab)
	}
	res, err := chromedp.Run(tab, chromedp.NavigateResponse(a.ts.URL+tg.url))
	if err != nil {
		return nil, err
	}
	if res.Status != http.StatusOK {
		return nil, fmt.Errorf("the form page %s answered %d", tg.url, res.Status)
	}
	arg := map[string]any{"action": tg.action(), "fields": p.fields}
	if p.file != nil {
		arg["file"] = map[string]any{"field": p.file.field, "name": p.file.name, "type": p.file.typ, "data": p.file.data}
	}
	js, err := json.Marshal(arg)
	if err != nil {
		return nil, err
	}
	problem, err := chromedp.Run(tab, chromedp.Evaluate[string](fmt.Sprintf(fillJS, js)))
	if err != nil {
		return nil, err
	}
	if problem != "" {
		return nil, fmt.Errorf("filling in the form of %s: %s", tg.url, problem)
	}
	return chromedp.RunResponse(tab, chromedp.Evaluate[chromedp.Void](submitJS))
}

// missingMarks returns the marks of tg that the tab's page lacks.
func missingMarks(tab context.Context, tg target) ([]string, error) {
	if len(tg.marks) == 0 {
		return nil, nil
	}
	js, err := json.Marshal(tg.marks)
	if err != nil {
		return nil, err
	}
	return chromedp.Run(tab, chromedp.Evaluate[[]string](fmt.Sprintf(marksJS, js)))
}

// fetch returns target tg's page over plain HTTP: a GET of its URL, or for
// a post state, the form that a GET of its URL shows, submitted as the
// browser submits it.
func (a *app) fetch(t *testing.T, tg target) *http.Response {
	t.Helper()
	if tg.post == nil {
		return a.get(t, tg.url)
	}
	p := tg.post
	signedIn := !p.anonymous
	res := a.do(t, http.MethodGet, tg.url, nil, "", signedIn)
	page, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("the form page %s: status %d, %v", tg.url, res.StatusCode, err)
	}
	var form *admintest.Form
	for _, f := range admintest.Forms(string(page)) {
		if f.Action == tg.action() {
			form = &f
			break
		}
	}
	if form == nil {
		t.Fatalf("%s has no form with action %s", tg.url, tg.action())
	}
	values := form.Values()
	for name, v := range p.fields {
		values[name] = v
	}
	files := map[string]admintest.File{}
	if p.file != nil {
		files[p.file.field] = admintest.File{Name: p.file.name, Type: p.file.typ, Data: p.file.data}
	}
	body, ctype := form.Encode(values, files)
	return a.do(t, strings.ToUpper(form.Method), tg.action(), bytes.NewReader(body), ctype, signedIn)
}

// do sends a request to the test server as the browser would from one of
// its pages (same origin), signed in or not, without following redirects.
func (a *app) do(t *testing.T, method, path string, body io.Reader, contentType string, signedIn bool) *http.Response {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, a.ts.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if method != http.MethodGet {
		req.Header.Set("Origin", a.ts.URL)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
	}
	if signedIn && a.session != nil {
		req.AddCookie(a.session)
	}
	c := http.Client{CheckRedirect: noRedirect}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// missingMarksHTML returns the marks of tg that page lacks.
func missingMarksHTML(page []byte, tg target) []string {
	if len(tg.marks) == 0 {
		return nil
	}
	ids, classes := map[string]bool{}, map[string]bool{}
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		return tg.marks
	}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			for _, at := range n.Attr {
				switch at.Key {
				case "id":
					ids[at.Val] = true
				case "class":
					for _, c := range strings.Fields(at.Val) {
						classes[c] = true
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	var out []string
	for _, m := range tg.marks {
		if m[0] == '#' && !ids[m[1:]] || m[0] == '.' && !classes[m[1:]] {
			out = append(out, m)
		}
	}
	return out
}
