package securitytest

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"portail/internal/content"
)

func TestFindUnsafeFlagsExecutableHTML(t *testing.T) {
	for _, h := range []string{
		`<script>alert(1)</script>`,
		`<script src="https://evil.example/x.js"></script>`,
		`<script src="//evil.example/assets/x.js"></script>`,
		`<script src="/assets/site.js">alert(1)</script>`,
		`<svg><script href="/assets/x.js"></script></svg>`,
		`<img src=x onerror=alert(1)>`,
		`<p OnClick="x">`,
		`<svg><a xlink:href="javascript:alert(1)">x</a></svg>`,
		`<math><maction xlink:href="javascript:alert(1)">x</maction></math>`,
		`<svg><animate attributeName="href" values="javascript:alert(1)"/></svg>`,
		`<svg><set attributeName="onclick" to="alert(1)"/></svg>`,
		`<svg><style><img src=x onerror=alert(1)></style></svg>`,
		`<iframe src="/fr/"></iframe>`,
		`<iframe srcdoc="x"></iframe>`,
		`<object data="/x"></object>`,
		`<embed src="/x">`,
		`<base href="/">`,
		`<meta http-equiv="Refresh" content="0;url=/">`,
		`<link rel="stylesheet" href="https://evil.example/x.css">`,
		`<link rel="import" href="/x.html">`,
		`<style>p{}</style>`,
		`<p style="color:red">x</p>`,
		`<a href="javascript:alert(1)">x</a>`,
		`<a href="  JAVA&#x09;SCRIPT:alert(1)">x</a>`,
		"<a href=\"\x01javascript:alert(1)\">x</a>",
		`<a href="vbscript:x">x</a>`,
		`<a href="data:text/html,x">x</a>`,
		`<img src="data:image/svg+xml,<svg onload=alert(1)>">`,
		`<form action="javascript:x"></form>`,
		`<button formaction="javascript:x">x</button>`,
		`<video poster="javascript:x"></video>`,
		`<table background="javascript:x"></table>`,
		`<div><div><div><p><span><b><i><img onerror=x src=y></i></b></span></p></div></div></div>`,
	} {
		if FindUnsafe(h) == "" {
			t.Errorf("FindUnsafe(%q) found nothing", h)
		}
	}
}

func TestFindUnsafeAcceptsOurPages(t *testing.T) {
	for _, h := range []string{
		`<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>x</title>` +
			`<link rel="stylesheet" href="/assets/site.0123456789ab.css"><link rel="canonical" href="/fr/">` +
			`<link rel="alternate" hreflang="en" href="/en/"></head><body><a href="#contenu">x</a></body></html>`,
		`<script src="/assets/app.0123.js" defer></script>`,
		`<script type="application/ld+json">{"@context":"https://schema.org"}</script>`,
		`<a href="https://www.quebec.ca">x</a> <a href="mailto:info@example.org">m</a> <a href="tel:+15145551234">t</a>`,
		`<img src="data:image/png;base64,iVBORw0KGgo=" alt="">`,
		`<p>javascript:alert(1) onerror=alert(1) &lt;script&gt;</p>`,
		`<p title="onclick=alert(1)">x</p>`,
		`<textarea><script>alert(1)</script></textarea>`,
		`<title><script>alert(1)</script></title>`,
		`<form action="/fr/recherche" method="get"><input name="q"><button>ok</button></form>`,
		`<svg viewBox="0 0 10 10" role="img"><title>carte</title><a href="/fr/"><path d="M0 0h10"/></a></svg>`,
		`<meta name="description" content="javascript:alert(1)">`,
		`<noscript><img src=x onerror=alert(1)></noscript>`,
	} {
		if s := FindUnsafe(h); s != "" {
			t.Errorf("FindUnsafe(%q) = %s, want nothing", h, s)
		}
	}
}

// The payloads that are HTML must be caught when inserted raw; otherwise
// FindUnsafe would pass a page whatever the escaping did.
func TestFindUnsafeCatchesRawPayloads(t *testing.T) {
	caught := 0
	for _, p := range Payloads {
		if FindUnsafe(p) != "" || FindUnsafe(`<a href="`+p+`">x</a>`) != "" {
			caught++
		}
	}
	if caught < len(Payloads)*3/4 {
		t.Errorf("only %d of %d payloads are unsafe when inserted raw", caught, len(Payloads))
	}
}

func TestCorpora(t *testing.T) {
	if len(Payloads) < 50 {
		t.Errorf("%d XSS payloads, want at least 50", len(Payloads))
	}
	if len(SQLPayloads) < 20 {
		t.Errorf("%d SQL payloads, want at least 20", len(SQLPayloads))
	}
	for _, corpus := range [][]string{Payloads, SQLPayloads} {
		seen := map[string]bool{}
		for _, p := range corpus {
			if seen[p] {
				t.Errorf("duplicate payload %q", p)
			}
			seen[p] = true
			if strings.TrimSpace(p) == "" {
				t.Errorf("blank payload %q", p)
			}
			if len(p) > content.MaxTitle || !utf8.ValidString(p) {
				t.Errorf("payload %q must be valid UTF-8 of at most %d bytes, to fit a page title", p, content.MaxTitle)
			}
		}
	}
}

func TestElements(t *testing.T) {
	got := Elements(`<p>a <em>b</em></p><svg><circle/></svg>`)
	if !slices.Equal(got, []string{"p", "em", "svg", "circle"}) {
		t.Errorf("Elements = %v", got)
	}
}
