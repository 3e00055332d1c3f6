package media

import (
	"net/http"
	"testing"
)

func TestSniff(t *testing.T) {
	for _, tc := range []struct {
		name string
		data string
		want string
	}{
		{"pdf", "%PDF-1.4\n", PDF},
		{"png", "\x89PNG\r\n\x1a\n....", PNG},
		{"jpeg", "\xff\xd8\xff\xe0", JPEG},
		{"svg", `<svg xmlns="http://www.w3.org/2000/svg"></svg>`, ""},
		{"svg with xml prolog", `<?xml version="1.0"?><svg/>`, ""},
		{"html", "<html><script>", ""},
		{"gif", "GIF89a", ""},
		{"pdf later in the file", "junk%PDF-1.4", ""},
		{"empty", "", ""},
	} {
		if got := Sniff([]byte(tc.data)); got != tc.want {
			t.Errorf("%s: Sniff = %q, want %q", tc.name, got, tc.want)
		}
		// The standard library agrees on what we accept.
		if tc.want != "" {
			if got := http.DetectContentType([]byte(tc.data)); got != tc.want {
				t.Errorf("%s: DetectContentType = %q", tc.name, got)
			}
		}
	}
}

func TestSafeName(t *testing.T) {
	for in, want := range map[string]string{
		"Rapport annuel 2025.pdf":     "Rapport-annuel-2025.pdf",
		`C:\Users\moi\Été.PDF`:        "Ete.pdf",
		"../../etc/passwd":            "passwd.pdf",
		`a"; filename="evil.html.pdf`: "a-filenameevil.html.pdf",
		"...":                         "fichier.pdf",
	} {
		if got := SafeName(in, PDF); got != want {
			t.Errorf("SafeName(%q) = %q, want %q", in, got, want)
		}
	}
}
