package e2e

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"portail/internal/admin/admintest"
	"portail/internal/auth"
	"portail/internal/content"
	"portail/internal/i18n"
	"portail/internal/lang"
)

// The staff forms, driven by the keyboard alone: every step below is a key
// event sent as a physical keyboard sends it (Tab, Shift+Tab, characters,
// Ctrl+A, arrows, Enter). Nothing is clicked, focused or filled by script;
// scripts only read the page.

// keyDown sends one key press (keyDown, keyUp) with modifiers held, as
// press does without any (Alt=1, Ctrl=2, Meta=4, Shift=8). text is what
// the key types; "" for a key that types nothing.
func keyDown(mods int64, key, code string, vk int64, text string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		for _, typ := range []input.DispatchKeyEventType{input.DispatchKeyEventTypeKeyDown, input.DispatchKeyEventTypeKeyUp} {
			p := input.DispatchKeyEventParams{
				Type: typ, Modifiers: mods, Key: key, Code: code,
				WindowsVirtualKeyCode: vk, NativeVirtualKeyCode: vk,
			}
			if typ == input.DispatchKeyEventTypeKeyDown {
				p.Text, p.UnmodifiedText = text, text
			}
			if _, err := cdp.Call(ctx, t, input.DispatchKeyEvent, p); err != nil {
				return err
			}
		}
		return nil
	})
}

var (
	keyShiftTab  = keyDown(8, "Tab", "Tab", 9, "")
	keySelectAll = keyDown(2, "a", "KeyA", 65, "") // Ctrl+A
	keyArrowDown = press("ArrowDown", 40)
	keyEnd       = press("End", 35)
	// keyReturn is Enter as a keyboard sends it, typing a carriage return:
	// buttons and implicit submission act on that character, links on the
	// key alone (keyEnter).
	keyReturn = keyDown(0, "Enter", "Enter", 13, "\r")
)

// typeText types s one key at a time, each key typing its character.
func typeText(s string) chromedp.Action[chromedp.Void] {
	var keys []chromedp.Action[chromedp.Void]
	for _, r := range s {
		keys = append(keys, keyDown(0, string(r), "", 0, string(r)))
	}
	return chromedp.Steps(keys...)
}

// tabbablesJS records in __tabbables the elements that Tab reaches, in
// document order (no template sets a positive tabindex, so document order
// is Tab order), and returns them with their style while not focused. The
// summary of a details element is one; what a closed details holds is
// not (it has no client rects).
const tabbablesJS = `(() => {
	window.__fkey = e => e === document.body ? 'body' :
		e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
		(e.name ? '[name="' + e.name + '"]' : '') +
		(e.tagName === 'BUTTON' && e.value ? '[value="' + e.value + '"]' : '') +
		(e.className ? '.' + String(e.className).trim().split(/\s+/).join('.') : '') +
		(e.getAttribute('href') !== null ? '[href="' + e.getAttribute('href') + '"]' : '') +
		(e.form ? ' in form[action="' + e.form.getAttribute('action') + '"]' : '');
	window.__tabbables = [...document.querySelectorAll('a[href], button, input, select, textarea, details > summary:first-of-type, [tabindex]')]
		.filter(e => e.tabIndex >= 0 && !e.disabled && e.type !== 'hidden' &&
			e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden');
	return window.__tabbables.map(e => ({
		key: window.__fkey(e), id: e.id, boxShadow: getComputedStyle(e).boxShadow,
		segmented: e.tagName === 'INPUT' && ['date', 'datetime-local', 'month', 'time', 'week'].includes(e.type),
	}));
})()`

type tabbable struct {
	Key       string `json:"key"`
	ID        string `json:"id"`
	BoxShadow string `json:"boxShadow"`
	Segmented bool   `json:"segmented"` // Tab moves through its parts before leaving it
}

// focusedJS describes document.activeElement: its place in __tabbables
// (-1 when it is not one) and its style.
const focusedJS = `(() => {
	const e = document.activeElement;
	const cs = getComputedStyle(e);
	const r = e.getBoundingClientRect();
	return {
		index: window.__tabbables.indexOf(e), key: window.__fkey(e),
		outlineStyle: cs.outlineStyle, outlineWidth: parseFloat(cs.outlineWidth) || 0, boxShadow: cs.boxShadow,
		onScreen: r.width > 0 && r.height > 0 && r.right > 0 && r.bottom > 0 && r.left < innerWidth && r.top < innerHeight,
	};
})()`

type focusState struct {
	Index int `json:"index"`
	focused
}

