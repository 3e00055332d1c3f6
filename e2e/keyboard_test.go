package e2e

import (
	"context"
	"fmt"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// press sends one key press (keyDown, keyUp) as a physical keyboard does.
func press(key string, code int64) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		for _, typ := range []input.DispatchKeyEventType{input.DispatchKeyEventTypeKeyDown, input.DispatchKeyEventTypeKeyUp} {
			_, err := cdp.Call(ctx, t, input.DispatchKeyEvent, input.DispatchKeyEventParams{
				Type: typ, Key: key, Code: key,
				WindowsVirtualKeyCode: code, NativeVirtualKeyCode: code,
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
}

var (
	keyTab   = press("Tab", 9)
	keyEnter = press("Enter", 13)
)

// focusJS describes document.activeElement: key identifies it the same
// way keyOfJS does for an expected element.
const focusJS = `(() => {
	const e = document.activeElement;
	const cs = getComputedStyle(e);
	const r = e.getBoundingClientRect();
	return {
		key: window.__key(e),
		outlineStyle: cs.outlineStyle,
		outlineWidth: parseFloat(cs.outlineWidth) || 0,
		boxShadow: cs.boxShadow,
		onScreen: r.width > 0 && r.height > 0 && r.right > 0 && r.bottom > 0 && r.left < innerWidth && r.top < innerHeight,
	};
})()`

// expectedJS installs __key and returns the elements the keyboard must
// reach first on a page of the site, in order, with their style while
// not focused: skip link, brand, language switcher, main navigation.
const expectedJS = `(() => {
	window.__key = e => e === document.body ? 'body' :
		e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
		(e.className ? '.' + String(e.className).trim().split(/\s+/).join('.') : '') +
		(e.getAttribute('href') !== null ? '[href="' + e.getAttribute('href') + '"]' : '');
	const q = s => document.querySelector(s);
	// On a phone the main navigation is a closed disclosure menu: its
	// toggle is reached, not its hidden links.
	const shown = e => !!e && e.checkVisibility();
	const menu = q('details.menu > summary');
	const els = [
		['skip link', q('body > a.skip:first-child')],
		['brand', q('header a.brand')],
		['language switcher', q('header a.lang-switch')],
		...(shown(menu) ? [['menu toggle', menu]] : []),
		...[...document.querySelectorAll('nav.main-nav a')].filter(shown).map((a, i) => ['main navigation link ' + (i + 1), a]),
	];
	return els.map(([what, e]) => e ? {
		what, key: window.__key(e), boxShadow: getComputedStyle(e).boxShadow,
	} : {what, key: ''});
})()`

type focused struct {
	Key          string  `json:"key"`
	OutlineStyle string  `json:"outlineStyle"`
	OutlineWidth float64 `json:"outlineWidth"`
	BoxShadow    string  `json:"boxShadow"`
	OnScreen     bool    `json:"onScreen"`
}

type expected struct {
	What      string `json:"what"`
	Key       string `json:"key"`
	BoxShadow string `json:"boxShadow"`
}

func activeElement(t *testing.T, tab context.Context) focused {
	t.Helper()
	f, err := chromedp.Run(tab, chromedp.Evaluate[focused](focusJS))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// TestKeyboardOrder tabs through the top of the home page in each
// language, at a desktop and a phone width: skip link first, then the
// brand, the language switcher and the main navigation in order, each with
// a visible focus indicator.
func TestKeyboardOrder(t *testing.T) {
	a := newApp(t)
	for _, vp := range viewports {
		for _, path := range []string{"/fr/", "/en/"} {
			t.Run(fmt.Sprintf("%s%d", path, vp.w), func(t *testing.T) {
				tab := newTab(t)
				if err := chromedp.Do(tab, chromedp.EmulateViewport(vp.w, vp.h), chromedp.Navigate(a.ts.URL+path)); err != nil {
					t.Fatal(err)
				}
				want, err := chromedp.Run(tab, chromedp.Evaluate[[]expected](expectedJS))
				if err != nil {
					t.Fatal(err)
				}
				if len(want) < 4 {
					t.Fatalf("no main navigation link on %s", path)
				}
				for _, w := range want {
					if w.Key == "" {
						t.Fatalf("%s: no %s", path, w.What)
					}
				}
				for i, w := range want {
					if err := chromedp.Do(tab, keyTab); err != nil {
						t.Fatal(err)
					}
					got := activeElement(t, tab)
					if got.Key != w.Key {
						t.Fatalf("Tab %d focuses %s, want the %s %s", i+1, got.Key, w.What, w.Key)
					}
					visibleOutline := got.OutlineStyle != "none" && got.OutlineWidth > 0
					shadow := got.BoxShadow != "none" && got.BoxShadow != w.BoxShadow
					if !visibleOutline && !shadow {
						t.Errorf("%s (%s) has no visible focus indicator: outline %s %gpx, box-shadow %s",
							w.What, w.Key, got.OutlineStyle, got.OutlineWidth, got.BoxShadow)
					}
					if !got.OnScreen {
						t.Errorf("%s (%s) is off screen while focused", w.What, w.Key)
					}
				}
			})
		}
	}
}

// TestKeyboardSkipLink activates the skip link with Enter: focus moves to
// the main content, and the next Tab goes to the first link in it (the home
// page's section cards), not back to the header.
func TestKeyboardSkipLink(t *testing.T) {
	a := newApp(t)
	tab := newTab(t)
	if err := chromedp.Do(tab, chromedp.Navigate(a.ts.URL+"/fr/")); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(tab, chromedp.Evaluate[[]expected](expectedJS)); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(tab, keyTab); err != nil {
		t.Fatal(err)
	}
	if got := activeElement(t, tab); got.Key != `a.skip[href="#contenu"]` {
		t.Fatalf("first Tab focuses %s, want the skip link to #contenu", got.Key)
	}
	if err := chromedp.Do(tab, keyEnter); err != nil {
		t.Fatal(err)
	}
	if got := activeElement(t, tab); got.Key != "main#contenu" {
		t.Fatalf("Enter on the skip link focuses %s, want main#contenu", got.Key)
	}
	if err := chromedp.Do(tab, keyTab); err != nil {
		t.Fatal(err)
	}
	in, err := chromedp.Run(tab, chromedp.Evaluate[bool](`!!document.activeElement.closest('main')`))
	if err != nil {
		t.Fatal(err)
	}
	if !in {
		t.Errorf("Tab after the skip link focuses %s, outside main", activeElement(t, tab).Key)
	}
}

// TestKeyboardLanguageSwitch reaches the language switcher with Tab and
// follows it with Enter, to the page's twin in the other language.
func TestKeyboardLanguageSwitch(t *testing.T) {
	a := newApp(t)
	for _, tc := range []struct{ from, to, lang string }{
		{"/fr/ministere/mission", "/en/department/mission", "en"},
		{"/en/department/mission", "/fr/ministere/mission", "fr"},
		{"/en/access-to-information", "/fr/acces-information", "fr"},
	} {
		t.Run(tc.from, func(t *testing.T) {
			tab := newTab(t)
			if err := chromedp.Do(tab, chromedp.Navigate(a.ts.URL+tc.from)); err != nil {
				t.Fatal(err)
			}
			want, err := chromedp.Run(tab, chromedp.Evaluate[[]expected](expectedJS))
			if err != nil {
				t.Fatal(err)
			}
			reached := false
			for range want {
				if err := chromedp.Do(tab, keyTab); err != nil {
					t.Fatal(err)
				}
				if got := activeElement(t, tab); got.Key == fmt.Sprintf(`a.lang-switch[href="%s"]`, tc.to) {
					reached = true
					break
				}
			}
			if !reached {
				t.Fatalf("Tab never reaches a language switcher to %s", tc.to)
			}
			if _, err := chromedp.Run(tab, chromedp.WaitEvent(page.LoadEventFired, nil, keyEnter)); err != nil {
				t.Fatal(err)
			}
			loc, err := chromedp.Run(tab, chromedp.Location())
			if err != nil {
				t.Fatal(err)
			}
			if loc != a.ts.URL+tc.to {
				t.Errorf("Enter on the switcher leads to %s, want %s", loc, a.ts.URL+tc.to)
			}
			lang, err := chromedp.Run(tab, chromedp.Evaluate[string](`document.documentElement.lang`))
			if err != nil {
				t.Fatal(err)
			}
			if lang != tc.lang {
				t.Errorf("the twin page has lang %q, want %q", lang, tc.lang)
			}
		})
	}
}

// TestKeyboardPhoneMenu opens the phone's disclosure menu with Enter,
// without JavaScript of ours: the next Tab reaches its first link, and
// the page title stays near the top while the menu is closed.
func TestKeyboardPhoneMenu(t *testing.T) {
	a := newApp(t)
	tab := newTab(t)
	if err := chromedp.Do(tab, chromedp.EmulateViewport(360, 740), chromedp.Navigate(a.ts.URL+"/fr/ministere/mission")); err != nil {
		t.Fatal(err)
	}
	top, err := chromedp.Run(tab, chromedp.Evaluate[float64](`document.querySelector('main h1').getBoundingClientRect().top`))
	if err != nil {
		t.Fatal(err)
	}
	if top > 260 {
		t.Errorf("the title starts %.0f px down on a phone", top)
	}
	if _, err := chromedp.Run(tab, chromedp.Evaluate[[]expected](expectedJS)); err != nil {
		t.Fatal(err)
	}
	for range 4 { // skip link, brand, language switcher, menu toggle
		if err := chromedp.Do(tab, keyTab); err != nil {
			t.Fatal(err)
		}
	}
	if got := activeElement(t, tab); got.Key != "summary" {
		t.Fatalf("fourth Tab focuses %s, want the menu toggle", got.Key)
	}
	// A summary toggles on the key's character, as a real Enter sends.
	enter := chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		for _, typ := range []input.DispatchKeyEventType{input.DispatchKeyEventTypeKeyDown, input.DispatchKeyEventTypeKeyUp} {
			p := input.DispatchKeyEventParams{Type: typ, Key: "Enter", Code: "Enter", WindowsVirtualKeyCode: 13, NativeVirtualKeyCode: 13}
			if typ == input.DispatchKeyEventTypeKeyDown {
				p.Text = "\r"
			}
			if _, err := cdp.Call(ctx, tg, input.DispatchKeyEvent, p); err != nil {
				return err
			}
		}
		return nil
	})
	if err := chromedp.Do(tab, enter, keyTab); err != nil {
		t.Fatal(err)
	}
	if got := activeElement(t, tab); got.Key != `a[href="/fr/"]` {
		t.Errorf("Tab after opening the menu focuses %s, want its first link", got.Key)
	}
}
