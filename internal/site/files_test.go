package site

import (
	"mime"
	"strings"
	"testing"
	"unicode"

	"portail/internal/media"
)

func TestDisposition(t *testing.T) {
	for _, tc := range []struct {
		name, typ, want string
	}{
		{"Rapport-annuel.pdf", media.PDF, `inline; filename="Rapport-annuel.pdf"`},
		{"carte.png", media.PNG, `inline; filename="carte.png"`},
		{"Été à Québec.jpg", media.JPEG, `inline; filename="ete-a-quebec.jpg"; filename*=UTF-8''%C3%89t%C3%A9%20%C3%A0%20Qu%C3%A9bec.jpg`},
		{`a"b\c.pdf`, media.PDF, `inline; filename="a-b-c.pdf"; filename*=UTF-8''a%22b%5Cc.pdf`},
		{"x\r\nSet-Cookie: y.pdf", media.PDF, `inline; filename="xSet-Cookie: y.pdf"`},
		{"\r\n", media.PDF, `inline; filename="fichier.pdf"`},
		{"notes.txt", "text/plain", `attachment; filename="notes.txt"`},
	} {
		if got := Disposition(media.File{Name: tc.name, Type: tc.typ}); got != tc.want {
			t.Errorf("Disposition(%q) =\n%s, want\n%s", tc.name, got, tc.want)
		}
	}
}

// FuzzDisposition checks that any name gives one header line that a MIME
// parser reads back as the name without its control characters.
func FuzzDisposition(f *testing.F) {
	for _, s := range []string{"a.pdf", "Été.pdf", `a"b`, "a\r\nb", "\x00", "a\\b", "日本語.pdf", "; filename=evil.html"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		got := Disposition(media.File{Name: name, Type: media.PDF})
		if strings.IndexFunc(got, func(r rune) bool { return r < ' ' || r == 0x7f || r > '~' }) >= 0 {
			t.Fatalf("Disposition(%q) = %q: not one line of printable ASCII", name, got)
		}
		kind, params, err := mime.ParseMediaType(got)
		if err != nil || kind != "inline" {
			t.Fatalf("Disposition(%q) = %q: %q, %v", name, got, kind, err)
		}
		want := strings.Map(func(r rune) rune {
			if unicode.IsControl(r) || r == unicode.ReplacementChar || unicode.Is(unicode.Cf, r) {
				return -1
			}
			return r
		}, name)
		if want == "" {
			want = media.Slug(name, media.PDF)
		}
		if params["filename"] != want {
			t.Fatalf("Disposition(%q) = %q: file name read back as %q, want %q", name, got, params["filename"], want)
		}
	})
}