// kbPage is the page open in a tab, with what Tab reaches on it.
type kbPage struct {
	tab   context.Context
	stops []tabbable
	at    int // index in stops of the focused element; -1 before the first Tab
}

// kbTimeout bounds the life of each tab of these tests: a key that does
// nothing fails them in seconds instead of at the tab's own timeout.
const kbTimeout = 20 * time.Second

// kbTab returns a new tab of the shared browser (skipping t without
// Chromium) whose actions fail after kbTimeout.
func kbTab(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(newTab(t), kbTimeout)
	t.Cleanup(cancel)
	return ctx
}

// openKeyboard loads u in tab at width w, height h and lists the page's
// Tab stops; focus is at the top of the page.
func openKeyboard(t *testing.T, tab context.Context, w, h int64, u string) *kbPage {
	t.Helper()
	if err := chromedp.Do(tab, chromedp.EmulateViewport(w, h), chromedp.Navigate(u)); err != nil {
		t.Fatal(err)
	}
	return readStops(t, tab)
}

// readStops lists the Tab stops of the page now in tab.
func readStops(t *testing.T, tab context.Context) *kbPage {
	t.Helper()
	stops, err := chromedp.Run(tab, chromedp.Evaluate[[]tabbable](tabbablesJS))
	if err != nil {
		t.Fatal(err)
	}
	return &kbPage{tab: tab, stops: stops, at: -1}
}

// index returns the place among the Tab stops of the element with id.
func (p *kbPage) index(t *testing.T, id string) int {
	t.Helper()
	i := slices.IndexFunc(p.stops, func(s tabbable) bool { return s.ID == id })
	if i < 0 {
		t.Fatalf("no element #%s among the page's Tab stops", id)
	}
	return i
}

// find returns the place among the Tab stops of the first whose key holds
// all the given parts.
func (p *kbPage) find(t *testing.T, parts ...string) int {
	t.Helper()
next:
	for i, s := range p.stops {
		for _, part := range parts {
			if !strings.Contains(s.Key, part) {
				continue next
			}
		}
		return i
	}
	t.Fatalf("no Tab stop matches %q", parts)
	return -1
}

