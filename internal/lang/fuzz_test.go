package lang

import "testing"

// FuzzNegotiate checks that any Accept-Language header, however malformed
// or long, picks one of the site's languages, the same one every time, and
// that a visitor who asks for French first gets French.
func FuzzNegotiate(f *testing.F) {
	for _, s := range []string{"", "fr-CA,fr;q=0.9", "en-US,en;q=0.9", "de-DE,en;q=0.5", "en;q=0.4,fr;q=0.8",
		"garbage;;;q=x", "*", "en;q=1.5", "en;q=0", "zh-Hant-TW-u-co-pinyin", "x-klingon, i-default", "en-GB-oxendict;q=0.1,,,", "sco, en-scouse"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, h string) {
		got := Negotiate(h)
		if _, ok := Parse(string(got)); !ok {
			t.Fatalf("Negotiate(%q) = %q, not a site language", h, got)
		}
		if again := Negotiate(h); again != got {
			t.Fatalf("Negotiate(%q) = %s, then %s", h, got, again)
		}
		if fr := Negotiate("fr, " + h); fr != FR {
			t.Fatalf("Negotiate(%q) = %s, want fr", "fr, "+h, fr)
		}
	})
}