// focus returns the focused element.
func (p *kbPage) focus(t *testing.T) focusState {
	t.Helper()
	f, err := chromedp.Run(p.tab, chromedp.Evaluate[focusState](focusedJS))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// key sends k.
func (p *kbPage) key(t *testing.T, k chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(p.tab, k); err != nil {
		t.Fatal(err)
	}
}

// tabTo presses Tab until the Tab stop target has focus, checking that
// each press moves focus to the next stop in document order, and that
// each focused stop shows a visible focus indicator and is on screen.
// A date field keeps focus for as many presses as it has parts; the last
// is the calendar button, which shows the browser's own focus ring,
// invisible to computed styles, so the parts' style is not checked.
func (p *kbPage) tabTo(t *testing.T, target int) {
	t.Helper()
	if target <= p.at {
		t.Fatalf("Tab stop %d (%s) is not after the focused one (%d)", target, p.stops[target].Key, p.at)
	}
	for presses := 0; p.at < target; presses++ {
		if presses > 2*len(p.stops)+10 {
			t.Fatalf("Tab never reaches %s", p.stops[target].Key)
		}
		p.key(t, keyTab)
		got := p.focus(t)
		if p.at >= 0 && got.Index == p.at && p.stops[p.at].Segmented {
			continue // the next part of a date field
		}
		want := p.stops[p.at+1]
		if got.Index != p.at+1 {
			t.Fatalf("Tab focuses %s, want %s next in document order", got.Key, want.Key)
		}
		p.at = got.Index
		checkFocusShown(t, got, want)
	}
}

// tabBack presses Shift+Tab and checks that focus moves back to the
// previous stop in document order, shown.
func (p *kbPage) tabBack(t *testing.T) {
	t.Helper()
	if p.at < 1 {
		t.Fatalf("Shift+Tab from Tab stop %d: no stop before it", p.at)
	}
	p.key(t, keyShiftTab)
	got, want := p.focus(t), p.stops[p.at-1]
	if got.Index != p.at-1 {
		t.Fatalf("Shift+Tab from %s focuses %s, want %s", p.stops[p.at].Key, got.Key, want.Key)
	}
	p.at = got.Index
	checkFocusShown(t, got, want)
}

// checkFocusShown checks that the focused stop got, which is want, has a
// visible focus indicator, as TestKeyboardOrder does, and is on screen.
func checkFocusShown(t *testing.T, got focusState, want tabbable) {
	t.Helper()
	visibleOutline := got.OutlineStyle != "none" && got.OutlineWidth > 0
	shadow := got.BoxShadow != "none" && got.BoxShadow != want.BoxShadow
	if !visibleOutline && !shadow {
		t.Errorf("%s has no visible focus indicator: outline %s %gpx, box-shadow %s",
			got.Key, got.OutlineStyle, got.OutlineWidth, got.BoxShadow)
	}
	if !got.OnScreen {
		t.Errorf("%s is off screen while focused", got.Key)
	}
}

// submit presses Enter on the focused element and waits for the page it
// leads to.
func (p *kbPage) submit(t *testing.T) {
	t.Helper()
	if _, err := chromedp.Run(p.tab, chromedp.WaitEvent(page.LoadEventFired, nil, keyReturn)); err != nil {
		t.Fatal(err)
	}
}

// eval returns the value of a script that reads the page.
func eval[T any](t *testing.T, tab context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(tab, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return v
}

// location returns the URL of the page in tab, relative to the server's.
func (a *app) location(t *testing.T, tab context.Context) *url.URL {
	t.Helper()
	loc, err := chromedp.Run(tab, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(strings.TrimPrefix(loc, a.ts.URL))
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// editorEmail is the editor who signs in and edits with the keyboard.
const editorEmail = "editor.keyboard@example.org"

// TestKeyboardForms signs in, filters the page list and saves a draft in
// the page editor with the keyboard alone (issue 3: forms and filters are
// reachable and usable with the keyboard, with a visible focus).
func TestKeyboardForms(t *testing.T) {
	a := newApp(t)
	admintest.NewUser(t, a.db, editorEmail, auth.Editor)
	fr := i18n.MustLoad()[lang.FR] // NewUser's accounts work in French
	a.session = admintest.Login(t, a.srv, editorEmail, admintest.Password)

	for _, vp := range viewports {
		t.Run(fmt.Sprint(vp.w), func(t *testing.T) {
			t.Run("sign in", func(t *testing.T) {
				tab := kbTab(t)
				p := openKeyboard(t, tab, vp.w, vp.h, a.ts.URL+"/admin/login")
				email, password := p.index(t, "email"), p.index(t, "password")
				p.tabTo(t, email)
				p.key(t, typeText(editorEmail))
				p.tabTo(t, password)
				p.tabBack(t) // to the email field
				p.tabTo(t, password)
				p.key(t, typeText(admintest.Password))
				typed := eval[[]string](t, tab, `[document.getElementById('email').value, document.getElementById('password').value]`)
				if typed[0] != editorEmail || typed[1] != admintest.Password {
					t.Fatalf("the fields hold %q and %d characters, want %q and the %d of the password",
						typed[0], len(typed[1]), editorEmail, len(admintest.Password))
				}
				p.submit(t)
				if u := a.location(t, tab); u.String() != "/admin/" {
					t.Fatalf("Enter in the password field leads to %s, want the dashboard /admin/", u)
				}
				h1 := eval[string](t, tab, `document.querySelector('h1')?.textContent ?? ''`)
				signedIn := eval[bool](t, tab, `!!document.querySelector('form[action="/admin/logout"]') && !document.getElementById('password')`)
				if h1 != fr.T("admin.dashboard.title") || !signedIn {
					t.Errorf("after sign-in the page is %q, signed in %v; want the dashboard %q with a sign-out button",
						h1, signedIn, fr.T("admin.dashboard.title"))
				}
			})

			t.Run("filter pages", func(t *testing.T) {
				const section = content.SectionDepartment
				pages, err := a.db.ListPages(context.Background())
				if err != nil {
					t.Fatal(err)
				}
				var want []string
				for _, pg := range pages {
					if pg.Section == section {
						want = append(want, pg.Key)
					}
				}
				if len(want) == 0 || len(want) == len(pages) {
					t.Fatalf("%d of the %d seeded pages are in %s: the filter would show nothing, or nothing less", len(want), len(pages), section)
				}
				slices.Sort(want)

				tab := kbTab(t)
				a.browserSignIn(t, tab)
				p := openKeyboard(t, tab, vp.w, vp.h, a.ts.URL+"/admin/pages")
				p.tabTo(t, p.index(t, "section"))
				for range 8 { // Ministère is a few options down; ArrowDown changes a closed select on Linux and Windows
					if eval[string](t, tab, `document.activeElement.value`) == string(section) {
						break
					}
					p.key(t, keyArrowDown)
				}
				if v := eval[string](t, tab, `document.activeElement.id + '=' + document.activeElement.value`); v != "section="+string(section) {
					t.Fatalf("ArrowDown on the section filter leaves %s, want section=%s", v, section)
				}
				p.tabTo(t, p.find(t, "button", `in form[action="/admin/pages"]`))
				p.submit(t)

				u := a.location(t, tab)
				if u.Path != "/admin/pages" || u.Query().Get("section") != string(section) {
					t.Errorf("Enter on the filter button leads to %s, want /admin/pages?section=%s", u, section)
				}
				if v := eval[string](t, tab, `document.getElementById('section').value`); v != string(section) {
					t.Errorf("the filtered list's section filter shows %q, want %q still chosen", v, section)
				}
				type row struct {
					Key     string `json:"key"`
					Section string `json:"section"`
				}
				rows := eval[[]row](t, tab, `[...document.querySelectorAll('table.admin-table tbody tr')].map(tr => ({
					key: tr.querySelector('th a').getAttribute('href').split('/').pop(), section: tr.querySelector('td').textContent.trim()}))`)
				var got []string
				for _, r := range rows {
					got = append(got, r.Key)
					if r.Section != fr.T("nav."+string(section)) {
						t.Errorf("the filtered list shows %s, of section %q, want only %q", r.Key, r.Section, fr.T("nav."+string(section)))
					}
				}
				slices.Sort(got)
				if !slices.Equal(got, want) {
					t.Errorf("the filtered list shows pages %q, want the %s pages %q", got, section, want)
				}
			})

			t.Run("save draft", func(t *testing.T) {
				const key = "mission"
				ctx := context.Background()
				before := map[lang.Lang][]content.Revision{}
				for _, l := range lang.All {
					revs, err := a.db.Revisions(ctx, key, l)
					if err != nil {
						t.Fatal(err)
					}
					if len(revs) == 0 {
						t.Fatalf("the seeded page %s has no %s revision", key, l)
					}
					before[l] = revs
				}
				title := fmt.Sprintf("Mission du ministère, au clavier à %d px", vp.w)
				if before[lang.FR][0].Title == title {
					t.Fatalf("the page already has the title %q", title)
				}

				tab := kbTab(t)
				a.browserSignIn(t, tab)
				p := openKeyboard(t, tab, vp.w, vp.h, a.ts.URL+"/admin/pages/"+key)
				p.tabTo(t, p.index(t, "fr.title"))
				if v := eval[string](t, tab, `document.activeElement.value`); v != before[lang.FR][0].Title {
					t.Fatalf("the French title field holds %q, want the newest revision's %q", v, before[lang.FR][0].Title)
				}
				// Tab selects the text of the field it focuses: End
				// collapses the selection, so that Ctrl+A is what selects.
				p.key(t, keyEnd)
				p.key(t, keySelectAll)
				p.key(t, typeText(title))
				if v := eval[string](t, tab, `document.activeElement.value`); v != title {
					t.Fatalf("after Ctrl+A and typing, the French title field holds %q, want %q", v, title)
				}
				p.tabTo(t, p.find(t, "button", `[name="action"][value="save"]`))
				p.submit(t)

				if u := a.location(t, tab); u.Path != "/admin/pages/"+key || !u.Query().Has("saved") {
					t.Errorf("Enter on the save button leads to %s, want /admin/pages/%s?saved", u, key)
				}
				notice := eval[string](t, tab, `document.querySelector('main .notice[role="status"]')?.textContent ?? ''`)
				if notice != fr.T("admin.editor.saved") {
					t.Errorf("after saving the page says %q, want %q", notice, fr.T("admin.editor.saved"))
				}
				revs, err := a.db.Revisions(ctx, key, lang.FR)
				if err != nil {
					t.Fatal(err)
				}
				old, rv := before[lang.FR][0], revs[0]
				if len(revs) != len(before[lang.FR])+1 || rv.Title != title || rv.State != content.Draft || rv.Author != editorEmail {
					t.Fatalf("%d French revisions, the newest %q (%s, by %s); want %d, the newest %q (draft, by %s)",
						len(revs), rv.Title, rv.State, rv.Author, len(before[lang.FR])+1, title, editorEmail)
				}
				if rv.Path != old.Path || rv.Summary != old.Summary || rv.Body != old.Body {
					t.Errorf("the keyboard draft changed more than the title: path %q, summary %q, body of %d bytes; was %q, %q, %d bytes",
						rv.Path, rv.Summary, len(rv.Body), old.Path, old.Summary, len(old.Body))
				}
				en, err := a.db.Revisions(ctx, key, lang.EN)
				if err != nil {
					t.Fatal(err)
				}
				if len(en) != len(before[lang.EN]) {
					t.Errorf("saving a French title wrote %d English revisions", len(en)-len(before[lang.EN]))
				}
			})
		})
	}
}
